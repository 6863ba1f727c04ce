// The alarms of a Lambda-hosted model, on an encrypted topic: error rate, throttles, p99 duration against the
// spec's latency, concurrency near its ceiling, cold starts beyond the warm instances, and the API's 5xx share.
// Not exported from the package.
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { InferenceApi } from '../inference-api';
import type { LambdaModel } from '../lambda-model';

/**
 * Lambda's default concurrency quota per account and region ("Lambda quotas",
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, read 2026-12-05): the ceiling a
 * function without reserved concurrency shares with every other function of the account.
 */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
/** Share of the concurrency ceiling at which the concurrency alarm fires. */
const CONCURRENCY_ALARM_SHARE = 0.9;

export interface LambdaModelAlarmsProps {
  readonly model: LambdaModel;
  readonly api?: InferenceApi;
  readonly topicKey: kms.IKey;
  /** @default - the model's spec thresholds, else 1000 ms and 1% */
  readonly latencyP99Ms?: number;
  readonly errorRatePercent?: number;
  readonly emails?: readonly string[];
  readonly httpsEndpoints?: readonly string[];
}

/** The alarms of one Lambda-hosted model, each notifying `topic`. */
export class LambdaModelAlarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;

  constructor(scope: Construct, id: string, props: LambdaModelAlarmsProps) {
    super(scope, id);
    const { model } = props;
    const latencyP99Ms = props.latencyP99Ms ?? model.monitoring?.latencyP99Ms ?? 1000;
    const errorRatePercent = props.errorRatePercent ?? model.monitoring?.errorRatePercent ?? 1;
    this.topic = new sns.Topic(this, 'Topic', { masterKey: props.topicKey, enforceSSL: true, displayName: `Alarms of model ${model.modelName}` });
    for (const email of props.emails ?? model.monitoring?.alarmEmails ?? []) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    for (const url of props.httpsEndpoints ?? []) this.topic.addSubscription(new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS }));
    // CloudWatch publishes alarm notifications to the encrypted topic with the key (of this account's alarms only).
    props.topicKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      // In a key policy `*` means this key.
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));

    const alarms: Record<string, cloudwatch.Alarm> = {};
    const add = (key: string, alarmId: string, props: cloudwatch.AlarmProps) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props });
      alarm.addAlarmAction(new cwActions.SnsAction(this.topic));
      alarm.addOkAction(new cwActions.SnsAction(this.topic));
      alarms[key] = alarm;
    };
    const errorRate = new cloudwatch.MathExpression({
      expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
      usingMetrics: { errors: model.metricErrors(), invocations: model.metricInvocations() },
      period: Duration.minutes(1),
      label: 'Function error rate (%)',
    });
    add('errorRate', 'ErrorRate', {
      alarmDescription: `More than ${errorRatePercent}% of the model function's invocations failed (3 of 5 minutes)`,
      metric: errorRate, threshold: errorRatePercent, evaluationPeriods: 5, datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    add('throttles', 'Throttles', {
      alarmDescription: 'The model function refused invocations for lack of concurrency (callers got 429/502)',
      metric: model.metricThrottles(), threshold: 1, evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    add('latency', 'LatencyP99', {
      alarmDescription: `The model function's p99 duration is above ${latencyP99Ms} ms (spec.monitoring.latencyP99Ms; 3 of 5 minutes)`,
      metric: model.metricDuration(), threshold: latencyP99Ms, evaluationPeriods: 5, datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    const ceiling = model.reservedConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY;
    add('concurrency', 'Concurrency', {
      alarmDescription: model.reservedConcurrency !== undefined
        ? `The model function runs near its reserved concurrency (${ceiling}): more traffic will be throttled`
        : `The model function alone runs near the account's default concurrency quota (${ceiling}), which every function of the account shares`,
      metric: model.metricConcurrentExecutions(), threshold: Math.floor(ceiling * CONCURRENCY_ALARM_SHARE), evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    if (model.alias) {
      add('coldStarts', 'ProvisionedSpillover', {
        alarmDescription: `Invocations ran beyond the ${model.provisionedConcurrency} warm instances (cold starts) for 3 of 5 minutes`,
        metric: model.alias.metric('ProvisionedConcurrencySpilloverInvocations', { period: Duration.minutes(1), statistic: 'Sum' }),
        threshold: 1, evaluationPeriods: 5, datapointsToAlarm: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }
    if (props.api) {
      add('apiErrorRate', 'ApiErrorRate', {
        alarmDescription: `More than ${errorRatePercent}% of API requests were answered 5xx (3 of 5 minutes)`,
        // Average of 5XXError is the share of requests.
        metric: props.api.metricServerError({ statistic: 'Average' }),
        threshold: errorRatePercent / 100, evaluationPeriods: 5, datapointsToAlarm: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }
    this.alarms = alarms;
  }

  /** Every alarm, for a dashboard or a composite. */
  public get allAlarms(): cloudwatch.Alarm[] {
    return Object.values(this.alarms);
  }
}
