// Ingestion-driven batch inference on GCP: each object finalized under the input prefix of the ingestion
// bucket is sent to a Cloud Functions gen2 function that calls the model; failures retry, then dead-letter.
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
import { StorageNotification } from '@cdktf/provider-google/lib/storage-notification';
import { ValidationErrors } from '../core';
import { IGcsBucket } from './ingestion-bucket';
import { IModelService } from './model-service';
import { boundedName, checkBucketName } from './private/gcp-names';

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

/** Where the function's source archive lives (a zip built from lib/runtime and uploaded by you). */
export interface FunctionSourceArchive {
  readonly bucket: string;
  readonly object: string;
}

export interface BatchInferenceProps {
  readonly projectId: string;
  readonly region: string;
  /** The bucket whose uploads are scored; the function reads it and writes results under `outputPrefix`. */
  readonly bucket: IGcsBucket;
  /** The model service the function calls (it gets `run.invoker` on it). */
  readonly service: IModelService;
  /**
   * The function's zip. Nothing can be built here, so the default is a placeholder path: upload the archive
   * there (or pass your own) before `cdktf deploy`, or the function build fails.
   * @default - `{ bucket: '<projectId>-function-sources', object: 'deploy-ai-smarter/batch-inference.zip' }`
   */
  readonly sourceArchive?: FunctionSourceArchive;
  /** @default 'handler' */
  readonly entryPoint?: string;
  /** @default 'nodejs22' */
  readonly runtime?: string;
  /** @default 'pubsub-dead-letter' */
  readonly delivery?: BatchDelivery;
  /** Only objects under this prefix are scored. @default 'incoming/' */
  readonly inputPrefix?: string;
  /** Results are written under this prefix. @default 'predictions/' */
  readonly outputPrefix?: string;
  /** Deliveries before a message is dead-lettered (Pub/Sub allows 5-100). @default 10 */
  readonly maxDeliveryAttempts?: number;
  /** @default 10 */
  readonly maxInstances?: number;
  /** Function timeout in seconds (event-driven gen2 functions allow up to 540). @default 540 */
  readonly timeoutSeconds?: number;
  /** @default '1Gi' */
  readonly memory?: string;
  /**
   * Serverless VPC Access connector (`projects/<p>/locations/<r>/connectors/<c>`) the function sends all
   * egress through. Required when the service's ingress is restricted (behind the load balancer): calls from
   * Cloud Functions only count as internal when they come through a VPC.
   * @default - none
   */
  readonly vpcConnector?: string;
}

export const DEFAULT_SOURCE_OBJECT = 'deploy-ai-smarter/batch-inference.zip';

/** Scores every uploaded object with the model. */
export class BatchInference extends Construct {
  readonly function: Cloudfunctions2Function;
  readonly serviceAccount: ServiceAccount;
  readonly delivery: BatchDelivery;
  /** Topic GCS publishes finalize notifications to (`pubsub-dead-letter` delivery). */
  readonly notificationTopic?: PubsubTopic;
  readonly deadLetterTopic?: PubsubTopic;
  /** Pull subscription that keeps dead letters; alert on its backlog. */
  readonly deadLetterSubscriptionName?: string;
  readonly sourceArchive: FunctionSourceArchive;

  constructor(scope: Construct, id: string, props: BatchInferenceProps) {
    super(scope, id);
    const delivery = props.delivery ?? 'pubsub-dead-letter';
    const inputPrefix = props.inputPrefix ?? 'incoming/';
    const outputPrefix = props.outputPrefix ?? 'predictions/';
    const maxDeliveryAttempts = props.maxDeliveryAttempts ?? 10;
    const timeoutSeconds = props.timeoutSeconds ?? 540;
    const maxInstances = props.maxInstances ?? 10;
    const sourceArchive = props.sourceArchive ?? { bucket: `${props.projectId}-function-sources`, object: DEFAULT_SOURCE_OBJECT };

    const errors = new ValidationErrors('BatchInference');
    errors.checkOneOf('delivery', delivery, ['pubsub-dead-letter', 'eventarc']);
    errors.check(inputPrefix !== outputPrefix && !outputPrefix.startsWith(inputPrefix) && !inputPrefix.startsWith(outputPrefix),
      'outputPrefix', outputPrefix, `a prefix that neither contains nor is inside inputPrefix "${inputPrefix}" (results would trigger new runs)`);
    errors.checkPattern('inputPrefix', inputPrefix, /^[^\s*?[\]]+\/$/, 'a non-empty path ending in "/" without wildcards');
    errors.checkPattern('outputPrefix', outputPrefix, /^[^\s*?[\]]+\/$/, 'a non-empty path ending in "/" without wildcards');
    errors.checkNumber('maxDeliveryAttempts', maxDeliveryAttempts, { min: 5, max: 100, integer: true });
    errors.checkNumber('timeoutSeconds', timeoutSeconds, { min: 1, max: 540, integer: true });
    errors.checkNumber('maxInstances', maxInstances, { min: 1, max: 1000, integer: true });
    checkBucketName(errors, 'sourceArchive.bucket', sourceArchive.bucket);
    errors.check(sourceArchive.object.endsWith('.zip'), 'sourceArchive.object', sourceArchive.object, 'a .zip object path');
    errors.check(props.service.ingress === 'all' || props.vpcConnector !== undefined, 'vpcConnector', props.vpcConnector,
      `a Serverless VPC Access connector when the service ingress is "${props.service.ingress}" (the function could not reach it otherwise)`);
    errors.throwIfAny();

    this.delivery = delivery;
    this.sourceArchive = sourceArchive;
    const name = props.service.serviceName;
    const project = new DataGoogleProject(this, 'Project', { projectId: props.projectId });
    const storageAgent = new DataGoogleStorageProjectServiceAccount(this, 'StorageAgent', { project: props.projectId });
    const storageAgentMember = `serviceAccount:${storageAgent.emailAddress}`;

    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', {
      project: props.projectId,
      accountId: boundedName([name, 'batch'], 30),
      displayName: `Batch inference of model ${name}`,
    });
    const batchMember = `serviceAccount:${this.serviceAccount.email}`;
    // Least privilege: read inputs, write results under the output prefix only, call this model only.
    const grants: ITerraformDependable[] = [
      props.bucket.grantRead(batchMember, `${id}-BatchRead`),
      props.bucket.grantCreate(batchMember, outputPrefix, `${id}-BatchWrite`),
      props.service.grantInvoke(batchMember, `${id}-BatchInvoker`),
    ];

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
        entryPoint: props.entryPoint ?? 'handler',
        source: { storageSource: { bucket: sourceArchive.bucket, object: sourceArchive.object } },
      },
      serviceConfig: {
        serviceAccountEmail: this.serviceAccount.email,
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
          INPUT_BUCKET: props.bucket.bucketName,
          INPUT_PREFIX: inputPrefix,
          OUTPUT_BUCKET: props.bucket.bucketName,
          OUTPUT_PREFIX: outputPrefix,
          DELIVERY: delivery,
        },
      },
      eventTrigger: delivery === 'eventarc' ? {
        triggerRegion: props.region,
        eventType: 'google.cloud.storage.object.v1.finalized',
        eventFilters: [{ attribute: 'bucket', value: props.bucket.bucketName }],
        retryPolicy: 'RETRY_POLICY_RETRY',
        serviceAccountEmail: this.serviceAccount.email,
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
      const topic = new PubsubTopic(this, 'NotificationTopic', { project: props.projectId, name: boundedName([name, 'uploads'], 255), messageRetentionDuration: '604800s' });
      const publisher = new PubsubTopicIamMember(this, 'StorageAgentPublisher', { project: props.projectId, topic: topic.name, role: 'roles/pubsub.publisher', member: storageAgentMember });
      new StorageNotification(this, 'Notification', {
        bucket: props.bucket.bucketName,
        topic: topic.id,
        payloadFormat: 'JSON_API_V1',
        eventTypes: ['OBJECT_FINALIZE'],
        objectNamePrefix: inputPrefix,
        dependsOn: [publisher],
      });

      const deadLetterTopic = new PubsubTopic(this, 'DeadLetterTopic', { project: props.projectId, name: boundedName([name, 'uploads-dead-letter'], 255), messageRetentionDuration: '604800s' });
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
          oidcToken: { serviceAccountEmail: this.serviceAccount.email, audience: this.function.url },
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
