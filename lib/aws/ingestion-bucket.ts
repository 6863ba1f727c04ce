// The bucket where model inputs land: KMS-encrypted, versioned, private, TLS-only, access-logged,
// retained on delete; or an existing bucket it wraps. Optionally, objects created under an input prefix drive
// batch inference (private/batch-inference.ts), on a new bucket and an existing one alike.
import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { IInferenceEndpoint } from './inference-endpoint';
import { createBatchInference } from './private/batch-inference';
import { checkIngestionProps, planBatchInference } from './private/ingestion-checks';

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
   * Messages per invocation (1-10). Failed and unreadable messages are reported one by one
   * (ReportBatchItemFailures), so a bad object never makes its batch neighbours retry.
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
   * which is encrypted with the construct's `encryptionKey`.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Times a message is received before it moves to the dead-letter queue (a message the worker cannot read,
   * or whose object keeps failing for a reason that may heal, such as throttling).
   * @default 3
   */
  readonly maxReceiveCount?: number;
}

export interface IngestionBucketProps {
  /**
   * A bucket that already exists, to wrap instead of creating one (aws-cdk-lib's `Bucket.fromBucketAttributes`,
   * or a bucket created elsewhere in your app). Give it its `encryptionKey` when it uses SSE-KMS: batch inference
   * decrypts inputs and writes outputs with that key. Batch inference adds its S3 notification through
   * aws-cdk-lib's notifications custom resource, which keeps the bucket's other notifications (their prefix and
   * suffix filters must not overlap this one's, or S3 refuses the configuration). Not with the props that shape a
   * new bucket: `serverAccessLogsBucket`, `serverAccessLogsPrefix`, `accessLogsRetention`,
   * `noncurrentVersionExpiration`, `abortIncompleteUploadsAfter`, `autoDeleteObjects`.
   * @default - a new bucket: KMS-encrypted, versioned, private, TLS-only, access-logged, retained on delete
   */
  readonly existingBucket?: s3.IBucket;
  /**
   * Key that encrypts the bucket (SSE-KMS with an S3 bucket key), the batch queues and the batch function's
   * log group; with `existingBucket`, only the queues and the log group (the bucket keeps its own encryption).
   * A key created in CDK gets a key policy statement letting CloudWatch Logs use it for that one log
   * group; an imported key cannot be changed, so its owner must allow `logs.<region>.amazonaws.com` to use it
   * for that log group (condition `kms:EncryptionContext:aws:logs:arn`), or creating the log group fails.
   * @default - a new customer-managed key with yearly rotation, retained on delete (with `existingBucket`, created
   * when batch inference is set up or `encryptionKey` is first read)
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
   * What happens to the buckets and the key this construct creates when the stack deletes them (an existing
   * bucket is never touched). `DESTROY` deletes the buckets only if they are empty, unless `autoDeleteObjects` is also set.
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

/** What `addBatchInference` creates. */
export interface BatchInferenceResources {
  readonly fn: lambda.IFunction;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
}

/** The ingestion bucket of a model stack: a new secure bucket, or an existing one (`existingBucket`). */
export class IngestionBucket extends Construct {
  readonly bucket: s3.IBucket;
  /** Where the bucket's server access logs go; undefined for an existing bucket (its logging is its owner's). */
  readonly accessLogsBucket: s3.IBucket | undefined;
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
  /**
   * The construct's key: it encrypts the bucket it creates, the batch queues and the batch function's logs. For an
   * existing bucket without `encryptionKey` it is created on first use (its own, rotated, with `removalPolicy`).
   */
  get encryptionKey(): kms.IKey {
    this.key ??= new kms.Key(this, 'Key', {
      description: `Encrypts the batch queues and logs of the ingestion bucket ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: this.removalPolicy,
    });
    return this.key;
  }

  private batch?: BatchInferenceResources;
  private key?: kms.IKey;
  private readonly removalPolicy: RemovalPolicy;
  /** True when the construct wraps `existingBucket`. */
  private readonly existing: boolean;
  /** True when `encryptionKey` was given (not created here). */
  private readonly keyGiven: boolean;

  constructor(scope: Construct, id: string, props: IngestionBucketProps = {}) {
    super(scope, id);
    // JavaScript callers may pass null.
    props = props ?? {};
    const errors = new ValidationErrors('IngestionBucket');
    const batchPlan = checkIngestionProps(errors, props);
    errors.throwIfAny();

    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.key = props.encryptionKey;
    this.keyGiven = props.encryptionKey !== undefined;
    this.existing = props.existingBucket !== undefined;
    if (props.existingBucket) {
      this.bucket = props.existingBucket;
      this.accessLogsBucket = undefined;
    } else {
      const created = this.createBucket(props);
      this.bucket = created.bucket;
      this.accessLogsBucket = created.accessLogsBucket;
    }

    if (props.batchInference && batchPlan) {
      this.batch = this.setUpBatchInference(props.batchInference, batchPlan);
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
    const plan = planBatchInference(errors, options ?? {});
    errors.throwIfAny();
    this.batch = this.setUpBatchInference(options, plan);
    return this.batch;
  }

  private setUpBatchInference(options: BatchInferenceOptions, plan: ReturnType<typeof planBatchInference>): BatchInferenceResources {
    return createBatchInference(this, {
      bucket: this.bucket,
      // A new bucket is encrypted with the construct's key; an existing one with its own key, if any.
      objectKey: this.existing ? this.bucket.encryptionKey : this.encryptionKey,
      queueKey: this.encryptionKey,
      // A key this construct creates next to an existing bucket cannot be a dependency of that bucket.
      keyMayNameBucket: this.existing && !this.keyGiven,
    }, options, plan);
  }

  private createBucket(props: IngestionBucketProps): { bucket: s3.Bucket; accessLogsBucket: s3.IBucket } {
    // Log delivery through a bucket policy (not the legacy LogDeliveryWrite ACL, which conflicts with
    // BucketOwnerEnforced); set on this subtree so the behaviour does not depend on the app's cdk.json.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const removalPolicy = this.removalPolicy;
    const secureBucketProps = {
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects ?? false,
    };

    const accessLogsBucket = props.serverAccessLogsBucket ?? new s3.Bucket(this, 'AccessLogs', {
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

    const bucket = new s3.Bucket(this, 'Bucket', {
      ...secureBucketProps,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      // Bucket keys cut KMS requests (and their cost) by up to 99% for SSE-KMS objects.
      bucketKeyEnabled: true,
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsPrefix ?? `ingestion/${Names.uniqueResourceName(this, { maxLength: 60 }).toLowerCase()}/`,
      lifecycleRules: [{
        id: 'ExpireNoncurrentVersionsAndAbortUploads',
        noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(90),
        abortIncompleteMultipartUploadAfter: props.abortIncompleteUploadsAfter ?? Duration.days(7),
        // Delete markers left alone once every version under them has expired.
        expiredObjectDeleteMarker: true,
      }],
    });
    return { bucket, accessLogsBucket };
  }
}
