// CloudWatch alarms on a model's serving path (endpoint errors, latency and instance utilization, API 5xx, handler
// failures), all notifying one encrypted SNS topic that later monitoring (drift, rollback) adds its alarms to.
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ComputeClass } from '../core/compute-catalog';
import { ValidationError, ValidationErrors, formatProblem } from '../core/errors';
import { SPEC_DEFAULTS } from '../core/model-spec';
import { InferenceApi } from './inference-api';
import { IInferenceEndpoint } from './inference-endpoint';
import { EndpointBase } from './private/endpoint-base';

/** Serving mode of the watched endpoint; async endpoints publish a different set of metrics. */
export type InferenceAlarmsEndpointMode = 'realtime' | 'serverless' | 'async';

/** What the utilization thresholds are scaled by: SageMaker sums CPU and GPU utilization over the instance's units. */
export interface InferenceAlarmsInstanceShape {
  /** vCPUs per instance (`CPUUtilization` ranges from 0 to 100 x vcpu). */
  readonly vcpu: number;
  /**
   * GPUs per instance (`GPUUtilization` and `GPUMemoryUtilization` range from 0 to 100 x gpuCount).
   * @default 0 (no GPU alarms)
   */
  readonly gpuCount?: number;
}

/**
 * Thresholds of the endpoint alarms beyond the error rate and model latency: client errors, SageMaker overhead
 * and instance utilization. Utilization percentages are of the whole instance (0-100), whatever its size.
 */
export interface InferenceAlarmsThresholds {
  /**
   * Share of requests the model answered 4xx, in percent, above which the endpoint 4xx alarm fires.
   * A steady stream of 4xx usually means a client sends malformed payloads or a schema changed.
   * @default 10
   */
  readonly clientErrorRatePercent?: number;
  /**
   * p99 of the time SageMaker adds on top of the model (`OverheadLatency`) above which its alarm fires.
   * @default Duration.millis(200)
   */
  readonly overheadLatencyP99Threshold?: Duration;
  /**
   * Average CPU use of the instances, in percent of all their vCPUs, above which the CPU alarm fires
   * (the alarm threshold is this times the vCPU count, as SageMaker sums the cores).
   * @default 90
   */
  readonly cpuUtilizationPercent?: number;
  /**
   * Memory use of the instances, in percent, above which the memory alarm fires.
   * @default 90
   */
  readonly memoryUtilizationPercent?: number;
  /**
   * Disk use of the instances, in percent, above which the disk alarm fires.
   * @default 90
   */
  readonly diskUtilizationPercent?: number;
  /**
   * GPU use of the instances, in percent of all their GPUs, above which the GPU alarm fires (GPU instances only;
   * the alarm threshold is this times the GPU count).
   * @default 90
   */
  readonly gpuUtilizationPercent?: number;
  /**
   * GPU memory use of the instances, in percent of all their GPUs' memory, above which the GPU memory alarm fires
   * (GPU instances only; the alarm threshold is this times the GPU count).
   * @default 90
   */
  readonly gpuMemoryUtilizationPercent?: number;
}

export interface InferenceAlarmsProps extends InferenceAlarmsThresholds {
  /** The endpoint to watch. */
  readonly endpoint: IInferenceEndpoint;
  /**
   * How the endpoint serves; `async` adds an alarm on failed async invocations.
   * @default - the endpoint's `mode` when it has one (ModelEndpoint does), else 'realtime'
   */
  readonly endpointMode?: InferenceAlarmsEndpointMode;
  /**
   * vCPUs and GPUs of one instance, for the CPU and GPU utilization alarms (realtime and async endpoints only:
   * serverless endpoints publish no instance metrics).
   * @default - the endpoint's `computeClass` when it has one (ModelEndpoint does); without it, no CPU or GPU alarms
   */
  readonly instanceShape?: InferenceAlarmsInstanceShape;
  /**
   * The API in front of the endpoint: adds an API 5xx alarm, and handler alarms for its Lambda.
   * @default - no API alarms
   */
  readonly api?: InferenceApi;
  /**
   * A Lambda function on the serving path to alarm on (errors and throttles).
   * @default - the API's handler when `api` is given, else none
   */
  readonly handler?: lambda.IFunction;
  /**
   * Topic every alarm notifies (alarm and OK).
   * @default - a new topic encrypted with a new customer-managed KMS key, TLS-only
   */
  readonly topic?: sns.ITopic;
  /**
   * Addresses subscribed to the topic by email.
   * @default - none
   */
  readonly emails?: readonly string[];
  /**
   * HTTPS URLs subscribed to the topic (an incident tool's webhook, a chat integration). The endpoint must
   * confirm the subscription; SNS delivers only over TLS to these URLs.
   * @default - none
   */
  readonly httpsEndpoints?: readonly string[];
  /**
   * Model latency p99 above which the latency alarm fires.
   * @default Duration.millis(2000) (the ModelSpec default)
   */
  readonly latencyP99Threshold?: Duration;
  /**
   * Share of requests answered 5xx, in percent, above which the endpoint and API error alarms fire.
   * @default 5
   */
  readonly errorRatePercent?: number;
  /**
   * One-minute periods each alarm looks at.
   * @default 5
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods among `evaluationPeriods` that fire an alarm (3 of 5 ignores a single spike).
   * @default 3
   */
  readonly datapointsToAlarm?: number;
}

const PERIOD = Duration.minutes(1);
const PERCENTAGE = 'a percentage greater than 0 and at most 100';

/** Defaults of the thresholds in InferenceAlarmsThresholds. */
export const INFERENCE_ALARM_DEFAULTS = {
  clientErrorRatePercent: 10,
  overheadLatencyP99Ms: 200,
  cpuUtilizationPercent: 90,
  memoryUtilizationPercent: 90,
  diskUtilizationPercent: 90,
  gpuUtilizationPercent: 90,
  gpuMemoryUtilizationPercent: 90,
} as const;

/**
 * Alarms on a model endpoint, its API and its handler, each notifying `topic` when it fires and when it
 * recovers. Missing data counts as healthy: an endpoint without traffic is not failing.
 *
 * Error rates use the `Average` statistic of metrics that are 1 for a failed request and 0 for any other
 * (`Invocation5XXErrors`, `Invocation4XXErrors`, API Gateway `5XXError`): the average over a minute is the share
 * of failed requests, with no division by zero when there is no traffic.
 *
 * Realtime and async endpoints also get utilization alarms (`/aws/sagemaker/Endpoints`, averaged over the
 * instances): memory and disk always, CPU when the vCPU count is known, GPU and GPU memory on GPU instances.
 */
export class InferenceAlarms extends Construct {
  /** The topic every alarm notifies. */
  public readonly topic: sns.ITopic;
  /** The key of the topic, when this construct created it. */
  public readonly topicKey?: kms.IKey;
  /**
   * Alarms by name: `endpoint5xx`, `endpoint4xx`, `modelLatencyP99`, `overheadLatencyP99`; for realtime and async
   * endpoints `memoryUtilization`, `diskUtilization`, `cpuUtilization` (vCPUs known), `gpuUtilization` and
   * `gpuMemoryUtilization` (GPU instances); when configured `api5xx`, `handlerErrors`, `handlerThrottles`,
   * `asyncInvocationFailures`. `addAlarm` adds more.
   */
  public get alarms(): Readonly<Record<string, cloudwatch.AlarmBase>> {
    return { ...this.alarmsByName };
  }

  private readonly alarmsByName: Record<string, cloudwatch.AlarmBase> = {};
  private readonly alarmAction: cloudwatch.IAlarmAction;
  private readonly evaluationPeriods: number;
  private readonly datapointsToAlarm: number;

  constructor(scope: Construct, id: string, props: InferenceAlarmsProps) {
    super(scope, id);

    const errors = new ValidationErrors('InferenceAlarms');
    const emails = props.emails ?? [];
    errors.checkEmails('emails', emails);
    const httpsEndpoints = props.httpsEndpoints ?? [];
    httpsEndpoints.forEach((url, i) => errors.checkPattern(`httpsEndpoints[${i}]`, url, /^https:\/\/[^\s/]+(\/\S*)?$/, 'an https:// URL (plain http is refused: alarms may carry endpoint names and account ids)'));
    const latency = props.latencyP99Threshold ?? Duration.millis(SPEC_DEFAULTS.latencyP99Ms);
    const latencyMs = latency.toMilliseconds();
    errors.check(latencyMs >= 1 && latencyMs <= 3_600_000, 'latencyP99Threshold', latency.toHumanString(), 'from 1 millisecond to 1 hour');
    const errorRatePercent = props.errorRatePercent ?? SPEC_DEFAULTS.errorRatePercent;
    errors.check(Number.isFinite(errorRatePercent) && errorRatePercent > 0 && errorRatePercent <= 100, 'errorRatePercent', errorRatePercent, PERCENTAGE);
    this.evaluationPeriods = props.evaluationPeriods ?? 5;
    this.datapointsToAlarm = props.datapointsToAlarm ?? Math.min(3, this.evaluationPeriods);
    const periodsOk = errors.checkNumber('evaluationPeriods', this.evaluationPeriods, { min: 1, max: 1440, integer: true });
    if (errors.checkNumber('datapointsToAlarm', this.datapointsToAlarm, { min: 1, integer: true }) && periodsOk) {
      errors.check(this.datapointsToAlarm <= this.evaluationPeriods, 'datapointsToAlarm', this.datapointsToAlarm, `at most evaluationPeriods (${this.evaluationPeriods})`);
    }
    const mode = props.endpointMode ?? modeOf(props.endpoint);
    errors.checkOneOf('endpointMode', mode, ['realtime', 'serverless', 'async']);
    const t = resolveThresholds(props, errors);
    const shape = props.instanceShape ?? shapeOf(props.endpoint);
    if (props.instanceShape) {
      errors.check(mode !== 'serverless', 'instanceShape', props.instanceShape, 'nothing for a serverless endpoint (it publishes no instance metrics)');
      errors.checkNumber('instanceShape.vcpu', props.instanceShape.vcpu, { min: 1, max: 1024, integer: true });
      errors.checkNumber('instanceShape.gpuCount', props.instanceShape.gpuCount, { min: 0, max: 64, integer: true });
    }
    errors.throwIfAny();

    if (props.topic) {
      this.topic = props.topic;
    } else {
      const key = new kms.Key(this, 'TopicKey', {
        enableKeyRotation: true,
        description: 'Encrypts the model alarm topic',
      });
      // CloudWatch publishes alarm notifications to the encrypted topic with this key.
      key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy `*` means this key.
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }));
      this.topicKey = key;
      this.topic = new sns.Topic(this, 'Topic', {
        displayName: 'Model inference alarms',
        masterKey: key,
        enforceSSL: true,
      });
    }
    emails.forEach((email) => this.topic.addSubscription(new subscriptions.EmailSubscription(email)));
    httpsEndpoints.forEach((url) => this.topic.addSubscription(new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS })));
    this.alarmAction = new cw_actions.SnsAction(this.topic);

    const endpoint = props.endpoint;
    // Named by the metric's EndpointName dimension (a fixed string for ModelEndpoint), not `endpointName`: an alarm
    // whose description referenced the endpoint resource could not be one of that endpoint's rollback alarms.
    const endpointLabel = metricEndpointName(endpoint);
    this.addAlarm('endpoint5xx', new cloudwatch.Alarm(this, 'Endpoint5xx', {
      alarmDescription: `More than ${errorRatePercent}% of requests to SageMaker endpoint ${endpointLabel} failed with a 5xx from the model container`,
      metric: endpoint.metric('Invocation5XXErrors', { statistic: 'Average', period: PERIOD }),
      threshold: errorRatePercent / 100,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      ...this.window(),
    }));
    // SageMaker publishes ModelLatency in microseconds.
    this.addAlarm('modelLatencyP99', new cloudwatch.Alarm(this, 'ModelLatencyP99', {
      alarmDescription: `Model latency p99 of SageMaker endpoint ${endpointLabel} is above ${latencyMs} ms`,
      metric: endpoint.metric('ModelLatency', { statistic: 'p99', period: PERIOD }),
      threshold: latencyMs * 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      ...this.window(),
    }));
    this.addAlarm('endpoint4xx', new cloudwatch.Alarm(this, 'Endpoint4xx', {
      alarmDescription: `More than ${t.clientErrorRatePercent}% of requests to SageMaker endpoint ${endpointLabel} were rejected with a 4xx by the model container (malformed or unexpected payloads)`,
      metric: endpoint.metric('Invocation4XXErrors', { statistic: 'Average', period: PERIOD }),
      threshold: t.clientErrorRatePercent / 100,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      ...this.window(),
    }));
    // OverheadLatency is in microseconds too.
    this.addAlarm('overheadLatencyP99', new cloudwatch.Alarm(this, 'OverheadLatencyP99', {
      alarmDescription: `Latency SageMaker adds to requests to endpoint ${endpointLabel} (p99, outside the model) is above ${t.overheadLatencyMs} ms`,
      metric: endpoint.metric('OverheadLatency', { statistic: 'p99', period: PERIOD }),
      threshold: t.overheadLatencyMs * 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      ...this.window(),
    }));
    // Serverless endpoints run on capacity SageMaker manages and publish no instance metrics.
    if (mode !== 'serverless') this.addUtilizationAlarms(endpoint, endpointLabel, t, shape);
    if (mode === 'async') {
      this.addAlarm('asyncInvocationFailures', new cloudwatch.Alarm(this, 'AsyncInvocationFailures', {
        alarmDescription: `Async invocations of SageMaker endpoint ${endpointLabel} failed (download, model or upload errors)`,
        metric: endpoint.metric('InvocationFailures', { statistic: 'Sum', period: PERIOD }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...this.window(),
      }));
    }

    if (props.api) {
      this.addAlarm('api5xx', new cloudwatch.Alarm(this, 'Api5xx', {
        alarmDescription: `More than ${errorRatePercent}% of inference API requests were answered 5xx`,
        metric: props.api.metricServerError({ statistic: 'Average', period: PERIOD }),
        threshold: errorRatePercent / 100,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        ...this.window(),
      }));
    }
    const handler = props.handler ?? props.api?.handler;
    if (handler) {
      // The handler maps every expected failure to a status code; a Lambda error is a crash or a timeout.
      this.addAlarm('handlerErrors', new cloudwatch.Alarm(this, 'HandlerErrors', {
        alarmDescription: 'The inference handler crashed or timed out',
        metric: handler.metricErrors({ statistic: 'Sum', period: PERIOD }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...this.window(),
      }));
      this.addAlarm('handlerThrottles', new cloudwatch.Alarm(this, 'HandlerThrottles', {
        alarmDescription: 'The inference handler was throttled by Lambda concurrency limits',
        metric: handler.metricThrottles({ statistic: 'Sum', period: PERIOD }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...this.window(),
      }));
    }
  }

  /**
   * Registers `alarm` under `name` and sends its alarm and OK notifications to the topic.
   * Throws when the name is taken.
   */
  public addAlarm(name: string, alarm: cloudwatch.AlarmBase): cloudwatch.AlarmBase {
    if (this.alarmsByName[name] !== undefined) {
      throw new ValidationError([formatProblem('InferenceAlarms', 'addAlarm(name)', name, `a name not used yet (taken: ${Object.keys(this.alarmsByName).join(', ')})`)]);
    }
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
    this.alarmsByName[name] = alarm;
    return alarm;
  }

  private addUtilizationAlarms(endpoint: IInferenceEndpoint, endpointLabel: string, t: ResolvedThresholds, shape?: InferenceAlarmsInstanceShape): void {
    const utilization = (name: string, id: string, metricName: InstanceMetricName, percent: number, what: string, units?: { count: number; label: string }) => {
      const count = units?.count ?? 1;
      this.addAlarm(name, new cloudwatch.Alarm(this, id, {
        alarmDescription: `${what} of the instances of SageMaker endpoint ${endpointLabel} is above ${percent}%`
          + (count > 1 ? ` (${percent * count}% summed over ${count} ${units!.label})` : ''),
        metric: instanceMetric(endpoint, metricName),
        threshold: percent * count,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        ...this.window(),
      }));
    };
    utilization('memoryUtilization', 'MemoryUtilization', 'MemoryUtilization', t.memoryUtilizationPercent, 'Memory use');
    utilization('diskUtilization', 'DiskUtilization', 'DiskUtilization', t.diskUtilizationPercent, 'Disk use');
    if (!shape) return;
    // SageMaker sums CPU use over the vCPUs (0-400% on 4 vCPUs), and GPU and GPU memory use over the GPUs.
    utilization('cpuUtilization', 'CpuUtilization', 'CPUUtilization', t.cpuUtilizationPercent, 'CPU use', { count: shape.vcpu, label: 'vCPUs' });
    const gpus = { count: shape.gpuCount ?? 0, label: 'GPUs' };
    if (gpus.count > 0) {
      utilization('gpuUtilization', 'GpuUtilization', 'GPUUtilization', t.gpuUtilizationPercent, 'GPU use', gpus);
      utilization('gpuMemoryUtilization', 'GpuMemoryUtilization', 'GPUMemoryUtilization', t.gpuMemoryUtilizationPercent, 'GPU memory use', gpus);
    }
  }

  private window() {
    return {
      evaluationPeriods: this.evaluationPeriods,
      datapointsToAlarm: this.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
  }
}

interface ResolvedThresholds {
  readonly clientErrorRatePercent: number;
  readonly overheadLatencyMs: number;
  readonly cpuUtilizationPercent: number;
  readonly memoryUtilizationPercent: number;
  readonly diskUtilizationPercent: number;
  readonly gpuUtilizationPercent: number;
  readonly gpuMemoryUtilizationPercent: number;
}

function resolveThresholds(props: InferenceAlarmsThresholds, errors: ValidationErrors): ResolvedThresholds {
  const d = INFERENCE_ALARM_DEFAULTS;
  const percent = (prop: keyof InferenceAlarmsThresholds, value: number) => {
    errors.check(Number.isFinite(value) && value > 0 && value <= 100, prop, value, PERCENTAGE);
    return value;
  };
  const overhead = props.overheadLatencyP99Threshold ?? Duration.millis(d.overheadLatencyP99Ms);
  const overheadLatencyMs = overhead.toMilliseconds();
  errors.check(overheadLatencyMs >= 1 && overheadLatencyMs <= 3_600_000, 'overheadLatencyP99Threshold', overhead.toHumanString(), 'from 1 millisecond to 1 hour');
  return {
    clientErrorRatePercent: percent('clientErrorRatePercent', props.clientErrorRatePercent ?? d.clientErrorRatePercent),
    overheadLatencyMs,
    cpuUtilizationPercent: percent('cpuUtilizationPercent', props.cpuUtilizationPercent ?? d.cpuUtilizationPercent),
    memoryUtilizationPercent: percent('memoryUtilizationPercent', props.memoryUtilizationPercent ?? d.memoryUtilizationPercent),
    diskUtilizationPercent: percent('diskUtilizationPercent', props.diskUtilizationPercent ?? d.diskUtilizationPercent),
    gpuUtilizationPercent: percent('gpuUtilizationPercent', props.gpuUtilizationPercent ?? d.gpuUtilizationPercent),
    gpuMemoryUtilizationPercent: percent('gpuMemoryUtilizationPercent', props.gpuMemoryUtilizationPercent ?? d.gpuMemoryUtilizationPercent),
  };
}

/** The instance metrics alarmed on, by name, and the endpoint helper that builds each. */
const INSTANCE_METRICS = {
  CPUUtilization: (e: EndpointBase, o: cloudwatch.MetricOptions) => e.metricCpuUtilization(o),
  MemoryUtilization: (e: EndpointBase, o: cloudwatch.MetricOptions) => e.metricMemoryUtilization(o),
  DiskUtilization: (e: EndpointBase, o: cloudwatch.MetricOptions) => e.metricDiskUtilization(o),
  GPUUtilization: (e: EndpointBase, o: cloudwatch.MetricOptions) => e.metricGpuUtilization(o),
  GPUMemoryUtilization: (e: EndpointBase, o: cloudwatch.MetricOptions) => e.metricGpuMemoryUtilization(o),
};
type InstanceMetricName = keyof typeof INSTANCE_METRICS;

/**
 * An instance metric (`/aws/sagemaker/Endpoints`, Average per minute) from the endpoint's own helper when it has
 * one (ModelEndpoint and its imports do), else with the dimensions of its `metric` helper (IInferenceEndpoint
 * only promises `AWS/SageMaker` metrics).
 */
function instanceMetric(endpoint: IInferenceEndpoint, metricName: InstanceMetricName): cloudwatch.IMetric {
  const options = { statistic: 'Average', period: PERIOD };
  if (endpoint instanceof EndpointBase) return INSTANCE_METRICS[metricName](endpoint, options);
  return new cloudwatch.Metric({
    namespace: '/aws/sagemaker/Endpoints',
    metricName,
    dimensionsMap: { EndpointName: metricEndpointName(endpoint), VariantName: endpoint.variantName },
    ...options,
  });
}

/** vCPUs and GPUs of the endpoint's instance when it knows its compute class (ModelEndpoint outside serverless mode). */
function shapeOf(endpoint: IInferenceEndpoint): InferenceAlarmsInstanceShape | undefined {
  const computeClass = (endpoint as { readonly computeClass?: ComputeClass }).computeClass;
  if (!computeClass) return undefined;
  return { vcpu: computeClass.aws.vcpu, gpuCount: computeClass.aws.gpu?.count ?? 0 };
}

function metricEndpointName(endpoint: IInferenceEndpoint): string {
  const name = endpoint.metric('Invocations').dimensions?.EndpointName;
  return typeof name === 'string' ? name : endpoint.endpointName;
}

function modeOf(endpoint: IInferenceEndpoint): InferenceAlarmsEndpointMode {
  const mode = (endpoint as { readonly mode?: unknown }).mode;
  return mode === 'serverless' || mode === 'async' ? mode : 'realtime';
}
