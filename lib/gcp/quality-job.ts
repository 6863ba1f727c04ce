// The portable model-quality job on GCP, deployed like the drift job: by default a Cloud Functions (gen2) HTTP
// function (lib/runtime/gcp-quality-function) that Terraform uploads from this package, called by Cloud Scheduler
// with OIDC; with `image`, a Cloud Run job of that prebuilt image. Its `quality_summary` lines (LOG_FORMAT=gcp) feed
// ModelAlerting's quality alerts.
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function';
import { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { checkCronSchedule, maxHoursBetweenRuns, ModelSpec, qualityJobEnvironment, QualityMonitoringSpec, resolveModelSpec, ValidationErrors } from '../core';
import type { DriftRuntime } from './drift-job';
import { checkPullableImage } from './private/artifact-sources';
import { bundledAssetDir, isBundled } from './private/function-source';
import { boundedName, checkBucketName, checkProjectId, checkRegion } from './private/gcp-names';
import { GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED, grantOnFolder, parseGcsFolder } from './private/gcs-prefix';
import { serviceIdentityOf } from './private/identities';
import { tfNumber } from './private/tf-number';
import { checkFunctionSettings, createScheduledRunner, MAX_SCHEDULED_FUNCTION_TIMEOUT_SECONDS } from './private/scheduled-runner';
import { IServiceIdentity } from './service-identity';

/** The bundled quality function (`npm run bundle`: assets/gcp-quality-function/{index.js,package.json}). */
export const QUALITY_FUNCTION_ASSET_DIR = bundledAssetDir('gcp-quality-function');

/**
 * A run per window: daily at 00:30 UTC for 24-hour windows, every N hours (at half past) for N-hour windows that
 * divide a day; else daily (set `schedule` to match the window).
 */
export function defaultQualitySchedule(windowHours: number): string {
  return windowHours < 24 && Number.isInteger(windowHours) && 24 % windowHours === 0 ? `30 */${windowHours} * * *` : '30 0 * * *';
}

export interface QualityJobProps {
  readonly spec: ModelSpec;
  readonly projectId: string;
  readonly region: string;
  /**
   * gs:// folder directly above the `YYYY/MM/DD/HH/` capture partitions (SageMaker data-capture JSON lines with the
   * model's answers). The job reads and lists this folder only.
   */
  readonly captureUri: string;
  /**
   * gs:// folder above the `YYYY/MM/DD/HH/` partitions of ground-truth labels, in Model Monitor's merge format
   * (`{"groundTruthData": {...}, "eventMetadata": {"eventId": ...}, "eventVersion": "0"}`). The job reads and lists it only.
   */
  readonly groundTruthUri: string;
  /** @default - `spec.monitoring.quality` (required when the spec has none) */
  readonly quality?: QualityMonitoringSpec;
  /**
   * A prebuilt image whose entrypoint runs the quality job (`node assets/quality-job/index.js`, reading the QUALITY_*
   * environment), run as a Cloud Run job instead of the bundled function. docker/drift-job runs the drift job only.
   * @default - the bundled function
   */
  readonly image?: string;
  /** Cron schedule in UTC. @default - one run per window: `defaultQualitySchedule(windowHours)`, daily at 00:30 for the default 24 hours */
  readonly schedule?: string;
  /** Identity the job runs as; it gets read access to the two folders only. @default - a new service account `<model>-quality` with no project roles */
  readonly serviceAccount?: IServiceIdentity;
  /** Identity Cloud Scheduler calls with; it gets `run.invoker` on the function or job only. @default - a new service account `<model>-quality-sched` */
  readonly schedulerServiceAccount?: IServiceIdentity;
  /** Function timeout in seconds (at most 1800, Cloud Scheduler's longest wait). @default 1800 */
  readonly timeoutSeconds?: number;
  /** Function memory (the job holds one window's labels in memory). @default '1Gi' */
  readonly memory?: string;
  /** Existing bucket for the function's zip. @default - a new private bucket `<projectId>-<model>-quality-src` */
  readonly sourceBucketName?: string;
  /** Serverless VPC Access connector for all the function's egress. @default - none */
  readonly vpcConnector?: string;
}

/** Scheduled model-quality evaluation for one model. */
export class QualityJob extends Construct {
  readonly runtime: DriftRuntime;
  readonly function?: Cloudfunctions2Function;
  readonly job?: CloudRunV2Job;
  /** Name of the function or the job: what ModelAlerting watches. */
  readonly runnerName: string;
  readonly identity: IServiceIdentity;
  readonly schedulerIdentity: IServiceIdentity;
  readonly serviceAccount?: ServiceAccount;
  readonly sourceBucket?: StorageBucket;
  readonly scheduler: CloudSchedulerJob;
  readonly schedulerName: string;
  readonly captureUri: string;
  readonly groundTruthUri: string;
  /** Longest gap between two runs in hours; undefined when the schedule skips days. */
  readonly maxHoursBetweenRuns?: number;
  /** The environment the job runs with (`qualityJobEnvironment`). */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: QualityJobProps) {
    super(scope, id);
    const errors = new ValidationErrors('QualityJob');
    const spec = resolveModelSpec(props.spec, errors);
    checkProjectId(errors, 'projectId', props.projectId);
    checkRegion(errors, 'region', props.region);
    errors.checkPattern('captureUri', props.captureUri, GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED);
    errors.checkPattern('groundTruthUri', props.groundTruthUri, GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED);
    const quality = props.quality ?? spec.monitoring.quality;
    errors.check(quality !== undefined, 'quality', undefined, 'the quality settings (or spec.monitoring.quality), e.g. { problemType: "BinaryClassification", minAccuracy: 0.8 }');
    const windowHours = quality?.windowHours ?? 24;
    const schedule = props.schedule ?? defaultQualitySchedule(windowHours);
    const cron = checkCronSchedule(errors, 'schedule', schedule, defaultQualitySchedule(24));
    const timeoutSeconds = props.timeoutSeconds ?? MAX_SCHEDULED_FUNCTION_TIMEOUT_SECONDS;
    checkFunctionSettings(errors, { timeoutSeconds, memory: props.memory, vpcConnector: props.vpcConnector });
    checkBucketName(errors, 'sourceBucketName', props.sourceBucketName);
    const runtime: DriftRuntime = props.image === undefined ? 'function' : 'cloud-run-job';
    if (runtime === 'cloud-run-job') {
      checkPullableImage(errors, 'image', props.image!);
      for (const [prop, value] of [['timeoutSeconds', props.timeoutSeconds], ['memory', props.memory], ['sourceBucketName', props.sourceBucketName], ['vpcConnector', props.vpcConnector]] as const) {
        errors.check(value === undefined, prop, value, 'nothing with image (it configures the bundled function; the Cloud Run job runs 1 vCPU, 2 GiB, 30 minutes)');
      }
    } else {
      errors.check(isBundled(QUALITY_FUNCTION_ASSET_DIR), 'image', undefined,
        `a prebuilt job image, or the bundled function in ${QUALITY_FUNCTION_ASSET_DIR} (index.js and package.json; run "npm run bundle")`);
    }
    errors.throwIfAny();
    this.runtime = runtime;
    this.maxHoursBetweenRuns = cron && maxHoursBetweenRuns(cron);
    this.captureUri = props.captureUri;
    this.groundTruthUri = props.groundTruthUri;
    // The one environment contract of the quality job (validates the URIs and settings under this construct's name).
    this.environment = qualityJobEnvironment(spec, { captureUri: props.captureUri, groundTruthUri: props.groundTruthUri, logFormat: 'gcp', quality: quality!, numberToString: tfNumber }, 'QualityJob');
    const env = this.environment;

    const runner = serviceIdentityOf(this, 'ServiceAccount', props.serviceAccount, {
      projectId: props.projectId, accountId: boundedName([spec.name, 'quality'], 30), displayName: `Quality job of model ${spec.name}`,
    });
    this.identity = runner.identity;
    this.serviceAccount = runner.created;
    this.schedulerIdentity = serviceIdentityOf(this, 'SchedulerServiceAccount', props.schedulerServiceAccount, {
      projectId: props.projectId, accountId: boundedName([spec.name, 'quality-sched'], 30), displayName: `Starts the quality job of model ${spec.name}`,
    }).identity;

    // Read-only, on the two folders only; both are listed by hour partition.
    const capture = parseGcsFolder(props.captureUri)!;
    const labels = parseGcsFolder(props.groundTruthUri)!;
    const grants: ITerraformDependable[] = [grantOnFolder(this, 'ReadCapture', capture, 'roles/storage.objectViewer', this.identity.member, { list: true })];
    if (labels.bucket !== capture.bucket || labels.prefix !== capture.prefix) {
      grants.push(grantOnFolder(this, 'ReadGroundTruth', labels, 'roles/storage.objectViewer', this.identity.member, { list: true }));
    }
    const name = boundedName([spec.name, 'quality'], 63);
    this.runnerName = name;
    this.schedulerName = name;
    const parts = createScheduledRunner(this, {
      projectId: props.projectId,
      region: props.region,
      name,
      purpose: `the model-quality job of model ${spec.name}`,
      schedule,
      identity: this.identity,
      schedulerIdentity: this.schedulerIdentity,
      env,
      grants,
      labels: { 'managed-by': 'deploy-ai-smarter', model: spec.name },
      image: props.image,
      function: {
        assetDir: QUALITY_FUNCTION_ASSET_DIR,
        entryPoint: 'qualityJob',
        objectPrefix: `deploy-ai-smarter/${spec.name}-quality-function`,
        sourceBucketName: props.sourceBucketName,
        defaultBucketName: boundedName([props.projectId, spec.name, 'quality-src'], 63),
        memory: props.memory ?? '1Gi',
        timeoutSeconds,
        vpcConnector: props.vpcConnector,
      },
    });
    this.function = parts.function;
    this.job = parts.job;
    this.sourceBucket = parts.sourceBucket;
    this.scheduler = parts.scheduler;
  }
}
