// The serving plane on GCP: a Cloud Run v2 service running the model's SageMaker-contract container
// (GET /ping, POST /invocations on 8080), CPU or NVIDIA L4, CMEK, its own service account, IAM-only invocation,
// and (optionally) a capture folder the container may write request captures to.
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { ModelSpec, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { EncryptionKey, IEncryptionKey } from './encryption-key';
import { boundedName, checkMembers, checkProjectId, checkGpuRegion, checkRegion, gcsBucketOf, memberId } from './private/gcp-names';
import { GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED, grantOnFolder, parseGcsFolder } from './private/gcs-prefix';

/** Who may reach the service's network endpoint (IAM still applies). */
export type ServiceIngress = 'all' | 'internal-and-cloud-load-balancing' | 'internal';

const INGRESS: Record<ServiceIngress, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
};

/** A Cloud Run service serving a model, as the API front, batch inference and alerting see it. */
export interface IModelService {
  readonly projectId: string;
  readonly region: string;
  /** Service name, as written in the config (metric label `service_name`). */
  readonly serviceName: string;
  /** `https://<name>-<hash>.<region>.run.app`. */
  readonly serviceUri: string;
  readonly ingress: ServiceIngress;
  /** True when Cloud Run's invoker IAM check is off (only behind a load balancer that authenticates). */
  readonly invokerIamDisabled: boolean;
  /** Grants `roles/run.invoker` on this service only. Idempotent per member. */
  grantInvoke(member: string, grantId?: string): ITerraformDependable;
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
  readonly serviceAccount: ServiceAccount;
  readonly serviceAccountEmail: string;
  readonly projectId: string;
  readonly region: string;
  readonly serviceName: string;
  readonly serviceUri: string;
  readonly ingress: ServiceIngress;
  readonly invokerIamDisabled: boolean;
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
    const reservedNames = ['PORT', 'MODEL_URI', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION', ...(props.captureUri === undefined ? [] : ['CAPTURE_URI'])];
    for (const reserved of reservedNames) {
      errors.check(!(reserved in spec.environment), `spec.environment.${reserved}`, spec.environment[reserved], 'not set: Cloud Run or this construct sets it');
    }
    if (regionOk) checkGpuRegion(errors, 'region', props.region, spec.compute, props.additionalGpuRegions);
    errors.throwIfAny();

    this.resolvedSpec = spec;
    this.projectId = props.projectId;
    this.region = props.region;
    this.ingress = ingress;
    this.invokerIamDisabled = props.invokerIamDisabled ?? false;
    this.serviceName = spec.name;
    const labels = { 'managed-by': 'deploy-ai-smarter', model: spec.name, ...(props.labels ?? {}) };

    this.encryptionKey = props.encryptionKey ?? new EncryptionKey(this, 'Key', {
      projectId: props.projectId, region: props.region, keyRingName: boundedName([spec.name, 'run'], 63), labels,
    });
    // The Cloud Run service agent decrypts the image and env with the key; it exists once run.googleapis.com is on.
    const project = new DataGoogleProject(this, 'Project', { projectId: props.projectId });
    const keyGrant = this.encryptionKey.grantEncryptDecrypt(
      `serviceAccount:service-${project.number}@serverless-robot-prod.iam.gserviceaccount.com`, `${id}-CloudRunAgentKey`);

    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', {
      project: props.projectId,
      accountId: boundedName([spec.name, 'serving'], 30),
      displayName: `Serving identity of model ${spec.name} (no project roles)`,
    });
    this.serviceAccountEmail = this.serviceAccount.email;

    const env: { name: string; value: string }[] = Object.entries(spec.environment).map(([name, value]) => ({ name, value }));
    const artifactBucket = gcsBucketOf(spec.modelArtifact);
    const grantsBeforeService: ITerraformDependable[] = [keyGrant];
    if (spec.modelArtifact) {
      env.push({ name: 'MODEL_URI', value: spec.modelArtifact });
    }
    if (props.captureUri !== undefined) {
      this.captureUri = props.captureUri;
      env.push({ name: 'CAPTURE_URI', value: props.captureUri });
      // Granted before the first revision starts, so its first captures do not fail with 403.
      grantsBeforeService.push(grantOnFolder(this, 'CaptureWriter', parseGcsFolder(props.captureUri)!, 'roles/storage.objectCreator', `serviceAccount:${this.serviceAccount.email}`));
    }
    if (artifactBucket) {
      // Read access on the artifact's bucket only, so the container can download the model at start.
      grantsBeforeService.push(new StorageBucketIamMember(this, 'ArtifactReader', {
        bucket: artifactBucket,
        role: 'roles/storage.objectViewer',
        member: `serviceAccount:${this.serviceAccount.email}`,
      }));
    }

    const cloudRun = spec.compute.gcp.cloudRun;
    const gpu = cloudRun.accelerator;
    const probe = { httpGet: { path: '/ping', port: 8080 }, timeoutSeconds: 5 };
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
        serviceAccount: this.serviceAccount.email,
        encryptionKey: this.encryptionKey.cryptoKeyId,
        timeout: `${timeout}s`,
        maxInstanceRequestConcurrency: spec.scaling.concurrency,
        scaling: { minInstanceCount: spec.scaling.minInstances, maxInstanceCount: spec.scaling.maxInstances },
        executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
        labels,
        nodeSelector: gpu ? { accelerator: gpu } : undefined,
        gpuZonalRedundancyDisabled: gpu ? !(props.gpuZonalRedundancy ?? false) : undefined,
        containers: [{
          name: 'model',
          image: spec.image,
          ports: { containerPort: 8080 },
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
    });
    this.serviceUri = this.service.uri;

    for (const member of props.invokers ?? []) this.grantInvoke(member);
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
