// Resolves the identity a construct runs as: the imported account, or one it creates (with no project roles).
import { Construct } from 'constructs';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { isTokenString } from '../../core';
import { IServiceIdentity, ServiceIdentity } from '../service-identity';

/** The identity a construct runs as: `existing`, or a new account created under `scope` with the id `id`. */
export function serviceIdentityOf(scope: Construct, id: string, existing: IServiceIdentity | undefined, account: { projectId: string; accountId: string; displayName: string }):
{ readonly identity: IServiceIdentity; readonly created?: ServiceAccount } {
  if (existing) {
    // A hand-built object (JavaScript users) is checked like fromEmail's.
    if (!isTokenString(existing.email)) ServiceIdentity.fromEmail(existing.email);
    return { identity: existing };
  }
  const created = new ServiceAccount(scope, id, { project: account.projectId, accountId: account.accountId, displayName: account.displayName });
  return { identity: { email: created.email, member: `serviceAccount:${created.email}` }, created };
}
