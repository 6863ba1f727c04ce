// KQL over the explainability job's lines (lib/runtime/explain, LOG_FORMAT=azure: one `feature_importance` line per
// feature and one `explain_summary` line per run, or `explain_job_error`), read from the same tables as the drift and
// quality lines (drift-query.ts): the function's AppTraces, or a Container Apps runner's console logs.
import { jobRecords } from './drift-query';

export const FEATURE_IMPORTANCE_EVENT = 'feature_importance';
export const EXPLAIN_SUMMARY_EVENT = 'explain_summary';
export const EXPLAIN_JOB_ERROR_EVENT = 'explain_job_error';

/** One row per feature per run of `model`: its importance and rank. */
export function featureImportanceQuery(model: string): string {
  return [
    ...jobRecords(FEATURE_IMPORTANCE_EVENT, model),
    '| project TimeGenerated, feature = tostring(record.feature), importance = todouble(record.importance), rank = toint(record.rank), window_end = tostring(record.window_end)',
  ].join('\n');
}

/** Importance per feature over time (one series per feature), for a time chart. */
export function featureImportanceChartQuery(model: string): string {
  return `${featureImportanceQuery(model)}\n| summarize importance = avg(importance) by feature, bin(TimeGenerated, 1d)\n| render timechart`;
}

/** One row per `explain_job_error` line of `model`. */
export function explainJobErrorQuery(model: string): string {
  return [...jobRecords(EXPLAIN_JOB_ERROR_EVENT, model), '| project TimeGenerated, error = tostring(record.error)'].join('\n');
}
