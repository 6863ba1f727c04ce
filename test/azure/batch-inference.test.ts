import { BatchInference } from '../../lib/azure/batch-inference';
import { APP_INSIGHTS, BATCH_ID, container, RG, STORAGE } from './private/fixtures';
import { only, ref, roleAssignments, synth, Synthesized } from './private/synth';

describe('BatchInference', () => {
  let json: Synthesized;
  beforeAll(() => {
    json = synth((s) => new BatchInference(s, 'Batch', {
      name: 'fraud', resourceGroup: RG, location: 'eastus', storageAccount: STORAGE,
      incomingContainer: container('incoming'), predictionsContainer: container('predictions'), deadLetterContainer: container('deadletter'),
      identity: BATCH_ID, applicationInsights: APP_INSIGHTS, scoringUrl: 'https://ca-fraud.internal',
      dataCapture: { container: container('capture'), uri: 'https://sttest.blob.core.windows.net/capture/fraud/' },
    }));
  });

  it('runs a Linux Flex Consumption function over HTTPS with TLS 1.2 and no basic-auth publishing', () => {
    expect(only(json, 'azurerm_service_plan')).toMatchObject({ os_type: 'Linux', sku_name: 'FC1' });
    expect(only(json, 'azurerm_function_app_flex_consumption')).toMatchObject({
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
      SCORING_URL: 'https://ca-fraud.internal',
    });
    expect(only(json, 'azurerm_storage_account')).toMatchObject({ shared_access_key_enabled: false, min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: false });
  });

  it('grants least privilege: read incoming, write predictions, own only the host account', () => {
    const host = ref(json, 'azurerm_storage_account', 'Batch/HostStorage');
    expect(roleAssignments(json)).toEqual(expect.arrayContaining([
      { role: 'Storage Blob Data Reader', scope: container('incoming').id, principal: BATCH_ID.principalId },
      { role: 'Storage Blob Data Contributor', scope: container('predictions').id, principal: BATCH_ID.principalId },
      { role: 'Storage Blob Data Owner', scope: host, principal: BATCH_ID.principalId },
      { role: 'Monitoring Metrics Publisher', scope: APP_INSIGHTS.id, principal: BATCH_ID.principalId },
      { role: 'Storage Blob Data Contributor', scope: container('capture').id, principal: BATCH_ID.principalId },
    ]));
    expect(roleAssignments(json).filter((r) => r.scope === STORAGE.id)).toEqual([]);
  });

  it('tells the function where to write capture records', () => {
    expect(only(json, 'azurerm_function_app_flex_consumption').app_settings.CAPTURE_URI).toBe('https://sttest.blob.core.windows.net/capture/fraud/');
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
    expect(() => synth((s) => new BatchInference(s, 'Batch', {
      name: 'fraud', resourceGroup: RG, location: 'eastus', storageAccount: STORAGE,
      incomingContainer: container('incoming'), predictionsContainer: container('predictions'), deadLetterContainer: container('deadletter'),
      identity: BATCH_ID, applicationInsights: APP_INSIGHTS, scoringUrl: 'https://x', maxDeliveryAttempts: 31,
      dataCapture: { container: container('capture'), uri: 'https://sttest.blob.core.windows.net' },
    }))).toThrow(/BatchInference maxDeliveryAttempts: got 31; expected an integer from 1 to 30\n- BatchInference dataCapture.uri: got "https:\/\/sttest.blob.core.windows.net"; expected an https:/);
  });
});
