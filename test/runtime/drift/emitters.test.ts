import { Violation } from '../../../lib/runtime/drift/constraint-checks';
import { FeatureDriftResult } from '../../../lib/runtime/drift/drift-analysis';
import { DriftSummary, errorLine, featureLine, summaryLine, violationsLine } from '../../../lib/runtime/drift/emitters';

const ctx = { model: 'churn', windowStart: new Date('2026-01-15T09:00:00Z'), windowEnd: new Date('2026-01-15T10:00:00Z'), timestamp: new Date(1_768_471_200_000) };
const result: FeatureDriftResult = {
  feature: 'age', inferred_type: 'Integral', verdict: 'drift', drifted: true, test: 'ks', method: 'ks_linf', distance: 0.4123456789, threshold: 0.1,
  p_value: 0.000123456, p_value_adjusted: 0.000246912, alpha: 0.01, linf_distance: 0.4123456789, wasserstein: 0.95, jensen_shannon: null, psi: 0.9,
  psi_threshold: 0.2, threshold_crossed: true, window_size: 100, baseline_size: 5000, completeness: 1, baseline_completeness: 1, type_match_ratio: 1,
  domain_ratio: null, new_categories: [], num_present: 100, num_missing: 0, violations: ['baseline_drift_check'], emit_metrics: true,
};
const violations: Violation[] = [
  { feature: 'age', check: 'data_type_check', description: '90.0% of 100 values are Integral; expected at least 100.0%' },
  { feature: 'city', check: 'categorical_values_check', description: 'new values' },
  { feature: 'extra', check: 'extra_column_check', description: 'column "extra" is not in the baseline' },
];
const summary = {
  status: 'drift', drift_detected: true, features_drifted: 1, features_total: 2, features_evaluated: 2, dataset_drift: 1, drift_share: 0.5,
  violations: [], violations_total: 0, records: 10, malformed_lines: 2, max_distance: 0.5, max_psi: null,
} as unknown as DriftSummary;

describe('feature_drift lines', () => {
  it('write the contract fields in every format', () => {
    for (const format of ['aws', 'gcp', 'azure', 'json'] as const) {
      expect(featureLine(result, ctx, format)).toMatchObject({
        event: 'feature_drift', model: 'churn', feature: 'age', verdict: 'drift', drifted: 1, test: 'ks', distance: 0.412346, threshold: 0.1,
        p_value: 0.0001235, p_value_adjusted: 0.0002469, alpha: 0.01, linf_distance: 0.412346, wasserstein: 0.95, jensen_shannon: null, psi: 0.9,
        psi_threshold: 0.2, threshold_crossed: true, window_size: 100, baseline_size: 5000, completeness: 1, emit_metrics: true,
        window_start: '2026-01-15T09:00:00.000Z', window_end: '2026-01-15T10:00:00.000Z',
      });
    }
  });

  it('carry CloudWatch EMF for aws: the verdict, distance and corrected p-value, plus the first release\'s FeatureDrift and FeaturePsi', () => {
    const line = featureLine(result, ctx, 'aws');

    expect(line._aws).toEqual({
      Timestamp: 1_768_471_200_000,
      CloudWatchMetrics: [{
        Namespace: 'DeployAiSmarter/Drift',
        Dimensions: [['Model', 'Feature']],
        Metrics: ['FeatureDrifted', 'FeatureDistance', 'FeaturePValue', 'FeatureDrift', 'FeaturePsi'].map((Name) => ({ Name, Unit: 'None' })),
      }],
    });
    expect([line.Model, line.Feature, line.FeatureDrifted, line.FeatureDistance, line.FeaturePValue, line.FeatureDrift, line.FeaturePsi]).toEqual([
      'churn', 'age', 1, 0.412346, 0.0002469, 0.412346, 0.9,
    ]);
  });

  it('publish FeatureDrifted 0 without data, and declare no metric that has no value', () => {
    const line = featureLine({ ...result, verdict: 'insufficient_data', drifted: false, distance: null, p_value: null, p_value_adjusted: null, linf_distance: null, psi: null }, ctx, 'aws');

    expect((line._aws as { CloudWatchMetrics: { Metrics: unknown[] }[] }).CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'FeatureDrifted', Unit: 'None' }]);
    expect(line.FeatureDrifted).toBe(0);
  });

  it('publish no metric for a feature whose emit_metrics is Disabled', () => {
    const line = featureLine({ ...result, emit_metrics: false }, ctx, 'aws');

    expect(line._aws).toBeUndefined();
    expect(line).toMatchObject({ emit_metrics: false, drifted: 1, Model: 'churn' });
  });

  it('set a Cloud Logging severity, message and labels for gcp', () => {
    const line = featureLine(result, ctx, 'gcp');

    expect(line).toMatchObject({ severity: 'WARNING', 'logging.googleapis.com/labels': { model: 'churn', feature: 'age' } });
    expect(line.message).toBe('feature age: drift (ks distance 0.4123, p 2.47e-4, psi 0.9000)');
    expect(featureLine({ ...result, drifted: false, verdict: 'no_drift', violations: [] }, ctx, 'gcp').severity).toBe('INFO');
  });

  it('stay plain JSON for azure', () => {
    const line = featureLine(result, ctx, 'azure');
    expect(Object.keys(line).filter((k) => k.startsWith('_') || k === 'severity' || /^[A-Z]/.test(k))).toEqual([]);
  });
});

describe('constraint_violations lines', () => {
  it('count every kind of violation, 0 for checks that passed, in every format', () => {
    for (const format of ['aws', 'gcp', 'azure', 'json'] as const) {
      expect(violationsLine(violations, ctx, format)).toMatchObject({
        event: 'constraint_violations', model: 'churn', total: 3, missing_column_check: 0, extra_column_check: 1, data_type_check: 1,
        categorical_values_check: 1, completeness_check: 0, violations, window_start: '2026-01-15T09:00:00.000Z',
      });
    }
  });

  it('publish ConstraintViolations and one metric per kind with the Model dimension for aws', () => {
    const line = violationsLine(violations, ctx, 'aws');

    expect(line).toMatchObject({
      Model: 'churn', ConstraintViolations: 3, MissingColumnViolations: 0, ExtraColumnViolations: 1, DataTypeViolations: 1,
      CategoricalValuesViolations: 1, CompletenessViolations: 0,
    });
    expect(line._aws).toEqual({
      Timestamp: 1_768_471_200_000,
      CloudWatchMetrics: [{
        Namespace: 'DeployAiSmarter/Drift',
        Dimensions: [['Model']],
        Metrics: ['ConstraintViolations', 'MissingColumnViolations', 'ExtraColumnViolations', 'DataTypeViolations', 'CategoricalValuesViolations', 'CompletenessViolations'].map((Name) => ({ Name, Unit: 'Count' })),
      }],
    });
    expect(violationsLine(violations, ctx, 'aws', false)._aws).toBeUndefined();
  });

  it('warn in Cloud Logging when a check failed', () => {
    expect(violationsLine(violations, ctx, 'gcp')).toMatchObject({
      severity: 'WARNING',
      message: 'constraint violations: 3 (extra_column_check 1, data_type_check 1, categorical_values_check 1)',
      'logging.googleapis.com/labels': { model: 'churn' },
    });
    expect(violationsLine([], ctx, 'gcp')).toMatchObject({ severity: 'INFO', total: 0 });
  });
});

describe('drift_summary lines', () => {
  it('publish the dataset verdict and the run counts with the Model dimension for aws', () => {
    const line = summaryLine(summary, ctx, 'aws');

    expect(line).toMatchObject({ event: 'drift_summary', dataset_drift: 1, drift_share: 0.5, DriftedFeatures: 1, DatasetDrift: 1, DriftedFeatureShare: 0.5, CaptureRecords: 10, MalformedCaptureLines: 2 });
    expect((line._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]).toMatchObject({
      Dimensions: [['Model']],
      Metrics: ['DriftedFeatures', 'DatasetDrift', 'DriftedFeatureShare', 'CaptureRecords', 'MalformedCaptureLines'].map((Name) => ({ Name })),
    });
  });

  it('map the status to a Cloud Logging severity, and job errors to ERROR', () => {
    expect(summaryLine(summary, ctx, 'gcp').severity).toBe('WARNING');
    expect(summaryLine({ ...summary, status: 'insufficient_data' }, ctx, 'gcp').severity).toBe('NOTICE');
    expect(summaryLine({ ...summary, status: 'ok' }, ctx, 'gcp').severity).toBe('INFO');
    expect(errorLine('churn', 'boom', 'gcp', ctx.timestamp)).toMatchObject({ severity: 'ERROR', event: 'drift_job_error', error: 'boom' });
  });
});
