// The composed AWS stack: one ModelSpec (plus AWS overrides) becomes an encrypted ingestion bucket, a SageMaker
// endpoint, an authenticated API in front of it, alarms, and the portable drift and quality jobs, with outputs to find them.
// Props are in model-inference-stack-props.ts; which monitors run, and their wiring, in private/stack-monitors.ts.
import { CfnOutput, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { ResolvedModelSpec, resolveModelSpec } from '../core/model-spec';
import { REVIEW_METADATA_KEY, reviewMetadata } from '../core/review-contract';
import { DriftMonitor } from './drift-monitor';
import { InferenceAlarms } from './inference-alarms';
import { InferenceApi } from './inference-api';
import { InferenceDashboard } from './inference-dashboard';
import { IngestionBucket } from './ingestion-bucket';
import { ModelBudget } from './model-budget';
import { DEFAULT_DEPLOYMENT_STRATEGY, InferenceMode, ModelEndpoint } from './model-endpoint';
import { ModelInferenceStackProps } from './model-inference-stack-props';
import { ModelQualityMonitor } from './model-quality-monitor';
import { PortableDriftJob } from './portable-drift-job';
import { LambdaModel } from './lambda-model';
import { buildLambdaModelStack, checkLambdaProps } from './private/lambda-model-stack';
import { PortableExplainJob } from './portable-explain-job';
import { PortableQualityJob } from './portable-quality-job';
import { CAPTURE_PREFIX, MonitorPlan, createMonitors, planMonitors } from './private/stack-monitors';
import { RetrainingSignal } from './retraining-signal';

export * from './model-inference-stack-props';

const MODES: readonly InferenceMode[] = ['realtime', 'serverless', 'async'];
/** SageMaker serverless endpoints accept payloads up to 4 MB. */
const SERVERLESS_MAX_BODY_BYTES = 4_000_000;

/**
 * A production inference stack for one model: ingestion bucket (KMS, versioned, access-logged,
 * batch inference), SageMaker endpoint (autoscaled, data capture), authenticated REST API and alarms.
 */
export class ModelInferenceStack extends Stack {
  /** Customer-managed key (rotated) of the bucket, captured data, async results and API logs. */
  public readonly dataKey: kms.IKey;
  public readonly ingestion!: IngestionBucket; // not in mode 'lambda' (reading it throws)
  public readonly endpoint!: ModelEndpoint; // not in mode 'lambda' (reading it throws)
  /** The Lambda-hosted model, in mode 'lambda'. */
  public readonly lambdaModel?: LambdaModel;
  public readonly api: InferenceApi;
  /** Alarms, unless `spec.monitoring.enabled` is false. */
  public readonly alarms?: InferenceAlarms;
  /** The portable drift job: the default drift monitor (data capture on, `monitoring.drift` not false). */
  public readonly portableDriftJob?: PortableDriftJob;
  /** Model Monitor data-quality job and its drift alarms, with `monitoring.driftEngine: 'model-monitor'`. */
  public readonly driftMonitor?: DriftMonitor;
  /** The portable quality job, when `spec.monitoring.quality` is set (the default quality engine). */
  public readonly portableQualityJob?: PortableQualityJob;
  /** Model Monitor model-quality job, with `monitoring.qualityEngine: 'model-monitor'` and `modelQuality`. */
  public readonly modelQualityMonitor?: ModelQualityMonitor;
  /** Publishes the retraining event when a drift or quality alarm fires (on unless `monitoring.retrainingSignal` is false). */
  public readonly retrainingSignal?: RetrainingSignal;
  /** The daily explainability job, with `monitoring.explain`. */
  public readonly explainJob?: PortableExplainJob;
  /** The dashboard, unless monitoring or `monitoring.dashboard` is off. */
  public readonly dashboard?: InferenceDashboard;
  /** The monthly budget, when `spec.monthlyBudgetUsd` is set. */
  public readonly budget?: ModelBudget;

  constructor(scope: Construct, id: string, props: ModelInferenceStackProps) {
    super(scope, id, props);
    if (props.mode === 'lambda' || !checkLambdaProps(props)) { // mode 'lambda': built by private/lambda-model-stack.ts
      const built = buildLambdaModelStack(this, props);
      [this.dataKey, this.api] = [built.dataKey, built.api];
      Object.assign(this, { lambdaModel: built.lambdaModel, budget: built.budget });
      return;
    }

    const errors = new ValidationErrors('ModelInferenceStack');
    const spec = resolveModelSpec(props.spec, errors, 'spec');
    const mode = props.mode ?? 'realtime';
    // The instance type (and whether the mode can serve it) is the endpoint's to check.
    const modeOk = errors.checkOneOf('mode', mode, MODES);
    const dataCapture = props.dataCapture ?? mode !== 'serverless';
    if (modeOk && mode === 'serverless') {
      errors.check(!dataCapture, 'dataCapture', dataCapture, "false in serverless mode (SageMaker captures no data for serverless endpoints); use mode 'realtime'");
    }
    errors.checkNumber('dataCaptureSamplingPercentage', props.dataCaptureSamplingPercentage, { min: 1, max: 100, integer: true });
    const batchInference = props.batchInference ?? mode !== 'async';
    if (modeOk && mode === 'async') {
      errors.check(!batchInference, 'batchInference', batchInference, "false in async mode (batch inference calls the endpoint synchronously); upload to the async input prefix instead");
    }
    const monitoring = props.monitoring ?? {};
    const monitoringOn = spec.monitoring.enabled;
    const plan = planMonitors(props, spec, dataCapture, errors);
    if (spec.monthlyBudgetUsd !== undefined) {
      errors.checkOneOf('budgetScope', props.budgetScope, ['tag', 'account']);
      errors.check(monitoringOn || spec.monitoring.alarmEmails.length > 0, 'spec.monthlyBudgetUsd', spec.monthlyBudgetUsd,
        'monitoring on (the budget notifies the alarm topic) or spec.monitoring.alarmEmails to notify');
    }
    errors.throwIfAny();

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.dataKey = new kms.Key(this, 'DataKey', {
      description: `Encrypts the data of model ${spec.name}: ingestion bucket, captured data, async results, API logs`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // The endpoint captures data to the bucket, and the bucket's batch inference calls the endpoint:
    // bucket first, endpoint next, then batch inference.
    this.ingestion = new IngestionBucket(this, 'Ingestion', { encryptionKey: this.dataKey, removalPolicy });

    const asyncInputPrefix = props.async?.inputPrefix ?? 'async-input/';
    this.endpoint = this.createEndpoint(props, spec, { mode, dataCapture, asyncInputPrefix });
    if (batchInference) this.ingestion.addBatchInference({ endpoint: this.endpoint });

    this.api = new InferenceApi(this, 'Api', {
      endpoint: this.endpoint,
      apiName: `${spec.name}-inference`,
      authorization: props.authorization,
      throttle: props.throttle,
      quota: props.quota,
      webAclArn: props.webAclArn,
      cloudWatchRole: props.apiCloudWatchRole,
      encryptionKey: this.dataKey,
      maxBodyBytes: mode === 'serverless' ? SERVERLESS_MAX_BODY_BYTES : undefined,
      asyncInput: mode === 'async' ? { bucket: this.ingestion.bucket, prefix: asyncInputPrefix } : undefined,
    });

    if (spec.monitoring.enabled) {
      this.alarms = new InferenceAlarms(this, 'Alarms', {
        // The spec sets the error rate and model latency; vCPUs and GPUs come from the endpoint's variants.
        ...monitoring.alarmThresholds,
        endpoint: this.endpoint,
        api: this.api,
        // The spec's latency, error rate and emails come with the endpoint.
        httpsEndpoints: monitoring.alarmHttpsEndpoints,
      });
      if (this.ingestion.batchFunction) {
        this.alarms.addAlarm('batchErrors', new cloudwatch.Alarm(this.alarms, 'BatchErrors', {
          alarmDescription: 'The batch inference function crashed or timed out',
          metric: this.ingestion.batchFunction.metricErrors({ statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }));
      }
      if (this.ingestion.batchDeadLetterQueue) {
        // An event in the dead-letter queue is an input that was never scored.
        this.alarms.addAlarm('batchDeadLetters', new cloudwatch.Alarm(this.alarms, 'BatchDeadLetters', {
          alarmDescription: 'Batch inference events reached the dead-letter queue: inputs that were not scored',
          metric: this.ingestion.batchDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }));
      }
    }

    if (this.alarms) {
      // Both watch the endpoint by its fixed name, so they can roll back its own updates.
      if (monitoring.deployment !== false) this.endpoint.addRollbackAlarm(...this.alarms.rollbackAlarms());
      const monitors = createMonitors(this, {
        props, spec, plan, endpoint: this.endpoint, api: this.api, alarms: this.alarms, bucket: this.ingestion.bucket, dataKey: this.dataKey,
      });
      this.driftMonitor = monitors.driftMonitor;
      this.portableDriftJob = monitors.portableDriftJob;
      this.modelQualityMonitor = monitors.modelQualityMonitor;
      this.portableQualityJob = monitors.portableQualityJob;
      this.retrainingSignal = monitors.retrainingSignal;
      this.explainJob = monitors.explainJob;
      this.dashboard = monitors.dashboard;
    }

    const tagKey = 'deploy-ai-smarter:model';
    Tags.of(this).add(tagKey, spec.name);

    if (spec.monthlyBudgetUsd !== undefined) {
      const scope = props.budgetScope ?? 'tag';
      this.budget = new ModelBudget(this, 'Budget', {
        limitUsd: spec.monthlyBudgetUsd,
        namePrefix: spec.name,
        scope: scope === 'tag' ? { type: 'tag', tagKey, tagValue: spec.name } : { type: 'account' },
        // The topic already emails spec.monitoring.alarmEmails; direct emails only when there is no topic.
        topic: this.alarms?.topic,
        emails: this.alarms ? undefined : spec.monitoring.alarmEmails,
      });
      new CfnOutput(this, 'BudgetName', {
        value: this.budget.budgetName,
        description: scope === 'tag'
          ? `Counts costs tagged ${tagKey}=${spec.name}: activate the cost allocation tag once (aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=${tagKey},Status=Active), or the budget reads $0`
          : 'Counts every cost of the account',
      });
    }

    // What the review (npm run review) prices and explains without running the app again.
    this.addMetadata(REVIEW_METADATA_KEY, reviewMetadata(props.spec, 'aws', {
      mode: this.endpoint.mode,
      ...(this.endpoint.serverlessMemoryMb !== undefined ? { serverlessMemoryMb: this.endpoint.serverlessMemoryMb } : {}),
      // A type given as a token is priced as the spec's class (the review has no parameter values).
      ...(this.endpoint.instanceType !== undefined && !Token.isUnresolved(this.endpoint.instanceType) ? { instanceType: this.endpoint.instanceType } : {}),
      functionMemoryMb: (this.api.handler.node.defaultChild as lambda.CfnFunction).memorySize,
      // The scheduled jobs on their runners (lib/core/cost.ts prices them).
      jobs: this.scheduledJobs(plan),
      alarmCount: this.node.findAll().filter((c) => c instanceof cloudwatch.Alarm).length,
      keyCount: this.node.findAll().filter((c) => c instanceof kms.Key).length,
    }));


    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: `POST inference requests here (${this.api.authorization === 'iam' ? 'SigV4-signed' : 'x-api-key header'})` });
    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName, description: 'SageMaker endpoint name' });
    new CfnOutput(this, 'IngestionBucketName', { value: this.ingestion.bucket.bucketName, description: 'Bucket for inputs, captured data and results' });
    if (this.dashboard) {
      new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName, description: 'CloudWatch dashboard of the model' });
    }
    if (this.alarms) {
      new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Subscribe to get every alarm' });
    }
    if (this.api.apiKey) {
      new CfnOutput(this, 'ApiKeyId', { value: this.api.apiKey.keyId, description: 'Read the key with: aws apigateway get-api-key --include-value --api-key <id>' });
    }
  }

  // --- Serving: the one place the stack creates its endpoint (a new hosting mode hooks in here).
  private createEndpoint(
    props: ModelInferenceStackProps,
    spec: ResolvedModelSpec,
    options: { mode: InferenceMode; dataCapture: boolean; asyncInputPrefix: string },
  ): ModelEndpoint {
    const monitoring = props.monitoring ?? {};
    const { mode } = options;
    return new ModelEndpoint(this, 'Endpoint', {
      // Resolved once here; the endpoint uses it as it is.
      spec,
      instanceType: props.instanceType,
      mode,
      serverless: props.serverless,
      async: mode === 'async'
        ? {
          outputBucket: this.ingestion.bucket,
          inputPrefix: options.asyncInputPrefix,
          outputPrefix: props.async?.outputPrefix,
          failurePrefix: props.async?.failurePrefix,
          maxConcurrentInvocationsPerInstance: props.async?.maxConcurrentInvocationsPerInstance,
        }
        : undefined,
      encryptionKey: this.dataKey,
      autoScaling: props.autoScaling,
      dataCapture: options.dataCapture
        ? { bucket: this.ingestion.bucket, prefix: CAPTURE_PREFIX, samplingPercentage: props.dataCaptureSamplingPercentage ?? 100 }
        : undefined,
      vpc: props.vpc,
      networkIsolation: props.networkIsolation,
      // Rollback alarms are added once the alarms exist.
      deployment: spec.monitoring.enabled && monitoring.deployment !== false
        ? { strategy: DEFAULT_DEPLOYMENT_STRATEGY, ...monitoring.deployment }
        : undefined,
    });
  }

  /**
   * The scheduled jobs for the cost model, read from the constructs built. Minutes per run: the portable drift job
   * profiles a day of capture (1M rows) in about 7 s on a dev machine (BENCHMARKS.md), so an hourly window is
   * billed well under a minute: 1 minute is the rounded-up estimate. The quality job is not benchmarked yet:
   * 2 minutes per run, a guess with margin, and so is the explain job's. Model Monitor runs a processing instance for
   * about 10 minutes.
   */
  private scheduledJobs(plan: MonitorPlan) {
    const memoryGb = (fn: lambda.Function) => ((fn.node.defaultChild as lambda.CfnFunction).memorySize ?? 128) / 1024;
    return [
      ...(this.driftMonitor ? [{ item: 'Hourly drift job (SageMaker Model Monitor)', runner: 'sagemaker-processing' as const, minutesPerRun: 10 }] : []),
      ...(this.portableDriftJob ? [{ item: 'Hourly drift job (portable, Lambda)', runner: 'aws-lambda' as const, minutesPerRun: 1, memoryGb: memoryGb(this.portableDriftJob.function) }] : []),
      ...(this.modelQualityMonitor ? [{ item: 'Model quality job (SageMaker Model Monitor)', runner: 'sagemaker-processing' as const, minutesPerRun: 10 }] : []),
      ...(this.portableQualityJob ? [{
        item: `Model quality job every ${this.portableQualityJob.intervalHours} h (portable, Lambda)`,
        runner: 'aws-lambda' as const,
        runsPerMonth: Math.ceil(730 / this.portableQualityJob.intervalHours),
        minutesPerRun: 2,
        memoryGb: memoryGb(this.portableQualityJob.function),
      }] : []),
      // Sample calls of the endpoint are billed with the endpoint (instances, or serverless compute), not here.
      ...(this.explainJob ? [{ item: 'Daily explainability job (Lambda)', runner: 'aws-lambda' as const, runsPerMonth: 30, minutesPerRun: 2, memoryGb: memoryGb(this.explainJob.function) }] : []),
      // Runs only when an alarm fires: a few seconds a month, listed so the estimate names it.
      ...(plan.retraining && this.retrainingSignal ? [{ item: 'Retraining signal (Lambda, per alarm)', runner: 'aws-lambda' as const, runsPerMonth: 30, minutesPerRun: 0.01, memoryGb: memoryGb(this.retrainingSignal.function) }] : []),
    ];
  }
}
