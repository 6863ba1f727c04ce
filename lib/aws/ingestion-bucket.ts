// The bucket where model inputs land: KMS-encrypted, versioned, private, TLS-only, access-logged,
// retained on delete. Optionally, objects created under an input prefix drive batch inference.
import * as path from 'node:path';
import { Annotations, Aws, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IDependable } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { IInferenceEndpoint } from './inference-endpoint';
import { allowLogsToEncrypt } from './private/log-encryption';
import { acknowledgeWildcardArns } from './private/nag-findings';
import { latestNodeRuntime } from './private/lambda-runtime';

/** Batch inference driven by objects created in the ingestion bucket. */
export interface BatchInferenceOptions {
  /** The endpoint each input object is sent to. */
  readonly endpoint: IInferenceEndpoint;
  /**
   * Key prefix whose object-created events start an inference. Must not overlap the output or error prefix
   * (the function would trigger itself).
   * @default 'incoming/'
   */
  readonly inputPrefix?: string;
  /**
   * Only keys ending with this suffix trigger (e.g. `.json`).
   * @default - every object under the input prefix
   */
  readonly inputSuffix?: string;
  /**
   * Key prefix predictions are written under.
   * @default 'predictions/'
   */
  readonly outputPrefix?: string;
  /**
   * Key prefix error reports are written under (inputs the model rejected).
   * @default 'errors/'
   */
  readonly errorPrefix?: string;
  /**
   * Function timeout (1 second to 15 minutes). The queue's visibility timeout is six times this,
   * as Lambda recommends for SQS event sources.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Function memory in MB (128-10240).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Messages per invocation (1-10). Failed messages are reported one by one (ReportBatchItemFailures),
   * so a bad object never makes its batch neighbours retry.
   * @default 4 (four endpoint calls of up to 60 s each fit in the default 5-minute timeout)
   */
  readonly batchSize?: number;
  /**
   * Reserved concurrency, to cap the load batch jobs put on the endpoint.
   * @default - no reservation; the account's unreserved concurrency applies
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Retention of the function's log group `/aws/lambda/<unique name of the IngestionBucket>-BatchFunction`,
   * which is encrypted with the bucket's key.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Times a message is received before it moves to the dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
}

export interface IngestionBucketProps {
  /**
   * Key that encrypts the bucket (SSE-KMS with an S3 bucket key), the batch queues and the batch function's
   * log group. A key created in CDK gets a key policy statement letting CloudWatch Logs use it for that one log
   * group; an imported key cannot be changed, so its owner must allow `logs.<region>.amazonaws.com` to use it
   * for that log group (condition `kms:EncryptionContext:aws:logs:arn`), or creating the log group fails.
   * @default - a new customer-managed key with yearly rotation, retained on delete
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Bucket that receives the S3 server access logs. It must use SSE-S3: S3 server access logging
   * cannot deliver to a bucket whose default encryption is SSE-KMS.
   * @default - a new log bucket (SSE-S3, versioned, private, TLS-only, retained, logs expire after `accessLogsRetention`)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /**
   * Key prefix of this bucket's access logs in the log bucket.
   * @default - `ingestion/<unique id of this construct>/`
   */
  readonly serverAccessLogsPrefix?: string;
  /**
   * How long access logs are kept in the log bucket this construct creates (ignored with `serverAccessLogsBucket`).
   * @default Duration.days(365)
   */
  readonly accessLogsRetention?: Duration;
  /**
   * When overwritten or deleted object versions expire.
   * @default Duration.days(90)
   */
  readonly noncurrentVersionExpiration?: Duration;
  /**
   * When incomplete multipart uploads are aborted (their parts are billed until then).
   * @default Duration.days(7)
   */
  readonly abortIncompleteUploadsAfter?: Duration;
  /**
   * What happens to the buckets and the key this construct creates when the stack deletes them.
   * `DESTROY` deletes the buckets only if they are empty, unless `autoDeleteObjects` is also set.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Empty the buckets before deleting them (adds a custom-resource Lambda). Only with `RemovalPolicy.DESTROY`.
   * @default false
   */
  readonly autoDeleteObjects?: boolean;
  /**
   * Run every object created under an input prefix through an endpoint:
   * S3 event -> SQS queue (KMS, TLS-only, dead-letter queue) -> Lambda -> predictions under an output prefix.
   * @default - no batch inference
   */
  readonly batchInference?: BatchInferenceOptions;
}

const PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;
const PREFIX_EXPECTED = "a key prefix ending in '/' without a leading '/', e.g. 'incoming/'";

/** The ingestion bucket of a model stack. */
export class IngestionBucket extends Construct {
  readonly bucket: s3.IBucket;
  readonly encryptionKey: kms.IKey;
  /** Where the bucket's server access logs go. */
  readonly accessLogsBucket: s3.IBucket;
  /** The batch-inference function, once batch inference is set up (`batchInference` or `addBatchInference`). */
  get batchFunction(): lambda.IFunction | undefined {
    return this.batch?.fn;
  }
  /** The queue of object-created events, once batch inference is set up. */
  get batchQueue(): sqs.IQueue | undefined {
    return this.batch?.queue;
  }
  /** Events that failed `maxReceiveCount` times, kept 14 days, once batch inference is set up. */
  get batchDeadLetterQueue(): sqs.IQueue | undefined {
    return this.batch?.deadLetterQueue;
  }

  private batch?: BatchInferenceResources;

  constructor(scope: Construct, id: string, props: IngestionBucketProps = {}) {
    super(scope, id);
    // Log delivery through a bucket policy (not the legacy LogDeliveryWrite ACL, which conflicts with
    // BucketOwnerEnforced); set on this subtree so the behaviour does not depend on the app's cdk.json.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const autoDeleteObjects = props.autoDeleteObjects ?? false;
    const errors = new ValidationErrors('IngestionBucket');
    errors.check(!autoDeleteObjects || removalPolicy === RemovalPolicy.DESTROY, 'autoDeleteObjects', autoDeleteObjects, 'false unless removalPolicy is RemovalPolicy.DESTROY');
    checkDays(errors, 'noncurrentVersionExpiration', props.noncurrentVersionExpiration);
    checkDays(errors, 'abortIncompleteUploadsAfter', props.abortIncompleteUploadsAfter);
    checkDays(errors, 'accessLogsRetention', props.accessLogsRetention);
    errors.checkPattern('serverAccessLogsPrefix', props.serverAccessLogsPrefix, PREFIX_PATTERN, PREFIX_EXPECTED);
    const batchPlan = props.batchInference ? planBatchInference(errors, props.batchInference) : undefined;
    errors.throwIfAny();

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the ingestion bucket ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy,
    });

    const secureBucketProps = {
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects,
    };

    this.accessLogsBucket = props.serverAccessLogsBucket ?? new s3.Bucket(this, 'AccessLogs', {
      ...secureBucketProps,
      // SSE-S3, not KMS: S3 server access logging cannot deliver to SSE-KMS-encrypted buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [{
        id: 'ExpireAccessLogs',
        expiration: props.accessLogsRetention ?? Duration.days(365),
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secureBucketProps,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      // Bucket keys cut KMS requests (and their cost) by up to 99% for SSE-KMS objects.
      bucketKeyEnabled: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsPrefix ?? `ingestion/${Names.uniqueResourceName(this, { maxLength: 60 }).toLowerCase()}/`,
      lifecycleRules: [{
        id: 'ExpireNoncurrentVersionsAndAbortUploads',
        noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(90),
        abortIncompleteMultipartUploadAfter: props.abortIncompleteUploadsAfter ?? Duration.days(7),
        // Delete markers left alone once every version under them has expired.
        expiredObjectDeleteMarker: true,
      }],
    });

    if (props.batchInference && batchPlan) {
      this.batch = this.createBatchInference(props.batchInference, batchPlan);
    }
  }

  /** Read access to objects matching `objectsKeyPattern` (and decrypt on the key). */
  grantRead(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return this.bucket.grantRead(grantee, objectsKeyPattern);
  }

  /** Write access to objects matching `objectsKeyPattern` (and encrypt on the key). */
  grantWrite(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return this.bucket.grantWrite(grantee, objectsKeyPattern);
  }

  /**
   * Runs every object created under the input prefix through `options.endpoint` (S3 event -> encrypted SQS
   * queue with a dead-letter queue -> Lambda -> predictions). Use it instead of the `batchInference` prop when
   * the endpoint is created after the bucket (e.g. because it captures data to this bucket). Once per bucket.
   */
  addBatchInference(options: BatchInferenceOptions): BatchInferenceResources {
    const errors = new ValidationErrors('IngestionBucket');
    errors.check(this.batch === undefined, 'addBatchInference', 'a second call', 'batch inference set up once per bucket (prop batchInference or one addBatchInference call)');
    const plan = planBatchInference(errors, options);
    errors.throwIfAny();
    this.batch = this.createBatchInference(options, plan);
    return this.batch;
  }

  private createBatchInference(batch: BatchInferenceOptions, plan: BatchInferencePlan): BatchInferenceResources {
    const { prefixes, timeout } = plan;
    const deadLetterQueue = new sqs.Queue(this, 'BatchDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const queue = new sqs.Queue(this, 'BatchQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      // Lambda's guidance for SQS sources: at least six times the function timeout, so retries of a
      // throttled or slow batch do not hand the same message to a second invocation.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: batch.maxReceiveCount ?? 3 },
    });

    this.bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new EncryptedQueueDestination(queue, this.encryptionKey),
      { prefix: prefixes.input, ...(batch.inputSuffix ? { suffix: batch.inputSuffix } : {}) },
    );

    // Named at synth time so the key policy can name it: the log group depends on the key (KmsKeyId), so the
    // policy cannot reference its generated name without a dependency cycle.
    const logGroupName = `/aws/lambda/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}-BatchFunction`;
    allowLogsToEncrypt(this, this.encryptionKey, [logGroupName]);
    const logGroup = new logs.LogGroup(this, 'BatchFunctionLogs', {
      logGroupName,
      retention: batch.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
    });
    // Own role instead of the default AWSLambdaBasicExecutionRole (which may write to any log group).
    const role = new iam.Role(this, 'BatchFunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Batch inference worker: reads inputs, writes predictions, invokes one endpoint',
    });
    logGroup.grantWrite(role);
    const fn = new lambda.Function(this, 'BatchFunction', {
      role,
      description: 'Runs each object created under the input prefix through the SageMaker endpoint',
      // The bundle targets node22 (scripts/bundle.mjs), which runs unchanged on the newer runtime.
      runtime: latestNodeRuntime(),
      architecture: lambda.Architecture.ARM_64,
      // Pre-bundled by `npm run bundle`; the same relative path works from lib/aws and from dist/aws.
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'batch-inference')),
      handler: 'index.handler',
      timeout,
      memorySize: batch.memorySize ?? 512,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      reservedConcurrentExecutions: batch.reservedConcurrentExecutions,
      environment: {
        ENDPOINT_NAME: batch.endpoint.endpointName,
        INPUT_PREFIX: prefixes.input,
        OUTPUT_PREFIX: prefixes.output,
        ERROR_PREFIX: prefixes.error,
        KMS_KEY_ID: this.encryptionKey.keyArn,
        // Lets the worker ignore events from any other bucket.
        BUCKET_NAME: this.bucket.bucketName,
      },
    });
    fn.addEventSource(new lambdaEventSources.SqsEventSource(queue, {
      batchSize: batch.batchSize ?? 4,
      reportBatchItemFailures: true,
    }));

    // Least privilege: read only the input prefix, write only the output and error prefixes.
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [this.bucket.arnForObjects(`${prefixes.input}*`)],
    }));
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects(`${prefixes.output}*`), this.bucket.arnForObjects(`${prefixes.error}*`)],
    }));
    // Decrypt to read inputs (and queue messages), GenerateDataKey to write SSE-KMS outputs: explicit actions
    // rather than grantEncryptDecrypt's GenerateDataKey*/ReEncrypt* wildcards.
    this.encryptionKey.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
    batch.endpoint.grantInvoke(fn);

    acknowledgeWildcardArns(role, [this.bucket.arnForObjects(`${prefixes.input}*`)],
      'Batch inputs are new objects under the input prefix with keys chosen by uploaders; read access is limited to that prefix');
    acknowledgeWildcardArns(role, [this.bucket.arnForObjects(`${prefixes.output}*`), this.bucket.arnForObjects(`${prefixes.error}*`)],
      'Predictions and error reports are new objects named after each input; write access is limited to the output and error prefixes');
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
    });
    acknowledgeNotificationsHandler(this);

    return { fn, queue, deadLetterQueue };
  }
}

/** What `addBatchInference` creates. */
export interface BatchInferenceResources {
  readonly fn: lambda.IFunction;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
}

interface BatchInferencePlan {
  readonly prefixes: { readonly input: string; readonly output: string; readonly error: string };
  readonly timeout: Duration;
}

/** Validates batch options into `errors` (under `batchInference.*`) and fills in defaults. */
function planBatchInference(errors: ValidationErrors, batch: BatchInferenceOptions): BatchInferencePlan {
  const prefixes = {
    input: batch.inputPrefix ?? 'incoming/',
    output: batch.outputPrefix ?? 'predictions/',
    error: batch.errorPrefix ?? 'errors/',
  };
  const timeout = batch.timeout ?? Duration.minutes(5);
  const ok = [
    errors.checkPattern('batchInference.inputPrefix', prefixes.input, PREFIX_PATTERN, PREFIX_EXPECTED),
    errors.checkPattern('batchInference.outputPrefix', prefixes.output, PREFIX_PATTERN, PREFIX_EXPECTED),
    errors.checkPattern('batchInference.errorPrefix', prefixes.error, PREFIX_PATTERN, PREFIX_EXPECTED),
  ].every(Boolean);
  if (ok) {
    const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
    errors.check(!overlaps(prefixes.output, prefixes.input), 'batchInference.outputPrefix', prefixes.output, `a prefix that does not overlap inputPrefix ${JSON.stringify(prefixes.input)} (outputs would trigger new inferences)`);
    errors.check(!overlaps(prefixes.error, prefixes.input), 'batchInference.errorPrefix', prefixes.error, `a prefix that does not overlap inputPrefix ${JSON.stringify(prefixes.input)} (error reports would trigger new inferences)`);
  }
  if (!timeout.isUnresolved()) {
    errors.check(timeout.toSeconds() >= 1 && timeout.toSeconds() <= 900, 'batchInference.timeout', `${timeout.toSeconds()} s`, 'from 1 second to 15 minutes');
  }
  errors.checkNumber('batchInference.memorySize', batch.memorySize, { min: 128, max: 10240, integer: true });
  errors.checkNumber('batchInference.batchSize', batch.batchSize, { min: 1, max: 10, integer: true });
  errors.checkNumber('batchInference.reservedConcurrentExecutions', batch.reservedConcurrentExecutions, { min: 1, integer: true });
  errors.checkNumber('batchInference.maxReceiveCount', batch.maxReceiveCount, { min: 1, max: 1000, integer: true });
  return { prefixes, timeout };
}

/** Construct id of aws-cdk-lib's stack-wide S3 notifications custom resource (`BucketNotificationsHandler`). */
const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/**
 * aws-cdk-lib puts one BucketNotificationsHandler per stack (a singleton we cannot configure) whose role uses
 * AWSLambdaBasicExecutionRole; acknowledged on that role only, so any other managed policy still shows up.
 */
function acknowledgeNotificationsHandler(scope: Construct): void {
  const handler = Stack.of(scope).node.tryFindChild(NOTIFICATIONS_HANDLER_ID);
  const role = handler?.node.tryFindChild('Role');
  if (!role) return;
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: "aws-cdk-lib's stack-wide BucketNotificationsHandler (it configures S3 event notifications at deploy time) is a singleton whose role cannot be customised; the managed policy only allows it to write its own logs",
  });
}

function checkDays(errors: ValidationErrors, prop: string, value: Duration | undefined): void {
  if (value === undefined || value.isUnresolved()) return;
  const days = value.toMilliseconds() / 86_400_000;
  errors.check(Number.isInteger(days) && days >= 1, prop, `${value.toHumanString()}`, 'a whole number of days, at least 1 (S3 lifecycle rules count in days)');
}

/**
 * S3 -> SQS notification for a queue encrypted with the bucket's own key. s3n.SqsDestination grants S3
 * on the key with an `aws:SourceArn` = bucket ARN condition, which makes the key depend on the bucket that
 * depends on the key (a cycle). Here the queue policy carries the bucket-ARN condition (S3 may send only
 * for this bucket) and the key policy is scoped to this account instead.
 */
class EncryptedQueueDestination implements s3.IBucketNotificationDestination {
  constructor(private readonly queue: sqs.IQueue, private readonly key: kms.IKey) {}

  bind(_scope: Construct, bucket: s3.IBucketRef): s3.BucketNotificationDestinationConfig {
    const s3Principal = new iam.ServicePrincipal('s3.amazonaws.com');
    const queuePolicy = this.queue.addToResourcePolicy(new iam.PolicyStatement({
      principals: [s3Principal],
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resources: [this.queue.queueArn],
      conditions: { ArnLike: { 'aws:SourceArn': bucket.bucketRef.bucketArn } },
    }));
    const keyPolicy = this.key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [s3Principal],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }), true);
    if (!keyPolicy.statementAdded) {
      Annotations.of(this.key).addWarningV2('deploy-ai-smarter:batchQueueKeyPolicy',
        'The key of an IngestionBucket with batch inference is imported: its key policy must let s3.amazonaws.com call kms:GenerateDataKey* and kms:Decrypt, or S3 cannot send events to the encrypted queue');
    }
    // The key policy lives on the key resource itself, which the queue (and so the notification) already depends on.
    const dependencies: IDependable[] = queuePolicy.policyDependable ? [queuePolicy.policyDependable] : [];
    return { type: s3.BucketNotificationDestinationType.QUEUE, arn: this.queue.queueArn, dependencies };
  }
}
