// ModelQualityMonitor: joins an endpoint's captured predictions with ground-truth labels on a schedule
// (SageMaker Model Monitor model quality) and alarms when accuracy, precision or recall fall too low.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { IInferenceEndpoint } from './inference-endpoint';
import { modelMonitorAnalyzerImage, MODEL_MONITOR_ANALYZER_ACCOUNTS } from './private/model-monitor-images';
import {
  acknowledgeWildcardResources,
  checkPrefix,
  createJobHealthAlarms,
  createMonitoringRole,
  HOURLY_SCHEDULE,
  jobDefinitionNameFromArn,
  MONITORING_ROLE_WILDCARD_REASONS,
  monitorResourceName,
  normalisePrefix,
  parseScheduleExpression,
  ResolvedS3Object,
  s3ObjectFromUri,
  SCHEDULE_EXPECTED,
} from './private/monitoring-job';

/** CloudWatch namespace Model Monitor model-quality jobs publish to. */
export const MODEL_QUALITY_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/model-metrics';

/** The kind of prediction the model makes, which decides the metrics Model Monitor computes. */
export type ModelQualityProblemType = 'BinaryClassification' | 'MulticlassClassification' | 'Regression';
const PROBLEM_TYPES: readonly ModelQualityProblemType[] = ['BinaryClassification', 'MulticlassClassification', 'Regression'];

/** Lowest acceptable values (0..1); each one set gets an alarm. */
export interface ModelQualityThresholds {
  /** @default - no accuracy alarm */
  readonly accuracy?: number;
  /** Precision (weighted over classes for multiclass). @default - no precision alarm */
  readonly precision?: number;
  /** Recall (weighted over classes for multiclass). @default - no recall alarm */
  readonly recall?: number;
}

export interface ModelQualityMonitorProps {
  /** The endpoint whose captured predictions are scored. Data capture must record outputs. */
  readonly endpoint: IInferenceEndpoint;
  /** Bucket the endpoint's data capture writes to. */
  readonly captureBucket: s3.IBucket;
  /** Key prefix of the endpoint's data capture, e.g. `capture/`. */
  readonly capturePrefix: string;
  /**
   * KMS key of captured objects, when `captureBucket` is imported.
   * @default - `captureBucket.encryptionKey`, if any
   */
  readonly captureKey?: kms.IKey;
  /** Bucket holding ground-truth labels (Model Monitor's merge format, by `inferenceId`). */
  readonly groundTruthBucket: s3.IBucket;
  /** Key prefix of the ground-truth labels, e.g. `ground-truth/`. */
  readonly groundTruthPrefix: string;
  /** What the model predicts. */
  readonly problemType: ModelQualityProblemType;
  /**
   * Where the prediction is in the captured output (index for CSV, JSON path for JSON).
   * @default - the whole output is the prediction
   */
  readonly inferenceAttribute?: string;
  /**
   * Where the predicted probability is in the captured output (binary classification).
   * @default - none
   */
  readonly probabilityAttribute?: string;
  /**
   * Probability at or above which a binary prediction counts as positive.
   * @default - none (the inference attribute is the label)
   */
  readonly probabilityThreshold?: number;
  /**
   * Baseline `constraints.json` from a model-quality baselining job (`s3://bucket/key`).
   * @default - no baseline; alarms come from `thresholds` only
   */
  readonly constraintsUri?: string;
  /**
   * Alarm thresholds (classification only).
   * @default - no quality alarms
   */
  readonly thresholds?: ModelQualityThresholds;
  /**
   * Window of captured data each run scores, as ISO 8601 offsets from the run time (labels arrive late).
   * @default - SageMaker's default window
   */
  readonly startTimeOffset?: string;
  /** @default - SageMaker's default window */
  readonly endTimeOffset?: string;
  /**
   * Bucket the reports are written to.
   * @default - `captureBucket`
   */
  readonly outputBucket?: s3.IBucket;
  /**
   * Key prefix of the reports.
   * @default 'monitoring/model-quality/'
   */
  readonly outputPrefix?: string;
  /**
   * Key for the job's volume and its reports.
   * @default - `captureBucket.encryptionKey`; without one, AWS-managed volume encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Schedule, in the cron shapes SageMaker accepts (see DriftMonitorProps.schedule).
   * @default 'cron(0 * ? * * *)' (hourly)
   */
  readonly schedule?: string;
  /**
   * Name of the monitoring schedule.
   * @default - derived from the stack name and construct id
   */
  readonly scheduleName?: string;
  /** @default 'ml.m5.xlarge' */
  readonly instanceType?: string;
  /** @default 1 */
  readonly instanceCount?: number;
  /** @default 20 */
  readonly volumeSizeGb?: number;
  /** @default Duration.hours(1) */
  readonly maxRuntime?: Duration;
  /** @default true */
  readonly networkIsolation?: boolean;
  /**
   * Topic for every alarm's ALARM and OK transitions.
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Analyzer image override.
   * @default - SageMaker's analyzer image for the stack's region
   */
  readonly imageUri?: string;
}

/** Scheduled model-quality monitoring of one endpoint against ground-truth labels. */
export class ModelQualityMonitor extends Construct {
  readonly jobDefinition: sagemaker.CfnModelQualityJobDefinition;
  readonly schedule: sagemaker.CfnMonitoringSchedule;
  readonly scheduleName: string;
  readonly role: iam.IRole;
  /** Alarms keyed by threshold name (`accuracy`, `precision`, `recall`). */
  readonly qualityAlarms: Readonly<Partial<Record<keyof ModelQualityThresholds, cloudwatch.Alarm>>>;
  readonly jobHealthAlarm: cloudwatch.IAlarm;
  readonly failedJobsRule: events.Rule;
  /** Every alarm that notifies. */
  readonly alarms: readonly cloudwatch.IAlarm[];

  private readonly endpointName: string;
  private readonly intervalHours?: number;
  private readonly problemType: ModelQualityProblemType;

  constructor(scope: Construct, id: string, props: ModelQualityMonitorProps) {
    super(scope, id);
    const errors = new ValidationErrors('ModelQualityMonitor');

    errors.checkOneOf('problemType', props.problemType, PROBLEM_TYPES);
    this.problemType = props.problemType;
    const expression = props.schedule ?? HOURLY_SCHEDULE;
    const parsedSchedule = parseScheduleExpression(expression);
    errors.check(parsedSchedule !== undefined, 'schedule', expression, SCHEDULE_EXPECTED);
    this.intervalHours = parsedSchedule?.intervalHours;

    const thresholds = props.thresholds ?? {};
    for (const [name, value] of Object.entries(thresholds) as [keyof ModelQualityThresholds, number | undefined][]) {
      if (value === undefined) continue;
      errors.check(Number.isFinite(value) && value >= 0 && value <= 1, `thresholds.${name}`, value, 'a number from 0 to 1');
    }
    if (props.problemType === 'Regression') {
      errors.check(Object.values(thresholds).every((v) => v === undefined), 'thresholds', thresholds, 'no accuracy/precision/recall thresholds for Regression (alarm on metricQuality("rmse") or "r2" instead)');
    }
    if (props.probabilityThreshold !== undefined) {
      errors.check(props.problemType === 'BinaryClassification', 'probabilityThreshold', props.probabilityThreshold, 'only with problemType BinaryClassification');
      errors.check(props.probabilityThreshold >= 0 && props.probabilityThreshold <= 1, 'probabilityThreshold', props.probabilityThreshold, 'a number from 0 to 1');
    }
    errors.checkPattern('startTimeOffset', props.startTimeOffset, /^-P/, 'a negative ISO 8601 duration such as "-P1D"');
    errors.checkPattern('endTimeOffset', props.endTimeOffset, /^-P/, 'a negative ISO 8601 duration such as "-PT1H"');

    const instanceType = props.instanceType ?? 'ml.m5.xlarge';
    errors.checkPattern('instanceType', instanceType, /^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'a SageMaker processing instance type such as ml.m5.xlarge');
    const instanceCount = props.instanceCount ?? 1;
    errors.checkNumber('instanceCount', instanceCount, { min: 1, max: 100, integer: true });
    const volumeSizeGb = props.volumeSizeGb ?? 20;
    errors.checkNumber('volumeSizeGb', volumeSizeGb, { min: 1, max: 16384, integer: true });
    const maxRuntimeSeconds = (props.maxRuntime ?? Duration.hours(1)).toSeconds();
    const runtimeLimit = Math.min(86400, (this.intervalHours ?? 24) * 3600);
    errors.check(
      Number.isInteger(maxRuntimeSeconds) && maxRuntimeSeconds >= 60 && maxRuntimeSeconds <= runtimeLimit,
      'maxRuntime',
      `${maxRuntimeSeconds} seconds`,
      `whole seconds from 60 to ${runtimeLimit} (the schedule interval)`,
    );

    checkPrefix(errors, 'capturePrefix', props.capturePrefix);
    checkPrefix(errors, 'groundTruthPrefix', props.groundTruthPrefix);
    const outputPrefixRaw = props.outputPrefix ?? 'monitoring/model-quality/';
    checkPrefix(errors, 'outputPrefix', outputPrefixRaw);
    if (props.scheduleName !== undefined) {
      errors.checkPattern('scheduleName', props.scheduleName, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, '1-63 letters, digits and hyphens, starting and ending with a letter or digit');
    }
    let constraints: ResolvedS3Object | undefined;
    if (props.constraintsUri !== undefined) constraints = s3ObjectFromUri(this, props.constraintsUri, 'constraintsUri', errors);

    const image = props.imageUri !== undefined ? { imageUri: props.imageUri } : modelMonitorAnalyzerImage(this);
    errors.check(image !== undefined, 'imageUri', props.imageUri, `an analyzer image URI: the stack's region has no built-in Model Monitor image (known: ${Object.keys(MODEL_MONITOR_ANALYZER_ACCOUNTS).join(', ')})`);
    errors.throwIfAny();

    const capturePrefix = normalisePrefix(props.capturePrefix);
    const groundTruthPrefix = normalisePrefix(props.groundTruthPrefix);
    const outputPrefix = normalisePrefix(outputPrefixRaw);
    const outputBucket = props.outputBucket ?? props.captureBucket;
    const encryptionKey = props.encryptionKey ?? props.captureBucket.encryptionKey;
    this.endpointName = props.endpoint.endpointName;
    this.scheduleName = props.scheduleName ?? monitorResourceName(this, 'quality');

    const role = createMonitoringRole(this, 'Role', {
      captureBucket: props.captureBucket,
      capturePrefix,
      captureKey: props.captureKey,
      inputObjects: constraints ? [constraints] : [],
      outputBucket,
      outputPrefix,
      encryptionKey,
      metricNamespace: MODEL_QUALITY_METRICS_NAMESPACE,
    });
    // Ground truth is a second prefix the job reads, in a bucket that may differ from the capture bucket.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadGroundTruth',
        actions: ['s3:GetObject'],
        resources: [props.groundTruthBucket.arnForObjects(`${groundTruthPrefix}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListGroundTruth',
        actions: ['s3:ListBucket'],
        resources: [props.groundTruthBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${groundTruthPrefix}*`] } },
      }),
    );
    props.groundTruthBucket.encryptionKey?.grant(role, 'kms:Decrypt');
    this.role = role;

    this.jobDefinition = new sagemaker.CfnModelQualityJobDefinition(this, 'JobDefinition', {
      endpointName: this.endpointName,
      roleArn: role.roleArn,
      modelQualityAppSpecification: {
        imageUri: image!.imageUri,
        problemType: props.problemType,
        environment: { publish_cloudwatch_metrics: 'Enabled' },
      },
      modelQualityBaselineConfig: constraints ? { constraintsResource: { s3Uri: constraints.s3Uri } } : undefined,
      modelQualityJobInput: {
        endpointInput: {
          endpointName: this.endpointName,
          localPath: '/opt/ml/processing/input/endpoint',
          s3InputMode: 'File',
          s3DataDistributionType: 'FullyReplicated',
          inferenceAttribute: props.inferenceAttribute,
          probabilityAttribute: props.probabilityAttribute,
          probabilityThresholdAttribute: props.probabilityThreshold,
          startTimeOffset: props.startTimeOffset,
          endTimeOffset: props.endTimeOffset,
        },
        groundTruthS3Input: { s3Uri: `s3://${props.groundTruthBucket.bucketName}/${groundTruthPrefix}` },
      },
      modelQualityJobOutputConfig: {
        kmsKeyId: encryptionKey?.keyArn,
        monitoringOutputs: [
          { s3Output: { s3Uri: `s3://${outputBucket.bucketName}/${outputPrefix}`, localPath: '/opt/ml/processing/output', s3UploadMode: 'EndOfJob' } },
        ],
      },
      jobResources: { clusterConfig: { instanceType, instanceCount, volumeSizeInGb: volumeSizeGb, volumeKmsKeyId: encryptionKey?.keyArn } },
      networkConfig: { enableNetworkIsolation: props.networkIsolation ?? true, enableInterContainerTrafficEncryption: true },
      stoppingCondition: { maxRuntimeInSeconds: maxRuntimeSeconds },
    });
    this.jobDefinition.node.addDependency(role);

    this.schedule = new sagemaker.CfnMonitoringSchedule(this, 'Schedule', {
      monitoringScheduleName: this.scheduleName,
      endpointName: this.endpointName,
      monitoringScheduleConfig: {
        monitoringJobDefinitionName: jobDefinitionNameFromArn(this.jobDefinition.attrJobDefinitionArn),
        monitoringType: 'ModelQuality',
        scheduleConfig: {
          scheduleExpression: expression,
          ...(expression === 'NOW' ? { dataAnalysisStartTime: '-PT24H', dataAnalysisEndTime: '-PT0H' } : {}),
        },
      },
    });
    this.schedule.addResourceDependency(this.jobDefinition);

    const qualityAlarms: Partial<Record<keyof ModelQualityThresholds, cloudwatch.Alarm>> = {};
    const notifying: cloudwatch.AlarmBase[] = [];
    for (const name of ['accuracy', 'precision', 'recall'] as const) {
      const threshold = thresholds[name];
      if (threshold === undefined) continue;
      const alarm = new cloudwatch.Alarm(this, `QualityAlarm-${name}`, {
        alarmDescription: `Model ${name} on labelled traffic fell below ${threshold} (schedule ${this.scheduleName})`,
        metric: this.metricQuality(this.metricNameFor(name)),
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      qualityAlarms[name] = alarm;
      notifying.push(alarm);
    }
    this.qualityAlarms = qualityAlarms;

    const firstMetric = (['accuracy', 'precision', 'recall'] as const).find((n) => thresholds[n] !== undefined);
    const health = createJobHealthAlarms(this, {
      monitoringScheduleArn: this.schedule.attrMonitoringScheduleArn,
      heartbeatMetric: firstMetric ? this.metricQuality(this.metricNameFor(firstMetric)) : undefined,
      intervalHours: this.intervalHours,
      description: `schedule ${this.scheduleName}`,
    });
    this.failedJobsRule = health.failedJobsRule;
    this.jobHealthAlarm = health.jobHealthAlarm;
    notifying.push(health.jobHealthAlarm);
    if (props.alarmTopic) {
      const action = new cloudwatchActions.SnsAction(props.alarmTopic);
      notifying.forEach((a) => {
        a.addAlarmAction(action);
        a.addOkAction(action);
      });
    }
    this.alarms = notifying;

    acknowledgeWildcardResources(role, {
      ...MONITORING_ROLE_WILDCARD_REASONS,
      ReadGroundTruth: 'Labels arrive as new objects under the ground-truth prefix; the grant is limited to that prefix',
    });
  }

  /**
   * A model-quality metric Model Monitor publishes for this endpoint and schedule, e.g. `accuracy`,
   * `weighted_recall` (multiclass), `rmse` or `r2` (regression).
   * @default Minimum over the schedule interval
   */
  metricQuality(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: MODEL_QUALITY_METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { Endpoint: this.endpointName, MonitoringSchedule: this.scheduleName },
      statistic: 'Minimum',
      period: Duration.hours(this.intervalHours ?? 1),
      ...props,
    });
  }

  private metricNameFor(name: keyof ModelQualityThresholds): string {
    // Multiclass reports class-weighted precision and recall; accuracy has one name for both.
    if (this.problemType === 'MulticlassClassification' && name !== 'accuracy') return `weighted_${name}`;
    return name;
  }
}
