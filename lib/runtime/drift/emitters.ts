// Renders the job's results as one JSON log line each, in the form each cloud turns into metrics:
// CloudWatch embedded metric format (aws), Cloud Logging structured fields (gcp), plain JSON (azure/json).
import { FeatureDriftResult } from './drift-analysis';

export type LogFormat = 'aws' | 'gcp' | 'azure' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['aws', 'gcp', 'azure', 'json'];

/** CloudWatch namespace of the drift metrics (EMF). */
export const DRIFT_METRIC_NAMESPACE = 'DeployAiSmarter/Drift';

export interface WindowContext {
  readonly model: string;
  readonly windowStart: Date;
  readonly windowEnd: Date;
  /** When the line is written (EMF Timestamp). */
  readonly timestamp: Date;
}

/** The summary of one run: the last line the job writes. */
export interface DriftSummary {
  readonly status: 'ok' | 'drift' | 'violations' | 'no_data';
  readonly drift_detected: boolean;
  readonly violations_detected: boolean;
  readonly features_total: number;
  readonly features_drifted: number;
  readonly drifted_features: readonly string[];
  readonly violations: readonly { readonly feature: string; readonly check: string }[];
  readonly records: number;
  readonly capture_files: number;
  readonly capture_lines: number;
  readonly malformed_lines: number;
  readonly malformed_examples: readonly { readonly key: string; readonly line: number; readonly reason: string }[];
  readonly out_of_window_lines: number;
  readonly column_mismatch_rows: number;
  readonly extra_columns: readonly string[];
  readonly max_distance: number | null;
  readonly max_psi: number | null;
  readonly baseline_uri: string;
  readonly capture_uri: string;
  readonly duration_ms: number;
}

const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e6) / 1e6);

/** One `feature_drift` line. */
export function featureLine(result: FeatureDriftResult, ctx: WindowContext, format: LogFormat): Record<string, unknown> {
  const line: Record<string, unknown> = {
    event: 'feature_drift',
    model: ctx.model,
    feature: result.feature,
    inferred_type: result.inferred_type,
    method: result.method,
    distance: round(result.distance),
    psi: round(result.psi),
    threshold: result.threshold,
    psi_threshold: result.psi_threshold,
    threshold_crossed: result.threshold_crossed,
    completeness: round(result.completeness),
    baseline_completeness: round(result.baseline_completeness),
    type_match_ratio: round(result.type_match_ratio),
    domain_ratio: round(result.domain_ratio),
    new_categories: result.new_categories,
    num_present: result.num_present,
    num_missing: result.num_missing,
    violations: result.violations,
    window_start: ctx.windowStart.toISOString(),
    window_end: ctx.windowEnd.toISOString(),
  };
  const flagged = result.threshold_crossed || result.violations.length > 0;
  if (format === 'aws') {
    const metrics: { Name: string; Unit: string }[] = [];
    if (result.distance !== null) {
      metrics.push({ Name: 'FeatureDrift', Unit: 'None' });
      line.FeatureDrift = round(result.distance);
    }
    if (result.psi !== null) {
      metrics.push({ Name: 'FeaturePsi', Unit: 'None' });
      line.FeaturePsi = round(result.psi);
    }
    line.Model = ctx.model;
    line.Feature = result.feature;
    if (metrics.length > 0) line._aws = emf(ctx, [['Model', 'Feature']], metrics);
  } else if (format === 'gcp') {
    return gcp(line, flagged ? 'WARNING' : 'INFO', `feature ${result.feature}: distance ${fmt(result.distance)}, psi ${fmt(result.psi)}${flagged ? ' (threshold crossed)' : ''}`, ctx.model, result.feature);
  }
  return line;
}

/** The `drift_summary` line. */
export function summaryLine(summary: DriftSummary, ctx: WindowContext, format: LogFormat): Record<string, unknown> {
  const line: Record<string, unknown> = {
    event: 'drift_summary',
    model: ctx.model,
    ...summary,
    max_distance: round(summary.max_distance),
    max_psi: round(summary.max_psi),
    window_start: ctx.windowStart.toISOString(),
    window_end: ctx.windowEnd.toISOString(),
  };
  if (format === 'aws') {
    line.Model = ctx.model;
    line.DriftedFeatures = summary.features_drifted;
    line.CaptureRecords = summary.records;
    line.MalformedCaptureLines = summary.malformed_lines;
    line._aws = emf(ctx, [['Model']], [
      { Name: 'DriftedFeatures', Unit: 'Count' },
      { Name: 'CaptureRecords', Unit: 'Count' },
      { Name: 'MalformedCaptureLines', Unit: 'Count' },
    ]);
  } else if (format === 'gcp') {
    const severity = summary.status === 'ok' ? 'INFO' : summary.status === 'no_data' ? 'NOTICE' : 'WARNING';
    return gcp(line, severity, `drift check ${summary.status}: ${summary.features_drifted}/${summary.features_total} features drifted, ${summary.records} records, ${summary.malformed_lines} malformed lines`, ctx.model);
  }
  return line;
}

/** The `drift_job_error` line written before exiting with code 2. */
export function errorLine(model: string, error: string, format: LogFormat, timestamp: Date): Record<string, unknown> {
  const line = { event: 'drift_job_error', model, error, time: timestamp.toISOString() };
  return format === 'gcp' ? gcp(line, 'ERROR', `drift job failed: ${error}`, model) : line;
}

function emf(ctx: WindowContext, dimensions: string[][], metrics: { Name: string; Unit: string }[]): Record<string, unknown> {
  return {
    Timestamp: ctx.timestamp.getTime(),
    CloudWatchMetrics: [{ Namespace: DRIFT_METRIC_NAMESPACE, Dimensions: dimensions, Metrics: metrics }],
  };
}

// Cloud Logging lifts `severity` and `message` out of a JSON line and keeps the rest as jsonPayload;
// the labels make per-model / per-feature filters cheap.
function gcp(line: Record<string, unknown>, severity: string, message: string, model: string, feature?: string): Record<string, unknown> {
  return {
    severity,
    message,
    ...line,
    'logging.googleapis.com/labels': feature === undefined ? { model } : { model, feature },
  };
}

function fmt(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(4);
}
