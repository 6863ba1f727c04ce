// The props of ModelInferenceStack: what to serve, how to serve it, and how to watch it.
import { RemovalPolicy, StackProps } from 'aws-cdk-lib';
import type { LambdaModelStackOptions } from './lambda-model';
import * as events from 'aws-cdk-lib/aws-events';
import { LocalBaseline, S3Baseline } from './drift-monitor';
import { InferenceAlarmsThresholds } from './inference-alarms';
import { InferenceApiAuthorization, InferenceApiQuota, InferenceApiThrottle } from './inference-api';
import {
  EndpointAutoScalingOptions, EndpointDeploymentOptions, EndpointVpcOptions, InferenceMode, ServerlessInferenceOptions,
} from './model-endpoint';
import { ModelQualityProblemType, ModelQualityThresholds } from './model-quality-monitor';
import { ModelSpec } from '../core/model-spec';

/**
 * What runs a monitoring job: `portable` is the library's own job on Lambda (lib/runtime, the same code on every cloud);
 * `model-monitor` is SageMaker Model Monitor, which AWS closed to new customers on 2026-07-30 ("we have made the
 * decision to close new customer access to Amazon SageMaker Model Monitor, effective 7/30/26",
 * https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-cloudwatch.html, read 2026-12-05), so it is only
 * for accounts that already use it.
 */
export type MonitoringEngine = 'portable' | 'model-monitor';
export const MONITORING_ENGINES: readonly MonitoringEngine[] = ['portable', 'model-monitor'];

/** Monitoring beyond the serving alarms: drift, model quality, dashboard, retraining signal and safe deployments. */
export interface ModelInferenceStackMonitoringOptions {
  /**
   * Hourly drift check of captured requests against the training baseline, with alarms on its verdicts (per
   * `spec.monitoring.driftFeatures` entry, the dataset, constraint violations) and a job-health alarm. Needs data capture.
   * @default true with data capture
   */
  readonly drift?: boolean;
  /**
   * What runs the drift check: the portable job on Lambda (`PortableDriftJob`, reads `s3://<bucket>/baseline/`), or
   * SageMaker Model Monitor (`DriftMonitor`, for accounts that already use it; takes `baseline` and `driftSchedule`).
   * @default 'portable'
   */
  readonly driftEngine?: MonitoringEngine;
  /**
   * Model Monitor schedule, in the cron shapes SageMaker accepts (UTC). `driftEngine: 'model-monitor'` only; the
   * portable job takes `portableDriftJob.schedule`.
   * @default 'cron(0 * ? * * *)' (hourly)
   */
  readonly driftSchedule?: string;
  /**
   * What runs the model-quality check: the portable job on Lambda (`PortableQualityJob`, from `spec.monitoring.quality`),
   * or SageMaker Model Monitor (`ModelQualityMonitor`, from the `modelQuality` prop, for accounts that already use it).
   * @default - 'model-monitor' when `modelQuality` is given, else 'portable'
   */
  readonly qualityEngine?: MonitoringEngine;
  /**
   * Publish one `Retraining Signal` event (lib/core/retraining-event.ts) on EventBridge when a drift or quality alarm
   * goes to ALARM, on the default bus or the one given.
   * @default true when a drift or quality monitor runs (default event bus)
   */
  readonly retrainingSignal?: boolean | ModelInferenceStackRetrainingOptions;
  /**
   * A daily explainability job (`PortableExplainJob`): feature importance of a sample of captured requests, scored
   * through the endpoint, on the dashboard (`DeployAiSmarter/Explainability`). Its calls are captured too (inference id
   * `deploy-ai-smarter-explain-<n>`), and the drift and quality jobs leave them out. Needs data capture and a
   * realtime or serverless endpoint.
   * @default false
   */
  readonly explain?: boolean | ModelInferenceStackExplainOptions;
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

/** Settings of the portable drift job (lib/runtime/drift), the default drift engine. */
export interface ModelInferenceStackPortableDriftJobOptions {
  /** @default events.Schedule.cron({ minute: '15' }) (hourly, a quarter past) */
  readonly schedule?: events.Schedule;
  /** @default 1 */
  readonly windowHours?: number;
  /** @default 2048 (PORTABLE_DRIFT_DEFAULT_MEMORY_MB: one full vCPU, sized for a day of capture) */
  readonly memorySize?: number;
}

/** Settings of the explainability job. */
export interface ModelInferenceStackExplainOptions {
  /** Feature names in request order. @default - `_c0`, `_c1`, ... (or the keys of JSON requests) */
  readonly featureNames?: readonly string[];
  /** Requests sampled per run. @default 200 */
  readonly sample?: number;
  /** @default events.Schedule.cron({ minute: '45', hour: '0' }) (daily) */
  readonly schedule?: events.Schedule;
}

/** Where the retraining signal goes. */
export interface ModelInferenceStackRetrainingOptions {
  /** @default - the account's default event bus */
  readonly eventBus?: events.IEventBus;
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
  readonly mode?: InferenceMode | 'lambda'; // 'lambda': a LambdaModel behind the API, see lambda
  /** Mode 'lambda': the function's image, memory, timeout, storage and concurrency. @default - see LambdaModelProps */
  readonly lambda?: LambdaModelStackOptions;
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
   * Training baseline Model Monitor (`driftEngine: 'model-monitor'`) compares traffic with (`statistics.json` and
   * `constraints.json`, as written by `deploy-ai-smarter baseline <training data>`). The portable job always reads
   * the `baseline/` folder of the ingestion bucket.
   * @default - `s3://<ingestion bucket>/baseline/statistics.json` and `.../constraints.json`: upload them after the first deploy
   */
  readonly baseline?: S3Baseline | LocalBaseline;
  /**
   * SageMaker Model Monitor model-quality job (`monitoring.qualityEngine: 'model-monitor'`, for accounts that already
   * use Model Monitor). Needs data capture. The portable quality job reads `spec.monitoring.quality` instead.
   * @default - none
   */
  readonly modelQuality?: ModelInferenceStackModelQualityOptions;
  /**
   * Settings of the portable drift job (the default drift engine; metrics `DeployAiSmarter/Drift`); `true` means the
   * defaults. It reads the baseline folder `s3://<ingestion bucket>/baseline/`.
   * @default - the defaults of ModelInferenceStackPortableDriftJobOptions
   */
  readonly portableDriftJob?: boolean | ModelInferenceStackPortableDriftJobOptions;
  /**
   * Key prefix in the ingestion bucket where ground-truth labels are uploaded (`YYYY/MM/DD/HH/` below it), for the
   * portable quality job.
   * @default 'ground-truth/'
   */
  readonly groundTruthPrefix?: string;
  /**
   * Which costs the `spec.monthlyBudgetUsd` budget counts: `tag` counts resources tagged
   * `deploy-ai-smarter:model=<name>` (activate that cost allocation tag once per account, or the budget reads $0);
   * `account` counts the whole account.
   * @default 'tag'
   */
  readonly budgetScope?: 'tag' | 'account';
}
