// Public entry points of a Terraform stack and how each is authenticated: Cloud Run services and their
// invoker bindings, global load balancers (Cloud Armor), Cloud Functions, Container Apps ingress and built-in
// authentication (authConfigs), API Management APIs, Function Apps, Azure ML online endpoints (azapi) and publicly
// readable storage.
import { EntryPoint } from '../model';
import { asArray, asObject, asString } from '../json';
import { containerAppAuthConfigs } from './container-app-auth';
import { embeddedJson } from './embedded-json';
import { TfContext, TfResource, block, blocks } from './context';

const PUBLIC_MEMBERS = ['allUsers', 'allAuthenticatedUsers'];

/** Members granted `role` on `service` through *_iam_member / *_iam_binding resources that reference it. */
function invokers(service: TfResource, ctx: TfContext, iamTypes: readonly string[], attrs: readonly string[], role: RegExp): string[] {
  return ctx.referencing(service, iamTypes.flatMap((t) => [`${t}_iam_member`, `${t}_iam_binding`]), attrs)
    .filter((b) => role.test(ctx.render(b.attrs.role)))
    .flatMap((b) => (b.attrs.members !== undefined ? asArray(b.attrs.members) : [b.attrs.member]).map((m) => ctx.render(m)));
}

function authFromInvokers(members: readonly string[], flags: string[]): string {
  const open = members.filter((m) => PUBLIC_MEMBERS.includes(m));
  for (const m of open) flags.push(`public invoker ${m}`);
  if (open.length) return `none: invoker granted to ${open.join(', ')}`;
  return members.length ? `IAM (ID token); invokers: ${members.join(', ')}` : 'IAM (ID token); no invoker granted in this stack';
}

function cloudRun(ctx: TfContext): EntryPoint[] {
  return ctx.ofType('google_cloud_run_v2_service', 'google_cloud_run_service').map((service) => {
    const flags: string[] = [];
    const ingress = asString(service.attrs.ingress) ?? (service.type === 'google_cloud_run_v2_service' ? 'INGRESS_TRAFFIC_ALL' : 'all');
    const exposure = /INTERNAL_ONLY|^internal$/.test(ingress) ? `internal only (${ingress})` : /LOAD_BALANCER/.test(ingress) ? `through a load balancer only (${ingress})` : `internet (${ingress})`;
    let auth: string;
    if (service.attrs.invoker_iam_disabled === true) {
      auth = 'none: invoker_iam_disabled';
      flags.push('invoker IAM check disabled');
    } else {
      auth = authFromInvokers(invokers(service, ctx, ['google_cloud_run_v2_service', 'google_cloud_run_service'], ['name', 'service'], /run\.invoker/), flags);
    }
    return { resource: service.address, type: service.type, exposure, authentication: auth, flags };
  });
}

/** Members bound to a custom role that holds `permission`, or to one of `roles`, at project level. */
function projectGrantees(ctx: TfContext, permission: string, roles: readonly string[]): string[] {
  return ctx.ofType('google_project_iam_member', 'google_project_iam_binding').filter((b) => {
    const custom = ctx.target(b.attrs.role);
    return custom?.type === 'google_project_iam_custom_role' ? asArray(custom.attrs.permissions).includes(permission) : roles.includes(ctx.render(b.attrs.role));
  }).flatMap((b) => (b.attrs.members !== undefined ? asArray(b.attrs.members) : [b.attrs.member]).map((m) => ctx.render(m)));
}

/** Vertex AI endpoints (Model Garden deployments): reachable on Google's API front end, IAM-authenticated. */
function vertexEndpoints(ctx: TfContext): EntryPoint[] {
  return ctx.ofType('google_vertex_ai_endpoint_with_model_garden_deployment').map((deployment) => {
    const dedicated = block(deployment.attrs.endpoint_config).dedicated_endpoint_enabled === true;
    const members = projectGrantees(ctx, 'aiplatform.endpoints.predict', ['roles/aiplatform.user', 'roles/aiplatform.admin', 'roles/editor', 'roles/owner']);
    const flags: string[] = members.filter((m) => PUBLIC_MEMBERS.includes(m)).map((m) => `public invoker ${m}`);
    if (members.length) flags.push('predict granted at project level (no endpoint-level IAM resource in the provider)');
    return {
      resource: deployment.address,
      type: deployment.type,
      exposure: dedicated ? 'internet (dedicated endpoint DNS)' : `internet (${ctx.render(deployment.attrs.location)}-aiplatform.googleapis.com)`,
      authentication: members.length ? `IAM (OAuth access token, aiplatform.endpoints.predict); invokers: ${members.join(', ')}` : 'IAM (OAuth access token); no invoker granted in this stack',
      flags,
    };
  });
}

function forwardingRules(ctx: TfContext): EntryPoint[] {
  const backends = ctx.ofType('google_compute_backend_service');
  const armored = backends.filter((b) => b.attrs.security_policy !== undefined);
  return ctx.ofType('google_compute_global_forwarding_rule').map((rule) => {
    const scheme = asString(rule.attrs.load_balancing_scheme) ?? 'EXTERNAL';
    const external = scheme.startsWith('EXTERNAL');
    const proxy = ctx.target(rule.attrs.target);
    const flags: string[] = [];
    if (external && proxy?.type === 'google_compute_target_http_proxy') flags.push('plaintext HTTP load balancer');
    if (external && armored.length === 0) flags.push('no Cloud Armor policy on any backend');
    const iap = backends.some((b) => b.attrs.iap !== undefined && block(b.attrs.iap).enabled !== false);
    return {
      resource: rule.address,
      type: rule.type,
      exposure: external ? `internet (${scheme}, port ${ctx.render(rule.attrs.port_range)})` : `internal (${scheme})`,
      authentication: [proxy ? `${proxy.type.replace('google_compute_target_', '').replace('_proxy', '').toUpperCase()} proxy` : '', armored.length ? `Cloud Armor ${armored.map((b) => ctx.render(b.attrs.security_policy)).join(', ')}` : 'no Cloud Armor', iap ? 'IAP' : 'backend decides (no IAP)'].filter(Boolean).join('; '),
      flags,
    };
  });
}

function cloudFunctions(ctx: TfContext): EntryPoint[] {
  return ctx.ofType('google_cloudfunctions2_function').map((fn) => {
    const flags: string[] = [];
    const ingress = asString(block(fn.attrs.service_config).ingress_settings) ?? 'ALLOW_ALL';
    const triggered = fn.attrs.event_trigger !== undefined;
    const members = invokers(fn, ctx, ['google_cloudfunctions2_function'], ['cloud_function'], /invoker/);
    const auth = triggered && members.length === 0 ? `event trigger ${ctx.render(block(fn.attrs.event_trigger).event_type)} (Eventarc, IAM)` : authFromInvokers(members, flags);
    return { resource: fn.address, type: fn.type, exposure: ingress === 'ALLOW_ALL' ? (triggered ? 'event-driven (HTTP ingress ALLOW_ALL)' : 'internet (ALLOW_ALL)') : `restricted (${ingress})`, authentication: auth, flags };
  });
}

function containerApps(ctx: TfContext): EntryPoint[] {
  return ctx.ofType('azurerm_container_app').flatMap((app) => {
    const ingress = block(app.attrs.ingress);
    if (Object.keys(ingress).length === 0) return [{ resource: app.address, type: app.type, exposure: 'no ingress', authentication: 'not reachable over HTTP', flags: [] }];
    const flags: string[] = [];
    const external = ingress.external_enabled === true;
    const restrictions = blocks(ingress.ip_security_restriction);
    // Built-in authentication (authConfigs) sits in front of the container, at the platform's ingress.
    const authConfigs = containerAppAuthConfigs(app, ctx);
    const enforced = authConfigs.filter((c) => c.requiresAuthentication);
    if (ingress.allow_insecure_connections === true) flags.push('plaintext HTTP allowed');
    if (external && restrictions.length === 0 && enforced.length === 0) flags.push('public ingress without IP restrictions or authentication in front');
    for (const c of enforced) flags.push(...c.flags);
    const network = restrictions.length ? `IP restrictions: ${restrictions.map((r) => `${ctx.render(r.action)} ${ctx.render(r.ip_address_range)}`).join(', ')}` : '';
    const fallback = external ? 'none at the ingress (the app or a gateway in front must check callers)' : 'network-level (inside the environment / VNet)';
    // A config that lets anonymous callers through is shown, so the reader sees why the flag stays.
    const builtIn = (enforced.length ? enforced : authConfigs).map((c) => c.description);
    return [{
      resource: app.address,
      type: app.type,
      exposure: external ? `internet (external ingress, port ${ctx.render(ingress.target_port)})` : 'environment-internal ingress',
      authentication: [network, ...builtIn].filter(Boolean).join('; ') || fallback,
      flags,
    }];
  });
}

function apiManagement(ctx: TfContext): EntryPoint[] {
  return ctx.ofType('azurerm_api_management_api').map((api) => {
    const flags: string[] = [];
    const subscription = api.attrs.subscription_required !== false;
    const protocols = asArray(api.attrs.protocols).map((p) => ctx.render(p));
    if (!subscription) flags.push('no subscription key required');
    if (protocols.includes('http')) flags.push('plaintext HTTP protocol enabled');
    const oauth = api.attrs.oauth2_authorization !== undefined || api.attrs.openid_authentication !== undefined;
    return {
      resource: `${api.address} /${ctx.render(api.attrs.path)}`,
      type: api.type,
      exposure: `internet (${protocols.join(', ') || 'https'})`,
      authentication: [subscription ? 'subscription key' : 'no subscription key', oauth ? 'OAuth2 / OpenID validation' : ''].filter(Boolean).join(' + '),
      flags,
    };
  });
}

function functionApps(ctx: TfContext): EntryPoint[] {
  return ctx.ofType('azurerm_linux_function_app', 'azurerm_windows_function_app').map((app) => {
    const flags: string[] = [];
    const publicNetwork = app.attrs.public_network_access_enabled !== false;
    if (app.attrs.https_only !== true) flags.push('https_only not set: HTTP allowed');
    const authV2 = block(app.attrs.auth_settings_v2);
    const auth = authV2.auth_enabled === true ? `App Service authentication (${ctx.render(authV2.unauthenticated_action ?? 'RedirectToLoginPage')})` : 'function keys (each trigger\'s authLevel, in code)';
    return { resource: app.address, type: app.type, exposure: publicNetwork ? 'internet (public network access)' : 'private endpoints only', authentication: auth, flags };
  });
}

const ONLINE_ENDPOINT = 'microsoft.machinelearningservices/workspaces/onlineendpoints@';
const AUTH_MODES: Readonly<Record<string, string>> = {
  AADToken: 'Entra ID token (AADToken) with the score action on the endpoint',
  AMLToken: 'Azure ML token (AMLToken, issued by the workspace)',
  Key: 'endpoint keys (Key)',
};

/** Azure ML managed online endpoints declared with azapi_resource (serving 'azure-ml'). */
function azureMlEndpoints(ctx: TfContext): EntryPoint[] {
  return ctx.ofType('azapi_resource').filter((r) => (asString(r.attrs.type) ?? '').toLowerCase().startsWith(ONLINE_ENDPOINT)).map((endpoint) => {
    const properties = asObject(asObject(embeddedJson(endpoint.attrs.body)).properties);
    const mode = asString(properties.authMode) ?? 'Key';
    const open = (asString(properties.publicNetworkAccess) ?? 'Enabled') !== 'Disabled';
    const flags = mode === 'Key' ? ['endpoint keys accepted (not tied to a caller identity)'] : [];
    return {
      resource: endpoint.address,
      type: 'azapi_resource (Azure ML online endpoint)',
      exposure: open ? 'internet (public network access)' : 'workspace private endpoints only',
      authentication: AUTH_MODES[mode] ?? mode,
      flags,
    };
  });
}

function publicStorage(ctx: TfContext): EntryPoint[] {
  const out: EntryPoint[] = [];
  for (const bucket of ctx.ofType('google_storage_bucket')) {
    const members = invokers(bucket, ctx, ['google_storage_bucket'], ['bucket'], /./).filter((m) => PUBLIC_MEMBERS.includes(m));
    if (members.length) out.push({ resource: bucket.address, type: bucket.type, exposure: 'internet', authentication: `none: ${members.join(', ')} granted on the bucket`, flags: ['public bucket access'] });
  }
  for (const account of ctx.ofType('azurerm_storage_account')) {
    // azurerm defaults allow_nested_items_to_be_public to true.
    if (account.attrs.allow_nested_items_to_be_public !== false) {
      out.push({ resource: account.address, type: account.type, exposure: account.attrs.public_network_access_enabled === false ? 'private endpoints only' : 'internet', authentication: 'containers may allow anonymous blob reads', flags: ['allow_nested_items_to_be_public is not false'] });
    }
  }
  for (const container of ctx.ofType('azurerm_storage_container')) {
    const access = asString(container.attrs.container_access_type) ?? 'private';
    if (access !== 'private') out.push({ resource: container.address, type: container.type, exposure: 'internet', authentication: `anonymous ${access} reads`, flags: ['public container'] });
  }
  return out;
}

export function reviewTfEntryPoints(ctx: TfContext): EntryPoint[] {
  return [...cloudRun(ctx), ...vertexEndpoints(ctx), ...forwardingRules(ctx), ...cloudFunctions(ctx), ...containerApps(ctx), ...apiManagement(ctx), ...functionApps(ctx), ...azureMlEndpoints(ctx), ...publicStorage(ctx)];
}
