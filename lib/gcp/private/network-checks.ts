// Network placement shared by the service and the functions: validation of VPC references, and the deploy-time check
// that a subnet routing all egress into the VPC has Private Google Access (or Cloud Storage, Cloud Run and the metadata
// of Google APIs become unreachable from it).
import { Construct } from 'constructs';
import { Precondition } from 'cdktf';
import { DataGoogleComputeSubnetwork } from '@cdktf/provider-google/lib/data-google-compute-subnetwork';
import { ValidationErrors } from '../../core';

export const CONNECTOR_ID = /^projects\/[^/\s]+\/locations\/[^/\s]+\/connectors\/[a-z][-a-z0-9]{0,23}[a-z0-9]$/;
export const CONNECTOR_ID_EXPECTED = 'a Serverless VPC Access connector id "projects/<project>/locations/<region>/connectors/<name>"';
const NETWORK = /^([a-z]([-a-z0-9]{0,61}[a-z0-9])?|projects\/[^/\s]+\/global\/networks\/[a-z]([-a-z0-9]{0,61}[a-z0-9])?)$/;
const SUBNETWORK = /^([a-z]([-a-z0-9]{0,61}[a-z0-9])?|projects\/[^/\s]+\/regions\/[^/\s]+\/subnetworks\/[a-z]([-a-z0-9]{0,61}[a-z0-9])?)$/;

export function checkNetworkName(errors: ValidationErrors, prop: string, value: string | undefined): void {
  errors.checkPattern(prop, value, NETWORK, 'a VPC network name or "projects/<project>/global/networks/<name>"');
}

export function checkSubnetworkName(errors: ValidationErrors, prop: string, value: string | undefined): void {
  errors.checkPattern(prop, value, SUBNETWORK, 'a subnetwork name or "projects/<project>/regions/<region>/subnetworks/<name>"');
}

export function checkConnectorId(errors: ValidationErrors, prop: string, value: string | undefined): void {
  errors.checkPattern(prop, value, CONNECTOR_ID, CONNECTOR_ID_EXPECTED);
}

/**
 * Reads the subnet at plan time and returns the lifecycle precondition that stops `terraform apply` with a clear
 * message when Private Google Access is off on it, instead of a resource that deploys and then cannot reach Google APIs.
 */
export function privateGoogleAccessPrecondition(scope: Construct, id: string, subnet: { projectId: string; region: string; subnetwork: string }, who: string): Precondition {
  const reference = subnet.subnetwork.includes('/')
    ? { selfLink: subnet.subnetwork }
    : { project: subnet.projectId, region: subnet.region, name: subnet.subnetwork };
  const data = new DataGoogleComputeSubnetwork(scope, id, reference);
  return {
    condition: data.privateIpGoogleAccess,
    errorMessage: `Subnetwork ${subnet.subnetwork} has Private Google Access off: ${who} sends all egress into the VPC and could not reach Google APIs. Turn it on (gcloud compute networks subnets update <subnet> --region <region> --enable-private-ip-google-access).`,
  };
}
