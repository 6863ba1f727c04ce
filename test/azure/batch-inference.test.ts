import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { BatchInference, BatchInferenceProps } from '../../lib/azure/batch-inference';
import { APP_INSIGHTS, BATCH_ID, container, RG, STORAGE } from './private/fixtures';
import { only, ref, roleAssignments, synth, Synthesized } from './private/synth';

const DEPLOYER = '99999999-aaaa-bbbb-cccc-000000000000';
const base: BatchInferenceProps = {
  name: 'fraud', resourceGroup: RG, location: 'eastus', storageAccount: STORAGE,
  incomingContainer: container('incoming'), predictionsContainer: container('predictions'), deadLetterContainer: container('deadletter'),
  identity: BATCH_ID, applicationInsights: APP_INSIGHTS, scoringUrl: 'https://ca-fraud.internal',
};
const batch = (over: Partial<BatchInferenceProps> = {}) => (s: TerraformStack) => { new BatchInference(s, 'Batch', { ...base, ...over }); };

describe('BatchInference', () => {
  let json: Synthesized;
  let custom: Synthesized;
  let customZip: string;
  beforeAll(() => {
    json = synth(batch({
      errorContainer: container('errors'), backendAudience: 'api://fraud-serving', deployerPrincipalId: DEPLOYER,
      dataCapture: { container: container('capture'), uri: 'https://sttest.blob.core.windows.net/capture/fraud/' },
    }));
    customZip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'batch-pkg-')), 'my-function.zip');
    fs.writeFileSync(customZip, 'PK');
    custom = synth(batch({ packagePath: customZip, functionName: 'score', runtime: { name: 'python', version: '3.12' } }));
  });

  it('runs a Linux Flex Consumption Node.js 22 function over HTTPS with TLS 1.2 and no basic-auth publishing', () => {
    expect(only(json, 'azurerm_service_plan')).toMatchObject({ os_type: 'Linux', sku_name: 'FC1' });
    expect(only(json, 'azurerm_function_app_flex_consumption')).toMatchObject({
      runtime_name: 'node',
      runtime_version: '22',
      https_only: true,
      webdeploy_publish_basic_authentication_enabled: false,
      identity: { type: 'UserAssigned', identity_ids: [BATCH_ID.id] },
      site_config: { minimum_tls_version: '1.2', scm_minimum_tls_version: '1.2', application_insights_connection_string: APP_INSIGHTS.connectionString },
    });
  });

  it('reaches its host storage with the identity only (no keys)', () => {
    const fn = only(json, 'azurerm_function_app_flex_consumption');
    expect(fn).toMatchObject({ storage_authentication_type: 'UserAssignedIdentity', storage_user_assigned_identity_id: BATCH_ID.id, storage_container_type: 'blobContainer' });
    expect(fn.storage_access_key).toBeUndefined();
    expect(fn.app_settings).toMatchObject({
      AzureWebJobsStorage__accountName: ref(json, 'azurerm_storage_account', 'Batch/HostStorage', 'name'),
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: BATCH_ID.clientId,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${BATCH_ID.clientId}`,
    });
    expect(only(json, 'azurerm_storage_account')).toMatchObject({ shared_access_key_enabled: false, min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: false });
  });

  it('grants the function identity read on incoming, write on predictions, errors and capture, and nothing else in the ingestion account', () => {
    const host = ref(json, 'azurerm_storage_account', 'Batch/HostStorage');
    const grants = roleAssignments(json).filter((r) => r.principal === BATCH_ID.principalId);
    expect(grants).toHaveLength(8);
    expect(grants).toEqual(expect.arrayContaining([
      { role: 'Storage Blob Data Owner', scope: host, principal: BATCH_ID.principalId },
      { role: 'Storage Queue Data Contributor', scope: host, principal: BATCH_ID.principalId },
      { role: 'Storage Table Data Contributor', scope: host, principal: BATCH_ID.principalId },
      { role: 'Storage Blob Data Reader', scope: container('incoming').id, principal: BATCH_ID.principalId },
      { role: 'Storage Blob Data Contributor', scope: container('predictions').id, principal: BATCH_ID.principalId },
      { role: 'Storage Blob Data Contributor', scope: container('errors').id, principal: BATCH_ID.principalId },
      { role: 'Monitoring Metrics Publisher', scope: APP_INSIGHTS.id, principal: BATCH_ID.principalId },
      { role: 'Storage Blob Data Contributor', scope: container('capture').id, principal: BATCH_ID.principalId },
    ]));
    expect(roleAssignments(json).filter((r) => r.scope === STORAGE.id)).toEqual([]);
  });

  it('gives the function the environment contract of the bundled runtime', () => {
    expect(only(json, 'azurerm_function_app_flex_consumption').app_settings).toMatchObject({
      AZURE_CLIENT_ID: BATCH_ID.clientId,
      SERVING_URL: 'https://ca-fraud.internal',
      BACKEND_AUDIENCE: 'api://fraud-serving',
      INPUT_ACCOUNT_URL: STORAGE.primaryBlobEndpoint,
      INPUT_CONTAINER: 'incoming',
      OUTPUT_CONTAINER: 'predictions',
      ERROR_CONTAINER: 'errors',
      CAPTURE_URI: 'https://sttest.blob.core.windows.net/capture/fraud/',
      MODEL_NAME: 'fraud',
    });
  });

  it('passes the serving container prediction route as PREDICT_PATH', () => {
    const settings = only(synth(batch({ predictPath: '/v1/predict' })), 'azurerm_function_app_flex_consumption').app_settings;
    expect(settings).toMatchObject({ SERVING_URL: 'https://ca-fraud.internal', PREDICT_PATH: '/v1/predict' });
  });

  it('sends no audience, error container or capture settings it was not given', () => {
    const settings = only(custom, 'azurerm_function_app_flex_consumption').app_settings;
    for (const name of ['PREDICT_PATH', 'BACKEND_AUDIENCE', 'ERROR_CONTAINER', 'CAPTURE_URI', 'MAX_OBJECT_BYTES', 'INVOKE_TIMEOUT_MS']) expect(settings[name]).toBeUndefined();
  });

  it('uploads the bundled function (a synth-time zip asset) as released-package.zip to the deployment container', () => {
    const blob = only(json, 'azurerm_storage_blob');
    expect(blob).toMatchObject({
      name: 'released-package.zip',
      type: 'Block',
      content_type: 'application/zip',
      storage_account_name: ref(json, 'azurerm_storage_account', 'Batch/HostStorage', 'name'),
      storage_container_name: ref(json, 'azurerm_storage_container', 'Batch/DeploymentContainer', 'name'),
    });
    expect(blob.source).toMatch(/^assets\/Batch_FunctionAsset_[0-9A-F]{8}\/[0-9A-F]{32}\/archive\.zip$/);
    // A new package has a new checksum, which replaces the blob.
    expect(blob.content_md5).toBe(`\${filemd5("${blob.source}")}`);
    expect(only(json, 'azurerm_storage_container').name).toBe('function-releases');
    expect(only(json, 'azurerm_function_app_flex_consumption').storage_container_endpoint)
      .toBe(`${ref(json, 'azurerm_storage_account', 'Batch/HostStorage', 'primary_blob_endpoint')}${ref(json, 'azurerm_storage_container', 'Batch/DeploymentContainer', 'name')}`);
  });

  it('deploys code without the SCM site: no zip_deploy_file, and the app starts only once the package is there', () => {
    const fn = only(json, 'azurerm_function_app_flex_consumption');
    expect(fn.zip_deploy_file).toBeUndefined();
    expect(fn.depends_on).toContain(ref(json, 'azurerm_storage_blob', 'Batch/FunctionPackage').slice(2, -4));
  });

  it('lets the deployer write the deployment container only, before the upload', () => {
    const grant = { role: 'Storage Blob Data Contributor', scope: ref(json, 'azurerm_storage_container', 'Batch/DeploymentContainer'), principal: DEPLOYER };
    expect(roleAssignments(json).filter((r) => r.principal === DEPLOYER)).toEqual([grant]);
    expect(only(json, 'azurerm_storage_blob').depends_on).toEqual([ref(json, 'azurerm_role_assignment', 'Batch/DeployerPackageWriter').slice(2, -4)]);
    expect(roleAssignments(custom).map((r) => r.principal)).not.toContain(DEPLOYER);
  });

  it('syncs triggers through Resource Manager after each package upload', () => {
    const sync = only(json, 'azurerm_resource_group_template_deployment');
    const template = JSON.parse(sync.template_content);
    expect(template.resources).toEqual([]);
    expect(template.outputs.triggersSynced).toEqual({
      type: 'bool',
      value: "[greaterOrEquals(length(string(listSyncFunctionTriggerStatus(resourceId('Microsoft.Web/sites', parameters('functionAppName')), '2024-04-01'))), 0)]",
    });
    expect(sync).toMatchObject({ resource_group_name: 'rg-test', deployment_mode: 'Incremental' });
    expect(sync.parameters_content).toContain(ref(json, 'azurerm_function_app_flex_consumption', 'Batch/Function', 'name').slice(2, -1));
    expect(sync.parameters_content).toContain(`filemd5("${only(json, 'azurerm_storage_blob').source}")`);
    expect(sync.depends_on).toEqual([
      ref(json, 'azurerm_function_app_flex_consumption', 'Batch/Function').slice(2, -4),
      ref(json, 'azurerm_storage_blob', 'Batch/FunctionPackage').slice(2, -4),
    ]);
  });

  it('creates the Event Grid subscription only after the code is uploaded and synced', () => {
    expect(only(json, 'azurerm_eventgrid_system_topic_event_subscription').depends_on).toEqual([
      ref(json, 'azurerm_role_assignment', 'Batch/DeadLetterWriter').slice(2, -4),
      ref(json, 'azurerm_storage_blob', 'Batch/FunctionPackage').slice(2, -4),
      ref(json, 'azurerm_resource_group_template_deployment', 'Batch/TriggerSync').slice(2, -4),
    ]);
  });

  it('deploys a package of your own the same way, with its runtime and function name', () => {
    expect(only(custom, 'azurerm_storage_blob')).toMatchObject({ name: 'released-package.zip', source: customZip, content_md5: `\${filemd5("${customZip}")}` });
    expect(only(custom, 'azurerm_function_app_flex_consumption')).toMatchObject({ runtime_name: 'python', runtime_version: '3.12' });
    expect(only(custom, 'azurerm_eventgrid_system_topic_event_subscription').azure_function_endpoint.function_id)
      .toBe(`${ref(custom, 'azurerm_function_app_flex_consumption', 'Batch/Function')}/functions/score`);
  });

  it('subscribes the function to BlobCreated under incoming/ with retries and a dead-letter container', () => {
    expect(only(json, 'azurerm_eventgrid_system_topic')).toMatchObject({ source_resource_id: STORAGE.id, topic_type: 'Microsoft.Storage.StorageAccounts', identity: { type: 'SystemAssigned' } });
    expect(only(json, 'azurerm_eventgrid_system_topic_event_subscription')).toMatchObject({
      included_event_types: ['Microsoft.Storage.BlobCreated'],
      subject_filter: { subject_begins_with: '/blobServices/default/containers/incoming/' },
      azure_function_endpoint: { function_id: `${ref(json, 'azurerm_function_app_flex_consumption', 'Batch/Function')}/functions/score_blob`, max_events_per_batch: 1 },
      retry_policy: { max_delivery_attempts: 30, event_time_to_live: 1440 },
      dead_letter_identity: { type: 'SystemAssigned' },
      storage_blob_dead_letter_destination: { storage_account_id: STORAGE.id, storage_blob_container_name: 'deadletter' },
    });
  });

  it('lets the topic identity write dead letters to the deadletter container only', () => {
    expect(roleAssignments(json)).toContainEqual({ role: 'Storage Blob Data Contributor', scope: container('deadletter').id, principal: ref(json, 'azurerm_eventgrid_system_topic', 'Batch/BlobEvents', 'identity[0].principal_id') });
  });

  it('rejects retry settings outside Event Grid limits', () => {
    expect(() => synth(batch({ maxDeliveryAttempts: 31, dataCapture: { container: container('capture'), uri: 'https://sttest.blob.core.windows.net' } })))
      .toThrow(/BatchInference maxDeliveryAttempts: got 31; expected an integer from 1 to 30\n- BatchInference dataCapture.uri: got "https:\/\/sttest.blob.core.windows.net"; expected an https:/);
  });

  it.each([
    ['another function name for the bundled code', { functionName: 'score' }, 'BatchInference functionName: got "score"; expected "score_blob" (the bundled function), or a packagePath of your own'],
    ['another runtime for the bundled code', { runtime: { name: 'python', version: '3.12' } }, 'BatchInference runtime: got "python"; expected node (the bundled function), or a packagePath of your own'],
    ['a package that does not exist', { packagePath: '/nowhere/fn.zip' }, 'BatchInference packagePath: got "/nowhere/fn.zip"; expected an existing .zip file'],
    ['an input limit over 100 MiB', { maxObjectBytes: 104857601 }, 'BatchInference maxObjectBytes: got 104857601; expected an integer from 1 to 104857600'],
    ['a prediction route that is no absolute path', { predictPath: 'predict' }, 'BatchInference predictPath: got "predict"; expected an absolute URL path starting with \'/\''],
    ['a model timeout beyond the ingress limit', { invokeTimeoutMs: 300000 }, 'BatchInference invokeTimeoutMs: got 300000; expected an integer from 1000 to 230000'],
  ])('rejects %s', (_what, over, message) => {
    expect(() => synth(batch(over as Partial<BatchInferenceProps>))).toThrow(message);
  });
});
