// ModelEndpointProps and the options of its parts: serving mode, network, scaling, capture, deployment, variants,
// large models.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { ModelSpec, ResolvedModelSpec } from '../core/model-spec';
import { ContainerImage } from './container-image';
import type { InferenceMode } from './inference-endpoint';
import { ModelData } from './model-data';
import type { DeploymentStrategy } from './private/deployment-config';

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
  /** The VPC; its network interfaces may be created and deleted by the model's role in this VPC only. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the model's network interfaces: private or isolated ones only (a public subnet is refused).
   * @default - the VPC's private subnets with egress, else its isolated subnets
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

/**
 * What large models (LLMs, big GPU models) need: a bigger volume and longer download and start-up windows.
 * SageMaker's ranges: volume 1-512 GB (not on instance types with local NVMe, whose storage is fixed), both
 * timeouts 60-3600 seconds; none of them in serverless mode.
 */
export interface LargeModelOptions {
  /**
   * Size of the EBS volume of each instance, in GB (1-512). Not for types with local NVMe (ml.g5, ml.p4d...).
   * @default - SageMaker's default for the instance type
   */
  readonly volumeSizeGb?: number;
  /**
   * Time SageMaker allows to download and extract the model artifact on each instance (60-3600 s).
   * @default - SageMaker's default (20 minutes)
   */
  readonly modelDataDownloadTimeout?: Duration;
  /**
   * Time the container has to answer its first `GET /ping` (60-3600 s).
   * @default - 300 s for the Hugging Face TGI image of `spec.huggingFaceModelId` (main variant), else SageMaker's default (8 minutes)
   */
  readonly containerStartupHealthCheckTimeout?: Duration;
}

/** A model container of a variant: another model version next to the endpoint's own. */
export interface VariantModelOptions {
  /**
   * The serving container of this variant.
   * @default - the endpoint's image
   */
  readonly image?: ContainerImage;
  /**
   * The model artifact of this variant.
   * @default - the endpoint's model data (when image and model data are both left out, the variant serves the endpoint's model)
   */
  readonly modelData?: ModelData;
  /**
   * Environment of this variant's container, merged over the endpoint's.
   * @default - the endpoint's environment
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/** One more production variant: traffic is split between variants by weight (A/B between versions or instance types). */
export interface ProductionVariantOptions extends VariantModelOptions, LargeModelOptions {
  /** Variant name, 1-63 letters, digits or hyphens. Keep it stable: the auto scaling resource id contains it. */
  readonly variantName: string;
  /**
   * Traffic weight; each variant gets weight / sum of weights of the requests.
   * @default 1
   */
  readonly weight?: number;
  /**
   * SageMaker instance type of this variant (any hosting type).
   * @default - the endpoint's instance type
   */
  readonly instanceType?: string;
  /**
   * Instances at creation.
   * @default - the auto scaling minimum, else 1
   */
  readonly initialInstanceCount?: number;
  /**
   * Auto scaling of this variant, or `false` for none.
   * @default - the endpoint's autoScaling options
   */
  readonly autoScaling?: EndpointAutoScalingOptions | false;
}

/**
 * A shadow variant: SageMaker copies a share of the production traffic to it and drops its answers, so a new
 * model is measured on real requests before it takes any. Realtime endpoints with exactly one production
 * variant only (not serverless, async or ml.inf1: SageMaker refuses those).
 */
export interface ShadowVariantOptions extends VariantModelOptions, LargeModelOptions {
  /** Variant name, 1-63 letters, digits or hyphens. */
  readonly variantName: string;
  /**
   * Share of production requests copied to the shadow, in percent (1-100).
   * @default 100
   */
  readonly samplingPercent?: number;
  /**
   * SageMaker instance type of the shadow (any hosting type).
   * @default - the endpoint's instance type
   */
  readonly instanceType?: string;
  /**
   * Instances at creation.
   * @default - the auto scaling minimum, else 1
   */
  readonly initialInstanceCount?: number;
  /**
   * Auto scaling of the shadow, or `false` for none.
   * @default - the endpoint's autoScaling options
   */
  readonly autoScaling?: EndpointAutoScalingOptions | false;
}

/** Attributes of an endpoint created elsewhere. */
export interface EndpointAttributes {
  readonly endpointName: string;
  /** @default 'AllTraffic' */
  readonly variantName?: string;
  /**
   * How the endpoint serves.
   * @default 'realtime'
   */
  readonly mode?: 'realtime' | 'serverless' | 'async';
  /**
   * Its instance type (for the CPU and GPU utilization alarms).
   * @default - unknown: no CPU or GPU utilization alarms
   */
  readonly instanceType?: string;
}

/**
 * Either a `spec` or explicit props (or both). The spec supplies defaults: name, image (an ECR URI), model data
 * (`s3://` URI or a local `.tar.gz` file), instance type (its compute class's SageMaker type), scaling bounds and
 * target, environment, alarm thresholds. Every explicit prop overrides the spec value it shadows; `environment` is
 * merged, explicit keys winning.
 */
export interface ModelEndpointProps extends LargeModelOptions {
  /**
   * The cloud-neutral model description, as written or as already resolved (`resolveModelSpec`): a resolved spec
   * is used as it is, not resolved and checked again.
   * @default - none: `modelName` and `image` are then required
   */
  readonly spec?: ModelSpec | ResolvedModelSpec;
  /**
   * Model name (2-32 lowercase letters, digits, hyphens; starts with a letter). Prefixes the endpoint name.
   * @default - spec.name
   */
  readonly modelName?: string;
  /**
   * The serving image. A spec with `framework` or `huggingFaceModelId` gets SageMaker's prebuilt image for the
   * stack's region (a `CfnMapping` on `AWS::Region` in an env-agnostic stack) and the main variant's processor:
   * the GPU image on a GPU type, the Neuron image on Inferentia/Trainium, with the environment it needs.
   * @default - ContainerImage.fromImageUri(spec.image), or the prebuilt image of spec.framework / spec.huggingFaceModelId
   */
  readonly image?: ContainerImage;
  /** @default - from spec.modelArtifact (s3:// URI or local .tar.gz), else none (the image carries the model) */
  readonly modelData?: ModelData;
  /**
   * SageMaker instance type of the main variant: any real-time hosting type (`ml.g6.xlarge`, `ml.inf2.xlarge`,
   * `ml.r7i.large`...; see the catalog in lib/core/sagemaker-instances.ts). Ignored in serverless mode (types with
   * accelerators are refused there).
   * @default - the spec's compute class machine, else 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Instances of the main variant at creation (within the auto scaling bounds).
   * @default - the auto scaling minimum (at least 1), else 1
   */
  readonly initialInstanceCount?: number;
  /** @default 'realtime' */
  readonly mode?: InferenceMode;
  /** @default - memory 2048 MB, max concurrency 20, no provisioned concurrency (serverless mode only) */
  readonly serverless?: ServerlessInferenceOptions;
  /** @default - none; required in async mode */
  readonly async?: AsyncInferenceOptions;
  /**
   * Key for the endpoint config's `KmsKeyId` (instance volumes, or the image of serverless endpoints), async
   * outputs and topics, captured data, and the log group `/aws/sagemaker/Endpoints/<endpoint name>`.
   * `KmsKeyId` is omitted when a variant runs on a type with local NVMe (ml.g5, ml.p4d, ml.m5d...): SageMaker
   * rejects it there, and those volumes are hardware-encrypted. An imported key cannot be changed, so its owner
   * must allow `logs.<region>.amazonaws.com` to use it for that log group, or creating the log group fails.
   * @default - a new customer-managed key with rotation, retained on delete, created only when something uses it
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Run the model's network interfaces in private or isolated subnets of your VPC (not in serverless mode).
   * @default - no VPC
   */
  readonly vpc?: EndpointVpcOptions;
  /**
   * Block every network call from the container (SageMaker still fetches the image and model data). On by
   * default; turn it off for a container that downloads weights or calls AWS APIs at start-up. SageMaker offers
   * no network isolation for serverless endpoints, so it is off there (and `true` is refused). A spec with
   * `huggingFaceModelId` downloads the model from the Hub at start, so it is off there too (and `true` is refused).
   * @default true (false in serverless mode and with spec.huggingFaceModelId)
   */
  readonly networkIsolation?: boolean;
  /**
   * Environment variables of the container (string values), merged over spec.environment.
   * @default - spec.environment, else none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Application Auto Scaling of every variant (each variant may override it), or `false` for none.
   * Burstable types (ml.t2) cannot be scaled: use `false` with them.
   * @default - on, with the bounds of EndpointAutoScalingOptions
   */
  readonly autoScaling?: EndpointAutoScalingOptions | false;
  /** @default - no capture (not in serverless mode) */
  readonly dataCapture?: EndpointDataCaptureOptions;
  /**
   * Name of the main production variant. Keep it stable across updates: the auto scaling resource id contains it.
   * @default 'AllTraffic'
   */
  readonly variantName?: string;
  /**
   * Traffic weight of the main variant against `additionalVariants`.
   * @default 1
   */
  readonly variantWeight?: number;
  /**
   * More production variants, splitting traffic by weight with the main one (up to 10 in all).
   * @default - the main variant only
   */
  readonly additionalVariants?: readonly ProductionVariantOptions[];
  /**
   * A shadow variant receiving a copy of the main variant's traffic (realtime, single production variant).
   * @default - none
   */
  readonly shadowVariant?: ShadowVariantOptions;
  /** @default - a new role allowed only what this endpoint needs */
  readonly role?: iam.IRole;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Blue/green deployment of updates with automatic rollback on alarms (also with several variants). Build rollback
   * alarms on this endpoint's `metric*` helpers (fixed endpoint name, no dependency cycle).
   * @default - SageMaker's default update: blue/green, all at once, no baking, no automatic rollback
   */
  readonly deployment?: EndpointDeploymentOptions;
}

