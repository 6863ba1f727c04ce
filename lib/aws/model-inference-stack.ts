// The composed AWS stack: one ModelSpec (plus AWS overrides) becomes an encrypted ingestion bucket, a
// SageMaker endpoint, an authenticated API in front of it and alarms on it, with outputs to find them.
import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { awsInstanceTypes, findComputeClassByAwsInstanceType } from '../core/compute-catalog';
import { ValidationErrors } from '../core/errors';
import { ModelSpec, resolveModelSpec } from '../core/model-spec';
import { InferenceAlarms } from './inference-alarms';
import { InferenceApi, InferenceApiAuthorization, InferenceApiQuota, InferenceApiThrottle } from './inference-api';
import { IInferenceEndpoint } from './inference-endpoint';
import { IngestionBucket } from './ingestion-bucket';
import {
  EndpointAutoScalingOptions, EndpointVpcOptions, InferenceMode, ModelEndpoint, ServerlessInferenceOptions,
} from './model-endpoint';

/** Async inference settings of the stack; results go to the ingestion bucket. */
export interface ModelInferenceStackAsyncOptions {
  /**
   * Key prefix the API writes requests under, and the only one the endpoint reads.
   * @default 'async-input/'
   */
  readonly inputPrefix?: string;
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
   * Requests SageMaker sends to one instance at a time (1-1000).
   * @default - chosen by SageMaker
   */
  readonly maxConcurrentInvocationsPerInstance?: number;
}

export interface ModelInferenceStackProps extends StackProps {
  /** What to serve: name, image, artifact, compute, scaling and monitoring thresholds. */
  readonly spec: ModelSpec;
  /**
   * SageMaker instance type (from the compute catalog), overriding `spec.compute`.
   * @default - the spec's compute class (ml.m5.xlarge by default)
   */
  readonly instanceType?: string;
  /**
   * Real-time instances, serverless (CPU only, scales to zero) or async (queued, S3 in and out).
   * @default 'realtime'
   */
  readonly mode?: InferenceMode;
  /** @default - 2048 MB, 20 concurrent invocations (serverless mode only) */
  readonly serverless?: ServerlessInferenceOptions;
  /** @default - the default prefixes (async mode only) */
  readonly async?: ModelInferenceStackAsyncOptions;
  /**
   * Overrides of the endpoint's auto scaling (`false` for none).
   * @default - bounds and target from spec.scaling
   */
  readonly autoScaling?: EndpointAutoScalingOptions | false;
  /**
   * How API callers authenticate.
   * @default 'iam'
   */
  readonly authorization?: InferenceApiAuthorization;
  /**
   * API stage throttling.
   * @default - 50 requests per second, bursts of 100
   */
  readonly throttle?: InferenceApiThrottle;
  /**
   * Quota per API key (`authorization: 'apiKey'` only).
   * @default - none
   */
  readonly quota?: InferenceApiQuota;
  /**
   * ARN of a regional WAFv2 web ACL for the API stage.
   * @default - none
   */
  readonly webAclArn?: string;
  /**
   * Set up the region's API Gateway logging role (turn off when the account already has one).
   * @default true
   */
  readonly apiCloudWatchRole?: boolean;
  /**
   * Capture requests and responses to the ingestion bucket (`data-capture/`). Not available in serverless mode.
   * @default true for realtime and async, false for serverless
   */
  readonly dataCapture?: boolean;
  /**
   * Share of requests captured, in percent (1-100).
   * @default 100
   */
  readonly dataCaptureSamplingPercentage?: number;
  /**
   * Run objects uploaded under `incoming/` in the ingestion bucket through the endpoint, writing
   * `predictions/` (dead-letter queue for failures). Needs a synchronous endpoint.
   * @default true, except in async mode
   */
  readonly batchInference?: boolean;
  /**
   * Run the model in your VPC (realtime and async only).
   * @default - no VPC
   */
  readonly vpc?: EndpointVpcOptions;
  /**
   * Block all network access from the model container.
   * @default false
   */
  readonly networkIsolation?: boolean;
  /**
   * What happens to the data key and the ingestion buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

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
  public readonly ingestion: IngestionBucket;
  public readonly endpoint: ModelEndpoint;
  public readonly api: InferenceApi;
  /** Alarms, unless `spec.monitoring.enabled` is false. */
  public readonly alarms?: InferenceAlarms;

  constructor(scope: Construct, id: string, props: ModelInferenceStackProps) {
    super(scope, id, props);

    const errors = new ValidationErrors('ModelInferenceStack');
    const spec = resolveModelSpec(props.spec, errors, 'spec');
    const mode = props.mode ?? 'realtime';
    const modeOk = errors.checkOneOf('mode', mode, MODES);
    if (props.instanceType !== undefined) {
      const computeClass = findComputeClassByAwsInstanceType(props.instanceType);
      if (!computeClass) {
        errors.add('instanceType', props.instanceType, `one of the compute catalog's SageMaker instance types: ${awsInstanceTypes().join(', ')}`);
      } else if (mode === 'serverless' && computeClass.kind === 'gpu') {
        errors.add('instanceType', props.instanceType, "a CPU instance type, or mode 'realtime' / 'async': serverless inference has no GPUs");
      }
    } else if (mode === 'serverless' && spec.compute.kind === 'gpu') {
      errors.add('spec.compute', props.spec.compute, "a CPU compute class, or mode 'realtime' / 'async': serverless inference has no GPUs");
    }
    const dataCapture = props.dataCapture ?? mode !== 'serverless';
    if (modeOk && mode === 'serverless') {
      errors.check(!dataCapture, 'dataCapture', dataCapture, "false in serverless mode (SageMaker captures no data for serverless endpoints); use mode 'realtime'");
    }
    errors.checkNumber('dataCaptureSamplingPercentage', props.dataCaptureSamplingPercentage, { min: 1, max: 100, integer: true });
    const batchInference = props.batchInference ?? mode !== 'async';
    if (modeOk && mode === 'async') {
      errors.check(!batchInference, 'batchInference', batchInference, "false in async mode (batch inference calls the endpoint synchronously); upload to the async input prefix instead");
    }
    errors.throwIfAny();

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.dataKey = new kms.Key(this, 'DataKey', {
      description: `Encrypts the data of model ${spec.name}: ingestion bucket, captured data, async results, API logs`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // The bucket's batch inference needs the endpoint, and the endpoint captures data to the bucket:
    // the bucket gets a stand-in that forwards to the endpoint once it exists.
    const deferredEndpoint = new DeferredEndpoint();
    this.ingestion = new IngestionBucket(this, 'Ingestion', {
      encryptionKey: this.dataKey,
      removalPolicy,
      batchInference: batchInference ? { endpoint: deferredEndpoint } : undefined,
    });

    const asyncInputPrefix = props.async?.inputPrefix ?? 'async-input/';
    this.endpoint = new ModelEndpoint(this, 'Endpoint', {
      spec: props.spec,
      instanceType: props.instanceType,
      mode,
      serverless: props.serverless,
      async: mode === 'async'
        ? {
          outputBucket: this.ingestion.bucket,
          inputPrefix: asyncInputPrefix,
          outputPrefix: props.async?.outputPrefix,
          failurePrefix: props.async?.failurePrefix,
          maxConcurrentInvocationsPerInstance: props.async?.maxConcurrentInvocationsPerInstance,
        }
        : undefined,
      encryptionKey: this.dataKey,
      autoScaling: props.autoScaling,
      dataCapture: dataCapture
        ? { bucket: this.ingestion.bucket, prefix: 'data-capture/', samplingPercentage: props.dataCaptureSamplingPercentage ?? 100 }
        : undefined,
      vpc: props.vpc,
      networkIsolation: props.networkIsolation,
    });
    deferredEndpoint.bind(this.endpoint);

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
        endpoint: this.endpoint,
        endpointMode: mode,
        api: this.api,
        emails: spec.monitoring.alarmEmails,
        latencyP99Threshold: Duration.millis(spec.monitoring.latencyP99Ms),
        errorRatePercent: spec.monitoring.errorRatePercent,
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

    Tags.of(this).add('deploy-ai-smarter:model', spec.name);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: `POST inference requests here (${this.api.authorization === 'iam' ? 'SigV4-signed' : 'x-api-key header'})` });
    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName, description: 'SageMaker endpoint name' });
    new CfnOutput(this, 'IngestionBucketName', { value: this.ingestion.bucket.bucketName, description: 'Bucket for inputs, captured data and results' });
    if (this.alarms) {
      new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Subscribe to get every alarm' });
    }
    if (this.api.apiKey) {
      new CfnOutput(this, 'ApiKeyId', { value: this.api.apiKey.keyId, description: 'Read the key with: aws apigateway get-api-key --include-value --api-key <id>' });
    }
  }
}

/**
 * Stands in for an endpoint that is created later: names resolve lazily, grants are replayed on `bind`.
 * Only what IngestionBucket's batch inference uses before the endpoint exists needs to work.
 */
class DeferredEndpoint implements IInferenceEndpoint {
  public readonly endpointName = Lazy.string({ produce: () => this.target().endpointName });
  public readonly endpointArn = Lazy.string({ produce: () => this.target().endpointArn });
  public readonly variantName = Lazy.string({ produce: () => this.target().variantName });
  private bound?: IInferenceEndpoint;
  private readonly pendingGrantees: iam.IGrantable[] = [];

  public bind(endpoint: IInferenceEndpoint): void {
    this.bound = endpoint;
    this.pendingGrantees.splice(0).forEach((grantee) => endpoint.grantInvoke(grantee));
  }

  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (this.bound) return this.bound.grantInvoke(grantee);
    this.pendingGrantees.push(grantee);
    // The real grant is added by bind(); nothing is granted by this placeholder.
    return iam.Grant.drop(grantee, 'granted when the endpoint is bound');
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.target().metric(metricName, props);
  }

  private target(): IInferenceEndpoint {
    if (!this.bound) throw new Error('DeferredEndpoint used before its endpoint was created');
    return this.bound;
  }
}
