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

import { CONSTRAINT_CHECKS } from '../../runtime/drift/constraint-checks';

/** Value of `event` in a per-feature line. */
export const DRIFT_EVENT = 'feature_drift';
/** Value of `event` in the one constraint-violations line of each run with rows. */
export const VIOLATIONS_EVENT = 'constraint_violations';
/** Value of `event` in the one summary line of each run. */
export const DRIFT_SUMMARY_EVENT = 'drift_summary';
/** Value of `event` in the line a run writes before exiting with code 2. */
export const DRIFT_JOB_ERROR_EVENT = 'drift_job_error';

/** One test on a field of a line: `to<type>(record.<field>) <op> <value>` in KQL. */
export interface LineCondition {
  readonly field: string;
  readonly type: 'int' | 'bool' | 'double' | 'string';
  readonly op: '==' | '>';
  readonly value: number | boolean | string;
}

/** Which lines an alert counts: the event name plus conditions on the line's own fields (docs/drift.md contract). */
export interface LineSelector {
  readonly event: string;
  readonly conditions: readonly LineCondition[];
}

// The verdict, not a raw distance: `drifted` is 1 only when the job's test (with its noise gate and the
// multiple-testing correction) says so. `emit_metrics: false` (Model Monitor's "Disabled") publishes nothing on
// AWS; here it keeps the line out of the alert the same way.
/** A feature the job judged drifted. */
export const DRIFTED_FEATURE: LineSelector = {
  event: DRIFT_EVENT,
  conditions: [{ field: 'drifted', type: 'int', op: '==', value: 1 }, { field: 'emit_metrics', type: 'bool', op: '==', value: true }],
};
/** A run whose share of drifted features reached `dataset_drift_share`. */
export const DATASET_DRIFT: LineSelector = {
  event: DRIFT_SUMMARY_EVENT,
  conditions: [{ field: 'dataset_drift', type: 'int', op: '==', value: 1 }],
};
/** A run with at least one failed constraint check (missing/extra column, type, new categories, completeness). */
export const CONSTRAINT_VIOLATIONS: LineSelector = {
  event: VIOLATIONS_EVENT,
  conditions: [{ field: 'total', type: 'int', op: '>', value: 0 }, { field: 'emit_metrics', type: 'bool', op: '==', value: true }],
};

/** KQL string literal (single-quoted, escaped). */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A monitoring job's lines of `event` for `model` (drift or quality job, either runner), each parsed into `record`. */
export function jobRecords(event: string, model: string): string[] {
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

/** A condition in KQL over `record`. */
export function kqlCondition(c: LineCondition): string {
  const value = typeof c.value === 'string' ? kqlString(c.value) : String(c.value);
  return `to${c.type}(record.${c.field}) ${c.op} ${value}`;
}

/** The lines of `model` that `selector` picks. */
function selected(selector: LineSelector, model: string): string[] {
  return [...jobRecords(selector.event, model), `| where ${selector.conditions.map(kqlCondition).join(' and ')}`];
}

/**
 * Whether `line` (a parsed JSON log line) is one `selector` picks: the KQL's semantics in JavaScript, so tests run
 * the drift job's emitter and check its lines against the same selector the alert query is built from.
 */
export function selects(selector: LineSelector, line: Readonly<Record<string, unknown>>): boolean {
  if (line.event !== selector.event) return false;
  return selector.conditions.every((c) => {
    const raw = line[c.field];
    const value = c.type === 'bool' ? raw === true || raw === 'true' : c.type === 'string' ? String(raw) : Number(raw);
    return c.op === '==' ? value === c.value : typeof value === 'number' && value > (c.value as number);
  });
}

/**
 * One row per feature line of `model` the job judged drifted (`drifted == 1`), restricted to `features` when given;
 * the `feature` column is the alert's dimension, so each feature fires (and resolves) on its own.
 */
export function driftQuery(model: string, features: readonly string[]): string {
  return [
    ...selected(DRIFTED_FEATURE, model),
    '| extend feature = tostring(record.feature)',
    ...(features.length ? [`| where feature in (${features.map(kqlString).join(', ')})`] : []),
    '| project TimeGenerated, feature, test = tostring(record.test), distance = todouble(record.distance), p_value = todouble(record.p_value_adjusted), psi = todouble(record.psi)',
  ].join('\n');
}

/** One row per run of `model` whose summary says the dataset drifted. */
export function datasetDriftQuery(model: string): string {
  return [
    ...selected(DATASET_DRIFT, model),
    '| project TimeGenerated, drift_share = todouble(record.drift_share), features_drifted = toint(record.features_drifted), drifted_features = tostring(record.drifted_features)',
  ].join('\n');
}

/** One row per run of `model` with constraint violations, a column per check (the emitter's check names). */
export function constraintViolationsQuery(model: string): string {
  return [
    ...selected(CONSTRAINT_VIOLATIONS, model),
    `| project TimeGenerated, total = toint(record.total), ${CONSTRAINT_CHECKS.map((c) => `${c} = toint(record.${c})`).join(', ')}`,
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
