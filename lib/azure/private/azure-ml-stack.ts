// AzureModelStack's `serving: 'azure-ml'` branch: what it refuses, the azapi provider, the workspace and the online
// endpoint, and its alerts. Kept apart so the stack file keeps one short branch.
import { Construct } from 'constructs';
import { ModelSpec, ValidationErrors } from '../../core';
import { AzureModelStackProps } from '../azure-model-stack-props';
import { AzureMlEndpoint } from '../azure-ml-endpoint';
import { AzureMlEndpointAlerts } from '../azure-ml-endpoint-alerts';
import { MlWorkspace } from '../ml-workspace';
import { IActionGroupRef, IApplicationInsightsRef, IBlobContainerRef, IKeyVaultRef, IResourceGroupRef, IStorageAccountRef } from '../references';
import { AzapiProvider } from './azapi';

const ON_AZURE_ML = 'nothing with serving "azure-ml"';

/** Records the stack options that have no meaning (yet) when an Azure ML endpoint serves. */
export function checkAzureMlServing(errors: ValidationErrors, props: AzureModelStackProps): void {
  errors.check(props.mlWorkspace !== false, 'mlWorkspace', false, 'true with serving "azure-ml" (the endpoint lives in the stack\'s workspace)');
  errors.check(props.apiFront !== true, 'apiFront', true, `${ON_AZURE_ML}: the endpoint is its own HTTPS API with Entra ID tokens (API Management in front is not built yet)`);
  errors.check(props.registryName === undefined, 'registryName', props.registryName, `${ON_AZURE_ML}: push the image to a registry you pass as existingRegistry (linked to the workspace), or use a public image`);
  errors.check(props.registrySku === undefined, 'registrySku', props.registrySku, ON_AZURE_ML);
  errors.check(props.driftJobImage === undefined, 'driftJobImage', props.driftJobImage, `${ON_AZURE_ML}: the drift job image runs in a Container Apps environment, which this stack then does not create (the drift function runs instead)`);
  errors.check(props.privateNetworking === undefined, 'privateNetworking', 'set',
    `${ON_AZURE_ML} yet: a private Azure ML endpoint is reached through a private endpoint of the workspace (privatelink.api.azureml.ms), which this stack does not create`);
  errors.check(props.serverlessGpuRegions === undefined, 'serverlessGpuRegions', 'set', `${ON_AZURE_ML} (Container Apps only)`);
}

export interface AzureMlServingArgs {
  readonly spec: ModelSpec;
  readonly name: string;
  readonly location: string;
  readonly resourceGroup: IResourceGroupRef;
  readonly storageAccount: IStorageAccountRef;
  readonly keyVault: IKeyVaultRef;
  readonly applicationInsights: IApplicationInsightsRef;
  /** Payloads collected by the endpoint land here, under `azureml/<model>/`. */
  readonly captureContainer?: IBlobContainerRef;
  readonly invokerPrincipalIds: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** The azapi provider, the workspace and the endpoint. */
export function createAzureMlServing(stack: Construct, props: AzureModelStackProps, args: AzureMlServingArgs): { workspace: MlWorkspace; endpoint: AzureMlEndpoint } {
  new AzapiProvider(stack, 'azapi', { subscriptionId: props.subscriptionId });
  const workspace = new MlWorkspace(stack, 'Workspace', {
    name: args.name,
    resourceGroup: args.resourceGroup,
    location: args.location,
    storageAccount: args.storageAccount,
    keyVault: args.keyVault,
    applicationInsights: args.applicationInsights,
    containerRegistry: props.existingRegistry,
    publicNetworkAccessEnabled: props.mlWorkspacePublicNetworkAccess,
    highBusinessImpact: props.mlWorkspaceHighBusinessImpact,
    tags: args.tags,
  });
  const endpoint = new AzureMlEndpoint(stack, 'Serving', {
    spec: args.spec,
    resourceGroup: args.resourceGroup,
    location: args.location,
    workspaceId: workspace.workspace.id,
    registry: props.existingRegistry,
    invokerPrincipalIds: args.invokerPrincipalIds,
    dataCollection: args.captureContainer ? { container: args.captureContainer, prefix: `azureml/${args.name}` } : undefined,
    tags: args.tags,
  });
  return { workspace, endpoint };
}

/** The endpoint's metric alerts, notifying the stack's action group. */
export function createAzureMlAlerts(stack: Construct, spec: ModelSpec, endpoint: AzureMlEndpoint, resourceGroup: IResourceGroupRef, actionGroup: IActionGroupRef, tags: Readonly<Record<string, string>>): AzureMlEndpointAlerts {
  return new AzureMlEndpointAlerts(stack, 'EndpointAlerts', {
    spec, resourceGroup, endpointId: endpoint.endpoint.id, deploymentId: endpoint.deployment.id, actionGroup, tags,
  });
}
