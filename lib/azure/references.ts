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

/** An Azure Monitor action group (who gets alerts). */
export interface IActionGroupRef {
  readonly id: string;
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

/** A scheduled drift job (Container Apps job or function) whose log lines the alerts read. */
export interface IDriftJobRef {
  /** The Container Apps job or function app name. */
  readonly name: string;
  /**
   * Where to read a run's lines, for the alert descriptions.
   * @default - the Container Apps job's executions (`az containerapp job execution list -n <name>`)
   */
  readonly logsHint?: string;
  /**
   * Longest gap between two scheduled runs, in hours.
   * @default - unknown (manual trigger or an irregular schedule): no "job went silent" alert
   */
  readonly maxHoursBetweenRuns?: number;
}

/** Where a Flex Consumption function app sits in your virtual network (see PrivateNetworking). */
export interface FunctionNetwork {
  /** Subnet the app integrates with (outbound through the VNet): delegated to `Microsoft.App/environments`, used by Flex Consumption apps only. */
  readonly subnetId: string;
  /**
   * Public IPv4 ranges still allowed through the host storage firewall, e.g. the Terraform runner that uploads the
   * package (a data-plane call).
   * @default - none: run Terraform from inside the network
   */
  readonly allowedIpRanges?: readonly string[];
}
