// Container Apps built-in authentication (authConfigs ARM templates / azapi) in the Terraform entry-point review.
import { EASY_AUTH_TEMPLATE } from '../../../lib/azure/private/easy-auth-template';
import { EntryPoint } from '../../../lib/review/model';
import { TfContext } from '../../../lib/review/tf/context';
import { reviewTfEntryPoints } from '../../../lib/review/tf/entry-points';
import { azureStack, easyAuthDeployment } from '../fixtures/tf-fixtures';

type Config = Record<string, unknown>;

const PUBLIC_FLAG = 'public ingress without IP restrictions or authentication in front';
const PROTECTED = 'Container Apps built-in authentication (Entra ID tokens; allowed callers: azurerm_user_assigned_identity.gateway (id-churn-gateway))';

/** The serving app's entry point in an Azure fixture stack with `extra` resources added. */
function servingEntry(extra: Readonly<Record<string, Config>> = {}, address = 'azurerm_container_app.serving'): EntryPoint {
  const entry = reviewTfEntryPoints(new TfContext(azureStack(extra))).find((e) => e.resource === address);
  if (!entry) throw new Error(`no entry point ${address}`);
  return entry;
}

const deployments = (byName: Config) => ({ azurerm_resource_group_template_deployment: byName });

describe('Container App built-in authentication', () => {
  it('does not flag an external app whose authConfigs template returns 401 to callers without a token', () => {
    // given an authConfigs deployment that names the app through a jsonencode parameter
    const entry = servingEntry(deployments({ auth: easyAuthDeployment() }));
    // then the ingress is reported as authenticated by the platform, without the public-ingress flag
    expect(entry).toMatchObject({ exposure: 'internet (external ingress, port 8080)', authentication: PROTECTED, flags: [] });
  });

  it('recognises the template lib/azure deploys (Return401, Entra ID, allowedApplications)', () => {
    const base = easyAuthDeployment();
    const parameters = (base.parameters_content as string).replace('"excludedPaths"', '"tenantId" = {"value" = data.azurerm_client_config.current.tenant_id}, "excludedPaths"');
    const deployment = { ...base, template_content: EASY_AUTH_TEMPLATE, parameters_content: parameters };
    expect(servingEntry(deployments({ auth: deployment }))).toMatchObject({ authentication: PROTECTED, flags: [] });
  });

  it('keeps flagging an app whose auth config lets anonymous callers through', () => {
    const entry = servingEntry(deployments({ auth: easyAuthDeployment({ unauthenticatedClientAction: 'AllowAnonymous' }) }));
    expect(entry.flags).toEqual([PUBLIC_FLAG]);
    expect(entry.authentication).toBe('Container Apps built-in authentication does not require callers (unauthenticatedClientAction AllowAnonymous; azurerm_resource_group_template_deployment.auth)');
  });

  it('keeps flagging an app without any auth config', () => {
    expect(servingEntry()).toMatchObject({ authentication: 'none at the ingress (the app or a gateway in front must check callers)', flags: [PUBLIC_FLAG] });
  });

  it('counts a redirect to the login page as required authentication and says so', () => {
    const entry = servingEntry(deployments({ auth: easyAuthDeployment({ unauthenticatedClientAction: 'RedirectToLoginPage' }) }));
    expect(entry.flags).toEqual([]);
    expect(entry.authentication).toBe(PROTECTED.replace('))', '); unauthenticated: RedirectToLoginPage)'));
  });

  it('keeps flagging when excludedPaths covers every path, and lists narrower exclusions', () => {
    expect(servingEntry(deployments({ auth: easyAuthDeployment({ excludedPaths: ['/*'] }) })).flags).toEqual([PUBLIC_FLAG]);
    const health = servingEntry(deployments({ auth: easyAuthDeployment({ excludedPaths: ['/health'] }) }));
    expect(health).toMatchObject({ authentication: PROTECTED.replace('))', '); unauthenticated paths: /health)'), flags: [] });
  });

  it('flags a config that accepts any Entra ID client (no allowedApplications)', () => {
    const entry = servingEntry(deployments({ auth: easyAuthDeployment({ allowedClientIds: [] }) }));
    expect(entry.flags).toEqual(['built-in authentication accepts any Entra ID client (no allowedApplications)']);
    expect(entry.authentication).toBe('Container Apps built-in authentication (Entra ID tokens; any client that gets a token for azurerm_user_assigned_identity.app.client_id)');
  });

  it('applies a config only to the app it names, in the app\'s resource group', () => {
    const other = { name: 'other', resource_group_name: 'rg-churn', container_app_environment_id: 'env', revision_mode: 'Single', ingress: { external_enabled: true, target_port: 8080 } };
    const serving = (azureStack().resource as Record<string, Config>).azurerm_container_app.serving;
    const extra = { azurerm_container_app: { serving, other }, ...deployments({ auth: easyAuthDeployment({ app: 'other' }) }) };
    expect(servingEntry(extra).flags).toEqual([PUBLIC_FLAG]);
    expect(servingEntry(extra, 'azurerm_container_app.other').flags).toEqual([]);
    // a deployment to another resource group configures a different app of the same name
    expect(servingEntry(deployments({ auth: easyAuthDeployment({ resourceGroupName: 'rg-elsewhere' }) })).flags).toEqual([PUBLIC_FLAG]);
  });

  it('ties configs by id reference in plain-JSON parameters, by literal name, and by azapi parent_id', () => {
    // given the app id inside a plain JSON parameters file, read through split/last in the template
    const template = JSON.parse(easyAuthDeployment().template_content as string) as { resources: { name: string }[] };
    template.resources[0].name = "[format('{0}/current', last(split(parameters('containerAppId'), '/')))]";
    const byId = {
      ...easyAuthDeployment(),
      template_content: JSON.stringify(template),
      parameters_content: JSON.stringify({ $schema: 'x', contentVersion: '1.0.0.0', parameters: { containerAppId: { value: '${azurerm_container_app.serving.id}' }, audience: { value: 'api-aud' }, allowedClientIds: { value: ['${azurerm_user_assigned_identity.gateway.client_id}'] }, excludedPaths: { value: [] } } }),
    };
    expect(servingEntry(deployments({ auth: byId }))).toMatchObject({ authentication: PROTECTED, flags: [] });
    // a literal `<app name>/current` in a template whose parameters carry defaults
    template.resources[0].name = 'churn/current';
    Object.assign(template, { parameters: { audience: { type: 'string', defaultValue: 'api-aud' }, allowedClientIds: { type: 'array', defaultValue: ['gateway-client-id'] }, excludedPaths: { type: 'array', defaultValue: [] } } });
    const literal = { ...byId, template_content: JSON.stringify(template), resource_group_name: 'rg-churn', parameters_content: undefined };
    expect(servingEntry(deployments({ auth: literal }))).toMatchObject({ authentication: 'Container Apps built-in authentication (Entra ID tokens; allowed callers: gateway-client-id)', flags: [] });
    // azapi_resource with the container app as parent
    const azapi = { azapi_resource: { auth: { type: 'Microsoft.App/containerApps/authConfigs@2024-03-01', name: 'current', parent_id: '${azurerm_container_app.serving.id}', body: { properties: { platform: { enabled: true }, globalValidation: { unauthenticatedClientAction: 'Return403' }, identityProviders: { azureActiveDirectory: { enabled: true, validation: { defaultAuthorizationPolicy: { allowedApplications: ['${azurerm_user_assigned_identity.gateway.client_id}'] } } } } } } } } };
    expect(servingEntry(azapi)).toMatchObject({ authentication: PROTECTED.replace('))', '); unauthenticated: Return403)'), flags: [] });
  });

  it('keeps flagging when the platform switch is off', () => {
    const template = JSON.parse(easyAuthDeployment().template_content as string) as { resources: { properties: { platform: { enabled: boolean } } }[] };
    template.resources[0].properties.platform.enabled = false;
    const entry = servingEntry(deployments({ auth: { ...easyAuthDeployment(), template_content: JSON.stringify(template) } }));
    expect(entry.flags).toEqual([PUBLIC_FLAG]);
    expect(entry.authentication).toContain('platform.enabled is false');
  });
});
