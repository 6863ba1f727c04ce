// CloudWatch alarms on a model's serving path (endpoint errors and latency, API 5xx, handler failures),
// all notifying one encrypted SNS topic that later monitoring (drift, rollback) adds its alarms to.
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ValidationError, ValidationErrors, formatProblem } from '../core/errors';
import { SPEC_DEFAULTS } from '../core/model-spec';
import { InferenceApi } from './inference-api';
import { IInferenceEndpoint } from './inference-endpoint';

/** Serving mode of the watched endpoint; async endpoints publish a different set of metrics. */
export type InferenceAlarmsEndpointMode = 'realtime' | 'serverless' | 'async';

export interface InferenceAlarmsProps {
  /** The endpoint to watch. */
  readonly endpoint: IInferenceEndpoint;
  /**
   * How the endpoint serves; `async` adds an alarm on failed async invocations.
   * @default - the endpoint's `mode` when it has one (ModelEndpoint does), else 'realtime'
   */
  readonly endpointMode?: InferenceAlarmsEndpointMode;
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

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PERIOD = Duration.minutes(1);

/**
 * Alarms on a model endpoint, its API and its handler, each notifying `topic` when it fires and when it
 * recovers. Missing data counts as healthy: an endpoint without traffic is not failing.
 *
 * Error rates use the `Average` statistic of metrics that are 1 for a failed request and 0 for any other
 * (`Invocation5XXErrors`, API Gateway `5XXError`): the average over a minute is the share of failed
 * requests, with no division by zero when there is no traffic.
 */
export class InferenceAlarms extends Construct {
  /** The topic every alarm notifies. */
  public readonly topic: sns.ITopic;
  /** The key of the topic, when this construct created it. */
  public readonly topicKey?: kms.IKey;
  /** Alarms by name: `endpoint5xx`, `modelLatencyP99`, and when configured `api5xx`, `handlerErrors`, `handlerThrottles`, `asyncInvocationFailures`; `addAlarm` adds more. */
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
    emails.forEach((email, i) => errors.checkPattern(`emails[${i}]`, email, EMAIL, 'an email address'));
    const latency = props.latencyP99Threshold ?? Duration.millis(SPEC_DEFAULTS.latencyP99Ms);
    const latencyMs = latency.toMilliseconds();
    errors.check(latencyMs >= 1 && latencyMs <= 3_600_000, 'latencyP99Threshold', latency.toHumanString(), 'from 1 millisecond to 1 hour');
    const errorRatePercent = props.errorRatePercent ?? SPEC_DEFAULTS.errorRatePercent;
    errors.check(Number.isFinite(errorRatePercent) && errorRatePercent > 0 && errorRatePercent <= 100, 'errorRatePercent', errorRatePercent, 'a percentage greater than 0 and at most 100');
    this.evaluationPeriods = props.evaluationPeriods ?? 5;
    this.datapointsToAlarm = props.datapointsToAlarm ?? Math.min(3, this.evaluationPeriods);
    const periodsOk = errors.checkNumber('evaluationPeriods', this.evaluationPeriods, { min: 1, max: 1440, integer: true });
    if (errors.checkNumber('datapointsToAlarm', this.datapointsToAlarm, { min: 1, integer: true }) && periodsOk) {
      errors.check(this.datapointsToAlarm <= this.evaluationPeriods, 'datapointsToAlarm', this.datapointsToAlarm, `at most evaluationPeriods (${this.evaluationPeriods})`);
    }
    const mode = props.endpointMode ?? modeOf(props.endpoint);
    errors.checkOneOf('endpointMode', mode, ['realtime', 'serverless', 'async']);
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

  private window() {
    return {
      evaluationPeriods: this.evaluationPeriods,
      datapointsToAlarm: this.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
  }
}

function metricEndpointName(endpoint: IInferenceEndpoint): string {
  const name = endpoint.metric('Invocations').dimensions?.EndpointName;
  return typeof name === 'string' ? name : endpoint.endpointName;
}

function modeOf(endpoint: IInferenceEndpoint): InferenceAlarmsEndpointMode {
  const mode = (endpoint as { readonly mode?: unknown }).mode;
  return mode === 'serverless' || mode === 'async' ? mode : 'realtime';
}
