// The one-prop private switch of GcpModelStack: the serving service behind internal ingress with Direct VPC egress in
// your subnet, and the functions (batch inference, drift) sending their egress through a Serverless VPC Access
// connector, which is how they still reach the internal service.
import { VpcEgress } from './model-service';
import { VpcConnectorProps } from './vpc-connector';

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
