// A Serverless VPC Access connector in a /28 subnet of yours, through which the Cloud Functions (batch inference, drift)
// send their egress: Cloud Functions gen2 in the google provider 6.x has no Direct VPC egress, only connectors.
import { Construct } from 'constructs';
import { VpcAccessConnector } from '@cdktf/provider-google/lib/vpc-access-connector';
import { ValidationErrors } from '../core';
import { boundedName, checkProjectId, checkRegion } from './private/gcp-names';
import { checkSubnetworkName, privateGoogleAccessPrecondition } from './private/network-checks';

/** Machine types a connector runs on (cloud.google.com/vpc/docs/serverless-vpc-access). */
export type ConnectorMachineType = 'e2-micro' | 'f1-micro' | 'e2-standard-4';

export interface VpcConnectorProps {
  readonly projectId: string;
  readonly region: string;
  /** Connector name (at most 25 characters). */
  readonly name: string;
  /**
   * A /28 subnet of the VPC used by nothing else (Serverless VPC Access requires it), with Private Google Access on:
   * the functions route all egress through it, Cloud Storage calls included (a plan-time check stops the apply otherwise).
   * A Shared VPC subnet is named `projects/<host project>/regions/<region>/subnetworks/<name>`.
   */
  readonly subnetwork: string;
  /** @default 'e2-micro' */
  readonly machineType?: ConnectorMachineType;
  /** Connector instances always running (2 to 9); each is billed as a VM of `machineType`. @default 2 */
  readonly minInstances?: number;
  /** Most instances under load (3 to 10, above minInstances). @default 3 */
  readonly maxInstances?: number;
}

/** A connector the stack creates; `connectorId` is what functions take as `vpcConnector`. */
export class VpcConnector extends Construct {
  readonly connector: VpcAccessConnector;
  /** `projects/<p>/locations/<r>/connectors/<name>`. */
  readonly connectorId: string;
  readonly machineType: ConnectorMachineType;
  readonly minInstances: number;
  readonly maxInstances: number;

  constructor(scope: Construct, id: string, props: VpcConnectorProps) {
    super(scope, id);
    const errors = new ValidationErrors('VpcConnector');
    checkProjectId(errors, 'projectId', props.projectId);
    checkRegion(errors, 'region', props.region);
    errors.checkPattern('name', props.name, /^[a-z][-a-z0-9]{0,23}[a-z0-9]$/, '2-25 lowercase letters, digits or hyphens, starting with a letter');
    checkSubnetworkName(errors, 'subnetwork', props.subnetwork);
    const machineType = props.machineType ?? 'e2-micro';
    const minInstances = props.minInstances ?? 2;
    const maxInstances = props.maxInstances ?? 3;
    errors.checkOneOf('machineType', machineType, ['e2-micro', 'f1-micro', 'e2-standard-4']);
    errors.checkNumber('minInstances', minInstances, { min: 2, max: 9, integer: true });
    errors.checkNumber('maxInstances', maxInstances, { min: 3, max: 10, integer: true });
    errors.check(maxInstances > minInstances, 'maxInstances', maxInstances, `more than minInstances (${minInstances})`);
    errors.throwIfAny();
    this.machineType = machineType;
    this.minInstances = minInstances;
    this.maxInstances = maxInstances;

    const shared = /^projects\/([^/]+)\/regions\/[^/]+\/subnetworks\/([^/]+)$/.exec(props.subnetwork);
    this.connector = new VpcAccessConnector(this, 'Connector', {
      project: props.projectId,
      region: props.region,
      name: boundedName([props.name], 25),
      subnet: shared ? { projectId: shared[1], name: shared[2] } : { name: props.subnetwork },
      machineType,
      minInstances,
      maxInstances,
      lifecycle: { precondition: [privateGoogleAccessPrecondition(this, 'Subnetwork', { ...props }, `connector ${props.name}`)] },
    });
    this.connectorId = this.connector.id;
  }
}
