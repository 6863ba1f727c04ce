import { FeatureDriftResult } from '../../../lib/runtime/drift/drift-analysis';
import { DriftSummary, errorLine, featureLine, summaryLine } from '../../../lib/runtime/drift/emitters';

const ctx = { model: 'churn', windowStart: new Date('2026-01-15T09:00:00Z'), windowEnd: new Date('2026-01-15T10:00:00Z'), timestamp: new Date(1_768_471_200_000) };
const result: FeatureDriftResult = {
  feature: 'age', inferred_type: 'Integral', method: 'ks_linf', distance: 0.4123456789, psi: 0.9, threshold: 0.1, psi_threshold: 0.2,
  threshold_crossed: true, completeness: 1, baseline_completeness: 1, type_match_ratio: 1, domain_ratio: null, new_categories: [],
  num_present: 10, num_missing: 0, violations: ['baseline_drift_check'],
};

describe('emitters', () => {
  it('writes the feature_drift contract fields in every format', () => {
    for (const format of ['aws', 'gcp', 'azure', 'json'] as const) {
      expect(featureLine(result, ctx, format)).toMatchObject({
        event: 'feature_drift', model: 'churn', feature: 'age', distance: 0.412346, psi: 0.9, threshold: 0.1, psi_threshold: 0.2,
        threshold_crossed: true, completeness: 1, window_start: '2026-01-15T09:00:00.000Z', window_end: '2026-01-15T10:00:00.000Z',
      });
    }
  });

  it('adds CloudWatch embedded metric format for aws', () => {
    const line = featureLine(result, ctx, 'aws');

    expect(line._aws).toEqual({
      Timestamp: 1_768_471_200_000,
      CloudWatchMetrics: [{ Namespace: 'DeployAiSmarter/Drift', Dimensions: [['Model', 'Feature']], Metrics: [{ Name: 'FeatureDrift', Unit: 'None' }, { Name: 'FeaturePsi', Unit: 'None' }] }],
    });
    expect([line.Model, line.Feature, line.FeatureDrift, line.FeaturePsi]).toEqual(['churn', 'age', 0.412346, 0.9]);
  });

  it('declares no EMF metric without a value', () => {
    expect(featureLine({ ...result, distance: null, psi: null }, ctx, 'aws')._aws).toBeUndefined();
  });

  it('sets a Cloud Logging severity, message and labels for gcp', () => {
    const line = featureLine(result, ctx, 'gcp');

    expect(line).toMatchObject({ severity: 'WARNING', 'logging.googleapis.com/labels': { model: 'churn', feature: 'age' } });
    expect(line.message).toBe('feature age: distance 0.4123, psi 0.9000 (threshold crossed)');
    expect(featureLine({ ...result, threshold_crossed: false, violations: [] }, ctx, 'gcp').severity).toBe('INFO');
  });

  it('writes plain JSON for azure', () => {
    const line = featureLine(result, ctx, 'azure');
    expect(Object.keys(line).filter((k) => k.startsWith('_') || k === 'severity')).toEqual([]);
  });

  it('adds summary metrics with the Model dimension for aws', () => {
    const summary = { status: 'drift', features_drifted: 1, records: 10, malformed_lines: 2, max_distance: 0.5, max_psi: null } as unknown as DriftSummary;
    const line = summaryLine(summary, ctx, 'aws');

    expect(line).toMatchObject({ event: 'drift_summary', DriftedFeatures: 1, CaptureRecords: 10, MalformedCaptureLines: 2 });
    expect((line._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics[0].Dimensions).toEqual([['Model']]);
    expect(summaryLine(summary, ctx, 'gcp').severity).toBe('WARNING');
    expect(errorLine('churn', 'boom', 'gcp', ctx.timestamp)).toMatchObject({ severity: 'ERROR', event: 'drift_job_error', error: 'boom' });
  });
});
