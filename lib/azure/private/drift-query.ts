// The drift contract shared with the scheduled drift job: it prints one JSON object per feature and run
// (to stdout in Container Apps, or as an Application Insights trace), and the alert query reads it back.

/** Fields of one drift record. */
export const DRIFT_RECORD_FIELDS = ['event', 'model', 'feature', 'distance', 'psi', 'threshold', 'threshold_crossed'] as const;
/** Value of `event` in a drift record. */
export const DRIFT_EVENT = 'feature_drift';

/** KQL string literal (single-quoted, escaped). */
function kqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * KQL over the Log Analytics workspace returning one row per drifted feature record of `model`: JSON lines from
 * Application Insights traces (AppTraces.Message) and Container Apps console logs (ContainerAppConsoleLogs_CL.Log_s).
 */
export function driftQuery(model: string, distanceThreshold: number, psiThreshold: number, features: readonly string[]): string {
  const featureFilter = features.length ? `\n| where feature in (${features.map(kqlString).join(', ')})` : '';
  return [
    'union isfuzzy=true',
    '  (AppTraces | project TimeGenerated, Line = Message),',
    '  (ContainerAppConsoleLogs_CL | project TimeGenerated, Line = Log_s)',
    "| where Line has 'feature_drift'",
    '| extend record = parse_json(Line)',
    `| where tostring(record.event) == ${kqlString(DRIFT_EVENT)} and tostring(record.model) == ${kqlString(model)}`,
    '| extend feature = tostring(record.feature), distance = todouble(record.distance), psi = todouble(record.psi), crossed = tobool(record.threshold_crossed)',
    `| where distance > ${distanceThreshold} or psi > ${psiThreshold} or crossed == true`,
  ].join('\n') + featureFilter + '\n| project TimeGenerated, feature, distance, psi';
}
