// PortableExplainJob: the explainability job (lib/runtime/explain) on AWS as a scheduled Lambda: samples captured
// requests, scores shuffled copies through the endpoint, and publishes each feature's importance
// (`DeployAiSmarter/Explainability`), so a shift in what drives the predictions shows on the dashboard. Opt-in.
import { Duration, Fn, Token } from 'aws-cdk-lib';
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
import { explainJobEnvironment } from '../core/quality-job';
import { EXPLAIN_METRIC_NAMESPACE } from '../runtime/explain/explain-emitters';
import { IInferenceEndpoint } from './inference-endpoint';
import { createBundledFunction } from './private/bundled-function';
import { createJobHealthAlarm, notifyAlarmTopic } from './private/job-health';
import { acknowledgeWildcardArns } from './private/nag-findings';

export interface PortableExplainJobProps {
  /** The model: its name is the `Model` metric dimension. */
  readonly spec: ModelSpec;
  /** The endpoint the job calls (`sagemaker:InvokeEndpoint` on it only); realtime or serverless. */
  readonly endpoint: IInferenceEndpoint;
  /** Bucket holding the captured requests. */
  readonly captureBucket: s3.IBucket;
  /** Key prefix directly above the `YYYY/MM/DD/HH/` capture partitions. */
  readonly capturePrefix: string;
  /** Key of captured objects when the bucket's `encryptionKey` is unknown; also the log group's key. @default - the bucket's key */
  readonly encryptionKey?: kms.IKey;
  /**
   * Feature names in request order (CSV requests carry none).
   * @default - `_c0`, `_c1`, ... (or the keys of JSON object requests)
   */
  readonly featureNames?: readonly string[];
  /** Requests sampled per run (1-100000). Each run calls the model `1 + features x 3` times on the sample. @default 200 */
  readonly sample?: number;
  /** Hours of traffic each run samples (1-744). @default 24 */
  readonly windowHours?: number;
  /** @default events.Schedule.cron({ minute: '45', hour: '0' }) (daily, after the day's capture is written) */
  readonly schedule?: events.Schedule;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default Duration.minutes(15) */
  readonly timeout?: Duration;
  /** Topic that gets the job-health alarm. @default - alarm without actions */
  readonly alarmTopic?: sns.ITopic;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

/** The explainability job as a scheduled Lambda, with a job-health alarm and a dashboard widget. */
export class PortableExplainJob extends Construct {
  readonly function: lambda.Function;
  readonly rule: events.Rule;
  /** Fires when a run fails or runs stop reporting for three scheduled runs. */
  readonly jobHealthAlarm: cloudwatch.AlarmBase;
  readonly alarms: readonly cloudwatch.IAlarm[];
  readonly modelName: string;

  constructor(scope: Construct, id: string, props: PortableExplainJobProps) {
    super(scope, id);
    const errors = new ValidationErrors('PortableExplainJob');
    const spec = resolveModelSpec(props.spec, errors, 'spec');
    errors.check(props.endpoint.mode !== 'async', 'endpoint', props.endpoint.mode, 'a realtime or serverless endpoint (the job calls InvokeEndpoint; async endpoints take requests from S3)');
    errors.checkPattern('capturePrefix', props.capturePrefix, /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/, "a key prefix ending in '/' without a leading '/'");
    errors.checkNumber('memorySize', props.memorySize, { min: 128, max: 10240, integer: true });
    errors.throwIfAny();
    this.modelName = spec.name;
    const windowHours = props.windowHours ?? 24;

    const environment = {
      ...explainJobEnvironment(spec, {
        captureUri: `s3://${props.captureBucket.bucketName}/${props.capturePrefix}`,
        logFormat: 'aws',
        featureNames: props.featureNames,
        sample: props.sample,
        windowHours,
        // A literal prints as itself; a parameter keeps its reference (core imports no aws-cdk-lib).
        numberToString: (n) => (Token.isUnresolved(n) ? Token.asString(n) : String(n)),
        joinList: (separator, list) => Fn.join(separator, list),
      }, 'PortableExplainJob'),
      ENDPOINT_NAME: props.endpoint.endpointName,
    };

    const { fn, role } = createBundledFunction(this, 'Function', {
      entry: 'aws-explain-lambda',
      description: `Feature importance of model ${spec.name} on a sample of captured requests`,
      roleDescription: 'Explainability job: reads captured requests, invokes one endpoint, writes its own logs',
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: props.memorySize ?? 1024,
      environment,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      logKey: props.encryptionKey ?? props.captureBucket.encryptionKey,
      retryAttempts: 0,
      reservedConcurrentExecutions: 1,
      tracing: false,
      roleId: 'Role',
      logGroupId: 'Logs',
    });
    this.function = fn;
    const objects = props.captureBucket.arnForObjects(`${props.capturePrefix}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadCapture', actions: ['s3:GetObject'], resources: [objects] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ListCapture', actions: ['s3:ListBucket'], resources: [props.captureBucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${props.capturePrefix}*`] } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'InvokeEndpoint', actions: ['sagemaker:InvokeEndpoint'], resources: [props.endpoint.endpointArn] }));
    new Set([props.encryptionKey, props.captureBucket.encryptionKey].filter((k): k is kms.IKey => k !== undefined)).forEach((key) => key.grant(role, 'kms:Decrypt'));
    acknowledgeWildcardArns(role, [objects], 'Captured requests are new objects every hour under the capture prefix; read access is limited to it');

    this.rule = new events.Rule(this, 'Schedule', {
      description: `Runs the explainability job of model ${spec.name}`,
      schedule: props.schedule ?? events.Schedule.cron({ minute: '45', hour: '0' }),
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 0 })],
    });
    // Every run writes a summary with ExplainedRows, also without traffic.
    const interval = Token.isUnresolved(windowHours) ? 24 : Math.min(windowHours, 24);
    this.jobHealthAlarm = createJobHealthAlarm(this, {
      fn,
      heartbeat: this.metricExplainedRows(),
      intervalHours: interval,
      what: `the explainability job of model ${spec.name}`,
      failureCauses: 'unreadable capture, endpoint errors, unreadable answers, timeout',
    }).jobHealthAlarm;
    this.alarms = [this.jobHealthAlarm];
    notifyAlarmTopic([this.jobHealthAlarm], props.alarmTopic);
  }

  /** Importance of one feature (`FeatureImportance`, dimensions `Model` and `Feature`). @default Average over 1 day */
  metricFeatureImportance(feature: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: EXPLAIN_METRIC_NAMESPACE, metricName: 'FeatureImportance', dimensionsMap: { Model: this.modelName, Feature: feature },
      statistic: 'Average', period: Duration.days(1), ...props,
    });
  }

  /** Rows a run explained (`ExplainedRows`, dimension `Model`). @default Maximum over 1 day */
  metricExplainedRows(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: EXPLAIN_METRIC_NAMESPACE, metricName: 'ExplainedRows', dimensionsMap: { Model: this.modelName }, statistic: 'Maximum', period: Duration.days(1), ...props,
    });
  }

  /** One line per feature (a search, so every feature the job finds shows). */
  dashboardWidgets(): cloudwatch.IWidget[] {
    const search = new cloudwatch.MathExpression({
      expression: `SEARCH('{${EXPLAIN_METRIC_NAMESPACE},Feature,Model} MetricName="FeatureImportance" Model="${this.modelName}"', 'Average', 86400)`,
      label: '',
      period: Duration.days(1),
    });
    return [new cloudwatch.GraphWidget({ title: 'Feature importance (prediction change when shuffled)', left: [search], width: 24 })];
  }
}
