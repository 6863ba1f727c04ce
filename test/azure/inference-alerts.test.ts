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
    }));
  });

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

  it('queries the drift job records for this model and its thresholds on the workspace', () => {
    const drift = only(json, 'azurerm_monitor_scheduled_query_rules_alert_v2');
    expect(drift).toMatchObject({ scopes: [WORKSPACE.id], evaluation_frequency: 'PT1H', window_duration: 'PT1H', action: { action_groups: [ref(json, 'azurerm_monitor_action_group', 'Alerts/ActionGroup')] } });
    const { query, operator, threshold, time_aggregation_method: agg } = drift.criteria[0];
    expect({ operator, threshold, agg }).toEqual({ operator: 'GreaterThan', threshold: 0, agg: 'Count' });
    expect(query).toContain('AppTraces');
    expect(query).toContain('ContainerAppConsoleLogs_CL');
    expect(query).toContain("tostring(record.event) == 'feature_drift' and tostring(record.model) == 'fraud'");
    expect(query).toContain('distance > 0.15 or psi > 0.25');
    expect(query).toContain("feature in ('amount')");
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
