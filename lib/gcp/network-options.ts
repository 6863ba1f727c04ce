// The one-prop private switch of GcpModelStack: the serving service behind internal ingress with Direct VPC egress in
// your subnet, and the functions (batch inference, drift) sending their egress through a Serverless VPC Access
// connector, which is how they still reach the internal service.
import { Construct } from 'constructs';
import { GcpNetworkCostOptions } from '../core/gcp-network-cost';
import { isTokenList, ValidationErrors } from '../core';
import { ServiceVpcAccess, VpcEgress } from './model-service';
import { boundedName } from './private/gcp-names';
import { checkConnectorId, checkNetworkName, checkSubnetworkName } from './private/network-checks';
import { VpcConnector, VpcConnectorProps } from './vpc-connector';

export interface GcpNetworkOptions {
  /**
   * Subnetwork in the stack's region for the serving service's Direct VPC egress (a name, or
   * `projects/<host project>/regions/<region>/subnetworks/<name>` for Shared VPC, where the Cloud Run service agent needs
   * `roles/compute.networkUser`). Size it for twice `scaling.maxInstances` addresses.
   */
  readonly subnetwork: string;
  /** The VPC network of `subnetwork`. @default - looked up from the subnetwork */
  readonly network?: string;
  /** Network tags on the serving instances, for firewall rules. @default - none */
  readonly networkTags?: readonly string[];
  /**
   * What the serving container sends into the VPC: private ranges only, or everything (then Private Google Access must
   * be on in `subnetwork`; a plan-time check stops the apply otherwise).
   * @default 'private-ranges-only'
   */
  readonly servingEgress?: VpcEgress;
  /**
   * An existing Serverless VPC Access connector for the functions (`projects/<p>/locations/<r>/connectors/<name>`); its
   * subnet needs Private Google Access. Give this or `newConnector` when batch inference is on: a function reaches the
   * internal service only through the VPC.
   * @default - none
   */
  readonly connector?: string;
  /**
   * A connector the stack creates in a dedicated /28 subnet of yours (billed as 2 to 3 e2-micro VMs by default; see the
   * cost estimate).
   * @default - none
   */
  readonly newConnector?: Omit<VpcConnectorProps, 'projectId' | 'region' | 'name'>;
}

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
