// The props of IngestionBucket and of its batch inference, apart from the construct so the private helpers
// that check and build them can import the types without importing the construct.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IInferenceEndpoint } from './inference-endpoint';

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

