import { TerraformStack, Testing } from 'cdktf';
import { InferenceAlerts } from '../../lib/azure/inference-alerts';
import { RG, WORKSPACE } from './private/fixtures';
import { all, only, ref, synth, Synthesized } from './private/synth';

const APP_ID = `${RG.id}/providers/Microsoft.App/containerApps/ca-fraud`;

describe('InferenceAlerts', () => {
  let json: Synthesized;
  beforeAll(() => {
    json = synth((s) => new InferenceAlerts(s, 'Alerts', {
      spec: { name: 'fraud', image: 'x.azurecr.io/f:1', scaling: { maxInstances: 7 }, monitoring: { alarmEmails: ['oncall@example.com', 'ml@example.com'], latencyP99Ms: 800, driftThreshold: 0.15, psiThreshold: 0.25, driftFeatures: ['amount'] } },
      resourceGroup: RG, location: 'eastus', containerAppId: APP_ID, logAnalyticsWorkspace: WORKSPACE,
      driftJob: { name: 'fraud-drift', maxHoursBetweenRuns: 1 },
    }));
  });

  const logAlert = (name: string) => Object.values(all(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')).find((a) => a.name === name)!;

  const alert = (metric: string) => Object.values(all(json, 'azurerm_monitor_metric_alert')).find((a) => a.criteria[0].metric_name === metric)!;

  it('emails every address of the spec through one action group', () => {
    expect(only(json, 'azurerm_monitor_action_group').email_receiver).toEqual([
      { name: 'email-0', email_address: 'oncall@example.com', use_common_alert_schema: true },
      { name: 'email-1', email_address: 'ml@example.com', use_common_alert_schema: true },
    ]);
  });

  it('alerts on container app response time above the spec latency', () => {
    expect(alert('ResponseTime')).toMatchObject({ scopes: [APP_ID], criteria: [{ metric_namespace: 'Microsoft.App/containerApps', aggregation: 'Average', operator: 'GreaterThan', threshold: 800 }], action: [{ action_group_id: ref(json, 'azurerm_monitor_action_group', 'Alerts/ActionGroup') }] });
  });

  it('alerts on 5xx requests via the statusCodeCategory dimension', () => {
    expect(alert('Requests').criteria[0]).toMatchObject({ aggregation: 'Total', operator: 'GreaterThan', threshold: 10, dimension: [{ name: 'statusCodeCategory', operator: 'Include', values: ['5xx'] }] });
  });

  it('alerts when replicas sit at the spec maximum', () => {
    expect(alert('Replicas')).toMatchObject({ window_size: 'PT15M', criteria: [{ aggregation: 'Maximum', operator: 'GreaterThanOrEqual', threshold: 7 }] });
  });

  it('alerts per feature on the drift job\'s verdict (drifted = 1), for the spec\'s features, from both runners\' lines on the workspace', () => {
    const drift = logAlert('fraud-feature-drift');
    expect(drift).toMatchObject({ scopes: [WORKSPACE.id], evaluation_frequency: 'PT1H', window_duration: 'PT1H', enabled: true, action: { action_groups: [ref(json, 'azurerm_monitor_action_group', 'Alerts/ActionGroup')] } });
    const { query, operator, threshold, time_aggregation_method: agg, dimension } = drift.criteria[0];
    expect({ operator, threshold, agg }).toEqual({ operator: 'GreaterThan', threshold: 0, agg: 'Count' });
    expect(dimension).toEqual([{ name: 'feature', operator: 'Include', values: ['*'] }]);
    expect(query).toContain('ContainerAppConsoleLogs_CL | project TimeGenerated, Line = Log_s');
    expect(query).toContain('AppTraces | project TimeGenerated, Line = Message');
    expect(query).toContain("tostring(record.event) == 'feature_drift' and tostring(record.model) == 'fraud'");
    expect(query).toContain('| where toint(record.drifted) == 1 and tobool(record.emit_metrics) == true');
    expect(query).not.toContain('distance > 0.15');
    expect(query).toContain("feature in ('amount')");
  });

  it('alerts on dataset drift and on constraint violations, to the same action group', () => {
    const group = ref(json, 'azurerm_monitor_action_group', 'Alerts/ActionGroup');
    const dataset = logAlert('fraud-dataset-drift');
    expect(dataset).toMatchObject({ scopes: [WORKSPACE.id], severity: 2, action: { action_groups: [group] }, criteria: [{ time_aggregation_method: 'Count', operator: 'GreaterThan', threshold: 0 }] });
    expect(dataset.criteria[0].query).toContain("tostring(record.event) == 'drift_summary' and tostring(record.model) == 'fraud'\n| where toint(record.dataset_drift) == 1");
    const violations = logAlert('fraud-constraint-violations');
    expect(violations).toMatchObject({ scopes: [WORKSPACE.id], action: { action_groups: [group] }, criteria: [{ time_aggregation_method: 'Count', operator: 'GreaterThan', threshold: 0 }] });
    expect(violations.criteria[0].query).toContain("tostring(record.event) == 'constraint_violations' and tostring(record.model) == 'fraud'\n| where toint(record.total) > 0");
  });

  it('alerts on every drift_job_error line of the model', () => {
    const errors = logAlert('fraud-drift-job-error');
    expect(errors).toMatchObject({ scopes: [WORKSPACE.id], severity: 3, window_duration: 'PT1H', auto_mitigation_enabled: false });
    expect(errors.criteria[0]).toMatchObject({ time_aggregation_method: 'Count', operator: 'GreaterThan', threshold: 0 });
    expect(errors.criteria[0].query).toContain("tostring(record.event) == 'drift_job_error' and tostring(record.model) == 'fraud'");
    expect(errors.description).toContain('az containerapp job execution list -n fraud-drift');
  });

  it('points the error alert at where the drift function logs, and notifies an existing action group', () => {
    const group = '/subscriptions/0/resourceGroups/rg-ops/providers/Microsoft.Insights/actionGroups/ag-oncall';
    const other = synth((s) => new InferenceAlerts(s, 'Alerts', {
      spec: { name: 'fraud', image: 'x', monitoring: { alarmEmails: ['oncall@example.com'] } }, resourceGroup: RG, location: 'eastus', containerAppId: APP_ID, logAnalyticsWorkspace: WORKSPACE,
      driftJob: { name: 'func-fraud', maxHoursBetweenRuns: 1, logsHint: 'AppTraces of function app func-fraud' }, existingActionGroup: { id: group },
    }));
    expect(other.resource.azurerm_monitor_action_group).toBeUndefined();
    for (const a of Object.values(all(other, 'azurerm_monitor_metric_alert'))) expect(a.action).toEqual([{ action_group_id: group }]);
    for (const a of Object.values(all(other, 'azurerm_monitor_scheduled_query_rules_alert_v2'))) expect(a.action.action_groups).toEqual([group]);
    const errors = Object.values(all(other, 'azurerm_monitor_scheduled_query_rules_alert_v2')).find((a) => a.name === 'fraud-drift-job-error')!;
    expect(errors.description).toBe('Drift job func-fraud failed (drift_job_error line): see AppTraces of function app func-fraud');
  });

  it('alerts when no drift_summary line arrived for two hours, counting absence as zero', () => {
    const silent = logAlert('fraud-drift-job-silent');
    expect(silent).toMatchObject({ severity: 2, evaluation_frequency: 'PT1H', window_duration: 'PT2H', auto_mitigation_enabled: true });
    expect(silent.criteria[0]).toMatchObject({ time_aggregation_method: 'Total', metric_measure_column: 'summaries', operator: 'LessThan', threshold: 1, failing_periods: { minimum_failing_periods_to_trigger_alert: 1, number_of_evaluation_periods: 1 } });
    expect(silent.criteria[0].query).toContain("tostring(record.event) == 'drift_summary' and tostring(record.model) == 'fraud'");
    expect(silent.criteria[0].query).toMatch(/\| summarize summaries = count\(\)$/);
  });

  it('creates no silence alert for jobs without a daily bound, and warns when the gap exceeds two days', () => {
    const alertsFor = (maxHoursBetweenRuns?: number) => new InferenceAlerts(new TerraformStack(Testing.app(), 'gaps'), 'Alerts', {
      spec: { name: 'fraud', image: 'x' }, resourceGroup: RG, location: 'eastus', containerAppId: APP_ID, logAnalyticsWorkspace: WORKSPACE,
      driftJob: { name: 'fraud-drift', maxHoursBetweenRuns },
    });
    const manual = alertsFor(undefined);
    expect(manual.driftJobErrorAlert).toBeDefined();
    expect(manual.driftJobSilenceAlert).toBeUndefined();
    const weekly = alertsFor(168);
    expect(weekly.driftJobSilenceAlert).toBeUndefined();
    expect(weekly.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual([expect.stringContaining('runs 168 hours apart exceed the 2-day window')]);
  });

  it('creates a workbook with the serving metrics and drift query', () => {
    const wb = only(json, 'azurerm_application_insights_workbook');
    expect(wb.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const data = JSON.parse(wb.data_json);
    expect(data.items.map((i: { name: string }) => i.name)).toEqual(['title', 'Requests', 'ResponseTime', 'Replicas', 'drift']);
  });

  it('rejects bad alarm emails from the spec', () => {
    expect(() => synth((s) => new InferenceAlerts(s, 'Alerts', { spec: { name: 'fraud', image: 'x', monitoring: { alarmEmails: ['oncall-at-example.com'] } }, resourceGroup: RG, location: 'eastus', containerAppId: APP_ID, logAnalyticsWorkspace: WORKSPACE })))
      .toThrow('InferenceAlerts spec.monitoring.alarmEmails[0]: got "oncall-at-example.com"; expected an email address');
  });
});
