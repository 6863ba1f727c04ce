// Imports of resources a platform team already has, in the shapes the Azure constructs take: from a resource id
// (no lookup: synthesizes offline, nothing read at plan time) or by name (a Terraform data source read at plan time).
import { DataAzurermContainerRegistry } from '@cdktf/provider-azurerm/lib/data-azurerm-container-registry';
import { DataAzurermKeyVault } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault';
import { DataAzurermLogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/data-azurerm-log-analytics-workspace';
import { DataAzurermMonitorActionGroup } from '@cdktf/provider-azurerm/lib/data-azurerm-monitor-action-group';
import { DataAzurermResourceGroup } from '@cdktf/provider-azurerm/lib/data-azurerm-resource-group';
import { DataAzurermStorageAccount } from '@cdktf/provider-azurerm/lib/data-azurerm-storage-account';
import { Construct } from 'constructs';
import { isTokenString, ValidationErrors } from '../core';
import { AZURE_LOCATIONS, KEY_VAULT_NAME_PATTERN, STORAGE_ACCOUNT_NAME_PATTERN } from './private/azure-facts';
import { acrLoginServer } from './private/image-registry';
import {
  IActionGroupRef, IContainerRegistryRef, IKeyVaultRef, ILogAnalyticsWorkspaceRef, IResourceGroupRef, IStorageAccountRef,
} from './references';

/** A resource looked up by name in a resource group. */
export interface ExistingResourceName {
  readonly name: string;
  readonly resourceGroupName: string;
}

const SEGMENT = '[^/]+';
const idPattern = (provider: string, type: string) =>
  new RegExp(`^/subscriptions/${SEGMENT}/resourceGroups/${SEGMENT}/providers/${provider.replace('.', '\\.')}/${type}/(${SEGMENT})$`, 'i');

/** The resource name at the end of `id`, after checking its shape; throws a ValidationError naming `method`. */
function nameFromId(method: string, id: string, provider: string, type: string, namePattern?: RegExp, nameRule?: string): string {
  const errors = new ValidationErrors(`ExistingAzure.${method}`);
  const match = idPattern(provider, type).exec(id);
  errors.check(match !== null, 'id', id, `a resource id /subscriptions/<subscription>/resourceGroups/<group>/providers/${provider}/${type}/<name>`);
  if (match && namePattern) errors.check(namePattern.test(match[1]), 'id', id, `a name of ${nameRule}`);
  errors.throwIfAny();
  return match![1];
}

function checkName(method: string, resource: ExistingResourceName, namePattern?: RegExp, nameRule?: string): void {
  const errors = new ValidationErrors(`ExistingAzure.${method}`);
  errors.check(typeof resource.name === 'string' && resource.name.length > 0, 'name', resource.name, 'the resource name');
  errors.check(typeof resource.resourceGroupName === 'string' && resource.resourceGroupName.length > 0, 'resourceGroupName', resource.resourceGroupName, 'the resource group name');
  if (namePattern && typeof resource.name === 'string') errors.checkPattern('name', resource.name, namePattern, nameRule ?? '');
  errors.throwIfAny();
}

/**
 * Existing Azure resources for the constructs' `existing*` props (the stack then creates no resource of that kind
 * and wires the one given). `...FromId` builds the reference from a resource id alone; the others read a data
 * source, so Terraform needs read access to the resource at plan time.
 */
export class ExistingAzure {
  /** A resource group by its id and region (no lookup). */
  static resourceGroupFromId(id: string, location: string): IResourceGroupRef {
    const errors = new ValidationErrors('ExistingAzure.resourceGroupFromId');
    const match = new RegExp(`^/subscriptions/${SEGMENT}/resourceGroups/(${SEGMENT})$`, 'i').exec(id);
    errors.check(match !== null, 'id', id, 'a resource group id /subscriptions/<subscription>/resourceGroups/<name>');
    errors.check(isTokenString(location) || AZURE_LOCATIONS.includes(location), 'location', location, 'an Azure region name such as "eastus"');
    errors.throwIfAny();
    return { id, name: match![1], location };
  }

  /** A resource group looked up by name; its id and region are read at plan time. */
  static resourceGroup(scope: Construct, id: string, name: string): IResourceGroupRef {
    checkName('resourceGroup', { name, resourceGroupName: name });
    const group = new DataAzurermResourceGroup(scope, id, { name });
    return { id: group.id, name, location: group.location };
  }

  /**
   * A storage account by id (no lookup); its blob endpoint is `https://<name>.blob.core.windows.net/` (public cloud).
   */
  static storageAccountFromId(id: string): IStorageAccountRef {
    const name = nameFromId('storageAccountFromId', id, 'Microsoft.Storage', 'storageAccounts', STORAGE_ACCOUNT_NAME_PATTERN, '3-24 lowercase letters and digits');
    return { id, name, primaryBlobEndpoint: `https://${name}.blob.core.windows.net/` };
  }

  /** A storage account looked up by name (the name stays a literal: blob URIs are built from it). */
  static storageAccount(scope: Construct, id: string, resource: ExistingResourceName): IStorageAccountRef {
    checkName('storageAccount', resource, STORAGE_ACCOUNT_NAME_PATTERN, '3-24 lowercase letters and digits');
    const account = new DataAzurermStorageAccount(scope, id, { name: resource.name, resourceGroupName: resource.resourceGroupName });
    return { id: account.id, name: resource.name, primaryBlobEndpoint: account.primaryBlobEndpoint };
  }

  /** A Key Vault by id (no lookup); its URI is `https://<name>.vault.azure.net/` (public cloud). */
  static keyVaultFromId(id: string): IKeyVaultRef {
    const name = nameFromId('keyVaultFromId', id, 'Microsoft.KeyVault', 'vaults', KEY_VAULT_NAME_PATTERN, '3-24 letters, digits and hyphens');
    return { id, vaultUri: `https://${name.toLowerCase()}.vault.azure.net/` };
  }

  /** A Key Vault looked up by name. */
  static keyVault(scope: Construct, id: string, resource: ExistingResourceName): IKeyVaultRef {
    checkName('keyVault', resource, KEY_VAULT_NAME_PATTERN, '3-24 letters, digits and hyphens');
    const vault = new DataAzurermKeyVault(scope, id, { name: resource.name, resourceGroupName: resource.resourceGroupName });
    return { id: vault.id, vaultUri: vault.vaultUri };
  }

  /** A container registry by id (no lookup); its login server is `<name>.azurecr.io` (public cloud). */
  static containerRegistryFromId(id: string): IContainerRegistryRef {
    const name = nameFromId('containerRegistryFromId', id, 'Microsoft.ContainerRegistry', 'registries', /^[a-zA-Z0-9]{5,50}$/, '5-50 letters and digits');
    return { id, loginServer: acrLoginServer(name) };
  }

  /** A container registry looked up by name; its login server is `<name>.azurecr.io` (checked against the image at synth). */
  static containerRegistry(scope: Construct, id: string, resource: ExistingResourceName): IContainerRegistryRef {
    checkName('containerRegistry', resource, /^[a-zA-Z0-9]{5,50}$/, '5-50 letters and digits');
    const registry = new DataAzurermContainerRegistry(scope, id, { name: resource.name, resourceGroupName: resource.resourceGroupName });
    return { id: registry.id, loginServer: acrLoginServer(resource.name) };
  }

  /** A Log Analytics workspace by id (no lookup). */
  static logAnalyticsWorkspaceFromId(id: string): ILogAnalyticsWorkspaceRef {
    nameFromId('logAnalyticsWorkspaceFromId', id, 'Microsoft.OperationalInsights', 'workspaces');
    return { id };
  }

  /** A Log Analytics workspace looked up by name. */
  static logAnalyticsWorkspace(scope: Construct, id: string, resource: ExistingResourceName): ILogAnalyticsWorkspaceRef {
    checkName('logAnalyticsWorkspace', resource);
    return { id: new DataAzurermLogAnalyticsWorkspace(scope, id, { name: resource.name, resourceGroupName: resource.resourceGroupName }).id };
  }

  /** An action group by id (no lookup). */
  static actionGroupFromId(id: string): IActionGroupRef {
    nameFromId('actionGroupFromId', id, 'Microsoft.Insights', 'actionGroups');
    return { id };
  }

  /** An action group looked up by name. */
  static actionGroup(scope: Construct, id: string, resource: ExistingResourceName): IActionGroupRef {
    checkName('actionGroup', resource);
    return { id: new DataAzurermMonitorActionGroup(scope, id, { name: resource.name, resourceGroupName: resource.resourceGroupName }).id };
  }
}
