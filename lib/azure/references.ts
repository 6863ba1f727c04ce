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

/** A Container Apps environment (Microsoft.App/managedEnvironments). */
export interface IContainerAppEnvironmentRef {
  readonly id: string;
}

/** A storage account whose name is known at synth time, with the containers created in it (their ids become role scopes). */
export interface IBlobStorageRef {
  /** The account name as a literal string, to build and recognise `https://<account>.blob.core.windows.net/` URIs. */
  readonly accountName: string;
  readonly account: IStorageAccountRef;
  /** Containers created with the account, by name. */
  readonly containers?: Readonly<Record<string, IBlobContainerRef>>;
}

/** Where a writer puts captured inference records: the container it may write to and the folder URI it gets as `CAPTURE_URI`. */
export interface DataCaptureDestination {
  /** The container; the writer gets Storage Blob Data Contributor on it and nothing wider. */
  readonly container: IBlobContainerRef;
  /** `https://<account>.blob.core.windows.net/<container>/<prefix>/`: the folder above the `YYYY/MM/DD/HH/` partitions. */
  readonly uri: string;
}

/** A scheduled drift job whose console lines the alerts read. */
export interface IDriftJobRef {
  /** The Container Apps job name. */
  readonly name: string;
  /**
   * Longest gap between two scheduled runs, in hours.
   * @default - unknown (manual trigger or an irregular schedule): no "job went silent" alert
   */
  readonly maxHoursBetweenRuns?: number;
}
