// Private endpoints in one subnet for the stack's storage accounts, Key Vault and registry, each registered in the
// private DNS zone of its service (created here and linked to the VNet, or your own zones), so clients in the VNet
// resolve the service's usual name to the endpoint's private address.
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { Construct } from 'constructs';
import { isTokenString, ValidationErrors } from '../core';
import { IResourceGroupRef } from './references';

/** The sub-resources (group ids) we connect: blob, queue and table of a storage account, a vault, a registry. */
export type PrivateLinkService = 'blob' | 'queue' | 'table' | 'vault' | 'registry';

/** The private DNS zone each service's endpoints register in (Azure public cloud). */
export const PRIVATE_DNS_ZONE_NAMES: Readonly<Record<PrivateLinkService, string>> = {
  blob: 'privatelink.blob.core.windows.net',
  queue: 'privatelink.queue.core.windows.net',
  table: 'privatelink.table.core.windows.net',
  vault: 'privatelink.vaultcore.azure.net',
  registry: 'privatelink.azurecr.io',
};

/** Private DNS zones you already have (hub-and-spoke), by service; the stack creates the others. */
export type PrivateDnsZoneIds = Readonly<Partial<Record<PrivateLinkService, string>>>;

const SUBNET_ID = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+)\/subnets\/[^/]+$/i;

export interface PrivateEndpointsProps {
  /** Model name; prefixes endpoint names. */
  readonly name: string;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** Subnet the endpoints get their addresses in (no delegation). */
  readonly subnetId: string;
  /**
   * The VNet the created zones are linked to. A VNet can be linked to only one zone of a name: when yours already
   * is (a central DNS team), pass `privateDnsZoneIds` instead.
   * @default - the VNet of `subnetId`
   */
  readonly virtualNetworkId?: string;
  /** @default - a zone per service used, in the resource group, linked to the VNet */
  readonly privateDnsZoneIds?: PrivateDnsZoneIds;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The subnet's VNet id, when the subnet id is a literal resource id. */
export function virtualNetworkOf(subnetId: string): string | undefined {
  return SUBNET_ID.exec(subnetId)?.[1];
}

/** Creates private endpoints on demand (`connect`), and the DNS zones and VNet links they need. */
export class PrivateEndpoints extends Construct {
  readonly endpoints: PrivateEndpoint[] = [];
  /** Zones created here, by service. */
  readonly createdZones: Partial<Record<PrivateLinkService, PrivateDnsZone>> = {};
  private readonly props: PrivateEndpointsProps;
  private readonly virtualNetworkId?: string;

  constructor(scope: Construct, id: string, props: PrivateEndpointsProps) {
    super(scope, id);
    const errors = new ValidationErrors('PrivateEndpoints');
    const literal = !isTokenString(props.subnetId);
    errors.check(!literal || SUBNET_ID.test(props.subnetId), 'subnetId', props.subnetId, 'a subnet id /subscriptions/<sub>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>');
    errors.checkPattern('virtualNetworkId', props.virtualNetworkId, /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i,
      'a virtual network id /subscriptions/<sub>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>');
    const given = props.privateDnsZoneIds ?? {};
    for (const service of Object.keys(given)) {
      errors.check(service in PRIVATE_DNS_ZONE_NAMES, `privateDnsZoneIds.${service}`, given[service as PrivateLinkService], `a zone for one of ${Object.keys(PRIVATE_DNS_ZONE_NAMES).join(', ')}`);
    }
    this.virtualNetworkId = props.virtualNetworkId ?? (literal ? virtualNetworkOf(props.subnetId) : undefined);
    const allZonesGiven = Object.keys(PRIVATE_DNS_ZONE_NAMES).every((s) => given[s as PrivateLinkService] !== undefined);
    errors.check(this.virtualNetworkId !== undefined || allZonesGiven, 'virtualNetworkId', props.virtualNetworkId,
      'the VNet to link the private DNS zones to (it cannot be read from a subnet id that is a token), or privateDnsZoneIds for every service');
    errors.throwIfAny();
    this.props = props;
  }

  /** Number of zones created here so far. */
  get createdZoneCount(): number {
    return Object.keys(this.createdZones).length;
  }

  /** A private endpoint for `service` of the resource `resourceId`, registered in the service's zone. */
  connect(id: string, resourceId: string, service: PrivateLinkService): PrivateEndpoint {
    const endpoint = new PrivateEndpoint(this, id, {
      name: `pe-${this.props.name}-${id.toLowerCase()}`,
      location: this.props.location,
      resourceGroupName: this.props.resourceGroup.name,
      subnetId: this.props.subnetId,
      privateServiceConnection: {
        name: `${this.props.name}-${id.toLowerCase()}`,
        privateConnectionResourceId: resourceId,
        subresourceNames: [service],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: 'default', privateDnsZoneIds: [this.zoneId(service)] },
      tags: { ...this.props.tags },
    });
    this.endpoints.push(endpoint);
    return endpoint;
  }

  private zoneId(service: PrivateLinkService): string {
    const given = this.props.privateDnsZoneIds?.[service];
    if (given !== undefined) return given;
    let zone = this.createdZones[service];
    if (!zone) {
      zone = new PrivateDnsZone(this, `Zone-${service}`, {
        name: PRIVATE_DNS_ZONE_NAMES[service],
        resourceGroupName: this.props.resourceGroup.name,
        tags: { ...this.props.tags },
      });
      new PrivateDnsZoneVirtualNetworkLink(this, `ZoneLink-${service}`, {
        name: `${this.props.name}-${service}`,
        resourceGroupName: this.props.resourceGroup.name,
        privateDnsZoneName: zone.name,
        virtualNetworkId: this.virtualNetworkId!,
        registrationEnabled: false,
        tags: { ...this.props.tags },
      });
      this.createdZones[service] = zone;
    }
    return zone.id;
  }
}
