// Container Apps built-in authentication (Microsoft.App/containerApps/authConfigs) found in a Terraform stack.
// azurerm has no resource for it, so stacks deploy it as an ARM template (azurerm_resource_group_template_deployment)
// or through azapi_resource; this module finds those, ties each to its azurerm_container_app and judges it.
import { JsonObject, asArray, asObject, asString, compact, isObject } from '../json';
import { TfContext, TfResource } from './context';
import { embeddedJson, embeddedObject } from './embedded-json';

const AUTH_CONFIG_TYPE = 'microsoft.app/containerapps/authconfigs';
/** Actions that turn an unauthenticated request away (401, 403, or a redirect to the login page). */
const REJECTING_ACTIONS = ['Return401', 'Return403', 'RedirectToLoginPage'];

/** One authConfigs resource that targets a container app, with its ARM expressions resolved. */
export interface ContainerAppAuthConfig {
  /** The Terraform resource that deploys it. */
  readonly source: string;
  /** True when the platform rejects requests without a valid token. */
  readonly requiresAuthentication: boolean;
  /** What the review table shows in the authentication column. */
  readonly description: string;
  /** Weaknesses worth a flag even when authentication is required. */
  readonly flags: readonly string[];
}

/** ARM parameter values, from the deployment's parameters_content, else the template's defaultValue. */
type ArmParameters = ReadonlyMap<string, unknown>;

interface FoundConfig {
  readonly source: TfResource;
  /** ARM `name` of the authConfigs resource, or of its parent containerApps resource when nested. */
  readonly appName: unknown;
  readonly properties: JsonObject;
  readonly parameters: ArmParameters;
  readonly variables: JsonObject;
  /** Resource group the config is deployed to (undefined when the parent id carries it, as with azapi). */
  readonly resourceGroup: unknown;
}

/**
 * The authConfigs deployed for `app` in this stack.
 *
 * How a config is tied to its app: the authConfigs `name` (`<app>/current`, or the parent containerApps `name`
 * when nested) is resolved through `parameters('...')` / `variables('...')` to the deployment's
 * parameters_content (plain JSON or `${jsonencode(...)}`), then to the template's defaultValue. Every
 * `azurerm_container_app.<name>` reference in the resolved value (`.name`, `.id`, inside functions) names the app;
 * when there is none, a literal app name must equal the app's `name`. Either way the deployment's resource
 * group must render the same as the app's (`${azurerm_resource_group.x.name}` resolved to its literal name).
 * azapi_resource configs are tied through `parent_id`.
 */
export function containerAppAuthConfigs(app: TfResource, ctx: TfContext): ContainerAppAuthConfig[] {
  return findAuthConfigs(ctx)
    .filter((found) => targetsApp(found, app, ctx))
    .map((found) => judge(found, ctx));
}

function findAuthConfigs(ctx: TfContext): FoundConfig[] {
  const out: FoundConfig[] = [];
  for (const deployment of ctx.ofType('azurerm_resource_group_template_deployment')) {
    const template = embeddedObject(deployment.attrs.template_content);
    if (!template) continue;
    const parameters = armParameters(template, embeddedObject(deployment.attrs.parameters_content));
    const variables = asObject(template.variables);
    for (const { resource, appName } of authConfigResources(asArray(template.resources))) {
      out.push({ source: deployment, appName, properties: asObject(resource.properties), parameters, variables, resourceGroup: deployment.attrs.resource_group_name });
    }
  }
  for (const azapi of ctx.ofType('azapi_resource')) {
    if (!(asString(azapi.attrs.type) ?? '').toLowerCase().startsWith(`${AUTH_CONFIG_TYPE}@`)) continue;
    const body = asObject(embeddedJson(azapi.attrs.body));
    out.push({ source: azapi, appName: azapi.attrs.parent_id, properties: asObject(body.properties), parameters: new Map(), variables: {}, resourceGroup: undefined });
  }
  return out;
}

/** authConfigs resources of a template: top-level (`app/current`) or nested in a containerApps resource. */
function authConfigResources(resources: readonly unknown[], parentName?: unknown): { resource: JsonObject; appName: unknown }[] {
  return resources.filter(isObject).flatMap((resource) => {
    const type = (asString(resource.type) ?? '').toLowerCase();
    if (type === AUTH_CONFIG_TYPE) return [{ resource, appName: resource.name }];
    if (type === 'authconfigs' && parentName !== undefined) return [{ resource, appName: parentName }];
    if (type === 'microsoft.app/containerapps') return authConfigResources(asArray(resource.resources), resource.name);
    return [];
  });
}

function armParameters(template: JsonObject, parametersContent: JsonObject | undefined): ArmParameters {
  const values = new Map<string, unknown>();
  for (const [name, declaration] of Object.entries(asObject(template.parameters))) {
    if (asObject(declaration).defaultValue !== undefined) values.set(name, asObject(declaration).defaultValue);
  }
  // A parameters file may carry $schema / contentVersion around a `parameters` object.
  const supplied = parametersContent && isObject(parametersContent.parameters) && parametersContent.contentVersion !== undefined ? parametersContent.parameters : parametersContent;
  for (const [name, parameter] of Object.entries(asObject(supplied))) {
    if (isObject(parameter) && 'value' in parameter) values.set(name, parameter.value);
  }
  return values;
}

const PARAMETER = /\bparameters\(\s*'([^']+)'\s*\)/g;
const VARIABLE = /\bvariables\(\s*'([^']+)'\s*\)/g;

/**
 * An ARM value with `parameters('x')` / `variables('y')` resolved. A whole-string `[parameters('x')]` becomes
 * the parameter's value (which may be a list); other expressions become text with the values spliced in.
 */
function resolve(value: unknown, found: FoundConfig, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, found, depth));
  if (typeof value !== 'string' || !value.startsWith('[') || depth > 4) return value;
  if (value.startsWith('[[')) return value.slice(1);
  const whole = /^\[\s*(parameters|variables)\(\s*'([^']+)'\s*\)\s*\]$/.exec(value);
  // Unknown names stay as written: the reader sees the expression rather than a silent gap.
  if (whole) return lookup(whole[1], whole[2], found) === undefined ? value : resolve(lookup(whole[1], whole[2], found), found, depth + 1);
  const splice = (kind: string) => (match: string, name: string) => {
    const v = resolve(lookup(kind, name, found), found, depth + 1);
    return v === undefined ? match : compact(v);
  };
  return value.replace(PARAMETER, splice('parameters')).replace(VARIABLE, splice('variables'));
}

function lookup(kind: string, name: string, found: FoundConfig): unknown {
  return kind === 'parameters' ? found.parameters.get(name) : found.variables[name];
}

function targetsApp(found: FoundConfig, app: TfResource, ctx: TfContext): boolean {
  if (found.resourceGroup !== undefined && !sameValue(found.resourceGroup, app.attrs.resource_group_name, ctx)) return false;
  const name = resolve(found.appName, found);
  const text = typeof name === 'string' ? name : compact(name);
  const referenced = [...text.matchAll(/\bazurerm_container_app\.([A-Za-z0-9_-]+)/g)].map((m) => `azurerm_container_app.${m[1]}`);
  if (referenced.length) return referenced.includes(app.address);
  // A literal name: `<app>/current` at the top level, the app itself when nested.
  const literal = typeof name === 'string' && !name.startsWith('[') && !name.includes('${') ? name.split('/')[0] : undefined;
  return literal !== undefined && literal === asString(app.attrs.name);
}

/** Two attribute values name the same thing: equal, or equal once `${type.x.name}` is replaced by x's literal name. */
function sameValue(a: unknown, b: unknown, ctx: TfContext): boolean {
  const literal = (v: unknown): string => {
    const s = asString(v) ?? compact(v);
    const target = ctx.target(s);
    const name = target && /^\$\{[^}]+\.name\}$/.test(s) ? asString(target.attrs.name) : undefined;
    return name !== undefined && !name.includes('${') ? name : s;
  };
  return literal(a) === literal(b);
}

function judge(found: FoundConfig, ctx: TfContext): ContainerAppAuthConfig {
  const source = found.source.address;
  const props = found.properties;
  const platformEnabled = resolve(asObject(props.platform).enabled, found);
  const validation = asObject(props.globalValidation);
  const action = resolve(validation.unauthenticatedClientAction, found);
  // App Service's authsettingsV2 spelling; Container Apps has no such property, but honour it when written.
  const requireAuthentication = resolve(validation.requireAuthentication, found);
  const excluded = asArray(resolve(validation.excludedPaths, found)).map((p) => ctx.render(p));

  const refused = (why: string): ContainerAppAuthConfig => ({ source, requiresAuthentication: false, description: `Container Apps built-in authentication does not require callers (${why}; ${source})`, flags: [] });
  if (platformEnabled !== true) return refused(`platform.enabled is ${ctx.render(platformEnabled)}`);
  if (typeof action !== 'string' || !REJECTING_ACTIONS.includes(action)) return refused(`unauthenticatedClientAction ${ctx.render(action)}`);
  if (requireAuthentication === false) return refused('requireAuthentication false');
  if (excluded.some((path) => /^\/\*?$/.test(path))) return refused(`excludedPaths ${excluded.join(', ')} covers every path`);

  const flags: string[] = [];
  const providers = asObject(props.identityProviders);
  const entra = asObject(providers.azureActiveDirectory);
  const entraEnabled = Object.keys(entra).length > 0 && resolve(entra.enabled, found) !== false;
  const others = Object.entries(providers).filter(([key, p]) => key !== 'azureActiveDirectory' && isObject(p) && resolve(p.enabled, found) !== false).map(([key]) => key);
  const parts: string[] = [];
  if (entraEnabled) {
    const allowed = asArray(resolve(asObject(asObject(asObject(entra.validation).defaultAuthorizationPolicy)).allowedApplications, found)).map((c) => caller(c, ctx));
    const audiences = asArray(resolve(asObject(entra.validation).allowedAudiences, found)).map((a) => ctx.render(a));
    if (allowed.length) {
      parts.push(`Entra ID tokens; allowed callers: ${allowed.join(', ')}`);
    } else {
      parts.push(`Entra ID tokens; any client that gets a token for ${audiences.length ? audiences.join(' or ') : 'the registered client id'}`);
      flags.push('built-in authentication accepts any Entra ID client (no allowedApplications)');
    }
  }
  if (others.length) parts.push(`identity providers: ${others.join(', ')}`);
  if (!parts.length) parts.push('no identity provider enabled: every request is refused');
  if (excluded.length) parts.push(`unauthenticated paths: ${excluded.join(', ')}`);
  if (action !== 'Return401') parts.push(`unauthenticated: ${action}`);
  return { source, requiresAuthentication: true, description: `Container Apps built-in authentication (${parts.join('; ')})`, flags };
}

/** An allowed application: a user-assigned identity's client_id shows the identity and its name. */
function caller(value: unknown, ctx: TfContext): string {
  const s = asString(value);
  const target = ctx.target(s);
  if (target && /\.client_id\}$/.test(s ?? '')) {
    const name = asString(target.attrs.name);
    return name && !name.includes('${') ? `${target.address} (${name})` : target.address;
  }
  return ctx.render(value);
}
