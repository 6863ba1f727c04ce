// KQL over the quality job's lines (lib/runtime/quality, LOG_FORMAT=azure: one `quality_summary` JSON line per run,
// or `quality_job_error`), read from the same tables as the drift lines (drift-query.ts). The alerts key on the
// job's own verdicts: its `violations` list (what crossed which threshold) and its `status`.
import { jobRecords, kqlString } from './drift-query';

export const QUALITY_SUMMARY_EVENT = 'quality_summary';
export const QUALITY_JOB_ERROR_EVENT = 'quality_job_error';
/** The `status` of a run whose window had traffic but no label at all. */
export const NO_LABELS_STATUS = 'no_labels';

/** One row per run of `model` whose `violations` name `metric` (the job compared it with the spec's threshold). */
export function qualityMetricQuery(model: string, metric: string): string {
  return [
    ...jobRecords(QUALITY_SUMMARY_EVENT, model),
    '| mv-expand violation = record.violations',
    `| where tostring(violation.metric) == ${kqlString(metric)}`,
    '| project TimeGenerated, value = todouble(violation.value), threshold = todouble(violation.threshold), labelled_events = toint(record.labelled_events), window_end = tostring(record.window_end)',
  ].join('\n');
}

/** One row per run of `model` that saw traffic but no label for any of it. */
export function labelsStoppedQuery(model: string): string {
  return [
    ...jobRecords(QUALITY_SUMMARY_EVENT, model),
    `| where tostring(record.status) == ${kqlString(NO_LABELS_STATUS)}`,
    '| project TimeGenerated, captured_events = toint(record.captured_events), window_end = tostring(record.window_end)',
  ].join('\n');
}

/** One row per `quality_job_error` line of `model`. */
export function qualityJobErrorQuery(model: string): string {
  return [...jobRecords(QUALITY_JOB_ERROR_EVENT, model), '| project TimeGenerated, error = tostring(record.error)'].join('\n');
}
