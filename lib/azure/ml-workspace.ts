// The Azure ML workspace: model registry and home of monitoring, bound to our storage, Key Vault and
// Application Insights. It does not serve the model (azurerm cannot create managed online endpoints).
import { MachineLearningWorkspace } from '@cdktf/provider-azurerm/lib/machine-learning-workspace';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core';
import { fitName, ML_WORKSPACE_NAME_PATTERN } from './private/azure-facts';
import { grantRole } from './private/role-grant';
import { IApplicationInsightsRef, IContainerRegistryRef, IKeyVaultRef, IResourceGroupRef, IStorageAccountRef, IUserAssignedIdentityRef } from './references';

export interface MlWorkspaceProps {
  /** Model name; the workspace is `mlw-<name>`, shortened with a hash when that exceeds Azure ML's 33 characters. */
  readonly name: string;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  readonly storageAccount: IStorageAccountRef;
  readonly keyVault: IKeyVaultRef;
  readonly applicationInsights: IApplicationInsightsRef;
  /**
   * Registry for environment images built by the workspace.
   * @default - none: Azure ML creates one on the first image build
   */
  readonly containerRegistry?: IContainerRegistryRef;
  /**
   * Run the workspace as this user-assigned identity; it gets the roles Azure ML needs on the storage
   * account, Key Vault and Application Insights.
   * @default - a system-assigned identity (Azure ML grants it those roles itself)
   */
  readonly identity?: IUserAssignedIdentityRef;
  /**
   * Reach the workspace (studio, SDK, registry) over the public endpoint. Off: only through a private endpoint.
   * @default false
   */
  readonly publicNetworkAccessEnabled?: boolean;
  /**
   * High business impact: Azure ML collects less diagnostic data and encrypts local scratch disks.
   * Cannot be changed after creation.
   * @default false
   */
  readonly highBusinessImpact?: boolean;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An Azure ML workspace for the model's registry and monitoring. */
export class MlWorkspace extends Construct {
  readonly workspace: MachineLearningWorkspace;

  constructor(scope: Construct, id: string, props: MlWorkspaceProps) {
    super(scope, id);
    const errors = new ValidationErrors('MlWorkspace');
    errors.checkPattern('name', props.name, /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, '2-32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen');
    errors.throwIfAny();

    const uai = props.identity;
    const grants = uai
      ? [
        // Azure ML's documented roles for a user-assigned workspace identity.
        grantRole(this, 'StorageContributor', { principalId: uai.principalId, role: 'Contributor', scope: props.storageAccount.id, description: 'Azure ML manages the workspace storage (file shares, datastores)' }),
        grantRole(this, 'StorageBlobContributor', { principalId: uai.principalId, role: 'Storage Blob Data Contributor', scope: props.storageAccount.id, description: 'Azure ML reads and writes workspace blobs with Entra ID' }),
        grantRole(this, 'KeyVaultContributor', { principalId: uai.principalId, role: 'Contributor', scope: props.keyVault.id, description: 'Azure ML manages its Key Vault' }),
        grantRole(this, 'KeyVaultSecrets', { principalId: uai.principalId, role: 'Key Vault Secrets User', scope: props.keyVault.id, description: 'Azure ML reads connection secrets' }),
        grantRole(this, 'AppInsightsContributor', { principalId: uai.principalId, role: 'Contributor', scope: props.applicationInsights.id, description: 'Azure ML links its Application Insights' }),
      ]
      : [];

    this.workspace = new MachineLearningWorkspace(this, 'Workspace', {
      name: fitName('mlw-', props.name, '', 33, ML_WORKSPACE_NAME_PATTERN),
      location: props.location,
      resourceGroupName: props.resourceGroup.name,
      storageAccountId: props.storageAccount.id,
      keyVaultId: props.keyVault.id,
      applicationInsightsId: props.applicationInsights.id,
      containerRegistryId: props.containerRegistry?.id,
      identity: uai ? { type: 'UserAssigned', identityIds: [uai.id] } : { type: 'SystemAssigned' },
      primaryUserAssignedIdentity: uai?.id,
      publicNetworkAccessEnabled: props.publicNetworkAccessEnabled ?? false,
      highBusinessImpact: props.highBusinessImpact ?? false,
      skuName: 'Basic',
      tags: { ...props.tags },
      dependsOn: grants.length ? grants : undefined,
    });
  }
}
