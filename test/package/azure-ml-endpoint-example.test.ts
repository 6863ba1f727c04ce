// examples/azure-ml-endpoint.ts synthesizes an Azure ML endpoint on a T4 with its alerts and budget, and its cost.
import { Testing } from 'cdktf';
import { EXAMPLES } from '../../examples';
import { estimateMonthlyCost } from '../../lib/core/cost';

describe('azure-ml-endpoint example', () => {
  it('deploys the image on Standard_NC4as_T4_v3 behind Entra ID, with alerts and a budget', () => {
    const example = EXAMPLES.find((e) => e.name === 'azure-ml-endpoint');
    if (!example || example.kind !== 'cdktf') throw new Error('no cdktf example azure-ml-endpoint');
    const [stack] = example.load()(Testing.app());
    const json = JSON.parse(Testing.synth(stack, true));
    const arm = Object.values(json.resource.azapi_resource) as { type: string; body: { properties: Record<string, unknown> } }[];
    const deployment = arm.find((r) => r.type.includes('/onlineEndpoints/deployments@'))!;
    expect(deployment.body.properties).toMatchObject({ instanceType: 'Standard_NC4as_T4_v3', endpointComputeType: 'Managed' });
    expect(arm.find((r) => r.type.includes('/onlineEndpoints@'))!.body.properties.authMode).toBe('AADToken');
    expect(Object.keys(json.resource.azurerm_monitor_metric_alert)).toHaveLength(3);
    expect(Object.values(json.resource.azurerm_consumption_budget_resource_group)).toEqual([expect.objectContaining({ amount: 1500 })]);
  });

  it('costs one to three T4 instances a month, at the recorded price', () => {
    const estimate = estimateMonthlyCost({ name: 'sentiment', image: 'x', compute: 'gpu-t4', scaling: { minInstances: 1, maxInstances: 3 } }, 'azure', { azureServing: 'azure-ml' });
    expect(estimate.lines[0]).toMatchObject({ item: 'Azure ML Standard_NC4as_T4_v3 instances', minUsd: 383.98, maxUsd: 1151.94 });
  });
});
