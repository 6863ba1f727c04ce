// What the scheduled portable jobs on Lambda (drift, quality, explain) share: one composite "job health" alarm over
// failed runs (the function's Errors) and missing results (a metric every run writes, gone silent), and the wiring of
// alarms to a topic. Not exported from the package.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface JobHealthAlarmOptions {
  readonly fn: lambda.IFunction;
  /** A metric every successful run publishes (use its `SampleCount`). */
  readonly heartbeat: cloudwatch.Metric;
  /** Hours between runs: the period of both alarms. */
  readonly intervalHours: number;
  /** `the drift job of model churn`: used in the descriptions. */
  readonly what: string;
  /** Why a run fails, for the failed-runs description. */
  readonly failureCauses: string;
}

export interface JobHealthAlarm {
  readonly failedRunsAlarm: cloudwatch.Alarm;
  readonly resultsMissingAlarm: cloudwatch.Alarm;
  /** The composite of both: the one that notifies. */
  readonly jobHealthAlarm: cloudwatch.CompositeAlarm;
}

/** Child ids `FailedRunsAlarm`, `ResultsMissingAlarm` and `JobHealthAlarm`. */
export function createJobHealthAlarm(scope: Construct, options: JobHealthAlarmOptions): JobHealthAlarm {
  const period = Duration.hours(options.intervalHours);
  const failedRunsAlarm = new cloudwatch.Alarm(scope, 'FailedRunsAlarm', {
    alarmDescription: `${capitalize(options.what)} failed (${options.failureCauses})`,
    metric: options.fn.metricErrors({ statistic: 'Sum', period }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const resultsMissingAlarm = new cloudwatch.Alarm(scope, 'ResultsMissingAlarm', {
    alarmDescription: `${capitalize(options.what)} reported no results for three scheduled runs (schedule disabled, function deleted or failing)`,
    metric: options.heartbeat.with({ statistic: 'SampleCount', period }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    // One late or failed run is not an outage (the failed-runs alarm reports it); three in a row are.
    evaluationPeriods: 3,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  const jobHealthAlarm = new cloudwatch.CompositeAlarm(scope, 'JobHealthAlarm', {
    alarmDescription: `${capitalize(options.what)} failed or stopped reporting`,
    alarmRule: cloudwatch.AlarmRule.anyOf(
      cloudwatch.AlarmRule.fromAlarm(failedRunsAlarm, cloudwatch.AlarmState.ALARM),
      cloudwatch.AlarmRule.fromAlarm(resultsMissingAlarm, cloudwatch.AlarmState.ALARM),
    ),
  });
  return { failedRunsAlarm, resultsMissingAlarm, jobHealthAlarm };
}

/** Sends the ALARM and OK transitions of `alarms` to `topic`, when there is one. */
export function notifyAlarmTopic(alarms: readonly cloudwatch.AlarmBase[], topic: sns.ITopic | undefined): void {
  if (!topic) return;
  const action = new cloudwatchActions.SnsAction(topic);
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
