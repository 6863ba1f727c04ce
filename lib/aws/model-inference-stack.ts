// The composed AWS stack: one ModelSpec (plus AWS overrides) becomes an encrypted ingestion bucket, a
// SageMaker endpoint, an authenticated API in front of it and alarms on it, with outputs to find them.
import { CfnOutput, RemovalPolicy, Stack, StackProps, Tags, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { ModelSpec, ResolvedModelSpec, resolveModelSpec } from '../core/model-spec';
import { REVIEW_METADATA_KEY, reviewMetadata } from '../core/review-contract';
import { DriftMonitor, LocalBaseline, S3Baseline } from './drift-monitor';
import { InferenceAlarms, InferenceAlarmsThresholds } from './inference-alarms';
import { InferenceApi, InferenceApiAuthorization, InferenceApiQuota, InferenceApiThrottle } from './inference-api';
import { InferenceDashboard } from './inference-dashboard';
import { IngestionBucket } from './ingestion-bucket';
import { ModelBudget } from './model-budget';
import {
  DEFAULT_DEPLOYMENT_STRATEGY, EndpointAutoScalingOptions, EndpointDeploymentOptions, EndpointVpcOptions, InferenceMode, ModelEndpoint,
  ServerlessInferenceOptions,
} from './model-endpoint';
import { ModelQualityMonitor, ModelQualityProblemType, ModelQualityThresholds } from './model-quality-monitor';
import { PortableDriftJob } from './portable-drift-job';
import { LambdaModel, LambdaModelStackOptions } from './lambda-model'; // (aws-serving)
import { buildLambdaModelStack, checkLambdaProps } from './private/lambda-model-stack'; // (aws-serving)

/** Monitoring beyond the serving alarms: drift, dashboard and safe deployments. */
export interface ModelInferenceStackMonitoringOptions {
  /**
   * SageMaker Model Monitor data-quality job (hourly) comparing captured requests with `baseline`, with an
   * alarm per `spec.monitoring.driftFeatures` entry and a job-health alarm. Needs data capture.
   * @default true with data capture, unless `portableDriftJob` replaces it
   */
  readonly drift?: boolean;
  /**
   * Model Monitor schedule, in the cron shapes SageMaker accepts (UTC).
   * @default 'cron(0 * ? * * *)' (hourly)
   */
  readonly driftSchedule?: string;
  /**
   * A CloudWatch dashboard with traffic, latency, errors, utilization, drift and every alarm.
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * Blue/green updates of the endpoint with automatic rollback on the endpoint 5xx and model latency alarms,
   * or `false` for SageMaker's default update (all at once, no rollback).
   * @default - canary: 10% of capacity first, 10 minutes of baking, old fleet kept 5 minutes
   */
  readonly deployment?: Omit<EndpointDeploymentOptions, 'rollbackAlarms'> | false;
  /**
   * Thresholds of the endpoint alarms the spec does not set: 4xx rate, SageMaker overhead latency, and
   * CPU, memory, disk, GPU and GPU memory utilization (realtime and async; CPU and GPU scaled to the instance).
   * @default - 10% 4xx, 200 ms overhead p99, 90% utilization each
   */
  readonly alarmThresholds?: InferenceAlarmsThresholds;
  /**
   * HTTPS URLs subscribed to the alarm topic besides `spec.monitoring.alarmEmails` (incident tools, chat webhooks).
   * @default - none
   */
  readonly alarmHttpsEndpoints?: readonly string[];
}

/** Model quality monitoring: captured predictions joined with ground-truth labels you upload. */
export interface ModelInferenceStackModelQualityOptions {
  /** What the model predicts. */
  readonly problemType: ModelQualityProblemType;
  /**
   * Key prefix in the ingestion bucket where you upload ground-truth labels (Model Monitor merge format).
   * @default 'ground-truth/'
   */
  readonly groundTruthPrefix?: string;
  /**
   * Lowest acceptable accuracy / precision / recall (0..1); each one set gets an alarm.
   * @default - no quality alarms (reports only)
   */
  readonly thresholds?: ModelQualityThresholds;
  /** @default - the whole captured output is the prediction */
  readonly inferenceAttribute?: string;
  /** @default - none */
  readonly probabilityAttribute?: string;
  /** @default - none */
  readonly probabilityThreshold?: number;
  /** @default - no baseline constraints */
  readonly constraintsUri?: string;
  /** @default 'cron(0 * ? * * *)' (hourly) */
  readonly schedule?: string;
}

/** The portable drift job (lib/runtime/drift) as an hourly Lambda instead of, or next to, Model Monitor. */
export interface ModelInferenceStackPortableDriftJobOptions {
  /** @default events.Schedule.cron({ minute: '15' }) (hourly, a quarter past) */
  readonly schedule?: events.Schedule;
  /** @default 1 */
  readonly windowHours?: number;
  /** @default 1024 */
  readonly memorySize?: number;
}

/** Async inference settings of the stack; results go to the ingestion bucket. */
export interface ModelInferenceStackAsyncOptions {
  /**
   * Key prefix the API writes requests under, and the only one the endpoint reads.
   * @default 'async-input/'
   */
  readonly inputPrefix?: string;
  /**
   * Key prefix of results.
   * @default 'async-output/'
   */
  readonly outputPrefix?: string;
  /**
   * Key prefix of failure reports.
   * @default 'async-failures/'
   */
  readonly failurePrefix?: string;
  /**
   * Requests SageMaker sends to one instance at a time (1-1000).
   * @default - chosen by SageMaker
   */
  readonly maxConcurrentInvocationsPerInstance?: number;
}

export interface ModelInferenceStackProps extends StackProps {
  /** What to serve: name, image, artifact, compute, scaling and monitoring thresholds. */
  readonly spec: ModelSpec;
  /**
   * SageMaker instance type, overriding `spec.compute`: any real-time hosting type (`ml.g6.xlarge`, `ml.inf2.xlarge`,
   * `ml.r7i.large`...), not only the compute classes' machines. Checked by the endpoint (misspellings get the nearest types).
   * @default - the spec's compute class (ml.m5.xlarge by default)
   */
  readonly instanceType?: string;
  /**
   * Real-time instances, serverless (CPU only, scales to zero) or async (queued, S3 in and out).
   * @default 'realtime'
   */
  readonly mode?: InferenceMode | 'lambda'; // (aws-serving) 'lambda': a LambdaModel behind the API, see lambda
  /** Mode 'lambda': the function's image, memory, timeout, storage and concurrency. @default - see LambdaModelProps */ // (aws-serving)
  readonly lambda?: LambdaModelStackOptions; // (aws-serving)
  /** @default - 2048 MB, 20 concurrent invocations (serverless mode only) */
  readonly serverless?: ServerlessInferenceOptions;
  /** @default - the default prefixes (async mode only) */
  readonly async?: ModelInferenceStackAsyncOptions;
  /**
   * Overrides of the endpoint's auto scaling (`false` for none).
   * @default - bounds and target from spec.scaling
   */
  readonly autoScaling?: EndpointAutoScalingOptions | false;
  /**
   * How API callers authenticate.
   * @default 'iam'
   */
  readonly authorization?: InferenceApiAuthorization;
  /**
   * API stage throttling.
   * @default - 50 requests per second, bursts of 100
   */
  readonly throttle?: InferenceApiThrottle;
  /**
   * Quota per API key (`authorization: 'apiKey'` only).
   * @default - none
   */
  readonly quota?: InferenceApiQuota;
  /**
   * ARN of a regional WAFv2 web ACL for the API stage.
   * @default - none
   */
  readonly webAclArn?: string;
  /**
   * Set up the region's API Gateway logging role (turn off when the account already has one).
   * @default true
   */
  readonly apiCloudWatchRole?: boolean;
  /**
   * Capture requests and responses to the ingestion bucket (`data-capture/`). Not available in serverless mode.
   * @default true for realtime and async, false for serverless
   */
  readonly dataCapture?: boolean;
  /**
   * Share of requests captured, in percent (1-100).
   * @default 100
   */
  readonly dataCaptureSamplingPercentage?: number;
  /**
   * Run objects uploaded under `incoming/` in the ingestion bucket through the endpoint, writing
   * `predictions/` (dead-letter queue for failures). Needs a synchronous endpoint.
   * @default true, except in async mode
   */
  readonly batchInference?: boolean;
  /**
   * Run the model in your VPC (realtime and async only).
   * @default - no VPC
   */
  readonly vpc?: EndpointVpcOptions;
  /**
   * Block all network access from the model container (SageMaker still fetches the image and model data). Turn it
   * off for a container that downloads weights or calls AWS APIs at start-up. Always off in serverless mode.
   * @default true (false in serverless mode)
   */
  readonly networkIsolation?: boolean;
  /**
   * What happens to the data key and the ingestion buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Drift monitoring, dashboard and safe deployments. All on by default when `spec.monitoring.enabled`
   * (the default); set `spec.monitoring.enabled: false` to turn every alarm and monitor off.
   * @default - see ModelInferenceStackMonitoringOptions
   */
  readonly monitoring?: ModelInferenceStackMonitoringOptions;
  /**
   * Training baseline the drift monitors compare traffic with (`statistics.json` and `constraints.json`, as
   * written by `deploy-ai-smarter baseline <training data>`).
   * @default - `s3://<ingestion bucket>/baseline/statistics.json` and `.../constraints.json`: upload them after the first deploy
   */
  readonly baseline?: S3Baseline | LocalBaseline;
  /**
   * Model quality monitoring against ground-truth labels. Needs data capture (responses).
   * @default - none
   */
  readonly modelQuality?: ModelInferenceStackModelQualityOptions;
  /**
   * Run the portable drift job as an hourly Lambda (metrics `DeployAiSmarter/Drift`), for accounts without
   * SageMaker Model Monitor. It replaces the Model Monitor job unless `monitoring.drift` is set to true.
   * Needs data capture and an S3 baseline folder.
   * @default false (Model Monitor runs)
   */
  readonly portableDriftJob?: boolean | ModelInferenceStackPortableDriftJobOptions;
  /**
   * Which costs the `spec.monthlyBudgetUsd` budget counts: `tag` counts resources tagged
   * `deploy-ai-smarter:model=<name>` (activate that cost allocation tag once per account, or the budget reads $0);
   * `account` counts the whole account.
   * @default 'tag'
   */
  readonly budgetScope?: 'tag' | 'account';
}

const MODES: readonly InferenceMode[] = ['realtime', 'serverless', 'async'];
/** SageMaker serverless endpoints accept payloads up to 4 MB. */
const SERVERLESS_MAX_BODY_BYTES = 4_000_000;

/**
 * A production inference stack for one model: ingestion bucket (KMS, versioned, access-logged,
 * batch inference), SageMaker endpoint (autoscaled, data capture), authenticated REST API and alarms.
 */
export class ModelInferenceStack extends Stack {
  /** Customer-managed key (rotated) of the bucket, captured data, async results and API logs. */
  public readonly dataKey: kms.IKey;
  public readonly ingestion!: IngestionBucket; // (aws-serving) not in mode 'lambda' (reading it throws)
  public readonly endpoint!: ModelEndpoint; // (aws-serving) not in mode 'lambda' (reading it throws)
  /** The Lambda-hosted model, in mode 'lambda'. */ // (aws-serving)
  public readonly lambdaModel?: LambdaModel; // (aws-serving)
  public readonly api: InferenceApi;
  /** Alarms, unless `spec.monitoring.enabled` is false. */
  public readonly alarms?: InferenceAlarms;
  /** Model Monitor data-quality job and its drift alarms, when on. */
  public readonly driftMonitor?: DriftMonitor;
  /** The portable drift job, when `portableDriftJob` is set. */
  public readonly portableDriftJob?: PortableDriftJob;
  /** Model Monitor model-quality job, when `modelQuality` is set. */
  public readonly modelQualityMonitor?: ModelQualityMonitor;
  /** The dashboard, unless monitoring or `monitoring.dashboard` is off. */
  public readonly dashboard?: InferenceDashboard;
  /** The monthly budget, when `spec.monthlyBudgetUsd` is set. */
  public readonly budget?: ModelBudget;

  constructor(scope: Construct, id: string, props: ModelInferenceStackProps) {
    super(scope, id, props);
    if (props.mode === 'lambda' || !checkLambdaProps(props)) { // (aws-serving) built by private/lambda-model-stack.ts
      const built = buildLambdaModelStack(this, props); // (aws-serving)
      [this.dataKey, this.api] = [built.dataKey, built.api]; // (aws-serving)
      Object.assign(this, { lambdaModel: built.lambdaModel, budget: built.budget }); // (aws-serving)
      return; // (aws-serving)
    } // (aws-serving)

    const errors = new ValidationErrors('ModelInferenceStack');
    const spec = resolveModelSpec(props.spec, errors, 'spec');
    const mode = props.mode ?? 'realtime';
    // The instance type (and whether the mode can serve it) is the endpoint's to check.
    const modeOk = errors.checkOneOf('mode', mode, MODES);
    const dataCapture = props.dataCapture ?? mode !== 'serverless';
    if (modeOk && mode === 'serverless') {
      errors.check(!dataCapture, 'dataCapture', dataCapture, "false in serverless mode (SageMaker captures no data for serverless endpoints); use mode 'realtime'");
    }
    errors.checkNumber('dataCaptureSamplingPercentage', props.dataCaptureSamplingPercentage, { min: 1, max: 100, integer: true });
    const batchInference = props.batchInference ?? mode !== 'async';
    if (modeOk && mode === 'async') {
      errors.check(!batchInference, 'batchInference', batchInference, "false in async mode (batch inference calls the endpoint synchronously); upload to the async input prefix instead");
    }
    const monitoring = props.monitoring ?? {};
    const monitoringOn = spec.monitoring.enabled;
    const offReason = 'nothing: spec.monitoring.enabled is false, which turns every monitor off';
    const captureReason = (what: string) => `false or unset: ${what} reads captured data, and data capture is off (dataCapture false, or serverless mode)`;
    const portable = props.portableDriftJob === true ? {} : props.portableDriftJob || undefined;
    const drift = monitoring.drift ?? (dataCapture && portable === undefined);
    if (!monitoringOn) {
      for (const [prop, value] of [['monitoring', props.monitoring], ['modelQuality', props.modelQuality], ['portableDriftJob', props.portableDriftJob || undefined]] as const) {
        errors.check(value === undefined, prop, value, offReason);
      }
    } else {
      if (monitoring.drift) errors.check(dataCapture, 'monitoring.drift', true, captureReason('the drift monitor'));
      if (portable) errors.check(dataCapture, 'portableDriftJob', props.portableDriftJob, captureReason('the portable drift job'));
      if (props.modelQuality) errors.check(dataCapture, 'modelQuality', props.modelQuality.problemType, captureReason('model quality monitoring'));
    }
    const baselineFolder = portable && monitoringOn ? portableBaselineFolder(props.baseline, errors) : undefined;
    if (spec.monthlyBudgetUsd !== undefined) {
      errors.checkOneOf('budgetScope', props.budgetScope, ['tag', 'account']);
      errors.check(monitoringOn || spec.monitoring.alarmEmails.length > 0, 'spec.monthlyBudgetUsd', spec.monthlyBudgetUsd,
        'monitoring on (the budget notifies the alarm topic) or spec.monitoring.alarmEmails to notify');
    }
    errors.throwIfAny();

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.dataKey = new kms.Key(this, 'DataKey', {
      description: `Encrypts the data of model ${spec.name}: ingestion bucket, captured data, async results, API logs`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // The endpoint captures data to the bucket, and the bucket's batch inference calls the endpoint:
    // bucket first, endpoint next, then batch inference.
    this.ingestion = new IngestionBucket(this, 'Ingestion', { encryptionKey: this.dataKey, removalPolicy });

    const asyncInputPrefix = props.async?.inputPrefix ?? 'async-input/';
    this.endpoint = new ModelEndpoint(this, 'Endpoint', {
      // Resolved once here; the endpoint uses it as it is.
      spec,
      instanceType: props.instanceType,
      mode,
      serverless: props.serverless,
      async: mode === 'async'
        ? {
          outputBucket: this.ingestion.bucket,
          inputPrefix: asyncInputPrefix,
          outputPrefix: props.async?.outputPrefix,
          failurePrefix: props.async?.failurePrefix,
          maxConcurrentInvocationsPerInstance: props.async?.maxConcurrentInvocationsPerInstance,
        }
        : undefined,
      encryptionKey: this.dataKey,
      autoScaling: props.autoScaling,
      dataCapture: dataCapture
        ? { bucket: this.ingestion.bucket, prefix: 'data-capture/', samplingPercentage: props.dataCaptureSamplingPercentage ?? 100 }
        : undefined,
      vpc: props.vpc,
      networkIsolation: props.networkIsolation,
      // Rollback alarms are added below, once the alarms exist.
      deployment: monitoringOn && monitoring.deployment !== false
        ? { strategy: DEFAULT_DEPLOYMENT_STRATEGY, ...monitoring.deployment }
        : undefined,
    });
    if (batchInference) this.ingestion.addBatchInference({ endpoint: this.endpoint });

    this.api = new InferenceApi(this, 'Api', {
      endpoint: this.endpoint,
      apiName: `${spec.name}-inference`,
      authorization: props.authorization,
      throttle: props.throttle,
      quota: props.quota,
      webAclArn: props.webAclArn,
      cloudWatchRole: props.apiCloudWatchRole,
      encryptionKey: this.dataKey,
      maxBodyBytes: mode === 'serverless' ? SERVERLESS_MAX_BODY_BYTES : undefined,
      asyncInput: mode === 'async' ? { bucket: this.ingestion.bucket, prefix: asyncInputPrefix } : undefined,
    });

    if (spec.monitoring.enabled) {
      this.alarms = new InferenceAlarms(this, 'Alarms', {
        // The spec sets the error rate and model latency; vCPUs and GPUs come from the endpoint's variants.
        ...monitoring.alarmThresholds,
        endpoint: this.endpoint,
        api: this.api,
        // The spec's latency, error rate and emails come with the endpoint.
        httpsEndpoints: monitoring.alarmHttpsEndpoints,
      });
      if (this.ingestion.batchFunction) {
        this.alarms.addAlarm('batchErrors', new cloudwatch.Alarm(this.alarms, 'BatchErrors', {
          alarmDescription: 'The batch inference function crashed or timed out',
          metric: this.ingestion.batchFunction.metricErrors({ statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }));
      }
      if (this.ingestion.batchDeadLetterQueue) {
        // An event in the dead-letter queue is an input that was never scored.
        this.alarms.addAlarm('batchDeadLetters', new cloudwatch.Alarm(this.alarms, 'BatchDeadLetters', {
          alarmDescription: 'Batch inference events reached the dead-letter queue: inputs that were not scored',
          metric: this.ingestion.batchDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }));
      }
    }

    if (this.alarms) {
      // Both watch the endpoint by its fixed name, so they can roll back its own updates.
      if (monitoring.deployment !== false) this.endpoint.addRollbackAlarm(...this.alarms.rollbackAlarms());
      this.addMonitors(props, spec, monitoring, { drift, portable, baselineFolder });
    }

    const tagKey = 'deploy-ai-smarter:model';
    Tags.of(this).add(tagKey, spec.name);

    if (spec.monthlyBudgetUsd !== undefined) {
      const scope = props.budgetScope ?? 'tag';
      this.budget = new ModelBudget(this, 'Budget', {
        limitUsd: spec.monthlyBudgetUsd,
        namePrefix: spec.name,
        scope: scope === 'tag' ? { type: 'tag', tagKey, tagValue: spec.name } : { type: 'account' },
        // The topic already emails spec.monitoring.alarmEmails; direct emails only when there is no topic.
        topic: this.alarms?.topic,
        emails: this.alarms ? undefined : spec.monitoring.alarmEmails,
      });
      new CfnOutput(this, 'BudgetName', {
        value: this.budget.budgetName,
        description: scope === 'tag'
          ? `Counts costs tagged ${tagKey}=${spec.name}: activate the cost allocation tag once (aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=${tagKey},Status=Active), or the budget reads $0`
          : 'Counts every cost of the account',
      });
    }

    // What the review (npm run review) prices and explains without running the app again.
    this.addMetadata(REVIEW_METADATA_KEY, reviewMetadata(props.spec, 'aws', {
      mode: this.endpoint.mode,
      ...(this.endpoint.serverlessMemoryMb !== undefined ? { serverlessMemoryMb: this.endpoint.serverlessMemoryMb } : {}),
      // A type given as a token is priced as the spec's class (the review has no parameter values).
      ...(this.endpoint.instanceType !== undefined && !Token.isUnresolved(this.endpoint.instanceType) ? { instanceType: this.endpoint.instanceType } : {}),
      functionMemoryMb: (this.api.handler.node.defaultChild as lambda.CfnFunction).memorySize,
      // The scheduled jobs on their runners: Model Monitor processing and/or the portable job on Lambda.
      jobs: [
        ...(this.driftMonitor ? [{ item: 'Hourly drift job (SageMaker Model Monitor)', runner: 'sagemaker-processing' as const, minutesPerRun: 10 }] : []),
        ...(this.portableDriftJob ? [{ item: 'Hourly drift job (portable, Lambda)', runner: 'aws-lambda' as const, minutesPerRun: 10, memoryGb: ((this.portableDriftJob.function.node.defaultChild as lambda.CfnFunction).memorySize ?? 1024) / 1024 }] : []),
      ],
      alarmCount: this.node.findAll().filter((c) => c instanceof cloudwatch.Alarm).length,
      keyCount: this.node.findAll().filter((c) => c instanceof kms.Key).length,
    }));


    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: `POST inference requests here (${this.api.authorization === 'iam' ? 'SigV4-signed' : 'x-api-key header'})` });
    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName, description: 'SageMaker endpoint name' });
    new CfnOutput(this, 'IngestionBucketName', { value: this.ingestion.bucket.bucketName, description: 'Bucket for inputs, captured data and results' });
    if (this.dashboard) {
      new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName, description: 'CloudWatch dashboard of the model' });
    }
    if (this.alarms) {
      new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Subscribe to get every alarm' });
    }
    if (this.api.apiKey) {
      new CfnOutput(this, 'ApiKeyId', { value: this.api.apiKey.keyId, description: 'Read the key with: aws apigateway get-api-key --include-value --api-key <id>' });
    }
  }

  /** Drift (Model Monitor and/or the portable job), model quality and the dashboard, all notifying the alarm topic. */
  private addMonitors(
    props: ModelInferenceStackProps,
    spec: ResolvedModelSpec,
    monitoring: ModelInferenceStackMonitoringOptions,
    plan: { drift: boolean; portable?: ModelInferenceStackPortableDriftJobOptions; baselineFolder?: string },
  ): void {
    const alarms = this.alarms!;
    const bucket = this.ingestion.bucket;
    const monitors: { alarms: readonly cloudwatch.IAlarm[] }[] = [];
    const driftMetrics: Record<string, cloudwatch.IMetric> = {};

    if (plan.drift) {
      const drift = new DriftMonitor(this, 'Drift', {
        endpoint: this.endpoint,
        captureBucket: bucket,
        capturePrefix: CAPTURE_PREFIX,
        encryptionKey: this.dataKey,
        baseline: props.baseline ?? {
          statisticsUri: `s3://${bucket.bucketName}/${BASELINE_PREFIX}statistics.json`,
          constraintsUri: `s3://${bucket.bucketName}/${BASELINE_PREFIX}constraints.json`,
        },
        features: spec.monitoring.driftFeatures,
        driftThreshold: spec.monitoring.driftThreshold,
        schedule: monitoring.driftSchedule,
        // The monitor adds the topic to its own alarms (not alarms.addAlarm as well: one notification each).
        alarmTopic: alarms.topic,
      });
      // SageMaker validates the schedule against a running endpoint.
      drift.node.addDependency(this.endpoint);
      spec.monitoring.driftFeatures.forEach((f) => { driftMetrics[f] = drift.metricFeatureDrift(f, { label: f }); });
      (this as { driftMonitor?: DriftMonitor }).driftMonitor = drift;
      monitors.push(drift);
    }

    if (plan.portable && plan.baselineFolder !== undefined) {
      const job = new PortableDriftJob(this, 'PortableDrift', {
        spec: props.spec,
        captureBucket: bucket,
        // SageMaker writes captures under <prefix><endpoint name>/<variant>/YYYY/MM/DD/HH/.
        capturePrefix: `${CAPTURE_PREFIX}${this.endpoint.physicalEndpointName}/${this.endpoint.variantName}/`,
        baselineBucket: bucket,
        baselinePrefix: plan.baselineFolder,
        encryptionKey: this.dataKey,
        schedule: plan.portable.schedule,
        windowHours: plan.portable.windowHours,
        memorySize: plan.portable.memorySize,
        alarmTopic: alarms.topic,
      });
      if (!plan.drift) spec.monitoring.driftFeatures.forEach((f) => { driftMetrics[f] = job.metricFeatureDrift(f, { label: f }); });
      (this as { portableDriftJob?: PortableDriftJob }).portableDriftJob = job;
      monitors.push(job);
    }

    if (props.modelQuality) {
      const q = props.modelQuality;
      const quality = new ModelQualityMonitor(this, 'ModelQuality', {
        endpoint: this.endpoint,
        captureBucket: bucket,
        capturePrefix: CAPTURE_PREFIX,
        groundTruthBucket: bucket,
        groundTruthPrefix: q.groundTruthPrefix ?? 'ground-truth/',
        problemType: q.problemType,
        thresholds: q.thresholds,
        inferenceAttribute: q.inferenceAttribute,
        probabilityAttribute: q.probabilityAttribute,
        probabilityThreshold: q.probabilityThreshold,
        constraintsUri: q.constraintsUri,
        schedule: q.schedule,
        encryptionKey: this.dataKey,
        alarmTopic: alarms.topic,
      });
      quality.node.addDependency(this.endpoint);
      (this as { modelQualityMonitor?: ModelQualityMonitor }).modelQualityMonitor = quality;
      monitors.push(quality);
    }

    if (monitoring.dashboard !== false) {
      const handler = this.api.handler;
      (this as { dashboard?: InferenceDashboard }).dashboard = new InferenceDashboard(this, 'Dashboard', {
        endpoint: this.endpoint,
        apiMetrics: {
          count: this.api.metricCount(),
          latency: this.api.metricLatency({ label: 'API latency p99 (ms)' }),
          serverErrors: this.api.metricServerError({ label: 'API 5XX' }),
          clientErrors: this.api.metricClientError({ label: 'API 4XX' }),
        },
        handlerMetrics: {
          errors: handler.metricErrors({ label: 'Handler errors' }),
          throttles: handler.metricThrottles({ label: 'Handler throttles' }),
          duration: handler.metricDuration({ statistic: 'p99', label: 'Handler duration p99 (ms)' }),
        },
        driftMetrics: Object.keys(driftMetrics).length > 0 ? driftMetrics : undefined,
        driftThreshold: Object.keys(driftMetrics).length > 0 ? spec.monitoring.driftThreshold : undefined,
        alarms: [...alarms.allAlarms, ...monitors.flatMap((m) => m.alarms)],
      });
    }
  }
}

/** Key prefix of data capture in the ingestion bucket. */
const CAPTURE_PREFIX = 'data-capture/';
/** Key prefix of the default baseline in the ingestion bucket (the GCP and Azure stacks use the same folder). */
const BASELINE_PREFIX = 'baseline/';

/**
 * The portable job reads a baseline folder (both files under their standard names), which is the default
 * `baseline/` folder of the ingestion bucket; a `baseline` prop (files anywhere) is for Model Monitor only.
 */
function portableBaselineFolder(baseline: S3Baseline | LocalBaseline | undefined, errors: ValidationErrors): string | undefined {
  if (baseline === undefined) return BASELINE_PREFIX;
  errors.add('baseline', baseline, 'no baseline prop with portableDriftJob: the portable job reads statistics.json and constraints.json from s3://<ingestion bucket>/baseline/');
  return undefined;
}
