import { ObservabilityBase } from '../../lib/azure/observability-base';
import { all, only, ref, synth, Synthesized } from './private/synth';

describe('ObservabilityBase', () => {
  let json: Synthesized;
  let privateVault: Synthesized;
  beforeAll(() => {
    json = synth((s) => new ObservabilityBase(s, 'Base', { name: 'fraud', location: 'eastus', logRetentionDays: 90 }));
    privateVault = synth((s) => new ObservabilityBase(s, 'Base', {
      name: 'fraud', location: 'westeurope', keyVaultPublicNetworkAccess: false, keyVaultAllowedIpRanges: ['203.0.113.0/24'],
      existingResourceGroup: { name: 'rg-existing', location: 'westeurope', id: '/subscriptions/0/resourceGroups/rg-existing' },
      identityPurposes: ['serving'],
    }));
  });

  it('creates a resource group and a Log Analytics workspace with the requested retention', () => {
    expect(only(json, 'azurerm_resource_group')).toMatchObject({ name: 'rg-fraud', location: 'eastus' });
    expect(only(json, 'azurerm_log_analytics_workspace')).toMatchObject({ sku: 'PerGB2018', retention_in_days: 90 });
  });

  it('makes Application Insights workspace-based with local (key) auth disabled', () => {
    expect(only(json, 'azurerm_application_insights')).toMatchObject({
      application_type: 'web',
      workspace_id: ref(json, 'azurerm_log_analytics_workspace', 'Base/Logs'),
      local_authentication_disabled: true,
    });
  });

  it('creates an RBAC Key Vault with purge protection and 90-day soft delete', () => {
    const kv = only(json, 'azurerm_key_vault');
    expect(kv).toMatchObject({ rbac_authorization_enabled: true, purge_protection_enabled: true, soft_delete_retention_days: 90, public_network_access_enabled: true, sku_name: 'standard' });
    expect(kv.tenant_id).toMatch(/data\.azurerm_client_config\..*\.tenant_id/);
    expect(kv.name).toMatch(/^kvfraud[0-9a-z]{6}$/);
    expect(kv.access_policy).toBeUndefined();
  });

  it('denies the Key Vault network except trusted Azure services and listed ranges when private', () => {
    expect(only(privateVault, 'azurerm_key_vault')).toMatchObject({
      public_network_access_enabled: false,
      network_acls: { bypass: 'AzureServices', default_action: 'Deny', ip_rules: ['203.0.113.0/24'] },
    });
  });

  it('creates one user-assigned identity per purpose', () => {
    expect(Object.values(all(json, 'azurerm_user_assigned_identity')).map((i) => i.name).sort()).toEqual(['id-fraud-batch', 'id-fraud-encryption', 'id-fraud-gateway', 'id-fraud-serving']);
  });

  it('deploys into an existing resource group without creating one', () => {
    expect(all(privateVault, 'azurerm_resource_group')).toEqual({});
    expect(only(privateVault, 'azurerm_key_vault').resource_group_name).toBe('rg-existing');
    expect(Object.keys(all(privateVault, 'azurerm_user_assigned_identity'))).toHaveLength(1);
  });

  it('rejects an unknown location, bad retention and a bad Key Vault name in one error', () => {
    expect(() => synth((s) => new ObservabilityBase(s, 'Base', { name: 'fraud', location: 'East US', logRetentionDays: 7, keyVaultName: 'kv_bad' })))
      .toThrow(/ObservabilityBase location: got "East US"; expected an Azure region name[\s\S]*ObservabilityBase logRetentionDays: got 7; expected an integer from 30 to 730[\s\S]*ObservabilityBase keyVaultName: got "kv_bad"/);
  });

  it('rejects a made-up region name', () => {
    expect(() => synth((s) => new ObservabilityBase(s, 'Base', { name: 'fraud', location: 'moonbase1' })))
      .toThrow('ObservabilityBase location: got "moonbase1"; expected an Azure region name such as "eastus" or "westeurope"');
  });

  it('denies the Key Vault firewall by default, trusted Azure services excepted', () => {
    expect(only(json, 'azurerm_key_vault').network_acls).toEqual({ bypass: 'AzureServices', default_action: 'Deny' });
  });

  it('uses an existing Key Vault and Log Analytics workspace without creating them', () => {
    const vault = { id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-shared', vaultUri: 'https://kv-shared.vault.azure.net/' };
    const logs = { id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log-shared' };
    const existing = synth((s) => new ObservabilityBase(s, 'Base', { name: 'fraud', location: 'eastus', existingKeyVault: vault, existingLogAnalyticsWorkspace: logs }));
    expect(existing.resource.azurerm_key_vault).toBeUndefined();
    expect(existing.resource.azurerm_log_analytics_workspace).toBeUndefined();
    expect(only(existing, 'azurerm_application_insights').workspace_id).toBe(logs.id);
  });

  it('rejects an unknown firewall action and vault settings next to an existing vault', () => {
    expect(() => synth((s) => new ObservabilityBase(s, 'Base', { name: 'fraud', location: 'eastus', keyVaultNetworkDefaultAction: 'Maybe' as 'Deny' })))
      .toThrow('ObservabilityBase keyVaultNetworkDefaultAction: got "Maybe"; expected one of "Allow", "Deny"');
    expect(() => synth((s) => new ObservabilityBase(s, 'Base', { name: 'fraud', location: 'eastus', existingKeyVault: { id: 'x', vaultUri: 'y' }, keyVaultPurgeProtection: false })))
      .toThrow('ObservabilityBase keyVaultPurgeProtection: got false; expected nothing with existingKeyVault');
  });
});
