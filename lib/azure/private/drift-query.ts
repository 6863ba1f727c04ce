// KQL over the drift job's lines (lib/runtime/drift, LOG_FORMAT=azure: one JSON object per line) as Log Analytics
// stores them for a Container Apps job (console logs) or the drift function (traces), for the alerts and the workbook.
//
// Where the lines land: an environment with `logs_destination = "log-analytics"` (ContainerAppServing) writes
// console output to the custom-log table `ContainerAppConsoleLogs_CL`, the line in `Log_s` (Microsoft Learn,
// "Monitor logs in Azure Container Apps with Log Analytics", articles/container-apps/log-monitoring.md; the jobs
// quickstart, articles/container-apps/jobs-get-started-cli.md, reads job executions from the same table). With the
// `azure-monitor` destination and a diagnostic setting, the same lines land in the resource-specific table
// `ContainerAppConsoleLogs`, column `Log` (Azure Monitor table reference "ContainerAppConsoleLogs"). The queries
// read both through a fuzzy union: the built-in table always resolves, so the rule stays valid before the first
// line creates the `_CL` table, and a switch of destination keeps the alerts working.
//
// The drift function (DriftFunction, Flex Consumption) logs the same lines as traces of its invocations: with a
// workspace-based Application Insights they land in the workspace's `AppTraces` table, the line in `Message`
// (Azure Monitor table reference "AppTraces"). The union reads all three, so either runner feeds the same alerts.
//
// Records are matched on the `model` field of the line, not on the job-name column: the line says which model it
// measured, and the job column is named differently in each schema.

/** Value of `event` in a per-feature line. */
export const DRIFT_EVENT = 'feature_drift';
/** Value of `event` in the one summary line of each run. */
export const DRIFT_SUMMARY_EVENT = 'drift_summary';
/** Value of `event` in the line a run writes before exiting with code 2. */
export const DRIFT_JOB_ERROR_EVENT = 'drift_job_error';

/** KQL string literal (single-quoted, escaped). */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The drift job's lines of `event` for `model`, each parsed into `record`. */
function jobRecords(event: string, model: string): string[] {
  return [
    'union isfuzzy=true',
    '  (ContainerAppConsoleLogs_CL | project TimeGenerated, Line = Log_s),',
    '  (ContainerAppConsoleLogs | project TimeGenerated, Line = Log),',
    '  (AppTraces | project TimeGenerated, Line = Message)',
    // `has` uses the term index and drops most lines before parse_json.
    `| where Line has ${kqlString(event)}`,
    '| extend record = parse_json(Line)',
    `| where tostring(record.event) == ${kqlString(event)} and tostring(record.model) == ${kqlString(model)}`,
  ];
}

/**
 * One row per drifted feature line of `model`: the job marked it `threshold_crossed` (which, with the Robust
 * comparison, also needs the distance to beat the KS critical value) and it is beyond the spec's thresholds, which
 * the job received as DRIFT_THRESHOLD / PSI_THRESHOLD.
 */
export function driftQuery(model: string, distanceThreshold: number, psiThreshold: number, features: readonly string[]): string {
  return [
    ...jobRecords(DRIFT_EVENT, model),
    '| extend feature = tostring(record.feature), distance = todouble(record.distance), psi = todouble(record.psi), crossed = tobool(record.threshold_crossed)',
    `| where crossed == true and (distance > ${distanceThreshold} or psi > ${psiThreshold})`,
    ...(features.length ? [`| where feature in (${features.map(kqlString).join(', ')})`] : []),
    '| project TimeGenerated, feature, distance, psi',
  ].join('\n');
}

/** One row per `drift_job_error` line of `model` (unreadable baseline, storage error, bad flags: exit code 2). */
export function driftJobErrorQuery(model: string): string {
  return [...jobRecords(DRIFT_JOB_ERROR_EVENT, model), '| project TimeGenerated, error = tostring(record.error)'].join('\n');
}

/**
 * Always exactly one row: `summaries`, the number of `drift_summary` lines of `model` in the window (0 when there
 * are none, so "no run finished" is a value the alert compares rather than an absence it cannot see).
 */
export function driftSummaryCountQuery(model: string): string {
  return [...jobRecords(DRIFT_SUMMARY_EVENT, model), '| summarize summaries = count()'].join('\n');
}

/**
 * The shortest log-alert window of at least `hours` that azurerm accepts for a rule evaluated hourly
 * (PT1H..PT6H, P1D, P2D), or undefined beyond the 2-day maximum.
 */
export function silenceWindow(hours: number): string | undefined {
  if (hours <= 6) return `PT${Math.max(1, Math.ceil(hours))}H`;
  if (hours <= 24) return 'P1D';
  return hours <= 48 ? 'P2D' : undefined;
}
