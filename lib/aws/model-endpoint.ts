// ModelEndpoint: a SageMaker endpoint (real-time, serverless or async) composed of its models, its endpoint config
// (production and shadow variants), the endpoint and the auto scaling of each variant, with a least-privilege
// execution role, KMS encryption, optional VPC and data capture. The parts live in lib/aws/private.
import { Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ComputeClass, findComputeClassByAwsInstanceType } from '../core/compute-catalog';
import { formatProblem, ValidationError, ValidationErrors } from '../core/errors';
import { findSageMakerInstanceType } from '../core/sagemaker-instances';
import { EndpointAttributes, EndpointDeploymentOptions, ModelEndpointProps } from './endpoint-options';
import { EndpointMonitoringSettings, EndpointVariant, IInferenceEndpoint, InferenceMode } from './inference-endpoint';
import { buildDeploymentConfig, DeploymentConfigOptions, DeploymentStrategy } from './private/deployment-config';
import { EndpointBase } from './private/endpoint-base';
import { asyncInferenceConfig, createModel, dataCaptureConfig, productionVariant } from './private/endpoint-config';
import { selectModelSubnets } from './private/endpoint-network';
import { planEndpoint } from './private/endpoint-plan';
import { EndpointRoleGrants } from './private/endpoint-role';
import { addAutoScaling } from './private/endpoint-scaling';
import { endpointNameFromArn, ImportedEndpoint } from './private/imported-endpoint';
import { allowLogsToEncrypt } from './private/log-encryption';
import { pathHash } from './private/names';

export * from './endpoint-options';
export type { InferenceMode } from './inference-endpoint';
export type { AllAtOnceStrategy, CanaryStrategy, DeploymentStrategy, LinearStrategy } from './private/deployment-config';

/** The default rollout: a 10% canary, baked 10 minutes while the rollback alarms are watched. */
export const DEFAULT_DEPLOYMENT_STRATEGY: DeploymentStrategy = { type: 'canary', percent: 10, waitMinutes: 10 };

const PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;
const PREFIX_EXPECTED = "a key prefix ending in '/' without a leading '/'";
const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const ENDPOINT_ARN_PATTERN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:endpoint\/[a-zA-Z0-9-]{1,63}$/;

/**
 * A SageMaker endpoint serving one model (or several versions of it, on weighted variants).
 *
 * ```ts
 * const endpoint = new ModelEndpoint(this, 'Churn', { spec: { name: 'churn', image: dlcUri }, instanceType: 'ml.g6.xlarge' });
 * endpoint.grantInvoke(apiHandler);
 * ```
 */
export class ModelEndpoint extends EndpointBase {
  /** An endpoint created elsewhere, by name (its ARN is formatted in this stack's account and region). */
  static fromEndpointName(scope: Construct, id: string, endpointName: string): IInferenceEndpoint {
    return ModelEndpoint.fromEndpointAttributes(scope, id, { endpointName });
  }

  /** An endpoint created elsewhere, by ARN (`arn:<partition>:sagemaker:<region>:<account>:endpoint/<name>`). */
  static fromEndpointArn(scope: Construct, id: string, endpointArn: string): IInferenceEndpoint {
    const errors = new ValidationErrors('ModelEndpoint.fromEndpointArn');
    errors.checkPattern('endpointArn', endpointArn, ENDPOINT_ARN_PATTERN, 'a SageMaker endpoint ARN, arn:<partition>:sagemaker:<region>:<account>:endpoint/<name>');
    errors.throwIfAny();
    return new ImportedEndpoint(scope, id, { endpointName: endpointNameFromArn(endpointArn), endpointArn, mode: 'realtime', variants: [{ variantName: 'AllTraffic', shadow: false }] });
  }

  /** An endpoint created elsewhere, to invoke and watch. */
  static fromEndpointAttributes(scope: Construct, id: string, attrs: EndpointAttributes): IInferenceEndpoint {
    const errors = new ValidationErrors('ModelEndpoint.fromEndpointAttributes');
    errors.checkPattern('endpointName', attrs.endpointName, ENDPOINT_NAME_PATTERN, '1-63 letters, digits or hyphens');
    errors.checkPattern('variantName', attrs.variantName, ENDPOINT_NAME_PATTERN, '1-63 letters, digits or hyphens');
    errors.checkOneOf('mode', attrs.mode, ['realtime', 'serverless', 'async']);
    const instance = attrs.instanceType === undefined ? undefined : findSageMakerInstanceType(attrs.instanceType);
    errors.throwIfAny();
    return new ImportedEndpoint(scope, id, {
      endpointName: attrs.endpointName,
      mode: attrs.mode ?? 'realtime',
      variants: [{ variantName: attrs.variantName ?? 'AllTraffic', shadow: false, instanceType: attrs.instanceType, instanceShape: instance }],
    });
  }

  /** Endpoint name (resolves to the endpoint's `EndpointName` attribute, so users depend on the endpoint). */
  readonly endpointName: string;
  /** Endpoint ARN (`Ref` of the endpoint, valid in every region). */
  readonly endpointArn: string;
  readonly variantName: string;
  readonly variants: readonly EndpointVariant[];
  readonly mode: InferenceMode;
  readonly monitoring?: EndpointMonitoringSettings;
  /** Name of the main SageMaker Model (named by CloudFormation, so model updates can replace it). */
  readonly modelName: string;
  readonly role: iam.IRole;
  /** The compute class of the main variant's instance type, when it is a class machine. */
  readonly computeClass?: ComputeClass;
  /** SageMaker instance type of the main variant; undefined in serverless mode. */
  readonly instanceType?: string;
  /** Memory per concurrent invocation in serverless mode, in MB; undefined otherwise. */
  readonly serverlessMemoryMb?: number;
  /** Key of the endpoint config, async outputs and captured data; undefined when nothing needed one. */
  readonly encryptionKey?: kms.IKey;
  /** Auto scaling target of the main variant, when it scales. */
  readonly scalableTarget?: appscaling.ScalableTarget;
  /** Auto scaling targets by variant name. */
  readonly scalableTargets: Readonly<Record<string, appscaling.ScalableTarget>>;
  readonly securityGroups?: ec2.ISecurityGroup[];
  readonly asyncSuccessTopic?: sns.ITopic;
  readonly asyncErrorTopic?: sns.ITopic;
  /** `s3://bucket/prefix` captured data goes to, when data capture is on. */
  readonly dataCaptureS3Uri?: string;
  readonly logGroup: logs.ILogGroup;
  /** The endpoint's name as a plain string known at synth time (`<model name>-<hash of the construct path>`). */
  readonly physicalEndpointName: string;
  readonly cfnModel: sagemaker.CfnModel;
  /** Every SageMaker Model of the endpoint: the main one, then those of variants with their own container. */
  readonly cfnModels: readonly sagemaker.CfnModel[];
  readonly cfnEndpointConfig: sagemaker.CfnEndpointConfig;
  readonly cfnEndpoint: sagemaker.CfnEndpoint;

  private readonly rollbackAlarms: cloudwatch.IAlarm[] = [];

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    const errors = new ValidationErrors('ModelEndpoint');
    const plan = planEndpoint(this, props, errors);
    const { mode } = plan;
    const asyncOptions = props.async;
    const prefixes = {
      output: asyncOptions?.outputPrefix ?? 'async-output/',
      failure: asyncOptions?.failurePrefix ?? 'async-failures/',
      input: asyncOptions?.inputPrefix ?? 'async-input/',
    };
    if (mode === 'async') {
      errors.check(asyncOptions?.outputBucket !== undefined, 'async.outputBucket', asyncOptions?.outputBucket, 'a bucket for results: async mode writes every response to S3');
      for (const [prop, value] of Object.entries(prefixes)) errors.checkPattern(`async.${prop}Prefix`, value, PREFIX_PATTERN, PREFIX_EXPECTED);
      errors.checkNumber('async.maxConcurrentInvocationsPerInstance', asyncOptions?.maxConcurrentInvocationsPerInstance, { min: 1, max: 1000, integer: true });
    }
    const capture = props.dataCapture;
    const capturePrefix = capture?.prefix ?? 'data-capture/';
    if (capture) {
      errors.checkNumber('dataCapture.samplingPercentage', capture.samplingPercentage, { min: 1, max: 100, integer: true });
      errors.checkPattern('dataCapture.prefix', capturePrefix, PREFIX_PATTERN, PREFIX_EXPECTED);
      errors.check(capture.captureRequest !== false || capture.captureResponse !== false, 'dataCapture.captureRequest', false, 'captureRequest or captureResponse true (or leave data capture off)');
    }
    const subnets = props.vpc && mode !== 'serverless' ? selectModelSubnets(props.vpc, errors) : undefined;
    const deployment = props.deployment;
    if (deployment) {
      this.rollbackAlarms.push(...(deployment.rollbackAlarms ?? []));
      // The strategy and waits are checked now, the rollback alarms once all are added.
      buildDeploymentConfig(deploymentConfigOptions(deployment, ['placeholder']), errors);
    }
    errors.throwIfAny();

    // ---------------------------------------------------------------- resources
    const main = plan.variants[0];
    this.mode = mode;
    this.variantName = main.variantName;
    this.variants = plan.variants.map((v) => ({ variantName: v.variantName, shadow: v.shadow, instanceType: v.instanceType, instanceShape: v.instance }));
    this.instanceType = main.instanceType;
    this.serverlessMemoryMb = mode === 'serverless' ? plan.serverless.memorySizeMb : undefined;
    this.computeClass = main.instanceType ? findComputeClassByAwsInstanceType(main.instanceType) : undefined;
    this.monitoring = plan.spec ? {
      latencyP99Ms: plan.spec.monitoring.latencyP99Ms,
      errorRatePercent: plan.spec.monitoring.errorRatePercent,
      alarmEmails: plan.spec.monitoring.alarmEmails,
    } : undefined;
    // Physical endpoint name: model name + hash of the construct path, known at synth time so the role can be
    // scoped to its log group without a dependency cycle, and distinct for two endpoints in one app.
    const physicalName = `${plan.modelName}-${pathHash(this)}`;
    this.physicalEndpointName = physicalName;

    this.role = props.role ?? new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Execution role of SageMaker endpoint ${physicalName}`,
    });
    const grants = new EndpointRoleGrants(this, this.role, props.role === undefined);

    // Types with local NVMe reject KmsKeyId (their storage is hardware-encrypted); a token type is assumed not to.
    const volumeKmsAllowed = mode === 'serverless' || plan.variants.every((v) => !v.instance?.localNvme);
    const needsKey = volumeKmsAllowed || mode === 'async' || (capture !== undefined && !capture.kmsKey && !capture.bucket.encryptionKey);
    this.encryptionKey = props.encryptionKey ?? (needsKey ? new kms.Key(this, 'Key', {
      description: `Encrypts SageMaker endpoint ${physicalName} (volumes, async outputs, captured data)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    }) : undefined);

    // Logs: the group SageMaker writes to, created here so it gets a retention, the endpoint's key and a role
    // scoped to it. Its name is known at synth time, so the key policy can name it without a dependency cycle.
    const logGroupName = `/aws/sagemaker/Endpoints/${physicalName}`;
    if (this.encryptionKey) allowLogsToEncrypt(this, this.encryptionKey, [logGroupName]);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    grants.grantRuntime(physicalName);

    let vpcConfig: sagemaker.CfnModel.VpcConfigProperty | undefined;
    if (props.vpc && subnets) {
      const securityGroups = props.vpc.securityGroups ?? [new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc.vpc,
        description: `SageMaker endpoint ${physicalName}: no inbound, outbound to S3/ECR/CloudWatch`,
        allowAllOutbound: true,
      })];
      this.securityGroups = securityGroups;
      vpcConfig = { subnets: subnets.subnetIds, securityGroupIds: securityGroups.map((sg) => sg.securityGroupId) };
      grants.grantNetworkInterfaces(props.vpc.vpc, subnets.subnetIds, securityGroups);
    }

    // --- models: the main one, and one per variant with its own container
    const network = { vpcConfig, networkIsolation: plan.networkIsolation };
    grants.noteImagePull();
    this.cfnModel = createModel(this, 'Model', plan.main!, this.role, network);
    this.modelName = this.cfnModel.attrModelName;
    const models = [this.cfnModel];
    const modelNameOf = (variantIndex: number) => {
      const v = plan.variants[variantIndex];
      if (variantIndex === 0 || !v.container) return this.cfnModel.attrModelName;
      const model = createModel(this, `Model${v.variantName}`, v.container, this.role, network);
      models.push(model);
      return model.attrModelName;
    };
    this.cfnModels = models;

    // --- endpoint config: production variants, shadow variant, async output, capture
    let kmsKeyId: string | undefined;
    if (this.encryptionKey && volumeKmsAllowed) {
      kmsKeyId = this.encryptionKey.keyArn;
      // SageMaker creates grants on the key to encrypt the instance volumes.
      this.encryptionKey.grant(this.role, 'kms:CreateGrant', 'kms:DescribeKey');
    }
    const variantProps = plan.variants.map((v, i) => ({ shadow: v.shadow, property: productionVariant(v, modelNameOf(i), plan) }));
    if (mode === 'async') {
      const bucket = asyncOptions!.outputBucket;
      const key = bucket.encryptionKey ?? this.encryptionKey!;
      const topic = (topicId: string, given: sns.ITopic | undefined) => given ?? new sns.Topic(this, topicId, { masterKey: this.encryptionKey, enforceSSL: true });
      this.asyncSuccessTopic = topic('AsyncSuccessTopic', asyncOptions!.successTopic);
      this.asyncErrorTopic = topic('AsyncErrorTopic', asyncOptions!.errorTopic);
      grants.grantAsync(bucket, key, prefixes, [this.asyncSuccessTopic, this.asyncErrorTopic]);
    }
    let captureConfig: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty | undefined;
    if (capture) {
      const key = capture.kmsKey ?? capture.bucket.encryptionKey ?? this.encryptionKey!;
      grants.grantCapture(capture.bucket, capturePrefix, key);
      captureConfig = dataCaptureConfig(capture.bucket, capturePrefix, key, capture);
      this.dataCaptureS3Uri = `s3://${capture.bucket.bucketName}/${capturePrefix.slice(0, -1)}`;
    }
    const shadows = variantProps.filter((v) => v.shadow).map((v) => v.property);
    this.cfnEndpointConfig = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      kmsKeyId,
      productionVariants: variantProps.filter((v) => !v.shadow).map((v) => v.property),
      shadowProductionVariants: shadows.length > 0 ? shadows : undefined,
      asyncInferenceConfig: mode === 'async' && this.asyncSuccessTopic && this.asyncErrorTopic
        ? asyncInferenceConfig(asyncOptions!.outputBucket, asyncOptions!.outputBucket.encryptionKey ?? this.encryptionKey!, prefixes,
          { success: this.asyncSuccessTopic, error: this.asyncErrorTopic }, asyncOptions!.maxConcurrentInvocationsPerInstance)
        : undefined,
      dataCaptureConfig: captureConfig,
    });

    // --- endpoint: Ref is the ARN in every region (GetAtt EndpointArn is missing from most regions' schemas)
    this.cfnEndpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointName: physicalName,
      endpointConfigName: this.cfnEndpointConfig.attrEndpointConfigName,
    });
    this.endpointName = this.cfnEndpoint.attrEndpointName;
    this.endpointArn = this.cfnEndpoint.ref;
    if (deployment) {
      // Lazy: rollback alarms are usually created after the endpoint (they watch its metrics).
      this.cfnEndpoint.deploymentConfig = Lazy.any({
        produce: () => buildDeploymentConfig(deploymentConfigOptions(deployment, this.rollbackAlarmNames()), new ValidationErrors('ModelEndpoint')),
      });
      this.node.addValidation({
        validate: () => {
          const problems = new ValidationErrors('ModelEndpoint');
          buildDeploymentConfig(deploymentConfigOptions(deployment, this.rollbackAlarmNames()), problems, 'deployment');
          return [...problems.list()];
        },
      });
    }

    // --- auto scaling of each variant
    const targets: Record<string, appscaling.ScalableTarget> = {};
    plan.variants.forEach((v, i) => {
      if (!v.scaling) return;
      // attrEndpointName (not the literal name) makes the target wait for the endpoint to exist.
      targets[v.variantName] = addAutoScaling(this, i === 0 ? 'ScalableTarget' : `ScalableTarget${v.variantName}`, this.cfnEndpoint.attrEndpointName, v.variantName, mode, v.scaling);
    });
    this.scalableTargets = targets;
    this.scalableTarget = targets[main.variantName];
    grants.finish();
  }

  /**
   * Adds alarms that roll a deployment back (needs the `deployment` prop). Build them on this endpoint's
   * `metric*` helpers (fixed endpoint name), not on `endpointName`, or the endpoint and alarm depend on each other.
   */
  addRollbackAlarm(...alarms: cloudwatch.IAlarm[]): void {
    if (!this.cfnEndpoint.deploymentConfig) {
      throw new ValidationError([formatProblem('ModelEndpoint', 'addRollbackAlarm', alarms.map((a) => a.node.path), 'a deployment prop on the endpoint first: rollback alarms belong to a blue/green deployment config')]);
    }
    this.rollbackAlarms.push(...alarms);
  }

  /** Metrics carry the fixed physical name (see EndpointBase.metricEndpointName). */
  protected override get metricEndpointName(): string {
    return this.physicalEndpointName;
  }

  private rollbackAlarmNames(): string[] {
    return this.rollbackAlarms.map((alarm) => alarm.alarmName);
  }
}

function deploymentConfigOptions(deployment: EndpointDeploymentOptions, rollbackAlarmNames: readonly string[]): DeploymentConfigOptions {
  return {
    strategy: deployment.strategy ?? DEFAULT_DEPLOYMENT_STRATEGY,
    rollbackAlarmNames,
    terminationWaitMinutes: deployment.terminationWaitMinutes,
    maximumExecutionTimeoutMinutes: deployment.maximumExecutionTimeoutMinutes,
  };
}
