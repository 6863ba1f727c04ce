// Renders the quality job's result as one JSON log line in the form each cloud turns into metrics: CloudWatch
// embedded metric format (aws), Cloud Logging structured fields (gcp), plain JSON (azure/json). The contract is
// written down in docs/quality.md ("Metric and log contract").
import type { LogFormat, WindowContext } from '../drift/emitters';
import { EmfMetric, GcpSeverity, emfMetadata, gcpStructuredLine, round6 } from '../shared/metric-lines';
import type { ConfusionMatrix } from './classification-metrics';
import type { ProblemType } from './predictions';
import type { QualityMetrics, QualityViolation } from './quality-analysis';

/** CloudWatch namespace of the quality metrics (EMF). */
export const QUALITY_METRIC_NAMESPACE = 'DeployAiSmarter/Quality';

/**
 * - `ok`: metrics reported, no threshold crossed
 * - `degraded`: a quality metric crossed its threshold
 * - `no_labels`: traffic in the window, but no label for any of it (labels stopped arriving?)
 * - `low_label_coverage`: fewer labelled events than `min_label_coverage` asks
 * - `insufficient_labels`: fewer labelled predictions than `min_samples`: metrics not reported
 * - `no_data`: no captured traffic in the window
 */
export type QualityStatus = 'ok' | 'degraded' | 'no_labels' | 'low_label_coverage' | 'insufficient_labels' | 'no_data';

export interface QualitySummary {
  readonly status: QualityStatus;
  readonly problem_type: ProblemType;
  readonly threshold_crossed: boolean;
  readonly violations: readonly QualityViolation[];
  readonly metrics: QualityMetrics;
  readonly confusion_matrix?: ConfusionMatrix;
  readonly confusion_matrix_truncated?: boolean;
  /** Captured events (requests) in the window, with or without an id. */
  readonly captured_events: number;
  /** Captured events whose id has a ground-truth record. */
  readonly labelled_events: number;
  /** labelled_events / captured_events; null without traffic. */
  readonly label_coverage: number | null;
  /** (prediction, label) pairs behind the metrics (a batch request has several). */
  readonly predictions_evaluated: number;
  readonly min_samples: number;
  /** Labelled events left out: unreadable prediction or label, or as many labels as predictions not given. */
  readonly unusable_labelled_events: number;
  readonly events_without_id: number;
  readonly capture_files: number;
  readonly capture_lines: number;
  readonly malformed_capture_lines: number;
  readonly out_of_window_lines: number;
  readonly ground_truth_files: number;
  readonly ground_truth_lines: number;
  readonly ground_truth_records: number;
  readonly malformed_ground_truth_lines: number;
  readonly duplicate_labels: number;
  readonly malformed_examples: readonly { readonly key: string; readonly line: number; readonly reason: string }[];
  readonly capture_uri: string;
  readonly ground_truth_uri: string;
  readonly duration_ms: number;
}

/** The `quality_summary` line. */
export function qualitySummaryLine(summary: QualitySummary, ctx: WindowContext, format: LogFormat): Record<string, unknown> {
  const metrics = Object.fromEntries(Object.entries(summary.metrics).map(([k, v]) => [k, round6(v)]));
  const line: Record<string, unknown> = {
    event: 'quality_summary',
    model: ctx.model,
    ...summary,
    metrics,
    label_coverage: round6(summary.label_coverage),
    window_start: ctx.windowStart.toISOString(),
    window_end: ctx.windowEnd.toISOString(),
  };
  if (format === 'aws') {
    const published: EmfMetric[] = [
      { Name: 'CapturedEvents', Unit: 'Count' },
      { Name: 'LabelledEvents', Unit: 'Count' },
    ];
    line.Model = ctx.model;
    line.CapturedEvents = summary.captured_events;
    line.LabelledEvents = summary.labelled_events;
    if (summary.label_coverage !== null) {
      published.push({ Name: 'LabelCoverage', Unit: 'None' });
      line.LabelCoverage = round6(summary.label_coverage);
    }
    for (const [name, value] of Object.entries(metrics)) {
      if (value === null) continue;
      const metricName = emfMetricName(name);
      published.push({ Name: metricName, Unit: 'None' });
      line[metricName] = value;
    }
    line._aws = emfMetadata(QUALITY_METRIC_NAMESPACE, ctx.timestamp, [['Model']], published);
  } else if (format === 'gcp') {
    return gcpStructuredLine(line, severityOf(summary.status), message(summary), { model: ctx.model });
  }
  return line;
}

/** The `quality_job_error` line written before exiting with code 2. */
export function qualityErrorLine(model: string, error: string, format: LogFormat, timestamp: Date): Record<string, unknown> {
  const line = { event: 'quality_job_error', model, error, time: timestamp.toISOString() };
  return format === 'gcp' ? gcpStructuredLine(line, 'ERROR', `quality job failed: ${error}`, { model }) : line;
}

/** `true_positive_rate` -> `TruePositiveRate`, `f1` -> `F1`, `r2` -> `R2`. */
export function emfMetricName(metric: string): string {
  return metric.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

function severityOf(status: QualityStatus): GcpSeverity {
  if (status === 'ok') return 'INFO';
  if (status === 'no_data' || status === 'insufficient_labels') return 'NOTICE';
  return 'WARNING';
}

function message(summary: QualitySummary): string {
  const shown = Object.entries(summary.metrics)
    .filter(([name, v]) => v !== null && ['accuracy', 'precision', 'recall', 'f1', 'auc', 'mae', 'rmse', 'r2'].includes(name))
    .map(([name, v]) => `${name} ${(v as number).toFixed(4)}`);
  const crossed = summary.violations.map((v) => `${v.metric} ${v.value.toFixed(4)} ${v.bound === 'min' ? '<' : '>'} ${v.threshold}`);
  return [
    `model quality ${summary.status}`,
    `${summary.labelled_events}/${summary.captured_events} events labelled`,
    ...shown,
    ...(crossed.length > 0 ? [`crossed: ${crossed.join(', ')}`] : []),
  ].join('; ');
}
