// The scheduled explainability job on GCP (opt-in): a bundled Cloud Functions (gen2) HTTP function
// (lib/runtime/gcp-explain-function) that Cloud Scheduler calls with OIDC; it samples a window of captured requests,
// scores them through the model's Cloud Run service with an identity token (run.invoker on that service only) and
// logs prediction-change importance per feature (LOG_FORMAT=gcp), which ModelAlerting charts.
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function';
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job';
import { checkCronSchedule, DEFAULT_SERVING, explainJobEnvironment, ModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import type { IModelService } from './model-service';
import { bundledAssetDir, isBundled } from './private/function-source';
import { tfNumber } from './private/tf-number';
import { boundedName, checkBucketName, checkProjectId, checkRegion } from './private/gcp-names';
import { GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED, grantOnFolder, parseGcsFolder } from './private/gcs-prefix';
import { serviceIdentityOf } from './private/identities';
import { checkFunctionSettings, createScheduledRunner, MAX_SCHEDULED_FUNCTION_TIMEOUT_SECONDS } from './private/scheduled-runner';
import { IServiceIdentity } from './service-identity';

/** The bundled explain function (`npm run bundle`: assets/gcp-explain-function/{index.js,package.json}). */
export const EXPLAIN_FUNCTION_ASSET_DIR = bundledAssetDir('gcp-explain-function');

/** Daily at 01:45 UTC, on the previous 24 hours of traffic. */
export const DEFAULT_EXPLAIN_SCHEDULE = '45 1 * * *';

export interface ExplainJobProps {
  readonly spec: ModelSpec;
  readonly projectId: string;
  readonly region: string;
  /** gs:// folder above the `YYYY/MM/DD/HH/` capture partitions; read and listed only. */
  readonly captureUri: string;
  /** The model service the job scores through; its identity gets `run.invoker` on it. */
  readonly service: IModelService;
  /** Feature names in request order. @default - `_c0`, `_c1`, ... (or the first JSON request's keys) */
  readonly featureNames?: readonly string[];
  /** Requests sampled per run; each run calls the model `1 + features x 3` times on the sample. @default 200 */
  readonly sample?: number;
  /** Hours of traffic each run samples. @default 24 */
  readonly windowHours?: number;
  /** Cron schedule in UTC. @default '45 1 * * *' */
  readonly schedule?: string;
  /** @default - a new service account `<model>-explain` with no project roles */
  readonly serviceAccount?: IServiceIdentity;
  /** @default - a new service account `<model>-explain-sched` */
  readonly schedulerServiceAccount?: IServiceIdentity;
  /** @default 1800 */
  readonly timeoutSeconds?: number;
  /** @default '1Gi' */
  readonly memory?: string;
  /** @default - a new private bucket `<projectId>-<model>-explain-src` */
  readonly sourceBucketName?: string;
  /**
   * Serverless VPC Access connector for all egress: needed when the service accepts internal traffic only
   * (`network`, or `publicApi`, whose service ingress admits the load balancer and the VPC only).
   * @default - none: the function calls the run.app URL over Google's network
   */
  readonly vpcConnector?: string;
}

/** Scheduled feature importance for one model. */
export class ExplainJob extends Construct {
  readonly function: Cloudfunctions2Function;
  readonly runnerName: string;
  readonly schedulerName: string;
  readonly scheduler: CloudSchedulerJob;
  readonly identity: IServiceIdentity;
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ExplainJobProps) {
    super(scope, id);
    const errors = new ValidationErrors('ExplainJob');
    const spec = resolveModelSpec(props.spec, errors);
    checkProjectId(errors, 'projectId', props.projectId);
    checkRegion(errors, 'region', props.region);
    errors.checkPattern('captureUri', props.captureUri, GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED);
    const schedule = props.schedule ?? DEFAULT_EXPLAIN_SCHEDULE;
    checkCronSchedule(errors, 'schedule', schedule, DEFAULT_EXPLAIN_SCHEDULE);
    const timeoutSeconds = props.timeoutSeconds ?? MAX_SCHEDULED_FUNCTION_TIMEOUT_SECONDS;
    checkFunctionSettings(errors, { timeoutSeconds, memory: props.memory, vpcConnector: props.vpcConnector });
    checkBucketName(errors, 'sourceBucketName', props.sourceBucketName);
    errors.check(!props.service.invokerIamDisabled, 'service', props.service.serviceName,
      'a service that checks run.invoker (with the IAM check off, only the load balancer authenticates, and the job calls the run.app URL)');
    errors.check(isBundled(EXPLAIN_FUNCTION_ASSET_DIR), 'function', undefined, `the bundled function in ${EXPLAIN_FUNCTION_ASSET_DIR} (run "npm run bundle")`);
    errors.throwIfAny();
    this.environment = explainJobEnvironment(spec, {
      captureUri: props.captureUri, logFormat: 'gcp', endpointUrl: props.service.serviceUri, featureNames: props.featureNames, sample: props.sample, windowHours: props.windowHours,
      numberToString: tfNumber, joinList: (separator, list) => Fn.join(separator, list),
    }, 'ExplainJob');
    // The container's prediction route (spec.serving.predictPath), as the batch function calls it.
    this.environment = { ...this.environment, EXPLAIN_PREDICT_PATH: props.service.predictPath ?? DEFAULT_SERVING.predictPath };

    this.identity = serviceIdentityOf(this, 'ServiceAccount', props.serviceAccount, {
      projectId: props.projectId, accountId: boundedName([spec.name, 'explain'], 30), displayName: `Explainability job of model ${spec.name}`,
    }).identity;
    const schedulerIdentity = serviceIdentityOf(this, 'SchedulerServiceAccount', props.schedulerServiceAccount, {
      projectId: props.projectId, accountId: boundedName([spec.name, 'explain-sched'], 30), displayName: `Starts the explainability job of model ${spec.name}`,
    }).identity;
    const grants = [
      grantOnFolder(this, 'ReadCapture', parseGcsFolder(props.captureUri)!, 'roles/storage.objectViewer', this.identity.member, { list: true }),
      props.service.grantInvoke(this.identity.member, `${id}-ExplainInvoker`),
    ];
    const name = boundedName([spec.name, 'explain'], 63);
    this.runnerName = name;
    this.schedulerName = name;
    const parts = createScheduledRunner(this, {
      projectId: props.projectId,
      region: props.region,
      name,
      purpose: `the explainability job of model ${spec.name}`,
      schedule,
      identity: this.identity,
      schedulerIdentity,
      env: this.environment,
      grants,
      labels: { 'managed-by': 'deploy-ai-smarter', model: spec.name },
      function: {
        assetDir: EXPLAIN_FUNCTION_ASSET_DIR,
        entryPoint: 'explainJob',
        objectPrefix: `deploy-ai-smarter/${spec.name}-explain-function`,
        sourceBucketName: props.sourceBucketName,
        defaultBucketName: boundedName([props.projectId, spec.name, 'explain-src'], 63),
        memory: props.memory ?? '1Gi',
        timeoutSeconds,
        vpcConnector: props.vpcConnector,
      },
    });
    this.function = parts.function!;
    this.scheduler = parts.scheduler;
  }
}
