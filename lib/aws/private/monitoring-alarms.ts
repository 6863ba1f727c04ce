// Model Monitor alarms: metrics of a schedule, alarms on its processing jobs' events, and the job-health composite.
// Not exported from the package.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** A Model Monitor metric of one endpoint and schedule, over the schedule interval (1 hour for `NOW`). */
export function monitorMetric(
  options: { namespace: string; metricName: string; endpointName: string; scheduleName: string; statistic: string; intervalHours?: number },
  props: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: options.namespace,
    metricName: options.metricName,
    dimensionsMap: { Endpoint: options.endpointName, MonitoringSchedule: options.scheduleName },
    statistic: options.statistic,
    period: Duration.hours(options.intervalHours ?? 1),
    ...props,
  });
}

/** Sends the ALARM and OK transitions of `alarms` to `topic`, when there is one. */
export function notifyTopic(alarms: readonly cloudwatch.AlarmBase[], topic: sns.ITopic | undefined): void {
  if (!topic) return;
  const action = new cloudwatchActions.SnsAction(topic);
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}

/** An EventBridge rule on one schedule's processing jobs and an alarm that fires when it matches. */
export interface MonitoringJobEventAlarm {
  readonly rule: events.Rule;
  readonly alarm: cloudwatch.Alarm;
}

/** Options for `createMonitoringJobEventAlarm`. */
export interface MonitoringJobEventAlarmOptions {
  readonly monitoringScheduleArn: string;
  /** Further conditions on the event detail (status, exit message). */
  readonly detail: Record<string, unknown>;
  readonly ruleDescription: string;
  readonly alarmDescription: string;
}

/**
 * A rule matching `SageMaker Processing Job State Change` events of the runs one monitoring schedule starts,
 * and an alarm on the rule's `MatchedEvents` (one match in an hour fires it). The rule has no target: the
 * alarm is what notifies, with OK once an hour passes without a match. Child ids are `<id>Rule` and `<id>Alarm`.
 */
export function createMonitoringJobEventAlarm(scope: Construct, id: string, options: MonitoringJobEventAlarmOptions): MonitoringJobEventAlarm {
  const rule = new events.Rule(scope, `${id}Rule`, {
    description: options.ruleDescription,
    eventPattern: {
      source: ['aws.sagemaker'],
      detailType: ['SageMaker Processing Job State Change'],
      // The event detail mirrors DescribeProcessingJob, which names the monitoring schedule that started the job.
      detail: { ...options.detail, MonitoringScheduleArn: [options.monitoringScheduleArn] },
    },
  });
  const alarm = new cloudwatch.Alarm(scope, `${id}Alarm`, {
    alarmDescription: options.alarmDescription,
    metric: new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      dimensionsMap: { RuleName: rule.ruleName },
      statistic: 'Sum',
      period: Duration.hours(1),
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    // No matched event means nothing happened.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  return { rule, alarm };
}

/** What `createJobHealthAlarms` builds. */
export interface JobHealthAlarms {
  readonly failedJobsRule: events.Rule;
  readonly failedJobsAlarm: cloudwatch.Alarm;
  readonly resultsMissingAlarm?: cloudwatch.Alarm;
  readonly jobHealthAlarm: cloudwatch.AlarmBase;
}

/** Options for the job-health alarms. */
export interface JobHealthOptions {
  readonly monitoringScheduleArn: string;
  /** A metric every successful run publishes; when set, its absence for 3 intervals raises an alarm. */
  readonly heartbeatMetric?: cloudwatch.Metric;
  readonly intervalHours?: number;
  readonly description: string;
}

/**
 * Two independent signals that the monitor itself is broken, combined into one alarm:
 * an EventBridge rule on the schedule's processing jobs ending Failed or Stopped (fast, says why in the
 * event), and a CloudWatch alarm on a metric every run publishes going missing for three intervals
 * (missing data is breaching: it also catches a stopped schedule, a deleted endpoint or a rule that never
 * matched). The composite alarm is the one that notifies.
 */
export function createJobHealthAlarms(scope: Construct, options: JobHealthOptions): JobHealthAlarms {
  const failedJobs = createMonitoringJobEventAlarm(scope, 'FailedJobs', {
    monitoringScheduleArn: options.monitoringScheduleArn,
    detail: { ProcessingJobStatus: ['Failed', 'Stopped'] },
    ruleDescription: `Model Monitor runs of one schedule that end Failed or Stopped (${options.description})`,
    alarmDescription: `A Model Monitor run failed or was stopped (${options.description})`,
  });
  const failedJobsRule = failedJobs.rule;
  const failedJobsAlarm = failedJobs.alarm;

  let resultsMissingAlarm: cloudwatch.Alarm | undefined;
  if (options.heartbeatMetric && options.intervalHours !== undefined) {
    resultsMissingAlarm = new cloudwatch.Alarm(scope, 'ResultsMissingAlarm', {
      alarmDescription: `Model Monitor published no results for three scheduled runs (${options.description})`,
      metric: options.heartbeatMetric.with({ statistic: 'SampleCount', period: Duration.hours(options.intervalHours) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // More than two missed runs: one late run (SageMaker may start up to 20 minutes late) is not an outage.
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }

  const jobHealthAlarm: cloudwatch.AlarmBase = resultsMissingAlarm
    ? new cloudwatch.CompositeAlarm(scope, 'JobHealthAlarm', {
        alarmDescription: `The Model Monitor job failed or stopped producing results (${options.description})`,
        alarmRule: cloudwatch.AlarmRule.anyOf(
          cloudwatch.AlarmRule.fromAlarm(failedJobsAlarm, cloudwatch.AlarmState.ALARM),
          cloudwatch.AlarmRule.fromAlarm(resultsMissingAlarm, cloudwatch.AlarmState.ALARM),
        ),
      })
    : failedJobsAlarm;
  return { failedJobsRule, failedJobsAlarm, resultsMissingAlarm, jobHealthAlarm };
}
