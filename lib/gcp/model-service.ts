// The serving plane on GCP: a Cloud Run v2 service running the model's container (its own, or Google's prebuilt image
// for spec.framework / spec.huggingFaceModelId) on its serving contract (default GET /ping, POST /invocations on 8080), CPU or NVIDIA L4, CMEK, its own service account, IAM-only invocation,
// read access to its artifact only, optional VPC egress, and (optionally) a capture folder the container may write to.
import { Construct } from 'constructs';
import { ITerraformDependable, TerraformIterator } from 'cdktf';
import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { isTokenList, ModelSpec, RequestFormat, ResolvedFrameworkImage, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { EncryptionKey, IEncryptionKey } from './encryption-key';
import { checkReadableArtifact, parseGcsArtifact } from './private/artifact-sources';
import { boundedName, checkMembers, checkProjectId, checkGpuRegion, checkRegion, memberId } from './private/gcp-names';
import { artifactReadCondition, GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED, grantOnFolder, parseGcsFolder } from './private/gcs-prefix';
import { serviceIdentityOf } from './private/identities';
import { resolveServingImage } from './private/serving-image';
import { checkConnectorId, checkNetworkName, checkSubnetworkName, privateGoogleAccessPrecondition } from './private/network-checks';
import { IServiceIdentity } from './service-identity';

/** Who may reach the service's network endpoint (IAM still applies). */
export type ServiceIngress = 'all' | 'internal-and-cloud-load-balancing' | 'internal';

const INGRESS: Record<ServiceIngress, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
};

/** Where the service's outbound traffic goes (`vpc_access.egress`). */
export type VpcEgress = 'private-ranges-only' | 'all-traffic';

/**
 * Outbound access to a VPC: Direct VPC egress (`subnetwork`, no connector to run or pay for) or a Serverless VPC Access
 * connector. Either lets the container reach private IPs (databases, feature stores, internal services).
 */
export interface ServiceVpcAccess {
  /**
   * Subnetwork for Direct VPC egress, in the service's region; a Shared VPC subnet is named
   * `projects/<host project>/regions/<region>/subnetworks/<name>` (the Cloud Run service agent then needs
   * `roles/compute.networkUser` on it). Instances take IPs from it: size it for twice `scaling.maxInstances`.
   * @default - none (give this or `connector`)
   */
  readonly subnetwork?: string;
  /** The subnetwork's VPC network. @default - the network of `subnetwork` */
  readonly network?: string;
  /** Network tags on the instances, for firewall rules. @default - none */
  readonly networkTags?: readonly string[];
  /** A Serverless VPC Access connector instead of Direct VPC egress. @default - none */
  readonly connector?: string;
  /**
   * `private-ranges-only`: only RFC 1918 (and RFC 6598) destinations go through the VPC; `all-traffic`: everything,
   * Google APIs included, which then need Private Google Access on the subnet (checked at plan time) or Cloud NAT.
   * @default 'private-ranges-only'
   */
  readonly egress?: VpcEgress;
}

/** A Cloud Run service serving a model, as the API front, batch inference and alerting see it. */
export interface IModelService {
  readonly projectId: string;
  readonly region: string;
  /** Service name, as written in the config (metric label `service_name`). */
  readonly serviceName: string;
  /** `https://<name>-<hash>.<region>.run.app`. */
  readonly serviceUri: string;
  /** Route the container answers predictions on (the API front's and batch function's target). @default '/invocations' */
  readonly predictPath?: string;
  /** Route the container answers health checks on. @default '/ping' */
  readonly healthPath?: string;
  readonly ingress: ServiceIngress;
  /** True when Cloud Run's invoker IAM check is off (only behind a load balancer that authenticates). */
  readonly invokerIamDisabled: boolean;
  /** Grants `roles/run.invoker` on this service only. Idempotent per member. */
  grantInvoke(member: string, grantId?: string): ITerraformDependable;
  /**
   * Grants `roles/run.invoker` on this service to every member of a list known at apply time only (a list token, e.g. a
   * Terraform variable): one binding per element, with for_each. Literal lists go through `grantInvoke`.
   */
  grantInvokeList(members: readonly string[], grantId: string): ITerraformDependable;
}

export interface ModelServiceProps {
  readonly spec: ModelSpec;
  readonly projectId: string;
  readonly region: string;
  /**
   * Customer-managed key for the revision (image layers and env at rest). Must be in `region`.
   * The Cloud Run service agent is granted encrypt/decrypt on it.
   * @default - a new key ring `<name>-run` with a key rotated every 90 days
   */
  readonly encryptionKey?: IEncryptionKey;
  /**
   * Network ingress. Use `internal-and-cloud-load-balancing` behind the HTTPS load balancer (ModelApi publicApi).
   * @default 'all' (reachable on run.app, but every request needs an identity token with run.invoker)
   */
  readonly ingress?: ServiceIngress;
  /**
   * Turn off Cloud Run's invoker IAM check. Only allowed with a restricted ingress, for a load balancer that
   * authenticates callers itself; this is the explicit opt-out ModelApi's `authentication: 'none'` uses.
   * @default false
   */
  readonly invokerIamDisabled?: boolean;
  /** Principals granted `roles/run.invoker`. No public principal is accepted. @default - none */
  readonly invokers?: readonly string[];
  /**
   * The identity the container runs as (an existing account of yours); it gets the same grants a created one would:
   * read on the artifact, create under the capture folder.
   * @default - a new service account `<name>-serving` with no project roles
   */
  readonly serviceAccount?: IServiceIdentity;
  /** Outbound access to a VPC (Direct VPC egress or a connector). @default - none: Google's network only */
  readonly vpcAccess?: ServiceVpcAccess;
  /** @default true: `terraform destroy` fails until you set it false */
  readonly deletionProtection?: boolean;
  /**
   * Request timeout in seconds (Cloud Run allows up to 3600).
   * @default 300
   */
  readonly requestTimeoutSeconds?: number;
  /**
   * Keep CPU allocated between requests (instance-based billing). GPU services always use it.
   * @default true: model servers load and warm in the background, and the catalog price assumes it
   */
  readonly cpuAlwaysAllocated?: boolean;
  /**
   * Spread GPU instances across zones (costs more per GPU-second and needs separate quota).
   * @default false
   */
  readonly gpuZonalRedundancy?: boolean;
  /** Regions to accept for GPUs beyond the built-in list, when Google adds one. @default - none */
  readonly additionalGpuRegions?: readonly string[];
  /** @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Let the serving container write captured requests for the drift job: it gets `CAPTURE_URI` (this gs:// folder,
   * directly above the `YYYY/MM/DD/HH/` partitions) and `roles/storage.objectCreator` on objects under that folder
   * only (an IAM condition on the object name; it can neither read, list, overwrite nor delete).
   *
   * Cloud Run has no managed request capture (nothing like SageMaker's DataCaptureConfig sits in front of the
   * container), so capturing is the container's job: one that follows the documented capture format writes SageMaker
   * data-capture JSON lines
   * (`{"captureData":{"endpointInput":{...},"endpointOutput":{...}},"eventMetadata":{"eventId","inferenceTime"},"eventVersion":"0"}`)
   * to `${CAPTURE_URI}YYYY/MM/DD/HH/<unique-name>.jsonl` (UTC hour of the request; a new object per instance and flush,
   * since the grant cannot overwrite), with the service account's token from the metadata server. A container that
   * writes nothing leaves the drift job with online traffic unseen (batch inference captures its own traffic).
   * @default - no capture: no CAPTURE_URI, no write grant
   */
  readonly captureUri?: string;
}

/** Cloud Run v2 service for one model. */
export class ModelService extends Construct implements IModelService {
  readonly service: CloudRunV2Service;
  /** The account created for the container, unless `serviceAccount` was given. */
  readonly serviceAccount?: ServiceAccount;
  /** The identity the container runs as. */
  readonly identity: IServiceIdentity;
  readonly serviceAccountEmail: string;
  readonly projectId: string;
  readonly region: string;
  readonly serviceName: string;
  readonly serviceUri: string;
  readonly ingress: ServiceIngress;
  readonly invokerIamDisabled: boolean;
  /** The container's port (Cloud Run's `containerPort`, passed to it as PORT). */
  readonly port: number;
  readonly predictPath: string;
  readonly healthPath: string;
  /** The image Cloud Run runs: `spec.image`, or the prebuilt image resolved for `spec.framework` / `spec.huggingFaceModelId`. */
  readonly image: string;
  /** The prebuilt image and its contract, when the spec names a framework or an open model. */
  readonly prebuiltImage?: ResolvedFrameworkImage;
  /**
   * The body the predict route takes: `sagemaker` (what your container reads), `vertex-instances` (`{"instances": [...]}`
   * in, `{"predictions": [...]}` out, Vertex AI prebuilt containers) or `text-generation` (TGI).
   */
  readonly requestFormat: RequestFormat;
  readonly encryptionKey: IEncryptionKey;
  readonly resolvedSpec: ResolvedModelSpec;
  /** The folder the container may write captures to (its `CAPTURE_URI`), when capture is on. */
  readonly captureUri?: string;
  private readonly grants = new Map<string, CloudRunV2ServiceIamMember>();

  constructor(scope: Construct, id: string, props: ModelServiceProps) {
    super(scope, id);
    const errors = new ValidationErrors('ModelService');
    const spec = resolveModelSpec(props.spec, errors);
    checkProjectId(errors, 'projectId', props.projectId);
    const regionOk = checkRegion(errors, 'region', props.region);
    const ingress = props.ingress ?? 'all';
    errors.checkOneOf('ingress', ingress, Object.keys(INGRESS) as ServiceIngress[]);
    errors.check(!(props.invokerIamDisabled && ingress === 'all'), 'invokerIamDisabled', props.invokerIamDisabled,
      'false while ingress is "all" (that would make the model public on run.app); restrict ingress to the load balancer first');
    checkMembers(errors, 'invokers', props.invokers);
    const timeout = props.requestTimeoutSeconds ?? 300;
    errors.checkNumber('requestTimeoutSeconds', timeout, { min: 1, max: 3600, integer: true });
    // Cloud Run sets PORT itself and rejects a container that declares it.
    errors.checkPattern('captureUri', props.captureUri, GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED);
    if (regionOk) checkGpuRegion(errors, 'region', props.region, spec.compute, props.additionalGpuRegions);
    // What Cloud Run cannot pull or the container cannot read would deploy and then fail: refused here.
    // The spec's image, or the prebuilt image Google publishes for spec.framework / spec.huggingFaceModelId.
    const serving = resolveServingImage(spec, props.region, errors);
    checkReadableArtifact(errors, 'spec.modelArtifact', spec.modelArtifact);
    const reservedNames = ['PORT', 'MODEL_URI', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION', ...(props.captureUri === undefined ? [] : ['CAPTURE_URI']), ...(serving?.fixedVariables ?? [])];
    for (const reserved of reservedNames) {
      errors.check(!(reserved in spec.environment), `spec.environment.${reserved}`, spec.environment[reserved], 'not set: Cloud Run or this construct sets it');
    }
    const vpc = props.vpcAccess;
    if (vpc) {
      errors.check((vpc.subnetwork === undefined) !== (vpc.connector === undefined), 'vpcAccess', vpc,
        'either subnetwork (Direct VPC egress) or connector (Serverless VPC Access), not both and not neither');
      errors.check(vpc.connector === undefined || (vpc.network === undefined && vpc.networkTags === undefined), 'vpcAccess.connector', vpc.connector,
        'no network or networkTags with a connector (they configure Direct VPC egress)');
      checkSubnetworkName(errors, 'vpcAccess.subnetwork', vpc.subnetwork);
      checkNetworkName(errors, 'vpcAccess.network', vpc.network);
      checkConnectorId(errors, 'vpcAccess.connector', vpc.connector);
      errors.checkOneOf('vpcAccess.egress', vpc.egress, ['private-ranges-only', 'all-traffic']);
      if (errors.checkStringList('vpcAccess.networkTags', vpc.networkTags) && vpc.networkTags && !isTokenList(vpc.networkTags)) {
        vpc.networkTags.forEach((tag, i) => errors.checkPattern(`vpcAccess.networkTags[${i}]`, tag, /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a network tag (lowercase letters, digits, hyphens)'));
      }
    }
    errors.throwIfAny();

    this.resolvedSpec = spec;
    this.projectId = props.projectId;
    this.region = props.region;
    this.ingress = ingress;
    this.invokerIamDisabled = props.invokerIamDisabled ?? false;
    this.serviceName = spec.name;
    this.image = serving!.image;
    this.prebuiltImage = serving!.prebuilt;
    this.requestFormat = serving!.requestFormat;
    this.port = serving!.serving.port;
    this.healthPath = serving!.serving.healthPath;
    this.predictPath = serving!.serving.predictPath;
    const labels = { 'managed-by': 'deploy-ai-smarter', model: spec.name, ...(props.labels ?? {}) };

    this.encryptionKey = props.encryptionKey ?? new EncryptionKey(this, 'Key', {
      projectId: props.projectId, region: props.region, keyRingName: boundedName([spec.name, 'run'], 63), labels,
    });
    // The Cloud Run service agent decrypts the image and env with the key; it exists once run.googleapis.com is on.
    const project = new DataGoogleProject(this, 'Project', { projectId: props.projectId });
    const keyGrant = this.encryptionKey.grantEncryptDecrypt(
      `serviceAccount:service-${project.number}@serverless-robot-prod.iam.gserviceaccount.com`, `${id}-CloudRunAgentKey`);

    const identity = serviceIdentityOf(this, 'ServiceAccount', props.serviceAccount, {
      projectId: props.projectId,
      accountId: boundedName([spec.name, 'serving'], 30),
      displayName: `Serving identity of model ${spec.name} (no project roles)`,
    });
    this.identity = identity.identity;
    this.serviceAccount = identity.created;
    this.serviceAccountEmail = this.identity.email;

    // The prebuilt image's variables first, the spec's own over them (the contract variables are refused above).
    const env: { name: string; value: string }[] = Object.entries({ ...serving!.environment, ...spec.environment }).map(([name, value]) => ({ name, value }));
    const artifact = spec.modelArtifact === undefined ? undefined : parseGcsArtifact(spec.modelArtifact);
    const grantsBeforeService: ITerraformDependable[] = [keyGrant];
    if (spec.modelArtifact) {
      env.push({ name: 'MODEL_URI', value: spec.modelArtifact });
    }
    if (props.captureUri !== undefined) {
      this.captureUri = props.captureUri;
      env.push({ name: 'CAPTURE_URI', value: props.captureUri });
      // Granted before the first revision starts, so its first captures do not fail with 403.
      grantsBeforeService.push(grantOnFolder(this, 'CaptureWriter', parseGcsFolder(props.captureUri)!, 'roles/storage.objectCreator', this.identity.member));
    }
    if (artifact) {
      // Read access on the artifact only (its object, or the objects of its folder and listing them), like the AWS stack's
      // grant on its object: the rest of the bucket stays out of reach. A whole-bucket URI gets the bucket.
      grantsBeforeService.push(new StorageBucketIamMember(this, 'ArtifactReader', {
        bucket: artifact.bucket,
        role: 'roles/storage.objectViewer',
        member: this.identity.member,
        condition: artifact.path === '' ? undefined : artifactReadCondition(artifact.bucket, artifact.path),
      }));
    }
    let vpcAccess: { connector?: string; egress: string; networkInterfaces?: { network?: string; subnetwork?: string; tags?: string[] }[] } | undefined;
    let preconditions: ReturnType<typeof privateGoogleAccessPrecondition>[] = [];
    if (vpc) {
      const egress = vpc.egress ?? 'private-ranges-only';
      vpcAccess = {
        connector: vpc.connector,
        egress: egress === 'all-traffic' ? 'ALL_TRAFFIC' : 'PRIVATE_RANGES_ONLY',
        networkInterfaces: vpc.subnetwork ? [{ network: vpc.network, subnetwork: vpc.subnetwork, tags: vpc.networkTags ? [...vpc.networkTags] : undefined }] : undefined,
      };
      if (egress === 'all-traffic' && vpc.subnetwork) {
        preconditions = [privateGoogleAccessPrecondition(this, 'Subnetwork', { projectId: props.projectId, region: props.region, subnetwork: vpc.subnetwork }, `service ${spec.name}`)];
      }
    }

    const cloudRun = spec.compute.gcp.cloudRun;
    const gpu = cloudRun.accelerator;
    const probe = { httpGet: { path: this.healthPath, port: this.port }, timeoutSeconds: 5 };
    this.service = new CloudRunV2Service(this, 'Service', {
      project: props.projectId,
      location: props.region,
      name: spec.name,
      description: `Model ${spec.name} (${spec.compute.id}), managed by deploy-ai-smarter`,
      ingress: INGRESS[ingress],
      invokerIamDisabled: this.invokerIamDisabled,
      deletionProtection: props.deletionProtection ?? true,
      labels,
      template: {
        serviceAccount: this.identity.email,
        encryptionKey: this.encryptionKey.cryptoKeyId,
        timeout: `${timeout}s`,
        maxInstanceRequestConcurrency: spec.scaling.concurrency,
        scaling: { minInstanceCount: spec.scaling.minInstances, maxInstanceCount: spec.scaling.maxInstances },
        executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
        labels,
        nodeSelector: gpu ? { accelerator: gpu } : undefined,
        gpuZonalRedundancyDisabled: gpu ? !(props.gpuZonalRedundancy ?? false) : undefined,
        vpcAccess,
        containers: [{
          name: 'model',
          image: this.image,
          ports: { containerPort: this.port },
          env,
          resources: {
            limits: { cpu: cloudRun.cpu, memory: cloudRun.memory, ...(gpu ? { 'nvidia.com/gpu': '1' } : {}) },
            // GPU instances need CPU allocated all the time (instance-based billing).
            cpuIdle: gpu ? false : !(props.cpuAlwaysAllocated ?? true),
            startupCpuBoost: true,
          },
          // Model loading can take minutes: up to 30 x 10 s before the instance is declared failed.
          startupProbe: { ...probe, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 30 },
          livenessProbe: { ...probe, periodSeconds: 30, failureThreshold: 3 },
        }],
      },
      dependsOn: grantsBeforeService,
      lifecycle: preconditions.length > 0 ? { precondition: preconditions } : undefined,
    });
    this.serviceUri = this.service.uri;

    if (isTokenList(props.invokers)) this.grantInvokeList(props.invokers!, 'Invokers');
    else for (const member of props.invokers ?? []) this.grantInvoke(member);
  }

  grantInvokeList(members: readonly string[], grantId: string): ITerraformDependable {
    const iterator = TerraformIterator.fromList([...members]);
    return new CloudRunV2ServiceIamMember(this, grantId, {
      forEach: iterator, project: this.projectId, location: this.region, name: this.service.name, role: 'roles/run.invoker', member: iterator.value,
    });
  }

  grantInvoke(member: string, grantId?: string): ITerraformDependable {
    const id = grantId ?? memberId('Invoker', member);
    const existing = this.grants.get(id);
    if (existing) return existing;
    const errors = new ValidationErrors('ModelService');
    checkMembers(errors, 'grantInvoke(member)', [member]);
    errors.throwIfAny();
    const grant = new CloudRunV2ServiceIamMember(this, id, {
      project: this.projectId,
      location: this.region,
      name: this.service.name,
      role: 'roles/run.invoker',
      member,
    });
    this.grants.set(id, grant);
    return grant;
  }
}
