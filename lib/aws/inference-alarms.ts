// CloudWatch alarms on a model's serving path (endpoint errors, latency and instance utilization, API 5xx, handler
// failures), all notifying one encrypted SNS topic that later monitoring (drift, rollback) adds its alarms to.
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { isTokenList, isTokenNumber, ValidationError, ValidationErrors, formatProblem } from '../core/errors';
import { SPEC_DEFAULTS } from '../core/model-spec';
import { InferenceApi } from './inference-api';
import { EndpointVariant, IInferenceEndpoint } from './inference-endpoint';

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
   * @default - the endpoint's `mode`
   */
  readonly endpointMode?: InferenceAlarmsEndpointMode;
  /**
   * vCPUs and GPUs of one instance of the main variant, for the CPU and GPU utilization alarms (realtime and async
   * endpoints only: serverless endpoints publish no instance metrics).
   * @default - the shape of each variant's instance type as the endpoint knows it; unknown: no CPU or GPU alarms
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
   * @default - the endpoint's `monitoring.alarmEmails` (from its spec), else none
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
   * @default - the endpoint's `monitoring.latencyP99Ms` (from its spec), else Duration.millis(2000)
   */
  readonly latencyP99Threshold?: Duration;
  /**
   * Share of requests answered 5xx, in percent, above which the endpoint and API error alarms fire.
   * @default - the endpoint's `monitoring.errorRatePercent` (from its spec), else 5
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

/** The alarms of one endpoint variant. */
export interface VariantAlarms {
  readonly endpoint5xx: cloudwatch.Alarm;
  readonly modelLatencyP99: cloudwatch.Alarm;
  readonly endpoint4xx: cloudwatch.Alarm;
  readonly overheadLatencyP99: cloudwatch.Alarm;
  /** Realtime and async endpoints. */
  readonly memoryUtilization?: cloudwatch.Alarm;
  /** Realtime and async endpoints. */
  readonly diskUtilization?: cloudwatch.Alarm;
  /** When the vCPU count is known. */
  readonly cpuUtilization?: cloudwatch.Alarm;
  /** GPU instances. */
  readonly gpuUtilization?: cloudwatch.Alarm;
  /** GPU instances. */
  readonly gpuMemoryUtilization?: cloudwatch.Alarm;
  /** Async endpoints. */
  readonly asyncInvocationFailures?: cloudwatch.Alarm;
}

/** The alarms of the main variant plus those of the serving path in front of it. */
export interface InferenceAlarmSet extends VariantAlarms {
  /** When an API is given. */
  readonly api5xx?: cloudwatch.Alarm;
  /** When a handler (or an API) is given. */
  readonly handlerErrors?: cloudwatch.Alarm;
  /** When a handler (or an API) is given. */
  readonly handlerThrottles?: cloudwatch.Alarm;
}

const PERIOD = Duration.minutes(1);
/** SageMaker's limit on the rollback alarms of one deployment. */
const MAX_ROLLBACK_ALARMS = 10;
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
  /** The alarms of the main variant and of the API and handler in front of it. */
  public readonly alarms: InferenceAlarmSet;
  /** The alarms of every variant (production and shadow), by variant name; the main variant's are in `alarms` too. */
  public readonly variantAlarms: Readonly<Record<string, VariantAlarms>>;

  private readonly added = new Map<string, cloudwatch.AlarmBase>();
  private readonly productionVariants: readonly string[];
  private readonly alarmAction: cloudwatch.IAlarmAction;
  private readonly evaluationPeriods: number;
  private readonly datapointsToAlarm: number;

  constructor(scope: Construct, id: string, props: InferenceAlarmsProps) {
    super(scope, id);

    const endpoint = props.endpoint;
    // The endpoint's spec thresholds and recipients apply unless these props say otherwise.
    const fromSpec = endpoint.monitoring;
    const errors = new ValidationErrors('InferenceAlarms');
    const emails = props.emails ?? fromSpec?.alarmEmails ?? [];
    errors.checkEmails('emails', emails);
    const httpsEndpoints = props.httpsEndpoints ?? [];
    httpsEndpoints.forEach((url, i) => errors.checkPattern(`httpsEndpoints[${i}]`, url, /^https:\/\/[^\s/]+(\/\S*)?$/, 'an https:// URL (plain http is refused: alarms may carry endpoint names and account ids)'));
    const latency = props.latencyP99Threshold ?? Duration.millis(fromSpec?.latencyP99Ms ?? SPEC_DEFAULTS.latencyP99Ms);
    const latencyMs = latency.toMilliseconds();
    errors.check(latencyMs >= 1 && latencyMs <= 3_600_000, 'latencyP99Threshold', latency.toHumanString(), 'from 1 millisecond to 1 hour');
    const errorRatePercent = props.errorRatePercent ?? fromSpec?.errorRatePercent ?? SPEC_DEFAULTS.errorRatePercent;
    errors.check(Number.isFinite(errorRatePercent) && errorRatePercent > 0 && errorRatePercent <= 100, 'errorRatePercent', errorRatePercent, PERCENTAGE);
    this.evaluationPeriods = props.evaluationPeriods ?? 5;
    // A token period count has no value at synth time: its alarms then need every period to breach.
    this.datapointsToAlarm = props.datapointsToAlarm ?? (isTokenNumber(this.evaluationPeriods) ? this.evaluationPeriods : Math.min(3, this.evaluationPeriods));
    const periodsOk = errors.checkNumber('evaluationPeriods', this.evaluationPeriods, { min: 1, max: 1440, integer: true })
      && !isTokenNumber(this.evaluationPeriods) && !isTokenNumber(this.datapointsToAlarm);
    if (errors.checkNumber('datapointsToAlarm', this.datapointsToAlarm, { min: 1, integer: true }) && periodsOk) {
      errors.check(this.datapointsToAlarm <= this.evaluationPeriods, 'datapointsToAlarm', this.datapointsToAlarm, `at most evaluationPeriods (${this.evaluationPeriods})`);
    }
    const mode = props.endpointMode ?? endpoint.mode;
    errors.checkOneOf('endpointMode', mode, ['realtime', 'serverless', 'async']);
    const t = resolveThresholds(props, errors);
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
    if (isTokenList(emails)) {
      // A list parameter has no length at synth time, and SNS needs one subscription per address.
      Annotations.of(this).addWarningV2('deploy-ai-smarter:emailListToken', 'emails is a list token (a parameter or SSM list): its addresses cannot become one email subscription each at synth time; subscribe them to the alarm topic yourself');
    } else {
      emails.forEach((email) => this.topic.addSubscription(new subscriptions.EmailSubscription(email)));
    }
    httpsEndpoints.forEach((url) => this.topic.addSubscription(new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS })));
    this.alarmAction = new cw_actions.SnsAction(this.topic);

    // Every variant gets its alarms; the main variant keeps the unprefixed construct ids.
    const variants: readonly EndpointVariant[] = endpoint.variants.length > 0 ? endpoint.variants : [{ variantName: endpoint.variantName, shadow: false }];
    const byVariant: Record<string, VariantAlarms> = {};
    variants.forEach((variant, i) => {
      const shape = i === 0 && props.instanceShape ? props.instanceShape : shapeOf(variant);
      byVariant[variant.variantName] = this.addVariantAlarms(endpoint, variant, i === 0 ? '' : variant.variantName, mode, { errorRatePercent, latencyMs }, t, shape);
    });
    this.variantAlarms = byVariant;
    this.productionVariants = variants.filter((v) => !v.shadow).map((v) => v.variantName);

    const pathAlarms: { api5xx?: cloudwatch.Alarm; handlerErrors?: cloudwatch.Alarm; handlerThrottles?: cloudwatch.Alarm } = {};
    if (props.api) {
      pathAlarms.api5xx = this.wire(new cloudwatch.Alarm(this, 'Api5xx', {
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
      pathAlarms.handlerErrors = this.wire(new cloudwatch.Alarm(this, 'HandlerErrors', {
        alarmDescription: 'The inference handler crashed or timed out',
        metric: handler.metricErrors({ statistic: 'Sum', period: PERIOD }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...this.window(),
      }));
      pathAlarms.handlerThrottles = this.wire(new cloudwatch.Alarm(this, 'HandlerThrottles', {
        alarmDescription: 'The inference handler was throttled by Lambda concurrency limits',
        metric: handler.metricThrottles({ statistic: 'Sum', period: PERIOD }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...this.window(),
      }));
    }
    this.alarms = { ...byVariant[variants[0].variantName], ...pathAlarms };
  }

  /** Every alarm of this construct: all variants, the serving path, and those added with `addAlarm`. */
  public get allAlarms(): readonly cloudwatch.AlarmBase[] {
    const pathAlarms = [this.alarms.api5xx, this.alarms.handlerErrors, this.alarms.handlerThrottles];
    return [
      ...Object.values(this.variantAlarms).flatMap((v) => Object.values(v) as cloudwatch.Alarm[]),
      ...pathAlarms.filter((a): a is cloudwatch.Alarm => a !== undefined),
      ...this.added.values(),
    ];
  }

  /** Alarms added with `addAlarm`, by name. */
  public get addedAlarms(): ReadonlyMap<string, cloudwatch.AlarmBase> {
    return this.added;
  }

  /**
   * The alarms that should roll a blue/green deployment back: the 5xx and model latency alarms of every
   * production variant (SageMaker takes at most 10; the main variant's come first).
   */
  public rollbackAlarms(): cloudwatch.IAlarm[] {
    return this.productionVariants
      .flatMap((name) => [this.variantAlarms[name].endpoint5xx, this.variantAlarms[name].modelLatencyP99])
      .slice(0, MAX_ROLLBACK_ALARMS);
  }

  /**
   * Registers `alarm` under `name` and sends its alarm and OK notifications to the topic.
   * Throws when the name is taken.
   */
  public addAlarm(name: string, alarm: cloudwatch.AlarmBase): cloudwatch.AlarmBase {
    const taken = [...Object.keys(this.alarms), ...this.added.keys()];
    if (taken.includes(name)) {
      throw new ValidationError([formatProblem('InferenceAlarms', 'addAlarm(name)', name, `a name not used yet (taken: ${taken.join(', ')})`)]);
    }
    this.added.set(name, this.wire(alarm));
    return alarm;
  }

  private wire<T extends cloudwatch.AlarmBase>(alarm: T): T {
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
    return alarm;
  }

  private addVariantAlarms(
    endpoint: IInferenceEndpoint,
    variant: EndpointVariant,
    idPrefix: string,
    mode: InferenceAlarmsEndpointMode,
    serving: { errorRatePercent: number; latencyMs: number },
    t: ResolvedThresholds,
    shape: InferenceAlarmsInstanceShape | undefined,
  ): VariantAlarms {
    const variantName = variant.variantName;
    // Named by the metric's EndpointName dimension (a fixed string for ModelEndpoint), not `endpointName`: an alarm
    // whose description referenced the endpoint resource could not be one of that endpoint's rollback alarms.
    const label = `${endpoint.metricInvocations().dimensions?.EndpointName ?? endpoint.endpointName}`
      + (idPrefix ? ` (variant ${variantName}${variant.shadow ? ', shadow' : ''})` : '');
    const alarm = (id: string, props: Omit<cloudwatch.AlarmProps, 'evaluationPeriods'>) => this.wire(new cloudwatch.Alarm(this, `${idPrefix}${id}`, { ...this.window(), ...props }));
    const opts = { variantName, period: PERIOD };
    const set: { -readonly [K in keyof VariantAlarms]: VariantAlarms[K] } = {
      endpoint5xx: alarm('Endpoint5xx', {
        alarmDescription: `More than ${serving.errorRatePercent}% of requests to SageMaker endpoint ${label} failed with a 5xx from the model container`,
        metric: endpoint.metricInvocation5XXErrors({ ...opts, statistic: 'Average' }),
        threshold: serving.errorRatePercent / 100,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
      // SageMaker publishes ModelLatency and OverheadLatency in microseconds.
      modelLatencyP99: alarm('ModelLatencyP99', {
        alarmDescription: `Model latency p99 of SageMaker endpoint ${label} is above ${serving.latencyMs} ms`,
        metric: endpoint.metricModelLatency({ ...opts, statistic: 'p99' }),
        threshold: serving.latencyMs * 1000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
      endpoint4xx: alarm('Endpoint4xx', {
        alarmDescription: `More than ${t.clientErrorRatePercent}% of requests to SageMaker endpoint ${label} were rejected with a 4xx by the model container (malformed or unexpected payloads)`,
        metric: endpoint.metricInvocation4XXErrors({ ...opts, statistic: 'Average' }),
        threshold: t.clientErrorRatePercent / 100,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
      overheadLatencyP99: alarm('OverheadLatencyP99', {
        alarmDescription: `Latency SageMaker adds to requests to endpoint ${label} (p99, outside the model) is above ${t.overheadLatencyMs} ms`,
        metric: endpoint.metricOverheadLatency({ ...opts, statistic: 'p99' }),
        threshold: t.overheadLatencyMs * 1000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    };
    // Serverless endpoints run on capacity SageMaker manages and publish no instance metrics.
    if (mode !== 'serverless') {
      const instanceOpts = { variantName, statistic: 'Average', period: PERIOD };
      const utilization = (id: string, metric: cloudwatch.IMetric, percent: number, what: string, units?: { count: number; label: string }) => {
        const count = units?.count ?? 1;
        return alarm(id, {
          alarmDescription: `${what} of the instances of SageMaker endpoint ${label} is above ${percent}%`
            + (count > 1 ? ` (${percent * count}% summed over ${count} ${units!.label})` : ''),
          metric,
          threshold: percent * count,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        });
      };
      set.memoryUtilization = utilization('MemoryUtilization', endpoint.metricMemoryUtilization(instanceOpts), t.memoryUtilizationPercent, 'Memory use');
      set.diskUtilization = utilization('DiskUtilization', endpoint.metricDiskUtilization(instanceOpts), t.diskUtilizationPercent, 'Disk use');
      if (shape) {
        // SageMaker sums CPU use over the vCPUs (0-400% on 4 vCPUs), and GPU and GPU memory use over the GPUs.
        set.cpuUtilization = utilization('CpuUtilization', endpoint.metricCpuUtilization(instanceOpts), t.cpuUtilizationPercent, 'CPU use', { count: shape.vcpu, label: 'vCPUs' });
        const gpus = { count: shape.gpuCount ?? 0, label: 'GPUs' };
        if (gpus.count > 0) {
          set.gpuUtilization = utilization('GpuUtilization', endpoint.metricGpuUtilization(instanceOpts), t.gpuUtilizationPercent, 'GPU use', gpus);
          set.gpuMemoryUtilization = utilization('GpuMemoryUtilization', endpoint.metricGpuMemoryUtilization(instanceOpts), t.gpuMemoryUtilizationPercent, 'GPU memory use', gpus);
        }
      }
    }
    if (mode === 'async') {
      set.asyncInvocationFailures = alarm('AsyncInvocationFailures', {
        alarmDescription: `Async invocations of SageMaker endpoint ${label} failed (download, model or upload errors)`,
        metric: endpoint.metric('InvocationFailures', { ...opts, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }
    return set;
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

/** vCPUs and GPUs of a variant's instance, when the endpoint knows its type. */
function shapeOf(variant: EndpointVariant): InferenceAlarmsInstanceShape | undefined {
  const shape = variant.instanceShape;
  if (!shape) return undefined;
  return { vcpu: shape.vcpu, gpuCount: shape.accelerator?.kind === 'gpu' ? shape.accelerator.count : 0 };
}
