// AzureModelStack with serving 'azure-ml': the azapi provider, the endpoint in the stack's workspace, alerts, budget,
// the batch function's call, and the options that have no meaning there.
import { Testing } from 'cdktf';
import { AzureModelStack, AzureModelStackProps } from '../../lib/azure/azure-model-stack';
import { ExistingAzure } from '../../lib/azure/existing-azure';
import { parseReviewMetadata, REVIEW_METADATA_KEY } from '../../lib/core/review-contract';
import { all, at, only, parse, ref, Synthesized } from './private/synth';

const props = (over: Partial<AzureModelStackProps> = {}): AzureModelStackProps => ({
  spec: { name: 'fraud', image: 'docker.io/acme/fraud:1', monthlyBudgetUsd: 900, monitoring: { alarmEmails: ['oncall@example.com'] }, serving: { port: 8000, healthPath: '/healthz', predictPath: '/v1/predict' } },
  serving: 'azure-ml',
  ...over,
});
const ofType = (json: Synthesized, type: string) => Object.values(all(json, 'azapi_resource')).filter((r) => r.type.startsWith(`Microsoft.MachineLearningServices/workspaces/${type}@`));

describe('AzureModelStack with serving "azure-ml"', () => {
  let json: Synthesized;
  beforeAll(() => { json = parse(new AzureModelStack(Testing.app(), 'model', props())); });

  it('declares the azapi provider from the registry with a 2.x constraint', () => {
    expect(json.terraform!.required_providers.azapi).toEqual({ source: 'azure/azapi', version: '~> 2.0' });
    expect(json.provider!.azapi).toHaveLength(1);
  });

  it('creates the endpoint and its deployment in the stack\'s workspace, and no Container Apps or API Management', () => {
    const [endpoint] = ofType(json, 'onlineEndpoints');
    expect(endpoint.parent_id).toBe(ref(json, 'azurerm_machine_learning_workspace', 'Workspace'));
    expect(endpoint.body.properties.authMode).toBe('AADToken');
    const [deployment] = ofType(json, 'onlineEndpoints/deployments');
    expect(deployment.body.properties).toMatchObject({ endpointComputeType: 'Managed', instanceType: 'Standard_DS3_v2' });
    expect(deployment.body.properties.dataCollector.collections).toHaveProperty('request');
    for (const type of ['azurerm_container_app', 'azurerm_container_app_environment', 'azurerm_api_management']) expect(json.resource[type]).toBeUndefined();
  });

  it('has the batch function call the endpoint\'s /score with a token for Azure ML, holding the score-only role', () => {
    const settings = at(json, 'azurerm_function_app_flex_consumption', 'Batch/Function').app_settings;
    expect(settings).toMatchObject({ BACKEND_AUDIENCE: 'https://ml.azure.com', PREDICT_PATH: '/score' });
    expect(settings.SERVING_URL).toMatch(/^\$\{trimsuffix\(azapi_resource\.Serving_Endpoint_[0-9A-F]{8}\.output\.properties\.scoringUri, "\/score"\)\}$/);
    const scorer = Object.values(all(json, 'azurerm_role_assignment')).find((r) => r.role_definition_id !== undefined)!;
    expect(scorer.principal_id).toBe(ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-batch', 'principal_id'));
  });

  it('alerts on the endpoint\'s p99 latency and 5xx answers and the deployment at max, notifying the action group', () => {
    const alerts = Object.values(all(json, 'azurerm_monitor_metric_alert'));
    expect(alerts.map((a) => a.criteria[0].metric_name).sort()).toEqual(['DeploymentCapacity', 'RequestLatency_P99', 'RequestsPerMinute']);
    for (const a of alerts) {
      expect(a.scopes[0]).toMatch(/^\$\{azapi_resource\.Serving_(Endpoint|Deployment)_/);
      expect(a.action[0].action_group_id).toBe(ref(json, 'azurerm_monitor_action_group', 'Alerts/ActionGroup'));
    }
    expect(alerts.find((a) => a.criteria[0].metric_name === 'RequestsPerMinute')!.criteria[0].dimension).toEqual([{ name: 'statusCodeClass', operator: 'Include', values: ['5xx'] }]);
  });

  it('keeps the drift log alerts, without the Container Apps metric alerts or workbook', () => {
    expect(Object.keys(all(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')).sort()).toEqual([
      'Alerts_ConstraintViolationsAlert_9550CF34', 'Alerts_DatasetDriftAlert_A70F9E15', 'Alerts_DriftAlert_94EB2E0B',
      'Alerts_DriftJobErrorAlert_C4A3EF77', 'Alerts_DriftJobSilenceAlert_A78216EE',
    ]);
    expect(json.resource.azurerm_application_insights_workbook).toBeUndefined();
  });

  it('keeps the budget on the resource group', () => {
    expect(only(json, 'azurerm_consumption_budget_resource_group').amount).toBe(900);
  });

  it('outputs the scoring URI and records azure-ml serving for the cost review', () => {
    expect(json.output!.api_url.value).toMatch(/azapi_resource\.Serving_Endpoint_.*\.output\.properties\.scoringUri/);
    const stack = new AzureModelStack(Testing.app(), 'model', props());
    const { entries } = parseReviewMetadata((stack.toTerraform() as { '//': Record<string, unknown> })['//'][REVIEW_METADATA_KEY], 'model');
    // 3 endpoint metric alerts + feature drift, dataset drift, constraint violations, drift-job-error and drift-job-silent log alerts.
    expect(entries[0].costOptions).toMatchObject({ azureServing: 'azure-ml', alarmCount: 8 });
  });

  it('pulls a private image from the registry linked to the workspace', () => {
    const registry = ExistingAzure.containerRegistryFromId('/subscriptions/0/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/crfraud');
    const withAcr = parse(new AzureModelStack(Testing.app(), 'model', props({ spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1' }, existingRegistry: registry })));
    expect(only(withAcr, 'azurerm_machine_learning_workspace').container_registry_id).toBe(registry.id);
  });

  it.each([
    ['API Management in front', { apiFront: true }, 'AzureModelStack apiFront: got true; expected nothing with serving "azure-ml"'],
    ['a registry to create', { registryName: 'crfraud' }, 'AzureModelStack registryName: got "crfraud"; expected nothing with serving "azure-ml"'],
    ['private networking', { privateNetworking: { environmentSubnetId: 'x', privateEndpointSubnetId: 'y' } }, 'AzureModelStack privateNetworking: got "set"; expected nothing with serving "azure-ml" yet'],
    ['a drift job image', { driftJobImage: 'docker.io/a/drift:1' }, 'AzureModelStack driftJobImage: got "docker.io/a/drift:1"; expected nothing with serving "azure-ml"'],
    ['no workspace', { mlWorkspace: false }, 'AzureModelStack mlWorkspace: got false; expected true with serving "azure-ml"'],
    ['an unknown serving plane', { serving: 'vertex' }, 'AzureModelStack serving: got "vertex"; expected one of "container-apps", "azure-ml"'],
    ['a compute class with no Azure ML size', { spec: { name: 'fraud', image: 'docker.io/a/b:1', compute: 'gpu-v100' } }, 'AzureMlEndpoint spec.compute: got "gpu-v100"'],
    ['a framework instead of an image', { spec: { name: 'fraud', framework: { name: 'sklearn', version: '1.2-1' } } }, 'spec.framework'],
  ])('refuses %s', (_what, over, message) => {
    expect(() => new AzureModelStack(Testing.app(), 'model', props(over as Partial<AzureModelStackProps>))).toThrow(message);
  });
});
