// Renders the explainability job's results as JSON log lines per cloud: one `feature_importance` line per feature
// (CloudWatch EMF metric FeatureImportance per Model and Feature on aws; Cloud Logging labels on gcp), then one
// `explain_summary` line. Contract: docs/quality.md, "Explainability".
import type { LogFormat, WindowContext } from '../drift/emitters';
import { emfMetadata, gcpStructuredLine, round6 } from '../shared/metric-lines';
import type { ImportanceMethod } from './importance';

/** CloudWatch namespace of the explainability metrics (EMF). */
export const EXPLAIN_METRIC_NAMESPACE = 'DeployAiSmarter/Explainability';

export interface FeatureImportanceResult {
  readonly feature: string;
  /** 1 = most important. */
  readonly rank: number;
  readonly importance: number;
  readonly importanceStd: number;
  readonly method: ImportanceMethod;
  readonly rows: number;
}

export interface ExplainSummary {
  readonly status: 'ok' | 'no_data';
  readonly method: ImportanceMethod;
  readonly features: readonly string[];
  readonly ranking: readonly string[];
  readonly importance: Readonly<Record<string, number>>;
  readonly rows_seen: number;
  readonly rows_sampled: number;
  readonly capture_files: number;
  readonly capture_lines: number;
  readonly malformed_lines: number;
  readonly malformed_examples: readonly { readonly key: string; readonly line: number; readonly reason: string }[];
  readonly column_mismatch_rows: number;
  readonly out_of_window_lines: number;
  readonly capture_uri: string;
  readonly duration_ms: number;
}

/** One `feature_importance` line. */
export function featureImportanceLine(result: FeatureImportanceResult, ctx: WindowContext, format: LogFormat): Record<string, unknown> {
  const line: Record<string, unknown> = {
    event: 'feature_importance',
    model: ctx.model,
    feature: result.feature,
    rank: result.rank,
    importance: round6(result.importance),
    importance_std: round6(result.importanceStd),
    method: result.method,
    rows: result.rows,
    window_start: ctx.windowStart.toISOString(),
    window_end: ctx.windowEnd.toISOString(),
  };
  if (format === 'aws') {
    line.Model = ctx.model;
    line.Feature = result.feature;
    line.FeatureImportance = round6(result.importance);
    line._aws = emfMetadata(EXPLAIN_METRIC_NAMESPACE, ctx.timestamp, [['Model', 'Feature']], [{ Name: 'FeatureImportance', Unit: 'None' }]);
  } else if (format === 'gcp') {
    return gcpStructuredLine(line, 'INFO', `feature ${result.feature}: importance ${result.importance.toPrecision(4)} (rank ${result.rank})`, { model: ctx.model, feature: result.feature });
  }
  return line;
}

/** The `explain_summary` line. */
export function explainSummaryLine(summary: ExplainSummary, ctx: WindowContext, format: LogFormat): Record<string, unknown> {
  const line: Record<string, unknown> = {
    event: 'explain_summary',
    model: ctx.model,
    ...summary,
    importance: Object.fromEntries(Object.entries(summary.importance).map(([k, v]) => [k, round6(v)])),
    window_start: ctx.windowStart.toISOString(),
    window_end: ctx.windowEnd.toISOString(),
  };
  if (format === 'aws') {
    line.Model = ctx.model;
    line.ExplainedRows = summary.rows_sampled;
    line._aws = emfMetadata(EXPLAIN_METRIC_NAMESPACE, ctx.timestamp, [['Model']], [{ Name: 'ExplainedRows', Unit: 'Count' }]);
  } else if (format === 'gcp') {
    const top = summary.ranking.slice(0, 3).join(', ');
    return gcpStructuredLine(line, summary.status === 'ok' ? 'INFO' : 'NOTICE', `explanation ${summary.status}: ${summary.rows_sampled} rows${top ? `, top features ${top}` : ''}`, { model: ctx.model });
  }
  return line;
}

/** The `explain_job_error` line written before exiting with code 2. */
export function explainErrorLine(model: string, error: string, format: LogFormat, timestamp: Date): Record<string, unknown> {
  const line = { event: 'explain_job_error', model, error, time: timestamp.toISOString() };
  return format === 'gcp' ? gcpStructuredLine(line, 'ERROR', `explain job failed: ${error}`, { model }) : line;
}
