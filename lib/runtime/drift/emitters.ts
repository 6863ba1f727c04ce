// Renders the job's results as one JSON log line each, in the form each cloud turns into metrics:
// CloudWatch embedded metric format (aws), Cloud Logging structured fields (gcp), plain JSON (azure/json).
// docs/drift.md "Metric and log contract" is the contract these lines keep; change both together.
import { CONSTRAINT_CHECKS, ConstraintCheck, Violation, countByCheck } from './constraint-checks';
import { FeatureDriftResult } from './drift-analysis';
import { EmfMetric, GcpSeverity, emfMetadata, gcpStructuredLine } from '../shared/metric-lines';

export type LogFormat = 'aws' | 'gcp' | 'azure' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['aws', 'gcp', 'azure', 'json'];

/** CloudWatch namespace of the drift metrics (EMF). */
export const DRIFT_METRIC_NAMESPACE = 'DeployAiSmarter/Drift';

/** EMF metric name of each constraint check's count on the `constraint_violations` line. */
export const VIOLATION_METRICS: Readonly<Record<ConstraintCheck, string>> = {
  missing_column_check: 'MissingColumnViolations',
  extra_column_check: 'ExtraColumnViolations',
  data_type_check: 'DataTypeViolations',
  categorical_values_check: 'CategoricalValuesViolations',
  completeness_check: 'CompletenessViolations',
};

export interface WindowContext {
  readonly model: string;
  readonly windowStart: Date;
  readonly windowEnd: Date;
  /** When the line is written (EMF Timestamp). */
  readonly timestamp: Date;
}

/** The summary of one run: the last line the job writes. */
export interface DriftSummary {
  readonly status: 'ok' | 'drift' | 'violations' | 'insufficient_data' | 'no_data';
  readonly drift_detected: boolean;
  readonly violations_detected: boolean;
  /** 1 when the share of drifted features reached `dataset_drift_share`. */
  readonly dataset_drift?: 0 | 1;
  /** Drifted features / evaluated features. */
  readonly drift_share?: number;
  readonly dataset_drift_share?: number;
  readonly features_total: number;
  /** Features with a verdict (enough data, comparison enabled). */
  readonly features_evaluated?: number;
  readonly features_insufficient?: number;
  readonly features_drifted: number;
  readonly drifted_features: readonly string[];
  readonly violations: readonly { readonly feature: string; readonly check: string }[];
  readonly violations_total?: number;
  readonly alpha?: number;
  readonly correction?: string;
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
  /** Notes on how the baseline was read (old format fallbacks, ignored settings). */
  readonly baseline_warnings?: readonly string[];
  /** Where the report was written, when one was asked for. */
  readonly report?: string;
  readonly baseline_uri: string;
  readonly capture_uri: string;
  readonly duration_ms: number;
}

const round = (x: number | null): number | null => (x === null ? null : Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : null);
// p-values span many orders of magnitude: keep 4 significant digits instead of 6 decimals.
const roundP = (x: number | null): number | null => (x === null ? null : Number(x.toPrecision(4)));

/** One `feature_drift` line. */
export function featureLine(result: FeatureDriftResult, ctx: WindowContext, format: LogFormat): Record<string, unknown> {
  const line: Record<string, unknown> = {
    event: 'feature_drift',
    model: ctx.model,
    feature: result.feature,
    inferred_type: result.inferred_type,
    verdict: result.verdict,
    drifted: result.drifted ? 1 : 0,
    test: result.test,
    distance: round(result.distance),
    threshold: result.threshold,
    p_value: roundP(result.p_value),
    p_value_adjusted: roundP(result.p_value_adjusted),
    alpha: result.alpha,
    method: result.method,
    linf_distance: round(result.linf_distance),
    wasserstein: round(result.wasserstein),
    jensen_shannon: round(result.jensen_shannon),
    psi: round(result.psi),
    psi_threshold: result.psi_threshold,
    threshold_crossed: result.threshold_crossed,
    window_size: result.window_size,
    baseline_size: result.baseline_size,
    completeness: round(result.completeness),
    baseline_completeness: round(result.baseline_completeness),
    type_match_ratio: round(result.type_match_ratio),
    domain_ratio: round(result.domain_ratio),
    new_categories: result.new_categories,
    num_present: result.num_present,
    num_missing: result.num_missing,
    violations: result.violations,
    emit_metrics: result.emit_metrics,
    window_start: ctx.windowStart.toISOString(),
    window_end: ctx.windowEnd.toISOString(),
  };
  if (format === 'aws') {
    line.Model = ctx.model;
    line.Feature = result.feature;
    if (!result.emit_metrics) return line;
    const metrics: EmfMetric[] = [];
    const put = (name: string, value: number | null) => {
      if (value === null) return;
      metrics.push({ Name: name, Unit: 'None' });
      line[name] = value;
    };
    put('FeatureDrifted', line.drifted as number);
    put('FeatureDistance', line.distance as number | null);
    put('FeaturePValue', line.p_value_adjusted as number | null);
    put('FeatureDrift', line.linf_distance as number | null);
    put('FeaturePsi', line.psi as number | null);
    line._aws = emf(ctx, [['Model', 'Feature']], metrics);
  } else if (format === 'gcp') {
    const flagged = result.drifted || result.violations.length > 0;
    const message = `feature ${result.feature}: ${result.verdict} (${result.test} distance ${fmt(result.distance)}, p ${fmt(result.p_value_adjusted)}, psi ${fmt(result.psi)})`;
    return gcp(line, flagged ? 'WARNING' : 'INFO', message, ctx.model, result.feature);
  }
  return line;
}

/** The `constraint_violations` line: one per window with rows, a count per check (0 when it passed). */
export function violationsLine(violations: readonly Violation[], ctx: WindowContext, format: LogFormat, emitMetrics = true): Record<string, unknown> {
  const counts = countByCheck(violations);
  const total = CONSTRAINT_CHECKS.reduce((s, c) => s + counts[c], 0);
  const line: Record<string, unknown> = {
    event: 'constraint_violations',
    model: ctx.model,
    total,
    ...counts,
    violations: violations.slice(0, 100).map((v) => ({ feature: v.feature, check: v.check, description: v.description })),
    emit_metrics: emitMetrics,
    window_start: ctx.windowStart.toISOString(),
    window_end: ctx.windowEnd.toISOString(),
  };
  if (format === 'aws') {
    line.Model = ctx.model;
    if (!emitMetrics) return line;
    line.ConstraintViolations = total;
    for (const check of CONSTRAINT_CHECKS) line[VIOLATION_METRICS[check]] = counts[check];
    line._aws = emf(ctx, [['Model']], [{ Name: 'ConstraintViolations', Unit: 'Count' }, ...CONSTRAINT_CHECKS.map((c) => ({ Name: VIOLATION_METRICS[c], Unit: 'Count' as const }))]);
  } else if (format === 'gcp') {
    const failed = CONSTRAINT_CHECKS.filter((c) => counts[c] > 0).map((c) => `${c} ${counts[c]}`);
    return gcp(line, total > 0 ? 'WARNING' : 'INFO', `constraint violations: ${total}${failed.length > 0 ? ` (${failed.join(', ')})` : ''}`, ctx.model);
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
  if (summary.drift_share !== undefined) line.drift_share = round(summary.drift_share);
  if (format === 'aws') {
    line.Model = ctx.model;
    line.DriftedFeatures = summary.features_drifted;
    line.DatasetDrift = summary.dataset_drift ?? 0;
    line.DriftedFeatureShare = round(summary.drift_share ?? 0);
    line.CaptureRecords = summary.records;
    line.MalformedCaptureLines = summary.malformed_lines;
    line._aws = emf(ctx, [['Model']], [
      { Name: 'DriftedFeatures', Unit: 'Count' },
      { Name: 'DatasetDrift', Unit: 'None' },
      { Name: 'DriftedFeatureShare', Unit: 'None' },
      { Name: 'CaptureRecords', Unit: 'Count' },
      { Name: 'MalformedCaptureLines', Unit: 'Count' },
    ]);
  } else if (format === 'gcp') {
    const severity = summary.status === 'ok' ? 'INFO' : summary.status === 'no_data' || summary.status === 'insufficient_data' ? 'NOTICE' : 'WARNING';
    const message = `drift check ${summary.status}: ${summary.features_drifted}/${summary.features_evaluated ?? summary.features_total} features drifted, ${summary.violations_total ?? summary.violations.length} constraint violations, ${summary.records} records, ${summary.malformed_lines} malformed lines`;
    return gcp(line, severity, message, ctx.model);
  }
  return line;
}

/** The `drift_job_error` line written before exiting with code 2. */
export function errorLine(model: string, error: string, format: LogFormat, timestamp: Date): Record<string, unknown> {
  const line = { event: 'drift_job_error', model, error, time: timestamp.toISOString() };
  return format === 'gcp' ? gcp(line, 'ERROR', `drift job failed: ${error}`, model) : line;
}

function emf(ctx: WindowContext, dimensions: string[][], metrics: EmfMetric[]): Record<string, unknown> {
  return emfMetadata(DRIFT_METRIC_NAMESPACE, ctx.timestamp, dimensions, metrics);
}

function gcp(line: Record<string, unknown>, severity: GcpSeverity, message: string, model: string, feature?: string): Record<string, unknown> {
  return gcpStructuredLine(line, severity, message, feature === undefined ? { model } : { model, feature });
}

function fmt(x: number | null): string {
  return x === null ? 'n/a' : Math.abs(x) > 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4);
}
