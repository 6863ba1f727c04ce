// Serving on an Azure ML managed online endpoint (serving: 'azure-ml'): the spec's image as an Azure ML environment,
// an endpoint with Entra ID (AAD token) auth and a managed deployment on the class's instance type, autoscaled by
// Azure Monitor, with payload data collection to a blob container of ours. ARM resources through azapi.
import { MachineLearningDatastoreBlobstorage } from '@cdktf/provider-azurerm/lib/machine-learning-datastore-blobstorage';
import { MonitorAutoscaleSetting } from '@cdktf/provider-azurerm/lib/monitor-autoscale-setting';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { AzureMlInstanceType, azureMlInstanceType } from '../core/azure-ml-instances';
import { isTokenString, ModelSpec, ResolvedModelSpec, requireOwnImage, resolveModelSpec, ValidationErrors } from '../core';
import { AzapiResource, AzapiUpdateResource } from './private/azapi';
import { AZURE_LOCATIONS, fitName, stableHash } from './private/azure-facts';
import { imageSource } from './private/image-registry';
import { grantRole } from './private/role-grant';
import { IBlobContainerRef, IContainerRegistryRef, IResourceGroupRef } from './references';

/** ARM API version of every Azure ML resource here (GA; has dataCollector on deployments). */
export const AZURE_ML_API_VERSION = '2024-04-01';
const ML = 'Microsoft.MachineLearningServices/workspaces';
/** The Entra ID audience of online endpoint tokens (`az account get-access-token --resource https://ml.azure.com`). */
export const AZURE_ML_TOKEN_AUDIENCE = 'https://ml.azure.com';
/** The one action a caller needs to score (no built-in role grants only this; AzureML Data Scientist grants much more). */
export const SCORE_ACTION = `${ML}/onlineEndpoints/score/action`;
const ENDPOINT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,30}[a-zA-Z0-9]$/;

/** Where the deployment's data collector writes request and response payloads. */
export interface AzureMlDataCollection {
  /** The blob container (created through Resource Manager: its `id` is the container's ARM id). */
  readonly container: IBlobContainerRef;
  /** Folder in the container above `request/` and `response/` (each with `YYYY/MM/DD/HH/` partitions), e.g. `azureml/fraud`. */
  readonly prefix: string;
}

export interface AzureMlEndpointProps {
  /** What to serve: image, compute class (mapped to an Azure ML instance type), scaling, port and routes. */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** ARM id of the Azure ML workspace (MlWorkspace) the endpoint lives in. */
  readonly workspaceId: string;
  /**
   * The workspace's container registry, when `spec.image` is in an Azure Container Registry. Azure ML pulls with
   * the workspace's registry credentials, so a private image must be in this registry (linked to the workspace).
   * @default - none: the image must be public
   */
  readonly registry?: IContainerRegistryRef;
  /**
   * Let the endpoint be reached over the internet (with an Entra ID token). Off: only through the workspace's
   * private endpoint.
   * @default true
   */
  readonly publicNetworkAccess?: boolean;
  /**
   * Accept endpoint keys instead of Entra ID tokens. Keys do not expire with a caller's identity and cannot be
   * scoped: leave off unless a client cannot get a token.
   * @default false (authMode AADToken)
   */
  readonly keyAuth?: boolean;
  /** Principal ids allowed to score (a custom role with only the score action, on this endpoint). @default - none */
  readonly invokerPrincipalIds?: readonly string[];
  /**
   * Collect request and response payloads (Azure ML data collector) to this container.
   * @default - no collection
   */
  readonly dataCollection?: AzureMlDataCollection;
  /**
   * Seconds a request may take (Azure ML accepts up to 180).
   * @default 60
   */
  readonly requestTimeoutSeconds?: number;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An Azure ML managed online endpoint serving `spec.image`, with its environment, deployment and autoscale. */
export class AzureMlEndpoint extends Construct {
  readonly spec: ResolvedModelSpec;
  readonly instanceType: AzureMlInstanceType;
  readonly environmentVersion: AzapiResource;
  readonly endpoint: AzapiResource;
  readonly deployment: AzapiResource;
  readonly autoscale: MonitorAutoscaleSetting;
  readonly endpointName: string;
  /** The deployment name (all traffic goes to it). */
  readonly deploymentName = 'default';
  /** `https://<endpoint>.<region>.inference.ml.azure.com/score`. */
  readonly scoringUri: string;
  /** The scoring URI without the `/score` path, for callers that append `scoringPath`. */
  readonly baseUrl: string;
  /** The path the endpoint scores on (Azure ML maps it to the container's predictPath). */
  readonly scoringPath = '/score';

  constructor(scope: Construct, id: string, props: AzureMlEndpointProps) {
    super(scope, id);
    const errors = new ValidationErrors('AzureMlEndpoint');
    const spec = resolveModelSpec(props.spec, errors);
    errors.check(isTokenString(props.location) || AZURE_LOCATIONS.includes(props.location), 'location', props.location, 'an Azure region name such as "eastus" or "westeurope"');
    const instanceType = azureMlInstanceType(spec.compute.id, errors);
    // A managed online deployment always runs at least one instance.
    errors.check(spec.scaling.minInstances >= 1, 'spec.scaling.minInstances', spec.scaling.minInstances, 'at least 1: Azure ML managed online deployments do not scale to zero');
    errors.checkNumber('requestTimeoutSeconds', props.requestTimeoutSeconds, { min: 1, max: 180, integer: true });
    errors.checkPattern('dataCollection.prefix', props.dataCollection?.prefix, /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, 'a folder path without leading or trailing slash, e.g. "azureml/fraud"');
    const image = requireOwnImage(spec, errors, 'spec.image instead: Azure ML serves an image of your own here (a curated Azure ML image needs a scoring script and a registered model, which this construct does not manage)');
    if (image) checkImage(errors, image, props.registry);
    errors.throwIfAny();
    this.spec = spec;
    this.instanceType = instanceType!;

    const tags = { ...props.tags };
    const serving = spec.serving;
    // Endpoint names are unique per region (they become <name>.<region>.inference.ml.azure.com): a hash of the
    // construct path keeps two stacks of one model apart.
    this.endpointName = fitName('', `${spec.name}-${stableHash(4, this.node.path)}`, '', 32, ENDPOINT_NAME);

    // Environment versions are immutable: a new image or route is a new version, created before the old one goes.
    const environmentName = `${spec.name}-serving`;
    const environment = new AzapiResource(this, 'Environment', {
      type: `${ML}/environments@${AZURE_ML_API_VERSION}`,
      name: environmentName,
      parentId: props.workspaceId,
      body: { properties: { description: `Serving image of ${spec.name} (managed by Terraform)` } },
    });
    const route = (path: string) => ({ path, port: serving.port });
    this.environmentVersion = new AzapiResource(this, 'EnvironmentVersion', {
      type: `${ML}/environments/versions@${AZURE_ML_API_VERSION}`,
      name: stableHash(8, image, String(serving.port), serving.healthPath, serving.predictPath),
      parentId: environment.id,
      body: {
        properties: {
          image,
          osType: 'Linux',
          // Azure ML probes the liveness and readiness routes and forwards /score to the scoring route.
          inferenceConfig: { livenessRoute: route(serving.healthPath), readinessRoute: route(serving.healthPath), scoringRoute: route(serving.predictPath) },
        },
      },
      lifecycle: { createBeforeDestroy: true },
    });

    this.endpoint = new AzapiResource(this, 'Endpoint', {
      type: `${ML}/onlineEndpoints@${AZURE_ML_API_VERSION}`,
      name: this.endpointName,
      parentId: props.workspaceId,
      location: props.location,
      identityType: 'SystemAssigned',
      body: {
        properties: {
          authMode: props.keyAuth ? 'Key' : 'AADToken',
          publicNetworkAccess: props.publicNetworkAccess ?? true ? 'Enabled' : 'Disabled',
          description: `${spec.name} inference (managed by Terraform)`,
        },
      },
      responseExportValues: ['properties.scoringUri'],
      tags,
    });
    this.scoringUri = this.endpoint.output('properties.scoringUri');
    this.baseUrl = Fn.trimsuffix(this.scoringUri, this.scoringPath);

    const collection = props.dataCollection ? this.dataCollection(props, props.dataCollection) : undefined;
    const env: Record<string, string> = { ...spec.environment, ...(spec.modelArtifact ? { MODEL_URI: spec.modelArtifact } : {}) };
    this.deployment = new AzapiResource(this, 'Deployment', {
      type: `${ML}/onlineEndpoints/deployments@${AZURE_ML_API_VERSION}`,
      name: this.deploymentName,
      parentId: this.endpoint.id,
      location: props.location,
      body: {
        kind: 'Managed',
        // For managed deployments the SKU capacity is the instance count; autoscale moves it within spec.scaling.
        sku: { name: 'Default', capacity: spec.scaling.minInstances },
        properties: {
          endpointComputeType: 'Managed',
          instanceType: this.instanceType.instanceType,
          environmentId: this.environmentVersion.id,
          environmentVariables: env,
          appInsightsEnabled: true,
          // Managed deployments scale with an Azure Monitor autoscale setting; TargetUtilization is for Kubernetes ones.
          scaleSettings: { scaleType: 'Default' },
          requestSettings: { maxConcurrentRequestsPerInstance: spec.scaling.concurrency, requestTimeout: `PT${props.requestTimeoutSeconds ?? 60}S` },
          // Large models load slowly: 10 s apart, 60 failures, gives them ten minutes before a restart.
          livenessProbe: { initialDelay: 'PT30S', period: 'PT10S', timeout: 'PT5S', failureThreshold: 60, successThreshold: 1 },
          readinessProbe: { initialDelay: 'PT10S', period: 'PT10S', timeout: 'PT5S', failureThreshold: 60, successThreshold: 1 },
          ...(collection ? { dataCollector: collection.body } : {}),
        },
      },
      tags,
      dependsOn: collection?.grants,
    });

    // All traffic to the deployment: set once it exists (an endpoint cannot route to a deployment not yet created).
    new AzapiUpdateResource(this, 'Traffic', {
      type: `${ML}/onlineEndpoints@${AZURE_ML_API_VERSION}`,
      resourceId: this.endpoint.id,
      body: { properties: { traffic: { [this.deploymentName]: 100 } } },
      dependsOn: [this.deployment],
    });

    const deploymentMetrics = `${ML}/onlineEndpoints/deployments`;
    const rule = (direction: 'Increase' | 'Decrease', operator: string, threshold: number) => ({
      metricTrigger: { metricName: 'CpuUtilizationPercentage', metricNamespace: deploymentMetrics, metricResourceId: this.deployment.id, timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT5M', timeAggregation: 'Average', operator, threshold },
      scaleAction: { direction, type: 'ChangeCount', value: 1, cooldown: 'PT5M' },
    });
    this.autoscale = new MonitorAutoscaleSetting(this, 'Autoscale', {
      name: `autoscale-${this.endpointName}`,
      resourceGroupName: props.resourceGroup.name,
      location: props.location,
      targetResourceId: this.deployment.id,
      profile: [{
        name: 'cpu',
        capacity: { minimum: spec.scaling.minInstances, maximum: spec.scaling.maxInstances, default: spec.scaling.minInstances },
        rule: [rule('Increase', 'GreaterThan', 70), rule('Decrease', 'LessThan', 25)],
      }],
      tags,
    });

    if (props.invokerPrincipalIds && props.invokerPrincipalIds.length > 0) {
      const scorer = new RoleDefinition(this, 'ScorerRole', {
        // Custom role names are unique in the tenant: the resource group id keeps dev and prod stacks apart.
        name: `Score on ${this.endpointName} (${props.resourceGroup.id})`,
        scope: props.resourceGroup.id,
        description: `Score on Azure ML online endpoint ${this.endpointName} (${SCORE_ACTION} only)`,
        permissions: [{ actions: [SCORE_ACTION] }],
        assignableScopes: [props.resourceGroup.id],
      });
      props.invokerPrincipalIds.forEach((principalId, i) => new RoleAssignment(this, `Scorer${i}`, {
        scope: this.endpoint.id,
        roleDefinitionId: scorer.roleDefinitionResourceId,
        principalId,
        principalType: 'ServicePrincipal',
        description: `Lets this principal call ${this.endpointName} with an Entra ID token`,
      }));
    }
  }

  /**
   * A datastore on the container (identity-based: no key), one `uri_folder` data asset per collection, and write
   * access for the endpoint identity, which the data collector writes with.
   */
  private dataCollection(props: AzureMlEndpointProps, target: AzureMlDataCollection) {
    const datastore = new MachineLearningDatastoreBlobstorage(this, 'CaptureDatastore', {
      name: `${this.spec.name.replace(/-/g, '_')}_capture`,
      workspaceId: props.workspaceId,
      storageContainerId: target.container.id,
      description: 'Payloads collected from the online endpoint (Azure ML data collector)',
    });
    const writer = grantRole(this, 'CaptureWriter', {
      principalId: this.endpoint.identityPrincipalId,
      role: 'Storage Blob Data Contributor',
      scope: target.container.id,
      description: `Lets endpoint ${this.endpointName} write collected payloads`,
    });
    const collections: Record<string, { dataCollectionMode: string; dataId: string; samplingRate: number }> = {};
    for (const kind of ['request', 'response'] as const) {
      const name = `${this.spec.name}-${kind}`;
      const data = new AzapiResource(this, `Data-${kind}`, {
        type: `${ML}/data@${AZURE_ML_API_VERSION}`,
        name,
        parentId: props.workspaceId,
        body: { properties: { dataType: 'uri_folder', description: `Collected ${kind} payloads of ${this.endpointName}` } },
      });
      const version = new AzapiResource(this, `DataVersion-${kind}`, {
        type: `${ML}/data/versions@${AZURE_ML_API_VERSION}`,
        name: '1',
        parentId: data.id,
        body: { properties: { dataType: 'uri_folder', dataUri: `azureml://datastores/${datastore.name}/paths/${target.prefix}/${kind}/` } },
      });
      collections[kind] = { dataCollectionMode: 'Enabled', dataId: version.id, samplingRate: 1 };
    }
    return { body: { collections, rollingRate: 'Hour' }, grants: [writer, datastore] };
  }
}

/** Azure ML pulls with the workspace's registry credentials: a private image must be in the workspace's registry. */
function checkImage(errors: ValidationErrors, image: string, registry: IContainerRegistryRef | undefined): void {
  const source = imageSource(image);
  if (source.kind === 'unpullable') {
    errors.add('spec.image', image, `an image Azure ML can pull: ${source.reason}`);
  } else if (source.kind === 'acr') {
    errors.check(registry !== undefined && (isTokenString(registry.loginServer) || registry.loginServer.toLowerCase() === source.host), 'spec.image', image,
      `an image in the workspace's registry${registry ? ` (${registry.loginServer})` : ' (pass existingRegistry for ' + source.host + ')'} or a public registry: Azure ML pulls with the workspace's registry credentials only`);
  }
}
