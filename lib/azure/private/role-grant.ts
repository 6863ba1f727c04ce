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
  /** `User` for the deploying user, `ServicePrincipal` (default) for managed identities. */
  readonly principalType?: 'ServicePrincipal' | 'User';
}

/** Assigns a built-in role. Managed identities are marked `ServicePrincipal` so a fresh identity does not fail the Entra ID replication check. */
export function grantRole(scope: Construct, id: string, grant: RoleGrant): RoleAssignment {
  return new RoleAssignment(scope, id, {
    principalId: grant.principalId,
    principalType: grant.principalType,
    roleDefinitionName: grant.role,
    scope: grant.scope,
    description: grant.description,
  });
}
