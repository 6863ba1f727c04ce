// Serving on Azure Container Apps: an environment with the compute class's workload profile (dedicated CPU
// or serverless GPU), the model container pulled from a registry by managed identity, HTTP autoscaling and probes.
import { ContainerApp } from '@cdktf/provider-azurerm/lib/container-app';
import { ContainerAppEnvironment, ContainerAppEnvironmentWorkloadProfile } from '@cdktf/provider-azurerm/lib/container-app-environment';
import { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { ResourceGroupTemplateDeployment } from '@cdktf/provider-azurerm/lib/resource-group-template-deployment';
import { Annotations, Fn } from 'cdktf';
import { Construct } from 'constructs';
import { ModelSpec, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { AZURE_LOCATIONS, BLOB_FOLDER_URI, compactName, containerAppsName, CONTAINER_REGISTRY_NAME_PATTERN, parseBlobUrl, SERVERLESS_GPU_REGIONS } from './private/azure-facts';
import { EASY_AUTH_TEMPLATE } from './private/easy-auth-template';
import { grantRole } from './private/role-grant';
import { DataCaptureDestination, IBlobStorageRef, IContainerRegistryRef, ILogAnalyticsWorkspaceRef, IResourceGroupRef, IUserAssignedIdentityRef } from './references';

/** The port, paths and variable of the serving contract (the SageMaker one, which every cloud uses). */
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
   * Pull from this registry instead of creating one; the identity gets AcrPull on it.
   * @default - a new registry (admin user off, anonymous pull off)
   */
  readonly existingRegistry?: IContainerRegistryRef;
  /**
   * SKU of the registry created. Premium adds private endpoints, geo-replication and artifact streaming (faster GPU cold starts).
   * @default 'Standard'
   */
  readonly registrySku?: 'Basic' | 'Standard' | 'Premium';
  /**
   * Name of the registry created: 5-50 letters and digits, globally unique.
   * @default - `cr` + model name + a 6-character hash
   */
  readonly registryName?: string;
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
  readonly registry: IContainerRegistryRef;
  /** The workload profile the app runs on (`d4`, `gpu-t4`...). */
  readonly workloadProfileName: string;
  /** `https://<fqdn>` of the app's ingress. */
  readonly url: string;
  readonly spec: ResolvedModelSpec;

  constructor(scope: Construct, id: string, props: ContainerAppServingProps) {
    super(scope, id);
    const errors = new ValidationErrors('ContainerAppServing');
    const spec = resolveModelSpec(props.spec, errors);
    errors.check(AZURE_LOCATIONS.includes(props.location), 'location', props.location, 'an Azure region name such as "eastus" or "westeurope"');
    const azure = spec.compute.azure;
    const gpuRegions = (props.serverlessGpuRegions ?? SERVERLESS_GPU_REGIONS)[azure.workloadProfileType];
    if (spec.compute.kind === 'gpu' && AZURE_LOCATIONS.includes(props.location)) {
      errors.check((gpuRegions ?? []).includes(props.location), 'location', props.location,
        `a region with Container Apps serverless GPU profile ${azure.workloadProfileType} for compute "${spec.compute.id}": ${(gpuRegions ?? []).join(', ')}`);
    }
    errors.checkPattern('registryName', props.registryName, CONTAINER_REGISTRY_NAME_PATTERN, '5-50 letters and digits, globally unique');
    errors.check(!(props.existingRegistry && (props.registryName || props.registrySku)), 'existingRegistry', 'set', 'no registryName or registrySku with existingRegistry');
    (props.allowedIpRanges ?? []).forEach((r, i) => errors.checkPattern(`allowedIpRanges[${i}]`, r, /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/, 'an IPv4 address or CIDR range'));
    errors.checkPattern('dataCapture.uri', props.dataCapture?.uri, BLOB_FOLDER_URI, 'an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI');
    if (props.callerAuthentication) {
      errors.check(props.callerAuthentication.allowedClientIds.length > 0, 'callerAuthentication.allowedClientIds', [], 'at least one client id');
    }
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
      mutualTlsEnabled: true,
      tags,
    });

    this.registry = props.existingRegistry ?? new ContainerRegistry(this, 'Registry', {
      name: props.registryName ?? compactName('cr', spec.name, 50, this.node.path),
      location: props.location,
      resourceGroupName: rg,
      sku: props.registrySku ?? 'Standard',
      adminEnabled: false,
      anonymousPullEnabled: false,
      tags,
    });
    const acrPull = grantRole(this, 'AcrPull', {
      principalId: props.identity.principalId,
      role: 'AcrPull',
      scope: this.registry.id,
      description: `Lets ${spec.name} pull its serving image`,
    });
    const grants = [acrPull];

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
        Annotations.of(this).addWarning(`ContainerAppServing: ${spec.modelArtifact} is not a blob URL in the stack's storage account; grant identity ${spec.name} read access to it yourself`);
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

    const probe = { transport: 'HTTP', port: SERVING_CONTRACT.port, path: SERVING_CONTRACT.healthPath };
    const external = props.externalIngress ?? false;
    this.app = new ContainerApp(this, 'App', {
      name: containerAppsName('ca-', spec.name),
      resourceGroupName: rg,
      containerAppEnvironmentId: this.environment.id,
      revisionMode: 'Single',
      workloadProfileName: this.workloadProfileName,
      identity: { type: 'UserAssigned', identityIds: [props.identity.id] },
      registry: [{ server: this.registry.loginServer, identity: props.identity.id }],
      ingress: {
        externalEnabled: external,
        allowInsecureConnections: false,
        transport: 'http',
        targetPort: SERVING_CONTRACT.port,
        trafficWeight: [{ latestRevision: true, percentage: 100 }],
        ipSecurityRestriction: props.allowedIpRanges?.map((range, i) => ({ name: `allow-${i}`, action: 'Allow', ipAddressRange: range, description: 'Allowed caller range' })),
      },
      template: {
        minReplicas: spec.scaling.minInstances,
        maxReplicas: spec.scaling.maxInstances,
        container: [{
          name: 'model',
          image: spec.image,
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
