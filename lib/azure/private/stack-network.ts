// AzureModelStack's private-network switch: what it requires, the private endpoints it adds for the stack's
// storage accounts, Key Vault and registry, and the DNS that lets the VNet resolve an internal environment's apps.
import { ContainerAppEnvironment } from '@cdktf/provider-azurerm/lib/container-app-environment';
import { PrivateDnsARecord } from '@cdktf/provider-azurerm/lib/private-dns-a-record';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { Construct } from 'constructs';
import { isTokenString, ValidationErrors } from '../../core';
import type { PrivateNetworking } from '../azure-model-stack-props';
import { PrivateEndpoints, virtualNetworkOf } from '../private-endpoints';
import { IContainerRegistryRef, IKeyVaultRef, IResourceGroupRef, IStorageAccountRef } from '../references';
import { checkIpRanges } from './checks';

const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
const SUBNET_RULE = 'a subnet id /subscriptions/<sub>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>';

/** Records the problems of a `privateNetworking` prop under `privateNetworking.<field>`. */
export function checkPrivateNetworking(errors: ValidationErrors, pn: PrivateNetworking | undefined, stack: { readonly apiFront: boolean; readonly functions: boolean }): void {
  if (pn === undefined) return;
  const subnet = (field: 'environmentSubnetId' | 'privateEndpointSubnetId' | 'functionSubnetId', required: boolean, why: string) => {
    const value = pn[field];
    if (value === undefined) {
      errors.check(!required, `privateNetworking.${field}`, value, `${SUBNET_RULE} (${why})`);
      return;
    }
    errors.checkPattern(`privateNetworking.${field}`, value, SUBNET_ID, SUBNET_RULE);
  };
  subnet('environmentSubnetId', true, 'the Container Apps environment');
  subnet('privateEndpointSubnetId', true, 'the private endpoints');
  subnet('functionSubnetId', stack.functions, 'batch inference and the drift function integrate with it; delegated to Microsoft.App/environments');
  const literal = (v: string | undefined): v is string => v !== undefined && !isTokenString(v);
  if (literal(pn.functionSubnetId) && literal(pn.environmentSubnetId)) {
    errors.check(pn.functionSubnetId.toLowerCase() !== pn.environmentSubnetId.toLowerCase(), 'privateNetworking.functionSubnetId', pn.functionSubnetId,
      'a subnet other than environmentSubnetId (a Container Apps environment needs its subnet to itself)');
  }
  const internal = pn.internalLoadBalancer ?? !stack.apiFront;
  errors.check(!(internal && stack.apiFront), 'privateNetworking.internalLoadBalancer', pn.internalLoadBalancer,
    'false with apiFront (API Management Consumption has no VNet and reaches only a public ingress), or apiFront: false');
  if (internal && pn.virtualNetworkId === undefined) {
    errors.check(literal(pn.privateEndpointSubnetId) && virtualNetworkOf(pn.privateEndpointSubnetId) !== undefined, 'privateNetworking.virtualNetworkId', undefined,
      'the VNet id (the internal environment\'s DNS zone is linked to it; it cannot be read from a subnet id that is a token)');
  }
  checkIpRanges(errors, 'privateNetworking.allowedIpRanges', pn.allowedIpRanges);
}

export interface StackEndpoints {
  readonly name: string;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly storage: IStorageAccountRef;
  readonly keyVault: IKeyVaultRef;
  /** A registry the stack created (Premium); an existing registry's network stays its owner's. */
  readonly registry?: IContainerRegistryRef;
  /**
   * The functions' host storage accounts by purpose; the purpose prefixes the endpoints' ids (`DriftHostBlob`), so
   * each host keeps its own ids whichever other functions exist.
   */
  readonly hostStorage: Readonly<Partial<Record<HostPurpose, StorageAccount>>>;
}

/** The functions whose host storage gets private endpoints, in the order they are connected. */
const HOST_PURPOSES = ['Batch', 'Drift', 'Quality', 'Explain'] as const;
export type HostPurpose = typeof HOST_PURPOSES[number];

/** Private endpoints for every account, the vault and a created registry, in the private-endpoint subnet. */
export function connectPrivateEndpoints(scope: Construct, pn: PrivateNetworking, target: StackEndpoints): PrivateEndpoints {
  const endpoints = new PrivateEndpoints(scope, 'PrivateEndpoints', {
    name: target.name,
    resourceGroup: target.resourceGroup,
    location: target.location,
    subnetId: pn.privateEndpointSubnetId,
    virtualNetworkId: pn.virtualNetworkId,
    privateDnsZoneIds: pn.privateDnsZoneIds,
    tags: target.tags,
  });
  endpoints.connect('IngestionBlob', target.storage.id, 'blob');
  for (const purpose of HOST_PURPOSES) {
    const host = target.hostStorage[purpose];
    if (!host) continue;
    // The Functions host uses blobs (code, leases, timers), queues and tables of its storage account.
    endpoints.connect(`${purpose}HostBlob`, host.id, 'blob');
    endpoints.connect(`${purpose}HostQueue`, host.id, 'queue');
    endpoints.connect(`${purpose}HostTable`, host.id, 'table');
  }
  endpoints.connect('KeyVault', target.keyVault.id, 'vault');
  if (target.registry) endpoints.connect('Registry', target.registry.id, 'registry');
  return endpoints;
}

/**
 * An internal environment gets no DNS of its own: a private zone named after its default domain, with a wildcard
 * record to its static IP, lets the VNet (the batch function) resolve its apps. Returns the number of zones created.
 */
export function resolveEnvironmentDns(stack: Construct, environment: ContainerAppEnvironment, pn: PrivateNetworking,
  target: { readonly name: string; readonly resourceGroup: IResourceGroupRef; readonly tags: Readonly<Record<string, string>> }): number {
  const scope = new Construct(stack, 'EnvironmentDns');
  const zone = new PrivateDnsZone(scope, 'Zone', {
    name: environment.defaultDomain,
    resourceGroupName: target.resourceGroup.name,
    tags: { ...target.tags },
  });
  new PrivateDnsARecord(scope, 'Wildcard', {
    name: '*',
    zoneName: zone.name,
    resourceGroupName: target.resourceGroup.name,
    ttl: 300,
    records: [environment.staticIpAddress],
    tags: { ...target.tags },
  });
  new PrivateDnsZoneVirtualNetworkLink(scope, 'ZoneLink', {
    name: `${target.name}-environment`,
    resourceGroupName: target.resourceGroup.name,
    privateDnsZoneName: zone.name,
    virtualNetworkId: pn.virtualNetworkId ?? virtualNetworkOf(pn.privateEndpointSubnetId)!,
    registrationEnabled: false,
    tags: { ...target.tags },
  });
  return 1;
}
