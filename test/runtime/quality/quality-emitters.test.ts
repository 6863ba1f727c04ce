import { WindowContext } from '../../../lib/runtime/drift/emitters';
import { QualitySummary, emfMetricName, qualityErrorLine, qualitySummaryLine } from '../../../lib/runtime/quality/quality-emitters';

const ctx: WindowContext = {
  model: 'churn',
  windowStart: new Date('2026-01-15T09:00:00Z'),
  windowEnd: new Date('2026-01-15T10:00:00Z'),
  timestamp: new Date('2026-01-15T10:05:00Z'),
};

const summary: QualitySummary = {
  status: 'degraded',
  problem_type: 'BinaryClassification',
  threshold_crossed: true,
  violations: [{ metric: 'accuracy', bound: 'min', threshold: 0.8, value: 0.7 }],
  metrics: { accuracy: 0.7, precision: 0.75, recall: 0.6, f1: 2 / 3, auc: null },
  confusion_matrix: { 0: { 0: 4, 1: 1 }, 1: { 0: 2, 1: 3 } },
  confusion_matrix_truncated: false,
  captured_events: 11,
  labelled_events: 10,
  label_coverage: 10 / 11,
  predictions_evaluated: 10,
  min_samples: 1,
  unusable_labelled_events: 0,
  events_without_id: 0,
  capture_files: 1,
  capture_lines: 11,
  malformed_capture_lines: 0,
  out_of_window_lines: 0,
  ground_truth_files: 1,
  ground_truth_lines: 10,
  ground_truth_records: 10,
  malformed_ground_truth_lines: 0,
  duplicate_labels: 0,
  malformed_examples: [],
  capture_uri: 's3://b/capture/',
  ground_truth_uri: 's3://b/ground-truth/',
  duration_ms: 12,
};

describe('qualitySummaryLine', () => {
  it('publishes CloudWatch EMF metrics in DeployAiSmarter/Quality with dimension Model (aws)', () => {
    const line = qualitySummaryLine(summary, ctx, 'aws');

    expect(line._aws).toEqual({
      Timestamp: ctx.timestamp.getTime(),
      CloudWatchMetrics: [{
        Namespace: 'DeployAiSmarter/Quality',
        Dimensions: [['Model']],
        Metrics: [
          { Name: 'CapturedEvents', Unit: 'Count' },
          { Name: 'LabelledEvents', Unit: 'Count' },
          { Name: 'LabelCoverage', Unit: 'None' },
          { Name: 'Accuracy', Unit: 'None' },
          { Name: 'Precision', Unit: 'None' },
          { Name: 'Recall', Unit: 'None' },
          { Name: 'F1', Unit: 'None' },
        ],
      }],
    });
    expect(line).toMatchObject({ Model: 'churn', Accuracy: 0.7, Precision: 0.75, Recall: 0.6, F1: 0.666667, CapturedEvents: 11, LabelledEvents: 10, LabelCoverage: 0.909091 });
    expect(line).not.toHaveProperty('Auc');
  });

  it('adds severity, message and labels for Cloud Logging (gcp)', () => {
    const line = qualitySummaryLine(summary, ctx, 'gcp');

    expect(line).toMatchObject({
      severity: 'WARNING',
      event: 'quality_summary',
      'logging.googleapis.com/labels': { model: 'churn' },
      metrics: { accuracy: 0.7, auc: null },
    });
    expect(line.message).toBe('model quality degraded; 10/11 events labelled; accuracy 0.7000; precision 0.7500; recall 0.6000; f1 0.6667; crossed: accuracy 0.7000 < 0.8');
    expect(qualitySummaryLine({ ...summary, status: 'ok' }, ctx, 'gcp').severity).toBe('INFO');
    expect(qualitySummaryLine({ ...summary, status: 'no_data' }, ctx, 'gcp').severity).toBe('NOTICE');
  });

  it('writes plain JSON for Azure, without EMF or Cloud Logging fields', () => {
    const line = qualitySummaryLine(summary, ctx, 'azure');

    expect(line).toMatchObject({ event: 'quality_summary', model: 'churn', status: 'degraded', window_start: '2026-01-15T09:00:00.000Z' });
    expect(line).not.toHaveProperty('_aws');
    expect(line).not.toHaveProperty('severity');
  });
});

describe('qualityErrorLine', () => {
  it('is an ERROR entry on gcp and a plain line elsewhere', () => {
    expect(qualityErrorLine('churn', 'boom', 'gcp', ctx.timestamp)).toMatchObject({ severity: 'ERROR', event: 'quality_job_error', message: 'quality job failed: boom' });
    expect(qualityErrorLine('churn', 'boom', 'aws', ctx.timestamp)).toEqual({ event: 'quality_job_error', model: 'churn', error: 'boom', time: '2026-01-15T10:05:00.000Z' });
  });
});

describe('emfMetricName', () => {
  it('turns snake_case metric names into CloudWatch metric names', () => {
    expect(['accuracy', 'f1', 'r2', 'true_positive_rate', 'macro_f1'].map(emfMetricName)).toEqual(['Accuracy', 'F1', 'R2', 'TruePositiveRate', 'MacroF1']);
  });
});
