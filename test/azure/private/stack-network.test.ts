// The stack's private-network switch and its secure defaults without one.
import { readFileSync } from 'fs';
import { join } from 'path';
import { Fn, Testing } from 'cdktf';
import { AzureModelStack, AzureModelStackProps } from '../../../lib/azure/azure-model-stack';
import { ExistingAzure } from '../../../lib/azure/existing-azure';
import { azurePrivateNetworkingCostLines } from '../../../lib/core/azure-network-cost';
import { setWarningSink } from '../../../lib/core/warnings';
import { all, at, only, parse, ref, Synthesized } from './synth';

const VNET = '/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet';
const NETWORK = {
  environmentSubnetId: `${VNET}/subnets/aca`,
  privateEndpointSubnetId: `${VNET}/subnets/endpoints`,
  functionSubnetId: `${VNET}/subnets/functions`,
  allowedIpRanges: ['203.0.113.10'],
};
const registry = ExistingAzure.containerRegistryFromId('/subscriptions/0/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/crfraud');
const spec = { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1' };
const stackOf = (props: Partial<AzureModelStackProps>) => new AzureModelStack(Testing.app(), 'net', { spec, existingRegistry: registry, ...props } as AzureModelStackProps);
const printed: string[] = [];
let restoreSink: (line: string) => void;
beforeAll(() => { restoreSink = setWarningSink((line) => printed.push(line)); });
afterAll(() => { setWarningSink(restoreSink); });

describe('AzureModelStack secure defaults (no VNet)', () => {
  let json: Synthesized;
  beforeAll(() => { json = parse(stackOf({})); });

  it('denies the Key Vault network except trusted Azure services (nothing in the stack reads its data plane)', () => {
    expect(only(json, 'azurerm_key_vault')).toMatchObject({ public_network_access_enabled: true, network_acls: { bypass: 'AzureServices', default_action: 'Deny' } });
  });

  it('keeps the ingestion account open only to Entra ID callers: no keys, no anonymous access, trusted services bypass', () => {
    expect(at(json, 'azurerm_storage_account', 'Storage/Account')).toMatchObject({
      shared_access_key_enabled: false, allow_nested_items_to_be_public: false, public_network_access_enabled: true,
      network_rules: { default_action: 'Allow', bypass: ['AzureServices', 'Logging', 'Metrics'] },
    });
  });

  it('opens the Key Vault firewall for a customer-managed key only when no runner address is listed, and says so', () => {
    printed.length = 0;
    const open = parse(stackOf({ customerManagedKey: true }));
    expect(only(open, 'azurerm_key_vault').network_acls.default_action).toBe('Allow');
    expect(printed).toContainEqual(expect.stringContaining('AzureModelStack customerManagedKey: the Key Vault firewall allows public traffic'));
    const listed = parse(stackOf({ customerManagedKey: true, keyVaultAllowedIpRanges: ['198.51.100.4'] }));
    expect(only(listed, 'azurerm_key_vault').network_acls).toMatchObject({ default_action: 'Deny', ip_rules: ['198.51.100.4'] });
  });
});

describe('AzureModelStack privateNetworking', () => {
  let json: Synthesized;
  let stack: AzureModelStack;
  beforeAll(() => {
    stack = stackOf({ privateNetworking: NETWORK, apiFront: false, registryName: undefined });
    json = parse(stack);
  });

  it('puts the Container Apps environment in the subnet behind an internal load balancer, and resolves its apps in the VNet', () => {
    expect(only(json, 'azurerm_container_app_environment')).toMatchObject({ infrastructure_subnet_id: NETWORK.environmentSubnetId, internal_load_balancer_enabled: true });
    const zone = at(json, 'azurerm_private_dns_zone', 'EnvironmentDns/Zone');
    expect(zone.name).toBe(ref(json, 'azurerm_container_app_environment', 'Serving/Environment', 'default_domain'));
    expect(only(json, 'azurerm_private_dns_a_record')).toMatchObject({ name: '*', records: [ref(json, 'azurerm_container_app_environment', 'Serving/Environment', 'static_ip_address')] });
    expect(at(json, 'azurerm_private_dns_zone_virtual_network_link', 'EnvironmentDns/ZoneLink').virtual_network_id).toBe(VNET);
  });

  it('lets the batch function in the VNet call the app with its Entra ID token (no API front)', () => {
    expect(only(json, 'azurerm_container_app').ingress.external_enabled).toBe(true);
    expect(at(json, 'azurerm_function_app_flex_consumption', 'Batch/Function').app_settings.BACKEND_AUDIENCE).toBe(ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-serving', 'client_id'));
    expect(at(json, 'azurerm_resource_group_template_deployment', 'Serving/CallerAuthentication').parameters_content).toContain(ref(json, 'azurerm_user_assigned_identity', 'Base/Identity-batch', 'client_id').slice(2, -1));
  });

  it('integrates both functions with the function subnet and closes their host storage', () => {
    for (const path of ['Batch', 'Drift']) {
      expect(at(json, 'azurerm_function_app_flex_consumption', `${path}/Function`).virtual_network_subnet_id).toBe(NETWORK.functionSubnetId);
      expect(at(json, 'azurerm_storage_account', `${path}/HostStorage`).network_rules).toMatchObject({ default_action: 'Deny', bypass: ['AzureServices', 'Logging', 'Metrics'], ip_rules: ['203.0.113.10'] });
    }
  });

  it('denies the ingestion account\'s public endpoint except trusted services (Event Grid dead letters) and listed ranges', () => {
    expect(at(json, 'azurerm_storage_account', 'Storage/Account')).toMatchObject({
      public_network_access_enabled: true, network_rules: { default_action: 'Deny', bypass: ['AzureServices', 'Logging', 'Metrics'], ip_rules: ['203.0.113.10'] },
    });
    const noBatch = parse(stackOf({ privateNetworking: NETWORK, apiFront: false, batchInference: false }));
    expect(at(noBatch, 'azurerm_storage_account', 'Storage/Account').public_network_access_enabled).toBe(false);
  });

  it('turns the Key Vault\'s public access off and reaches it through a private endpoint', () => {
    const bare = parse(stackOf({ privateNetworking: { ...NETWORK, allowedIpRanges: undefined }, apiFront: false }));
    expect(only(bare, 'azurerm_key_vault')).toMatchObject({ public_network_access_enabled: false, network_acls: { default_action: 'Deny', bypass: 'AzureServices' } });
    expect(Object.values(all(bare, 'azurerm_private_endpoint')).find((e) => e.name === 'pe-fraud-keyvault')!.private_service_connection.private_connection_resource_id)
      .toBe(ref(bare, 'azurerm_key_vault', 'Base/KeyVault'));
    printed.length = 0;
    const withKey = parse(stackOf({ privateNetworking: { ...NETWORK, allowedIpRanges: undefined }, apiFront: false, customerManagedKey: true }));
    expect(only(withKey, 'azurerm_key_vault')).toMatchObject({ public_network_access_enabled: true, network_acls: { default_action: 'Deny' } });
    expect(printed).toContainEqual(expect.stringContaining('run Terraform inside the network, or list its address in privateNetworking.allowedIpRanges'));
  });

  it('creates private endpoints for the ingestion account, both host accounts and the vault, with their DNS zones', () => {
    const endpoints = Object.values(all(json, 'azurerm_private_endpoint'));
    expect(endpoints.map((e) => `${e.name}:${e.private_service_connection.subresource_names[0]}`).sort()).toEqual([
      'pe-fraud-batchhostblob:blob', 'pe-fraud-batchhostqueue:queue', 'pe-fraud-batchhosttable:table',
      'pe-fraud-drifthostblob:blob', 'pe-fraud-drifthostqueue:queue', 'pe-fraud-drifthosttable:table',
      'pe-fraud-ingestionblob:blob', 'pe-fraud-keyvault:vault',
    ]);
    for (const e of endpoints) expect(e.subnet_id).toBe(NETWORK.privateEndpointSubnetId);
    expect(Object.values(all(json, 'azurerm_private_dns_zone')).map((z) => z.name)).toEqual(expect.arrayContaining([
      'privatelink.blob.core.windows.net', 'privatelink.queue.core.windows.net', 'privatelink.table.core.windows.net', 'privatelink.vaultcore.azure.net',
    ]));
    expect(stack.networkCost).toEqual({ privateEndpoints: 8, privateDnsZones: 5 });
    expect(json.provider!.azurerm[0].resource_providers_to_register).toContain('Microsoft.Network');
  });

  it('makes a registry it creates Premium with public access off and a private endpoint, and prices the upgrade', () => {
    const created = stackOf({ privateNetworking: NETWORK, apiFront: false, existingRegistry: undefined, registryName: 'crfraud' });
    const out = parse(created);
    expect(only(out, 'azurerm_container_registry')).toMatchObject({ sku: 'Premium', public_network_access_enabled: false });
    expect(Object.values(all(out, 'azurerm_private_endpoint')).find((e) => e.name === 'pe-fraud-registry')!.private_service_connection)
      .toMatchObject({ private_connection_resource_id: ref(out, 'azurerm_container_registry', 'Serving/Registry'), subresource_names: ['registry'] });
    expect(created.networkCost).toEqual({ privateEndpoints: 9, privateDnsZones: 6, registryUpgradedFrom: 'Standard' });
  });

  it('keeps a public ingress behind API Management by default, and an environment in the subnet', () => {
    const withApi = parse(stackOf({ privateNetworking: NETWORK }));
    expect(only(withApi, 'azurerm_container_app_environment')).toMatchObject({ infrastructure_subnet_id: NETWORK.environmentSubnetId, internal_load_balancer_enabled: false });
    expect(withApi.resource.azurerm_private_dns_a_record).toBeUndefined();
  });

  it('prices the option from the cost model, as docs/azure.md quotes it', () => {
    // The default traffic of the cost model: 1 M requests of 10 KB, all captured.
    const lines = azurePrivateNetworkingCostLines(stack.networkCost!, (1_000_000 * 10) / 1_048_576);
    expect(lines.map((l) => [l.item, l.minUsd])).toEqual([['Private endpoints', 58.4], ['Private endpoint data processed', 0.1], ['Private DNS zones', 2.5]]);
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'azure.md'), 'utf8');
    const quoted = /<!-- network-cost:example -->\n([\s\S]*?)<!-- \/network-cost:example -->/.exec(doc)![1].trim().split('\n').slice(2);
    expect(quoted).toEqual(lines.map((l) => `| ${l.item} | ${l.basis} | ${l.minUsd.toFixed(2)} |`));
  });

  it('accepts list tokens for the allowed ranges and joins them with the vault\'s own in Terraform', () => {
    const ranges = Fn.split(',', '198.51.100.1,198.51.100.2');
    const tokens = parse(stackOf({ privateNetworking: { ...NETWORK, allowedIpRanges: ranges }, apiFront: false, keyVaultAllowedIpRanges: ['192.0.2.9'] }));
    expect(at(tokens, 'azurerm_storage_account', 'Storage/Account').network_rules.ip_rules).toBe('${split(",", "198.51.100.1,198.51.100.2")}');
    expect(only(tokens, 'azurerm_key_vault').network_acls.ip_rules).toBe('${concat(["192.0.2.9"], split(",", "198.51.100.1,198.51.100.2"))}');
  });

  it.each([
    ['no function subnet with batch inference', { privateNetworking: { ...NETWORK, functionSubnetId: undefined }, apiFront: false }, 'AzureModelStack privateNetworking.functionSubnetId: got undefined; expected a subnet id'],
    ['the environment subnet for the functions', { privateNetworking: { ...NETWORK, functionSubnetId: NETWORK.environmentSubnetId }, apiFront: false }, 'AzureModelStack privateNetworking.functionSubnetId: got "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aca"; expected a subnet other than environmentSubnetId'],
    ['an internal load balancer behind API Management Consumption', { privateNetworking: { ...NETWORK, internalLoadBalancer: true } }, 'AzureModelStack privateNetworking.internalLoadBalancer: got true; expected false with apiFront'],
    ['a subnet id that is a VNet id', { privateNetworking: { ...NETWORK, privateEndpointSubnetId: VNET }, apiFront: false }, 'AzureModelStack privateNetworking.privateEndpointSubnetId: got "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet"; expected a subnet id'],
    ['a bad allowed range', { privateNetworking: { ...NETWORK, allowedIpRanges: ['everyone'] }, apiFront: false }, 'AzureModelStack privateNetworking.allowedIpRanges[0]: got "everyone"; expected an IPv4 address or CIDR range'],
    ['a private registry below Premium', { privateNetworking: NETWORK, apiFront: false, existingRegistry: undefined, registryName: 'crfraud', registrySku: 'Standard' }, 'ContainerAppServing registryPublicNetworkAccess: got false; expected a registry created here with registrySku "Premium"'],
  ])('rejects %s', (_what, over, message) => {
    expect(() => stackOf(over as Partial<AzureModelStackProps>)).toThrow(message);
  });
});

describe('AzureModelStack privateNetworking with several function hosts', () => {
  it('gives each function host storage its own blob, queue and table endpoints, named by purpose', () => {
    // given drift (the default function), quality, explain and batch, all in the VNet
    const json = parse(stackOf({
      spec: { ...spec, monitoring: { alarmEmails: ['oncall@example.com'], quality: { problemType: 'BinaryClassification', minAccuracy: 0.8 } } },
      privateNetworking: NETWORK, apiFront: false, registryName: undefined, explainJob: { featureNames: ['amount'] },
    } as Partial<AzureModelStackProps>));
    // then every host account is reached through its own three endpoints, and the drift host keeps its ids
    const endpoints = Object.entries(all(json, 'azurerm_private_endpoint'));
    const hosts = Object.entries(all(json, 'azurerm_storage_account')).filter(([id]) => /HostStorage/.test(id));
    expect(hosts).toHaveLength(4);
    for (const purpose of ['Batch', 'Drift', 'Quality', 'Explain']) {
      const host = ref(json, 'azurerm_storage_account', `${purpose}/HostStorage`);
      const mine = endpoints.filter(([, e]) => e.private_service_connection.private_connection_resource_id === host);
      expect(mine.map(([, e]) => e.name).sort()).toEqual(['blob', 'queue', 'table'].map((s) => `pe-fraud-${purpose.toLowerCase()}host${s}`));
      expect(mine.map(([, e]) => e.private_service_connection.subresource_names[0]).sort()).toEqual(['blob', 'queue', 'table']);
    }
    expect(endpoints.map(([id]) => id)).toEqual(expect.arrayContaining([expect.stringMatching(/^PrivateEndpoints_DriftHostBlob/)]));
  });
});
