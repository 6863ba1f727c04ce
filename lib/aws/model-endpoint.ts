// A SageMaker Model + EndpointConfig + Endpoint (real-time, serverless or async) with a least-privilege
// execution role, KMS encryption, optional VPC, data capture and Application Auto Scaling.
import { Annotations, ArnFormat, Duration, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { awsInstanceTypes, ComputeClass, findComputeClassByAwsInstanceType } from '../core/compute-catalog';
import { formatProblem, ValidationError, ValidationErrors } from '../core/errors';
import { MODEL_NAME_PATTERN, ModelSpec, ResolvedModelSpec, resolveModelSpec } from '../core/model-spec';
import { ContainerImage } from './container-image';
import { IInferenceEndpoint } from './inference-endpoint';
import { ModelData } from './model-data';
import { buildDeploymentConfig, DeploymentConfigOptions, DeploymentStrategy } from './private/deployment-config';
import { EndpointBase } from './private/endpoint-base';
import { allowLogsToEncrypt } from './private/log-encryption';
import { acknowledgeWildcardArns } from './private/nag-findings';
import { pathHash } from './private/names';
import { ECR_IMAGE_URI_EXPECTED, parseEcrImageUri, parseS3Uri, S3_URI_EXPECTED } from './private/uris';

/** How the endpoint serves requests. */
export type InferenceMode = 'realtime' | 'serverless' | 'async';
const MODES: readonly InferenceMode[] = ['realtime', 'serverless', 'async'];

/** Serverless inference: pay per request, CPU only, scales to zero. */
export interface ServerlessInferenceOptions {
  /**
   * Memory per concurrent invocation, in MB: 1024, 2048, 3072, 4096, 5120 or 6144.
   * @default 2048
   */
  readonly memorySizeMb?: number;
  /**
   * Concurrent invocations the endpoint serves (1-200).
   * @default 20
   */
  readonly maxConcurrency?: number;
  /**
   * Invocations kept warm (1 to maxConcurrency). With it, auto scaling tracks
   * `SageMakerVariantProvisionedConcurrencyUtilization`.
   * @default - none: every burst after idle pays a cold start
   */
  readonly provisionedConcurrency?: number;
}

/** Async inference: requests queue, inputs and outputs live in S3 (up to 1 GB, 1 hour per request). */
export interface AsyncInferenceOptions {
  /** Bucket the results (and failures) are written to; also where clients upload inputs. */
  readonly outputBucket: s3.IBucket;
  /**
   * Key prefix of results.
   * @default 'async-output/'
   */
  readonly outputPrefix?: string;
  /**
   * Key prefix of failure reports.
   * @default 'async-failures/'
   */
  readonly failurePrefix?: string;
  /**
   * Key prefix clients upload inputs under (`InputLocation` of `InvokeEndpointAsync`); the endpoint may read only there.
   * @default 'async-input/'
   */
  readonly inputPrefix?: string;
  /**
   * Topic notified when a request succeeds.
   * @default - a new topic encrypted with the endpoint's key, TLS-only
   */
  readonly successTopic?: sns.ITopic;
  /**
   * Topic notified when a request fails.
   * @default - a new topic encrypted with the endpoint's key, TLS-only
   */
  readonly errorTopic?: sns.ITopic;
  /**
   * Requests SageMaker sends to one instance at a time (1-1000).
   * @default - chosen by SageMaker
   */
  readonly maxConcurrentInvocationsPerInstance?: number;
}

/** Where the model runs in your network. */
export interface EndpointVpcOptions {
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the model's network interfaces.
   * @default - the VPC's private subnets
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * Security groups of the model's network interfaces.
   * @default - a new group with no inbound rule and all outbound allowed (the container reaches S3 and ECR through it)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/** Application Auto Scaling of the production variant. */
export interface EndpointAutoScalingOptions {
  /**
   * Fewest instances (realtime: at least 1; async: 0 allowed) or provisioned concurrency (serverless).
   * @default - spec.scaling.minInstances, else 1; serverless: provisionedConcurrency
   */
  readonly minCapacity?: number;
  /**
   * Most instances, or provisioned concurrency (serverless).
   * @default - spec.scaling.maxInstances, else 4; serverless: maxConcurrency
   */
  readonly maxCapacity?: number;
  /**
   * Realtime: invocations per instance per minute to track (`SageMakerVariantInvocationsPerInstance`).
   * @default - spec.scaling.targetInvocationsPerInstancePerMinute, else 100
   */
  readonly targetInvocationsPerInstance?: number;
  /**
   * Async: queued requests per instance to track (`ApproximateBacklogSizePerInstance`).
   * @default 5
   */
  readonly targetBacklogPerInstance?: number;
  /**
   * Serverless with provisioned concurrency: utilization (0.1-1) to track.
   * @default 0.7
   */
  readonly targetProvisionedConcurrencyUtilization?: number;
  /**
   * Wait after a scale-in before the next one.
   * @default Duration.seconds(300)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * Wait after a scale-out before the next one.
   * @default Duration.seconds(60)
   */
  readonly scaleOutCooldown?: Duration;
}

/** Capture of requests and responses to S3 (for Model Monitor and debugging). */
export interface EndpointDataCaptureOptions {
  readonly bucket: s3.IBucket;
  /**
   * Key prefix of captured data.
   * @default 'data-capture/'
   */
  readonly prefix?: string;
  /**
   * Share of requests captured, in percent (1-100).
   * @default 100
   */
  readonly samplingPercentage?: number;
  /** @default true */
  readonly captureRequest?: boolean;
  /** @default true */
  readonly captureResponse?: boolean;
  /**
   * Key that encrypts captured objects.
   * @default - the bucket's key if it has one, else the endpoint's key
   */
  readonly kmsKey?: kms.IKey;
}

/**
 * Either a `spec` or explicit props (or both). The spec supplies defaults: name, image (an ECR URI),
 * model data (`s3://` URI or a local `.tar.gz` file), instance type (its compute class's SageMaker type),
 * scaling bounds and target, environment. Every explicit prop overrides the spec value it shadows;
 * `environment` is merged, explicit keys winning.
 */
export interface ModelEndpointProps {
  /**
   * The cloud-neutral model description.
   * @default - none: `modelName` and `image` are then required
   */
  readonly spec?: ModelSpec;
  /**
   * Model name (2-32 lowercase letters, digits, hyphens; starts with a letter). Prefixes the endpoint name.
   * @default - spec.name
   */
  readonly modelName?: string;
  /**
   * The serving container.
   * @default - ContainerImage.fromImageUri(spec.image)
   */
  readonly image?: ContainerImage;
  /**
   * The model artifact.
   * @default - from spec.modelArtifact (s3:// URI or local .tar.gz), else none (the image carries the model)
   */
  readonly modelData?: ModelData;
  /**
   * SageMaker instance type, one of the compute catalog's. Ignored in serverless mode (GPU types are rejected there).
   * @default - the spec's compute class, else 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Instances at creation (realtime and async).
   * @default - the auto scaling minimum (at least 1), else 1
   */
  readonly initialInstanceCount?: number;
  /**
   * Real-time instances, serverless, or async (queued, S3 in and out).
   * @default 'realtime'
   */
  readonly mode?: InferenceMode;
  /** @default - memory 2048 MB, max concurrency 20, no provisioned concurrency (serverless mode only) */
  readonly serverless?: ServerlessInferenceOptions;
  /** @default - none; required in async mode */
  readonly async?: AsyncInferenceOptions;
  /**
   * Key for the endpoint config's `KmsKeyId` (instance volumes, or the image of serverless endpoints), async
   * outputs and topics, captured data, and the log group `/aws/sagemaker/Endpoints/<endpoint name>`.
   * `KmsKeyId` is omitted for instance types with local NVMe storage (ml.g4dn, ml.g5, ml.g6e...): SageMaker
   * rejects it there, and those volumes are hardware-encrypted. A key created in CDK gets a key policy
   * statement letting CloudWatch Logs use it for that one log group; an imported key cannot be changed, so
   * its owner must allow `logs.<region>.amazonaws.com` to use it for that log group (condition
   * `kms:EncryptionContext:aws:logs:arn`), or creating the log group fails.
   * @default - a new customer-managed key with rotation, retained on delete, created only when the volumes,
   * async outputs or captured data use it (the log group then uses it too; without one, CloudWatch Logs'
   * service-managed encryption)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Run the model's network interfaces in your VPC (not in serverless mode).
   * @default - no VPC
   */
  readonly vpc?: EndpointVpcOptions;
  /**
   * Block every network call from the container (model data is still fetched by SageMaker).
   * Off by default because many serving containers download weights or call AWS APIs at start-up;
   * turn it on when the image needs no network. Not available in serverless mode.
   * @default false
   */
  readonly networkIsolation?: boolean;
  /**
   * Environment variables of the container, merged over spec.environment.
   * @default - spec.environment, else none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Application Auto Scaling of the variant, or `false` for none. Plain serverless endpoints scale by
   * themselves and get none.
   * @default - on, with the bounds of EndpointAutoScalingOptions
   */
  readonly autoScaling?: EndpointAutoScalingOptions | false;
  /**
   * Capture requests and responses to S3 (not in serverless mode).
   * @default - no capture
   */
  readonly dataCapture?: EndpointDataCaptureOptions;
  /**
   * Production variant name. Keep it stable across updates: the auto scaling resource id contains it.
   * @default 'AllTraffic'
   */
  readonly variantName?: string;
  /**
   * Execution role SageMaker assumes. Grants are added to it when it is mutable.
   * @default - a new role allowed only what this endpoint needs
   */
  readonly role?: iam.IRole;
  /**
   * Retention of the endpoint's log group `/aws/sagemaker/Endpoints/<endpoint name>`.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Blue/green deployment of updates (traffic shifting with automatic rollback on alarms). Rollback alarms
   * can be given here or added later with `addRollbackAlarm`; at least one is needed by synth time.
   * Build them on this endpoint's `metric*` helpers: those use the endpoint's fixed name, so the alarms do
   * not depend on the endpoint that names them (a dependency cycle otherwise).
   * @default - SageMaker's default update: blue/green, all at once, no baking, no automatic rollback
   */
  readonly deployment?: EndpointDeploymentOptions;
}

export type { AllAtOnceStrategy, CanaryStrategy, DeploymentStrategy, LinearStrategy } from './private/deployment-config';

/** How updates of the endpoint roll out, and what rolls them back. */
export interface EndpointDeploymentOptions {
  /**
   * How traffic shifts to the new fleet.
   * @default { type: 'canary', percent: 10, waitMinutes: 10 } (10% of capacity first, 10 minutes of baking, then the rest)
   */
  readonly strategy?: DeploymentStrategy;
  /**
   * Alarms whose ALARM state during the deployment rolls it back (1-10 in total with `addRollbackAlarm`).
   * @default - none here; add them with `addRollbackAlarm`
   */
  readonly rollbackAlarms?: readonly cloudwatch.IAlarm[];
  /**
   * Minutes the old fleet is kept after a successful shift, for a fast manual rollback (0-60).
   * @default 5
   */
  readonly terminationWaitMinutes?: number;
  /**
   * Upper bound on the whole deployment in minutes (10-480), longer than all waits together.
   * @default - the waits plus 30 minutes for provisioning the new fleet
   */
  readonly maximumExecutionTimeoutMinutes?: number;
}

/** The default rollout: a 10% canary, baked 10 minutes while the rollback alarms are watched. */
export const DEFAULT_DEPLOYMENT_STRATEGY: DeploymentStrategy = { type: 'canary', percent: 10, waitMinutes: 10 };

/** Attributes of an endpoint created elsewhere. */
export interface EndpointAttributes {
  readonly endpointName: string;
  /** @default 'AllTraffic' */
  readonly variantName?: string;
}

const SERVERLESS_MEMORY_SIZES = [1024, 2048, 3072, 4096, 5120, 6144];
const VARIANT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;
const PREFIX_EXPECTED = "a key prefix ending in '/' without a leading '/'";
const DEFAULT_INSTANCE_TYPE = 'ml.m5.xlarge';

interface ScalingPlan {
  readonly dimension: string;
  readonly min: number;
  readonly max: number;
}

/**
 * A SageMaker endpoint serving one model.
 *
 * ```ts
 * const endpoint = new ModelEndpoint(this, 'Churn', { spec: { name: 'churn', image: dlcUri, modelArtifact: 's3://models/churn/model.tar.gz' } });
 * endpoint.grantInvoke(apiHandler);
 * ```
 */
export class ModelEndpoint extends EndpointBase {
  /** An endpoint created elsewhere, to invoke and watch. */
  static fromEndpointAttributes(scope: Construct, id: string, attrs: EndpointAttributes): IInferenceEndpoint {
    const errors = new ValidationErrors('ModelEndpoint.fromEndpointAttributes');
    errors.checkPattern('endpointName', attrs.endpointName, ENDPOINT_NAME_PATTERN, '1-63 letters, digits or hyphens');
    errors.checkPattern('variantName', attrs.variantName, VARIANT_NAME_PATTERN, '1-63 letters, digits or hyphens');
    errors.throwIfAny();
    return new ImportedEndpoint(scope, id, attrs.endpointName, attrs.variantName ?? 'AllTraffic');
  }

  /** Endpoint name (resolves to the endpoint's `EndpointName` attribute, so users depend on the endpoint). */
  readonly endpointName: string;
  readonly endpointArn: string;
  readonly variantName: string;
  /** Name of the SageMaker Model resource (named by CloudFormation, so model updates can replace it). */
  readonly modelName: string;
  /** Execution role SageMaker assumes. */
  readonly role: iam.IRole;
  readonly mode: InferenceMode;
  /** The catalog entry of the instance type; undefined in serverless mode. */
  readonly computeClass?: ComputeClass;
  /** SageMaker instance type; undefined in serverless mode. */
  readonly instanceType?: string;
  /** Key of the endpoint config, async outputs and captured data; undefined when nothing needed one. */
  readonly encryptionKey?: kms.IKey;
  /** Auto scaling target, when auto scaling is on. */
  readonly scalableTarget?: appscaling.ScalableTarget;
  /** Security groups of the model, when it runs in a VPC. */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** Async success and error topics, in async mode. */
  readonly asyncSuccessTopic?: sns.ITopic;
  readonly asyncErrorTopic?: sns.ITopic;
  /** `s3://bucket/prefix` captured data goes to, when data capture is on (input for Model Monitor). */
  readonly dataCaptureS3Uri?: string;
  /** Log group the container writes to. */
  readonly logGroup: logs.ILogGroup;

  /**
   * The endpoint's name as a plain string known at synth time (`<model name>-<hash of the construct path>`),
   * as used in the metric dimensions. Prefer `endpointName` to reference the endpoint (it carries the dependency).
   */
  readonly physicalEndpointName: string;

  readonly cfnModel: sagemaker.CfnModel;
  readonly cfnEndpointConfig: sagemaker.CfnEndpointConfig;
  readonly cfnEndpoint: sagemaker.CfnEndpoint;

  private readonly rollbackAlarms: cloudwatch.IAlarm[] = [];
  /** Why the role we created has `Resource: *` statements (one cdk-nag finding id for all of them). */
  private readonly wildcardReasons = new Set<string>();
  private ownRole = false;

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    const errors = new ValidationErrors('ModelEndpoint');
    const spec = props.spec ? resolveModelSpec(props.spec, errors, 'spec') : undefined;

    // --- names and mode
    const modelName = props.modelName ?? spec?.name;
    if (props.modelName !== undefined) {
      errors.checkPattern('modelName', props.modelName, MODEL_NAME_PATTERN, '2-32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen');
    } else if (!spec) {
      errors.add('modelName', undefined, 'a model name, or a spec with one');
    }
    const mode = props.mode ?? 'realtime';
    errors.checkOneOf('mode', mode, MODES);
    const variantName = props.variantName ?? 'AllTraffic';
    errors.checkPattern('variantName', variantName, VARIANT_NAME_PATTERN, '1-63 letters, digits or hyphens, not starting or ending with a hyphen');

    // --- compute
    const instanceType = props.instanceType ?? spec?.compute.aws.machineType ?? DEFAULT_INSTANCE_TYPE;
    const computeClass = findComputeClassByAwsInstanceType(instanceType);
    if (!computeClass) {
      errors.add('instanceType', instanceType, `one of the compute catalog's SageMaker instance types: ${awsInstanceTypes().join(', ')}`);
    } else if (mode === 'serverless' && computeClass.kind === 'gpu') {
      errors.add(props.instanceType !== undefined ? 'instanceType' : 'spec.compute', instanceType, "a CPU instance type, or mode 'realtime' / 'async': serverless inference has no GPUs");
    }

    // --- image and model data (spec strings are checked here so every problem is reported at once)
    const image = props.image ?? this.imageFromSpec(spec, errors);
    const modelData = props.modelData ?? this.modelDataFromSpec(spec, errors);

    // --- mode-specific options
    const serverless = {
      memorySizeMb: props.serverless?.memorySizeMb ?? 2048,
      maxConcurrency: props.serverless?.maxConcurrency ?? 20,
      provisionedConcurrency: props.serverless?.provisionedConcurrency,
    };
    if (mode === 'serverless') {
      errors.check(SERVERLESS_MEMORY_SIZES.includes(serverless.memorySizeMb), 'serverless.memorySizeMb', serverless.memorySizeMb, `one of ${SERVERLESS_MEMORY_SIZES.join(', ')}`);
      const maxOk = errors.checkNumber('serverless.maxConcurrency', serverless.maxConcurrency, { min: 1, max: 200, integer: true });
      errors.checkNumber('serverless.provisionedConcurrency', serverless.provisionedConcurrency, { min: 1, max: maxOk ? serverless.maxConcurrency : 200, integer: true });
      errors.check(props.vpc === undefined, 'vpc', 'a VPC', "no VPC in serverless mode (unsupported by SageMaker); use mode 'realtime'");
      errors.check(props.dataCapture === undefined, 'dataCapture', 'data capture', "no data capture in serverless mode (unsupported by SageMaker); use mode 'realtime'");
      errors.check(!props.networkIsolation, 'networkIsolation', props.networkIsolation, "false in serverless mode (unsupported by SageMaker)");
    }
    const asyncOptions = props.async;
    const asyncPrefixes = {
      output: asyncOptions?.outputPrefix ?? 'async-output/',
      failure: asyncOptions?.failurePrefix ?? 'async-failures/',
      input: asyncOptions?.inputPrefix ?? 'async-input/',
    };
    if (mode === 'async') {
      errors.check(asyncOptions?.outputBucket !== undefined, 'async.outputBucket', asyncOptions?.outputBucket, "a bucket for results: async mode writes every response to S3");
      errors.checkPattern('async.outputPrefix', asyncPrefixes.output, PREFIX_PATTERN, PREFIX_EXPECTED);
      errors.checkPattern('async.failurePrefix', asyncPrefixes.failure, PREFIX_PATTERN, PREFIX_EXPECTED);
      errors.checkPattern('async.inputPrefix', asyncPrefixes.input, PREFIX_PATTERN, PREFIX_EXPECTED);
      errors.checkNumber('async.maxConcurrentInvocationsPerInstance', asyncOptions?.maxConcurrentInvocationsPerInstance, { min: 1, max: 1000, integer: true });
    }

    const capture = props.dataCapture;
    const capturePrefix = capture?.prefix ?? 'data-capture/';
    if (capture) {
      errors.checkNumber('dataCapture.samplingPercentage', capture.samplingPercentage, { min: 1, max: 100, integer: true });
      errors.checkPattern('dataCapture.prefix', capturePrefix, PREFIX_PATTERN, PREFIX_EXPECTED);
      errors.check(capture.captureRequest !== false || capture.captureResponse !== false, 'dataCapture.captureRequest', false, 'captureRequest or captureResponse true (or leave data capture off)');
    }

    // --- scaling
    const initialInstanceCount = props.initialInstanceCount;
    errors.checkNumber('initialInstanceCount', initialInstanceCount, { min: 1, max: 1000, integer: true });
    const scaling = this.planScaling(props, spec, mode, serverless, errors);

    // --- deployment: the strategy and waits are checked now, the rollback alarms once all are added.
    const deployment = props.deployment;
    if (deployment) {
      this.rollbackAlarms.push(...(deployment.rollbackAlarms ?? []));
      buildDeploymentConfig(deploymentConfigOptions(deployment, ['placeholder']), errors);
    }

    errors.throwIfAny();

    // ---------------------------------------------------------------- resources
    this.mode = mode;
    this.variantName = variantName;
    this.computeClass = mode === 'serverless' ? undefined : computeClass;
    this.instanceType = mode === 'serverless' ? undefined : instanceType;
    // Physical endpoint name: model name + hash of the construct path, known at synth time so the role can
    // be scoped to its log group without a dependency cycle, and distinct for two endpoints in one app.
    const physicalName = `${modelName}-${pathHash(this)}`;
    this.physicalEndpointName = physicalName;

    this.ownRole = props.role === undefined;
    this.role = props.role ?? new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Execution role of SageMaker endpoint ${physicalName}`,
    });

    const volumeKmsAllowed = mode === 'serverless' || computeClass?.aws.localNvme === false;
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
    this.grantModelRuntime(physicalName);

    let vpcConfig: sagemaker.CfnModel.VpcConfigProperty | undefined;
    if (props.vpc) {
      this.securityGroups = props.vpc.securityGroups ?? [new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc.vpc,
        description: `SageMaker endpoint ${physicalName}: no inbound, outbound to S3/ECR/CloudWatch`,
        allowAllOutbound: true,
      })];
      const subnets = props.vpc.vpc.selectSubnets(props.vpc.subnets);
      vpcConfig = { subnets: subnets.subnetIds, securityGroupIds: this.securityGroups.map((sg) => sg.securityGroupId) };
      this.grantNetworkInterfaces(subnets.subnetIds, this.securityGroups);
    }

    const imageConfig = image!.bind(this, this.role);
    this.wildcardReasons.add('ecr:GetAuthorizationToken has no resource type (image pulls are limited to the image repository)');
    const modelDataConfig = modelData?.bind(this, this.role);
    const environment = { ...(spec?.environment ?? {}), ...(props.environment ?? {}) };

    this.cfnModel = new sagemaker.CfnModel(this, 'Model', {
      executionRoleArn: this.role.roleArn,
      primaryContainer: {
        image: imageConfig.imageUri,
        modelDataUrl: modelDataConfig?.s3Uri,
        environment: Object.keys(environment).length > 0 ? environment : undefined,
      },
      vpcConfig,
      enableNetworkIsolation: props.networkIsolation ?? false,
    });
    // SageMaker checks image and data access when the model is created: the role's policy must exist first.
    this.cfnModel.node.addDependency(this.role);
    this.modelName = this.cfnModel.attrModelName;

    // --- endpoint config
    let kmsKeyId: string | undefined;
    if (this.encryptionKey && volumeKmsAllowed) {
      kmsKeyId = this.encryptionKey.keyArn;
      // SageMaker creates grants on the key to encrypt the instance volumes.
      this.encryptionKey.grant(this.role, 'kms:CreateGrant', 'kms:DescribeKey');
    }

    this.cfnEndpointConfig = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      kmsKeyId,
      productionVariants: [{
        variantName,
        modelName: this.cfnModel.attrModelName,
        initialVariantWeight: 1,
        ...(mode === 'serverless'
          ? {
            serverlessConfig: {
              memorySizeInMb: serverless.memorySizeMb,
              maxConcurrency: serverless.maxConcurrency,
              provisionedConcurrency: serverless.provisionedConcurrency,
            },
          }
          : {
            instanceType,
            initialInstanceCount: initialInstanceCount ?? Math.max(1, scaling?.min ?? 1),
          }),
      }],
      asyncInferenceConfig: mode === 'async' ? this.asyncConfig(asyncOptions!, asyncPrefixes) : undefined,
      dataCaptureConfig: capture ? this.dataCaptureConfig(capture, capturePrefix) : undefined,
    });

    this.cfnEndpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointName: physicalName,
      endpointConfigName: this.cfnEndpointConfig.attrEndpointConfigName,
    });
    this.endpointName = this.cfnEndpoint.attrEndpointName;
    this.endpointArn = this.cfnEndpoint.attrEndpointArn;
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
    this.dataCaptureS3Uri = capture ? `s3://${capture.bucket.bucketName}/${capturePrefix.slice(0, -1)}` : undefined;

    if (scaling) {
      this.scalableTarget = this.addAutoScaling(props, spec, mode, scaling);
    }
    if (this.ownRole && this.wildcardReasons.size > 0) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `Only for APIs without resource-level permissions: ${[...this.wildcardReasons].join('; ')}`,
      });
    }
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

  /**
   * Acknowledges the IAM5 findings of wildcard resources we grant, on the role this endpoint created only:
   * on a role the user passed in, the findings stay visible to them.
   */
  private acknowledgeOwnRole(resources: readonly string[], reason: string): void {
    if (this.ownRole) acknowledgeWildcardArns(this.role, resources, reason);
  }

  private rollbackAlarmNames(): string[] {
    return this.rollbackAlarms.map((alarm) => alarm.alarmName);
  }

  private imageFromSpec(spec: ResolvedModelSpec | undefined, errors: ValidationErrors): ContainerImage | undefined {
    if (!spec) {
      errors.add('image', undefined, 'a ContainerImage, or a spec with an image URI');
      return undefined;
    }
    if (Token.isUnresolved(spec.image) || !parseEcrImageUri(spec.image)) {
      errors.add('spec.image', spec.image, ECR_IMAGE_URI_EXPECTED);
      return undefined;
    }
    return ContainerImage.fromImageUri(spec.image);
  }

  private modelDataFromSpec(spec: ResolvedModelSpec | undefined, errors: ValidationErrors): ModelData | undefined {
    const artifact = spec?.modelArtifact;
    if (artifact === undefined) return undefined;
    if (/^[a-z][a-z0-9+.-]*:\/\//.test(artifact)) {
      if (!parseS3Uri(artifact)) {
        errors.add('spec.modelArtifact', artifact, `${S3_URI_EXPECTED}, or a local .tar.gz file (AWS reads model data from S3 only)`);
        return undefined;
      }
      return ModelData.fromS3Uri(artifact);
    }
    try {
      return ModelData.fromAsset(artifact);
    } catch (e) {
      errors.add('spec.modelArtifact', artifact, `an s3:// URI or an existing local .tar.gz file (${(e as Error).message})`);
      return undefined;
    }
  }

  private planScaling(
    props: ModelEndpointProps,
    spec: ResolvedModelSpec | undefined,
    mode: InferenceMode,
    serverless: { maxConcurrency: number; provisionedConcurrency?: number },
    errors: ValidationErrors,
  ): ScalingPlan | undefined {
    if (props.autoScaling === false) return undefined;
    const options = props.autoScaling ?? {};
    const minProp = options.minCapacity !== undefined || !spec ? 'autoScaling.minCapacity' : 'spec.scaling.minInstances';
    const maxProp = options.maxCapacity !== undefined || !spec ? 'autoScaling.maxCapacity' : 'spec.scaling.maxInstances';
    errors.checkNumber('autoScaling.scaleInCooldown', options.scaleInCooldown?.toSeconds(), { min: 0, max: 86400, integer: true });
    errors.checkNumber('autoScaling.scaleOutCooldown', options.scaleOutCooldown?.toSeconds(), { min: 0, max: 86400, integer: true });

    if (mode === 'serverless') {
      if (serverless.provisionedConcurrency === undefined) {
        if (props.autoScaling !== undefined) {
          Annotations.of(this).addWarningV2('deploy-ai-smarter:serverlessAutoScalingIgnored', 'autoScaling is ignored for serverless endpoints without provisionedConcurrency: they scale by themselves up to maxConcurrency');
        }
        return undefined;
      }
      const min = options.minCapacity ?? serverless.provisionedConcurrency;
      const max = options.maxCapacity ?? serverless.maxConcurrency;
      const ok = errors.checkNumber('autoScaling.minCapacity', min, { min: 1, integer: true })
        && errors.checkNumber('autoScaling.maxCapacity', max, { min: 1, max: serverless.maxConcurrency, integer: true });
      if (ok) errors.check(min <= max, 'autoScaling.minCapacity', min, `at most autoScaling.maxCapacity (${max})`);
      errors.checkNumber('autoScaling.targetProvisionedConcurrencyUtilization', options.targetProvisionedConcurrencyUtilization, { min: 0.1, max: 1 });
      return { dimension: 'sagemaker:variant:DesiredProvisionedConcurrency', min, max };
    }

    const min = options.minCapacity ?? spec?.scaling.minInstances ?? 1;
    const max = options.maxCapacity ?? spec?.scaling.maxInstances ?? Math.max(4, min);
    let ok = errors.checkNumber(minProp, min, { min: 0, max: 1000, integer: true });
    ok = errors.checkNumber(maxProp, max, { min: 1, max: 1000, integer: true }) && ok;
    if (ok && mode === 'realtime') {
      ok = errors.check(min >= 1, minProp, min, "at least 1 for a realtime endpoint (use mode 'async' to scale to zero)");
    }
    if (ok) errors.check(min <= max, minProp, min, `at most ${maxProp} (${max})`);
    errors.checkNumber('autoScaling.targetInvocationsPerInstance', options.targetInvocationsPerInstance, { min: 1, max: 100000 });
    errors.checkNumber('autoScaling.targetBacklogPerInstance', options.targetBacklogPerInstance, { min: 0.1, max: 100000 });
    return { dimension: 'sagemaker:variant:DesiredInstanceCount', min, max };
  }

  private addAutoScaling(props: ModelEndpointProps, spec: ResolvedModelSpec | undefined, mode: InferenceMode, plan: ScalingPlan): appscaling.ScalableTarget {
    const options = props.autoScaling || {};
    const stack = Stack.of(this);
    const target = new appscaling.ScalableTarget(this, 'ScalableTarget', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      scalableDimension: plan.dimension,
      // attrEndpointName (not the literal name) makes the target wait for the endpoint to exist.
      resourceId: `endpoint/${this.cfnEndpoint.attrEndpointName}/variant/${this.variantName}`,
      minCapacity: plan.min,
      maxCapacity: plan.max,
      // The service-linked role Application Auto Scaling creates for SageMaker on first use, rather than
      // a new role of our own with the same permissions.
      role: iam.Role.fromRoleArn(this, 'AutoScalingRole', stack.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: 'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
      }), { mutable: false }),
    });
    const cooldowns = {
      scaleInCooldown: options.scaleInCooldown ?? Duration.seconds(300),
      scaleOutCooldown: options.scaleOutCooldown ?? Duration.seconds(60),
    };

    if (mode === 'realtime') {
      target.scaleToTrackMetric('InvocationsTracking', {
        predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
        targetValue: options.targetInvocationsPerInstance ?? spec?.scaling.targetInvocationsPerInstancePerMinute ?? 100,
        ...cooldowns,
      });
    } else if (mode === 'serverless') {
      target.scaleToTrackMetric('ProvisionedConcurrencyTracking', {
        predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_PROVISIONED_CONCURRENCY_UTILIZATION,
        targetValue: options.targetProvisionedConcurrencyUtilization ?? 0.7,
        ...cooldowns,
      });
    } else {
      // Async endpoints publish no InvocationsPerInstance: track the queue per instance instead.
      target.scaleToTrackMetric('BacklogTracking', {
        customMetric: new cloudwatch.Metric({
          namespace: 'AWS/SageMaker',
          metricName: 'ApproximateBacklogSizePerInstance',
          dimensionsMap: { EndpointName: this.cfnEndpoint.attrEndpointName },
          statistic: 'Average',
          period: Duration.minutes(1),
        }),
        targetValue: options.targetBacklogPerInstance ?? 5,
        ...cooldowns,
      });
      if (plan.min === 0) {
        // Target tracking cannot leave zero instances (the per-instance metric has no data):
        // a step policy adds one instance as soon as requests wait with no capacity.
        target.scaleOnMetric('ScaleOutFromZero', {
          metric: new cloudwatch.Metric({
            namespace: 'AWS/SageMaker',
            metricName: 'HasBacklogWithoutCapacity',
            dimensionsMap: { EndpointName: this.cfnEndpoint.attrEndpointName },
            statistic: 'Average',
            period: Duration.minutes(1),
          }),
          scalingSteps: [{ upper: 0, change: 0 }, { lower: 1, change: 1 }],
          adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
          cooldown: cooldowns.scaleOutCooldown,
        });
      }
    }
    return target;
  }

  /** Logs to its own group, metrics to the SageMaker namespaces only. */
  private grantModelRuntime(physicalName: string): void {
    const stack = Stack.of(this);
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/sagemaker/Endpoints/${physicalName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'],
      resources: [logGroupArn],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${logGroupArn}:log-stream:*`],
    }));
    this.acknowledgeOwnRole([`${logGroupArn}:log-stream:*`],
      'SageMaker names a log stream per instance and container at run time; the grant is limited to the endpoint log group');
    this.wildcardReasons.add('cloudwatch:PutMetricData has no resource type (limited to the /aws/sagemaker/* namespaces by condition)');
    // cloudwatch:PutMetricData has no resource-level permissions: `*`, narrowed by the namespace condition.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
    }));
  }

  /** What SageMaker needs to attach the model's network interfaces to the given subnets and groups. */
  private grantNetworkInterfaces(subnetIds: string[], securityGroups: ec2.ISecurityGroup[]): void {
    const stack = Stack.of(this);
    const ec2Arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
    const networkInterfaces = ec2Arn('network-interface', '*');
    // The EC2 Describe* APIs support no resource-level permissions, so `*`.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
      resources: ['*'],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkInterface'],
      resources: [
        networkInterfaces,
        ...subnetIds.map((id) => ec2Arn('subnet', id)),
        ...securityGroups.map((sg) => ec2Arn('security-group', sg.securityGroupId)),
      ],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
      resources: [networkInterfaces],
    }));
    this.acknowledgeOwnRole([networkInterfaces],
      'The model network interfaces are created by SageMaker at deploy time, so their ids are unknown; creation is limited to the given subnets and security groups');
    this.wildcardReasons.add('ec2:Describe* (VPC) supports no resource-level permissions');
  }

  private asyncConfig(
    options: AsyncInferenceOptions,
    prefixes: { output: string; failure: string; input: string },
  ): sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty {
    const bucket = options.outputBucket;
    const key = bucket.encryptionKey ?? this.encryptionKey!;
    // Read only the inputs clients upload, write only results and failures.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects(`${prefixes.input}*`)],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: [bucket.arnForObjects(`${prefixes.output}*`), bucket.arnForObjects(`${prefixes.failure}*`)],
    }));
    // Decrypt inputs; encrypt results (multipart uploads read their data keys back, hence Decrypt too).
    key.grant(this.role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    this.acknowledgeOwnRole([bucket.arnForObjects(`${prefixes.input}*`)],
      'Async requests are new objects under the input prefix, one per request; read access is limited to that prefix');
    this.acknowledgeOwnRole([bucket.arnForObjects(`${prefixes.output}*`), bucket.arnForObjects(`${prefixes.failure}*`)],
      'Async results and failure reports are new objects named per request; write access is limited to the output and failure prefixes');

    const topic = (id: string, given: sns.ITopic | undefined) => given ?? new sns.Topic(this, id, {
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    const successTopic = topic('AsyncSuccessTopic', options.successTopic);
    const errorTopic = topic('AsyncErrorTopic', options.errorTopic);
    // sns:Publish plus explicit key actions (Topic.grantPublish would add kms:GenerateDataKey*).
    for (const t of [successTopic, errorTopic]) {
      iam.Grant.addToPrincipal({ grantee: this.role, actions: ['sns:Publish'], resourceArns: [t.topicArn] });
      t.masterKey?.grant(this.role, 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    (this as { asyncSuccessTopic?: sns.ITopic }).asyncSuccessTopic = successTopic;
    (this as { asyncErrorTopic?: sns.ITopic }).asyncErrorTopic = errorTopic;

    return {
      outputConfig: {
        s3OutputPath: `s3://${bucket.bucketName}/${prefixes.output.slice(0, -1)}`,
        s3FailurePath: `s3://${bucket.bucketName}/${prefixes.failure.slice(0, -1)}`,
        kmsKeyId: key.keyArn,
        notificationConfig: { successTopic: successTopic.topicArn, errorTopic: errorTopic.topicArn },
      },
      clientConfig: options.maxConcurrentInvocationsPerInstance !== undefined
        ? { maxConcurrentInvocationsPerInstance: options.maxConcurrentInvocationsPerInstance }
        : undefined,
    };
  }

  private dataCaptureConfig(capture: EndpointDataCaptureOptions, prefix: string): sagemaker.CfnEndpointConfig.DataCaptureConfigProperty {
    const key = capture.kmsKey ?? capture.bucket.encryptionKey ?? this.encryptionKey!;
    // Write only under the capture prefix.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: [capture.bucket.arnForObjects(`${prefix}*`)],
    }));
    // Encrypt captured objects (multipart uploads read their data keys back, hence Decrypt too).
    key.grant(this.role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    this.acknowledgeOwnRole([capture.bucket.arnForObjects(`${prefix}*`)],
      'Captured requests are new objects under the capture prefix, partitioned by hour; write access is limited to that prefix');
    const captureOptions = [
      ...(capture.captureRequest !== false ? [{ captureMode: 'Input' }] : []),
      ...(capture.captureResponse !== false ? [{ captureMode: 'Output' }] : []),
    ];
    return {
      enableCapture: true,
      initialSamplingPercentage: capture.samplingPercentage ?? 100,
      destinationS3Uri: `s3://${capture.bucket.bucketName}/${prefix.slice(0, -1)}`,
      kmsKeyId: key.keyArn,
      captureOptions,
      // Captured JSON and CSV payloads are stored as text (readable by Model Monitor), not base64.
      captureContentTypeHeader: { jsonContentTypes: ['application/json'], csvContentTypes: ['text/csv'] },
    };
  }
}

class ImportedEndpoint extends EndpointBase {
  readonly endpointArn: string;

  constructor(scope: Construct, id: string, readonly endpointName: string, readonly variantName: string) {
    super(scope, id);
    this.endpointArn = Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'endpoint',
      // SageMaker ARNs carry the endpoint name in lower case.
      resourceName: Token.isUnresolved(endpointName) ? endpointName : endpointName.toLowerCase(),
    });
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
