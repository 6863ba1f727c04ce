// Batch inference on a bucket: S3 object-created events -> SQS queue (KMS, TLS-only, dead-letter queue) -> the
// pre-bundled worker (lib/runtime/batch-inference) -> predictions and error reports under their prefixes.
// Works on a bucket the construct created and on an existing (imported) one. Not exported from the package.
import { Annotations, Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IDependable } from 'constructs';
import type { BatchInferenceOptions, BatchInferenceResources } from '../ingestion-bucket-props';
import { createBundledFunction } from './bundled-function';
import { BatchInferencePlan } from './ingestion-checks';
import { acknowledgeWildcardArns } from './nag-findings';

/** Where batch inference runs and which keys it uses. */
export interface BatchInferenceTarget {
  readonly bucket: s3.IBucket;
  /** Key of the bucket's objects: inputs are decrypted and outputs written with it. None: the bucket's default encryption. */
  readonly objectKey?: kms.IKey;
  /** Key of the queues and the function's log group. */
  readonly queueKey: kms.IKey;
  /**
   * True when `queueKey` does not encrypt the bucket, so its policy may name the bucket (aws:SourceArn) without a
   * key <-> bucket dependency cycle.
   */
  readonly keyMayNameBucket: boolean;
}

/** Creates the queues, the notification, the worker and its least-privilege grants in `scope`. */
export function createBatchInference(
  scope: Construct, target: BatchInferenceTarget, batch: BatchInferenceOptions, plan: BatchInferencePlan,
): BatchInferenceResources {
  const { bucket, objectKey, queueKey } = target;
  const { prefixes } = plan;
  const deadLetterQueue = new sqs.Queue(scope, 'BatchDeadLetterQueue', {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: queueKey,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const queue = new sqs.Queue(scope, 'BatchQueue', {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: queueKey,
    enforceSSL: true,
    // Lambda's guidance for SQS sources: at least six times the function timeout, so retries of a
    // throttled or slow batch do not hand the same message to a second invocation.
    visibilityTimeout: plan.visibilityTimeout,
    // Messages the worker cannot read or process come back (batch item failures) until they land here.
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: batch.maxReceiveCount ?? 3 },
  });

  // On an imported bucket aws-cdk-lib's notifications resource merges this configuration with the bucket's others.
  bucket.addEventNotification(
    s3.EventType.OBJECT_CREATED,
    new EncryptedQueueDestination(queue, queueKey, target.keyMayNameBucket),
    { prefix: prefixes.input, ...(batch.inputSuffix ? { suffix: batch.inputSuffix } : {}) },
  );

  const { fn, role } = createBundledFunction(scope, 'BatchFunction', {
    entry: 'batch-inference',
    description: 'Runs each object created under the input prefix through the SageMaker endpoint',
    roleDescription: 'Batch inference worker: reads inputs, writes predictions, invokes one endpoint',
    timeout: plan.timeout,
    memorySize: batch.memorySize ?? 512,
    reservedConcurrentExecutions: batch.reservedConcurrentExecutions,
    logRetention: batch.logRetention ?? logs.RetentionDays.ONE_YEAR,
    logKey: queueKey,
    environment: {
      ENDPOINT_NAME: batch.endpoint.endpointName,
      INPUT_PREFIX: prefixes.input,
      OUTPUT_PREFIX: prefixes.output,
      ERROR_PREFIX: prefixes.error,
      ...(objectKey ? { KMS_KEY_ID: objectKey.keyArn } : {}),
      // Lets the worker ignore events from any other bucket.
      BUCKET_NAME: bucket.bucketName,
    },
  });
  fn.addEventSource(new lambdaEventSources.SqsEventSource(queue, {
    batchSize: batch.batchSize ?? 4,
    // Unreadable and failed messages are returned one by one, so they alone are retried and dead-lettered.
    reportBatchItemFailures: true,
  }));

  // Least privilege: read only the input prefix, write only the output and error prefixes.
  const inputObjects = [bucket.arnForObjects(`${prefixes.input}*`)];
  const outputObjects = [bucket.arnForObjects(`${prefixes.output}*`), bucket.arnForObjects(`${prefixes.error}*`)];
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: inputObjects }));
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: outputObjects }));
  // Decrypt to read inputs, GenerateDataKey to write SSE-KMS outputs: explicit actions rather than
  // grantEncryptDecrypt's GenerateDataKey*/ReEncrypt* wildcards. (Decrypt on the queue key comes with the event source.)
  objectKey?.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
  batch.endpoint.grantInvoke(fn);

  acknowledgeWildcardArns(role, inputObjects,
    'Batch inputs are new objects under the input prefix with keys chosen by uploaders; read access is limited to that prefix');
  acknowledgeWildcardArns(role, outputObjects,
    'Predictions and error reports are new objects named after each input; write access is limited to the output and error prefixes');
  acknowledgeNotificationsHandler(scope);

  return { fn, queue, deadLetterQueue };
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

/**
 * S3 -> SQS notification for a KMS-encrypted queue. s3n.SqsDestination grants S3 on the key with an
 * `aws:SourceArn` = bucket ARN condition, which makes a key that encrypts the bucket depend on the bucket that
 * depends on the key (a cycle). Here the queue policy always carries the bucket-ARN condition (S3 may send only
 * for this bucket); the key policy does too when the key does not encrypt the bucket, else it is scoped to this
 * account.
 */
class EncryptedQueueDestination implements s3.IBucketNotificationDestination {
  constructor(private readonly queue: sqs.IQueue, private readonly key: kms.IKey, private readonly keyMayNameBucket: boolean) {}

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
      conditions: this.keyMayNameBucket
        ? { ArnLike: { 'aws:SourceArn': bucket.bucketRef.bucketArn } }
        : { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
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
