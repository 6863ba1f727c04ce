// Model Monitor schedules: the cron shapes SageMaker accepts, the schedule resource, and the names of schedules and
// job definitions. Not exported from the package.
import { CfnResource, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, IConstruct } from 'constructs';
import { ValidationErrors } from '../../core/errors';

/** The default schedule: every hour, on the hour (UTC). */
export const HOURLY_SCHEDULE = 'cron(0 * ? * * *)';

/** The forms SageMaker accepts for `ScheduleConfig.ScheduleExpression`, for error messages. */
export const SCHEDULE_EXPECTED =
  'one of the forms SageMaker accepts: hourly "cron(0 * ? * * *)", daily "cron(0 H ? * * *)" with H 0-23, ' +
  'every N hours "cron(0 H/N ? * * *)" with H 0-23 and N 1-24, or "NOW" for one run';

/** A schedule expression SageMaker accepts, and how often it runs. */
export interface ParsedSchedule {
  readonly expression: string;
  /** Hours between runs; undefined for a one-off `NOW` run. */
  readonly intervalHours?: number;
}

const HOUR = '([01]?\\d|2[0-3])';
const HOURLY = /^cron\(0 \* \? \* \* \*\)$/;
const DAILY = new RegExp(`^cron\\(0 ${HOUR} \\? \\* \\* \\*\\)$`);
const EVERY_N_HOURS = new RegExp(`^cron\\(0 ${HOUR}/([01]?\\d|2[0-4]) \\? \\* \\* \\*\\)$`);

/**
 * Parses a Model Monitor schedule. SageMaker accepts only these cron shapes (ScheduleConfig in the
 * SageMaker API reference), not general EventBridge cron: minute 0, day-of-month `?`, every day.
 */
export function parseScheduleExpression(expression: string): ParsedSchedule | undefined {
  if (expression === 'NOW') return { expression };
  if (HOURLY.test(expression)) return { expression, intervalHours: 1 };
  if (DAILY.test(expression)) return { expression, intervalHours: 24 };
  const every = EVERY_N_HOURS.exec(expression);
  if (every) {
    const n = Number(every[2]);
    return n >= 1 ? { expression, intervalHours: n } : undefined;
  }
  return undefined;
}

/** Records a problem unless `schedule` (default hourly) is a form SageMaker accepts; returns it with its interval. */
export function checkSchedule(errors: ValidationErrors, schedule: string | undefined): { expression: string; intervalHours?: number } {
  const expression = schedule ?? HOURLY_SCHEDULE;
  const parsed = parseScheduleExpression(expression);
  errors.check(parsed !== undefined, 'schedule', expression, SCHEDULE_EXPECTED);
  return { expression, intervalHours: parsed?.intervalHours };
}

/** Records a problem unless an explicit schedule name fits SageMaker's pattern. */
export function checkScheduleName(errors: ValidationErrors, scheduleName: string | undefined): void {
  if (scheduleName !== undefined) {
    errors.checkPattern('scheduleName', scheduleName, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, '1-63 letters, digits and hyphens, starting and ending with a letter or digit');
  }
}

/** Options for `createMonitoringSchedule`. */
export interface MonitoringScheduleOptions {
  readonly scheduleName: string;
  readonly endpointName: string;
  /** The job definition the schedule runs (any of the monitoring job definition types). */
  readonly jobDefinition: { readonly attrJobDefinitionArn: string } & CfnResource;
  readonly monitoringType: 'DataQuality' | 'ModelQuality' | 'ModelBias' | 'ModelExplainability';
  readonly expression: string;
}

/**
 * aws-cdk-lib's CloudFormation validation warns (W3697) that Model Monitor resources belong to a service in
 * maintenance mode (closed to new customers). Our Model Monitor constructs exist for the customers who keep it.
 */
export function acknowledgeModelMonitorMaintenance(resource: IConstruct): void {
  Validations.of(resource).acknowledge({
    id: 'CloudFormation-Validate::W3697',
    reason: 'SageMaker Model Monitor is in maintenance mode and closed to new customers; this construct is for accounts that already use it',
  });
}

/** The schedule (child id `Schedule`) that runs one job definition, created after it. */
export function createMonitoringSchedule(scope: Construct, options: MonitoringScheduleOptions): sagemaker.CfnMonitoringSchedule {
  const schedule = new sagemaker.CfnMonitoringSchedule(scope, 'Schedule', {
    monitoringScheduleName: options.scheduleName,
    endpointName: options.endpointName,
    monitoringScheduleConfig: {
      monitoringJobDefinitionName: jobDefinitionNameFromArn(options.jobDefinition.attrJobDefinitionArn),
      monitoringType: options.monitoringType,
      scheduleConfig: {
        scheduleExpression: options.expression,
        // A one-off run needs an explicit window: the last 24 hours of captured traffic.
        ...(options.expression === 'NOW' ? { dataAnalysisStartTime: '-PT24H', dataAnalysisEndTime: '-PT0H' } : {}),
      },
    },
  });
  // The name comes from the ARN attribute, which already orders the two; the explicit dependency keeps
  // that true if the reference ever changes (CLOUD-FACTS).
  schedule.addResourceDependency(options.jobDefinition);
  acknowledgeModelMonitorMaintenance(schedule);
  acknowledgeModelMonitorMaintenance(options.jobDefinition);
  return schedule;
}

/** A unique, stable name that fits SageMaker's `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`. */
export function monitorResourceName(scope: Construct, suffix: string): string {
  const stackName = Stack.of(scope).stackName;
  const base = Token.isUnresolved(stackName) ? 'monitor' : stackName;
  // node.addr hashes the construct path: stable across deployments, distinct between two monitors.
  const hash = scope.node.addr.slice(0, 8);
  const head = `${base}-${scope.node.id}`.replace(/[^A-Za-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  const room = 63 - suffix.length - hash.length - 2;
  return `${head.slice(0, room).replace(/-$/, '')}-${suffix}-${hash}`;
}

/**
 * The name of a monitoring job definition from its ARN (`...:data-quality-job-definition/<name>`).
 * The job-definition resources return only `JobDefinitionArn` and `CreationTime`; leaving the name to
 * CloudFormation keeps replacements (most of their properties force one) from colliding on a fixed name.
 */
export function jobDefinitionNameFromArn(jobDefinitionArn: string): string {
  return Fn.select(1, Fn.split('/', jobDefinitionArn));
}
