import { IngestionStorage } from '../../lib/azure/ingestion-storage';
import { ENCRYPTION_ID, KEY_VAULT, RG } from './private/fixtures';
import { all, only, ref, roleAssignments, synth, Synthesized } from './private/synth';

describe('IngestionStorage', () => {
  let json: Synthesized;
  let cmk: Synthesized;
  let explicit: IngestionStorage;
  beforeAll(() => {
    json = synth((s) => new IngestionStorage(s, 'Storage', { name: 'fraud', resourceGroup: RG, location: 'eastus' }));
    cmk = synth((s) => explicit = new IngestionStorage(s, 'Storage', {
      name: 'fraud', resourceGroup: RG, location: 'eastus', storageAccountName: 'stfraudexplicit', replication: 'GZRS',
      customerManagedKey: { keyVault: KEY_VAULT, identity: ENCRYPTION_ID, deployerPrincipalId: 'deployer-object-id' },
    }));
  });

  it('locks the account down: HTTPS, TLS 1.2, no public blobs, no shared keys, double encryption', () => {
    expect(only(json, 'azurerm_storage_account')).toMatchObject({
      account_replication_type: 'ZRS',
      https_traffic_only_enabled: true,
      min_tls_version: 'TLS1_2',
      allow_nested_items_to_be_public: false,
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      infrastructure_encryption_enabled: true,
      cross_tenant_replication_enabled: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it('builds literal blob URLs and the storage reference other constructs take', () => {
    expect(explicit.blobUrl('capture', 'fraud/')).toBe('https://stfraudexplicit.blob.core.windows.net/capture/fraud/');
    expect(explicit.blobStorage.accountName).toBe('stfraudexplicit');
    expect(Object.keys(explicit.blobStorage.containers!)).toContain('baseline');
    expect(explicit.baselineContainer).toBe(explicit.containers.baseline);
  });

  it('versions blobs and soft-deletes blobs and containers for 30 days', () => {
    expect(only(json, 'azurerm_storage_account').blob_properties).toMatchObject({
      versioning_enabled: true,
      delete_retention_policy: { days: 30 },
      container_delete_retention_policy: { days: 30 },
    });
  });

  it('derives a valid account name from the model name and a hash', () => {
    expect(only(json, 'azurerm_storage_account').name).toMatch(/^stfraud[0-9a-z]{6}$/);
  });

  it('creates private incoming, predictions, capture, baseline and deadletter containers through Resource Manager', () => {
    const containers = Object.values(all(json, 'azurerm_storage_container'));
    expect(containers.map((c) => c.name).sort()).toEqual(['baseline', 'capture', 'deadletter', 'incoming', 'predictions']);
    for (const c of containers) {
      expect(c).toMatchObject({ container_access_type: 'private', storage_account_id: ref(json, 'azurerm_storage_account', 'Storage/Account') });
    }
  });

  it('encrypts with a rotated Key Vault key through the encryption identity when a CMK is asked for', () => {
    const account = only(cmk, 'azurerm_storage_account');
    expect(account).toMatchObject({ name: 'stfraudexplicit', account_replication_type: 'GZRS', identity: { type: 'UserAssigned', identity_ids: [ENCRYPTION_ID.id] } });
    expect(only(cmk, 'azurerm_key_vault_key')).toMatchObject({ key_vault_id: KEY_VAULT.id, key_type: 'RSA', key_size: 3072, key_opts: ['wrapKey', 'unwrapKey'], rotation_policy: { automatic: { time_after_creation: 'P90D' } } });
    expect(only(cmk, 'azurerm_storage_account_customer_managed_key')).toMatchObject({
      storage_account_id: ref(cmk, 'azurerm_storage_account', 'Storage/Account'),
      key_vault_id: KEY_VAULT.id,
      key_name: ref(cmk, 'azurerm_key_vault_key', 'Storage/EncryptionKey', 'name'),
      user_assigned_identity_id: ENCRYPTION_ID.id,
    });
    expect(only(cmk, 'azurerm_storage_account_customer_managed_key').key_version).toBeUndefined();
  });

  it('grants the encryption identity Crypto Service Encryption User on the key only, and the deployer Crypto Officer on the vault', () => {
    expect(roleAssignments(cmk)).toEqual(expect.arrayContaining([
      { role: 'Key Vault Crypto Service Encryption User', scope: ref(cmk, 'azurerm_key_vault_key', 'Storage/EncryptionKey', 'resource_versionless_id'), principal: ENCRYPTION_ID.principalId },
      { role: 'Key Vault Crypto Officer', scope: KEY_VAULT.id, principal: 'deployer-object-id' },
    ]));
    expect(roleAssignments(cmk)).toHaveLength(2);
  });

  it('rejects storage account names that break the naming rules', () => {
    for (const bad of ['St-Fraud', 'ab', 'stfraudwithanamethatistoolong1']) {
      expect(() => synth((s) => new IngestionStorage(s, 'Storage', { name: 'fraud', resourceGroup: RG, location: 'eastus', storageAccountName: bad })))
        .toThrow(`IngestionStorage storageAccountName: got "${bad}"; expected 3-24 lowercase letters and digits (no hyphens or capitals), globally unique`);
    }
  });

  it('rejects bad retention days and replication', () => {
    expect(() => synth((s) => new IngestionStorage(s, 'Storage', { name: 'fraud', resourceGroup: RG, location: 'eastus', blobSoftDeleteDays: 0, replication: 'XRS' as never })))
      .toThrow(/IngestionStorage replication: got "XRS"; expected one of "LRS", "ZRS"[\s\S]*IngestionStorage blobSoftDeleteDays: got 0; expected an integer from 1 to 365/);
  });

  it('closes the public endpoint when asked, and denies it except trusted services and listed ranges', () => {
    const closed = synth((s) => new IngestionStorage(s, 'Storage', { name: 'fraud', resourceGroup: RG, location: 'eastus', publicNetworkAccess: false, networkDefaultAction: 'Deny', allowedIpRanges: ['198.51.100.0/24'] }));
    expect(only(closed, 'azurerm_storage_account')).toMatchObject({ public_network_access_enabled: false, network_rules: { default_action: 'Deny', bypass: ['AzureServices', 'Logging', 'Metrics'], ip_rules: ['198.51.100.0/24'] } });
  });

  it('creates only its containers in an existing account, granting on containers', () => {
    const account = { id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stshared01', name: 'stshared01', primaryBlobEndpoint: 'https://stshared01.blob.core.windows.net/' };
    let storage: IngestionStorage | undefined;
    const existing = synth((s) => { storage = new IngestionStorage(s, 'Storage', { name: 'fraud', resourceGroup: RG, location: 'eastus', existingAccount: account }); });
    expect(existing.resource.azurerm_storage_account).toBeUndefined();
    for (const c of Object.values(all(existing, 'azurerm_storage_container'))) expect(c.storage_account_id).toBe(account.id);
    expect(storage!.blobUrl('capture', 'fraud/')).toBe('https://stshared01.blob.core.windows.net/capture/fraud/');
  });

  it('rejects an unknown network action and account settings next to an existing account', () => {
    expect(() => synth((s) => new IngestionStorage(s, 'Storage', { name: 'fraud', resourceGroup: RG, location: 'eastus', networkDefaultAction: 'Open' as 'Deny' })))
      .toThrow('IngestionStorage networkDefaultAction: got "Open"; expected one of "Allow", "Deny"');
    const account = { id: 'x', name: 'stshared01', primaryBlobEndpoint: 'y' };
    expect(() => synth((s) => new IngestionStorage(s, 'Storage', { name: 'fraud', resourceGroup: RG, location: 'eastus', existingAccount: account, replication: 'LRS' })))
      .toThrow('IngestionStorage replication: got "LRS"; expected nothing with existingAccount');
  });
});
