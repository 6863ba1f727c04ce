// The bucket where model inputs land: KMS-encrypted, versioned, private, TLS-only, access-logged,
// retained on delete; or an existing bucket it wraps. Optionally, objects created under an input prefix drive
// batch inference (private/batch-inference.ts), on a new bucket and an existing one alike.
import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { createBatchInference } from './private/batch-inference';
import { BatchInferenceOptions, BatchInferenceResources, IngestionBucketProps } from './ingestion-bucket-props';
import { checkIngestionProps, planBatchInference } from './private/ingestion-checks';

export type { BatchInferenceOptions, BatchInferenceResources, IngestionBucketProps } from './ingestion-bucket-props';

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
