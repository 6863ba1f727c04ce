// The portable drift job on GCP, started by Cloud Scheduler on a cron: by default a Cloud Functions (gen2) HTTP function
// whose code (lib/runtime/gcp-drift-function) Terraform uploads from this package; with `image`, a Cloud Run job running
// that prebuilt image. Its JSON log lines (LOG_FORMAT=gcp) feed ModelAlerting's log-based drift metrics.
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function';
import { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { checkCronSchedule, driftJobEnvironment, maxHoursBetweenRuns, ModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { checkPullableImage } from './private/artifact-sources';
import { bundledAssetDir, isBundled } from './private/function-source';
import { boundedName, checkBucketName, checkProjectId, checkRegion } from './private/gcp-names';
import { GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED, grantOnFolder, parseGcsFolder } from './private/gcs-prefix';
import { serviceIdentityOf } from './private/identities';
import { checkFunctionSettings, createScheduledRunner, MAX_SCHEDULED_FUNCTION_TIMEOUT_SECONDS } from './private/scheduled-runner';
import { IServiceIdentity } from './service-identity';

/** Hourly, a quarter past, once the previous hour's captures are written. */
export const DEFAULT_DRIFT_SCHEDULE = '15 * * * *';

/** The bundled drift function (`npm run bundle`: assets/gcp-drift-function/{index.js,package.json}). */
export const DRIFT_FUNCTION_ASSET_DIR = bundledAssetDir('gcp-drift-function');

/**
 * Cloud Scheduler waits at most 30 minutes for an HTTP target (its attempt deadline), then records the attempt as
 * failed and retries: a function allowed to run longer would be retried while still running.
 */
export const MAX_DRIFT_FUNCTION_TIMEOUT_SECONDS = MAX_SCHEDULED_FUNCTION_TIMEOUT_SECONDS;

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
    checkFunctionSettings(errors, { timeoutSeconds, memory: props.memory, vpcConnector: props.vpcConnector });
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
    this.runnerName = name;
    const runnerParts = createScheduledRunner(this, {
      projectId: props.projectId,
      region: props.region,
      name,
      purpose: `the drift job of model ${spec.name}`,
      schedule,
      identity: this.identity,
      schedulerIdentity: this.schedulerIdentity,
      env,
      grants,
      labels: { 'managed-by': 'deploy-ai-smarter', model: spec.name },
      image: props.image,
      function: {
        assetDir: DRIFT_FUNCTION_ASSET_DIR,
        entryPoint: 'driftJob',
        objectPrefix: `deploy-ai-smarter/${spec.name}-drift-function`,
        sourceBucketName: props.sourceBucketName,
        defaultBucketName: boundedName([props.projectId, spec.name, 'drift-src'], 63),
        memory: props.memory ?? '2Gi',
        timeoutSeconds,
        vpcConnector: props.vpcConnector,
      },
    });
    this.function = runnerParts.function;
    this.job = runnerParts.job;
    this.sourceBucket = runnerParts.sourceBucket;
    this.scheduler = runnerParts.scheduler;
  }
}
