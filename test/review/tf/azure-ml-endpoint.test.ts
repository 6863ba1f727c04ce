// Azure ML online endpoints (azapi_resource) in the Terraform entry-point review.
import { Testing } from 'cdktf';
import { AzureModelStack } from '../../../lib/azure/azure-model-stack';
import { TfContext } from '../../../lib/review/tf/context';
import { reviewTfEntryPoints } from '../../../lib/review/tf/entry-points';

const endpointStack = (properties: Record<string, unknown>) => ({
  resource: { azapi_resource: { endpoint: { type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints@2024-04-01', name: 'fraud', parent_id: '/x', body: { properties } } } },
});
const entryOf = (config: Record<string, unknown>) => reviewTfEntryPoints(new TfContext(config)).find((e) => e.type.startsWith('azapi_resource'));

describe('Azure ML online endpoints in the review', () => {
  it('shows an AADToken endpoint as authenticated by Entra ID, without flags', () => {
    expect(entryOf(endpointStack({ authMode: 'AADToken', publicNetworkAccess: 'Enabled' }))).toEqual({
      resource: 'azapi_resource.endpoint', type: 'azapi_resource (Azure ML online endpoint)', exposure: 'internet (public network access)',
      authentication: 'Entra ID token (AADToken) with the score action on the endpoint', flags: [],
    });
  });

  it('flags key auth and reads a private endpoint', () => {
    expect(entryOf(endpointStack({ authMode: 'Key', publicNetworkAccess: 'Disabled' }))).toMatchObject({
      exposure: 'workspace private endpoints only', authentication: 'endpoint keys (Key)', flags: ['endpoint keys accepted (not tied to a caller identity)'],
    });
  });

  it('reads the endpoint the azure-ml stack synthesizes', () => {
    const stack = new AzureModelStack(Testing.app(), 'model', { spec: { name: 'fraud', image: 'docker.io/acme/fraud:1' }, serving: 'azure-ml' });
    expect(entryOf(JSON.parse(Testing.synth(stack)))).toMatchObject({ exposure: 'internet (public network access)', authentication: expect.stringMatching(/^Entra ID token/), flags: [] });
  });
});
