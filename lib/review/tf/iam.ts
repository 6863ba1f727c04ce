// Role bindings as roles x members x resources: google_*_iam_member / _binding, azurerm_role_assignment and
// key vault access policies, with primitive roles, public members and project/subscription-wide grants flagged.
import { PermissionRow } from '../model';
import { asArray, asString } from '../json';
import { TfContext, TfResource, block } from './context';

const PRIMITIVE_GCP_ROLES = new Set(['roles/owner', 'roles/editor', 'roles/viewer']);
const BROAD_AZURE_ROLES = new Set(['Owner', 'Contributor', 'User Access Administrator', 'Role Based Access Control Administrator']);
const PUBLIC_MEMBERS = new Set(['allUsers', 'allAuthenticatedUsers']);
/** Attributes of an IAM resource that are not the resource it grants on. */
const NON_RESOURCE_ATTRS = new Set(['role', 'member', 'members', 'condition', '//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each']);

function gcpFlags(type: string, role: string, members: readonly string[]): string[] {
  const flags: string[] = [];
  if (PRIMITIVE_GCP_ROLES.has(role)) flags.push(`primitive role ${role}`);
  if (/^google_(project|folder|organization)_iam_/.test(type)) flags.push(`${type.split('_')[1]}-level grant`);
  for (const m of members) if (PUBLIC_MEMBERS.has(m)) flags.push(`public member ${m}`);
  if (/\.admin$|Admin$/.test(role)) flags.push(`admin role ${role}`);
  return flags;
}

function gcpBinding(resource: TfResource, ctx: TfContext): PermissionRow {
  const role = ctx.render(resource.attrs.role);
  const members = resource.type.endsWith('_iam_binding') ? asArray(resource.attrs.members).map((m) => ctx.render(m)) : [ctx.render(resource.attrs.member)];
  const scope = Object.entries(resource.attrs)
    .filter(([k]) => !NON_RESOURCE_ATTRS.has(k))
    .map(([k, v]) => `${k}=${ctx.render(v)}`);
  const condition = block(resource.attrs.condition);
  // A custom role of the stack is shown by its permissions, which are what it grants.
  const custom = ctx.target(resource.attrs.role);
  const actions = custom?.type === 'google_project_iam_custom_role' ? asArray(custom.attrs.permissions).map((p) => ctx.render(p)) : [role];
  return {
    source: resource.address,
    grantee: members.join(', '),
    effect: 'Allow',
    actions,
    resources: [`${resource.type.replace(/^google_/, '').replace(/_iam_(member|binding)$/, '')}: ${scope.join(', ')}`],
    conditions: condition.expression !== undefined ? `${ctx.render(condition.title)}: ${ctx.render(condition.expression)}` : '',
    flags: gcpFlags(resource.type, role, [...asArray(resource.attrs.members), resource.attrs.member].map((m) => asString(m) ?? '')),
  };
}

function gcpPolicy(resource: TfResource, ctx: TfContext): PermissionRow {
  return { source: resource.address, grantee: '(authoritative policy: replaces every other binding)', effect: 'Allow', actions: ['policy_data'], resources: [ctx.render(resource.attrs.policy_data)], conditions: '', flags: ['authoritative IAM policy'] };
}

function azureScopeFlags(scope: string): string[] {
  if (/^\/subscriptions\/[^/]+$/.test(scope) || /azurerm_subscription\.[^.]+\.id$/.test(scope)) return ['subscription-level grant'];
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(scope) || /azurerm_resource_group\.[^.]+\.id$/.test(scope)) return ['resource-group-level grant'];
  if (/^\/providers\/Microsoft\.Management\/managementGroups\//i.test(scope)) return ['management-group-level grant'];
  return [];
}

function roleAssignment(resource: TfResource, ctx: TfContext): PermissionRow {
  const role = resource.attrs.role_definition_name !== undefined ? ctx.render(resource.attrs.role_definition_name) : `role id ${ctx.render(resource.attrs.role_definition_id)}`;
  const principal = ctx.target(resource.attrs.principal_id);
  const scope = ctx.render(resource.attrs.scope);
  const flags = [...(BROAD_AZURE_ROLES.has(role) ? [`broad role ${role}`] : []), ...azureScopeFlags(scope)];
  return {
    source: resource.address,
    grantee: principal ? `${principal.address} (${ctx.render(resource.attrs.principal_type ?? principal.type)})` : ctx.render(resource.attrs.principal_id),
    effect: 'Allow',
    actions: [role],
    resources: [scope],
    conditions: resource.attrs.condition !== undefined ? ctx.render(resource.attrs.condition) : '',
    flags,
  };
}

function keyVaultAccessPolicy(resource: TfResource, ctx: TfContext, vault?: string): PermissionRow {
  const actions = ['key', 'secret', 'certificate', 'storage'].flatMap((kind) => asArray(resource.attrs[`${kind}_permissions`]).map((p) => `${kind}: ${ctx.render(p)}`));
  const flags = actions.some((a) => /: (Purge|Delete|SetRotationPolicy|ManageContacts)$/i.test(a)) ? ['destructive key vault permission'] : [];
  return { source: resource.address, grantee: ctx.render(resource.attrs.object_id), effect: 'Allow', actions, resources: [vault ?? ctx.render(resource.attrs.key_vault_id)], conditions: '', flags };
}

export function reviewTfPermissions(ctx: TfContext): PermissionRow[] {
  const rows: PermissionRow[] = [];
  for (const resource of ctx.resources) {
    if (/^google_.+_iam_(member|binding)$/.test(resource.type)) rows.push(gcpBinding(resource, ctx));
    else if (/^google_.+_iam_policy$/.test(resource.type)) rows.push(gcpPolicy(resource, ctx));
    else if (resource.type === 'azurerm_role_assignment') rows.push(roleAssignment(resource, ctx));
    else if (resource.type === 'azurerm_key_vault_access_policy') rows.push(keyVaultAccessPolicy(resource, ctx));
    else if (resource.type === 'azurerm_key_vault') {
      for (const policy of asArray(resource.attrs.access_policy)) rows.push(keyVaultAccessPolicy({ ...resource, attrs: policy as TfResource['attrs'] }, ctx, resource.address));
    }
  }
  return rows;
}
