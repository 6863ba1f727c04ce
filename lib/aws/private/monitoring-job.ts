// What the Model Monitor constructs (DriftMonitor, ModelQualityMonitor) share: their common props and checks,
// schedule-expression rules, S3 inputs given as URIs or local files, the job's resources, outputs and schedule,
// the least-privilege job role, and the job-health alarms. Not exported from the package.
import * as fs from 'node:fs';
import { ArnFormat, CfnResource, Duration, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { ValidationErrors } from '../../core/errors';
import { modelMonitorAnalyzerImage, MODEL_MONITOR_ANALYZER_ACCOUNTS } from './model-monitor-images';
import { flattenReference } from './nag-findings';
import { parseS3Uri, S3_URI_EXPECTED } from './uris';

/** Props of the Model Monitor job, schedule and alarms that every monitor construct takes. */
export interface MonitoringJobProps {
  /** Bucket the endpoint's data capture writes to. */
  readonly captureBucket: s3.IBucket;
  /** Key prefix of the endpoint's data capture (`DestinationS3Uri` without `s3://bucket/`), e.g. `capture/`. */
  readonly capturePrefix: string;
  /**
   * KMS key of captured objects, when `captureBucket` is imported and its `encryptionKey` is unknown.
   * @default - `captureBucket.encryptionKey`, if any
   */
  readonly captureKey?: kms.IKey;
  /**
   * Bucket the reports are written to.
   * @default - `captureBucket`
   */
  readonly outputBucket?: s3.IBucket;
  /**
   * Key for the job's volume and its reports.
   * @default - `captureBucket.encryptionKey`; without one, AWS-managed volume encryption and the output bucket's default encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How often the job runs, in the cron shapes SageMaker accepts (UTC): `cron(0 * ? * * *)` hourly,
   * `cron(0 H ? * * *)` daily, `cron(0 H/N ? * * *)` every N hours, or `NOW` for one run.
   * @default 'cron(0 * ? * * *)' (hourly)
   */
  readonly schedule?: string;
  /**
   * Name of the monitoring schedule (the `MonitoringSchedule` metric dimension).
   * @default - derived from the stack name and construct id, unique per monitor
   */
  readonly scheduleName?: string;
  /**
   * Instance type of the job.
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Instances per run.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * Volume size per instance in GB.
   * @default 20
   */
  readonly volumeSizeGb?: number;
  /**
   * Longest a run may take; at most the schedule interval (1 hour for hourly schedules).
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;
  /**
   * Cut the job's container off from the network (SageMaker still moves the S3 data in and out).
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * Topic that gets every alarm's ALARM and OK transitions.
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Analyzer image, for regions the built-in table does not know or a pinned version.
   * @default - SageMaker's `sagemaker-model-monitor-analyzer` image for the stack's region
   */
  readonly imageUri?: string;
}

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

/** The job's compute, with defaults applied. */
export interface JobResources {
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly volumeSizeGb: number;
  readonly maxRuntimeSeconds: number;
}

/** Applies the defaults of the job's instance, volume and run-time props and records the problems with them. */
export function checkJobResources(errors: ValidationErrors, props: MonitoringJobProps, intervalHours: number | undefined): JobResources {
  const instanceType = props.instanceType ?? 'ml.m5.xlarge';
  errors.checkPattern('instanceType', instanceType, /^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'a SageMaker processing instance type such as ml.m5.xlarge');
  const instanceCount = props.instanceCount ?? 1;
  errors.checkNumber('instanceCount', instanceCount, { min: 1, max: 100, integer: true });
  const volumeSizeGb = props.volumeSizeGb ?? 20;
  errors.checkNumber('volumeSizeGb', volumeSizeGb, { min: 1, max: 16384, integer: true });
  const maxRuntimeSeconds = (props.maxRuntime ?? Duration.hours(1)).toSeconds();
  // A run longer than the interval would overlap the next one; SageMaker rejects > 1 h for hourly schedules.
  const runtimeLimit = Math.min(86400, (intervalHours ?? 24) * 3600);
  errors.check(
    Number.isInteger(maxRuntimeSeconds) && maxRuntimeSeconds >= 60 && maxRuntimeSeconds <= runtimeLimit,
    'maxRuntime',
    `${maxRuntimeSeconds} seconds`,
    `whole seconds from 60 to ${runtimeLimit} (the schedule interval)`,
  );
  return { instanceType, instanceCount, volumeSizeGb, maxRuntimeSeconds };
}

/** Records a problem unless an explicit schedule name fits SageMaker's pattern. */
export function checkScheduleName(errors: ValidationErrors, scheduleName: string | undefined): void {
  if (scheduleName !== undefined) {
    errors.checkPattern('scheduleName', scheduleName, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, '1-63 letters, digits and hyphens, starting and ending with a letter or digit');
  }
}

/** `imageUri`, else the region's built-in analyzer image; records a problem when the region has none. */
export function resolveAnalyzerImage(scope: Construct, imageUri: string | undefined, errors: ValidationErrors): { imageUri: string } | undefined {
  const image = imageUri !== undefined ? { imageUri } : modelMonitorAnalyzerImage(scope);
  errors.check(
    image !== undefined,
    'imageUri',
    imageUri,
    `an analyzer image URI: the stack's region has no built-in Model Monitor image (known: ${Object.keys(MODEL_MONITOR_ANALYZER_ACCOUNTS).join(', ')})`,
  );
  return image;
}

/**
 * The job-definition parts every monitoring job type shares: the endpoint input, the report output, the
 * cluster (volume encrypted with `encryptionKey`), inter-container encryption and the run-time limit.
 */
export function monitoringJobParts(options: {
  readonly endpointName: string;
  readonly outputUri: string;
  readonly encryptionKey?: kms.IKey;
  readonly resources: JobResources;
  readonly networkIsolation?: boolean;
}) {
  const { instanceType, instanceCount, volumeSizeGb, maxRuntimeSeconds } = options.resources;
  return {
    endpointInput: {
      endpointName: options.endpointName,
      localPath: '/opt/ml/processing/input/endpoint',
      s3InputMode: 'File',
      s3DataDistributionType: 'FullyReplicated',
    },
    outputConfig: {
      kmsKeyId: options.encryptionKey?.keyArn,
      monitoringOutputs: [{ s3Output: { s3Uri: options.outputUri, localPath: '/opt/ml/processing/output', s3UploadMode: 'EndOfJob' } }],
    },
    jobResources: {
      clusterConfig: { instanceType, instanceCount, volumeSizeInGb: volumeSizeGb, volumeKmsKeyId: options.encryptionKey?.keyArn },
    },
    networkConfig: { enableNetworkIsolation: options.networkIsolation ?? true, enableInterContainerTrafficEncryption: true },
    stoppingCondition: { maxRuntimeInSeconds: maxRuntimeSeconds },
  };
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

/** An S3 object given by URI, or a local file uploaded as an asset. */
export interface ResolvedS3Object {
  readonly s3Uri: string;
  /** `arn:<partition>:s3:::bucket/key` of exactly this object. */
  readonly objectArn: string;
  /** KMS key the object is encrypted with, when known. */
  readonly key?: kms.IKey;
}

/** Turns an `s3://bucket/key` URI into an object reference; records a problem when it is not one. */
export function s3ObjectFromUri(scope: Construct, uri: string, prop: string, errors: ValidationErrors): ResolvedS3Object | undefined {
  if (Token.isUnresolved(uri)) {
    // e.g. `s3://${bucket.bucketName}/baseline/statistics.json`: the bucket is only known at deploy time.
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!errors.check(match !== null && !match[2].endsWith('/'), prop, uri, S3_URI_EXPECTED)) return undefined;
    return { s3Uri: uri, objectArn: objectArn(scope, match![1], match![2]) };
  }
  const location = parseS3Uri(uri);
  if (!errors.check(location !== undefined, prop, uri, S3_URI_EXPECTED)) return undefined;
  return { s3Uri: uri, objectArn: objectArn(scope, location!.bucketName, location!.key) };
}

/** Uploads a local file as an asset; records a problem when it is not a readable file. */
export function s3ObjectFromFile(scope: Construct, id: string, path: string, prop: string, errors: ValidationErrors): ResolvedS3Object | undefined {
  if (!errors.check(isFile(path), prop, path, 'the path of an existing local file')) return undefined;
  const asset = new s3assets.Asset(scope, id, { path });
  return { s3Uri: asset.s3ObjectUrl, objectArn: asset.bucket.arnForObjects(asset.s3ObjectKey), key: asset.bucket.encryptionKey };
}

/** Reads a local JSON file; undefined when it does not parse. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return fs.statSync(path).isFile();
  } catch {
    return false;
  }
}

function objectArn(scope: Construct, bucketName: string, key: string): string {
  return Stack.of(scope).formatArn({ service: 's3', region: '', account: '', resource: bucketName, resourceName: key });
}

/**
 * Normalises an S3 key prefix: no leading slash, one trailing slash, so `prefix*` in a policy cannot
 * also match a sibling such as `capture-old/`.
 */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** Records a problem unless `prefix` is a plain S3 key prefix (not a URI, no wildcards). */
export function checkPrefix(errors: ValidationErrors, prop: string, prefix: string): boolean {
  if (Token.isUnresolved(prefix)) return true;
  return errors.check(
    prefix.replace(/^\/+/, '').length > 0 && prefix.length <= 512 && !/^s3:\/\//.test(prefix) && !/[*?\s]/.test(prefix),
    prop,
    prefix,
    'a non-empty S3 key prefix such as "capture/" (no s3://, wildcards or spaces)',
  );
}

/** Props for the monitoring job's role. */
export interface MonitoringRoleOptions {
  readonly captureBucket: s3.IBucket;
  readonly capturePrefix: string;
  readonly captureKey?: kms.IKey;
  readonly inputObjects: readonly ResolvedS3Object[];
  readonly outputBucket: s3.IBucket;
  readonly outputPrefix: string;
  readonly encryptionKey?: kms.IKey;
  /** CloudWatch namespace the job publishes to. */
  readonly metricNamespace: string;
  /** When set, the job runs in this VPC and needs to manage its network interfaces there. */
  readonly vpcArn?: string;
}

/** A role SageMaker assumes to run one monitoring job, with access to exactly its inputs and outputs. */
export function createMonitoringRole(scope: Construct, id: string, options: MonitoringRoleOptions): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', {
      // Confused-deputy guard: only SageMaker acting for this account may assume the role.
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
    description: 'Runs a SageMaker Model Monitor job: reads captured traffic and baselines, writes reports',
  });

  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadCapturedTraffic',
      actions: ['s3:GetObject'],
      resources: [options.captureBucket.arnForObjects(`${options.capturePrefix}*`)],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ListCapturedTraffic',
      actions: ['s3:ListBucket'],
      resources: [options.captureBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${options.capturePrefix}*`] } },
    }),
  );
  if (options.inputObjects.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadBaselineAndInputs',
        actions: ['s3:GetObject'],
        resources: options.inputObjects.map((o) => o.objectArn),
      }),
    );
  }
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WriteReports',
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: [options.outputBucket.arnForObjects(`${options.outputPrefix}*`)],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PublishMonitoringMetrics',
      actions: ['cloudwatch:PutMetricData'],
      // PutMetricData has no resource type: `*` is the only resource it accepts; the namespace condition scopes it.
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': options.metricNamespace } },
    }),
  );
  const logGroupArn = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: '/aws/sagemaker/ProcessingJobs',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WriteJobLogs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      // Each run writes a new stream named after its processing job, so streams cannot be listed ahead of time.
      resources: [logGroupArn, `${logGroupArn}:log-stream:*`],
    }),
  );

  // Explicit KMS actions (no GenerateDataKey*/ReEncrypt* wildcards): read captures, write reports, encrypt volumes.
  const keyActions = new Map<kms.IKey, Set<string>>();
  const allow = (key: kms.IKey | undefined, ...actions: string[]) => {
    if (!key) return;
    const set = keyActions.get(key) ?? new Set<string>();
    actions.forEach((a) => set.add(a));
    keyActions.set(key, set);
  };
  allow(options.captureBucket.encryptionKey, 'kms:Decrypt');
  allow(options.captureKey, 'kms:Decrypt');
  for (const input of options.inputObjects) allow(input.key, 'kms:Decrypt');
  // Multipart uploads of SSE-KMS objects read back their data keys, hence Decrypt next to GenerateDataKey.
  allow(options.outputBucket.encryptionKey, 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt');
  allow(options.encryptionKey, 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt');
  for (const [key, actions] of keyActions) key.grant(role, ...actions);
  if (options.encryptionKey) {
    // The processing instance's volume is encrypted through a grant SageMaker creates on the job's behalf.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'GrantVolumeEncryption',
        actions: ['kms:CreateGrant'],
        resources: [options.encryptionKey.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
      }),
    );
  }

  if (options.vpcArn) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeVpcForJob',
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
        // EC2 Describe* actions support no resource-level permissions.
        resources: ['*'],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageJobNetworkInterfaces',
        actions: ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
        // The interfaces do not exist before the job runs; the VPC condition keeps them in the monitor's VPC.
        resources: ['*'],
        conditions: { ArnEquals: { 'ec2:Vpc': options.vpcArn } },
      }),
    );
  }
  return role;
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

/**
 * Acknowledges cdk-nag AwsSolutions-IAM5 for the wildcard resources of the role's statements named in
 * `reasons` (by Sid), one finding at a time, so a wildcard added later (or by a user) still shows up.
 * Finding ids follow cdk-nag's rendering of CloudFormation references (`<Logical.Arn>`, `<AWS::Partition>`).
 */
export function acknowledgeWildcardResources(role: iam.Role, reasons: Readonly<Record<string, string>>): void {
  const policy = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
  if (!policy) return;
  const document = Stack.of(role).resolve(policy.document.toJSON()) as { Statement?: { Sid?: string; Resource?: unknown }[] };
  for (const statement of document.Statement ?? []) {
    const reason = statement.Sid ? reasons[statement.Sid] : undefined;
    if (!reason) continue;
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    for (const resource of resources.map(flattenReference).filter((r) => r.includes('*'))) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
    }
  }
}

/** Why each wildcard in the monitoring role is there, by statement Sid. */
export const MONITORING_ROLE_WILDCARD_REASONS: Readonly<Record<string, string>> = {
  ReadCapturedTraffic: 'Captured requests are new objects under the endpoint capture prefix each hour; the grant is limited to that prefix',
  WriteReports: 'Each run writes new report objects under the monitor output prefix; the grant is limited to that prefix',
  PublishMonitoringMetrics: 'cloudwatch:PutMetricData has no resource type; the statement is limited to the Model Monitor namespace by condition',
  WriteJobLogs: 'Each run logs to a new stream named after its processing job in /aws/sagemaker/ProcessingJobs',
  DescribeVpcForJob: 'EC2 Describe* actions support no resource-level permissions',
  ManageJobNetworkInterfaces: 'The job network interfaces do not exist before the run; limited to the monitor VPC by condition',
};
