// The composed Azure stack: provider, optional remote state, every construct wired from one ModelSpec (or onto the
// resources you already have), the private-network switch, an optional monthly budget, outputs for the API URL,
// storage account and action group, and the review metadata.
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AzurermBackend, Fn, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AzureNetworkCostOptions, isTokenList, PORTABLE_DRIFT_JOB_MINUTES, isTokenString, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { REVIEW_METADATA_KEY, reviewMetadata } from '../core/review-contract';
import { ApiFront } from './api-front';
import { AZURE_ML_TOKEN_AUDIENCE, AzureMlEndpoint } from './azure-ml-endpoint';
import { AzureMlEndpointAlerts } from './azure-ml-endpoint-alerts';
import { AzureModelStackProps } from './azure-model-stack-props';
import { BatchInference } from './batch-inference';
import { ContainerAppServing } from './container-app-serving';
import { DriftFunction } from './drift-function';
import { DriftJob } from './drift-job';
import { InferenceAlerts } from './inference-alerts';
import { IngestionStorage } from './ingestion-storage';
import { MlWorkspace } from './ml-workspace';
import { ObservabilityBase } from './observability-base';
import { PrivateEndpoints } from './private-endpoints';
import { AZURE_LOCATIONS, SERVERLESS_GPU_REGIONS } from './private/azure-facts';
import { checkAzureMlServing, createAzureMlAlerts, createAzureMlServing } from './private/azure-ml-stack';
import { checkIpRanges, exclusive } from './private/checks';
import { imageSource } from './private/image-registry';
import { checkExplainJob, createExplainIdentity, createExplainMonitoring, ExplainMonitoring } from './private/stack-explain';
import { checkPrivateNetworking, connectPrivateEndpoints, resolveEnvironmentDns } from './private/stack-network';
import { createQualityMonitoring, createRetrainingTopic, QualityMonitoring, wantsRetrainingTopic } from './private/stack-monitoring';
import { RetrainingTopic } from './retraining-topic';
import { warn } from './private/warn';
import { IDriftJobRef } from './references';
import { ResourceGroupBudget } from './resource-group-budget';

export type { AzureExplainJobOptions, AzureModelStackProps, PrivateNetworking } from './azure-model-stack-props';

/** The complete Azure inference stack for one model. */
export class AzureModelStack extends TerraformStack {
  readonly spec: ResolvedModelSpec;
  readonly base: ObservabilityBase;
  readonly storage: IngestionStorage;
  readonly workspace?: MlWorkspace;
  /** The Container Apps serving plane (undefined with `serving: 'azure-ml'`). */
  readonly serving?: ContainerAppServing;
  /** The Azure ML online endpoint, with `serving: 'azure-ml'`. */
  readonly mlEndpoint?: AzureMlEndpoint;
  /** The endpoint's metric alerts, with `serving: 'azure-ml'`. */
  readonly mlAlerts?: AzureMlEndpointAlerts;
  readonly api?: ApiFront;
  readonly batch?: BatchInference;
  /** The scheduled drift check: a DriftFunction, or a DriftJob (Container Apps job) with `driftJobImage`. */
  readonly driftJob?: DriftFunction | DriftJob;
  readonly alerts: InferenceAlerts;
  /** The quality function and its alerts, when `spec.monitoring.quality` is set. */
  readonly quality?: QualityMonitoring;
  /** The explainability function, its alert and workbook, with `explainJob`. */
  readonly explain?: ExplainMonitoring;
  /** The Event Grid topic receiving retraining events (see `retrainingEvents`). */
  readonly retrainingTopic?: RetrainingTopic;
  /** The monthly budget on the resource group, when `spec.monthlyBudgetUsd` is set. */
  readonly budget?: ResourceGroupBudget;
  /** The private endpoints and DNS zones of `privateNetworking`. */
  readonly privateEndpoints?: PrivateEndpoints;
  /** What `privateNetworking` adds to the bill, for azurePrivateNetworkingCostLines (lib/core/azure-network-cost). */
  readonly networkCost?: AzureNetworkCostOptions;

  constructor(scope: Construct, id: string, props: AzureModelStackProps) {
    super(scope, id);
    const location = props.location ?? 'eastus';
    const pn = props.privateNetworking;
    const onAzureMl = props.serving === 'azure-ml';
    const apiFront = props.apiFront ?? !onAzureMl;
    const batchOn = props.batchInference ?? true;
    // Validate what the nested constructs cannot see, up front, so the user sees every problem at once.
    const errors = new ValidationErrors('AzureModelStack');
    this.spec = resolveModelSpec(props.spec, errors);
    const spec = this.spec;
    const driftOn = props.driftJob ?? spec.monitoring.enabled;
    const qualityOn = spec.monitoring.quality !== undefined;
    const literalLocation = !isTokenString(location);
    errors.check(!literalLocation || AZURE_LOCATIONS.includes(location), 'location', location, 'an Azure region name such as "eastus" or "westeurope"');
    errors.checkOneOf('serving', props.serving, ['container-apps', 'azure-ml']);
    if (onAzureMl) checkAzureMlServing(errors, props);
    if (spec.compute.kind === 'gpu' && !onAzureMl && literalLocation && AZURE_LOCATIONS.includes(location)) {
      const type = spec.compute.azure.workloadProfileType;
      const regions = (props.serverlessGpuRegions ?? SERVERLESS_GPU_REGIONS)[type] ?? [];
      errors.check(regions.includes(location), 'location', location, `a region with Container Apps serverless GPU profile ${type} for compute "${spec.compute.id}": ${regions.join(', ')}`);
    }
    checkIpRanges(errors, 'keyVaultAllowedIpRanges', props.keyVaultAllowedIpRanges);
    // The given account's encryption, replication and name are its owner's.
    exclusive(errors, 'existingStorageAccount', props.existingStorageAccount, {
      storageAccountName: props.storageAccountName, storageReplication: props.storageReplication, customerManagedKey: props.customerManagedKey,
    });
    const explainOptions = checkExplainJob(errors, props.explainJob, { onAzureMl, apiFront, privateNetworking: pn !== undefined, batchOn });
    const explainOn = explainOptions !== undefined;
    checkPrivateNetworking(errors, pn, { apiFront, functions: batchOn || qualityOn || explainOn || (driftOn && !props.driftJobImage) });
    errors.throwIfAny();

    new AzurermProvider(this, 'azurerm', {
      // The storage accounts' firewalls may deny Terraform's address: read and write them through Resource Manager only
      // (azurerm 4.x otherwise reads queue properties over the data plane and fails with 403 behind a firewall).
      features: [{ storage: [{ dataPlaneAvailable: false }] }],
      subscriptionId: props.subscriptionId,
      // Register only the providers the stack uses instead of the provider's long default list.
      resourceProviderRegistrations: 'none',
      resourceProvidersToRegister: [
        'Microsoft.ApiManagement', 'Microsoft.App', 'Microsoft.ContainerRegistry', 'Microsoft.EventGrid',
        'Microsoft.Insights', 'Microsoft.KeyVault', 'Microsoft.MachineLearningServices', 'Microsoft.ManagedIdentity',
        'Microsoft.Network', 'Microsoft.OperationalInsights', 'Microsoft.Storage', 'Microsoft.Web', 'Microsoft.Resources',
      ],
      // Shared keys are off on our accounts: data-plane calls use Entra ID.
      storageUseAzuread: true,
    });
    if (props.backend) new AzurermBackend(this, { useAzureadAuth: true, ...props.backend });

    const tags = props.tags;
    const cmk = props.customerManagedKey ?? false;
    const vaultIps = concatLists(props.keyVaultAllowedIpRanges, pn?.allowedIpRanges);
    // Terraform writes the customer-managed key through the vault's data plane: without a listed address (or a run
    // from inside the network) the firewall has to stay open for it.
    const vaultOpenForKey = cmk && vaultIps.length === 0 && !props.existingKeyVault;
    this.base = new ObservabilityBase(this, 'Base', {
      name: spec.name,
      location,
      existingResourceGroup: props.existingResourceGroup,
      resourceGroupName: props.resourceGroupName,
      existingKeyVault: props.existingKeyVault,
      keyVaultName: props.keyVaultName,
      // With an existing vault these stay as given, so a setting that cannot apply to it is reported.
      keyVaultPublicNetworkAccess: props.keyVaultPublicNetworkAccess ?? (pn && !props.existingKeyVault ? cmk || vaultIps.length > 0 : undefined),
      keyVaultNetworkDefaultAction: vaultOpenForKey && !pn ? 'Allow' : undefined,
      keyVaultAllowedIpRanges: props.existingKeyVault ? props.keyVaultAllowedIpRanges : vaultIps.length === 0 ? undefined : vaultIps,
      existingLogAnalyticsWorkspace: props.existingLogAnalyticsWorkspace,
      logRetentionDays: props.logRetentionDays,
      tags,
    });
    if (vaultOpenForKey) {
      warn(this.base, pn
        ? 'AzureModelStack customerManagedKey: Terraform creates the key through the Key Vault\'s data plane, which denies public traffic here: run Terraform inside the network, or list its address in privateNetworking.allowedIpRanges'
        : 'AzureModelStack customerManagedKey: the Key Vault firewall allows public traffic (Entra ID and RBAC still apply) because Terraform creates the key through the vault\'s data plane; list your Terraform runner in keyVaultAllowedIpRanges to deny the rest');
    }
    const allTags = this.base.tags;
    const rg = this.base.resourceGroup;

    this.storage = new IngestionStorage(this, 'Storage', {
      name: spec.name,
      resourceGroup: rg,
      location,
      existingAccount: props.existingStorageAccount,
      storageAccountName: props.storageAccountName,
      replication: props.storageReplication,
      // Reports of inputs the model rejects, apart from predictions so neither can shadow the other.
      extraContainers: [...(batchOn ? ['errors'] : []), ...(qualityOn ? ['ground-truth'] : [])],
      customerManagedKey: cmk
        ? { keyVault: this.base.keyVault, identity: this.base.identity('encryption'), deployerPrincipalId: this.base.clientConfig.objectId }
        : undefined,
      // In the VNet: private endpoint plus trusted services; the public endpoint stays in "selected networks" mode
      // with batch inference, because Event Grid dead-letters through the trusted-service exception only.
      ...(pn && !props.existingStorageAccount ? { networkDefaultAction: 'Deny', allowedIpRanges: pn.allowedIpRanges, publicNetworkAccess: batchOn } : {}),
      tags: allTags,
    });

    // One folder per model, directly above the YYYY/MM/DD/HH/ partitions the drift job lists.
    const dataCapture = driftOn || qualityOn || explainOn ? { container: this.storage.captureContainer, uri: this.storage.blobUrl('capture', `${spec.name}/`) } : undefined;

    const servingIdentity = this.base.identity('serving');
    const gatewayIdentity = this.base.identity('gateway');
    const batchIdentity = batchOn ? this.base.identity('batch') : undefined;
    const explainIdentity = explainOn ? createExplainIdentity(this, { name: spec.name, resourceGroup: rg, location, tags: allTags }) : undefined;
    const internal = pn ? pn.internalLoadBalancer ?? !apiFront : false;
    // Inside an internal environment, an "external" ingress is reachable from the VNet only: the batch function
    // (integrated with the same VNet) calls it there, with its Entra ID token; so does the explain function.
    const authenticated = onAzureMl || apiFront || (internal && (batchOn || explainOn));
    const backendAudience = onAzureMl ? AZURE_ML_TOKEN_AUDIENCE : props.backendAudience ?? servingIdentity.clientId;
    if (onAzureMl) {
      ({ workspace: this.workspace, endpoint: this.mlEndpoint } = createAzureMlServing(this, props, {
        spec: props.spec, name: spec.name, location, resourceGroup: rg, storageAccount: this.storage.storageAccount, keyVault: this.base.keyVault,
        applicationInsights: this.base.applicationInsights, captureContainer: driftOn ? this.storage.captureContainer : undefined,
        invokerPrincipalIds: [batchIdentity, explainIdentity].flatMap((i) => (i ? [i.principalId] : [])), tags: allTags,
      }));
    } else this.serving = new ContainerAppServing(this, 'Serving', {
      spec: props.spec,
      resourceGroup: rg,
      location,
      logAnalyticsWorkspace: this.base.logAnalyticsWorkspace,
      identity: servingIdentity,
      existingRegistry: props.existingRegistry,
      registryName: props.registryName,
      registrySku: props.registrySku ?? (pn && props.registryName !== undefined ? 'Premium' : undefined),
      registryPublicNetworkAccess: pn && props.registryName !== undefined ? false : undefined,
      network: pn ? { infrastructureSubnetId: pn.environmentSubnetId, internalLoadBalancer: internal } : undefined,
      artifactStorage: this.storage.blobStorage,
      dataCapture,
      // API Management Consumption has no VNet, so it can only reach a public ingress; the ingress then
      // demands an Entra ID token that only the gateway's (and the batch function's) identity can obtain.
      externalIngress: authenticated,
      callerAuthentication: authenticated
        ? {
          tenantId: this.base.clientConfig.tenantId,
          audience: backendAudience,
          allowedClientIds: [...(apiFront ? [gatewayIdentity.clientId] : []), ...[batchIdentity, explainIdentity].flatMap((i) => (i ? [i.clientId] : []))],
        }
        : undefined,
      serverlessGpuRegions: props.serverlessGpuRegions,
      tags: allTags,
    });

    if (this.serving && (props.mlWorkspace ?? true)) {
      this.workspace = new MlWorkspace(this, 'Workspace', {
        name: spec.name,
        resourceGroup: rg,
        location,
        storageAccount: this.storage.storageAccount,
        keyVault: this.base.keyVault,
        applicationInsights: this.base.applicationInsights,
        containerRegistry: this.serving.registry,
        publicNetworkAccessEnabled: props.mlWorkspacePublicNetworkAccess,
        highBusinessImpact: props.mlWorkspaceHighBusinessImpact,
        tags: allTags,
      });
    }

    if (apiFront && this.serving) {
      this.api = new ApiFront(this, 'Api', {
        name: spec.name,
        resourceGroup: rg,
        location,
        backendUrl: this.serving.url,
        publisherEmail: props.apiPublisherEmail ?? firstEmail(spec.monitoring.alarmEmails) ?? 'ml-platform@example.com',
        sku: props.apiSku,
        gatewayIdentity,
        backendAudience,
        predictPath: spec.serving.predictPath,
        healthPath: spec.serving.healthPath,
        rateLimitPerMinute: props.apiRateLimitPerMinute,
        tags: allTags,
      });
    }

    const functionNetwork = pn?.functionSubnetId ? { subnetId: pn.functionSubnetId, allowedIpRanges: pn.allowedIpRanges } : undefined;
    if (batchIdentity) {
      if (!authenticated) {
        warn(this, 'AzureModelStack batchInference with apiFront off: the serving app has an internal ingress, which a Flex Consumption function without VNet integration cannot reach; batch events will retry and dead-letter (use privateNetworking to put both in your VNet)');
      }
      this.batch = new BatchInference(this, 'Batch', {
        name: spec.name,
        resourceGroup: rg,
        location,
        storageAccount: this.storage.storageAccount,
        incomingContainer: this.storage.incomingContainer,
        predictionsContainer: this.storage.predictionsContainer,
        errorContainer: this.storage.containers.errors,
        deadLetterContainer: this.storage.deadLetterContainer,
        identity: batchIdentity,
        applicationInsights: this.base.applicationInsights,
        // Azure ML forwards its /score to the container's predictPath.
        scoringUrl: this.mlEndpoint ? this.mlEndpoint.baseUrl : this.serving!.url,
        predictPath: this.mlEndpoint ? this.mlEndpoint.scoringPath : spec.serving.predictPath,
        backendAudience: authenticated ? backendAudience : undefined,
        packagePath: props.batchFunctionPackagePath,
        deployerPrincipalId: this.base.clientConfig.objectId,
        dataCapture,
        network: functionNetwork,
        tags: allTags,
      });
    }

    const monitoring = { spec, resourceGroup: rg, location, tags: allTags };
    if (wantsRetrainingTopic(spec, props.retrainingEvents)) this.retrainingTopic = createRetrainingTopic(this, monitoring);
    if (driftOn) this.driftJob = this.createDrift(props, functionNetwork, dataCapture?.uri);

    this.alerts = new InferenceAlerts(this, 'Alerts', {
      spec: props.spec,
      resourceGroup: rg,
      location,
      containerAppId: this.serving?.app.id,
      logAnalyticsWorkspace: this.base.logAnalyticsWorkspace,
      driftJob: this.driftJob,
      existingActionGroup: props.existingActionGroup,
      tags: allTags,
    });

    if (qualityOn) {
      this.quality = createQualityMonitoring(this, {
        ...monitoring, modelSpec: props.spec, storage: this.storage.blobStorage, captureUri: dataCapture?.uri, applicationInsights: this.base.applicationInsights,
        workspace: this.base.logAnalyticsWorkspace, actionGroup: this.alerts.actionGroup, schedule: props.qualitySchedule,
        deployerPrincipalId: this.base.clientConfig.objectId, network: functionNetwork, retrainingTopic: this.retrainingTopic,
      });
    }
    if (explainOptions && explainIdentity) {
      this.explain = createExplainMonitoring(this, {
        ...monitoring, modelSpec: props.spec, options: explainOptions, identity: explainIdentity, storage: this.storage.blobStorage, captureUri: dataCapture?.uri,
        // Azure ML forwards its /score to the container's predictPath; the function calls the model, not API Management.
        endpointUrl: this.mlEndpoint ? this.mlEndpoint.baseUrl : this.serving!.url,
        predictPath: this.mlEndpoint ? this.mlEndpoint.scoringPath : spec.serving.predictPath,
        tokenAudience: authenticated ? backendAudience : undefined,
        applicationInsights: this.base.applicationInsights, workspace: this.base.logAnalyticsWorkspace, actionGroup: this.alerts.actionGroup,
        deployerPrincipalId: this.base.clientConfig.objectId, network: functionNetwork,
      });
    }
    if (this.mlEndpoint) this.mlAlerts = createAzureMlAlerts(this, props.spec, this.mlEndpoint, rg, this.alerts.actionGroup, allTags);

    if (spec.monthlyBudgetUsd !== undefined) {
      this.budget = new ResourceGroupBudget(this, 'Budget', {
        name: spec.name,
        resourceGroup: rg,
        amount: spec.monthlyBudgetUsd,
        // The same receivers as every alert: the action group, plus the spec's addresses directly so the budget
        // still reaches someone if the action group is edited outside Terraform.
        actionGroupIds: [this.alerts.actionGroup.id],
        contactEmails: spec.monitoring.alarmEmails,
        startDate: props.budgetStartDate,
      });
    }

    if (pn) {
      this.privateEndpoints = connectPrivateEndpoints(this, pn, {
        name: spec.name, resourceGroup: rg, location, tags: allTags,
        storage: this.storage.storageAccount, keyVault: this.base.keyVault, registry: this.serving?.createdRegistry,
        hostStorage: {
          Batch: this.batch?.hostStorage,
          Drift: this.driftJob instanceof DriftFunction ? this.driftJob.hostStorage : undefined,
          Quality: this.quality?.qualityFunction.hostStorage,
          Explain: this.explain?.explainFunction.hostStorage,
        },
      });
      const environmentZone = internal && this.serving ? resolveEnvironmentDns(this, this.serving.environment, pn, { name: spec.name, resourceGroup: rg, tags: allTags }) : 0;
      this.networkCost = {
        privateEndpoints: this.privateEndpoints.endpoints.length,
        privateDnsZones: this.privateEndpoints.createdZoneCount + environmentZone,
        ...(props.registryName !== undefined && props.registrySku === undefined ? { registryUpgradedFrom: 'Standard' as const } : {}),
      };
    }

    new TerraformOutput(this, 'api_url', {
      value: this.api ? this.api.apiUrl : this.mlEndpoint ? this.mlEndpoint.scoringUri : this.serving!.url,
      description: this.api ? 'API Management URL of the model API (send Ocp-Apim-Subscription-Key)'
        : this.mlEndpoint ? `Scoring URI of the Azure ML endpoint (POST with an Entra ID token for ${AZURE_ML_TOKEN_AUDIENCE})` : 'Internal URL of the serving app',
    });
    new TerraformOutput(this, 'storage_account_name', { value: this.storage.storageAccount.name, description: 'Ingestion storage account' });
    if (this.driftJob) {
      new TerraformOutput(this, 'drift_job_name', {
        value: this.driftJob instanceof DriftJob ? this.driftJob.job.name : this.driftJob.name,
        description: this.driftJob instanceof DriftJob
          ? 'Container Apps job running the drift check (az containerapp job start -n <name> runs it now)'
          : 'Function app running the drift check (function drift_check; its lines are in AppTraces)',
      });
    }
    if (this.explain) {
      new TerraformOutput(this, 'explain_function_name', { value: this.explain.explainFunction.name, description: 'Function app running the explainability job (function explain_check; its lines are in AppTraces)' });
    }
    new TerraformOutput(this, 'action_group_id', { value: this.alerts.actionGroup.id, description: 'Action group every alert notifies' });

    // What `npm run review` prices the stack from: the spec as given, and the choices that change the bill.
    const logAlerts = [this.alerts.driftAlert, this.alerts.datasetDriftAlert, this.alerts.constraintViolationsAlert, this.alerts.driftJobErrorAlert, this.alerts.driftJobSilenceAlert].filter((a) => a !== undefined);
    this.addOverride(`//.${REVIEW_METADATA_KEY}`, reviewMetadata(props.spec, 'azure', {
      // Three metric alerts plus the log alerts: what Azure Monitor bills per rule.
      alarmCount: 3 + logAlerts.length + (this.quality?.cost.alerts ?? 0) + (this.explain?.cost.alerts ?? 0),
      ...(this.mlEndpoint ? { azureServing: 'azure-ml' as const } : {}),
      jobs: [
        // The bundled function runs in about a minute (PORTABLE_DRIFT_JOB_MINUTES); an image job also pulls and starts a
        // container, assumed 10 minutes (not measured).
        ...(this.driftJob ? [this.driftJob instanceof DriftFunction
          ? { item: 'Hourly drift job', runner: 'azure-flex-function' as const, minutesPerRun: PORTABLE_DRIFT_JOB_MINUTES }
          : { item: 'Hourly drift job', runner: 'azure-container-apps-job' as const, minutesPerRun: 10 }] : []),
        ...(this.quality ? [this.quality.cost.job] : []),
        ...(this.explain ? [this.explain.cost.job] : []),
      ],
      ...(this.networkCost ? { azureNetwork: this.networkCost } : {}),
    }));
  }

  /** The drift check: a Container Apps job with your image, else the drift function. */
  private createDrift(props: AzureModelStackProps, network: { subnetId: string; allowedIpRanges?: readonly string[] } | undefined, captureUri: string | undefined): IDriftJobRef & (DriftFunction | DriftJob) {
    const common = {
      spec: props.spec,
      resourceGroup: this.base.resourceGroup,
      location: props.location ?? 'eastus',
      storage: this.storage.blobStorage,
      baselineUri: props.driftBaselineUri,
      captureUri,
      schedule: props.driftSchedule,
      tags: this.base.tags,
    };
    if (!props.driftJobImage) {
      return new DriftFunction(this, 'Drift', {
        ...common,
        applicationInsights: this.base.applicationInsights,
        deployerPrincipalId: this.base.clientConfig.objectId,
        network,
        retrainingTopic: this.retrainingTopic,
      });
    }
    // The image comes from the serving registry (the job identity gets AcrPull there) or a public registry.
    const source = imageSource(props.driftJobImage);
    const registry = this.serving?.registry;
    const errors = new ValidationErrors('AzureModelStack');
    if (source.kind === 'acr') {
      errors.check(registry !== undefined && (isTokenString(registry.loginServer) || registry.loginServer.toLowerCase() === source.host), 'driftJobImage', props.driftJobImage,
        `an image in the serving registry${registry ? ` (${registry.loginServer})` : ''} or a public registry: the drift job pulls with its identity from the stack's registry only`);
    }
    errors.throwIfAny();
    return new DriftJob(this, 'Drift', {
      ...common,
      environment: this.serving!.environment,
      image: props.driftJobImage,
      registry: source.kind === 'acr' || source.kind === 'token' ? registry : undefined,
    });
  }
}

/** Two optional lists as one; a list token (a variable) makes it a Terraform concat. */
function concatLists(a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] {
  const lists = [a ?? [], b ?? []].filter((l) => l.length > 0);
  if (lists.some(isTokenList)) return Token.asList(Fn.concat(lists as string[][]));
  return lists.flat();
}

/** The first address of a list, also when the list is a token (a variable). */
function firstEmail(emails: readonly string[]): string | undefined {
  return isTokenList(emails) ? Token.asString(Fn.element(emails, 0)) : emails[0];
}
