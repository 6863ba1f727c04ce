// The props of AzureModelStack: the shared ModelSpec plus what only Azure needs (region, existing resources, the
// private-network switch, and the knobs of each construct the stack wires).
import { AzurermBackendConfig } from 'cdktf';
import { ModelSpec } from '../core';
import { ApiManagementSku } from './api-front';
import { RegistrySku } from './container-app-serving';
import { StorageReplication } from './ingestion-storage';
import { PrivateDnsZoneIds } from './private-endpoints';
import { IActionGroupRef, IContainerRegistryRef, IKeyVaultRef, ILogAnalyticsWorkspaceRef, IResourceGroupRef, IStorageAccountRef } from './references';

/**
 * Everything in your virtual network, in one prop: the Container Apps environment in your subnet, the functions
 * integrated with another, and private endpoints (with private DNS zones) for the storage accounts, the Key Vault
 * and a registry the stack creates, whose public access is then off or restricted to `allowedIpRanges`.
 */
export interface PrivateNetworking {
  /**
   * The Container Apps environment's infrastructure subnet: /27 or larger, delegated to `Microsoft.App/environments`,
   * used by this environment only.
   */
  readonly environmentSubnetId: string;
  /** The subnet the private endpoints get their addresses in (no delegation). */
  readonly privateEndpointSubnetId: string;
  /**
   * The subnet the Flex Consumption functions (batch inference, drift) integrate with: delegated to
   * `Microsoft.App/environments`, not the environment's subnet. Required when batch inference or the drift function runs.
   * @default - none
   */
  readonly functionSubnetId?: string;
  /**
   * Serve through an internal load balancer only (reachable from the VNet, never from the internet). API
   * Management Consumption cannot reach it, so this needs `apiFront: false`.
   * @default - true when apiFront is off, false with apiFront (the gateway calls a public ingress that demands its Entra ID token)
   */
  readonly internalLoadBalancer?: boolean;
  /**
   * The VNet the private DNS zones are linked to.
   * @default - the VNet of privateEndpointSubnetId
   */
  readonly virtualNetworkId?: string;
  /**
   * Private DNS zones you already have (a VNet can be linked to only one zone of a name), by service.
   * @default - the stack creates the zones it needs in its resource group and links them to the VNet
   */
  readonly privateDnsZoneIds?: PrivateDnsZoneIds;
  /**
   * Public IPv4 ranges still let through the storage and Key Vault firewalls, e.g. the Terraform runner (it uploads
   * the function packages through the host storage's data plane) and whoever uploads inputs from outside the VNet.
   * @default - none: run Terraform from inside the network
   */
  readonly allowedIpRanges?: readonly string[];
}

/** The explainability job's settings in AzureModelStack (named as GcpModelStack's `explainJob`). */
export interface AzureExplainJobOptions {
  /** Feature names in request order. @default - `_c0`, `_c1`, ... (or the first JSON request's keys) */
  readonly featureNames?: readonly string[];
  /** Requests sampled per run (1-100000); each run calls the model `1 + features x 3` times on the sample. @default 200 */
  readonly sample?: number;
  /** Hours of traffic each run samples (1-744). @default 24 */
  readonly windowHours?: number;
  /** Five-field cron expression, UTC. @default '45 1 * * *' (daily at 01:45) */
  readonly schedule?: string;
  /** Folder of captured requests above the `YYYY/MM/DD/HH/` partitions. @default - the stack's `capture/<model>/` */
  readonly captureUri?: string;
  /** Where the number to explain is in each prediction (CSV column index or JSON path). @default - see ExplainFunctionProps.inferenceAttribute */
  readonly inferenceAttribute?: string;
  /** Memory of each instance in MB (512, 2048 or 4096). @default 2048 */
  readonly instanceMemoryInMb?: number;
}

export interface AzureModelStackProps {
  /** The model deployment, shared with the AWS and GCP stacks. */
  readonly spec: ModelSpec;
  /**
   * Azure region (a token is accepted; region checks then happen at apply time).
   * @default 'eastus'
   */
  readonly location?: string;
  /**
   * What serves the model: Container Apps (with API Management in front), or an Azure ML managed online endpoint in
   * the stack's workspace (Entra ID tokens, instance type from the compute class, see docs/azure.md "Serving choice").
   * @default 'container-apps'
   */
  readonly serving?: 'container-apps' | 'azure-ml';
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
  /**
   * Put the stack in your virtual network (see PrivateNetworking); its extra monthly cost is `networkCost`.
   * @default - no VNet: public endpoints, each protected by Entra ID (see docs/azure.md, "Network")
   */
  readonly privateNetworking?: PrivateNetworking;
  /** @default - a new resource group `rg-<name>` (ExistingAzure.resourceGroupFromId imports one) */
  readonly existingResourceGroup?: IResourceGroupRef;
  /** @default `rg-<name>` */
  readonly resourceGroupName?: string;
  /**
   * A storage account to create the stack's containers in (ExistingAzure.storageAccountFromId); its own settings
   * (keys, firewall, encryption) stay yours. Event Grid allows one system topic per account: with batch inference
   * on, the account must not have one yet.
   * @default - a new account
   */
  readonly existingStorageAccount?: IStorageAccountRef;
  /**
   * Ingestion storage account name (3-24 lowercase letters and digits, globally unique).
   * @default - derived: `st` + model name + a 6-character hash
   */
  readonly storageAccountName?: string;
  /** @default 'ZRS' */
  readonly storageReplication?: StorageReplication;
  /**
   * Encrypt the ingestion account with a customer-managed key in the stack's Key Vault. Terraform creates the key
   * through the vault's data plane: list your runner in `keyVaultAllowedIpRanges` to keep the vault's firewall shut.
   * @default false (Microsoft-managed keys with infrastructure double encryption)
   */
  readonly customerManagedKey?: boolean;
  /** @default - a new Key Vault (ExistingAzure.keyVaultFromId imports one; it needs purge protection for a customer-managed key) */
  readonly existingKeyVault?: IKeyVaultRef;
  /** @default - derived: `kv` + model name + hash */
  readonly keyVaultName?: string;
  /** @default true (false with privateNetworking) */
  readonly keyVaultPublicNetworkAccess?: boolean;
  /** Public IPv4 ranges let through the Key Vault firewall (which denies the rest). @default - none */
  readonly keyVaultAllowedIpRanges?: readonly string[];
  /** @default - a new workspace `log-<name>` (ExistingAzure.logAnalyticsWorkspaceFromId imports one) */
  readonly existingLogAnalyticsWorkspace?: ILogAnalyticsWorkspaceRef;
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
  /**
   * The Azure Container Registry `spec.image` is in (ExistingAzure.containerRegistryFromId); the serving identity
   * gets AcrPull on it.
   * @default - none (see ContainerAppServingProps.existingRegistry)
   */
  readonly existingRegistry?: IContainerRegistryRef;
  /** Create the registry `spec.image` names in this stack (see ContainerAppServingProps.registryName). @default - none */
  readonly registryName?: string;
  /** @default 'Standard' ('Premium' with privateNetworking) */
  readonly registrySku?: RegistrySku;
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
   * Audience of the token API Management (and the batch function) present to the serving app.
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
   * Run the portable drift job on a schedule and capture traffic for it: the serving app (and the batch function)
   * get `CAPTURE_URI` = `capture/<model>/` and write access to the `capture` container only. Off: no job, no
   * capture grants, no job-health alerts.
   * @default - spec.monitoring.enabled (true unless monitoring is turned off)
   */
  readonly driftJob?: boolean;
  /**
   * Run the drift job as a Container Apps job from this image (docker/drift-job, pushed by you to the serving
   * registry or a public one) instead of the drift function.
   * @default - the drift function (DriftFunction: Flex Consumption timer, code uploaded by Terraform)
   */
  readonly driftJobImage?: string;
  /** @default '5 * * * *' (hourly, five minutes past, UTC) */
  readonly driftSchedule?: string;
  /** @default `https://<account>.blob.core.windows.net/baseline/` (the stack's `baseline` container) */
  readonly driftBaselineUri?: string;
  /**
   * Schedule of the quality function `spec.monitoring.quality` deploys (QualityFunction: Flex Consumption timer).
   * @default - see QualityFunctionProps.schedule (daily at 00:15 UTC for the default 24-hour window)
   */
  readonly qualitySchedule?: string;
  /**
   * A scheduled explainability job (opt-in; `{}` for the defaults): the Flex Consumption function `explain_check`
   * (ExplainFunction) samples captured requests daily, scores them through the model directly (not through API
   * Management) with an Entra ID token of its identity `id-<model>-explain`, which the stack makes an allowed caller
   * of the serving app (or a scorer on the Azure ML endpoint), and charts importance per feature in the workbook
   * `<model> feature importance`, with an alert on its errors. Turns capture on (`capture/<model>/`) even without drift
   * or quality monitoring. Each run calls the model `1 + features x 3` times on its sample. Needs apiFront or
   * privateNetworking on Container Apps (the function cannot reach an internal ingress from outside the VNet).
   * @default - none
   */
  readonly explainJob?: AzureExplainJobOptions;
  /**
   * Publish retraining events (CloudEvents 1.0, lib/core's schema) to a new Event Grid topic `evgt-<model>-retraining`
   * when the drift function judges a feature drifted or the quality function sees a threshold crossed or labels
   * stopped. Publishing is by managed identity only (local auth off). A drift-job image does not publish.
   * @default - on when spec.monitoring.quality is set (and monitoring is enabled)
   */
  readonly retrainingEvents?: boolean;
  /**
   * The action group every alert (and the budget) notifies, instead of a new one for spec.monitoring.alarmEmails
   * (ExistingAzure.actionGroupFromId).
   * @default - a new action group
   */
  readonly existingActionGroup?: IActionGroupRef;
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
