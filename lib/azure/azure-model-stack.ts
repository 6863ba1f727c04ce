// The composed Azure stack: provider, optional remote state, every construct wired from one ModelSpec,
// an optional monthly budget, outputs for the API URL, storage account and action group, and the review metadata.
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Annotations, AzurermBackend, AzurermBackendConfig, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ModelSpec, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { REVIEW_METADATA_KEY, reviewMetadata } from '../review/contract';
import { ApiFront, ApiManagementSku } from './api-front';
import { BatchInference } from './batch-inference';
import { ContainerAppServing } from './container-app-serving';
import { DriftJob } from './drift-job';
import { InferenceAlerts } from './inference-alerts';
import { IngestionStorage, StorageReplication } from './ingestion-storage';
import { MlWorkspace } from './ml-workspace';
import { ObservabilityBase } from './observability-base';
import { AZURE_LOCATIONS, SERVERLESS_GPU_REGIONS } from './private/azure-facts';
import { IContainerRegistryRef, IResourceGroupRef } from './references';
import { ResourceGroupBudget } from './resource-group-budget';

export interface AzureModelStackProps {
  /** The model deployment, shared with the AWS and GCP stacks. */
  readonly spec: ModelSpec;
  /**
   * Azure region.
   * @default 'eastus'
   */
  readonly location?: string;
  /**
   * Subscription to deploy into.
   * @default - the Azure CLI / ARM_SUBSCRIPTION_ID subscription
   */
  readonly subscriptionId?: string;
  /**
   * Keep Terraform state in an Azure storage container (with Entra ID auth).
   * @default - local state file
   */
  readonly backend?: AzurermBackendConfig;
  /** @default - a new resource group `rg-<name>` */
  readonly existingResourceGroup?: IResourceGroupRef;
  /** @default `rg-<name>` */
  readonly resourceGroupName?: string;
  /**
   * Ingestion storage account name (3-24 lowercase letters and digits, globally unique).
   * @default - derived: `st` + model name + a 6-character hash
   */
  readonly storageAccountName?: string;
  /** @default 'ZRS' */
  readonly storageReplication?: StorageReplication;
  /**
   * Encrypt the ingestion account with a customer-managed key in the stack's Key Vault.
   * @default false (Microsoft-managed keys with infrastructure double encryption)
   */
  readonly customerManagedKey?: boolean;
  /** @default - derived: `kv` + model name + hash */
  readonly keyVaultName?: string;
  /** @default true */
  readonly keyVaultPublicNetworkAccess?: boolean;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /**
   * Create the Azure ML workspace (model registry, monitoring home).
   * @default true
   */
  readonly mlWorkspace?: boolean;
  /** @default false */
  readonly mlWorkspacePublicNetworkAccess?: boolean;
  /** @default false */
  readonly mlWorkspaceHighBusinessImpact?: boolean;
  /** @default - a new Standard registry */
  readonly existingRegistry?: IContainerRegistryRef;
  /** @default 'Standard' */
  readonly registrySku?: 'Basic' | 'Standard' | 'Premium';
  /**
   * Put API Management in front. Off: the app keeps an internal ingress and nothing is public.
   * @default true
   */
  readonly apiFront?: boolean;
  /** @default 'Consumption_0' */
  readonly apiSku?: ApiManagementSku;
  /**
   * API Management publisher email.
   * @default - the first of spec.monitoring.alarmEmails, else `ml-platform@example.com`
   */
  readonly apiPublisherEmail?: string;
  /** @default 600 */
  readonly apiRateLimitPerMinute?: number;
  /**
   * Audience of the token API Management presents to the serving app.
   * @default - the serving identity's client id
   */
  readonly backendAudience?: string;
  /**
   * Event Grid + Function App batch inference on `incoming/`.
   * @default true
   */
  readonly batchInference?: boolean;
  /**
   * Your own zip for the batch function instead of the bundled one (deployed the same way, in the same apply).
   * @default - the bundled function: see BatchInferenceProps.packagePath
   */
  readonly batchFunctionPackagePath?: string;
  /**
   * Run the portable drift job on a schedule (a Container Apps job in the serving environment) and capture traffic
   * for it: the serving app (and the batch function) get `CAPTURE_URI` = `capture/<model>/` and write access to the
   * `capture` container only. Off: no job, no capture grants, no job-health alerts.
   * @default - spec.monitoring.enabled (true unless monitoring is turned off)
   */
  readonly driftJob?: boolean;
  /** @default - see DriftJobProps.image */
  readonly driftJobImage?: string;
  /** @default '5 * * * *' (hourly, five minutes past, UTC) */
  readonly driftSchedule?: string;
  /** @default `https://<account>.blob.core.windows.net/baseline/` (the stack's `baseline` container) */
  readonly driftBaselineUri?: string;
  /**
   * First month of the budget created for `spec.monthlyBudgetUsd`, as `YYYY-MM-01T00:00:00Z` (see ResourceGroupBudgetProps.startDate).
   * @default - the month in which `terraform apply` first creates the budget; later changes are ignored
   */
  readonly budgetStartDate?: string;
  /** @default - see ContainerAppServingProps.serverlessGpuRegions */
  readonly serverlessGpuRegions?: Readonly<Record<string, readonly string[]>>;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The complete Azure inference stack for one model. */
export class AzureModelStack extends TerraformStack {
  readonly spec: ResolvedModelSpec;
  readonly base: ObservabilityBase;
  readonly storage: IngestionStorage;
  readonly workspace?: MlWorkspace;
  readonly serving: ContainerAppServing;
  readonly api?: ApiFront;
  readonly batch?: BatchInference;
  readonly driftJob?: DriftJob;
  readonly alerts: InferenceAlerts;
  /** The monthly budget on the resource group, when `spec.monthlyBudgetUsd` is set. */
  readonly budget?: ResourceGroupBudget;

  constructor(scope: Construct, id: string, props: AzureModelStackProps) {
    super(scope, id);
    const location = props.location ?? 'eastus';
    // Validate everything the nested constructs would, up front, so the user sees every problem at once.
    const errors = new ValidationErrors('AzureModelStack');
    this.spec = resolveModelSpec(props.spec, errors);
    errors.check(AZURE_LOCATIONS.includes(location), 'location', location, 'an Azure region name such as "eastus" or "westeurope"');
    if (this.spec.compute.kind === 'gpu' && AZURE_LOCATIONS.includes(location)) {
      const type = this.spec.compute.azure.workloadProfileType;
      const regions = (props.serverlessGpuRegions ?? SERVERLESS_GPU_REGIONS)[type] ?? [];
      errors.check(regions.includes(location), 'location', location, `a region with Container Apps serverless GPU profile ${type} for compute "${this.spec.compute.id}": ${regions.join(', ')}`);
    }
    errors.throwIfAny();
    const spec = this.spec;

    new AzurermProvider(this, 'azurerm', {
      features: [{}],
      subscriptionId: props.subscriptionId,
      // Register only the providers the stack uses instead of the provider's long default list.
      resourceProviderRegistrations: 'none',
      resourceProvidersToRegister: [
        'Microsoft.ApiManagement', 'Microsoft.App', 'Microsoft.ContainerRegistry', 'Microsoft.EventGrid',
        'Microsoft.Insights', 'Microsoft.KeyVault', 'Microsoft.MachineLearningServices', 'Microsoft.ManagedIdentity',
        'Microsoft.OperationalInsights', 'Microsoft.Storage', 'Microsoft.Web', 'Microsoft.Resources',
      ],
      // Shared keys are off on our accounts: data-plane calls use Entra ID.
      storageUseAzuread: true,
    });
    if (props.backend) new AzurermBackend(this, { useAzureadAuth: true, ...props.backend });

    const tags = props.tags;
    const batchOn = props.batchInference ?? true;
    this.base = new ObservabilityBase(this, 'Base', {
      name: spec.name,
      location,
      existingResourceGroup: props.existingResourceGroup,
      resourceGroupName: props.resourceGroupName,
      keyVaultName: props.keyVaultName,
      keyVaultPublicNetworkAccess: props.keyVaultPublicNetworkAccess,
      logRetentionDays: props.logRetentionDays,
      tags,
    });
    const allTags = this.base.tags;
    const rg = this.base.resourceGroup;

    this.storage = new IngestionStorage(this, 'Storage', {
      name: spec.name,
      resourceGroup: rg,
      location,
      storageAccountName: props.storageAccountName,
      replication: props.storageReplication,
      // Reports of inputs the model rejects, apart from predictions so neither can shadow the other.
      extraContainers: batchOn ? ['errors'] : undefined,
      customerManagedKey: props.customerManagedKey
        ? { keyVault: this.base.keyVault, identity: this.base.identity('encryption'), deployerPrincipalId: this.base.clientConfig.objectId }
        : undefined,
      tags: allTags,
    });

    const driftOn = props.driftJob ?? spec.monitoring.enabled;
    // One folder per model, directly above the YYYY/MM/DD/HH/ partitions the drift job lists.
    const dataCapture = driftOn ? { container: this.storage.captureContainer, uri: this.storage.blobUrl('capture', `${spec.name}/`) } : undefined;

    const servingIdentity = this.base.identity('serving');
    const gatewayIdentity = this.base.identity('gateway');
    const batchIdentity = batchOn ? this.base.identity('batch') : undefined;
    const apiFront = props.apiFront ?? true;
    const backendAudience = props.backendAudience ?? servingIdentity.clientId;
    this.serving = new ContainerAppServing(this, 'Serving', {
      spec: props.spec,
      resourceGroup: rg,
      location,
      logAnalyticsWorkspace: this.base.logAnalyticsWorkspace,
      identity: servingIdentity,
      existingRegistry: props.existingRegistry,
      registrySku: props.registrySku,
      artifactStorage: this.storage.blobStorage,
      dataCapture,
      // API Management Consumption has no VNet, so it can only reach a public ingress; the ingress then
      // demands an Entra ID token that only the gateway's identity can obtain.
      externalIngress: apiFront,
      // The batch function calls the app directly with its own token (no API key to store, no gateway hop).
      callerAuthentication: apiFront
        ? { tenantId: this.base.clientConfig.tenantId, audience: backendAudience, allowedClientIds: [gatewayIdentity.clientId, ...(batchIdentity ? [batchIdentity.clientId] : [])] }
        : undefined,
      serverlessGpuRegions: props.serverlessGpuRegions,
      tags: allTags,
    });

    if (props.mlWorkspace ?? true) {
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

    if (apiFront) {
      this.api = new ApiFront(this, 'Api', {
        name: spec.name,
        resourceGroup: rg,
        location,
        backendUrl: this.serving.url,
        publisherEmail: props.apiPublisherEmail ?? spec.monitoring.alarmEmails[0] ?? 'ml-platform@example.com',
        sku: props.apiSku,
        gatewayIdentity,
        backendAudience,
        rateLimitPerMinute: props.apiRateLimitPerMinute,
        tags: allTags,
      });
    }

    if (batchIdentity) {
      if (!apiFront) {
        Annotations.of(this).addWarning('AzureModelStack: batchInference with apiFront off: the serving app has an internal ingress, which a Flex Consumption function without VNet integration cannot reach; batch events will retry and dead-letter');
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
        scoringUrl: this.serving.url,
        backendAudience: apiFront ? backendAudience : undefined,
        packagePath: props.batchFunctionPackagePath,
        deployerPrincipalId: this.base.clientConfig.objectId,
        dataCapture,
        tags: allTags,
      });
    }

    if (driftOn) {
      this.driftJob = new DriftJob(this, 'Drift', {
        spec: props.spec,
        resourceGroup: rg,
        location,
        environment: this.serving.environment,
        storage: this.storage.blobStorage,
        baselineUri: props.driftBaselineUri,
        captureUri: dataCapture?.uri,
        image: props.driftJobImage,
        // A custom image is expected in the stack's registry; the public default needs no credentials.
        registry: props.driftJobImage ? this.serving.registry : undefined,
        schedule: props.driftSchedule,
        tags: allTags,
      });
    }

    this.alerts = new InferenceAlerts(this, 'Alerts', {
      spec: props.spec,
      resourceGroup: rg,
      location,
      containerAppId: this.serving.app.id,
      logAnalyticsWorkspace: this.base.logAnalyticsWorkspace,
      driftJob: this.driftJob,
      tags: allTags,
    });

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

    new TerraformOutput(this, 'api_url', {
      value: this.api ? this.api.apiUrl : this.serving.url,
      description: this.api ? 'API Management URL of the model API (send Ocp-Apim-Subscription-Key)' : 'Internal URL of the serving app',
    });
    new TerraformOutput(this, 'storage_account_name', { value: this.storage.storageAccount.name, description: 'Ingestion storage account' });
    if (this.driftJob) {
      new TerraformOutput(this, 'drift_job_name', { value: this.driftJob.job.name, description: 'Container Apps job running the drift check (az containerapp job start -n <name> runs it now)' });
    }
    new TerraformOutput(this, 'action_group_id', { value: this.alerts.actionGroup.id, description: 'Action group every alert notifies' });

    // What `npm run review` prices the stack from: the spec as given, and the choices that change the bill.
    const logAlerts = [this.alerts.driftAlert, this.alerts.driftJobErrorAlert, this.alerts.driftJobSilenceAlert].filter((a) => a !== undefined);
    this.addOverride(`//.${REVIEW_METADATA_KEY}`, reviewMetadata(props.spec, 'azure', {
      // Three metric alerts plus the log alerts: what Azure Monitor bills per rule.
      alarmCount: 3 + logAlerts.length,
      ...(this.driftJob ? {} : { driftJobMinutes: 0 }),
    }));
  }
}
