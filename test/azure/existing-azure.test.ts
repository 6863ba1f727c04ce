import { Testing } from 'cdktf';
import { AzureModelStack, AzureModelStackProps } from '../../lib/azure/azure-model-stack';
import { ExistingAzure } from '../../lib/azure/existing-azure';
import { all, at, only, parse, ref, roleAssignments, synth, Synthesized } from './private/synth';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared/providers';

describe('ExistingAzure', () => {
  it('builds references from resource ids without a lookup', () => {
    expect(ExistingAzure.resourceGroupFromId('/subscriptions/0/resourceGroups/rg-shared', 'westeurope')).toEqual({ id: '/subscriptions/0/resourceGroups/rg-shared', name: 'rg-shared', location: 'westeurope' });
    expect(ExistingAzure.storageAccountFromId(`${SUB}/Microsoft.Storage/storageAccounts/stshared01`)).toEqual({ id: `${SUB}/Microsoft.Storage/storageAccounts/stshared01`, name: 'stshared01', primaryBlobEndpoint: 'https://stshared01.blob.core.windows.net/' });
    expect(ExistingAzure.keyVaultFromId(`${SUB}/Microsoft.KeyVault/vaults/kv-Shared`).vaultUri).toBe('https://kv-shared.vault.azure.net/');
    expect(ExistingAzure.containerRegistryFromId(`${SUB}/Microsoft.ContainerRegistry/registries/MyAcr01`).loginServer).toBe('myacr01.azurecr.io');
    expect(ExistingAzure.logAnalyticsWorkspaceFromId(`${SUB}/Microsoft.OperationalInsights/workspaces/log-shared`).id).toBe(`${SUB}/Microsoft.OperationalInsights/workspaces/log-shared`);
    expect(ExistingAzure.actionGroupFromId(`${SUB}/microsoft.insights/actionGroups/ag-oncall`).id).toBe(`${SUB}/microsoft.insights/actionGroups/ag-oncall`);
  });

  it('looks resources up by name with data sources read at plan time, keeping literal names', () => {
    const refs: Record<string, unknown> = {};
    const json = synth((s) => {
      refs.group = ExistingAzure.resourceGroup(s, 'Group', 'rg-shared');
      refs.storage = ExistingAzure.storageAccount(s, 'Storage', { name: 'stshared01', resourceGroupName: 'rg-shared' });
      refs.vault = ExistingAzure.keyVault(s, 'Vault', { name: 'kv-shared', resourceGroupName: 'rg-shared' });
      refs.registry = ExistingAzure.containerRegistry(s, 'Registry', { name: 'myacr01', resourceGroupName: 'rg-shared' });
      refs.logs = ExistingAzure.logAnalyticsWorkspace(s, 'Logs', { name: 'log-shared', resourceGroupName: 'rg-shared' });
      refs.alerts = ExistingAzure.actionGroup(s, 'Alerts', { name: 'ag-oncall', resourceGroupName: 'rg-shared' });
    });
    expect(Object.keys(json.data!).sort()).toEqual([
      'azurerm_container_registry', 'azurerm_key_vault', 'azurerm_log_analytics_workspace', 'azurerm_monitor_action_group', 'azurerm_resource_group', 'azurerm_storage_account',
    ]);
    expect(Object.values(json.data!.azurerm_storage_account)[0]).toEqual({ name: 'stshared01', resource_group_name: 'rg-shared' });
    expect(refs.storage).toMatchObject({ name: 'stshared01' });
    expect(refs.registry).toMatchObject({ loginServer: 'myacr01.azurecr.io' });
    expect(json.resource).toBeUndefined();
  });

  it.each([
    ['a storage id of another type', () => ExistingAzure.storageAccountFromId(`${SUB}/Microsoft.KeyVault/vaults/kv`), 'ExistingAzure.storageAccountFromId id: got "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv"; expected a resource id /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>'],
    ['a registry name with a hyphen', () => ExistingAzure.containerRegistryFromId(`${SUB}/Microsoft.ContainerRegistry/registries/my-acr`), 'ExistingAzure.containerRegistryFromId id: got'],
    ['a resource group in an unknown region', () => ExistingAzure.resourceGroupFromId('/subscriptions/0/resourceGroups/rg', 'moon'), 'ExistingAzure.resourceGroupFromId location: got "moon"; expected an Azure region name'],
    ['a storage lookup without a resource group', () => synth((s) => ExistingAzure.storageAccount(s, 'S', { name: 'stshared01', resourceGroupName: '' })), 'ExistingAzure.storageAccount resourceGroupName: got ""; expected the resource group name'],
  ])('rejects %s', (_what, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('AzureModelStack on existing resources', () => {
  const ids = {
    group: '/subscriptions/0/resourceGroups/rg-platform',
    storage: '/subscriptions/0/resourceGroups/rg-platform/providers/Microsoft.Storage/storageAccounts/stplatform01',
    vault: '/subscriptions/0/resourceGroups/rg-platform/providers/Microsoft.KeyVault/vaults/kv-platform',
    registry: '/subscriptions/0/resourceGroups/rg-platform/providers/Microsoft.ContainerRegistry/registries/crplatform',
    logs: '/subscriptions/0/resourceGroups/rg-platform/providers/Microsoft.OperationalInsights/workspaces/log-platform',
    alerts: '/subscriptions/0/resourceGroups/rg-platform/providers/Microsoft.Insights/actionGroups/ag-oncall',
  };
  const existing = {
    existingResourceGroup: ExistingAzure.resourceGroupFromId(ids.group, 'westeurope'),
    existingStorageAccount: ExistingAzure.storageAccountFromId(ids.storage),
    existingKeyVault: ExistingAzure.keyVaultFromId(ids.vault),
    existingRegistry: ExistingAzure.containerRegistryFromId(ids.registry),
    existingLogAnalyticsWorkspace: ExistingAzure.logAnalyticsWorkspaceFromId(ids.logs),
    existingActionGroup: ExistingAzure.actionGroupFromId(ids.alerts),
  };
  let json: Synthesized;
  beforeAll(() => {
    json = parse(new AzureModelStack(Testing.app(), 'platform', {
      spec: { name: 'fraud', image: 'crplatform.azurecr.io/fraud:2', monthlyBudgetUsd: 500, monitoring: { alarmEmails: ['oncall@example.com'] } },
      location: 'westeurope', ...existing,
    }));
  });

  it('creates none of the resources it was given', () => {
    for (const type of ['azurerm_resource_group', 'azurerm_key_vault', 'azurerm_container_registry', 'azurerm_log_analytics_workspace', 'azurerm_monitor_action_group']) {
      expect(all(json, type)).toEqual({});
    }
    // Only the functions' own host accounts are created.
    expect(Object.values(all(json, 'azurerm_storage_account')).map((a) => a.name)).toEqual([expect.stringMatching(/^stfnfraud/), expect.stringMatching(/^stdffraud/)]);
  });

  it('creates its containers in the existing account and wires batch, drift and alerts to the given resources', () => {
    const containers = Object.values(all(json, 'azurerm_storage_container')).filter((c) => c.storage_account_id === ids.storage).map((c) => c.name).sort();
    expect(containers).toEqual(['baseline', 'capture', 'deadletter', 'errors', 'incoming', 'predictions']);
    expect(only(json, 'azurerm_eventgrid_system_topic').source_resource_id).toBe(ids.storage);
    expect(at(json, 'azurerm_function_app_flex_consumption', 'Drift/Function').app_settings.BASELINE_URI).toBe('https://stplatform01.blob.core.windows.net/baseline/');
    expect(only(json, 'azurerm_container_app_environment')).toMatchObject({ log_analytics_workspace_id: ids.logs, resource_group_name: 'rg-platform' });
    expect(only(json, 'azurerm_application_insights').workspace_id).toBe(ids.logs);
    for (const a of Object.values(all(json, 'azurerm_monitor_metric_alert'))) expect(a.action).toEqual([{ action_group_id: ids.alerts }]);
    for (const a of Object.values(all(json, 'azurerm_monitor_scheduled_query_rules_alert_v2'))) expect(a.scopes).toEqual([ids.logs]);
    expect(only(json, 'azurerm_consumption_budget_resource_group').notification[0].contact_groups).toEqual([ids.alerts]);
    expect(only(json, 'azurerm_machine_learning_workspace')).toMatchObject({ storage_account_id: ids.storage, key_vault_id: ids.vault, container_registry_id: ids.registry });
    expect(only(json, 'azurerm_container_app').registry).toEqual([{ server: 'crplatform.azurecr.io', identity: ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-serving') }]);
  });

  it('keeps least privilege in the existing account: container-scoped grants only, AcrPull on the given registry', () => {
    const grants = roleAssignments(json);
    expect(grants.filter((g) => g.scope === ids.storage)).toEqual([]);
    // Serving (capture), batch (incoming, predictions, errors, capture), drift (baseline, capture), Event Grid (deadletter).
    const inAccount = Object.entries(all(json, 'azurerm_storage_container')).filter(([, c]) => c.storage_account_id === ids.storage).map(([key]) => `\${azurerm_storage_container.${key}.id}`);
    expect(grants.filter((g) => inAccount.includes(g.scope)).length).toBe(8);
    expect(grants).toContainEqual({ role: 'AcrPull', scope: ids.registry, principal: ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-serving', 'principal_id') });
  });

  it.each([
    ['an account name with an existing account', { existingStorageAccount: existing.existingStorageAccount, storageAccountName: 'stother01' }, 'AzureModelStack storageAccountName: got "stother01"; expected nothing with existingStorageAccount'],
    ['a customer-managed key for an existing account', { existingStorageAccount: existing.existingStorageAccount, customerManagedKey: true }, 'AzureModelStack customerManagedKey: got true; expected nothing with existingStorageAccount'],
    ['a vault name with an existing vault', { existingKeyVault: existing.existingKeyVault, keyVaultName: 'kv-other' }, 'ObservabilityBase keyVaultName: got "kv-other"; expected nothing with existingKeyVault'],
    ['firewall ranges with an existing vault', { existingKeyVault: existing.existingKeyVault, keyVaultAllowedIpRanges: ['198.51.100.4'] }, 'ObservabilityBase keyVaultAllowedIpRanges: got ["198.51.100.4"]; expected nothing with existingKeyVault'],
    ['a retention with an existing workspace', { existingLogAnalyticsWorkspace: existing.existingLogAnalyticsWorkspace, logRetentionDays: 90 }, 'ObservabilityBase logRetentionDays: got 90; expected nothing with existingLogAnalyticsWorkspace'],
    ['a group name with an existing group', { existingResourceGroup: existing.existingResourceGroup, resourceGroupName: 'rg-other' }, 'ObservabilityBase resourceGroupName: got "rg-other"; expected nothing with existingResourceGroup'],
    ['an existing account whose name is a token', { existingStorageAccount: { id: ids.storage, name: '${TfToken[TOKEN.1]}', primaryBlobEndpoint: 'x' } }, 'IngestionStorage existingAccount.name: got "${TfToken[TOKEN.1]}"; expected the account name as a literal'],
  ])('rejects %s', (_what, over, message) => {
    expect(() => new AzureModelStack(Testing.app(), 'bad', { spec: { name: 'fraud', image: 'x.io/f:1' }, ...over } as AzureModelStackProps)).toThrow(message);
  });
});
