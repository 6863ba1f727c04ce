// Cloud Logging filters on the drift job's JSON lines (docs/drift.md "Metric and log contract", --format gcp): what the
// log-based metrics and alert policies of ModelAlerting read. Field names follow lib/runtime/drift/emitters.ts; the
// tests run that emitter and match these filters against the entries it writes.
import { CONSTRAINT_CHECKS } from '../runtime/drift/constraint-checks';
import type { DriftRuntime } from './drift-job';

/** The `event` field of each line the drift job writes. */
export const DRIFT_LOG_EVENTS = {
  feature: 'feature_drift',
  violations: 'constraint_violations',
  summary: 'drift_summary',
  error: 'drift_job_error',
} as const;

/** The five counts of the `constraint_violations` line (missing/extra column, type, new categories, completeness). */
export const DRIFT_CONSTRAINT_CHECKS: readonly string[] = CONSTRAINT_CHECKS;

const model = (name: string) => `jsonPayload.model="${name}"`;
const event = (name: string) => `jsonPayload.event="${name}"`;

/**
 * Every `feature_drift` line of a model, e.g.
 * `{"event":"feature_drift","model":"m","feature":"age","verdict":"drift","drifted":1,"distance":0.14,"psi":0.31,...}`:
 * the raw distance and PSI the dashboard charts (not alerted on: the job gates them itself).
 */
export function driftLogFilter(modelName: string): string {
  return `${event(DRIFT_LOG_EVENTS.feature)} AND ${model(modelName)}`;
}

/** The `feature_drift` lines whose verdict is drift (`drifted: 1`), unless monitoring_config disables the feature's metrics. */
export function featureDriftedLogFilter(modelName: string): string {
  return `${driftLogFilter(modelName)} AND jsonPayload.drifted=1 AND jsonPayload.emit_metrics=true`;
}

/** The `drift_summary` lines of runs whose share of drifted features reached `dataset_drift_share` (`dataset_drift: 1`). */
export function datasetDriftLogFilter(modelName: string): string {
  return `${event(DRIFT_LOG_EVENTS.summary)} AND ${model(modelName)} AND jsonPayload.dataset_drift=1`;
}

/** The `constraint_violations` lines of windows with at least one failed check (drift itself is not counted there). */
export function constraintViolationsLogFilter(modelName: string): string {
  return `${event(DRIFT_LOG_EVENTS.violations)} AND ${model(modelName)} AND jsonPayload.total>0 AND jsonPayload.emit_metrics=true`;
}

/** The log entries of the drift job's runner: a Cloud Run job, or the function (a Cloud Run service underneath). */
export function driftRunnerLogFilter(jobName: string, runtime: DriftRuntime = 'cloud-run-job'): string {
  return runtime === 'function'
    ? `resource.type="cloud_run_revision" AND resource.labels.service_name="${jobName}"`
    : `resource.type="cloud_run_job" AND resource.labels.job_name="${jobName}"`;
}

/** The log filter of the drift job's error lines (exit code 2: unreadable baseline, storage error, bad flags). */
export function driftJobErrorLogFilter(jobName: string, runtime: DriftRuntime = 'cloud-run-job'): string {
  return `${driftRunnerLogFilter(jobName, runtime)} AND ${event(DRIFT_LOG_EVENTS.error)}`;
}

/** Failed attempts of a Cloud Scheduler job calling a function (refused, 5xx, past its deadline). */
export function driftSchedulerFailureLogFilter(schedulerJobName: string): string {
  return `resource.type="cloud_scheduler_job" AND resource.labels.job_id="${schedulerJobName}" AND severity>=ERROR`;
}

/** The log filter of the drift summary counter: the one `drift_summary` line each finished run writes. */
export function driftSummaryLogFilter(jobName: string, modelName: string, runtime: DriftRuntime = 'cloud-run-job'): string {
  return `${driftRunnerLogFilter(jobName, runtime)} AND ${event(DRIFT_LOG_EVENTS.summary)} AND ${model(modelName)}`;
}

/** Log-based counter of a model's drifted features (one point per `feature_drift` line with `drifted: 1`), label `feature`. */
export function featuresDriftedMetricName(modelName: string): string {
  return `${modelName}-features-drifted`;
}

/** Log-based counter of a model's runs with dataset drift (`drift_summary` with `dataset_drift: 1`). */
export function datasetDriftMetricName(modelName: string): string {
  return `${modelName}-dataset-drift`;
}

/** Log-based counter of a model's windows with constraint violations, labelled with each check's count. */
export function constraintViolationsMetricName(modelName: string): string {
  return `${modelName}-constraint-violations`;
}
