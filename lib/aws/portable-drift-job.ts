// PortableDriftJob: the library's own drift job (lib/runtime/drift) on AWS as an hourly Lambda: the stack's default
// drift monitor. Emits `DeployAiSmarter/Drift` metrics through EMF and alarms on the job's own verdicts.
import { Duration } from 'aws-cdk-lib';
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
import { driftJobEnvironment } from '../core/drift-job';
import { ValidationErrors } from '../core/errors';
import { ModelSpec, resolveModelSpec } from '../core/model-spec';
import { CONSTRAINT_CHECKS, ConstraintCheck } from '../runtime/drift/constraint-checks';
import { DRIFT_METRIC_NAMESPACE, VIOLATION_METRICS } from '../runtime/drift/emitters';
import { createBundledFunction } from './private/bundled-function';
import { createJobHealthAlarm, notifyAlarmTopic } from './private/job-health';
import { acknowledgeWildcardArns } from './private/nag-findings';

/** CloudWatch namespace of the portable drift job's metrics (the emitter's own constant, lib/runtime/drift/emitters.ts). */
export const PORTABLE_DRIFT_METRICS_NAMESPACE = DRIFT_METRIC_NAMESPACE;

/**
 * Default memory of the drift function. `npm run bench` (scripts/bench-drift.ts) profiles a day of capture, 1M rows,
 * in about 7 s of CPU and 125 MB peak RSS on a 2-CPU dev machine. The job is single-threaded and Lambda gives CPU in
 * proportion to memory, one full vCPU at 1,769 MB (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html,
 * read 2026-12-05): 2048 MB buys that whole vCPU, so a 24-hour window (1M rows) stays well under a minute of CPU even on
 * a slower core, and leaves 16x the measured memory for wider tables, more distinct categories and the S3 client.
 */
export const PORTABLE_DRIFT_DEFAULT_MEMORY_MB = 2048;

export interface PortableDriftJobProps {
  /** The model: its name (the `Model` metric dimension), drift features and thresholds. */
  readonly spec: ModelSpec;
  /** Bucket holding the captured requests. */
  readonly captureBucket: s3.IBucket;
  /**
   * Key prefix directly above the `YYYY/MM/DD/HH/` capture partitions; for SageMaker data capture that is
   * `<capture prefix><endpoint name>/<variant name>/`.
   */
  readonly capturePrefix: string;
  /** Bucket holding the baseline. */
  readonly baselineBucket: s3.IBucket;
  /** Key prefix of the folder with `statistics.json` and `constraints.json` (from `deploy-ai-smarter baseline`). */
  readonly baselinePrefix: string;
  /**
   * Key of the captured and baseline objects, when the buckets' `encryptionKey` is unknown (imported buckets).
   * It also encrypts the job's log group (else the capture bucket's key does). A key created in CDK gets a
   * key policy statement letting CloudWatch Logs use it for that one log group; an imported key cannot be
   * changed, so its owner must allow `logs.<region>.amazonaws.com` to use it for that log group (condition
   * `kms:EncryptionContext:aws:logs:arn`), or creating the log group fails.
   * @default - the buckets' keys; the log group uses the capture bucket's key, or a key of its own when that
   * bucket has none
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * When the job runs (EventBridge schedule, UTC).
   * @default events.Schedule.cron({ minute: '15' }) (hourly, a quarter past, once the last hour's captures are written)
   */
  readonly schedule?: events.Schedule;
  /**
   * Hours each run analyzes, ending at the start of the current hour (1-168).
   * @default 1
   */
  readonly windowHours?: number;
  /**
   * Function memory in MB (128-10240); the job streams, so memory scales with features, not data.
   * @default 2048 (one full vCPU; see PORTABLE_DRIFT_DEFAULT_MEMORY_MB)
   */
  readonly memorySize?: number;
  /**
   * Function timeout (at most 15 minutes, Lambda's limit). Billing is per millisecond used, so the limit costs nothing
   * until a run needs it: reading a day of capture objects from S3 takes longer than analyzing them.
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /**
   * Topic that gets every alarm's ALARM and OK transitions.
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Retention of the job's log group `/aws/lambda/<unique name of this construct>-Function`.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;
const PREFIX_EXPECTED = "a key prefix ending in '/' without a leading '/', e.g. 'baseline/'";

/**
 * The portable drift job as a scheduled Lambda, with alarms on the job's verdicts (per named feature, the dataset,
 * constraint violations) and a job-health alarm. docs/drift.md "Metric and log contract" lists what each alarm reads.
 */
export class PortableDriftJob extends Construct {
  readonly function: lambda.Function;
  readonly rule: events.Rule;
  /**
   * One alarm per `spec.monitoring.driftFeatures` entry on the job's verdict for it (`FeatureDrifted` >= 1), keyed by
   * feature: the job's own test, noise gate and multiple-testing correction decide, not a raw distance.
   */
  readonly featureDriftAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** Fires when a run finds at least one feature drifted (`DriftedFeatures` > 0), named in `spec` or not. */
  readonly driftedFeaturesAlarm: cloudwatch.Alarm;
  /** Fires when the share of drifted features reaches the dataset threshold (`DatasetDrift` >= 1). */
  readonly datasetDriftAlarm: cloudwatch.Alarm;
  /**
   * Fires when a run finds a constraint violation (`ConstraintViolations` >= 1): a missing or extra column, a type
   * change, new categories past the domain threshold, or a completeness drop.
   */
  readonly constraintViolationsAlarm: cloudwatch.Alarm;
  /** Fires when a run fails (Lambda errors) or runs stop reporting for three hours. */
  readonly jobHealthAlarm: cloudwatch.AlarmBase;
  /** Every alarm that notifies. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** The alarms that mean "the data drifted" (feature, dataset, drifted features): what a retraining signal listens to. */
  readonly driftAlarms: readonly cloudwatch.Alarm[];
  /** The `Model` dimension of the metrics. */
  readonly modelName: string;

  constructor(scope: Construct, id: string, props: PortableDriftJobProps) {
    super(scope, id);
    const errors = new ValidationErrors('PortableDriftJob');
    const spec = resolveModelSpec(props.spec, errors, 'spec');
    errors.checkPattern('capturePrefix', props.capturePrefix, PREFIX, PREFIX_EXPECTED);
    errors.checkPattern('baselinePrefix', props.baselinePrefix, PREFIX, PREFIX_EXPECTED);
    errors.checkNumber('memorySize', props.memorySize, { min: 128, max: 10240, integer: true });
    const timeout = props.timeout ?? Duration.minutes(15);
    if (!timeout.isUnresolved()) {
      errors.check(timeout.toSeconds() >= 60 && timeout.toSeconds() <= 900, 'timeout', `${timeout.toSeconds()} s`, 'from 1 to 15 minutes (Lambda limit)');
    }
    errors.throwIfAny();
    // Checks the URIs and window (throws under the same construct name).
    const environment = driftJobEnvironment(spec, {
      logFormat: 'aws',
      baselineUri: `s3://${props.baselineBucket.bucketName}/${props.baselinePrefix}`,
      captureUri: `s3://${props.captureBucket.bucketName}/${props.capturePrefix}`,
      windowHours: props.windowHours,
    }, 'PortableDriftJob');
    this.modelName = spec.name;

    const { fn, role } = createBundledFunction(this, 'Function', {
      entry: 'drift-lambda',
      description: `Hourly drift check of model ${spec.name} against its training baseline`,
      roleDescription: 'Portable drift job: reads captured requests and the baseline, writes its own logs',
      timeout,
      memorySize: props.memorySize ?? PORTABLE_DRIFT_DEFAULT_MEMORY_MB,
      environment,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      // Without a known key, the factory creates one for the log group.
      logKey: props.encryptionKey ?? props.captureBucket.encryptionKey,
      // A failed run would fail the same way again; the job-health alarm reports it instead of retries repeating its lines.
      retryAttempts: 0,
      // Runs never overlap: one hourly window at a time.
      reservedConcurrentExecutions: 1,
      // One hourly batch run calling only S3: no trace worth an X-Ray permission on `*`.
      tracing: false,
      roleId: 'Role',
      logGroupId: 'Logs',
    });
    this.function = fn;

    // Read-only, and only on the two folders.
    const readPrefixes: [s3.IBucket, string][] = [[props.captureBucket, props.capturePrefix], [props.baselineBucket, props.baselinePrefix]];
    const objectArns = readPrefixes.map(([bucket, prefix]) => bucket.arnForObjects(`${prefix}*`));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadCaptureAndBaseline', actions: ['s3:GetObject'], resources: objectArns }));
    for (const [i, [bucket, prefix]] of readPrefixes.entries()) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: i === 0 ? 'ListCapture' : 'ListBaseline',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }));
    }
    const keys = new Set([props.encryptionKey, props.captureBucket.encryptionKey, props.baselineBucket.encryptionKey].filter((k): k is kms.IKey => k !== undefined));
    keys.forEach((key) => key.grant(role, 'kms:Decrypt'));
    acknowledgeWildcardArns(role, objectArns, 'Captured requests are new objects every hour under the capture prefix and the baseline files are replaced by users; read access is limited to those two prefixes');

    this.rule = new events.Rule(this, 'Schedule', {
      description: `Runs the drift check of model ${spec.name}`,
      schedule: props.schedule ?? events.Schedule.cron({ minute: '15' }),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });

    // --- alarms, all on verdicts the job publishes (0/1 or counts): at least one run saying so fires them.
    const verdictAlarm = (alarmId: string, description: string, metric: cloudwatch.IMetric) => new cloudwatch.Alarm(this, alarmId, {
      alarmDescription: `${description} (portable drift job)`,
      metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // Hours without traffic publish no feature or violation lines; the job-health alarm covers runs that never report.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.featureDriftAlarms = Object.fromEntries(spec.monitoring.driftFeatures.map((feature) => [feature, verdictAlarm(
      `DriftAlarm-${feature}`,
      `The drift job found feature "${feature}" of model ${spec.name} drifted from the training baseline`,
      this.metricFeatureDrifted(feature),
    )]));
    this.driftedFeaturesAlarm = verdictAlarm('DriftedFeaturesAlarm', `The drift job found at least one feature of model ${spec.name} drifted`, this.metricDriftedFeatures());
    this.datasetDriftAlarm = verdictAlarm('DatasetDriftAlarm', `The drift job found the dataset of model ${spec.name} drifted: the share of drifted features reached its threshold`, this.metricDatasetDrift());
    this.constraintViolationsAlarm = verdictAlarm(
      'ConstraintViolationsAlarm',
      `Captured requests of model ${spec.name} broke the baseline constraints: missing or extra column, type change, new categories or completeness drop (see the constraint_violations log line)`,
      this.metricConstraintViolations(),
    );
    // Every run writes a summary line, with DriftedFeatures, even when there was no traffic.
    this.jobHealthAlarm = createJobHealthAlarm(this, {
      fn: this.function,
      heartbeat: this.metricDriftedFeatures(),
      intervalHours: 1,
      what: `the drift job of model ${spec.name}`,
      failureCauses: 'unreadable baseline or capture, bad settings, timeout',
    }).jobHealthAlarm;

    this.driftAlarms = [...Object.values(this.featureDriftAlarms), this.driftedFeaturesAlarm, this.datasetDriftAlarm];
    // The composite notifies for its two children.
    this.alarms = [...this.driftAlarms, this.constraintViolationsAlarm, this.jobHealthAlarm];
    notifyAlarmTopic(this.alarms as cloudwatch.AlarmBase[], props.alarmTopic);
  }

  /** The job's verdict on one feature, 0 or 1 (`FeatureDrifted`, dimensions `Model` and `Feature`). @default Maximum over 1 hour */
  metricFeatureDrifted(feature: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.jobMetric('FeatureDrifted', { Model: this.modelName, Feature: feature }, props);
  }

  /** Raw KS / L-infinity distance of one feature, ungated (`FeatureDrift`): for graphs, not alarms. @default Maximum over 1 hour */
  metricFeatureDrift(feature: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.jobMetric('FeatureDrift', { Model: this.modelName, Feature: feature }, props);
  }

  /** Raw population stability index of one feature, ungated (`FeaturePsi`): for graphs, not alarms. @default Maximum over 1 hour */
  metricFeaturePsi(feature: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.jobMetric('FeaturePsi', { Model: this.modelName, Feature: feature }, props);
  }

  /** Features the job found drifted in a run (`DriftedFeatures`, dimension `Model`). @default Maximum over 1 hour */
  metricDriftedFeatures(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.jobMetric('DriftedFeatures', { Model: this.modelName }, props);
  }

  /** The dataset verdict, 0 or 1 (`DatasetDrift`, dimension `Model`). @default Maximum over 1 hour */
  metricDatasetDrift(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.jobMetric('DatasetDrift', { Model: this.modelName }, props);
  }

  /** Share of evaluated features that drifted (`DriftedFeatureShare`, dimension `Model`). @default Maximum over 1 hour */
  metricDriftedFeatureShare(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.jobMetric('DriftedFeatureShare', { Model: this.modelName }, props);
  }

  /**
   * Constraint violations in a run: all checks (`ConstraintViolations`), or one check's count (`MissingColumnViolations`,
   * ...), dimension `Model`. @default Maximum over 1 hour
   */
  metricConstraintViolations(check?: ConstraintCheck, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.jobMetric(check === undefined ? 'ConstraintViolations' : VIOLATION_METRICS[check], { Model: this.modelName }, props);
  }

  /** Graphs of the verdicts for a dashboard: every feature's verdict (a search, so unnamed features show too), the dataset and violations per check. */
  dashboardWidgets(): cloudwatch.IWidget[] {
    const search = new cloudwatch.MathExpression({
      expression: `SEARCH('{${PORTABLE_DRIFT_METRICS_NAMESPACE},Feature,Model} MetricName="FeatureDrifted" Model="${this.modelName}"', 'Maximum', 3600)`,
      label: '',
      period: Duration.hours(1),
    });
    return [
      new cloudwatch.GraphWidget({ title: 'Drift verdict per feature (1 = drifted)', left: [search], leftYAxis: { min: 0, max: 1 }, width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'Dataset drift',
        left: [this.metricDatasetDrift({ label: 'Dataset drifted (0/1)' }), this.metricDriftedFeatureShare({ label: 'Share of features drifted' })],
        leftYAxis: { min: 0, max: 1 },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Constraint violations per check',
        left: CONSTRAINT_CHECKS.map((check) => this.metricConstraintViolations(check, { label: check })),
        stacked: true,
        width: 8,
      }),
    ];
  }

  private jobMetric(metricName: string, dimensionsMap: Record<string, string>, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: PORTABLE_DRIFT_METRICS_NAMESPACE,
      metricName,
      dimensionsMap,
      statistic: 'Maximum',
      period: Duration.hours(1),
      ...props,
    });
  }
}
