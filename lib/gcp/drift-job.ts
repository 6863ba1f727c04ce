// The portable drift job on GCP, started by Cloud Scheduler on a cron: by default a Cloud Functions (gen2) HTTP function
// whose code (lib/runtime/gcp-drift-function) Terraform uploads from this package; with `image`, a Cloud Run job running
// that prebuilt image. Its JSON log lines (LOG_FORMAT=gcp) feed ModelAlerting's log-based drift metrics.
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function';
import { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import { CloudRunV2JobIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-job-iam-member';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { checkCronSchedule, driftJobEnvironment, maxHoursBetweenRuns, ModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { checkPullableImage } from './private/artifact-sources';
import { bundledAssetDir, isBundled, uploadBundledSource } from './private/function-source';
import { boundedName, checkBucketName, checkProjectId, checkRegion } from './private/gcp-names';
import { GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED, grantOnFolder, parseGcsFolder } from './private/gcs-prefix';
import { serviceIdentityOf } from './private/identities';
import { IServiceIdentity } from './service-identity';

/** Hourly, a quarter past, once the previous hour's captures are written. */
export const DEFAULT_DRIFT_SCHEDULE = '15 * * * *';

/** The bundled drift function (`npm run bundle`: assets/gcp-drift-function/{index.js,package.json}). */
export const DRIFT_FUNCTION_ASSET_DIR = bundledAssetDir('gcp-drift-function');

/**
 * Cloud Scheduler waits at most 30 minutes for an HTTP target (its attempt deadline), then records the attempt as
 * failed and retries: a function allowed to run longer would be retried while still running.
 */
export const MAX_DRIFT_FUNCTION_TIMEOUT_SECONDS = 1800;

/** MiB of a `<n>Mi` / `<n>Gi` size between 256 MiB and 4 GiB, else undefined. */
function memoryMiB(size: string): number | undefined {
  const match = /^([1-9][0-9]*)(Mi|Gi)$/.exec(size);
  const mib = match ? Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1) : Number.NaN;
  return mib >= 256 && mib <= 4096 ? mib : undefined;
}

/** What runs the analysis: the bundled function, or a Cloud Run job of a prebuilt image. */
export type DriftRuntime = 'function' | 'cloud-run-job';

export interface DriftJobProps {
  readonly spec: ModelSpec;
  readonly projectId: string;
  readonly region: string;
  /**
   * gs:// folder holding the baseline `statistics.json` and `constraints.json` (`deploy-ai-smarter baseline`).
   * The job reads this folder only.
   */
  readonly baselineUri: string;
  /**
   * gs:// folder directly above the `YYYY/MM/DD/HH/` partitions of captured requests (SageMaker data-capture JSON
   * lines, as BatchInference and a capturing serving container write them). The job reads and lists this folder only.
   */
  readonly captureUri: string;
  /**
   * A prebuilt drift-job image (docker/drift-job/Dockerfile, pushed to Artifact Registry), run as a Cloud Run job
   * (1 vCPU, 2 GiB, 30 minutes) instead of the bundled function.
   * @default - the function bundled with this package, uploaded by Terraform
   */
  readonly image?: string;
  /** Hours each run analyzes. @default 1 */
  readonly windowHours?: number;
  /** Cron schedule in UTC. @default '15 * * * *' (hourly, a quarter past, once the hour's captures are written) */
  readonly schedule?: string;
  /**
   * Identity the analysis runs as; it gets read access to the two folders only.
   * @default - a new service account `<model>-drift` with no project roles
   */
  readonly serviceAccount?: IServiceIdentity;
  /**
   * Identity Cloud Scheduler calls the function (or runs the job) with; it gets `run.invoker` on it, nothing else.
   * @default - a new service account `<model>-drift-sched` with no project roles
   */
  readonly schedulerServiceAccount?: IServiceIdentity;
  /**
   * Function timeout in seconds (at most 1800: Cloud Scheduler gives up on an HTTP call after 30 minutes and retries).
   * An hour of captures from one model takes seconds to a few minutes.
   * @default 1800
   */
  readonly timeoutSeconds?: number;
  /** Function memory (the analysis streams captures; sketches stay small). @default '2Gi' */
  readonly memory?: string;
  /**
   * Existing bucket to upload the bundled function's zip to (GcpModelStack passes the batch function's source bucket).
   * @default - a new private bucket `<projectId>-<model>-drift-src`
   */
  readonly sourceBucketName?: string;
  /**
   * Serverless VPC Access connector (`projects/<p>/locations/<r>/connectors/<c>`) the function sends all its egress
   * through (Cloud Functions gen2 has no Direct VPC egress in the google provider 6.x). Its subnet needs Private Google
   * Access, since the function reads Cloud Storage.
   * @default - none: Google's network reaches Cloud Storage directly
   */
  readonly vpcConnector?: string;
}

/** Scheduled drift analysis for one model. */
export class DriftJob extends Construct {
  readonly runtime: DriftRuntime;
  /** The function running the analysis (default runtime). */
  readonly function?: Cloudfunctions2Function;
  /** The Cloud Run job running the analysis (with `image`). */
  readonly job?: CloudRunV2Job;
  /** Name of the function or the job: what ModelAlerting watches. */
  readonly runnerName: string;
  /** The identity running the analysis. */
  readonly identity: IServiceIdentity;
  /** The identity Cloud Scheduler calls with. */
  readonly schedulerIdentity: IServiceIdentity;
  /** The account created to run the analysis, unless `serviceAccount` was given. */
  readonly serviceAccount?: ServiceAccount;
  /** The bucket created for the function's code, unless `sourceBucketName` was given (function runtime). */
  readonly sourceBucket?: StorageBucket;
  readonly scheduler: CloudSchedulerJob;
  /** Name of the Cloud Scheduler job. */
  readonly schedulerName: string;
  /** Longest gap between two runs in hours; undefined when the schedule skips days. */
  readonly maxHoursBetweenRuns?: number;
  readonly baselineUri: string;
  readonly captureUri: string;

  constructor(scope: Construct, id: string, props: DriftJobProps) {
    super(scope, id);
    const errors = new ValidationErrors('DriftJob');
    const spec = resolveModelSpec(props.spec, errors);
    checkProjectId(errors, 'projectId', props.projectId);
    checkRegion(errors, 'region', props.region);
    errors.checkPattern('baselineUri', props.baselineUri, GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED);
    errors.checkPattern('captureUri', props.captureUri, GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED);
    const schedule = props.schedule ?? DEFAULT_DRIFT_SCHEDULE;
    const cron = checkCronSchedule(errors, 'schedule', schedule, DEFAULT_DRIFT_SCHEDULE);
    const runtime: DriftRuntime = props.image === undefined ? 'function' : 'cloud-run-job';
    const timeoutSeconds = props.timeoutSeconds ?? MAX_DRIFT_FUNCTION_TIMEOUT_SECONDS;
    errors.checkNumber('timeoutSeconds', timeoutSeconds, { min: 60, max: MAX_DRIFT_FUNCTION_TIMEOUT_SECONDS, integer: true });
    // One vCPU takes 128 MiB to 4 GiB (Cloud Run functions memory limits); the analysis keeps small sketches.
    errors.check(props.memory === undefined || memoryMiB(props.memory) !== undefined, 'memory', props.memory, 'a size from "256Mi" to "4Gi" (one vCPU allows at most 4 GiB)');
    errors.checkPattern('vpcConnector', props.vpcConnector, /^projects\/[^/]+\/locations\/[^/]+\/connectors\/[^/]+$/, 'a connector id "projects/<p>/locations/<r>/connectors/<name>"');
    checkBucketName(errors, 'sourceBucketName', props.sourceBucketName);
    if (runtime === 'cloud-run-job') {
      checkPullableImage(errors, 'image', props.image!);
      for (const [prop, value] of [['timeoutSeconds', props.timeoutSeconds], ['memory', props.memory], ['sourceBucketName', props.sourceBucketName], ['vpcConnector', props.vpcConnector]] as const) {
        errors.check(value === undefined, prop, value, 'nothing with image (it configures the bundled function; the Cloud Run job runs 1 vCPU, 2 GiB, 30 minutes)');
      }
    } else {
      errors.check(isBundled(DRIFT_FUNCTION_ASSET_DIR), 'image', undefined,
        `a prebuilt drift-job image, or the bundled function in ${DRIFT_FUNCTION_ASSET_DIR} (index.js and package.json; run "npm run bundle")`);
    }
    errors.throwIfAny();
    this.runtime = runtime;
    this.baselineUri = props.baselineUri;
    this.captureUri = props.captureUri;
    this.maxHoursBetweenRuns = cron && maxHoursBetweenRuns(cron);
    // The one environment contract of the drift job (validates the URIs and window under this construct's name).
    const env = driftJobEnvironment(spec, { baselineUri: props.baselineUri, captureUri: props.captureUri, windowHours: props.windowHours, logFormat: 'gcp' }, 'DriftJob');

    const runner = serviceIdentityOf(this, 'ServiceAccount', props.serviceAccount, {
      projectId: props.projectId, accountId: boundedName([spec.name, 'drift'], 30), displayName: `Drift job of model ${spec.name}`,
    });
    this.identity = runner.identity;
    this.serviceAccount = runner.created;
    this.schedulerIdentity = serviceIdentityOf(this, 'SchedulerServiceAccount', props.schedulerServiceAccount, {
      projectId: props.projectId, accountId: boundedName([spec.name, 'drift-sched'], 30), displayName: `Starts the drift job of model ${spec.name}`,
    }).identity;

    // Read-only, and only on the two folders (IAM conditions on the object-name prefix; the capture folder may also be
    // listed under its prefix, which is how the job finds an hour's files). The baseline is read by name, never listed.
    const baseline = parseGcsFolder(props.baselineUri)!;
    const capture = parseGcsFolder(props.captureUri)!;
    const grants: ITerraformDependable[] = [grantOnFolder(this, 'ReadBaseline', baseline, 'roles/storage.objectViewer', this.identity.member)];
    if (capture.bucket !== baseline.bucket || capture.prefix !== baseline.prefix) {
      grants.push(grantOnFolder(this, 'ReadCapture', capture, 'roles/storage.objectViewer', this.identity.member, { list: true }));
    }
    const name = boundedName([spec.name, 'drift'], 63);
    this.schedulerName = name;
    const common = {
      project: props.projectId,
      region: props.region,
      name,
      description: `Runs the drift job of model ${spec.name}`,
      schedule,
      timeZone: 'Etc/UTC',
    };

    if (runtime === 'function') {
      const source = uploadBundledSource(this, {
        projectId: props.projectId,
        region: props.region,
        assetDir: DRIFT_FUNCTION_ASSET_DIR,
        objectPrefix: `deploy-ai-smarter/${spec.name}-drift-function`,
        bucketName: props.sourceBucketName,
        defaultBucketName: boundedName([props.projectId, spec.name, 'drift-src'], 63),
      });
      this.sourceBucket = source.bucket;
      this.function = new Cloudfunctions2Function(this, 'Function', {
        project: props.projectId,
        location: props.region,
        name,
        description: `Drift analysis of model ${spec.name}, started by Cloud Scheduler`,
        buildConfig: {
          runtime: 'nodejs22',
          entryPoint: 'driftJob',
          source: { storageSource: { bucket: source.archive.bucket, object: source.archive.object } },
        },
        serviceConfig: {
          serviceAccountEmail: this.identity.email,
          // Private: only callers inside the project's network perimeter (Cloud Scheduler of this project counts), and
          // only with run.invoker; no allUsers binding exists.
          ingressSettings: 'ALLOW_INTERNAL_ONLY',
          allTrafficOnLatestRevision: true,
          availableMemory: props.memory ?? '2Gi',
          availableCpu: '1',
          timeoutSeconds,
          // One run at a time: a retry that arrives while a run is still going waits instead of running twice.
          maxInstanceCount: 1,
          maxInstanceRequestConcurrency: 1,
          minInstanceCount: 0,
          vpcConnector: props.vpcConnector,
          vpcConnectorEgressSettings: props.vpcConnector ? 'ALL_TRAFFIC' : undefined,
          environmentVariables: env,
        },
        dependsOn: grants,
      });
      this.runnerName = name;
      // Gen2 functions are Cloud Run services: invoking needs run.invoker on the service, granted to the scheduler only.
      const invoker = new CloudRunV2ServiceIamMember(this, 'SchedulerInvoker', {
        project: props.projectId, location: props.region, name: this.function.serviceConfig.service, role: 'roles/run.invoker', member: this.schedulerIdentity.member,
      });
      this.scheduler = new CloudSchedulerJob(this, 'Schedule', {
        ...common,
        // Cloud Scheduler's longest wait for an HTTP target; the function's own timeout is at most this.
        attemptDeadline: `${MAX_DRIFT_FUNCTION_TIMEOUT_SECONDS}s`,
        retryConfig: { retryCount: 1, minBackoffDuration: '60s' },
        httpTarget: {
          httpMethod: 'POST',
          uri: this.function.url,
          headers: { 'Content-Type': 'application/json' },
          body: Buffer.from('{}').toString('base64'),
          oidcToken: { serviceAccountEmail: this.schedulerIdentity.email, audience: this.function.url },
        },
        // A first run before the grants exist would fail with 403 and look like a broken job.
        dependsOn: [invoker, ...grants],
      });
      return;
    }

    this.job = new CloudRunV2Job(this, 'Job', {
      project: props.projectId,
      location: props.region,
      name,
      // A stateless batch job: nothing is lost when it is deleted.
      deletionProtection: false,
      labels: { 'managed-by': 'deploy-ai-smarter', model: spec.name },
      template: {
        taskCount: 1,
        template: {
          serviceAccount: this.identity.email,
          maxRetries: 1,
          timeout: '1800s',
          // The image's own entrypoint runs the job (docker/drift-job).
          containers: [{
            image: props.image!,
            env: Object.entries(env).map(([envName, value]) => ({ name: envName, value })),
            resources: { limits: { cpu: '1', memory: '2Gi' } },
          }],
        },
      },
      dependsOn: grants,
    });
    this.runnerName = name;
    // roles/run.invoker includes run.jobs.run: the scheduler's identity may run this job only.
    const runnerGrant = new CloudRunV2JobIamMember(this, 'Runner', {
      project: props.projectId, location: props.region, name: this.job.name, role: 'roles/run.invoker', member: this.schedulerIdentity.member,
    });
    this.scheduler = new CloudSchedulerJob(this, 'Schedule', {
      ...common,
      retryConfig: { retryCount: 1 },
      httpTarget: {
        httpMethod: 'POST',
        uri: `https://run.googleapis.com/v2/projects/${props.projectId}/locations/${props.region}/jobs/${this.job.name}:run`,
        oauthToken: { serviceAccountEmail: this.schedulerIdentity.email, scope: 'https://www.googleapis.com/auth/cloud-platform' },
      },
      dependsOn: [runnerGrant, ...grants],
    });
  }
}
