// The base every other Azure construct builds on: resource group, Log Analytics workspace,
// workspace-based Application Insights, an RBAC Key Vault and the workload's user-assigned identities.
import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { isTokenString, MODEL_NAME_PATTERN, ValidationErrors } from '../core';
import { checkIpRanges, exclusive } from './private/checks';
import { AZURE_LOCATIONS, compactName, KEY_VAULT_NAME_PATTERN, RESOURCE_GROUP_NAME_PATTERN } from './private/azure-facts';
import { IApplicationInsightsRef, IKeyVaultRef, ILogAnalyticsWorkspaceRef, IResourceGroupRef, IUserAssignedIdentityRef } from './references';

export interface ObservabilityBaseProps {
  /** Prefix of every resource name: the model name (2-32 lowercase letters, digits, hyphens). */
  readonly name: string;
  /** Azure region, e.g. `eastus`. */
  readonly location: string;
  /**
   * An existing resource group to deploy into; it must be in `location`.
   * @default - a new resource group named `resourceGroupName`
   */
  readonly existingResourceGroup?: IResourceGroupRef;
  /**
   * Name of the resource group to create (ignored with `existingResourceGroup`).
   * @default `rg-<name>`
   */
  readonly resourceGroupName?: string;
  /**
   * Days Log Analytics keeps logs (30-730); Application Insights uses the workspace's retention.
   * @default 30 (included in the Log Analytics price)
   */
  readonly logRetentionDays?: number;
  /**
   * A Log Analytics workspace to use instead of creating one (Application Insights, the Container Apps environment's
   * logs and the log alerts use it). Import one with `ExistingAzure.logAnalyticsWorkspaceFromId(id)`.
   * @default - a new workspace `log-<name>`
   */
  readonly existingLogAnalyticsWorkspace?: ILogAnalyticsWorkspaceRef;
  /**
   * A Key Vault to use instead of creating one (the customer-managed key and the ML workspace use it). For a
   * customer-managed key it needs purge protection and RBAC authorization. Import one with `ExistingAzure.keyVaultFromId(id)`.
   * @default - a new Key Vault
   */
  readonly existingKeyVault?: IKeyVaultRef;
  /**
   * Key Vault name, globally unique: 3-24 letters, digits and hyphens.
   * @default - `kv` + model name + a 6-character hash of the construct path
   */
  readonly keyVaultName?: string;
  /**
   * Days a deleted Key Vault (and its keys) can be recovered (7-90).
   * @default 90
   */
  readonly keyVaultSoftDeleteRetentionDays?: number;
  /**
   * Keep purge protection on (no one can purge the vault or its keys before the retention ends; required for
   * customer-managed keys). It cannot be turned off again once on.
   * @default true
   */
  readonly keyVaultPurgeProtection?: boolean;
  /**
   * Let the Key Vault be reached over the public endpoint at all. Off: only through a private endpoint
   * (PrivateNetworking creates one) and trusted Azure services.
   * @default true
   */
  readonly keyVaultPublicNetworkAccess?: boolean;
  /**
   * What the Key Vault firewall does with public traffic that is neither from a trusted Azure service
   * (`AzureServices` bypass: storage encryption with a customer-managed key, Azure ML) nor from
   * `keyVaultAllowedIpRanges`. Nothing in the stack reads the vault's data plane at run time, so `Deny` costs
   * nothing; Terraform creating a customer-managed key does, and needs `Allow` or its address listed.
   * @default 'Deny'
   */
  readonly keyVaultNetworkDefaultAction?: 'Allow' | 'Deny';
  /**
   * Public IP ranges (CIDR) allowed through the Key Vault firewall.
   * @default - none
   */
  readonly keyVaultAllowedIpRanges?: readonly string[];
  /**
   * Refuse shared-key (instrumentation key) ingestion into Application Insights: senders must use Entra ID
   * (`APPLICATIONINSIGHTS_AUTHENTICATION_STRING` with a managed identity holding Monitoring Metrics Publisher).
   * @default true
   */
  readonly appInsightsLocalAuthDisabled?: boolean;
  /**
   * User-assigned identities to create, by purpose (lowercase letters, digits, hyphens).
   * @default ['serving', 'batch', 'gateway', 'encryption']
   */
  readonly identityPurposes?: readonly string[];
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

const DEFAULT_PURPOSES = ['serving', 'batch', 'gateway', 'encryption'] as const;

/** Resource group, Log Analytics, Application Insights, Key Vault and managed identities for one model. */
export class ObservabilityBase extends Construct {
  readonly resourceGroup: IResourceGroupRef;
  readonly logAnalyticsWorkspace: ILogAnalyticsWorkspaceRef;
  /** The workspace created here (none with `existingLogAnalyticsWorkspace`). */
  readonly createdLogAnalyticsWorkspace?: LogAnalyticsWorkspace;
  readonly applicationInsights: ApplicationInsights & IApplicationInsightsRef;
  readonly keyVault: IKeyVaultRef;
  /** The Key Vault created here (none with `existingKeyVault`). */
  readonly createdKeyVault?: KeyVault;
  /** The Entra ID tenant and the principal running Terraform. */
  readonly clientConfig: DataAzurermClientConfig;
  /** Identities by purpose (`serving`, `batch`, `gateway`, `encryption` by default). */
  readonly identities: Readonly<Record<string, IUserAssignedIdentityRef>>;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ObservabilityBaseProps) {
    super(scope, id);
    const errors = new ValidationErrors('ObservabilityBase');
    errors.checkPattern('name', props.name, MODEL_NAME_PATTERN, '2-32 lowercase letters, digits or hyphens, starting with a letter');
    errors.check(isTokenString(props.location) || AZURE_LOCATIONS.includes(props.location), 'location', props.location, `an Azure region name such as "eastus" or "westeurope" (one of ${AZURE_LOCATIONS.length} public regions)`);
    errors.checkNumber('logRetentionDays', props.logRetentionDays, { min: 30, max: 730, integer: true });
    errors.checkNumber('keyVaultSoftDeleteRetentionDays', props.keyVaultSoftDeleteRetentionDays, { min: 7, max: 90, integer: true });
    errors.checkPattern('keyVaultName', props.keyVaultName, KEY_VAULT_NAME_PATTERN, '3-24 letters, digits and hyphens, starting with a letter, not ending with or doubling a hyphen');
    errors.checkPattern('resourceGroupName', props.resourceGroupName, RESOURCE_GROUP_NAME_PATTERN, '1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending with a period');
    errors.checkOneOf('keyVaultNetworkDefaultAction', props.keyVaultNetworkDefaultAction, ['Allow', 'Deny']);
    exclusive(errors, 'existingResourceGroup', props.existingResourceGroup, { resourceGroupName: props.resourceGroupName });
    exclusive(errors, 'existingLogAnalyticsWorkspace', props.existingLogAnalyticsWorkspace, { logRetentionDays: props.logRetentionDays });
    exclusive(errors, 'existingKeyVault', props.existingKeyVault, {
      keyVaultName: props.keyVaultName, keyVaultSoftDeleteRetentionDays: props.keyVaultSoftDeleteRetentionDays, keyVaultPurgeProtection: props.keyVaultPurgeProtection,
      keyVaultPublicNetworkAccess: props.keyVaultPublicNetworkAccess, keyVaultNetworkDefaultAction: props.keyVaultNetworkDefaultAction, keyVaultAllowedIpRanges: props.keyVaultAllowedIpRanges,
    });
    const purposes = props.identityPurposes ?? DEFAULT_PURPOSES;
    purposes.forEach((p, i) => errors.checkPattern(`identityPurposes[${i}]`, p, /^[a-z][a-z0-9-]{0,23}$/, '1-24 lowercase letters, digits or hyphens, starting with a letter'));
    checkIpRanges(errors, 'keyVaultAllowedIpRanges', props.keyVaultAllowedIpRanges);
    errors.throwIfAny();

    this.location = props.location;
    this.tags = { model: props.name, 'managed-by': 'deploy-ai-smarter', ...props.tags };
    const tags = { ...this.tags };

    this.resourceGroup = props.existingResourceGroup ?? new ResourceGroup(this, 'ResourceGroup', {
      name: props.resourceGroupName ?? `rg-${props.name}`,
      location: props.location,
      tags,
    });
    const rg = this.resourceGroup.name;
    this.clientConfig = new DataAzurermClientConfig(this, 'ClientConfig', {});

    this.createdLogAnalyticsWorkspace = props.existingLogAnalyticsWorkspace ? undefined : new LogAnalyticsWorkspace(this, 'Logs', {
      name: `log-${props.name}`,
      location: props.location,
      resourceGroupName: rg,
      sku: 'PerGB2018',
      retentionInDays: props.logRetentionDays ?? 30,
      tags,
    });
    this.logAnalyticsWorkspace = props.existingLogAnalyticsWorkspace ?? this.createdLogAnalyticsWorkspace!;

    this.applicationInsights = new ApplicationInsights(this, 'AppInsights', {
      name: `appi-${props.name}`,
      location: props.location,
      resourceGroupName: rg,
      applicationType: 'web',
      // Workspace-based: telemetry lands in the Log Analytics workspace (AppTraces, AppRequests...).
      workspaceId: this.logAnalyticsWorkspace.id,
      localAuthenticationDisabled: props.appInsightsLocalAuthDisabled ?? true,
      tags,
    });

    this.createdKeyVault = props.existingKeyVault ? undefined : new KeyVault(this, 'KeyVault', {
      name: props.keyVaultName ?? compactName('kv', props.name, 24, this.node.path),
      location: props.location,
      resourceGroupName: rg,
      tenantId: this.clientConfig.tenantId,
      skuName: 'standard',
      // Access through Azure RBAC only: no access policies to drift from the role assignments.
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: props.keyVaultPurgeProtection ?? true,
      softDeleteRetentionDays: props.keyVaultSoftDeleteRetentionDays ?? 90,
      publicNetworkAccessEnabled: props.keyVaultPublicNetworkAccess ?? true,
      networkAcls: {
        bypass: 'AzureServices',
        defaultAction: props.keyVaultNetworkDefaultAction ?? 'Deny',
        ipRules: props.keyVaultAllowedIpRanges ? [...props.keyVaultAllowedIpRanges] : undefined,
      },
      tags,
    });
    this.keyVault = props.existingKeyVault ?? this.createdKeyVault!;

    const identities: Record<string, IUserAssignedIdentityRef> = {};
    for (const purpose of purposes) {
      identities[purpose] = new UserAssignedIdentity(this, `Identity-${purpose}`, {
        name: `id-${props.name}-${purpose}`,
        location: props.location,
        resourceGroupName: rg,
        tags,
      });
    }
    this.identities = identities;
  }

  /** The identity created for `purpose`; throws when that purpose was not requested. */
  identity(purpose: string): IUserAssignedIdentityRef {
    const found = this.identities[purpose];
    if (!found) {
      const errors = new ValidationErrors('ObservabilityBase');
      errors.add('identityPurposes', Object.keys(this.identities), `to include "${purpose}"`);
      errors.throwIfAny();
    }
    return found;
  }
}
