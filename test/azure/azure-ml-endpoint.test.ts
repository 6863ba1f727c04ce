import { TerraformStack } from 'cdktf';
import { AZURE_ML_API_VERSION, AzureMlEndpoint, AzureMlEndpointProps, SCORE_ACTION } from '../../lib/azure/azure-ml-endpoint';
import { AzapiProvider } from '../../lib/azure/private/azapi';
import { BATCH_ID, container, RG } from './private/fixtures';
import { all, only, roleAssignments, synth, Synthesized } from './private/synth';

const WORKSPACE_ID = `${RG.id}/providers/Microsoft.MachineLearningServices/workspaces/mlw-fraud`;
const REGISTRY = { id: `${RG.id}/providers/Microsoft.ContainerRegistry/registries/crfraud`, loginServer: 'crfraud.azurecr.io' };
const base = (over: Partial<AzureMlEndpointProps> = {}): AzureMlEndpointProps => ({
  spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', scaling: { minInstances: 2, maxInstances: 5, concurrency: 4 }, serving: { port: 8000, healthPath: '/healthz', predictPath: '/v1/predict' }, environment: { LOG_LEVEL: 'info' } },
  resourceGroup: RG, location: 'eastus', workspaceId: WORKSPACE_ID, registry: REGISTRY, ...over,
});
const endpointStack = (over: Partial<AzureMlEndpointProps> = {}) => (s: TerraformStack) => {
  new AzapiProvider(s, 'azapi');
  new AzureMlEndpoint(s, 'Serving', base(over));
};
/** The azapi_resource of an ARM type (without the API version). */
const armOf = (json: Synthesized, type: string) => {
  const found = Object.values(all(json, 'azapi_resource')).filter((r) => r.type === `Microsoft.MachineLearningServices/workspaces/${type}@${AZURE_ML_API_VERSION}`);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};
const key = (json: Synthesized, type: string, id: string) => `\${${type}.${Object.keys(all(json, type)).find((k) => k.startsWith(`${id}_`))}.id}`;

describe('AzureMlEndpoint', () => {
  let json: Synthesized;
  beforeAll(() => {
    json = synth(endpointStack({ invokerPrincipalIds: [BATCH_ID.principalId], dataCollection: { container: container('capture'), prefix: 'azureml/fraud' } }));
  });

  it('creates an online endpoint in the workspace with Entra ID tokens only, a system identity and public access', () => {
    expect(armOf(json, 'onlineEndpoints')).toMatchObject({
      parent_id: WORKSPACE_ID, location: 'eastus', identity: [{ type: 'SystemAssigned' }], response_export_values: ['properties.scoringUri'],
      body: { properties: { authMode: 'AADToken', publicNetworkAccess: 'Enabled' } },
    });
  });

  it('registers the image as an environment whose routes are spec.serving\'s port and paths', () => {
    const version = armOf(json, 'environments/versions');
    expect(version.parent_id).toBe(key(json, 'azapi_resource', 'Serving_Environment'));
    expect(version.body.properties).toEqual({
      image: 'crfraud.azurecr.io/fraud:1', osType: 'Linux',
      inferenceConfig: { livenessRoute: { path: '/healthz', port: 8000 }, readinessRoute: { path: '/healthz', port: 8000 }, scoringRoute: { path: '/v1/predict', port: 8000 } },
    });
    expect(version.lifecycle).toEqual({ create_before_destroy: true });
  });

  it('deploys a managed deployment on the class\'s instance type with the environment, probes and request settings', () => {
    const deployment = armOf(json, 'onlineEndpoints/deployments');
    expect(deployment.parent_id).toBe(key(json, 'azapi_resource', 'Serving_Endpoint'));
    expect(deployment.body).toMatchObject({
      kind: 'Managed',
      sku: { name: 'Default', capacity: 2 },
      properties: {
        endpointComputeType: 'Managed', instanceType: 'Standard_DS3_v2', environmentId: key(json, 'azapi_resource', 'Serving_EnvironmentVersion'),
        environmentVariables: { LOG_LEVEL: 'info' }, scaleSettings: { scaleType: 'Default' },
        requestSettings: { maxConcurrentRequestsPerInstance: 4, requestTimeout: 'PT60S' },
        livenessProbe: { period: 'PT10S', failureThreshold: 60 }, readinessProbe: { period: 'PT10S' },
      },
    });
  });

  it('sends all traffic to the deployment once it exists', () => {
    expect(only(json, 'azapi_update_resource')).toMatchObject({
      resource_id: key(json, 'azapi_resource', 'Serving_Endpoint'), body: { properties: { traffic: { default: 100 } } },
      depends_on: [expect.stringMatching(/^azapi_resource\.Serving_Deployment_/)],
    });
  });

  it('autoscales the deployment between spec.scaling bounds on CPU with Azure Monitor', () => {
    const autoscale = only(json, 'azurerm_monitor_autoscale_setting');
    expect(autoscale.target_resource_id).toBe(key(json, 'azapi_resource', 'Serving_Deployment'));
    expect(autoscale.profile[0].capacity).toEqual({ minimum: 2, maximum: 5, default: 2 });
    expect(autoscale.profile[0].rule.map((r: Record<string, any>) => [r.metric_trigger.metric_name, r.metric_trigger.operator, r.scale_action.direction])) // eslint-disable-line @typescript-eslint/no-explicit-any
      .toEqual([['CpuUtilizationPercentage', 'GreaterThan', 'Increase'], ['CpuUtilizationPercentage', 'LessThan', 'Decrease']]);
  });

  it('lets invokers score with a custom role holding only the score action, on this endpoint', () => {
    const role = only(json, 'azurerm_role_definition');
    expect(role).toMatchObject({ name: expect.stringMatching(new RegExp(`^Score on fraud-[a-z0-9]{4} \\(${RG.id}\\)$`)), scope: RG.id, permissions: [{ actions: [SCORE_ACTION] }], assignable_scopes: [RG.id] });
    const assignment = Object.values(all(json, 'azurerm_role_assignment')).find((r) => r.role_definition_id !== undefined)!;
    expect(assignment).toMatchObject({ scope: key(json, 'azapi_resource', 'Serving_Endpoint'), principal_id: BATCH_ID.principalId, principal_type: 'ServicePrincipal' });
  });

  it('collects request and response payloads hourly to data assets on a datastore of the capture container, written by the endpoint identity', () => {
    const datastore = only(json, 'azurerm_machine_learning_datastore_blobstorage');
    expect(datastore).toMatchObject({ workspace_id: WORKSPACE_ID, storage_container_id: container('capture').id });
    expect(datastore.account_key).toBeUndefined();
    const collector = armOf(json, 'onlineEndpoints/deployments').body.properties.dataCollector;
    expect(collector.rollingRate).toBe('Hour');
    for (const kind of ['request', 'response']) {
      const data = Object.values(all(json, 'azapi_resource')).find((r) => r.body.properties.dataUri?.endsWith(`/paths/azureml/fraud/${kind}/`))!;
      expect(data.body.properties.dataType).toBe('uri_folder');
      expect(collector.collections[kind]).toEqual({ dataCollectionMode: 'Enabled', dataId: key(json, 'azapi_resource', `Serving_DataVersion-${kind}`), samplingRate: 1 });
    }
    expect(roleAssignments(json)).toContainEqual({ role: 'Storage Blob Data Contributor', scope: container('capture').id, principal: expect.stringMatching(/azapi_resource\.Serving_Endpoint_.*\.identity\[0\]\.principal_id/) });
  });

  it.each([
    ['gpu-t4', 'Standard_NC4as_T4_v3'], ['gpu-l40s', 'Standard_NC24ads_A100_v4'], ['cpu-compute-xlarge', 'Standard_F4s_v2'], ['cpu-2xlarge', 'Standard_DS4_v2'],
  ])('maps compute %s to %s', (compute, instanceType) => {
    const mapped = synth(endpointStack({ spec: { name: 'fraud', image: 'docker.io/acme/fraud:1', compute }, registry: undefined }));
    expect(armOf(mapped, 'onlineEndpoints/deployments').body.properties.instanceType).toBe(instanceType);
  });

  it('turns public access off and key auth on only when asked', () => {
    const closed = synth(endpointStack({ publicNetworkAccess: false, keyAuth: true }));
    expect(armOf(closed, 'onlineEndpoints').body.properties).toMatchObject({ authMode: 'Key', publicNetworkAccess: 'Disabled' });
    expect(closed.resource.azurerm_role_definition).toBeUndefined();
    expect(closed.resource.azurerm_machine_learning_datastore_blobstorage).toBeUndefined();
    expect(armOf(closed, 'onlineEndpoints/deployments').body.properties.dataCollector).toBeUndefined();
  });

  it.each([
    ['a class with no Azure ML size', { spec: { name: 'fraud', image: 'docker.io/a/b:1', compute: 'gpu-v100' } },
      'AzureMlEndpoint spec.compute: got "gpu-v100"; expected a compute class with an Azure ML managed online endpoint size (cpu-xlarge, cpu-2xlarge, cpu-compute-xlarge, gpu-t4, gpu-a10g, gpu-a10g-2xlarge, gpu-l40s): Azure ML managed online endpoints have no V100 size since NCv3'],
    ['scaling to zero', { spec: { name: 'fraud', image: 'docker.io/a/b:1', scaling: { minInstances: 0, maxInstances: 2 } } },
      'AzureMlEndpoint spec.scaling.minInstances: got 0; expected at least 1: Azure ML managed online deployments do not scale to zero'],
    ['an unknown region', { location: 'moon-1' }, 'AzureMlEndpoint location: got "moon-1"; expected an Azure region name'],
    ['a framework instead of an image', { spec: { name: 'fraud', framework: { name: 'sklearn', version: '1.2-1' } } }, 'AzureMlEndpoint spec.framework'],
    ['an ACR image outside the workspace registry', { spec: { name: 'fraud', image: 'other.azurecr.io/fraud:1' } },
      'AzureMlEndpoint spec.image: got "other.azurecr.io/fraud:1"; expected an image in the workspace\'s registry (crfraud.azurecr.io) or a public registry'],
    ['a request timeout over 180 s', { requestTimeoutSeconds: 300 }, 'AzureMlEndpoint requestTimeoutSeconds: got 300; expected an integer from 1 to 180'],
    ['a collection prefix with slashes around it', { dataCollection: { container: container('capture'), prefix: '/x/' } }, 'AzureMlEndpoint dataCollection.prefix: got "/x/"'],
  ])('refuses %s', (_what, over, message) => {
    expect(() => synth(endpointStack(over as Partial<AzureMlEndpointProps>))).toThrow(message);
  });
});
