// PortableDriftJob: the library's own drift job (lib/runtime/drift) on AWS, as an hourly Lambda, for accounts
// without SageMaker Model Monitor. Emits `DeployAiSmarter/Drift` metrics through EMF and alarms on them.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { driftJobContainer } from '../core/drift-job';
import { ValidationErrors } from '../core/errors';
import { ModelSpec, resolveModelSpec } from '../core/model-spec';
import { createBundledFunction } from './private/bundled-function';
import { acknowledgeWildcardArns } from './private/nag-findings';

/** CloudWatch namespace of the portable drift job's metrics (lib/runtime/drift/emitters.ts). */
export const PORTABLE_DRIFT_METRICS_NAMESPACE = 'DeployAiSmarter/Drift';

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
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Function timeout (at most 15 minutes, Lambda's limit).
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

/** The portable drift job as a scheduled Lambda, with per-feature and overall drift alarms and a job-health alarm. */
export class PortableDriftJob extends Construct {
  readonly function: lambda.Function;
  readonly rule: events.Rule;
  /** One alarm per `spec.monitoring.driftFeatures` entry on its distance (`FeatureDrift`), keyed by feature. */
  readonly featureDriftAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** One alarm per `spec.monitoring.driftFeatures` entry on its PSI (`FeaturePsi`), keyed by feature. */
  readonly featurePsiAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** Fires when a run finds at least one feature past its drift threshold. */
  readonly driftedFeaturesAlarm: cloudwatch.Alarm;
  /** Fires when a run fails (Lambda errors) or runs stop reporting for three hours. */
  readonly jobHealthAlarm: cloudwatch.AlarmBase;
  /** Every alarm that notifies. */
  readonly alarms: readonly cloudwatch.IAlarm[];
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
    const container = driftJobContainer(spec, {
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
      memorySize: props.memorySize ?? 1024,
      // The container-only variables (npx cache) do not apply to a bundled function.
      environment: Object.fromEntries(Object.entries(container.env).filter(([k]) => k !== 'NPM_CONFIG_UPDATE_NOTIFIER' && k !== 'HOME')),
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

    // --- alarms
    // Distance and PSI alarm alike, per named feature: a feature can shift its shape (PSI) without moving the
    // largest gap between distributions (distance) past its threshold, and the other way round.
    const featureAlarms = (idPrefix: string, measure: string, threshold: number, metric: (feature: string) => cloudwatch.IMetric) =>
      Object.fromEntries(spec.monitoring.driftFeatures.map((feature) => [feature, new cloudwatch.Alarm(this, `${idPrefix}-${feature}`, {
        alarmDescription: `Feature "${feature}" of model ${spec.name} drifted from the training baseline: ${measure} above ${threshold} (portable drift job)`,
        metric: metric(feature),
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // Hours without traffic publish nothing; the job-health alarm covers runs that never report.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      })]));
    this.featureDriftAlarms = featureAlarms('DriftAlarm', 'distance', spec.monitoring.driftThreshold, (f) => this.metricFeatureDrift(f));
    this.featurePsiAlarms = featureAlarms('PsiAlarm', 'population stability index', spec.monitoring.psiThreshold, (f) => this.metricFeaturePsi(f));
    this.driftedFeaturesAlarm = new cloudwatch.Alarm(this, 'DriftedFeaturesAlarm', {
      alarmDescription: `At least one feature of model ${spec.name} drifted past its threshold (portable drift job)`,
      metric: this.metricDriftedFeatures(),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const failedRunsAlarm = new cloudwatch.Alarm(this, 'FailedRunsAlarm', {
      alarmDescription: `The drift job of model ${spec.name} failed (unreadable baseline or capture, bad settings, timeout)`,
      metric: this.function.metricErrors({ statistic: 'Sum', period: Duration.hours(1) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Every successful run writes a summary line, with DriftedFeatures, even when there was no traffic.
    const resultsMissingAlarm = new cloudwatch.Alarm(this, 'ResultsMissingAlarm', {
      alarmDescription: `The drift job of model ${spec.name} reported no results for three hours (schedule disabled, function deleted or failing)`,
      metric: this.metricDriftedFeatures({ statistic: 'SampleCount' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.jobHealthAlarm = new cloudwatch.CompositeAlarm(this, 'JobHealthAlarm', {
      alarmDescription: `The drift job of model ${spec.name} failed or stopped reporting`,
      alarmRule: cloudwatch.AlarmRule.anyOf(
        cloudwatch.AlarmRule.fromAlarm(failedRunsAlarm, cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.fromAlarm(resultsMissingAlarm, cloudwatch.AlarmState.ALARM),
      ),
    });

    // The composite notifies for its two children.
    this.alarms = [...Object.values(this.featureDriftAlarms), ...Object.values(this.featurePsiAlarms), this.driftedFeaturesAlarm, this.jobHealthAlarm];
    if (props.alarmTopic) {
      const action = new cloudwatchActions.SnsAction(props.alarmTopic);
      for (const alarm of this.alarms as cloudwatch.AlarmBase[]) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  /** Drift distance of one feature (`FeatureDrift`, dimensions `Model` and `Feature`). @default Maximum over 1 hour */
  metricFeatureDrift(feature: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.jobMetric('FeatureDrift', { Model: this.modelName, Feature: feature }, props);
  }

  /** Population stability index of one feature (`FeaturePsi`, dimensions `Model` and `Feature`). @default Maximum over 1 hour */
  metricFeaturePsi(feature: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.jobMetric('FeaturePsi', { Model: this.modelName, Feature: feature }, props);
  }

  /** Features that drifted or broke a constraint in a run (`DriftedFeatures`, dimension `Model`). @default Maximum over 1 hour */
  metricDriftedFeatures(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.jobMetric('DriftedFeatures', { Model: this.modelName }, props);
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
