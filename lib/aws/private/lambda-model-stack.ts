// ModelInferenceStack in mode 'lambda': the data key, a LambdaModel, the InferenceApi in front of it, its alarms,
// the budget and the outputs. The props that need a SageMaker endpoint (capture, drift, batch, VPC...) are refused
// with the reason. Called by a small hook in model-inference-stack.ts. Not exported from the package.
import { CfnOutput, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import { formatProblem, ValidationError, ValidationErrors } from '../../core/errors';
import type { ModelSpec } from '../../core/model-spec';
import { resolveModelSpec } from '../../core/model-spec';
import { REVIEW_METADATA_KEY, reviewMetadata } from '../../core/review-contract';
import { InferenceApi, InferenceApiAuthorization, InferenceApiQuota, InferenceApiThrottle } from '../inference-api';
import { LambdaModel } from '../lambda-model';
import type { LambdaModelStackOptions } from '../lambda-model-props';
import { ModelBudget } from '../model-budget';
import { LambdaModelAlarms } from './lambda-model-alarms';

/** The ModelInferenceStack props mode 'lambda' reads (the others are refused when set). */
export interface LambdaModeProps {
  readonly spec: ModelSpec;
  readonly lambda?: LambdaModelStackOptions;
  readonly authorization?: InferenceApiAuthorization;
  readonly throttle?: InferenceApiThrottle;
  readonly quota?: InferenceApiQuota;
  readonly webAclArn?: string;
  readonly apiCloudWatchRole?: boolean;
  readonly removalPolicy?: RemovalPolicy;
  readonly budgetScope?: 'tag' | 'account';
  readonly monitoring?: { readonly alarmHttpsEndpoints?: readonly string[] };
}

export interface LambdaModeResources {
  readonly dataKey: kms.Key;
  readonly lambdaModel: LambdaModel;
  readonly api: InferenceApi;
  readonly lambdaAlarms?: LambdaModelAlarms;
  readonly budget?: ModelBudget;
}

const NEEDS_ENDPOINT = "nothing in mode 'lambda'";
/** Stack props that configure a SageMaker endpoint or what reads its captured data, and why Lambda has none. */
const REFUSED: Readonly<Record<string, string>> = {
  instanceType: `${NEEDS_ENDPOINT}: the function's size is lambda.memorySizeMb`,
  serverless: `${NEEDS_ENDPOINT}: serverless settings are SageMaker's; see lambda`,
  async: `${NEEDS_ENDPOINT}: a Lambda-hosted model answers synchronously`,
  autoScaling: `${NEEDS_ENDPOINT}: Lambda scales per request (bound it with lambda.reservedConcurrency)`,
  vpc: `${NEEDS_ENDPOINT}: the function runs outside a VPC`,
  networkIsolation: `${NEEDS_ENDPOINT}: network isolation is a SageMaker setting`,
  dataCapture: `false or unset in mode 'lambda': request/response capture is SageMaker data capture, which a Lambda-hosted model does not have (use mode 'realtime' to capture)`,
  dataCaptureSamplingPercentage: `${NEEDS_ENDPOINT}: there is no data capture in mode 'lambda'`,
  batchInference: `false or unset in mode 'lambda': the batch worker invokes a SageMaker endpoint (use mode 'realtime' for batch inference)`,
  baseline: `${NEEDS_ENDPOINT}: drift monitoring reads captured data, which mode 'lambda' does not have`,
  modelQuality: `${NEEDS_ENDPOINT}: model quality monitoring reads captured data, which mode 'lambda' does not have`,
  portableDriftJob: `${NEEDS_ENDPOINT}: the drift job reads captured data, which mode 'lambda' does not have`,
};
const REFUSED_MONITORING: Readonly<Record<string, string>> = {
  drift: `${NEEDS_ENDPOINT}: drift monitoring reads captured data, which mode 'lambda' does not have`,
  driftSchedule: `${NEEDS_ENDPOINT}: drift monitoring reads captured data, which mode 'lambda' does not have`,
  deployment: `${NEEDS_ENDPOINT}: blue/green deployments are SageMaker endpoint updates (a function update switches at once)`,
  alarmThresholds: `${NEEDS_ENDPOINT}: they are SageMaker instance thresholds; the function alarms use spec.monitoring`,
  dashboard: `false or unset in mode 'lambda': the endpoint dashboard watches SageMaker metrics`,
};

/**
 * Refuses `lambda` settings outside mode 'lambda' (they would be silently ignored). Returns the literal `true`, so
 * the stack's `if (props.mode === 'lambda' || !checkLambdaProps(props))` still narrows `props.mode` after it.
 */
export function checkLambdaProps(props: { readonly mode?: string; readonly lambda?: LambdaModelStackOptions }): true {
  const errors = new ValidationErrors('ModelInferenceStack');
  errors.check(props.lambda === undefined || props.mode === 'lambda', 'lambda', props.lambda, "nothing unless mode is 'lambda' (it configures the Lambda-hosted model)");
  errors.throwIfAny();
  return true;
}

/** Builds mode 'lambda' into `stack`; throws one ValidationError listing every problem first. */
export function buildLambdaModelStack(stack: Stack, props: LambdaModeProps): LambdaModeResources {
  const errors = new ValidationErrors('ModelInferenceStack');
  const spec = resolveModelSpec(props.spec, errors, 'spec');
  for (const [prop, reason] of Object.entries(REFUSED)) {
    const value = (props as unknown as Record<string, unknown>)[prop];
    const allowedFalse = prop === 'dataCapture' || prop === 'batchInference';
    errors.check(value === undefined || (allowedFalse && value === false), prop, value, reason);
  }
  for (const [prop, reason] of Object.entries(REFUSED_MONITORING)) {
    const value = (props.monitoring as Record<string, unknown> | undefined)?.[prop];
    const allowedFalse = prop === 'dashboard' || prop === 'deployment';
    errors.check(value === undefined || (allowedFalse && value === false), `monitoring.${prop}`, value, reason);
  }
  if (spec.compute?.kind === 'gpu') {
    errors.add('spec.compute', spec.compute.id, "a CPU compute class (or none) in mode 'lambda': Lambda functions have no GPUs; use mode 'realtime' on a GPU instance");
  }
  const monitoringOn = spec.monitoring.enabled;
  if (!monitoringOn) errors.check(props.monitoring === undefined, 'monitoring', props.monitoring, 'nothing: spec.monitoring.enabled is false, which turns every monitor off');
  if (spec.monthlyBudgetUsd !== undefined) {
    errors.checkOneOf('budgetScope', props.budgetScope, ['tag', 'account']);
    errors.check(monitoringOn || spec.monitoring.alarmEmails.length > 0, 'spec.monthlyBudgetUsd', spec.monthlyBudgetUsd,
      'monitoring on (the budget notifies the alarm topic) or spec.monitoring.alarmEmails to notify');
  }
  errors.throwIfAny();

  const dataKey = new kms.Key(stack, 'DataKey', {
    description: `Encrypts the data of model ${spec.name}: function logs and environment, API logs, alarm topic`,
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
  });
  const lambdaModel = new LambdaModel(stack, 'LambdaModel', { ...props.lambda, spec, encryptionKey: dataKey });
  const api = new InferenceApi(stack, 'Api', {
    lambdaModel,
    apiName: `${spec.name}-inference`,
    authorization: props.authorization,
    throttle: props.throttle,
    quota: props.quota,
    webAclArn: props.webAclArn,
    cloudWatchRole: props.apiCloudWatchRole,
    encryptionKey: dataKey,
  });
  const lambdaAlarms = monitoringOn
    ? new LambdaModelAlarms(stack, 'Alarms', { model: lambdaModel, api, topicKey: dataKey, httpsEndpoints: props.monitoring?.alarmHttpsEndpoints })
    : undefined;

  const tagKey = 'deploy-ai-smarter:model';
  Tags.of(stack).add(tagKey, spec.name);
  let budget: ModelBudget | undefined;
  if (spec.monthlyBudgetUsd !== undefined) {
    const scope = props.budgetScope ?? 'tag';
    budget = new ModelBudget(stack, 'Budget', {
      limitUsd: spec.monthlyBudgetUsd,
      namePrefix: spec.name,
      scope: scope === 'tag' ? { type: 'tag', tagKey, tagValue: spec.name } : { type: 'account' },
      topic: lambdaAlarms?.topic,
      emails: lambdaAlarms ? undefined : spec.monitoring.alarmEmails,
    });
    new CfnOutput(stack, 'BudgetName', { value: budget.budgetName, description: scope === 'tag' ? `Counts costs tagged ${tagKey}=${spec.name} (activate the cost allocation tag once)` : 'Counts every cost of the account' });
  }

  stack.addMetadata(REVIEW_METADATA_KEY, reviewMetadata(props.spec, 'aws', {
    mode: 'lambda',
    lambdaModel: { memorySizeMb: lambdaModel.memorySizeMb, ephemeralStorageMb: lambdaModel.ephemeralStorageMb, provisionedConcurrency: lambdaModel.provisionedConcurrency },
    // No scheduled jobs: nothing is captured, so nothing is monitored for drift.
    jobs: [],
    alarmCount: stack.node.findAll().filter((c) => c instanceof cloudwatch.Alarm).length,
    keyCount: stack.node.findAll().filter((c) => c instanceof kms.Key).length,
  }));

  new CfnOutput(stack, 'ApiUrl', { value: api.url, description: `POST inference requests here (${api.authorization === 'iam' ? 'SigV4-signed' : 'x-api-key header'})` });
  new CfnOutput(stack, 'FunctionName', { value: lambdaModel.function.functionName, description: 'Lambda function serving the model' });
  if (lambdaAlarms) new CfnOutput(stack, 'AlarmTopicArn', { value: lambdaAlarms.topic.topicArn, description: 'Subscribe to get every alarm' });
  if (api.apiKey) new CfnOutput(stack, 'ApiKeyId', { value: api.apiKey.keyId, description: 'Read the key with: aws apigateway get-api-key --include-value --api-key <id>' });

  // The stack's SageMaker members do not exist in this mode: reading one says so instead of returning undefined.
  for (const member of ['endpoint', 'ingestion']) {
    Object.defineProperty(stack, member, {
      configurable: true,
      get: () => {
        throw new ValidationError([formatProblem('ModelInferenceStack', member, undefined, "mode 'realtime', 'serverless' or 'async': in mode 'lambda' there is no SageMaker endpoint or ingestion bucket (read lambdaModel and api)")]);
      },
    });
  }
  return { dataKey, lambdaModel, api, lambdaAlarms, budget };
}
