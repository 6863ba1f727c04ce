// PortableQualityJob: the library's own model-quality job (lib/runtime/quality) on AWS as a scheduled Lambda: captured
// predictions joined with ground-truth labels, `DeployAiSmarter/Quality` metrics through EMF, and alarms on them.
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { ModelSpec, resolveModelSpec } from '../core/model-spec';
import { QUALITY_THRESHOLDS, QualityMonitoringSpec, ResolvedQualityMonitoring, qualityJobEnvironment, resolveQualityMonitoring } from '../core/quality-job';
import { QUALITY_METRIC_NAMESPACE, emfMetricName } from '../runtime/quality/quality-emitters';
import { createBundledFunction } from './private/bundled-function';
import { createJobHealthAlarm, notifyAlarmTopic } from './private/job-health';
import { acknowledgeWildcardArns } from './private/nag-findings';

/** CloudWatch namespace of the quality job's metrics (the emitter's own constant, lib/runtime/quality/quality-emitters.ts). */
export const PORTABLE_QUALITY_METRICS_NAMESPACE = QUALITY_METRIC_NAMESPACE;

/** A quality threshold key of `spec.monitoring.quality` (`minAccuracy`, `maxRmse`...). */
export type QualityThresholdKey = keyof typeof QUALITY_THRESHOLDS;

export interface PortableQualityJobProps {
  /** The model: its name (the `Model` metric dimension) and, unless `quality` is given, `spec.monitoring.quality`. */
  readonly spec: ModelSpec;
  /**
   * The quality settings: problem type, thresholds, windows.
   * @default - `spec.monitoring.quality` (one of the two is required)
   */
  readonly quality?: QualityMonitoringSpec;
  /** Bucket holding the captured requests and predictions. */
  readonly captureBucket: s3.IBucket;
  /** Key prefix directly above the `YYYY/MM/DD/HH/` capture partitions (`<capture prefix><endpoint>/<variant>/` for SageMaker). */
  readonly capturePrefix: string;
  /** Bucket users upload ground-truth labels to (Model Monitor merge format). */
  readonly groundTruthBucket: s3.IBucket;
  /** Key prefix directly above the `YYYY/MM/DD/HH/` ground-truth partitions, e.g. `ground-truth/`. */
  readonly groundTruthPrefix: string;
  /**
   * Key of the captured and label objects when the buckets' `encryptionKey` is unknown (imported buckets); it also
   * encrypts the log group (see PortableDriftJobProps.encryptionKey for what an imported key needs).
   * @default - the buckets' keys; the log group uses the capture bucket's key, or a key of its own
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * When the job runs (EventBridge, UTC). Each run evaluates `windowHours` ending `labelTimeoutHours` before the start
   * of the current hour, so runs spaced `windowHours` apart cover every hour once.
   * @default - every `windowHours` hours (daily for windows over 24 hours), at half past
   */
  readonly schedule?: events.Schedule;
  /**
   * Function memory in MB (128-10240). The job keeps the window's labelled events in memory to join them.
   * @default 2048 (one full vCPU, as the drift job)
   */
  readonly memorySize?: number;
  /** @default Duration.minutes(15) */
  readonly timeout?: Duration;
  /** Topic that gets every alarm's ALARM and OK transitions. @default - alarms without actions */
  readonly alarmTopic?: sns.ITopic;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;
const PREFIX_EXPECTED = "a key prefix ending in '/' without a leading '/', e.g. 'ground-truth/'";

/**
 * The portable quality job as a scheduled Lambda, with one alarm per threshold in the quality settings, a
 * "labels stopped" alarm, and a job-health alarm (failed runs or no results). Names follow docs/quality.md.
 */
export class PortableQualityJob extends Construct {
  readonly function: lambda.Function;
  readonly rule: events.Rule;
  /** One alarm per threshold set (`minAccuracy` -> `Accuracy` below it, `maxRmse` -> `Rmse` above it...), keyed by threshold. */
  readonly thresholdAlarms: Readonly<Partial<Record<QualityThresholdKey, cloudwatch.Alarm>>>;
  /** Traffic in a window but no label for any of it: labels stopped arriving. */
  readonly labelsStoppedAlarm: cloudwatch.Alarm;
  /** `LabelCoverage` below `minLabelCoverage`, when set. */
  readonly labelCoverageAlarm?: cloudwatch.Alarm;
  /** Fires when a run fails (Lambda errors) or runs stop reporting for three intervals. */
  readonly jobHealthAlarm: cloudwatch.AlarmBase;
  /** Every alarm that notifies. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** The alarms that mean "the model got worse" or "labels stopped" (what a retraining signal listens to). */
  readonly qualityAlarms: readonly cloudwatch.Alarm[];
  /** The `Model` dimension of the metrics. */
  readonly modelName: string;
  /** The settings with defaults. */
  readonly quality: ResolvedQualityMonitoring;
  /** Hours between runs (the alarms' period). */
  readonly intervalHours: number;

  constructor(scope: Construct, id: string, props: PortableQualityJobProps) {
    super(scope, id);
    const errors = new ValidationErrors('PortableQualityJob');
    const spec = resolveModelSpec(props.spec, errors, 'spec');
    errors.checkPattern('capturePrefix', props.capturePrefix, PREFIX, PREFIX_EXPECTED);
    errors.checkPattern('groundTruthPrefix', props.groundTruthPrefix, PREFIX, PREFIX_EXPECTED);
    errors.checkNumber('memorySize', props.memorySize, { min: 128, max: 10240, integer: true });
    const timeout = props.timeout ?? Duration.minutes(15);
    if (!timeout.isUnresolved()) {
      errors.check(timeout.toSeconds() >= 60 && timeout.toSeconds() <= 900, 'timeout', `${timeout.toSeconds()} s`, 'from 1 to 15 minutes (Lambda limit)');
    }
    // The spec's block was resolved (and checked) with the spec.
    const quality = props.quality !== undefined ? resolveQualityMonitoring(props.quality, errors, 'quality') : spec.monitoring.quality;
    errors.check(quality !== undefined, 'quality', undefined, 'quality settings: the quality prop or spec.monitoring.quality (at least problemType)');
    errors.throwIfAny();
    this.quality = quality!;
    this.modelName = spec.name;
    // A run every window (at most daily): CloudWatch alarms evaluate at most 7 days, and three missed runs must fit.
    const windowHours = this.quality.windowHours;
    this.intervalHours = Token.isUnresolved(windowHours) ? 24 : Math.min(windowHours, 24);

    const environment = qualityJobEnvironment(spec, {
      captureUri: `s3://${props.captureBucket.bucketName}/${props.capturePrefix}`,
      groundTruthUri: `s3://${props.groundTruthBucket.bucketName}/${props.groundTruthPrefix}`,
      logFormat: 'aws',
      quality: this.quality,
      // A literal prints as itself; a number token (a parameter) keeps its reference.
      numberToString: (n) => (Token.isUnresolved(n) ? Token.asString(n) : String(n)),
    }, 'PortableQualityJob');

    const { fn, role } = createBundledFunction(this, 'Function', {
      entry: 'quality-lambda',
      description: `Model-quality check of model ${spec.name}: captured predictions joined with ground-truth labels`,
      roleDescription: 'Portable quality job: reads captured predictions and ground-truth labels, writes its own logs',
      timeout,
      memorySize: props.memorySize ?? 2048,
      environment,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      logKey: props.encryptionKey ?? props.captureBucket.encryptionKey,
      // A failed run would fail the same way again; the job-health alarm reports it.
      retryAttempts: 0,
      reservedConcurrentExecutions: 1,
      tracing: false,
      roleId: 'Role',
      logGroupId: 'Logs',
    });
    this.function = fn;

    // Read-only, and only on the two folders.
    const readPrefixes: [s3.IBucket, string, string][] = [
      [props.captureBucket, props.capturePrefix, 'ListCapture'],
      [props.groundTruthBucket, props.groundTruthPrefix, 'ListGroundTruth'],
    ];
    const objectArns = readPrefixes.map(([bucket, prefix]) => bucket.arnForObjects(`${prefix}*`));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadCaptureAndGroundTruth', actions: ['s3:GetObject'], resources: objectArns }));
    for (const [bucket, prefix, sid] of readPrefixes) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid,
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }));
    }
    const keys = new Set([props.encryptionKey, props.captureBucket.encryptionKey, props.groundTruthBucket.encryptionKey].filter((k): k is kms.IKey => k !== undefined));
    keys.forEach((key) => key.grant(role, 'kms:Decrypt'));
    acknowledgeWildcardArns(role, objectArns, 'Captured requests and uploaded labels are new objects every hour under their prefixes; read access is limited to those two prefixes');

    this.rule = new events.Rule(this, 'Schedule', {
      description: `Runs the model-quality check of model ${spec.name}`,
      schedule: props.schedule ?? defaultSchedule(this.intervalHours),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });

    // --- alarms
    const period = Duration.hours(this.intervalHours);
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric, threshold: number, below: boolean) => new cloudwatch.Alarm(this, alarmId, {
      alarmDescription: `${description} (portable quality job)`,
      metric,
      threshold,
      comparisonOperator: below ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // Windows held back by min_samples publish no metric: missing data is no news, the health alarm covers silence.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const thresholdAlarms: Partial<Record<QualityThresholdKey, cloudwatch.Alarm>> = {};
    for (const [key, t] of Object.entries(QUALITY_THRESHOLDS) as [QualityThresholdKey, (typeof QUALITY_THRESHOLDS)[QualityThresholdKey]][]) {
      const value = this.quality[key];
      if (value === undefined) continue;
      const below = key.startsWith('min');
      const metricName = emfMetricName(t.metric);
      thresholdAlarms[key] = alarm(
        `${metricName}Alarm`,
        `Model ${spec.name}: ${t.metric} ${below ? 'below' : 'above'} ${value} against ground-truth labels`,
        this.metric(metricName, { period }),
        value,
        below,
      );
    }
    this.thresholdAlarms = thresholdAlarms;

    this.labelsStoppedAlarm = new cloudwatch.Alarm(this, 'LabelsStoppedAlarm', {
      alarmDescription: `Model ${spec.name}: a window with traffic got no ground-truth label (labels stopped arriving under ${props.groundTruthPrefix}) (portable quality job)`,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(captured > 0 AND labelled < 1, 1, 0)',
        usingMetrics: { captured: this.metric('CapturedEvents', { period }), labelled: this.metric('LabelledEvents', { period }) },
        label: 'Windows with traffic and no label',
        period,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (this.quality.minLabelCoverage !== undefined) {
      this.labelCoverageAlarm = alarm('LabelCoverageAlarm', `Model ${spec.name}: label coverage below ${this.quality.minLabelCoverage}`,
        this.metric('LabelCoverage', { period }), this.quality.minLabelCoverage, true);
    }
    // Every run writes a summary with CapturedEvents, even without traffic.
    this.jobHealthAlarm = createJobHealthAlarm(this, {
      fn: this.function,
      heartbeat: this.metric('CapturedEvents'),
      intervalHours: this.intervalHours,
      what: `the quality job of model ${spec.name}`,
      failureCauses: 'unreadable capture or labels, bad settings, timeout',
    }).jobHealthAlarm;

    this.qualityAlarms = [...Object.values(thresholdAlarms), this.labelsStoppedAlarm, ...(this.labelCoverageAlarm ? [this.labelCoverageAlarm] : [])];
    this.alarms = [...this.qualityAlarms, this.jobHealthAlarm];
    notifyAlarmTopic(this.alarms as cloudwatch.AlarmBase[], props.alarmTopic);
  }

  /**
   * A metric of the job by its CloudWatch name (`Accuracy`, `Precision`, `Recall`, `F1`, `Auc`, `Rmse`, `Mae`, `R2`,
   * `CapturedEvents`, `LabelledEvents`, `LabelCoverage`...), dimension `Model`. @default Minimum over the run interval
   */
  metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: PORTABLE_QUALITY_METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { Model: this.modelName },
      // One value per run; Minimum reads a "min" metric at its worst should two runs share a period.
      statistic: 'Minimum',
      period: Duration.hours(this.intervalHours),
      ...props,
    });
  }

  /** Graphs for a dashboard: the thresholded quality metrics, and captured vs labelled events. */
  dashboardWidgets(): cloudwatch.IWidget[] {
    const metrics = (Object.keys(QUALITY_THRESHOLDS) as QualityThresholdKey[])
      .filter((key) => QUALITY_THRESHOLDS[key].classification === (this.quality.problemType !== 'Regression'))
      .map((key) => emfMetricName(QUALITY_THRESHOLDS[key].metric));
    return [
      new cloudwatch.GraphWidget({ title: `Model quality (${this.quality.problemType})`, left: metrics.map((m) => this.metric(m, { label: m })), width: 12 }),
      new cloudwatch.GraphWidget({
        title: 'Ground-truth labels',
        left: [this.metric('CapturedEvents', { statistic: 'Maximum', label: 'Captured events' }), this.metric('LabelledEvents', { statistic: 'Maximum', label: 'Labelled events' })],
        width: 12,
      }),
    ];
  }
}

/** Every `hours` hours at half past (so a day's partitions are complete); a `rate` when the hours do not divide a day. */
function defaultSchedule(hours: number): events.Schedule {
  if (hours === 24) return events.Schedule.cron({ minute: '30', hour: '0' });
  if (24 % hours === 0) return events.Schedule.cron({ minute: '30', hour: hours === 1 ? '*' : `*/${hours}` });
  return events.Schedule.rate(Duration.hours(hours));
}
