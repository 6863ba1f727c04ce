// Serving on Azure Container Apps: an environment with the compute class's workload profile (dedicated CPU
// or serverless GPU), the model container pulled from a registry by managed identity, HTTP autoscaling and probes.
import { ContainerApp } from '@cdktf/provider-azurerm/lib/container-app';
import { ContainerAppEnvironment, ContainerAppEnvironmentWorkloadProfile } from '@cdktf/provider-azurerm/lib/container-app-environment';
import { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { ResourceGroupTemplateDeployment } from '@cdktf/provider-azurerm/lib/resource-group-template-deployment';
import { Fn, TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import { isTokenList, isTokenString, ModelSpec, ResolvedModelSpec, requireOwnImage, resolveModelSpec, ValidationErrors } from '../core';
import { AZURE_LOCATIONS, BLOB_FOLDER_URI, containerAppsName, CONTAINER_REGISTRY_NAME_PATTERN, parseBlobUrl, SERVERLESS_GPU_REGIONS } from './private/azure-facts';
import { EASY_AUTH_TEMPLATE } from './private/easy-auth-template';
import { checkIpRanges } from './private/checks';
import { acrLoginServer, imageSource } from './private/image-registry';
import { grantRole } from './private/role-grant';
import { warn } from './private/warn';
import { DataCaptureDestination, IBlobStorageRef, IContainerRegistryRef, ILogAnalyticsWorkspaceRef, IResourceGroupRef, IUserAssignedIdentityRef } from './references';

/**
 * The default port and paths of the serving contract (SageMaker's) and the variable the artifact URL is passed in.
 * `spec.serving` replaces the port and paths: the ingress targets `spec.serving.port`, the probes call its healthPath.
 */
export const SERVING_CONTRACT = { port: 8080, healthPath: '/ping', invocationsPath: '/invocations', modelUriVariable: 'MODEL_URI' } as const;

/** Only callers with an Entra ID token for `audience` from one of `allowedClientIds` get through (Container Apps authentication). */
export interface CallerAuthentication {
  /** Entra ID tenant that issues the tokens. */
  readonly tenantId: string;
  /** Application (client) id or Application ID URI the tokens are issued for. */
  readonly audience: string;
  /** Client ids allowed to call (e.g. the API Management gateway's managed identity). */
  readonly allowedClientIds: readonly string[];
}

/** The storage account the model artifact may live in. */
export type ArtifactStorage = IBlobStorageRef;

/** Container registry SKUs. Premium adds private endpoints, geo-replication and artifact streaming. */
export type RegistrySku = 'Basic' | 'Standard' | 'Premium';
export const REGISTRY_SKUS: readonly RegistrySku[] = ['Basic', 'Standard', 'Premium'];

/** The Container Apps environment in your virtual network. */
export interface EnvironmentNetwork {
  /**
   * Infrastructure subnet of the environment: a /27 or larger, delegated to `Microsoft.App/environments`, used by
   * this environment only. Changing it replaces the environment.
   */
  readonly infrastructureSubnetId: string;
  /**
   * Give the environment an internal load balancer only: apps are reachable from the VNet (and peered networks),
   * never from the internet. API Management Consumption cannot reach such an app.
   * @default false
   */
  readonly internalLoadBalancer?: boolean;
}

export interface ContainerAppServingProps {
  /** What to serve: image, compute class, scaling, environment. */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** Where the environment sends container console and system logs. */
  readonly logAnalyticsWorkspace: ILogAnalyticsWorkspaceRef;
  /** The identity the app runs as: it pulls the image (AcrPull) and reads the model artifact. */
  readonly identity: IUserAssignedIdentityRef;
  /**
   * The Azure Container Registry `spec.image` is in (its login server must be the image's host); the identity gets
   * AcrPull on it. Import one with `ExistingAzure.containerRegistryFromId(id)` or `ExistingAzure.containerRegistry(...)`.
   * @default - none: an image in an Azure Container Registry needs this (or `registryName`); a public image
   * (docker.io, mcr.microsoft.com) is pulled without credentials
   */
  readonly existingRegistry?: IContainerRegistryRef;
  /**
   * Create the registry `spec.image` names (`<registryName>.azurecr.io/...`) in this stack: 5-50 letters and
   * digits, globally unique. The first apply creates it empty, so the app cannot start until the image is pushed:
   * apply the registry first (`terraform apply -target=...`), push, then apply the rest.
   * @default - no registry is created
   */
  readonly registryName?: string;
  /**
   * SKU of the registry created with `registryName`. Premium is needed to turn its public network access off.
   * @default 'Standard'
   */
  readonly registrySku?: RegistrySku;
  /**
   * Let the created registry be reached over its public endpoint (Entra ID only, anonymous pull off). Off needs
   * `registrySku: 'Premium'` and a private endpoint (PrivateNetworking creates one).
   * @default true
   */
  readonly registryPublicNetworkAccess?: boolean;
  /**
   * Put the environment in your virtual network.
   * @default - no VNet: the environment gets its own public and private addresses
   */
  readonly network?: EnvironmentNetwork;
  /**
   * Storage holding the model artifact: when `spec.modelArtifact` is a blob URL in this account, the identity gets
   * Storage Blob Data Reader on that container. Artifacts elsewhere need a grant you make yourself (synth warns).
   * @default - no grant
   */
  readonly artifactStorage?: ArtifactStorage;
  /**
   * Let the serving container write captured requests: it gets `CAPTURE_URI` (the folder above the `YYYY/MM/DD/HH/`
   * partitions) and Storage Blob Data Contributor on that container only (its `AZURE_CLIENT_ID` identity signs the
   * writes). Azure has no managed data capture for Container Apps (nothing like SageMaker's DataCaptureConfig sits in
   * front of the app), so capture is the serving container's job: a container that follows the documented capture
   * format writes SageMaker data-capture JSON lines
   * (`{"captureData":{"endpointInput":{...},"endpointOutput":{...}},"eventMetadata":{"eventId","inferenceTime"},"eventVersion":"0"}`)
   * to `${CAPTURE_URI}YYYY/MM/DD/HH/<unique-name>.jsonl` (UTC hour of the request; one file per replica and flush, so
   * writers never overwrite each other), and the drift job reads them. A container that writes nothing leaves the
   * drift job with `no_data` summaries. Batch inference inputs are a second capture source (see BatchInference).
   * @default - no capture: no CAPTURE_URI, no write grant
   */
  readonly dataCapture?: DataCaptureDestination;
  /**
   * Expose the app outside the environment (needed when API Management Consumption, which has no VNet, fronts it).
   * @default false (reachable only from inside the environment)
   */
  readonly externalIngress?: boolean;
  /**
   * Allow only these IPv4 CIDR ranges to reach the ingress.
   * @default - no IP filter
   */
  readonly allowedIpRanges?: readonly string[];
  /**
   * Require an Entra ID token on every request (Container Apps built-in authentication, deployed as an ARM
   * template because azurerm has no resource for it). Health probes bypass it.
   * @default - no platform authentication: keep the ingress internal or filter by IP
   */
  readonly callerAuthentication?: CallerAuthentication;
  /**
   * Regions that offer each serverless GPU profile type; replaces the built-in list.
   * @default - SERVERLESS_GPU_REGIONS (see lib/azure/private/azure-facts.ts for sources)
   */
  readonly serverlessGpuRegions?: Readonly<Record<string, readonly string[]>>;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The Container Apps environment, registry and app that serve the model. */
export class ContainerAppServing extends Construct {
  readonly environment: ContainerAppEnvironment;
  readonly app: ContainerApp;
  /** The registry the image is pulled from with the app identity; undefined for a public image. */
  readonly registry?: IContainerRegistryRef;
  /** The registry this construct created (with `registryName`). */
  readonly createdRegistry?: ContainerRegistry;
  /** The workload profile the app runs on (`d4`, `gpu-t4`...). */
  readonly workloadProfileName: string;
  /** `https://<fqdn>` of the app's ingress. */
  readonly url: string;
  readonly spec: ResolvedModelSpec;

  constructor(scope: Construct, id: string, props: ContainerAppServingProps) {
    super(scope, id);
    const errors = new ValidationErrors('ContainerAppServing');
    const spec = resolveModelSpec(props.spec, errors);
    const literalLocation = !isTokenString(props.location);
    errors.check(!literalLocation || AZURE_LOCATIONS.includes(props.location), 'location', props.location, 'an Azure region name such as "eastus" or "westeurope"');
    const azure = spec.compute.azure;
    const gpuRegions = (props.serverlessGpuRegions ?? SERVERLESS_GPU_REGIONS)[azure.workloadProfileType];
    if (spec.compute.kind === 'gpu' && literalLocation && AZURE_LOCATIONS.includes(props.location)) {
      errors.check((gpuRegions ?? []).includes(props.location), 'location', props.location,
        `a region with Container Apps serverless GPU profile ${azure.workloadProfileType} for compute "${spec.compute.id}": ${(gpuRegions ?? []).join(', ')}`);
    }
    errors.checkPattern('registryName', props.registryName, CONTAINER_REGISTRY_NAME_PATTERN, '5-50 letters and digits, globally unique');
    errors.checkOneOf('registrySku', props.registrySku, REGISTRY_SKUS);
    errors.check(!(props.existingRegistry && (props.registryName || props.registrySku)), 'existingRegistry', 'set', 'no registryName or registrySku with existingRegistry');
    errors.check(props.registrySku === undefined || props.registryName !== undefined, 'registrySku', props.registrySku, 'a registryName to create the registry it applies to');
    if (props.registryPublicNetworkAccess === false) {
      errors.check(props.registryName !== undefined && (props.registrySku === 'Premium' || isTokenString(props.registrySku ?? '')), 'registryPublicNetworkAccess', false,
        'a registry created here with registrySku "Premium" (only Premium registries can turn public network access off)');
    }
    checkIpRanges(errors, 'allowedIpRanges', props.allowedIpRanges);
    errors.checkPattern('dataCapture.uri', props.dataCapture?.uri, BLOB_FOLDER_URI, 'an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI');
    if (props.callerAuthentication && !isTokenList(props.callerAuthentication.allowedClientIds)) {
      errors.check(props.callerAuthentication.allowedClientIds.length > 0, 'callerAuthentication.allowedClientIds', [], 'at least one client id');
    }
    const image = requireOwnImage(spec, errors, 'spec.image instead: this construct serves an image of your own');
    checkRegistry(errors, image, props);
    checkArtifact(errors, spec.modelArtifact);
    errors.throwIfAny();
    this.spec = spec;

    const tags = { ...props.tags };
    const rg = props.resourceGroup.name;
    const gpu = spec.compute.kind === 'gpu';
    // Serverless GPU profiles scale per replica (no node counts); dedicated profiles need a node range.
    this.workloadProfileName = gpu ? `gpu-${azure.workloadProfileType.split('-').pop()!.toLowerCase()}` : azure.workloadProfileType.toLowerCase();
    const computeProfile: ContainerAppEnvironmentWorkloadProfile = gpu
      ? { name: this.workloadProfileName, workloadProfileType: azure.workloadProfileType }
      : {
        name: this.workloadProfileName,
        workloadProfileType: azure.workloadProfileType,
        // One serving replica fills one dedicated node (the container takes the node's allocatable CPU).
        minimumCount: spec.scaling.minInstances,
        maximumCount: spec.scaling.maxInstances,
      };

    this.environment = new ContainerAppEnvironment(this, 'Environment', {
      // Container Apps names stop at 32 characters: long model names are shortened with a hash.
      name: containerAppsName('cae-', spec.name),
      location: props.location,
      resourceGroupName: rg,
      logsDestination: 'log-analytics',
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspace.id,
      workloadProfile: [{ name: 'Consumption', workloadProfileType: 'Consumption' }, computeProfile],
      infrastructureSubnetId: props.network?.infrastructureSubnetId,
      internalLoadBalancerEnabled: props.network ? props.network.internalLoadBalancer ?? false : undefined,
      mutualTlsEnabled: true,
      tags,
    });

    if (props.registryName !== undefined) {
      this.createdRegistry = new ContainerRegistry(this, 'Registry', {
        name: props.registryName,
        location: props.location,
        resourceGroupName: rg,
        sku: props.registrySku ?? 'Standard',
        adminEnabled: false,
        anonymousPullEnabled: false,
        publicNetworkAccessEnabled: props.registryPublicNetworkAccess ?? true,
        // Lets trusted Azure services (e.g. Azure ML image builds) through when public access is off.
        networkRuleBypassOption: 'AzureServices',
        tags,
      });
      warn(this, `ContainerAppServing registryName: the registry ${props.registryName} is created empty, and the app cannot start until ${image} is pushed to it: apply the registry first (terraform apply -target), push the image, then apply the rest`);
    }
    this.registry = props.existingRegistry ?? this.createdRegistry;
    const source = imageSource(image);
    if (!this.registry && (source.kind === 'other' || source.kind === 'token')) {
      warn(this, `ContainerAppServing spec.image: ${image} is pulled without credentials (${source.kind === 'token' ? 'its registry is unknown at synth time' : `${source.host} is not an Azure Container Registry`}); a private image there fails to pull: use an Azure Container Registry with existingRegistry`);
    }
    const grants = this.registry ? [grantRole(this, 'AcrPull', {
      principalId: props.identity.principalId,
      role: 'AcrPull',
      scope: this.registry.id,
      description: `Lets ${spec.name} pull its serving image`,
    })] : [];

    const env: Record<string, string> = { ...spec.environment, AZURE_CLIENT_ID: props.identity.clientId };
    if (spec.modelArtifact) {
      env[SERVING_CONTRACT.modelUriVariable] = spec.modelArtifact;
      const blob = parseBlobUrl(spec.modelArtifact);
      const storage = props.artifactStorage;
      if (blob && storage && blob.account === storage.accountName) {
        const known = storage.containers?.[blob.container];
        grants.push(grantRole(this, 'ModelArtifactReader', {
          principalId: props.identity.principalId,
          role: 'Storage Blob Data Reader',
          scope: known ? known.id : `${storage.account.id}/blobServices/default/containers/${blob.container}`,
          description: `Lets ${spec.name} read its model artifact`,
        }));
      } else {
        warn(this, `ContainerAppServing spec.modelArtifact: ${spec.modelArtifact} is not a blob in the stack's storage account; grant the serving identity of ${spec.name} read access to it yourself`);
      }
    }

    if (props.dataCapture) {
      env.CAPTURE_URI = props.dataCapture.uri;
      grants.push(grantRole(this, 'CaptureWriter', {
        principalId: props.identity.principalId,
        role: 'Storage Blob Data Contributor',
        scope: props.dataCapture.container.id,
        description: `Lets ${spec.name} write captured requests for drift analysis`,
      }));
    }

    // The container's own port and health route (spec.serving; SageMaker's 8080 and /ping by default).
    const probe = { transport: 'HTTP', port: spec.serving.port, path: spec.serving.healthPath };
    const external = props.externalIngress ?? false;
    this.app = new ContainerApp(this, 'App', {
      name: containerAppsName('ca-', spec.name),
      resourceGroupName: rg,
      containerAppEnvironmentId: this.environment.id,
      revisionMode: 'Single',
      workloadProfileName: this.workloadProfileName,
      identity: { type: 'UserAssigned', identityIds: [props.identity.id] },
      registry: this.registry ? [{ server: this.registry.loginServer, identity: props.identity.id }] : undefined,
      ingress: {
        externalEnabled: external,
        allowInsecureConnections: false,
        transport: 'http',
        targetPort: spec.serving.port,
        trafficWeight: [{ latestRevision: true, percentage: 100 }],
        ipSecurityRestriction: ipRestrictions(props.allowedIpRanges),
      },
      template: {
        minReplicas: spec.scaling.minInstances,
        maxReplicas: spec.scaling.maxInstances,
        container: [{
          name: 'model',
          image,
          cpu: azure.containerCpu,
          memory: azure.containerMemory,
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
          // Container Apps caps failure thresholds at 10: 10 x 60 s gives large models 10 minutes to load.
          startupProbe: [{ ...probe, initialDelay: 10, intervalSeconds: 60, failureCountThreshold: 10, timeout: 5 }],
          readinessProbe: [{ ...probe, intervalSeconds: 10, failureCountThreshold: 3, successCountThreshold: 1, timeout: 5 }],
          livenessProbe: [{ ...probe, intervalSeconds: 30, failureCountThreshold: 3, timeout: 5 }],
        }],
        httpScaleRule: [{ name: 'http-concurrency', concurrentRequests: String(spec.scaling.concurrency) }],
      },
      tags,
      // The first revision pulls the image and reads the model: the grants must exist first.
      dependsOn: grants,
    });
    this.url = `https://${this.app.ingress.fqdn}`;

    if (props.callerAuthentication) {
      const auth = props.callerAuthentication;
      new ResourceGroupTemplateDeployment(this, 'CallerAuthentication', {
        name: `${spec.name}-caller-auth`,
        resourceGroupName: rg,
        deploymentMode: 'Incremental',
        templateContent: EASY_AUTH_TEMPLATE,
        parametersContent: Fn.jsonencode({
          containerAppName: { value: this.app.name },
          tenantId: { value: auth.tenantId },
          audience: { value: auth.audience },
          allowedClientIds: { value: [...auth.allowedClientIds] },
          excludedPaths: { value: [] },
        }),
      });
    }
  }
}

/** The ingress allow rules: one per range, or a dynamic block over a list token. */
function ipRestrictions(ranges: readonly string[] | undefined) {
  if (ranges === undefined) return undefined;
  if (isTokenList(ranges)) {
    const each = TerraformIterator.fromList(ranges as string[]);
    return each.dynamic({ name: `allow-${each.key}`, action: 'Allow', ip_address_range: each.value, description: 'Allowed caller range' });
  }
  return ranges.map((range, i) => ({ name: `allow-${i}`, action: 'Allow', ipAddressRange: range, description: 'Allowed caller range' }));
}

/** The image must come from a registry the app can pull from: the given or created ACR, or a public one. */
function checkRegistry(errors: ValidationErrors, image: string, props: ContainerAppServingProps): void {
  const source = imageSource(image);
  const existing = props.existingRegistry;
  if (source.kind === 'unpullable') {
    errors.add('spec.image', image, `an image Container Apps can pull: ${source.reason}`);
  } else if (source.kind === 'acr') {
    if (existing) {
      const server = existing.loginServer;
      errors.check(isTokenString(server) || server.toLowerCase() === source.host, 'existingRegistry.loginServer', server, `the registry spec.image is in (${source.host})`);
    } else if (props.registryName !== undefined) {
      errors.check(isTokenString(props.registryName) || acrLoginServer(props.registryName) === source.host, 'registryName', props.registryName, `the registry spec.image names ("${source.registryName}", from ${source.host})`);
    } else {
      errors.add('spec.image', image, `an image the app can pull: pass existingRegistry for ${source.host} (ExistingAzure.containerRegistryFromId('/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ContainerRegistry/registries/${source.registryName}')), set registryName "${source.registryName}" to create it here, or use a public image`);
    }
  } else if (source.kind === 'public' || source.kind === 'other') {
    errors.check(!existing && props.registryName === undefined, existing ? 'existingRegistry' : 'registryName', existing ? existing.loginServer : props.registryName,
      `no registry for an image outside Azure Container Registry (spec.image is on ${source.host})`);
  }
}

/** An artifact the serving plane cannot read with its identity is an error, not a warning. */
function checkArtifact(errors: ValidationErrors, artifact: string | undefined): void {
  if (artifact === undefined || isTokenString(artifact)) return;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(artifact)?.[1]?.toLowerCase();
  errors.check(scheme === 'https', 'spec.modelArtifact', artifact,
    'an https:// URL the serving container can read, normally a blob (https://<account>.blob.core.windows.net/<container>/<path>): Azure cannot grant a managed identity access to s3:// or gs:// objects; copy the artifact to Blob Storage');
}
