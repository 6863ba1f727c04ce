// How GcpModelStack applies its `network` option: validation, the connector it creates, and how the service and the
// functions attach to the VPC.
import { Construct } from 'constructs';
import { GcpNetworkCostOptions } from '../../core/gcp-network-cost';
import { isTokenList, ValidationErrors } from '../../core';
import { ServiceVpcAccess } from '../model-service';
import { GcpNetworkOptions } from '../network-options';
import { VpcConnector } from '../vpc-connector';
import { boundedName } from './gcp-names';
import { checkConnectorId, checkNetworkName, checkSubnetworkName } from './network-checks';

/** Records the problems of `network`; `batchConnector` is the batch options' own connector, which `network` replaces. */
export function checkNetworkOptions(errors: ValidationErrors, network: GcpNetworkOptions | undefined, functionsNeedConnector: boolean, batchConnector: string | undefined): void {
  if (network === undefined) return;
  checkSubnetworkName(errors, 'network.subnetwork', network.subnetwork);
  errors.check(typeof network.subnetwork === 'string', 'network.subnetwork', network.subnetwork, 'the subnetwork of the serving service\'s Direct VPC egress');
  checkNetworkName(errors, 'network.network', network.network);
  checkConnectorId(errors, 'network.connector', network.connector);
  errors.checkOneOf('network.servingEgress', network.servingEgress, ['private-ranges-only', 'all-traffic']);
  errors.checkStringList('network.networkTags', network.networkTags);
  errors.check(network.connector === undefined || network.newConnector === undefined, 'network.newConnector', network.newConnector,
    'nothing when network.connector is given (one connector serves the functions)');
  if (functionsNeedConnector) {
    errors.check(network.connector !== undefined || network.newConnector !== undefined, 'network.connector', undefined,
      'a connector id, or network.newConnector: { subnetwork: "<a /28 subnet>" } (batch inference reaches the internal service only through the VPC; or batch: false)');
  }
  errors.check(batchConnector === undefined, 'batch.vpcConnector', batchConnector, 'nothing with network (network.connector serves the functions)');
}

/** How the stack placed itself in the network. */
export interface NetworkPlacement {
  readonly servingVpcAccess: ServiceVpcAccess;
  /** The functions' connector id. */
  readonly connectorId?: string;
  /** The connector created from `newConnector`. */
  readonly connector?: VpcConnector;
  readonly cost: GcpNetworkCostOptions;
}

/** Creates the connector asked for, and says how the service and the functions attach to the network. */
export function placeInNetwork(scope: Construct, network: GcpNetworkOptions, base: { projectId: string; region: string }, modelName: string): NetworkPlacement {
  const connector = network.newConnector
    ? new VpcConnector(scope, 'VpcConnector', { ...base, ...network.newConnector, name: boundedName([modelName, 'vpc'], 25) })
    : undefined;
  return {
    servingVpcAccess: {
      subnetwork: network.subnetwork,
      network: network.network,
      networkTags: network.networkTags && !isTokenList(network.networkTags) ? [...network.networkTags] : network.networkTags,
      egress: network.servingEgress,
    },
    connectorId: network.connector ?? connector?.connectorId,
    connector,
    cost: {
      directVpcEgress: true,
      connector: connector ? { machineType: connector.machineType, minInstances: connector.minInstances, maxInstances: connector.maxInstances } : undefined,
    },
  };
}
