// Encryption at rest and in transit for each data store of a Terraform stack: GCS buckets, Pub/Sub topics,
// KMS keys, Azure storage accounts, key vaults and Log Analytics workspaces.
import { DataStoreRow } from '../model';
import { asString } from '../json';
import { TfContext, TfResource, block } from './context';

function lifecycle(resource: TfResource): string {
  return block(resource.attrs.lifecycle).prevent_destroy === true ? 'prevent_destroy' : 'destroyable by terraform';
}

function gcsBucket(resource: TfResource, ctx: TfContext): DataStoreRow {
  const flags: string[] = [];
  const key = block(resource.attrs.encryption).default_kms_key_name;
  if (key === undefined) flags.push('no customer-managed key');
  const pap = asString(resource.attrs.public_access_prevention) ?? 'inherited';
  if (pap !== 'enforced') flags.push(`public_access_prevention ${pap}`);
  if (resource.attrs.uniform_bucket_level_access !== true) flags.push('fine-grained ACLs (uniform bucket-level access off)');
  if (resource.attrs.force_destroy === true) flags.push('force_destroy deletes objects with the bucket');
  const versioned = block(resource.attrs.versioning).enabled === true;
  return {
    resource: resource.address,
    type: resource.type,
    atRest: key !== undefined ? `CMEK ${ctx.render(key)}` : 'Google-managed keys',
    inTransit: 'TLS (Cloud Storage APIs are HTTPS-only)',
    protection: [`public access prevention ${pap}`, versioned ? 'versioned' : 'not versioned', lifecycle(resource)].join('; '),
    flags,
  };
}

function pubsubTopic(resource: TfResource, ctx: TfContext): DataStoreRow {
  const key = resource.attrs.kms_key_name;
  return { resource: resource.address, type: resource.type, atRest: key !== undefined ? `CMEK ${ctx.render(key)}` : 'Google-managed keys', inTransit: 'TLS (Pub/Sub APIs are HTTPS/gRPC over TLS)', protection: `retention ${ctx.render(resource.attrs.message_retention_duration ?? 'default')}`, flags: key !== undefined ? [] : ['no customer-managed key'] };
}

function kmsKey(resource: TfResource, ctx: TfContext): DataStoreRow {
  const rotation = resource.attrs.rotation_period;
  const flags = rotation === undefined ? ['no rotation_period'] : [];
  if (block(resource.attrs.lifecycle).prevent_destroy !== true) flags.push('key not protected by prevent_destroy');
  return { resource: resource.address, type: resource.type, atRest: `Cloud KMS key (${ctx.render(resource.attrs.purpose ?? 'ENCRYPT_DECRYPT')}), rotation ${rotation === undefined ? 'off' : ctx.render(rotation)}`, inTransit: 'TLS (Cloud KMS API)', protection: lifecycle(resource), flags };
}

function storageAccount(resource: TfResource, ctx: TfContext): DataStoreRow {
  const flags: string[] = [];
  const a = resource.attrs;
  const separateCmk = ctx.ofType('azurerm_storage_account_customer_managed_key').some((k) => ctx.target(k.attrs.storage_account_id)?.address === resource.address);
  const cmk = a.customer_managed_key !== undefined || separateCmk;
  if (!cmk) flags.push('no customer-managed key');
  if (a.infrastructure_encryption_enabled !== true) flags.push('no infrastructure (double) encryption');
  const tls = asString(a.min_tls_version) ?? 'TLS1_2';
  const httpsOnly = a.https_traffic_only_enabled !== false;
  if (!httpsOnly) flags.push('HTTP allowed');
  if (tls !== 'TLS1_2' && tls !== 'TLS1_3') flags.push(`min TLS ${tls}`);
  if (a.shared_access_key_enabled !== false) flags.push('shared key (account key) access enabled');
  return {
    resource: resource.address,
    type: resource.type,
    atRest: `${cmk ? 'customer-managed key' : 'Microsoft-managed keys'}${a.infrastructure_encryption_enabled === true ? ' + infrastructure encryption' : ''}`,
    inTransit: `${httpsOnly ? 'HTTPS only' : 'HTTP allowed'}, min ${tls}`,
    protection: [
      a.public_network_access_enabled === false ? 'public network access off' : 'public network access on',
      a.allow_nested_items_to_be_public === false ? 'no anonymous blobs' : 'anonymous blobs allowed',
      `kind ${ctx.render(a.account_kind ?? 'StorageV2')}`,
      lifecycle(resource),
    ].join('; '),
    flags,
  };
}

function keyVault(resource: TfResource, ctx: TfContext): DataStoreRow {
  const a = resource.attrs;
  const flags: string[] = [];
  if (a.purge_protection_enabled !== true) flags.push('purge protection off');
  if (a.public_network_access_enabled !== false && block(a.network_acls).default_action !== 'Deny') flags.push('reachable from any network');
  const rbac = a.rbac_authorization_enabled === true || a.enable_rbac_authorization === true;
  return {
    resource: resource.address,
    type: resource.type,
    atRest: `Key Vault ${ctx.render(a.sku_name)} (HSM-backed keys on premium)`,
    inTransit: 'TLS (Key Vault is HTTPS-only)',
    protection: [`soft delete ${ctx.render(a.soft_delete_retention_days ?? 90)} days`, `purge protection ${a.purge_protection_enabled === true ? 'on' : 'off'}`, rbac ? 'RBAC authorization' : 'access policies', lifecycle(resource)].join('; '),
    flags,
  };
}

function logWorkspace(resource: TfResource, ctx: TfContext): DataStoreRow {
  return { resource: resource.address, type: resource.type, atRest: 'Microsoft-managed keys', inTransit: 'TLS (HTTPS ingestion)', protection: `retention ${ctx.render(resource.attrs.retention_in_days ?? 30)} days`, flags: [] };
}

export function reviewTfDataStores(ctx: TfContext): DataStoreRow[] {
  return ctx.resources.flatMap((r): DataStoreRow[] => {
    switch (r.type) {
      case 'google_storage_bucket': return [gcsBucket(r, ctx)];
      case 'google_pubsub_topic': return [pubsubTopic(r, ctx)];
      case 'google_kms_crypto_key': return [kmsKey(r, ctx)];
      case 'azurerm_storage_account': return [storageAccount(r, ctx)];
      case 'azurerm_key_vault': return [keyVault(r, ctx)];
      case 'azurerm_log_analytics_workspace': return [logWorkspace(r, ctx)];
      default: return [];
    }
  });
}
