import { TerraformStack, Testing } from 'cdktf';
import { PrivateEndpoints, virtualNetworkOf } from '../../lib/azure/private-endpoints';
import { KEY_VAULT, RG, STORAGE } from './private/fixtures';
import { all, only, ref, synth } from './private/synth';

const VNET = '/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet';
const SUBNET = `${VNET}/subnets/endpoints`;

describe('PrivateEndpoints', () => {
  it('creates one endpoint per service in the subnet, each in its private DNS zone linked to the VNet', () => {
    const json = synth((s) => {
      const endpoints = new PrivateEndpoints(s, 'Endpoints', { name: 'fraud', resourceGroup: RG, location: 'eastus', subnetId: SUBNET });
      endpoints.connect('Blob', STORAGE.id, 'blob');
      endpoints.connect('Queue', STORAGE.id, 'queue');
      endpoints.connect('KeyVault', KEY_VAULT.id, 'vault');
      expect(endpoints.createdZoneCount).toBe(3);
    });
    const blob = Object.values(all(json, 'azurerm_private_endpoint')).find((e) => e.name === 'pe-fraud-blob')!;
    expect(blob).toMatchObject({
      subnet_id: SUBNET, location: 'eastus', resource_group_name: RG.name,
      private_service_connection: { private_connection_resource_id: STORAGE.id, subresource_names: ['blob'], is_manual_connection: false },
      private_dns_zone_group: { name: 'default', private_dns_zone_ids: [ref(json, 'azurerm_private_dns_zone', 'Endpoints/Zone-blob')] },
    });
    expect(Object.values(all(json, 'azurerm_private_dns_zone')).map((z) => z.name).sort()).toEqual(['privatelink.blob.core.windows.net', 'privatelink.queue.core.windows.net', 'privatelink.vaultcore.azure.net']);
    for (const link of Object.values(all(json, 'azurerm_private_dns_zone_virtual_network_link'))) expect(link).toMatchObject({ virtual_network_id: VNET, registration_enabled: false });
  });

  it('uses the zones you already have and creates none of them', () => {
    const zone = '/subscriptions/0/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io';
    const json = synth((s) => new PrivateEndpoints(s, 'Endpoints', { name: 'fraud', resourceGroup: RG, location: 'eastus', subnetId: SUBNET, privateDnsZoneIds: { registry: zone } })
      .connect('Registry', '/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crfraud', 'registry'));
    expect(only(json, 'azurerm_private_endpoint').private_dns_zone_group.private_dns_zone_ids).toEqual([zone]);
    expect(all(json, 'azurerm_private_dns_zone')).toEqual({});
  });

  it('reads the VNet from a subnet id', () => {
    expect(virtualNetworkOf(SUBNET)).toBe(VNET);
    expect(virtualNetworkOf('not-a-subnet')).toBeUndefined();
  });

  it.each([
    ['a subnet id that is not one', { subnetId: '/subscriptions/0/resourceGroups/net' }, 'PrivateEndpoints subnetId: got "/subscriptions/0/resourceGroups/net"; expected a subnet id'],
    ['a zone for an unknown service', { privateDnsZoneIds: { cosmos: 'x' } }, 'PrivateEndpoints privateDnsZoneIds.cosmos: got "x"; expected a zone for one of blob, queue, table, vault, registry'],
    ['a token subnet without a VNet for the zones', { subnetId: '${TfToken[TOKEN.9]}' }, 'PrivateEndpoints virtualNetworkId: got undefined; expected the VNet to link the private DNS zones to'],
  ])('rejects %s', (_what, over, message) => {
    expect(() => new PrivateEndpoints(new TerraformStack(Testing.app(), 'bad'), 'Endpoints', { name: 'fraud', resourceGroup: RG, location: 'eastus', subnetId: SUBNET, ...over } as never)).toThrow(message);
  });
});
