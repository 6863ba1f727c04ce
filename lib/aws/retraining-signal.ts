// RetrainingSignal: when one of the given drift or quality alarms goes to ALARM, one `Retraining Signal` event
// (lib/core/retraining-event.ts, docs/quality.md "Retraining event") on EventBridge, for a retraining pipeline to follow.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { RETRAINING_EVENT_DETAIL_TYPE, RETRAINING_EVENT_SOURCE } from '../core/retraining-event';
import { createBundledFunction } from './private/bundled-function';

/**
 * Alarm ARNs per rule: an ARN with a CloudFormation-generated alarm name is about 150 characters, so 8 of them and
 * the rest of the pattern stay under the 2,048-character default limit of an event pattern.
 */
export const ALARMS_PER_RULE = 8;

export interface RetrainingSignalProps {
  /** The model name the events carry (`model`). */
  readonly modelName: string;
  /** The alarms whose ALARM transitions become events (drift verdicts, quality thresholds, labels stopped). */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /**
   * The bus the events go to.
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Key of the function's log group.
   * @default - a key of its own (rotated)
   */
  readonly logKey?: kms.IKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * An EventBridge rule on `CloudWatch Alarm State Change` events of exactly the given alarms going to ALARM, and a
 * small function that builds the retraining event from the alarm (what crossed, value, threshold) and puts it on the
 * bus. Match it with `RetrainingSignal.eventPattern(modelName)`.
 */
export class RetrainingSignal extends Construct {
  /** The event pattern of the published events: `source` `deploy-ai-smarter`, `detail-type` `Retraining Signal`, this model. */
  static eventPattern(modelName: string): events.EventPattern {
    return { source: [RETRAINING_EVENT_SOURCE], detailType: [RETRAINING_EVENT_DETAIL_TYPE], detail: { model: [modelName] } };
  }

  readonly function: lambda.Function;
  /**
   * The rules on the alarms' state changes (on the default bus, where CloudWatch sends them), at most
   * ALARMS_PER_RULE alarm ARNs each.
   */
  readonly alarmRules: readonly events.Rule[];
  /** Where the events go. */
  readonly eventBus: events.IEventBus;

  constructor(scope: Construct, id: string, props: RetrainingSignalProps) {
    super(scope, id);
    const errors = new ValidationErrors('RetrainingSignal');
    errors.check(props.alarms.length > 0 && props.alarms.length <= 100, 'alarms', props.alarms.length, 'from 1 to 100 alarms (one rule lists their ARNs)');
    errors.throwIfAny();
    this.eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');

    const { fn, role } = createBundledFunction(this, 'Function', {
      entry: 'aws-retraining-signal',
      description: `Publishes the retraining signal of model ${props.modelName} when a drift or quality alarm fires`,
      roleDescription: 'Retraining signal: puts one event on one event bus',
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: { MODEL_NAME: props.modelName, EVENT_BUS_NAME: this.eventBus.eventBusArn },
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      logKey: props.logKey,
      tracing: false,
      roleId: 'Role',
      logGroupId: 'Logs',
    });
    this.function = fn;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'PutRetrainingEvents', actions: ['events:PutEvents'], resources: [this.eventBus.eventBusArn] }));

    // CloudWatch sends alarm state changes to the default bus only, with the alarm ARN as the event's resource. An
    // event pattern holds at most 2,048 characters by default (EventBridge quotas,
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html, read 2026-12-05), so the ARNs are
    // split over rules (rules cost nothing).
    const rules: events.Rule[] = [];
    for (let i = 0; i < props.alarms.length; i += ALARMS_PER_RULE) {
      rules.push(new events.Rule(this, i === 0 ? 'AlarmRule' : `AlarmRule${i / ALARMS_PER_RULE + 1}`, {
        description: `Drift and quality alarms of model ${props.modelName} going to ALARM`,
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: props.alarms.slice(i, i + ALARMS_PER_RULE).map((a) => a.alarmArn),
          detail: { state: { value: ['ALARM'] } },
        },
        // Lambda retries an async invocation twice on error (a rejected PutEvents throws).
        targets: [new targets.LambdaFunction(fn)],
      }));
    }
    this.alarmRules = rules;
  }
}
