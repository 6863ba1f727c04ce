import { WindowContext } from '../../../lib/runtime/drift/emitters';
import { ExplainSummary, explainErrorLine, explainSummaryLine, featureImportanceLine } from '../../../lib/runtime/explain/explain-emitters';

const ctx: WindowContext = { model: 'churn', windowStart: new Date('2026-01-15T09:00:00Z'), windowEnd: new Date('2026-01-15T10:00:00Z'), timestamp: new Date('2026-01-15T10:05:00Z') };
const result = { feature: 'age', rank: 1, importance: 0.1234567, importanceStd: 0.01, method: 'prediction_change' as const, rows: 200 };
const summary: ExplainSummary = {
  status: 'ok', method: 'prediction_change', features: ['age', 'city'], ranking: ['age', 'city'], importance: { age: 0.1234567, city: 0 },
  rows_seen: 900, rows_sampled: 200, capture_files: 2, capture_lines: 901, malformed_lines: 1, malformed_examples: [], column_mismatch_rows: 0,
  out_of_window_lines: 0, capture_uri: 'gs://b/capture/', duration_ms: 5,
};

describe('explainability lines', () => {
  it('writes plain JSON lines for Azure Log Analytics', () => {
    expect(featureImportanceLine(result, ctx, 'azure')).toEqual({
      event: 'feature_importance', model: 'churn', feature: 'age', rank: 1, importance: 0.123457, importance_std: 0.01, method: 'prediction_change', rows: 200,
      window_start: '2026-01-15T09:00:00.000Z', window_end: '2026-01-15T10:00:00.000Z',
    });
    expect(explainSummaryLine(summary, ctx, 'azure')).toMatchObject({ event: 'explain_summary', importance: { age: 0.123457, city: 0 }, rows_sampled: 200 });
  });

  it('adds Cloud Logging severity, message and labels on gcp', () => {
    expect(featureImportanceLine(result, ctx, 'gcp')).toMatchObject({ severity: 'INFO', message: 'feature age: importance 0.1235 (rank 1)', 'logging.googleapis.com/labels': { model: 'churn', feature: 'age' } });
    expect(explainSummaryLine(summary, ctx, 'gcp')).toMatchObject({ severity: 'INFO', message: 'explanation ok: 200 rows, top features age, city' });
    expect(explainSummaryLine({ ...summary, status: 'no_data', ranking: [] }, ctx, 'gcp')).toMatchObject({ severity: 'NOTICE', message: 'explanation no_data: 200 rows' });
  });

  it('publishes ExplainedRows per Model on aws, and an error line on failure', () => {
    const line = explainSummaryLine(summary, ctx, 'aws');
    expect(line).toMatchObject({ Model: 'churn', ExplainedRows: 200 });
    expect((line._aws as any).CloudWatchMetrics[0]).toEqual({ Namespace: 'DeployAiSmarter/Explainability', Dimensions: [['Model']], Metrics: [{ Name: 'ExplainedRows', Unit: 'Count' }] });
    expect(explainErrorLine('churn', 'boom', 'gcp', ctx.timestamp)).toMatchObject({ severity: 'ERROR', event: 'explain_job_error', message: 'explain job failed: boom' });
  });
});
