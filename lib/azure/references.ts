// The minimal shapes our Azure constructs need from each other's resources. Provider classes
// (and data sources) satisfy them structurally, so a user can pass an existing resource too.

/** A resource group. */
export interface IResourceGroupRef {
  readonly name: string;
  readonly location: string;
  readonly id: string;
}

/** A user-assigned managed identity. */
export interface IUserAssignedIdentityRef {
  readonly id: string;
  readonly principalId: string;
  readonly clientId: string;
}

/** A Key Vault. */
export interface IKeyVaultRef {
  readonly id: string;
  readonly vaultUri: string;
}

/** A Log Analytics workspace. */
export interface ILogAnalyticsWorkspaceRef {
  readonly id: string;
}

/** An Application Insights component. */
export interface IApplicationInsightsRef {
  readonly id: string;
  readonly connectionString: string;
}

/** A storage account. */
export interface IStorageAccountRef {
  readonly id: string;
  readonly name: string;
  readonly primaryBlobEndpoint: string;
}

/** A blob container. `id` is its Azure Resource Manager id (the role-assignment scope). */
export interface IBlobContainerRef {
  readonly id: string;
  readonly name: string;
}

/** A container registry. */
export interface IContainerRegistryRef {
  readonly id: string;
  readonly loginServer: string;
}
