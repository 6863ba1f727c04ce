// Azure facts the constructs validate against (regions, serverless GPU regions, name rules) and
// the small naming helpers that derive globally unique names from a model name.
import { createHash } from 'crypto';

/**
 * Public Azure regions (programmatic names, as `az account list-locations --query "[].name"` prints them).
 * Sovereign clouds (China, US Gov) are left out: their provider `environment` differs.
 */
export const AZURE_LOCATIONS: readonly string[] = [
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast', 'belgiumcentral',
  'brazilsouth', 'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralindia', 'centralus', 'chilecentral',
  'eastasia', 'eastus', 'eastus2', 'francecentral', 'francesouth', 'germanynorth', 'germanywestcentral',
  'indonesiacentral', 'israelcentral', 'italynorth', 'japaneast', 'japanwest', 'jioindiacentral', 'jioindiawest',
  'koreacentral', 'koreasouth', 'malaysiawest', 'mexicocentral', 'newzealandnorth', 'northcentralus', 'northeurope',
  'norwayeast', 'norwaywest', 'polandcentral', 'qatarcentral', 'southafricanorth', 'southafricawest',
  'southcentralus', 'southindia', 'southeastasia', 'spaincentral', 'swedencentral', 'switzerlandnorth',
  'switzerlandwest', 'uaecentral', 'uaenorth', 'uksouth', 'ukwest', 'westcentralus', 'westeurope', 'westindia',
  'westus', 'westus2', 'westus3',
];

/**
 * Regions with Container Apps serverless GPU profiles, per profile type. Sources:
 * - Microsoft Learn "Using serverless GPUs in Azure Container Apps", section "Supported regions"
 *   (MicrosoftDocs/azure-docs, articles/container-apps/gpu-serverless-overview.md): West US 3 (A100, T4),
 *   West US (A100), Australia East (A100, T4), Sweden Central (A100, T4), West Europe (T4);
 * - the Container Apps team's 2026 GPU sample (github.com/simonjj/gemma4-on-aca, README "GPU region availability")
 *   adds brazilsouth, canadacentral, eastus, italynorth and uksouth, without a per-GPU breakdown, and the
 *   Azure Retail Prices API lists both GPU meters in East US (see the catalog's price source).
 * The list changes: re-check https://learn.microsoft.com/azure/container-apps/gpu-serverless-overview#supported-regions
 * and override it with `serverlessGpuRegions` when Azure adds a region.
 */
export const SERVERLESS_GPU_REGIONS: Readonly<Record<string, readonly string[]>> = {
  'Consumption-GPU-NC8as-T4': ['australiaeast', 'brazilsouth', 'canadacentral', 'eastus', 'italynorth', 'swedencentral', 'uksouth', 'westeurope', 'westus3'],
  'Consumption-GPU-NC24-A100': ['australiaeast', 'brazilsouth', 'canadacentral', 'eastus', 'italynorth', 'swedencentral', 'uksouth', 'westus', 'westus3'],
};

/** Storage account names: 3-24 lowercase letters and digits, globally unique. */
export const STORAGE_ACCOUNT_NAME_PATTERN = /^[a-z0-9]{3,24}$/;
/** Key Vault names: 3-24 letters, digits and hyphens, starting with a letter, no trailing or double hyphen. */
export const KEY_VAULT_NAME_PATTERN = /^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
/** Container registry names: 5-50 letters and digits. */
export const CONTAINER_REGISTRY_NAME_PATTERN = /^[a-zA-Z0-9]{5,50}$/;
/** Azure ML workspace names: 3-33 letters, digits, hyphens and underscores, starting with a letter or digit. */
export const ML_WORKSPACE_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
/** Resource group names: 1-90 word characters, hyphens, periods and parentheses, not ending in a period. */
export const RESOURCE_GROUP_NAME_PATTERN = /^[-\w.()]{0,89}[-\w()]$/;

/**
 * Container Apps app, job and environment names: 2-32 lowercase letters, digits and single hyphens, starting with a
 * letter and ending with a letter or digit (the azurerm provider and the Microsoft.App API both enforce it).
 */
export const CONTAINER_APPS_NAME_PATTERN = /^(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/**
 * `prefix` + model name + `suffix` when that is a valid Container Apps name; otherwise shortened (see {@link fitName}).
 * `prefix` must start with a letter; `suffix`, if any, with a hyphen.
 */
export function containerAppsName(prefix: string, modelName: string, suffix = ''): string {
  return fitName(prefix, modelName, suffix, 32, CONTAINER_APPS_NAME_PATTERN);
}

/**
 * `prefix` + model name + `suffix` when it matches `pattern` (which should bound the length by `maxLength`);
 * otherwise the model name is shortened (hyphen runs collapsed, cut to fit, no trailing hyphen) and followed by a
 * 6-character hash of it, so different long names stay distinct and one name always gives the same result.
 */
export function fitName(prefix: string, modelName: string, suffix: string, maxLength: number, pattern: RegExp): string {
  const full = `${prefix}${modelName}${suffix}`;
  if (full.length <= maxLength && pattern.test(full)) return full;
  const hash = stableHash(6, modelName);
  const room = maxLength - prefix.length - suffix.length - hash.length - 1;
  const body = modelName.replace(/-+/g, '-').slice(0, Math.max(0, room)).replace(/^-+|-+$/g, '');
  return `${prefix}${body ? `${body}-` : ''}${hash}${suffix}`;
}

/** A short, stable hash (base36, `length` characters) of the given parts. */
export function stableHash(length: number, ...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return BigInt(`0x${hex.slice(0, 16)}`).toString(36).padStart(length, '0').slice(0, length);
}

/** A UUID (version-4 layout) derived from the given parts, for resources whose name must be a GUID (workbooks). */
export function stableUuid(...parts: readonly string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A globally unique-looking name of at most `maxLength` lowercase letters and digits:
 * `prefix` + the model name's letters and digits (cut to fit) + a 6-character hash of `hashParts`.
 */
export function compactName(prefix: string, modelName: string, maxLength: number, ...hashParts: readonly string[]): string {
  const hash = stableHash(6, modelName, ...hashParts);
  const body = modelName.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `${prefix}${body.slice(0, Math.max(0, maxLength - prefix.length - hash.length))}${hash}`;
}

/**
 * Parses `https://<account>.blob.core.windows.net/<container>/<path>` into its account and container,
 * or returns undefined for any other URI.
 */
export function parseBlobUrl(uri: string): { account: string; container: string } | undefined {
  const match = /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?)(?:\/|$)/.exec(uri);
  return match ? { account: match[1], container: match[2] } : undefined;
}

/** `https://<account>.blob.core.windows.net/<container>/` with an optional folder path below it. */
export const BLOB_FOLDER_URI = /^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?\/(?:[^\s?#]*)$/;

/** An IPv4 address or CIDR range. */
export const IPV4_RANGE_PATTERN = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;
