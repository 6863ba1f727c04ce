// What the drift check needs, the same whether it runs as a Container Apps job or a Flex Consumption function: its
// baseline and capture URIs, its own identity, and Storage Blob Data Reader on those two containers, nothing wider.
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { parseBlobUrl } from './azure-facts';
import { grantRole } from './role-grant';
import { warn } from './warn';
import { IBlobStorageRef, IResourceGroupRef, IUserAssignedIdentityRef } from '../references';

export interface DriftReadGrants {
  /** Construct name for the warnings (`DriftJob`, `DriftFunction`). */
  readonly construct: string;
  readonly model: string;
  readonly principalId: string;
  readonly storage: IBlobStorageRef;
  readonly baselineUri: string;
  readonly captureUri: string;
}

/**
 * Grants read on the baseline's and the capture folder's containers when they are in `storage`; warns (recorded
 * and printed) for a URI elsewhere, whose grant the user makes.
 */
export function grantDriftReads(scope: Construct, props: DriftReadGrants): RoleAssignment[] {
  return grantContainerReads(scope, { ...props, purpose: 'drift', uris: [['baselineUri', props.baselineUri], ['captureUri', props.captureUri]] });
}

/**
 * Storage Blob Data Reader for `principalId` on the container of each URI in `storage` (one grant per container);
 * a warning for a URI elsewhere. The drift and quality checks read with these and nothing wider.
 */
export function grantContainerReads(scope: Construct, props: {
  readonly construct: string;
  readonly model: string;
  /** `drift`, `quality`: in warnings and grant descriptions. */
  readonly purpose: string;
  readonly principalId: string;
  readonly storage: IBlobStorageRef;
  /** [prop name, folder URI] pairs. */
  readonly uris: readonly (readonly [string, string])[];
}): RoleAssignment[] {
  const account = props.storage.accountName;
  const scopes = new Map<string, string>();
  for (const [prop, uri] of props.uris) {
    const blob = parseBlobUrl(uri);
    if (!blob || blob.account !== account) {
      warn(scope, `${props.construct} ${prop}: ${uri} is not in storage account ${account}; grant the ${props.purpose} identity Storage Blob Data Reader on it yourself`);
      continue;
    }
    const known = props.storage.containers?.[blob.container];
    scopes.set(blob.container, known ? known.id : `${props.storage.account.id}/blobServices/default/containers/${blob.container}`);
  }
  return [...scopes].map(([container, scopeId]) => grantRole(scope, `Read-${container}`, {
    principalId: props.principalId,
    role: 'Storage Blob Data Reader',
    scope: scopeId,
    description: `Lets the ${props.purpose} check of ${props.model} read container ${container}`,
  }));
}

export interface DriftReader {
  readonly baselineUri: string;
  readonly captureUri: string;
  readonly identity: IUserAssignedIdentityRef;
  readonly grants: RoleAssignment[];
}

/** The drift check's URIs (stack defaults when not given), identity (`id-<model>-drift` unless given) and read grants. */
export function driftReader(scope: Construct, construct: string, model: string, props: {
  readonly storage: IBlobStorageRef;
  readonly baselineUri?: string;
  readonly captureUri?: string;
  readonly identity?: IUserAssignedIdentityRef;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  readonly tags?: Readonly<Record<string, string>>;
}): DriftReader {
  const account = props.storage.accountName;
  const baselineUri = props.baselineUri ?? `https://${account}.blob.core.windows.net/baseline/`;
  const captureUri = props.captureUri ?? `https://${account}.blob.core.windows.net/capture/${model}/`;
  const identity = props.identity ?? new UserAssignedIdentity(scope, 'Identity', {
    name: `id-${model}-drift`,
    location: props.location,
    resourceGroupName: props.resourceGroup.name,
    tags: { ...props.tags },
  });
  const grants = grantDriftReads(scope, { construct, model, principalId: identity.principalId, storage: props.storage, baselineUri, captureUri });
  return { baselineUri, captureUri, identity, grants };
}
