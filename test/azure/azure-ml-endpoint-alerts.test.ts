import { AzureMlEndpointAlerts } from '../../lib/azure/azure-ml-endpoint-alerts';
import { RG } from './private/fixtures';
import { all, synth } from './private/synth';

const ENDPOINT = `${RG.id}/providers/Microsoft.MachineLearningServices/workspaces/mlw/onlineEndpoints/fraud`;
const DEPLOYMENT = `${ENDPOINT}/deployments/default`;
const ACTION_GROUP = { id: `${RG.id}/providers/Microsoft.Insights/actionGroups/ag-fraud` };
const props = { spec: { name: 'fraud', image: 'x', scaling: { minInstances: 1, maxInstances: 4 }, monitoring: { latencyP99Ms: 800 } }, resourceGroup: RG, endpointId: ENDPOINT, deploymentId: DEPLOYMENT, actionGroup: ACTION_GROUP };

describe('AzureMlEndpointAlerts', () => {
  const json = synth((s) => new AzureMlEndpointAlerts(s, 'Alerts', props));
  const byMetric = (name: string) => Object.values(all(json, 'azurerm_monitor_metric_alert')).find((a) => a.criteria[0].metric_name === name)!;

  it('alerts on the endpoint\'s p99 latency above the spec threshold', () => {
    expect(byMetric('RequestLatency_P99')).toMatchObject({ scopes: [ENDPOINT], window_size: 'PT5M', criteria: [{ metric_namespace: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints', aggregation: 'Average', operator: 'GreaterThan', threshold: 800 }] });
  });

  it('alerts on more than 10 5xx answers in 5 minutes', () => {
    expect(byMetric('RequestsPerMinute')).toMatchObject({ scopes: [ENDPOINT], severity: 1, criteria: [{ aggregation: 'Total', threshold: 10, dimension: [{ name: 'statusCodeClass', operator: 'Include', values: ['5xx'] }] }] });
  });

  it('alerts when the deployment sits at its maximum instance count for 15 minutes', () => {
    expect(byMetric('DeploymentCapacity')).toMatchObject({ scopes: [DEPLOYMENT], window_size: 'PT15M', criteria: [{ metric_namespace: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments', aggregation: 'Maximum', operator: 'GreaterThanOrEqual', threshold: 4 }] });
    for (const a of Object.values(all(json, 'azurerm_monitor_metric_alert'))) expect(a.action).toEqual([{ action_group_id: ACTION_GROUP.id }]);
  });

  it('rejects an error threshold below 1', () => {
    expect(() => synth((s) => new AzureMlEndpointAlerts(s, 'Alerts', { ...props, serverErrorsPer5Minutes: 0 }))).toThrow('AzureMlEndpointAlerts serverErrorsPer5Minutes: got 0; expected an integer from 1 to 1000000');
  });
});
