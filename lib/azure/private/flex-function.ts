// One Flex Consumption function app whose code Terraform uploads: its own host storage account (identity only, no
// keys), the deployment container and package blob, the FC1 plan, the app, and a trigger sync so the platform knows
// the app's triggers (Event Grid looks the function up; a timer needs the scale controller to wake the app).
// BatchInference and DriftFunction build on it; resources are created in the caller's scope, under fixed ids.
import * as fs from 'fs';
import * as path from 'path';
import { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption';
import { ResourceGroupTemplateDeployment } from '@cdktf/provider-azurerm/lib/resource-group-template-deployment';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageBlob } from '@cdktf/provider-azurerm/lib/storage-blob';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { AssetType, Fn, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { isTokenNumber, ValidationErrors } from '../../core';
import { compactName } from './azure-facts';
import { grantRole } from './role-grant';
import { FunctionNetwork, IApplicationInsightsRef, IResourceGroupRef, IUserAssignedIdentityRef } from '../references';

/** The bundled entries under assets/ (`npm run bundle`); resolves the same from lib/azure/private and dist/azure/private. */
export function bundledFunctionDir(entry: string): string {
  return path.join(__dirname, '..', '..', '..', 'assets', entry);
}

/** Files a bundled Flex Consumption package needs at its root. */
const BUNDLE_FILES = ['index.js', 'host.json', 'package.json'];

/**
 * Blob name the Flex Consumption host loads its code from in the deployment container (the name One Deploy
 * writes); uploading it there is a code deployment without the SCM site or publishing credentials.
 */
export const FLEX_PACKAGE_BLOB = 'released-package.zip';

/**
 * ARM template whose only effect is a trigger sync: the `listsyncfunctiontriggerstatus` list action on the site.
 * A package uploaded to the deployment container is only known to Resource Manager and the scale controller after
 * a sync. `packageHash` makes Terraform redeploy (re-sync) per package. The output is a boolean so the action's
 * answer (it carries a key) never lands in deployment history or state.
 */
export const SYNC_TRIGGERS_TEMPLATE = JSON.stringify({
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: {
    functionAppName: { type: 'string' },
    packageHash: { type: 'string' },
  },
  resources: [],
  outputs: {
    packageHash: { type: 'string', value: "[parameters('packageHash')]" },
    triggersSynced: {
      type: 'bool',
      value: "[greaterOrEquals(length(string(listSyncFunctionTriggerStatus(resourceId('Microsoft.Web/sites', parameters('functionAppName')), '2024-04-01'))), 0)]",
    },
  },
});

export interface FlexFunctionProps {
  /** Validation errors are reported under this construct name. */
  readonly construct: string;
  /** Model name; prefixes resource names. */
  readonly name: string;
  /** What the app does (`batch`, `drift`): part of the plan and trigger-sync names. */
  readonly purpose: string;
  /** Prefix of the host storage account name (`stfn`, `stdf`). */
  readonly storagePrefix: string;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  readonly identity: IUserAssignedIdentityRef;
  readonly applicationInsights: IApplicationInsightsRef;
  /** A bundled entry under assets/ (`azure-batch-inference`), or undefined with `packagePath`. */
  readonly bundledEntry?: string;
  /** A zip of your own instead of the bundled entry. */
  readonly packagePath?: string;
  readonly runtime: { readonly name: string; readonly version: string };
  readonly maximumInstanceCount: number;
  readonly instanceMemoryInMb: number;
  /** App settings beyond the host storage, telemetry and AZURE_CLIENT_ID ones. */
  readonly appSettings: Readonly<Record<string, string>>;
  /** Grants the first instance needs (it runs as soon as it starts). */
  readonly grants: readonly RoleAssignment[];
  /** Object id of the principal running Terraform (Storage Blob Data Contributor on the deployment container only). */
  readonly deployerPrincipalId?: string;
  readonly network?: FunctionNetwork;
  readonly tags: Readonly<Record<string, string>>;
}

export interface FlexFunctionResources {
  readonly hostStorage: StorageAccount;
  readonly servicePlan: ServicePlan;
  readonly functionApp: FunctionAppFlexConsumption;
  readonly packageBlob: StorageBlob;
  readonly triggerSync: ResourceGroupTemplateDeployment;
}

/** Instance memory sizes Flex Consumption offers, in MB. */
export const FLEX_INSTANCE_MEMORY_MB: readonly number[] = [512, 2048, 4096];

/** Checks an optional `instanceMemoryInMb` against the sizes Flex Consumption offers; a token is left to Azure. */
export function checkFlexInstanceMemory(errors: ValidationErrors, value: number | undefined): void {
  if (value === undefined || isTokenNumber(value)) return;
  errors.check(FLEX_INSTANCE_MEMORY_MB.includes(value), 'instanceMemoryInMb', value, `one of ${FLEX_INSTANCE_MEMORY_MB.join(', ')}`);
}

/** Checks the package source; adds problems to `errors`. */
export function checkFlexPackage(errors: ValidationErrors, bundledEntry: string | undefined, packagePath: string | undefined): void {
  if (packagePath === undefined) {
    const dir = bundledFunctionDir(bundledEntry ?? '');
    const bundled = BUNDLE_FILES.every((file) => fs.existsSync(path.join(dir, file)));
    errors.check(bundled, 'packagePath', undefined, `a zip of your own, or the bundled function in ${dir} (${BUNDLE_FILES.join(', ')}; run "npm run bundle")`);
  } else {
    errors.check(packagePath.endsWith('.zip') && fs.existsSync(packagePath), 'packagePath', packagePath, 'an existing .zip file');
  }
}

/** Creates the app and everything it needs in `scope`; the caller has validated the props. */
export function createFlexFunction(scope: Construct, props: FlexFunctionProps): FlexFunctionResources {
  const rg = props.resourceGroup.name;
  const tags = { ...props.tags };
  const principalId = props.identity.principalId;
  const network = props.network;

  // Its own account for the Functions host (leases, timers, keys, deployment package), kept apart from the
  // model's data so the app identity's host roles cover nothing else.
  const hostStorage = new StorageAccount(scope, 'HostStorage', {
    name: compactName(props.storagePrefix, props.name, 24, scope.node.path),
    resourceGroupName: rg,
    location: props.location,
    accountKind: 'StorageV2',
    accountTier: 'Standard',
    accountReplicationType: 'LRS',
    httpsTrafficOnlyEnabled: true,
    minTlsVersion: 'TLS1_2',
    allowNestedItemsToBePublic: false,
    sharedAccessKeyEnabled: false,
    defaultToOauthAuthentication: true,
    infrastructureEncryptionEnabled: true,
    crossTenantReplicationEnabled: false,
    localUserEnabled: false,
    // Without a VNet the Flex host reaches its storage over the public endpoint (Entra ID only); in a VNet the
    // app goes through private endpoints and only the listed ranges (the Terraform runner) pass the firewall.
    networkRules: network
      ? { defaultAction: 'Deny', bypass: ['AzureServices', 'Logging', 'Metrics'], ipRules: network.allowedIpRanges?.length ? [...network.allowedIpRanges] : undefined }
      : undefined,
    tags,
  });
  const deployments = new StorageContainer(scope, 'DeploymentContainer', {
    name: 'function-releases',
    storageAccountId: hostStorage.id,
    containerAccessType: 'private',
  });

  const grants = [
    ...props.grants,
    grantRole(scope, 'HostBlobOwner', { principalId, role: 'Storage Blob Data Owner', scope: hostStorage.id, description: 'Functions host storage (AzureWebJobsStorage: leases, timers, keys) and deployment package' }),
    grantRole(scope, 'HostQueue', { principalId, role: 'Storage Queue Data Contributor', scope: hostStorage.id, description: 'Functions host queues' }),
    grantRole(scope, 'HostTable', { principalId, role: 'Storage Table Data Contributor', scope: hostStorage.id, description: 'Functions host tables (diagnostic events)' }),
    grantRole(scope, 'PublishTelemetry', { principalId, role: 'Monitoring Metrics Publisher', scope: props.applicationInsights.id, description: 'Entra ID telemetry ingestion into Application Insights' }),
  ];

  const servicePlan = new ServicePlan(scope, 'Plan', {
    name: `asp-${props.name}-${props.purpose}`,
    resourceGroupName: rg,
    location: props.location,
    osType: 'Linux',
    // Flex Consumption: the Linux Consumption plan (Y1) gets no new features and needs Azure Files with keys.
    skuName: 'FC1',
    tags,
  });

  // The code, uploaded by Terraform (Entra ID data-plane call) where the Flex host loads it from. azurerm 4.55's
  // zip_deploy_file cannot do this: it posts to the SCM site's /api/zipdeploy with publishing credentials, an
  // endpoint Flex Consumption does not offer and credentials we disable (hashicorp/terraform-provider-azurerm#29630).
  const packageSource = props.packagePath
    ?? new TerraformAsset(scope, 'FunctionAsset', { path: bundledFunctionDir(props.bundledEntry ?? ''), type: AssetType.ARCHIVE }).path;
  const packageHash = Fn.filemd5(packageSource);
  const uploadGrant = props.deployerPrincipalId
    ? grantRole(scope, 'DeployerPackageWriter', { principalId: props.deployerPrincipalId, principalType: 'Unknown', role: 'Storage Blob Data Contributor', scope: deployments.id, description: `Terraform uploads the ${props.purpose} function package` })
    : undefined;
  const packageBlob = new StorageBlob(scope, 'FunctionPackage', {
    name: FLEX_PACKAGE_BLOB,
    storageAccountName: hostStorage.name,
    storageContainerName: deployments.name,
    type: 'Block',
    source: packageSource,
    contentType: 'application/zip',
    // A new package (new checksum) replaces the blob; the same package is left alone.
    contentMd5: packageHash,
    dependsOn: uploadGrant ? [uploadGrant] : [deployments],
  });

  const clientId = props.identity.clientId;
  const functionApp = new FunctionAppFlexConsumption(scope, 'Function', {
    name: `func-${compactName('', props.name, 40, scope.node.path)}`,
    resourceGroupName: rg,
    location: props.location,
    servicePlanId: servicePlan.id,
    runtimeName: props.runtime.name,
    runtimeVersion: props.runtime.version,
    storageContainerType: 'blobContainer',
    storageContainerEndpoint: `${hostStorage.primaryBlobEndpoint}${deployments.name}`,
    storageAuthenticationType: 'UserAssignedIdentity',
    storageUserAssignedIdentityId: props.identity.id,
    maximumInstanceCount: props.maximumInstanceCount,
    instanceMemoryInMb: props.instanceMemoryInMb,
    httpsOnly: true,
    webdeployPublishBasicAuthenticationEnabled: false,
    virtualNetworkSubnetId: network?.subnetId,
    identity: { type: 'UserAssigned', identityIds: [props.identity.id] },
    siteConfig: {
      minimumTlsVersion: '1.2',
      scmMinimumTlsVersion: '1.2',
      http2Enabled: true,
      applicationInsightsConnectionString: props.applicationInsights.connectionString,
    },
    appSettings: {
      // Identity-based host storage: no account key anywhere (Flex Consumption has no Azure Files content share).
      AzureWebJobsStorage__accountName: hostStorage.name,
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: clientId,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${clientId}`,
      // IDENTITY_ENDPOINT token requests pick the user-assigned identity by this client id.
      AZURE_CLIENT_ID: clientId,
      ...props.appSettings,
    },
    tags,
    // The first instance loads its code and starts work as soon as it starts: package and grants come first.
    dependsOn: [...grants, packageBlob],
  });

  const triggerSync = new ResourceGroupTemplateDeployment(scope, 'TriggerSync', {
    name: `${props.name}-${props.purpose}-trigger-sync`,
    resourceGroupName: rg,
    deploymentMode: 'Incremental',
    templateContent: SYNC_TRIGGERS_TEMPLATE,
    parametersContent: Fn.jsonencode({
      functionAppName: { value: functionApp.name },
      packageHash: { value: packageHash },
    }),
    dependsOn: [functionApp, packageBlob],
  });

  return { hostStorage, servicePlan, functionApp, packageBlob, triggerSync };
}
