// One helper for every Azure RBAC grant, so each assignment names its built-in role and scope the same way.
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';

/** Built-in role names we assign (exact Azure role definition names). */
export type BuiltInRole =
  | 'AcrPull'
  | 'Key Vault Crypto Officer'
  | 'Key Vault Crypto Service Encryption User'
  | 'Key Vault Secrets User'
  | 'Monitoring Metrics Publisher'
  | 'Storage Blob Data Contributor'
  | 'Storage Blob Data Owner'
  | 'Storage Blob Data Reader'
  | 'Storage Queue Data Contributor'
  | 'Storage Table Data Contributor'
  | 'Contributor';

export interface RoleGrant {
  readonly principalId: string;
  readonly role: BuiltInRole;
  readonly scope: string;
  /** Why the principal needs the role; shown in the portal. */
  readonly description: string;
  /**
   * What the principal is. `ServicePrincipal` (managed identities) lets Azure skip the Entra ID lookup that fails
   * for a minute or two after an identity is created (PrincipalNotFound, replication delay). Use `Unknown` for the
   * principal running Terraform, which may be a user or a service principal: a wrong type fails the assignment
   * (UnmatchedPrincipalType), so it is left for Azure to look up.
   * @default 'ServicePrincipal'
   */
  readonly principalType?: PrincipalType;
}

/** The kinds of principal a role assignment can name; `Unknown` leaves `principal_type` unset. */
export type PrincipalType = 'ServicePrincipal' | 'User' | 'Group' | 'Unknown';

/** Assigns a built-in role. Managed identities are marked `ServicePrincipal` so a fresh identity does not fail the Entra ID replication check. */
export function grantRole(scope: Construct, id: string, grant: RoleGrant): RoleAssignment {
  const principalType = grant.principalType ?? 'ServicePrincipal';
  return new RoleAssignment(scope, id, {
    principalId: grant.principalId,
    principalType: principalType === 'Unknown' ? undefined : principalType,
    roleDefinitionName: grant.role,
    scope: grant.scope,
    description: grant.description,
  });
}
