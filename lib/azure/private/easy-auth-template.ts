// ARM template for Container Apps built-in authentication (Microsoft.App/containerApps/authConfigs), which
// azurerm 4.55 has no resource for. Deployed through azurerm_resource_group_template_deployment: it makes the
// platform reject every request without an Entra ID token for `audience` issued to one of `allowedClientIds`.
export const EASY_AUTH_TEMPLATE = JSON.stringify({
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: {
    containerAppName: { type: 'string' },
    tenantId: { type: 'string' },
    audience: { type: 'string' },
    allowedClientIds: { type: 'array' },
    excludedPaths: { type: 'array' },
  },
  resources: [
    {
      type: 'Microsoft.App/containerApps/authConfigs',
      apiVersion: '2024-03-01',
      name: "[format('{0}/current', parameters('containerAppName'))]",
      properties: {
        platform: { enabled: true },
        globalValidation: {
          unauthenticatedClientAction: 'Return401',
          excludedPaths: "[parameters('excludedPaths')]",
        },
        identityProviders: {
          azureActiveDirectory: {
            enabled: true,
            // Token validation only: no client secret, no login flow.
            registration: {
              clientId: "[parameters('audience')]",
              openIdIssuer: "[format('https://sts.windows.net/{0}/v2.0', parameters('tenantId'))]",
            },
            validation: {
              allowedAudiences: ["[parameters('audience')]", "[format('api://{0}', parameters('audience'))]"],
              defaultAuthorizationPolicy: { allowedApplications: "[parameters('allowedClientIds')]" },
            },
          },
        },
      },
    },
  ],
});
