// Ingestion-driven batch inference on GCP: each object finalized under the input prefix of the ingestion
// bucket is sent to a Cloud Functions gen2 function that calls the model; failures retry, then dead-letter.
// The function's code (lib/runtime/gcp-batch-inference) ships with the package and is uploaded by Terraform.
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { PubsubSubscription } from '@cdktf/provider-google/lib/pubsub-subscription';
import { PubsubSubscriptionIamMember } from '@cdktf/provider-google/lib/pubsub-subscription-iam-member';
import { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic';
import { PubsubTopicIamMember } from '@cdktf/provider-google/lib/pubsub-topic-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { StorageBucketObject } from '@cdktf/provider-google/lib/storage-bucket-object';
import { StorageNotification } from '@cdktf/provider-google/lib/storage-notification';
import { DEFAULT_SERVING, ValidationErrors } from '../core';
import { IEncryptionKey } from './encryption-key';
import { IGcsBucket } from './ingestion-bucket';
import { IModelService } from './model-service';
import { bundledAssetDir, FunctionSourceArchive, isBundled, uploadBundledSource } from './private/function-source';
import { boundedName, checkBucketName } from './private/gcp-names';
import { serviceIdentityOf } from './private/identities';
import { checkConnectorId } from './private/network-checks';
import { IServiceIdentity } from './service-identity';
import { objectPrefixCondition } from './private/gcs-prefix';

/**
 * How finalize events reach the function.
 * - `pubsub-dead-letter`: a GCS notification (input prefix only) publishes to a topic; a push subscription with
 *   an OIDC token delivers to the function, retries with backoff and after `maxDeliveryAttempts` moves the
 *   message to a dead-letter topic whose subscription keeps it for 7 days. Nothing is dropped silently.
 * - `eventarc`: the function's own Eventarc trigger (`google.cloud.storage.object.v1.finalized`, filtered on the
 *   bucket) with RETRY_POLICY_RETRY. Eventarc owns that subscription, so no dead-letter topic can be set:
 *   an event that still fails after Eventarc's 24 h of retries is dropped. The function also sees its own
 *   outputs and must skip objects outside the input prefix.
 */
export type BatchDelivery = 'pubsub-dead-letter' | 'eventarc';

export type { FunctionSourceArchive } from './private/function-source';

/**
 * The bundled function (`npm run bundle`: assets/gcp-batch-inference/{index.js,package.json}), shipped in the
 * package; resolves the same from lib/gcp (ts-node, tsx, jest) and dist/gcp (the published build).
 */
export const BATCH_FUNCTION_ASSET_DIR = bundledAssetDir('gcp-batch-inference');

/** Cloud Run refuses HTTP/1 requests over 32 MiB: no larger input can reach the model. */
export const MAX_BATCH_OBJECT_BYTES = 32 * 1024 * 1024;

export interface BatchInferenceProps {
  readonly projectId: string;
  readonly region: string;
  /** The bucket whose uploads are scored; the function reads it and writes results under `outputPrefix`. */
  readonly bucket: IGcsBucket;
  /** The model service the function calls (it gets `run.invoker` on it). */
  readonly service: IModelService;
  /**
   * Your own build of the function (a zip already in GCS). Nothing is uploaded then.
   * @default - the function bundled with this package, zipped at synth time and uploaded by Terraform
   */
  readonly sourceArchive?: FunctionSourceArchive;
  /**
   * Existing bucket to upload the bundled function's zip to (the function's build reads it from there).
   * @default - a new private bucket `<projectId>-<model>-fn-src` (uniform access, public access prevented)
   */
  readonly sourceBucketName?: string;
  /** @default 'batchInference' (the export of the bundled function) */
  readonly entryPoint?: string;
  /** @default 'nodejs22' */
  readonly runtime?: string;
  /** @default 'pubsub-dead-letter' */
  readonly delivery?: BatchDelivery;
  /**
   * Customer-managed key for the notification and dead-letter topics (`pubsub-dead-letter` delivery). The
   * project's Pub/Sub service agent (`service-<project number>@gcp-sa-pubsub.iam.gserviceaccount.com`) is granted
   * `roles/cloudkms.cryptoKeyEncrypterDecrypter` on this key, before the topics are created. GcpModelStack passes
   * its data-plane key. Unused with `eventarc` delivery: Eventarc creates and owns its topic.
   * @default - Google-managed encryption of the topics (their messages carry GCS notification metadata, such as
   *   object names and sizes, never the objects' content); pass a key where policy requires CMEK on all data
   */
  readonly encryptionKey?: IEncryptionKey;
  /** Only objects under this prefix are scored. @default 'incoming/' */
  readonly inputPrefix?: string;
  /** Results are written under this prefix, as `<outputPrefix><path below inputPrefix>.out`. @default 'predictions/' */
  readonly outputPrefix?: string;
  /** Inputs the model rejects (4xx) or that are too large get a JSON report `<errorPrefix><object name>.json`. @default 'errors/' */
  readonly errorPrefix?: string;
  /**
   * Each scored object is also written in SageMaker data-capture format under
   * `<capturePrefix>YYYY/MM/DD/HH/`, so the drift job (`captureUri: batch.captureUri`) sees batch traffic.
   * `false` turns capture off.
   * @default - `capture/<model name>/`
   */
  readonly capturePrefix?: string | false;
  /** Larger inputs are refused with an error report (at most 32 MiB, Cloud Run's request limit). @default 10485760 (10 MiB) */
  readonly maxObjectBytes?: number;
  /** Deliveries before a message is dead-lettered (Pub/Sub allows 5-100). @default 10 */
  readonly maxDeliveryAttempts?: number;
  /** @default 10 */
  readonly maxInstances?: number;
  /** Function timeout in seconds (event-driven gen2 functions allow up to 540). @default 540 */
  readonly timeoutSeconds?: number;
  /** @default '1Gi' */
  readonly memory?: string;
  /**
   * The identity the function runs as and receives events with (an existing account of yours); it gets the same
   * resource-level grants a created one would.
   * @default - a new service account `<model>-batch` with no project roles
   */
  readonly serviceAccount?: IServiceIdentity;
  /**
   * Serverless VPC Access connector (`projects/<p>/locations/<r>/connectors/<c>`) the function sends all
   * egress through. Required when the service's ingress is restricted (behind the load balancer): calls from
   * Cloud Functions only count as internal when they come through a VPC.
   * @default - none
   */
  readonly vpcConnector?: string;
}

/** Scores every uploaded object with the model. */
export class BatchInference extends Construct {
  readonly function: Cloudfunctions2Function;
  /** The account created for the function, unless `serviceAccount` was given. */
  readonly serviceAccount?: ServiceAccount;
  /** The identity the function runs (and receives events) as. */
  readonly identity: IServiceIdentity;
  readonly delivery: BatchDelivery;
  /** Topic GCS publishes finalize notifications to (`pubsub-dead-letter` delivery). */
  readonly notificationTopic?: PubsubTopic;
  readonly deadLetterTopic?: PubsubTopic;
  /** The key the topics are encrypted with, when one was given. */
  readonly encryptionKey?: IEncryptionKey;
  /** Pull subscription that keeps dead letters; alert on its backlog. */
  readonly deadLetterSubscriptionName?: string;
  /** Where the function's code is read from at build time. */
  readonly sourceArchive: FunctionSourceArchive;
  /** The bucket created for the function's code (unless `sourceArchive` or `sourceBucketName` was given). */
  readonly sourceBucket?: StorageBucket;
  /** The uploaded zip of the bundled function; its name carries the content hash, so code changes redeploy. */
  readonly sourceObject?: StorageBucketObject;
  /** Prefix of the capture files in the bucket, when capture is on. */
  readonly capturePrefix?: string;
  /** `gs://<bucket>/<capturePrefix>`, the `captureUri` to give the drift job; undefined when capture is off. */
  readonly captureUri?: string;

  constructor(scope: Construct, id: string, props: BatchInferenceProps) {
    super(scope, id);
    const delivery = props.delivery ?? 'pubsub-dead-letter';
    const inputPrefix = props.inputPrefix ?? 'incoming/';
    const outputPrefix = props.outputPrefix ?? 'predictions/';
    const errorPrefix = props.errorPrefix ?? 'errors/';
    const name = props.service.serviceName;
    const capturePrefix = props.capturePrefix === false ? undefined : props.capturePrefix ?? `capture/${name}/`;
    const maxDeliveryAttempts = props.maxDeliveryAttempts ?? 10;
    const timeoutSeconds = props.timeoutSeconds ?? 540;
    const maxInstances = props.maxInstances ?? 10;
    const maxObjectBytes = props.maxObjectBytes ?? 10 * 1024 * 1024;

    const errors = new ValidationErrors('BatchInference');
    errors.checkOneOf('delivery', delivery, ['pubsub-dead-letter', 'eventarc']);
    // Prefixes end up inside IAM condition strings: no quotes or backslashes.
    const prefixPattern = /^[^\s*?[\]"\\]+\/$/;
    errors.checkPattern('inputPrefix', inputPrefix, prefixPattern, 'a non-empty path ending in "/" without spaces, wildcards, quotes or backslashes');
    const resultPrefixes: [string, string | undefined][] = [['outputPrefix', outputPrefix], ['errorPrefix', errorPrefix], ['capturePrefix', capturePrefix]];
    for (const [prop, prefix] of resultPrefixes) {
      if (prefix === undefined) continue;
      errors.check(prefix !== inputPrefix && !prefix.startsWith(inputPrefix) && !inputPrefix.startsWith(prefix),
        prop, prefix, `a prefix that neither contains nor is inside inputPrefix "${inputPrefix}" (results would trigger new runs)`);
      errors.checkPattern(prop, prefix, prefixPattern, 'a non-empty path ending in "/" without spaces, wildcards, quotes or backslashes');
    }
    errors.checkNumber('maxDeliveryAttempts', maxDeliveryAttempts, { min: 5, max: 100, integer: true });
    errors.checkNumber('timeoutSeconds', timeoutSeconds, { min: 1, max: 540, integer: true });
    errors.checkNumber('maxInstances', maxInstances, { min: 1, max: 1000, integer: true });
    errors.checkNumber('maxObjectBytes', maxObjectBytes, { min: 1, max: MAX_BATCH_OBJECT_BYTES, integer: true });
    if (props.sourceArchive) {
      checkBucketName(errors, 'sourceArchive.bucket', props.sourceArchive.bucket);
      errors.check(props.sourceArchive.object.endsWith('.zip'), 'sourceArchive.object', props.sourceArchive.object, 'a .zip object path');
      errors.check(props.sourceBucketName === undefined, 'sourceBucketName', props.sourceBucketName, 'nothing when sourceArchive is given (nothing is uploaded then)');
    } else {
      checkBucketName(errors, 'sourceBucketName', props.sourceBucketName);
      errors.check(isBundled(BATCH_FUNCTION_ASSET_DIR), 'sourceArchive', undefined, `a zip of your own, or the bundled function in ${BATCH_FUNCTION_ASSET_DIR} (index.js and package.json; run "npm run bundle")`);
    }
    checkConnectorId(errors, 'vpcConnector', props.vpcConnector);
    errors.check(props.service.ingress === 'all' || props.vpcConnector !== undefined, 'vpcConnector', props.vpcConnector,
      `a Serverless VPC Access connector when the service ingress is "${props.service.ingress}" (the function could not reach it otherwise)`);
    errors.throwIfAny();

    this.delivery = delivery;
    this.encryptionKey = props.encryptionKey;
    this.capturePrefix = capturePrefix;
    this.captureUri = capturePrefix === undefined ? undefined : `gs://${props.bucket.bucketName}/${capturePrefix}`;
    if (props.sourceArchive) {
      this.sourceArchive = props.sourceArchive;
    } else {
      const source = uploadBundledSource(this, {
        projectId: props.projectId,
        region: props.region,
        assetDir: BATCH_FUNCTION_ASSET_DIR,
        objectPrefix: `deploy-ai-smarter/${name}-batch-inference`,
        bucketName: props.sourceBucketName,
        defaultBucketName: boundedName([props.projectId, name, 'fn-src'], 63),
      });
      this.sourceBucket = source.bucket;
      this.sourceObject = source.object;
      this.sourceArchive = source.archive;
    }
    const project = new DataGoogleProject(this, 'Project', { projectId: props.projectId });
    const storageAgent = new DataGoogleStorageProjectServiceAccount(this, 'StorageAgent', { project: props.projectId });
    const storageAgentMember = `serviceAccount:${storageAgent.emailAddress}`;

    const identity = serviceIdentityOf(this, 'ServiceAccount', props.serviceAccount, {
      projectId: props.projectId, accountId: boundedName([name, 'batch'], 30), displayName: `Batch inference of model ${name}`,
    });
    this.identity = identity.identity;
    this.serviceAccount = identity.created;
    const batchMember = this.identity.member;
    const underPrefix = (prefix: string) => objectPrefixCondition(props.bucket.bucketName, prefix);
    // Least privilege: read inputs only, write results under their prefixes only, call this model only.
    const grants: ITerraformDependable[] = [
      new StorageBucketIamMember(this, 'ReadInputs', { bucket: props.bucket.bucketName, role: 'roles/storage.objectViewer', member: batchMember, condition: underPrefix(inputPrefix) }),
      props.service.grantInvoke(batchMember, `${id}-BatchInvoker`),
    ];
    // Predictions and error reports are named after their input: when an input is uploaded again under the same
    // name, its results are replaced, which GCS allows only with storage.objects.delete as well as create.
    // roles/storage.objectUser (conditioned to the prefix) is the narrowest predefined role with both; the
    // bucket's versioning keeps the replaced results.
    for (const [grantId, prefix] of [['WritePredictions', outputPrefix], ['WriteErrors', errorPrefix]]) {
      grants.push(new StorageBucketIamMember(this, grantId, {
        bucket: props.bucket.bucketName, role: 'roles/storage.objectUser', member: batchMember, condition: underPrefix(prefix),
      }));
    }
    // Capture files have unique names: creating is enough.
    if (capturePrefix !== undefined) grants.push(props.bucket.grantCreate(batchMember, capturePrefix, `${id}-BatchCapture`));

    if (delivery === 'eventarc') {
      // Eventarc's GCS source publishes through Pub/Sub as the GCS agent, and delivers as the trigger identity;
      // both roles can only be granted on the project (Eventarc has no narrower resource for them).
      grants.push(new ProjectIamMember(this, 'StorageAgentPublisher', { project: props.projectId, role: 'roles/pubsub.publisher', member: storageAgentMember }));
      grants.push(new ProjectIamMember(this, 'EventReceiver', { project: props.projectId, role: 'roles/eventarc.eventReceiver', member: batchMember }));
    }

    this.function = new Cloudfunctions2Function(this, 'Function', {
      project: props.projectId,
      location: props.region,
      name: boundedName([name, 'batch'], 63),
      description: `Scores objects uploaded under ${inputPrefix} with model ${name}`,
      buildConfig: {
        runtime: props.runtime ?? 'nodejs22',
        entryPoint: props.entryPoint ?? 'batchInference',
        source: { storageSource: { bucket: this.sourceArchive.bucket, object: this.sourceArchive.object } },
      },
      serviceConfig: {
        serviceAccountEmail: this.identity.email,
        ingressSettings: 'ALLOW_INTERNAL_ONLY',
        allTrafficOnLatestRevision: true,
        availableMemory: props.memory ?? '1Gi',
        timeoutSeconds,
        maxInstanceCount: maxInstances,
        minInstanceCount: 0,
        vpcConnector: props.vpcConnector,
        vpcConnectorEgressSettings: props.vpcConnector ? 'ALL_TRAFFIC' : undefined,
        environmentVariables: {
          MODEL_NAME: name,
          SERVING_URL: props.service.serviceUri,
          // The container's prediction route (spec.serving.predictPath).
          PREDICT_PATH: props.service.predictPath ?? DEFAULT_SERVING.predictPath,
          INPUT_BUCKET: props.bucket.bucketName,
          INPUT_PREFIX: inputPrefix,
          OUTPUT_BUCKET: props.bucket.bucketName,
          OUTPUT_PREFIX: outputPrefix,
          ERROR_PREFIX: errorPrefix,
          ...(capturePrefix === undefined ? {} : { CAPTURE_PREFIX: capturePrefix }),
          MAX_OBJECT_BYTES: String(maxObjectBytes),
          // The model call gets the function's time minus a margin to write the result and answer.
          INVOKE_TIMEOUT_MS: String(Math.max(1, timeoutSeconds - 15) * 1000),
          DELIVERY: delivery,
        },
      },
      eventTrigger: delivery === 'eventarc' ? {
        triggerRegion: props.region,
        eventType: 'google.cloud.storage.object.v1.finalized',
        eventFilters: [{ attribute: 'bucket', value: props.bucket.bucketName }],
        retryPolicy: 'RETRY_POLICY_RETRY',
        serviceAccountEmail: this.identity.email,
      } : undefined,
      dependsOn: grants,
    });

    // Whoever delivers events (Eventarc's trigger identity or the push subscription's OIDC identity) calls the
    // function's underlying Cloud Run service as the batch service account.
    new CloudRunV2ServiceIamMember(this, 'FunctionInvoker', {
      project: props.projectId,
      location: props.region,
      name: this.function.serviceConfig.service,
      role: 'roles/run.invoker',
      member: batchMember,
    });

    if (delivery === 'pubsub-dead-letter') {
      const pubsubAgentMember = `serviceAccount:service-${project.number}@gcp-sa-pubsub.iam.gserviceaccount.com`;
      // Pub/Sub wraps each topic's data keys with the CMEK as its service agent: creating a CMEK topic fails
      // unless the agent can already use the key, hence the grant first and depends_on.
      const key = props.encryptionKey;
      const topicEncryption = key ? { kmsKeyName: key.cryptoKeyId, dependsOn: [key.grantEncryptDecrypt(pubsubAgentMember, `${id}-PubsubAgentKey`)] } : {};
      const topic = new PubsubTopic(this, 'NotificationTopic', { project: props.projectId, name: boundedName([name, 'uploads'], 255), messageRetentionDuration: '604800s', ...topicEncryption });
      const publisher = new PubsubTopicIamMember(this, 'StorageAgentPublisher', { project: props.projectId, topic: topic.name, role: 'roles/pubsub.publisher', member: storageAgentMember });
      new StorageNotification(this, 'Notification', {
        bucket: props.bucket.bucketName,
        topic: topic.id,
        payloadFormat: 'JSON_API_V1',
        eventTypes: ['OBJECT_FINALIZE'],
        objectNamePrefix: inputPrefix,
        dependsOn: [publisher],
      });

      const deadLetterTopic = new PubsubTopic(this, 'DeadLetterTopic', { project: props.projectId, name: boundedName([name, 'uploads-dead-letter'], 255), messageRetentionDuration: '604800s', ...topicEncryption });
      const deadLetterSubscription = new PubsubSubscription(this, 'DeadLetterSubscription', {
        project: props.projectId,
        name: boundedName([name, 'uploads-dead-letter'], 255),
        topic: deadLetterTopic.id,
        messageRetentionDuration: '604800s',
        ackDeadlineSeconds: 60,
        // Never expire: dead letters must wait for a human.
        expirationPolicy: { ttl: '' },
      });
      // Pub/Sub forwards undeliverable messages as its service agent: it publishes to the dead-letter topic and
      // acknowledges on the source subscription.
      const deadLetterPublisher = new PubsubTopicIamMember(this, 'PubsubAgentDeadLetterPublisher', { project: props.projectId, topic: deadLetterTopic.name, role: 'roles/pubsub.publisher', member: pubsubAgentMember });
      const pushSubscription = new PubsubSubscription(this, 'PushSubscription', {
        project: props.projectId,
        name: boundedName([name, 'uploads-to-batch'], 255),
        topic: topic.id,
        ackDeadlineSeconds: 600,
        messageRetentionDuration: '604800s',
        expirationPolicy: { ttl: '' },
        pushConfig: {
          pushEndpoint: this.function.url,
          oidcToken: { serviceAccountEmail: this.identity.email, audience: this.function.url },
        },
        retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
        deadLetterPolicy: { deadLetterTopic: deadLetterTopic.id, maxDeliveryAttempts },
        dependsOn: [deadLetterPublisher],
      });
      new PubsubSubscriptionIamMember(this, 'PubsubAgentSubscriber', { project: props.projectId, subscription: pushSubscription.name, role: 'roles/pubsub.subscriber', member: pubsubAgentMember });
      this.notificationTopic = topic;
      this.deadLetterTopic = deadLetterTopic;
      this.deadLetterSubscriptionName = deadLetterSubscription.name;
    }
  }
}
