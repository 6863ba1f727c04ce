// ModelQualityMonitor: joins an endpoint's captured predictions with ground-truth labels on a schedule
// (SageMaker Model Monitor model quality) and alarms when accuracy, precision or recall fall too low.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { IInferenceEndpoint } from './inference-endpoint';
import {
  acknowledgeWildcardResources,
  checkJobResources,
  checkPrefix,
  checkSchedule,
  checkScheduleName,
  createJobHealthAlarms,
  createMonitoringRole,
  createMonitoringSchedule,
  MONITORING_ROLE_WILDCARD_REASONS,
  MonitoringJobProps,
  monitoringJobParts,
  monitorMetric,
  monitorResourceName,
  normalisePrefix,
  notifyTopic,
  resolveAnalyzerImage,
  ResolvedS3Object,
  s3ObjectFromUri,
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

/** Schedule, instances, encryption, outputs and alarm topic come from MonitoringJobProps, shared with DriftMonitor. */
export interface ModelQualityMonitorProps extends MonitoringJobProps {
  /** The endpoint whose captured predictions are scored. Data capture must record outputs. */
  readonly endpoint: IInferenceEndpoint;
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
   * Key prefix of the reports.
   * @default 'monitoring/model-quality/'
   */
  readonly outputPrefix?: string;
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
    const { expression, intervalHours } = checkSchedule(errors, props.schedule);
    this.intervalHours = intervalHours;

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

    const resources = checkJobResources(errors, props, this.intervalHours);

    checkPrefix(errors, 'capturePrefix', props.capturePrefix);
    checkPrefix(errors, 'groundTruthPrefix', props.groundTruthPrefix);
    const outputPrefixRaw = props.outputPrefix ?? 'monitoring/model-quality/';
    checkPrefix(errors, 'outputPrefix', outputPrefixRaw);
    checkScheduleName(errors, props.scheduleName);
    let constraints: ResolvedS3Object | undefined;
    if (props.constraintsUri !== undefined) constraints = s3ObjectFromUri(this, props.constraintsUri, 'constraintsUri', errors);

    const image = resolveAnalyzerImage(this, props.imageUri, errors);
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

    const job = monitoringJobParts({
      endpointName: this.endpointName,
      outputUri: `s3://${outputBucket.bucketName}/${outputPrefix}`,
      encryptionKey,
      resources,
      networkIsolation: props.networkIsolation,
    });
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
          ...job.endpointInput,
          inferenceAttribute: props.inferenceAttribute,
          probabilityAttribute: props.probabilityAttribute,
          probabilityThresholdAttribute: props.probabilityThreshold,
          startTimeOffset: props.startTimeOffset,
          endTimeOffset: props.endTimeOffset,
        },
        groundTruthS3Input: { s3Uri: `s3://${props.groundTruthBucket.bucketName}/${groundTruthPrefix}` },
      },
      modelQualityJobOutputConfig: job.outputConfig,
      jobResources: job.jobResources,
      networkConfig: job.networkConfig,
      stoppingCondition: job.stoppingCondition,
    });
    this.jobDefinition.node.addDependency(role);

    this.schedule = createMonitoringSchedule(this, {
      scheduleName: this.scheduleName,
      endpointName: this.endpointName,
      jobDefinition: this.jobDefinition,
      monitoringType: 'ModelQuality',
      expression,
    });

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
    notifyTopic(notifying, props.alarmTopic);
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
    return monitorMetric({
      namespace: MODEL_QUALITY_METRICS_NAMESPACE,
      metricName,
      endpointName: this.endpointName,
      scheduleName: this.scheduleName,
      statistic: 'Minimum',
      intervalHours: this.intervalHours,
    }, props);
  }

  private metricNameFor(name: keyof ModelQualityThresholds): string {
    // Multiclass reports class-weighted precision and recall; accuracy has one name for both.
    if (this.problemType === 'MulticlassClassification' && name !== 'accuracy') return `weighted_${name}`;
    return name;
  }
}
