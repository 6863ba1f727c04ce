import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Fn, Testing } from 'cdktf';
import { addAzureExample } from '../../bin/azure-example';
import { AzureModelStack, AzureModelStackProps } from '../../lib/azure/azure-model-stack';
import { ExistingAzure } from '../../lib/azure/existing-azure';
import { setWarningSink } from '../../lib/core/warnings';
import { CONTAINER_APPS_NAME_PATTERN } from '../../lib/azure/private/azure-facts';
import { parseReviewMetadata, REVIEW_METADATA_KEY } from '../../lib/core/review-contract';
import { all, at, only, parse, ref, roleAssignments, Synthesized } from './private/synth';

const stackOf = (props: AzureModelStackProps, app: App = Testing.app()) => new AzureModelStack(app, 'model', props);
const registry = (name: string) => ExistingAzure.containerRegistryFromId(`/subscriptions/0/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/${name}`);
const printed: string[] = [];
let restoreSink: (line: string) => void;
beforeAll(() => { restoreSink = setWarningSink((line) => printed.push(line)); });
afterAll(() => { setWarningSink(restoreSink); });

describe('AzureModelStack', () => {
  let json: Synthesized;
  let gpu: Synthesized;
  let example: Synthesized;
  beforeAll(() => {
    json = parse(stackOf({
      spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', monthlyBudgetUsd: 800, monitoring: { alarmEmails: ['oncall@example.com'] } },
      customerManagedKey: true,
      existingRegistry: registry('crfraud'),
      backend: { resourceGroupName: 'rg-tfstate', storageAccountName: 'sttfstate0001', containerName: 'tfstate', key: 'fraud.tfstate' },
    }));
    gpu = parse(stackOf({ spec: { name: 'vision', image: 'crvision.azurecr.io/v:1', compute: 'gpu-t4' }, existingRegistry: registry('crvision'), location: 'swedencentral', apiFront: false, batchInference: false, mlWorkspace: false, driftJob: false }));
    const app = Testing.app();
    example = parse(addAzureExample(app));
  });

  it('configures the azurerm provider with storage through Resource Manager only, scoped provider registration and Entra ID storage access', () => {
    expect(json.provider!.azurerm[0]).toMatchObject({ features: [{ storage: [{ data_plane_available: false }] }], resource_provider_registrations: 'none', storage_use_azuread: true });
    expect(json.provider!.azurerm[0].resource_providers_to_register).toContain('Microsoft.App');
  });

  it('keeps state in the azurerm backend with Entra ID auth when asked', () => {
    expect(json.terraform!.backend.azurerm).toMatchObject({ resource_group_name: 'rg-tfstate', container_name: 'tfstate', key: 'fraud.tfstate', use_azuread_auth: true });
  });

  it('outputs the API URL, storage account name and action group id', () => {
    expect(json.output).toMatchObject({
      api_url: { value: `${ref(json, 'azurerm_api_management', 'Api/Service', 'gateway_url')}/fraud` },
      storage_account_name: { value: ref(json, 'azurerm_storage_account', 'Storage/Account', 'name') },
      action_group_id: { value: ref(json, 'azurerm_monitor_action_group', 'Alerts/ActionGroup') },
    });
  });

  it('wires the customer-managed key through the encryption identity and the stack Key Vault', () => {
    expect(only(json, 'azurerm_storage_account_customer_managed_key')).toMatchObject({
      key_vault_id: ref(json, 'azurerm_key_vault', 'Base/KeyVault'),
      user_assigned_identity_id: ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-encryption'),
    });
    expect(roleAssignments(json)).toContainEqual({ role: 'Key Vault Crypto Officer', scope: ref(json, 'azurerm_key_vault', 'Base/KeyVault'), principal: expect.stringMatching(/data\.azurerm_client_config\..*\.object_id/) });
  });

  it('binds the ML workspace to the stack storage, vault, App Insights and registry', () => {
    expect(only(json, 'azurerm_machine_learning_workspace')).toMatchObject({
      storage_account_id: ref(json, 'azurerm_storage_account', 'Storage/Account'),
      key_vault_id: ref(json, 'azurerm_key_vault', 'Base/KeyVault'),
      application_insights_id: ref(json, 'azurerm_application_insights', 'Base/AppInsights'),
      container_registry_id: '/subscriptions/0/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/crfraud',
    });
  });

  it('exposes the app only with Entra ID authentication that admits the API Management identity', () => {
    expect(only(json, 'azurerm_container_app').ingress.external_enabled).toBe(true);
    const params: string = at(json, 'azurerm_resource_group_template_deployment', 'Serving/CallerAuthentication').parameters_content;
    expect(params).toContain(ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-gateway', 'client_id').slice(2, -1));
    expect(only(json, 'azurerm_api_management').identity.identity_ids).toEqual([ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-gateway')]);
    expect(only(json, 'azurerm_api_management_backend').url).toBe(`https://${ref(json, 'azurerm_container_app', 'Serving/App', 'ingress[0].fqdn')}`);
  });

  it('triggers batch inference from the ingestion incoming container', () => {
    expect(only(json, 'azurerm_eventgrid_system_topic').source_resource_id).toBe(ref(json, 'azurerm_storage_account', 'Storage/Account'));
    expect(roleAssignments(json)).toContainEqual({ role: 'Storage Blob Data Reader', scope: ref(json, 'azurerm_storage_container', 'Storage/Container-incoming'), principal: ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-batch', 'principal_id') });
  });

  it('lets the batch function call the serving app with its own Entra ID token for the backend audience', () => {
    const batchClient = ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-batch', 'client_id');
    const servingClient = ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-serving', 'client_id');
    const params: string = at(json, 'azurerm_resource_group_template_deployment', 'Serving/CallerAuthentication').parameters_content;
    expect(params).toContain(batchClient.slice(2, -1));
    expect(at(json, 'azurerm_function_app_flex_consumption', 'Batch/Function').app_settings).toMatchObject({
      SERVING_URL: `https://${ref(json, 'azurerm_container_app', 'Serving/App', 'ingress[0].fqdn')}`,
      BACKEND_AUDIENCE: servingClient,
      ERROR_CONTAINER: ref(json, 'azurerm_storage_container', 'Storage/Container-errors', 'name'),
    });
  });

  it('deploys the bundled batch function in the same apply, uploaded by the deploying principal', () => {
    expect(at(json, 'azurerm_storage_blob', 'Batch/FunctionPackage').name).toBe('released-package.zip');
    expect(roleAssignments(json)).toEqual(expect.arrayContaining([
      { role: 'Storage Blob Data Contributor', scope: ref(json, 'azurerm_storage_container', 'Batch/DeploymentContainer'), principal: expect.stringMatching(/data\.azurerm_client_config\..*\.object_id/) },
      { role: 'Storage Blob Data Contributor', scope: ref(json, 'azurerm_storage_container', 'Storage/Container-errors'), principal: ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-batch', 'principal_id') },
    ]));
    expect(gpu.resource.azurerm_storage_blob).toBeUndefined();
    expect(Object.values(all(gpu, 'azurerm_storage_container')).map((c) => c.name)).not.toContain('errors');
  });

  it('warns, recorded and printed, that an internal serving ingress is out of the batch function\'s reach', () => {
    printed.length = 0;
    const stack = stackOf({ spec: { name: 'fraud', image: 'x.io/f:1' }, apiFront: false, driftJob: false, mlWorkspace: false });
    const warnings = stack.node.metadata.filter((m) => m.type.includes('warn')).map((m) => String(m.data));
    expect(warnings).toContainEqual(expect.stringContaining('batchInference with apiFront off'));
    expect(printed).toContainEqual(expect.stringMatching(/^\[deploy-ai-smarter\] WARNING model: AzureModelStack batchInference with apiFront off/));
  });

  it('alerts on the serving app and emails the spec addresses', () => {
    for (const a of Object.values(all(json, 'azurerm_monitor_metric_alert'))) expect(a.scopes).toEqual([ref(json, 'azurerm_container_app', 'Serving/App')]);
    expect(only(json, 'azurerm_monitor_action_group').email_receiver[0].email_address).toBe('oncall@example.com');
  });

  it('runs the drift check as the bundled drift function on the stack baseline and the serving app capture folder', () => {
    const account = at(json, 'azurerm_storage_account', 'Storage/Account').name;
    const captureUri = `https://${account}.blob.core.windows.net/capture/fraud/`;
    const drift = at(json, 'azurerm_function_app_flex_consumption', 'Drift/Function');
    expect(drift.app_settings).toMatchObject({
      MODEL_NAME: 'fraud', BASELINE_URI: `https://${account}.blob.core.windows.net/baseline/`, CAPTURE_URI: captureUri, DRIFT_THRESHOLD: '0.1', PSI_THRESHOLD: '0.2',
      WINDOW_HOURS: '1', LOG_FORMAT: 'azure', DRIFT_EXIT_CODE: '0', DRIFT_SCHEDULE: '0 5 * * * *',
      AZURE_CLIENT_ID: ref(json, 'azurerm_user_assigned_identity', 'Drift/Identity', 'client_id'),
    });
    expect(at(json, 'azurerm_storage_blob', 'Drift/FunctionPackage')).toMatchObject({ name: 'released-package.zip', source: expect.stringMatching(/azure-drift-function|FunctionAsset/) });
    expect(json.resource.azurerm_container_app_job).toBeUndefined();
    expect(only(json, 'azurerm_container_app').template.container[0].env).toContainEqual({ name: 'CAPTURE_URI', value: captureUri });
    expect(at(json, 'azurerm_function_app_flex_consumption', 'Batch/Function').app_settings.CAPTURE_URI).toBe(captureUri);
    expect(json.output!.drift_job_name.value).toBe(ref(json, 'azurerm_function_app_flex_consumption', 'Drift/Function', 'name'));
  });

  it('synthesizes no npx anywhere: nothing is downloaded at run time', () => {
    for (const stack of [json, gpu, example]) expect(JSON.stringify(stack)).not.toMatch(/npx/);
    const imageJob = parse(stackOf({ spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1' }, existingRegistry: registry('crfraud'), driftJobImage: 'crfraud.azurecr.io/drift-job:1.0.0', batchInference: false, mlWorkspace: false }));
    expect(JSON.stringify(imageJob)).not.toMatch(/npx/);
  });

  it('runs a pushed drift-job image as a Container Apps job pulled from the serving registry', () => {
    const imageJob = parse(stackOf({ spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1' }, existingRegistry: registry('crfraud'), driftJobImage: 'crfraud.azurecr.io/drift-job:1.0.0', batchInference: false, mlWorkspace: false }));
    const job = only(imageJob, 'azurerm_container_app_job');
    expect(job).toMatchObject({ name: 'fraud-drift', container_app_environment_id: ref(imageJob, 'azurerm_container_app_environment', 'Serving/Environment'), schedule_trigger_config: { cron_expression: '5 * * * *' } });
    expect(job.template.container[0]).toMatchObject({ image: 'crfraud.azurecr.io/drift-job:1.0.0' });
    expect(job.registry).toEqual([{ server: 'crfraud.azurecr.io', identity: ref(imageJob, 'azurerm_user_assigned_identity', 'Drift/Identity') }]);
    expect(roleAssignments(imageJob)).toContainEqual({ role: 'AcrPull', scope: registry('crfraud').id, principal: ref(imageJob, 'azurerm_user_assigned_identity', 'Drift/Identity', 'principal_id') });
    expect(imageJob.resource.azurerm_function_app_flex_consumption).toBeUndefined();
  });

  it('lets the drift identity read baseline and capture, run its own function host and publish telemetry, and only the writers write capture', () => {
    const capture = ref(json, 'azurerm_storage_container', 'Storage/Container-capture');
    const drift = ref(json, 'azurerm_user_assigned_identity', 'Drift/Identity', 'principal_id');
    const host = ref(json, 'azurerm_storage_account', 'Drift/HostStorage');
    const grants = roleAssignments(json);
    expect(grants.filter((g) => g.principal === drift).sort((a, b) => a.role.localeCompare(b.role))).toEqual([
      { role: 'Monitoring Metrics Publisher', scope: ref(json, 'azurerm_application_insights', 'Base/AppInsights'), principal: drift },
      { role: 'Storage Blob Data Owner', scope: host, principal: drift },
      { role: 'Storage Blob Data Reader', scope: ref(json, 'azurerm_storage_container', 'Storage/Container-baseline'), principal: drift },
      { role: 'Storage Blob Data Reader', scope: capture, principal: drift },
      { role: 'Storage Queue Data Contributor', scope: host, principal: drift },
      { role: 'Storage Table Data Contributor', scope: host, principal: drift },
    ]);
    expect(grants.filter((g) => g.scope === capture && g.role !== 'Storage Blob Data Reader')).toEqual(expect.arrayContaining([
      { role: 'Storage Blob Data Contributor', scope: capture, principal: ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-serving', 'principal_id') },
      { role: 'Storage Blob Data Contributor', scope: capture, principal: ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-batch', 'principal_id') },
    ]));
    expect(grants.filter((g) => g.scope === capture && g.role !== 'Storage Blob Data Reader')).toHaveLength(2);
  });

  it('alerts on feature drift, dataset drift, constraint violations, drift job errors and a silent drift job', () => {
    expect(Object.values(all(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')).map((a) => a.name).sort())
      .toEqual(['fraud-constraint-violations', 'fraud-dataset-drift', 'fraud-drift-job-error', 'fraud-drift-job-silent', 'fraud-feature-drift']);
  });

  it('runs no drift job and captures nothing when driftJob is off', () => {
    expect(gpu.resource.azurerm_container_app_job).toBeUndefined();
    expect(gpu.resource.azurerm_function_app_flex_consumption).toBeUndefined();
    expect(only(gpu, 'azurerm_container_app').template.container[0].env.map((e: { name: string }) => e.name)).not.toContain('CAPTURE_URI');
    expect(Object.keys(all(gpu, 'azurerm_monitor_scheduled_query_rules_alert_v2'))).toHaveLength(3);
    expect(gpu.output!.drift_job_name).toBeUndefined();
  });

  it('serves a GPU class on the serverless T4 profile with an internal ingress when there is no API front', () => {
    expect(only(gpu, 'azurerm_container_app').workload_profile_name).toBe('gpu-t4');
    expect(only(gpu, 'azurerm_container_app').ingress.external_enabled).toBe(false);
    expect(gpu.resource.azurerm_api_management).toBeUndefined();
    expect(gpu.resource.azurerm_resource_group_template_deployment).toBeUndefined();
    expect(gpu.output!.api_url.value).toBe(`https://${ref(gpu, 'azurerm_container_app', 'Serving/App', 'ingress[0].fqdn')}`);
  });

  it('synthesizes the bin/azure-example.ts stack in eastus with the D4 profile', () => {
    expect(only(example, 'azurerm_resource_group').location).toBe('eastus');
    expect(only(example, 'azurerm_container_app').workload_profile_name).toBe('d4');
    expect(Object.keys(example.output!)).toEqual(expect.arrayContaining(['api_url', 'storage_account_name', 'action_group_id', 'drift_job_name']));
  });

  it('budgets the resource group at the spec ceiling and notifies the alerts\' action group and emails', () => {
    const budget = only(json, 'azurerm_consumption_budget_resource_group');
    expect(budget).toMatchObject({ name: 'budget-fraud', resource_group_id: ref(json, 'azurerm_resource_group', 'Base/ResourceGroup'), amount: 800, time_grain: 'Monthly', lifecycle: { ignore_changes: ['time_period'] } });
    expect(budget.notification).toHaveLength(4);
    for (const n of budget.notification) {
      expect(n).toMatchObject({ contact_groups: [ref(json, 'azurerm_monitor_action_group', 'Alerts/ActionGroup')], contact_emails: ['oncall@example.com'] });
    }
  });

  it('creates no budget without monthlyBudgetUsd, and takes a fixed start date when given', () => {
    expect(gpu.resource.azurerm_consumption_budget_resource_group).toBeUndefined();
    const fixed = parse(stackOf({ spec: { name: 'fraud', image: 'x.io/f:1', monthlyBudgetUsd: 50 }, budgetStartDate: '2027-01-01T00:00:00Z', batchInference: false, mlWorkspace: false, driftJob: false }));
    expect(only(fixed, 'azurerm_consumption_budget_resource_group').time_period).toEqual({ start_date: '2027-01-01T00:00:00Z' });
  });

  it('records the spec and its cost choices for the review, readable with parseReviewMetadata', () => {
    // The written cdk.tf.json, as `npm run review` reads it (Testing.synth strips the "//" block).
    const app = Testing.app();
    stackOf({ spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', monthlyBudgetUsd: 800, monitoring: { alarmEmails: ['oncall@example.com'] } }, existingRegistry: registry('crfraud') }, app);
    app.synth();
    const written = JSON.parse(readFileSync(join(app.outdir, 'stacks', 'model', 'cdk.tf.json'), 'utf8'));
    const { entries, problems } = parseReviewMetadata(written['//'][REVIEW_METADATA_KEY], 'model');
    expect(problems).toEqual([]);
    expect(entries).toEqual([{
      version: 1,
      cloud: 'azure',
      spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', monthlyBudgetUsd: 800, monitoring: { alarmEmails: ['oncall@example.com'] } },
      // 3 metric alerts + feature drift, dataset drift, constraint violations, drift-job-error and drift-job-silent log alerts.
      costOptions: { alarmCount: 8, jobs: [{ item: 'Hourly drift job', runner: 'azure-flex-function', minutesPerRun: 1 }] },
    }]);
    const bare = stackOf({ spec: { name: 'vision', image: 'x.io/v:1' }, driftJob: false, batchInference: false, mlWorkspace: false });
    const bareEntry = parseReviewMetadata((bare.toTerraform() as { '//': Record<string, unknown> })['//'][REVIEW_METADATA_KEY], 'vision').entries[0];
    expect(bareEntry.costOptions).toEqual({ alarmCount: 6, jobs: [] });
  });

  it('marks every managed-identity role assignment as a service principal and leaves the deployer\'s type to Azure', () => {
    const assignments = Object.values(all(json, 'azurerm_role_assignment'));
    const deployer = assignments.filter((a) => /data\.azurerm_client_config\./.test(a.principal_id));
    // The batch and drift function packages, and the customer-managed key.
    expect(deployer).toHaveLength(3);
    for (const a of deployer) expect(a.principal_type).toBeUndefined();
    const identities = assignments.filter((a) => !deployer.includes(a));
    expect(identities.length).toBeGreaterThan(10);
    for (const a of identities) expect(a.principal_type).toBe('ServicePrincipal');
  });

  it('derives valid Container Apps names of at most 32 characters for a 32-character model name', () => {
    const name = 'fraud-detection-model-v2-eu-west';
    expect(name).toHaveLength(32);
    const long = parse(stackOf({ spec: { name, image: 'x.io/f:1' }, driftJobImage: 'docker.io/acme/drift-job:1' }));
    const names = [
      only(long, 'azurerm_container_app').name,
      only(long, 'azurerm_container_app_job').name,
      only(long, 'azurerm_container_app_environment').name,
    ];
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(32);
      expect(n).toMatch(CONTAINER_APPS_NAME_PATTERN);
    }
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toMatch(/^ca-fraud-detection-model-[0-9a-z]{6}$/);
    expect(only(json, 'azurerm_container_app').name).toBe('ca-fraud');
    expect(only(json, 'azurerm_container_app_environment').name).toBe('cae-fraud');
  });

  it.each([
    ['an unknown location', { location: 'mars-north' }, 'AzureModelStack location: got "mars-north"; expected an Azure region name'],
    ['a GPU class where Container Apps has no serverless GPU', { location: 'northeurope', spec: { name: 'v', image: 'x.io/v:1', compute: 'gpu-a10g' } }, 'AzureModelStack location: got "northeurope"; expected a region with Container Apps serverless GPU profile Consumption-GPU-NC24-A100'],
    ['the retired Standard_NC6', { spec: { name: 'v', image: 'x.io/v:1', compute: 'Standard_NC6' } }, 'AzureModelStack spec.compute: got "Standard_NC6"; expected a current size: Standard_NC6 is retired, use Standard_NC4as_T4_v3'],
    ['bad scaling bounds', { spec: { name: 'v', image: 'x.io/v:1', scaling: { minInstances: -1, maxInstances: 0 } } }, 'AzureModelStack spec.scaling.minInstances: got -1; expected an integer from 0 to 1000'],
    ['bad alarm emails', { spec: { name: 'v', image: 'x.io/v:1', monitoring: { alarmEmails: ['nobody'] } } }, 'AzureModelStack spec.monitoring.alarmEmails[0]: got "nobody"; expected an email address'],
    ['a storage account name with capitals', { storageAccountName: 'StFraud' }, 'IngestionStorage storageAccountName: got "StFraud"; expected 3-24 lowercase letters and digits'],
    ['a drift schedule with six fields', { driftSchedule: '0 5 * * * *' }, 'DriftFunction schedule: got "0 5 * * * *"; expected a five-field cron expression (minute hour day-of-month month day-of-week, UTC) such as "5 * * * *": 6 fields instead of 5'],
    ['a budget start date mid-month', { spec: { name: 'fraud', image: 'x.io/f:1', monthlyBudgetUsd: 100 }, budgetStartDate: '2027-01-15T00:00:00Z' }, 'ResourceGroupBudget startDate: got "2027-01-15T00:00:00Z"; expected the first day of a month at midnight UTC'],
    ['a negative budget', { spec: { name: 'fraud', image: 'x.io/f:1', monthlyBudgetUsd: -5 } }, 'AzureModelStack spec.monthlyBudgetUsd: got -5; expected'],
    ['a drift baseline outside Azure Blob', { driftBaselineUri: 'gs://bucket/baseline/' }, 'DriftFunction baselineUri: got "gs://bucket/baseline/"; expected an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI'],
    ['an s3:// model artifact', { spec: { name: 'fraud', image: 'x.io/f:1', modelArtifact: 's3://models/fraud/model.tar.gz' } }, 'ContainerAppServing spec.modelArtifact: got "s3://models/fraud/model.tar.gz"; expected an https:// URL the serving container can read'],
    ['an ACR image with no registry for it', { spec: { name: 'fraud', image: 'myacr.azurecr.io/fraud:1.4' } }, 'ContainerAppServing spec.image: got "myacr.azurecr.io/fraud:1.4"; expected an image the app can pull: pass existingRegistry for myacr.azurecr.io'],
    ['registrySku Gold', { registryName: 'crfraud', registrySku: 'Gold', spec: { name: 'fraud', image: 'crfraud.azurecr.io/f:1' } }, 'ContainerAppServing registrySku: got "Gold"; expected one of "Basic", "Standard", "Premium"'],
    ['apiSku Platinum', { apiSku: 'Platinum_1' }, 'ApiFront sku: got "Platinum_1"; expected one of "Consumption_0"'],
    ['a drift-job image in a registry the stack does not pull from', { driftJobImage: 'other.azurecr.io/drift-job:1' }, 'AzureModelStack driftJobImage: got "other.azurecr.io/drift-job:1"; expected an image in the serving registry or a public registry'],
    ['storageReplication XYZ', { storageReplication: 'XYZ' }, 'IngestionStorage replication: got "XYZ"; expected one of "LRS", "ZRS"'],
  ])('rejects %s', (_what, over, message) => {
    expect(() => stackOf({ spec: { name: 'fraud', image: 'x.io/f:1' }, ...over } as AzureModelStackProps)).toThrow(message);
  });

  it('accepts a location token and a list token of alarm emails', () => {
    const tokens = parse(stackOf({
      spec: { name: 'fraud', image: 'x.io/f:1', monthlyBudgetUsd: 100, monitoring: { alarmEmails: Fn.split(',', 'a@example.com,b@example.com') } },
      location: Fn.lower('EastUS'), batchInference: false, mlWorkspace: false,
    }));
    expect(only(tokens, 'azurerm_resource_group').location).toBe('${lower("EastUS")}');
    expect(only(tokens, 'azurerm_monitor_action_group').dynamic.email_receiver).toMatchObject({
      for_each: '${toset(split(",", "a@example.com,b@example.com"))}', content: { email_address: '${each.value}', use_common_alert_schema: true },
    });
    expect(only(tokens, 'azurerm_consumption_budget_resource_group').notification[0].contact_emails).toBe('${split(",", "a@example.com,b@example.com")}');
  });
});

describe('AzureModelStack explainJob', () => {
  const VNET = '/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet';
  const NETWORK = { environmentSubnetId: `${VNET}/subnets/aca`, privateEndpointSubnetId: `${VNET}/subnets/endpoints`, functionSubnetId: `${VNET}/subnets/functions`, allowedIpRanges: ['203.0.113.10'] };
  const SPEC = { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', serving: { port: 8000, healthPath: '/healthz', predictPath: '/v1/predict' } };
  const props = (over: Partial<AzureModelStackProps> = {}): AzureModelStackProps => ({ spec: SPEC, existingRegistry: registry('crfraud'), explainJob: { featureNames: ['amount', 'age'] }, ...over });
  // A direct child of the stack: its logical id is its construct id.
  const explainId = (attr: string) => `\${azurerm_user_assigned_identity.ExplainIdentity.${attr}}`;
  let json: Synthesized;
  beforeAll(() => { json = parse(stackOf(props())); });

  it('deploys nothing for it by default', () => {
    const plain = parse(stackOf({ spec: SPEC, existingRegistry: registry('crfraud') }));
    expect(Object.keys(all(plain, 'azurerm_function_app_flex_consumption')).some((k) => k.startsWith('Explain_'))).toBe(false);
    expect(Object.values(all(plain, 'azurerm_user_assigned_identity')).map((i) => i.name)).not.toContain('id-fraud-explain');
    expect(plain.output).not.toHaveProperty('explain_function_name');
  });

  it('calls the serving app directly at its predict route with its own identity, which the app admits as a caller', () => {
    const explainClient = explainId('client_id');
    const params: string = at(json, 'azurerm_resource_group_template_deployment', 'Serving/CallerAuthentication').parameters_content;
    expect(params).toContain(explainClient.slice(2, -1));
    const fn = at(json, 'azurerm_function_app_flex_consumption', 'Explain/Function');
    expect(fn.app_settings).toMatchObject({
      EXPLAIN_ENDPOINT_URL: `https://${ref(json, 'azurerm_container_app', 'Serving/App', 'ingress[0].fqdn')}`,
      EXPLAIN_PREDICT_PATH: '/v1/predict',
      EXPLAIN_TOKEN_AUDIENCE: ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-serving', 'client_id'),
      EXPLAIN_FEATURE_NAMES: 'amount,age',
      EXPLAIN_CAPTURE_URI: `https://${at(json, 'azurerm_storage_account', 'Storage/Account').name}.blob.core.windows.net/capture/fraud/`,
      EXPLAIN_SCHEDULE: '0 45 1 * * *',
      AZURE_CLIENT_ID: explainClient,
      LOG_FORMAT: 'azure',
    });
    expect(fn.identity.identity_ids).toEqual([explainId('id')]);
    expect(json.output!.explain_function_name).toEqual({ value: ref(json, 'azurerm_function_app_flex_consumption', 'Explain/Function', 'name'), description: expect.stringContaining('explain_check') });
  });

  it('reads only the capture container of the ingestion account; everything else it holds is on its own host storage and telemetry', () => {
    const principal = explainId('principal_id');
    const host = ref(json, 'azurerm_storage_account', 'Explain/HostStorage');
    expect(roleAssignments(json).filter((g) => g.principal === principal)).toEqual(expect.arrayContaining([
      { role: 'Storage Blob Data Reader', scope: ref(json, 'azurerm_storage_container', 'Storage/Container-capture'), principal },
      { role: 'Storage Blob Data Owner', scope: host, principal },
      { role: 'Monitoring Metrics Publisher', scope: ref(json, 'azurerm_application_insights', 'Base/AppInsights'), principal },
    ]));
    expect(roleAssignments(json).filter((g) => g.principal === principal && g.scope !== host)).toHaveLength(2);
  });

  it('alerts on its errors, charts importance per feature, and is priced in the review as a daily flex function', () => {
    const alert = Object.values(all(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')).find((a) => a.name === 'fraud-explain-job-error')!;
    expect(alert.action.action_groups).toEqual([ref(json, 'azurerm_monitor_action_group', 'Alerts/ActionGroup')]);
    expect(alert.criteria[0].query).toContain("tostring(record.event) == 'explain_job_error'");
    expect(Object.values(all(json, 'azurerm_application_insights_workbook')).map((w) => w.display_name)).toContain('fraud feature importance');
    const metadata = (stackOf(props()).toTerraform() as { '//': Record<string, unknown> })['//'][REVIEW_METADATA_KEY];
    const [entry] = parseReviewMetadata(metadata, 'model').entries;
    expect(entry.costOptions!.jobs).toContainEqual({ item: 'Explainability job', runner: 'azure-flex-function', runsPerMonth: 30, minutesPerRun: 5, memoryGb: 2 });
    // 3 metric alerts + 5 drift log alerts + the explain job error alert.
    expect(entry.costOptions!.alarmCount).toBe(9);
  });

  it('turns capture on for the serving app even without drift or quality monitoring', () => {
    const noDrift = parse(stackOf(props({ driftJob: false, batchInference: false, mlWorkspace: false })));
    const env = only(noDrift, 'azurerm_container_app').template.container[0].env as { name: string; value?: string }[];
    expect(env).toContainEqual(expect.objectContaining({ name: 'CAPTURE_URI' }));
  });

  it('scores on Azure ML with a token for Azure ML, holding the score-only role on the endpoint', () => {
    const ml = parse(stackOf(props({ serving: 'azure-ml', existingRegistry: undefined, spec: { ...SPEC, image: 'docker.io/acme/fraud:1' } })));
    const settings = at(ml, 'azurerm_function_app_flex_consumption', 'Explain/Function').app_settings;
    expect(settings).toMatchObject({ EXPLAIN_TOKEN_AUDIENCE: 'https://ml.azure.com', EXPLAIN_PREDICT_PATH: '/score' });
    expect(settings.EXPLAIN_ENDPOINT_URL).toMatch(/^\$\{trimsuffix\(azapi_resource\.Serving_Endpoint_[0-9A-F]{8}\.output\.properties\.scoringUri, "\/score"\)\}$/);
    const scorers = Object.values(all(ml, 'azurerm_role_assignment')).filter((r) => r.role_definition_id !== undefined).map((r) => r.principal_id);
    expect(scorers).toContain(explainId('principal_id'));
  });

  it('runs in the VNet with an internal ingress that demands its token when there is no API front', () => {
    const internal = parse(stackOf(props({ apiFront: false, privateNetworking: NETWORK, registryName: undefined })));
    const fn = at(internal, 'azurerm_function_app_flex_consumption', 'Explain/Function');
    expect(fn.virtual_network_subnet_id).toBe(NETWORK.functionSubnetId);
    expect(fn.app_settings.EXPLAIN_TOKEN_AUDIENCE).toBe(ref(internal, 'azurerm_user_assigned_identity', 'Base/Identity-serving', 'client_id'));
    const params: string = at(internal, 'azurerm_resource_group_template_deployment', 'Serving/CallerAuthentication').parameters_content;
    expect(params).toContain(explainId('client_id').slice(2, -1));
    const host = ref(internal, 'azurerm_storage_account', 'Explain/HostStorage');
    const hostEndpoints = Object.values(all(internal, 'azurerm_private_endpoint')).filter((e) => e.private_service_connection.private_connection_resource_id === host);
    expect(hostEndpoints.map((e) => e.name).sort()).toEqual(['pe-fraud-explainhostblob', 'pe-fraud-explainhostqueue', 'pe-fraud-explainhosttable']);
  });

  it('accepts a schedule from a Terraform expression', () => {
    const schedule = Fn.trimspace(' 45 1 * * * ');
    const stack = stackOf(props({ explainJob: { schedule } }));
    expect(stack.explain!.explainFunction.ncrontab).toBe(`0 ${schedule}`);
  });

  it.each([
    ['an unreachable internal ingress', { apiFront: false, batchInference: false }, 'AzureModelStack explainJob: got {}; expected apiFront on or privateNetworking with a functionSubnetId'],
    ['an unknown key', { explainJob: { samples: 100 } }, 'AzureModelStack explainJob.samples: got 100; expected'],
    ['a wrong type', { explainJob: { sample: '100' } }, 'AzureModelStack explainJob.sample: got "100"; expected a number'],
    ['no capture on Azure ML without batch inference', { serving: 'azure-ml', existingRegistry: undefined, batchInference: false, spec: { ...SPEC, image: 'docker.io/acme/fraud:1' } }, 'AzureModelStack explainJob.captureUri: got undefined; expected a folder of SageMaker-format capture records'],
    ['no function subnet in the VNet', { apiFront: false, privateNetworking: { ...NETWORK, functionSubnetId: undefined }, batchInference: false, driftJob: false }, 'AzureModelStack privateNetworking.functionSubnetId: got undefined; expected a subnet id'],
    ['a sample out of range', { explainJob: { sample: 0 } }, 'ExplainFunction explainJob.sample: got 0; expected'],
    ['a bad schedule', { explainJob: { schedule: 'daily' } }, 'ExplainFunction schedule: got "daily"; expected a five-field cron expression'],
  ])('refuses %s', (_name, over, message) => {
    const given = { explainJob: {}, ...over } as Partial<AzureModelStackProps>;
    expect(() => stackOf(props(given))).toThrow(message);
  });
});
