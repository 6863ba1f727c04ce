// IAM as actions x resources: identity policies (AWS::IAM::Policy, ManagedPolicy, Role inline and managed
// policies) and resource policies (bucket, queue, topic, key), with wildcards and public principals flagged.
import { PermissionRow } from '../model';
import { JsonObject, asArray, asObject, asString, isObject } from '../json';
import { CfnContext, CfnResource } from './context';

const RESOURCE_POLICIES: Readonly<Record<string, { readonly document: string; readonly targets: string }>> = {
  'AWS::S3::BucketPolicy': { document: 'PolicyDocument', targets: 'Bucket' },
  'AWS::SQS::QueuePolicy': { document: 'PolicyDocument', targets: 'Queues' },
  'AWS::SNS::TopicPolicy': { document: 'PolicyDocument', targets: 'Topics' },
  'AWS::KMS::Key': { document: 'KeyPolicy', targets: '' },
  'AWS::SecretsManager::ResourcePolicy': { document: 'ResourcePolicy', targets: 'SecretId' },
  'AWS::ApiGateway::RestApi': { document: 'Policy', targets: '' },
};

/** Broad AWS managed policies worth a second look when attached to a role. */
const BROAD_MANAGED_POLICY = /(AdministratorAccess|PowerUserAccess|FullAccess|IAMFullAccess)$/;

function list(value: unknown, ctx: CfnContext): string[] {
  return asArray(value).map((v) => ctx.render(v));
}

export function renderConditions(condition: unknown, ctx: CfnContext): string {
  const parts: string[] = [];
  for (const [operator, tests] of Object.entries(asObject(condition))) {
    for (const [key, expected] of Object.entries(asObject(tests))) parts.push(`${operator} ${key} = ${list(expected, ctx).join(' | ')}`);
  }
  return parts.join('; ');
}

function renderPrincipal(principal: unknown, ctx: CfnContext): string[] {
  if (principal === '*') return ['*'];
  const out: string[] = [];
  for (const [kind, values] of Object.entries(asObject(principal))) for (const v of list(values, ctx)) out.push(`${kind}: ${v}`);
  return out;
}

export function isPublicPrincipal(principal: unknown): boolean {
  return principal === '*' || asArray(asObject(principal).AWS).includes('*');
}

interface StatementOptions {
  readonly source: string;
  readonly grantee?: string;
  /** Resource policy of this resource: `*` as Resource means the resource itself (key policies). */
  readonly resourceIsSelf?: string;
}

export function statementRows(document: unknown, ctx: CfnContext, options: StatementOptions): PermissionRow[] {
  return asArray(asObject(document).Statement).filter(isObject).map((statement) => statementRow(statement, ctx, options));
}

function statementRow(statement: JsonObject, ctx: CfnContext, options: StatementOptions): PermissionRow {
  const effect = statement.Effect === 'Deny' ? 'Deny' : 'Allow';
  const actions = [...list(statement.Action, ctx), ...list(statement.NotAction, ctx).map((a) => `NOT ${a}`)];
  let resources = [...list(statement.Resource, ctx), ...list(statement.NotResource, ctx).map((r) => `NOT ${r}`)];
  if (options.resourceIsSelf && resources.length === 1 && resources[0] === '*') resources = [`* (this key: ${options.resourceIsSelf})`];
  const conditions = renderConditions(statement.Condition, ctx);
  const grantee = options.grantee ?? (renderPrincipal(statement.Principal, ctx).join(', ') || '(no principal)');
  const flags: string[] = [];
  if (effect === 'Allow') {
    if (actions.some((a) => a === '*')) flags.push('wildcard action *');
    for (const a of actions) if (/^[a-z0-9-]+:\*$/i.test(a)) flags.push(`service wildcard ${a}`);
    if (actions.some((a) => a.startsWith('NOT '))) flags.push('NotAction allows everything else');
    if (resources.includes('*')) flags.push('wildcard resource *');
    if (resources.some((r) => r.startsWith('NOT '))) flags.push('NotResource allows every other resource');
    if (isPublicPrincipal(statement.Principal) && !conditions) flags.push('public principal * without conditions');
  }
  return { source: options.source, grantee, effect, actions, resources, conditions, flags };
}

function identities(resource: CfnResource, ctx: CfnContext): string {
  const names = ['Roles', 'Users', 'Groups'].flatMap((key) => asArray(resource.properties[key]).map((v) => {
    const target = ctx.target(v);
    return target ? ctx.name(target) : ctx.render(v);
  }));
  return names.join(', ') || '(not attached)';
}

export function reviewCfnPermissions(ctx: CfnContext): PermissionRow[] {
  const rows: PermissionRow[] = [];
  for (const policy of ctx.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')) {
    rows.push(...statementRows(policy.properties.PolicyDocument, ctx, { source: ctx.name(policy), grantee: identities(policy, ctx) }));
  }
  for (const identity of ctx.ofType('AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group')) {
    const name = ctx.name(identity);
    for (const inline of asArray(identity.properties.Policies).filter(isObject)) {
      rows.push(...statementRows(inline.PolicyDocument, ctx, { source: `${name} inline ${ctx.render(inline.PolicyName)}`, grantee: name }));
    }
    for (const arn of asArray(identity.properties.ManagedPolicyArns)) {
      const rendered = ctx.render(arn);
      const flags = BROAD_MANAGED_POLICY.test(rendered) ? ['broad AWS managed policy'] : [];
      const target = ctx.target(arn);
      rows.push({ source: `${name} managed policy`, grantee: name, effect: 'Allow', actions: [target ? `(statements of ${ctx.name(target)})` : `(managed policy ${rendered.split('/').pop()})`], resources: [rendered], conditions: '', flags });
    }
    if (identity.type === 'AWS::IAM::Role') {
      // Who can assume the role is a permission too: it decides who gets all of the above.
      rows.push(...statementRows(identity.properties.AssumeRolePolicyDocument, ctx, { source: `${name} trust policy`, grantee: undefined })
        .map((row) => ({ ...row, resources: [name], source: `${name} trust policy` })));
    }
  }
  for (const [type, shape] of Object.entries(RESOURCE_POLICIES)) {
    for (const resource of ctx.ofType(type)) {
      const document = resource.properties[shape.document];
      if (document === undefined) continue;
      const target = shape.targets ? asArray(resource.properties[shape.targets]).map((v) => { const t = ctx.target(v); return t ? ctx.name(t) : ctx.render(v); }).join(', ') : ctx.name(resource);
      rows.push(...statementRows(document, ctx, { source: `${target} resource policy`, resourceIsSelf: type === 'AWS::KMS::Key' ? ctx.name(resource) : undefined }));
    }
  }
  for (const permission of ctx.ofType('AWS::Lambda::Permission')) {
    const principal = asString(permission.properties.Principal) ?? ctx.render(permission.properties.Principal);
    const conditions = [
      permission.properties.SourceArn !== undefined ? `SourceArn = ${ctx.render(permission.properties.SourceArn)}` : '',
      permission.properties.SourceAccount !== undefined ? `SourceAccount = ${ctx.render(permission.properties.SourceAccount)}` : '',
      permission.properties.FunctionUrlAuthType !== undefined ? `FunctionUrlAuthType = ${ctx.render(permission.properties.FunctionUrlAuthType)}` : '',
      permission.properties.InvokedViaFunctionUrl === true ? 'InvokedViaFunctionUrl = true' : '',
    ].filter(Boolean).join('; ');
    const viaUrl = permission.properties.FunctionUrlAuthType === 'NONE' || permission.properties.InvokedViaFunctionUrl === true;
    const flags = principal === '*' && !permission.properties.SourceArn && !permission.properties.SourceAccount ? [`public principal *${viaUrl ? ' (through the function URL)' : ''}`] : [];
    rows.push({ source: `${ctx.name(permission)} (Lambda permission)`, grantee: principal, effect: 'Allow', actions: [ctx.render(permission.properties.Action)], resources: [ctx.render(permission.properties.FunctionName)], conditions, flags });
  }
  return rows;
}
