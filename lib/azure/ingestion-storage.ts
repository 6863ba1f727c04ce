// The ingestion storage account: Entra-only (no shared keys), TLS 1.2, versioned, soft-deleted,
// infrastructure-encrypted, optionally with a customer-managed key, holding the pipeline's private containers.
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageAccountCustomerManagedKeyA as StorageAccountCustomerManagedKey } from '@cdktf/provider-azurerm/lib/storage-account-customer-managed-key';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Construct } from 'constructs';
import { isTokenString, ValidationErrors } from '../core';
import { checkIpRanges, exclusive } from './private/checks';
import { compactName, STORAGE_ACCOUNT_NAME_PATTERN } from './private/azure-facts';
import { BuiltInRole, grantRole } from './private/role-grant';
import { IBlobContainerRef, IBlobStorageRef, IKeyVaultRef, IResourceGroupRef, IStorageAccountRef, IUserAssignedIdentityRef } from './references';

/** Replication choices for the ingestion account. */
export type StorageReplication = 'LRS' | 'ZRS' | 'GRS' | 'GZRS' | 'RAGRS' | 'RAGZRS';

/** Encrypt the account with a key kept in our Key Vault. */
export interface StorageCustomerManagedKey {
  /** The vault that holds the key (purge protection on, RBAC authorization). */
  readonly keyVault: IKeyVaultRef;
  /** The identity the storage account uses to reach the key; it gets Key Vault Crypto Service Encryption User on the key. */
  readonly identity: IUserAssignedIdentityRef;
  /**
   * Object id of the principal running Terraform; it gets Key Vault Crypto Officer on the vault to create the key.
   * @default - no grant: the deploying principal already holds a role that can create keys
   */
  readonly deployerPrincipalId?: string;
  /**
   * Rotate the key automatically after this ISO 8601 duration.
   * @default 'P90D'
   */
  readonly rotateAfter?: string;
}

export const STORAGE_REPLICATIONS: readonly StorageReplication[] = ['LRS', 'ZRS', 'GRS', 'GZRS', 'RAGRS', 'RAGZRS'];

export interface IngestionStorageProps {
  /** Model name; prefixes the derived account name. */
  readonly name: string;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /**
   * A storage account to create the containers in instead of creating one (its name must be a literal: blob URIs are
   * built from it). Its settings (keys, firewall, encryption, deletion) stay yours. Import one with
   * `ExistingAzure.storageAccountFromId(id)` or `ExistingAzure.storageAccount(...)`.
   * @default - a new account
   */
  readonly existingAccount?: IStorageAccountRef;
  /**
   * Storage account name: 3-24 lowercase letters and digits, globally unique.
   * @default - `st` + model name + a 6-character hash of the construct path
   */
  readonly storageAccountName?: string;
  /**
   * Replication. ZRS keeps three copies across availability zones of the region (survives a zone outage and
   * keeps data in-region); choose GZRS/RAGZRS to also survive a regional outage, at about twice the price.
   * Regions without zones only offer LRS/GRS.
   * @default 'ZRS'
   */
  readonly replication?: StorageReplication;
  /**
   * Days deleted or overwritten blobs stay recoverable (1-365).
   * @default 30
   */
  readonly blobSoftDeleteDays?: number;
  /**
   * Days deleted containers stay recoverable (1-365).
   * @default 30
   */
  readonly containerSoftDeleteDays?: number;
  /**
   * Allow shared-key (account key and SAS) authorization. Off: every caller uses Entra ID. Nothing in our
   * stack needs keys (the Function App uses identity-based `AzureWebJobsStorage__*` settings); Azure ML
   * datastores need their workspace set to identity auth (see MlWorkspace).
   * @default false
   */
  readonly sharedAccessKeyEnabled?: boolean;
  /**
   * Encrypt with a customer-managed key from Key Vault instead of a Microsoft-managed key.
   * @default - Microsoft-managed keys (still with infrastructure double encryption)
   */
  readonly customerManagedKey?: StorageCustomerManagedKey;
  /**
   * Default network action for the public endpoint. `Deny` only lets trusted Azure services (`AzureServices`
   * bypass: Event Grid dead-lettering with its identity, Azure ML, Monitor), private endpoints, `allowedIpRanges`
   * and `allowedSubnetIds` through. Without a VNet the serving app (Container Apps), the functions (Flex Consumption)
   * and the people uploading inputs reach the account from addresses no firewall rule can name, so the default
   * keeps the endpoint open to authenticated Entra ID callers only (no shared keys, no anonymous access).
   * PrivateNetworking sets `Deny`.
   * @default 'Allow'
   */
  readonly networkDefaultAction?: 'Allow' | 'Deny';
  /**
   * Public IPv4 ranges allowed when `networkDefaultAction` is `Deny`.
   * @default - none
   */
  readonly allowedIpRanges?: readonly string[];
  /**
   * Let the account be reached over its public endpoint at all. Off: only private endpoints; the firewall's trusted
   * service exceptions no longer apply either, so Event Grid cannot dead-letter into the account (keep it on with
   * batch inference, and `Deny` the rest).
   * @default true
   */
  readonly publicNetworkAccess?: boolean;
  /**
   * Private containers to create besides `incoming`, `predictions`, `capture`, `baseline` and `deadletter`.
   * @default - none
   */
  readonly extraContainers?: readonly string[];
  /**
   * Refuse `terraform destroy` of the account (Terraform `prevent_destroy`): inputs and predictions are kept.
   * @default true
   */
  readonly retainOnDestroy?: boolean;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

const CONTAINER_PATTERN = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** The ingestion storage account and its private containers. */
export class IngestionStorage extends Construct {
  readonly storageAccount: IStorageAccountRef;
  /** The account created here (none with `existingAccount`). */
  readonly createdAccount?: StorageAccount;
  readonly storageAccountName: string;
  /** Where clients drop inputs; blob creation here triggers batch inference. */
  readonly incomingContainer: IBlobContainerRef;
  /** Where batch inference writes results. */
  readonly predictionsContainer: IBlobContainerRef;
  /**
   * Captured request/response records (SageMaker data-capture JSON lines) for drift analysis, one folder per model:
   * `capture/<model>/YYYY/MM/DD/HH/`. Writers (the serving app, batch inference) get write on this container only.
   */
  readonly captureContainer: IBlobContainerRef;
  /**
   * The drift baseline (`statistics.json` and `constraints.json` from `deploy-ai-smarter baseline`), kept in its own
   * container so the drift job's read grant covers the baseline and nothing the writers of `capture` can change.
   */
  readonly baselineContainer: IBlobContainerRef;
  /** Events Event Grid could not deliver. */
  readonly deadLetterContainer: IBlobContainerRef;
  /** Every container by name. */
  readonly containers: Readonly<Record<string, IBlobContainerRef>>;
  readonly customerManagedKey?: KeyVaultKey;

  constructor(scope: Construct, id: string, props: IngestionStorageProps) {
    super(scope, id);
    const errors = new ValidationErrors('IngestionStorage');
    errors.checkPattern('storageAccountName', props.storageAccountName, STORAGE_ACCOUNT_NAME_PATTERN, '3-24 lowercase letters and digits (no hyphens or capitals), globally unique');
    errors.checkOneOf('replication', props.replication, STORAGE_REPLICATIONS);
    errors.checkOneOf('networkDefaultAction', props.networkDefaultAction, ['Allow', 'Deny']);
    errors.checkNumber('blobSoftDeleteDays', props.blobSoftDeleteDays, { min: 1, max: 365, integer: true });
    errors.checkNumber('containerSoftDeleteDays', props.containerSoftDeleteDays, { min: 1, max: 365, integer: true });
    errors.checkPattern('customerManagedKey.rotateAfter', props.customerManagedKey?.rotateAfter, /^P(\d+Y)?(\d+M)?(\d+D)?$/, 'an ISO 8601 duration in days, months or years, e.g. "P90D"');
    (props.extraContainers ?? []).forEach((c, i) => errors.checkPattern(`extraContainers[${i}]`, c, CONTAINER_PATTERN, '3-63 lowercase letters, digits and single hyphens'));
    checkIpRanges(errors, 'allowedIpRanges', props.allowedIpRanges);
    const existing = props.existingAccount;
    exclusive(errors, 'existingAccount', existing, {
      storageAccountName: props.storageAccountName, replication: props.replication, blobSoftDeleteDays: props.blobSoftDeleteDays,
      containerSoftDeleteDays: props.containerSoftDeleteDays, sharedAccessKeyEnabled: props.sharedAccessKeyEnabled, customerManagedKey: props.customerManagedKey,
      networkDefaultAction: props.networkDefaultAction, allowedIpRanges: props.allowedIpRanges, publicNetworkAccess: props.publicNetworkAccess, retainOnDestroy: props.retainOnDestroy,
    });
    if (existing) {
      errors.check(typeof existing.name === 'string' && !isTokenString(existing.name) && STORAGE_ACCOUNT_NAME_PATTERN.test(existing.name), 'existingAccount.name', existing.name,
        'the account name as a literal (blob URIs are built from it at synth time)');
    }
    errors.throwIfAny();

    const tags = { ...props.tags };
    const cmk = props.customerManagedKey;
    this.storageAccountName = existing?.name ?? props.storageAccountName ?? compactName('st', props.name, 24, this.node.path);

    this.createdAccount = existing ? undefined : new StorageAccount(this, 'Account', {
      name: this.storageAccountName,
      resourceGroupName: props.resourceGroup.name,
      location: props.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: props.replication ?? 'ZRS',
      accessTier: 'Hot',
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      // azurerm defaults this to true: containers could then be made public.
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: props.sharedAccessKeyEnabled ?? false,
      defaultToOauthAuthentication: true,
      crossTenantReplicationEnabled: false,
      allowedCopyScope: 'AAD',
      localUserEnabled: false,
      sftpEnabled: false,
      infrastructureEncryptionEnabled: true,
      publicNetworkAccessEnabled: props.publicNetworkAccess ?? true,
      identity: cmk ? { type: 'UserAssigned', identityIds: [cmk.identity.id] } : undefined,
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        changeFeedRetentionInDays: props.blobSoftDeleteDays ?? 30,
        deleteRetentionPolicy: { days: props.blobSoftDeleteDays ?? 30, permanentDeleteEnabled: false },
        containerDeleteRetentionPolicy: { days: props.containerSoftDeleteDays ?? 30 },
      },
      networkRules: {
        defaultAction: props.networkDefaultAction ?? 'Allow',
        bypass: ['AzureServices', 'Logging', 'Metrics'],
        ipRules: props.allowedIpRanges ? [...props.allowedIpRanges] : undefined,
      },
      tags,
      // Losing the account loses every input and prediction: `terraform destroy` must be deliberate.
      lifecycle: { preventDestroy: props.retainOnDestroy ?? true },
    });
    this.storageAccount = existing ?? this.createdAccount!;

    const containers: Record<string, IBlobContainerRef> = {};
    for (const name of ['incoming', 'predictions', 'capture', 'baseline', 'deadletter', ...(props.extraContainers ?? [])]) {
      containers[name] = new StorageContainer(this, `Container-${name}`, {
        name,
        // storage_account_id (azurerm 4.x) creates the container through Resource Manager, so it works
        // with shared keys off and the data-plane firewall closed.
        storageAccountId: this.storageAccount.id,
        containerAccessType: 'private',
      });
    }
    this.containers = containers;
    this.incomingContainer = containers.incoming;
    this.predictionsContainer = containers.predictions;
    this.captureContainer = containers.capture;
    this.baselineContainer = containers.baseline;
    this.deadLetterContainer = containers.deadletter;

    if (cmk) {
      const officer = cmk.deployerPrincipalId
        ? grantRole(this, 'DeployerCryptoOfficer', {
          principalId: cmk.deployerPrincipalId,
          // The deploying principal may be a user (az login) or a service principal (CI).
          principalType: 'Unknown',
          role: 'Key Vault Crypto Officer',
          scope: cmk.keyVault.id,
          description: 'Lets Terraform create and rotate the storage encryption key',
        })
        : undefined;
      this.customerManagedKey = new KeyVaultKey(this, 'EncryptionKey', {
        name: `${this.storageAccountName}-cmk`,
        keyVaultId: cmk.keyVault.id,
        keyType: 'RSA',
        keySize: 3072,
        keyOpts: ['wrapKey', 'unwrapKey'],
        rotationPolicy: {
          automatic: { timeAfterCreation: cmk.rotateAfter ?? 'P90D' },
          expireAfter: 'P2Y',
          notifyBeforeExpiry: 'P30D',
        },
        dependsOn: officer ? [officer] : undefined,
      });
      const keyUser = grantRole(this, 'EncryptionKeyUser', {
        principalId: cmk.identity.principalId,
        role: 'Key Vault Crypto Service Encryption User',
        scope: this.customerManagedKey.resourceVersionlessId,
        description: 'Lets the storage account wrap and unwrap its data encryption key',
      });
      new StorageAccountCustomerManagedKey(this, 'CustomerManagedKey', {
        storageAccountId: this.storageAccount.id,
        keyVaultId: cmk.keyVault.id,
        keyName: this.customerManagedKey.name,
        // No key version: storage follows automatic rotation.
        userAssignedIdentityId: cmk.identity.id,
        dependsOn: [keyUser],
      });
    }
  }

  /** `https://<account>.blob.core.windows.net/<container>/<path>`, with the account name as a literal (for URIs checked at synth time). */
  blobUrl(container: string, path = ''): string {
    return `https://${this.storageAccountName}.blob.core.windows.net/${container}/${path}`;
  }

  /** The storage as other constructs take it: literal account name, account and containers. */
  get blobStorage(): IBlobStorageRef {
    return { accountName: this.storageAccountName, account: this.storageAccount, containers: this.containers };
  }

  /**
   * Grants `role` on one container (or the whole account) to a principal.
   * @param principalType `ServicePrincipal` for managed identities (default); `User`, `Group`, or `Unknown` to let Azure look it up
   */
  grant(id: string, principalId: string, role: Extract<BuiltInRole, `Storage ${string}`>, container?: IBlobContainerRef, description?: string,
    principalType: 'ServicePrincipal' | 'User' | 'Group' | 'Unknown' = 'ServicePrincipal'): void {
    grantRole(this, id, {
      principalId,
      principalType,
      role,
      scope: container ? container.id : this.storageAccount.id,
      description: description ?? `${role} on ${container ? `container ${container.name}` : 'the ingestion account'}`,
    });
  }
}
