// The retraining signal on GCP (issue 15.3): the drift and quality alert policies notify a `pubsub` notification
// channel; a push subscription hands each incident to a small bundled function (lib/runtime/gcp-retraining-function)
// that publishes the documented RetrainingEvent on the retraining topic, which a retraining pipeline subscribes to.
// Both topics use the stack's key; a pull subscription keeps events for 7 days until a pipeline is wired.
import { Construct } from 'constructs';
import { Lazy, Token } from 'cdktf';
import { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { PubsubSubscription } from '@cdktf/provider-google/lib/pubsub-subscription';
import { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic';
import { PubsubTopicIamMember } from '@cdktf/provider-google/lib/pubsub-topic-iam-member';
import { ModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import type { RetrainingRules } from '../runtime/gcp-retraining-function/rules';
import type { IEncryptionKey } from './encryption-key';
import { bundledAssetDir, isBundled, uploadBundledSource } from './private/function-source';
import { boundedName, checkBucketName, checkProjectId, checkRegion } from './private/gcp-names';
import { serviceIdentityOf } from './private/identities';
import { IServiceIdentity } from './service-identity';

/** The bundled function (`npm run bundle`: assets/gcp-retraining-function/{index.js,package.json}). */
export const RETRAINING_FUNCTION_ASSET_DIR = bundledAssetDir('gcp-retraining-function');

export interface RetrainingSignalProps {
  readonly spec: ModelSpec;
  readonly projectId: string;
  readonly region: string;
  /** Customer-managed key of both topics; the project's Pub/Sub service agent is granted encrypt/decrypt on it. @default - Google-managed encryption */
  readonly encryptionKey?: IEncryptionKey;
  /** Existing bucket for the function's zip. @default - a new private bucket `<projectId>-<model>-retrain-src` */
  readonly sourceBucketName?: string;
  /** Identity of the function and of the push subscription's OIDC token. @default - a new service account `<model>-retrain` */
  readonly serviceAccount?: IServiceIdentity;
  /** Serverless VPC Access connector for the function's egress. @default - none */
  readonly vpcConnector?: string;
}

/** Alert incidents in, RetrainingEvents out on `topic`. */
export class RetrainingSignal extends Construct {
  /** The topic retraining events are published on (subscribe your pipeline here). */
  readonly topic: PubsubTopic;
  /** Keeps events for 7 days for a pipeline that pulls (or until one subscribes). */
  readonly subscription: PubsubSubscription;
  /** The topic the notification channel publishes incidents to. */
  readonly incidentTopic: PubsubTopic;
  readonly notificationChannel: MonitoringNotificationChannel;
  /** `projects/<p>/notificationChannels/<n>`: give it to ModelAlerting's `retrainingChannelIds`. */
  readonly notificationChannelId: string;
  readonly function: Cloudfunctions2Function;
  readonly identity: IServiceIdentity;
  private readonly rules: Record<string, RetrainingRules[string]> = {};

  constructor(scope: Construct, id: string, props: RetrainingSignalProps) {
    super(scope, id);
    const errors = new ValidationErrors('RetrainingSignal');
    const spec = resolveModelSpec(props.spec, errors);
    checkProjectId(errors, 'projectId', props.projectId);
    checkRegion(errors, 'region', props.region);
    checkBucketName(errors, 'sourceBucketName', props.sourceBucketName);
    errors.checkPattern('vpcConnector', props.vpcConnector, /^projects\/[^/]+\/locations\/[^/]+\/connectors\/[^/]+$/, 'a connector id "projects/<p>/locations/<r>/connectors/<name>"');
    errors.check(isBundled(RETRAINING_FUNCTION_ASSET_DIR), 'function', undefined, `the bundled function in ${RETRAINING_FUNCTION_ASSET_DIR} (run "npm run bundle")`);
    errors.throwIfAny();
    const project = props.projectId;
    const number = new DataGoogleProject(this, 'Project', { projectId: project }).number;
    const pubsubAgent = `serviceAccount:service-${number}@gcp-sa-pubsub.iam.gserviceaccount.com`;
    // Pub/Sub wraps each topic's data keys with the CMEK as its service agent: the grant must exist first.
    const encryption = props.encryptionKey
      ? { kmsKeyName: props.encryptionKey.cryptoKeyId, dependsOn: [props.encryptionKey.grantEncryptDecrypt(pubsubAgent, `${id}-PubsubAgentKey`)] } : {};
    const week = '604800s';
    this.topic = new PubsubTopic(this, 'Topic', { project, name: boundedName([spec.name, 'retraining'], 255), messageRetentionDuration: week, ...encryption });
    this.subscription = new PubsubSubscription(this, 'Subscription', {
      project, name: boundedName([spec.name, 'retraining-events'], 255), topic: this.topic.id, messageRetentionDuration: week, ackDeadlineSeconds: 60, expirationPolicy: { ttl: '' },
    });
    this.incidentTopic = new PubsubTopic(this, 'IncidentTopic', { project, name: boundedName([spec.name, 'retraining-incidents'], 255), messageRetentionDuration: week, ...encryption });
    this.notificationChannel = new MonitoringNotificationChannel(this, 'Channel', {
      project, displayName: `${spec.name} retraining signal`, type: 'pubsub', labels: { topic: this.incidentTopic.id },
    });
    this.notificationChannelId = this.notificationChannel.name;
    // Cloud Monitoring publishes as its notification service agent, which it creates with the first pubsub channel.
    new PubsubTopicIamMember(this, 'MonitoringPublisher', {
      project, topic: this.incidentTopic.name, role: 'roles/pubsub.publisher',
      member: `serviceAccount:service-${number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com`, dependsOn: [this.notificationChannel],
    });

    const runner = serviceIdentityOf(this, 'ServiceAccount', props.serviceAccount, {
      projectId: project, accountId: boundedName([spec.name, 'retrain'], 30), displayName: `Retraining signal of model ${spec.name}`,
    });
    this.identity = runner.identity;
    const publisher = new PubsubTopicIamMember(this, 'FunctionPublisher', { project, topic: this.topic.name, role: 'roles/pubsub.publisher', member: this.identity.member });
    const source = uploadBundledSource(this, {
      projectId: project, region: props.region, assetDir: RETRAINING_FUNCTION_ASSET_DIR, objectPrefix: `deploy-ai-smarter/${spec.name}-retraining-function`,
      bucketName: props.sourceBucketName, defaultBucketName: boundedName([project, spec.name, 'retrain-src'], 63),
    });
    this.function = new Cloudfunctions2Function(this, 'Function', {
      project,
      location: props.region,
      name: boundedName([spec.name, 'retraining'], 63),
      description: `Publishes retraining events of model ${spec.name} from its drift and quality incidents`,
      buildConfig: { runtime: 'nodejs22', entryPoint: 'retrainingSignal', source: { storageSource: { bucket: source.archive.bucket, object: source.archive.object } } },
      serviceConfig: {
        serviceAccountEmail: this.identity.email,
        ingressSettings: 'ALLOW_INTERNAL_ONLY',
        allTrafficOnLatestRevision: true,
        availableMemory: '256Mi',
        timeoutSeconds: 60,
        maxInstanceCount: 2,
        minInstanceCount: 0,
        vpcConnector: props.vpcConnector,
        vpcConnectorEgressSettings: props.vpcConnector ? 'ALL_TRAFFIC' : undefined,
        environmentVariables: {
          MODEL_NAME: spec.name,
          RETRAINING_TOPIC: this.topic.id,
          // Filled from the alert policies that notify this channel (`addRules`), at synth.
          // A threshold given as a Terraform number is written as its reference (a string the function reads as a number).
          RETRAINING_RULES: Lazy.stringValue({
            produce: () => JSON.stringify(this.rules, (_key, value: unknown) => (typeof value === 'number' && Token.isUnresolved(value) ? Token.asString(value) : value)),
          }),
        },
      },
      dependsOn: [publisher],
    });
    // The push subscription calls the function with an OIDC token of the function's own identity.
    const invoker = new CloudRunV2ServiceIamMember(this, 'PushInvoker', {
      project, location: props.region, name: this.function.serviceConfig.service, role: 'roles/run.invoker', member: this.identity.member,
    });
    new PubsubSubscription(this, 'PushSubscription', {
      project,
      name: boundedName([spec.name, 'retraining-incidents-push'], 255),
      topic: this.incidentTopic.id,
      ackDeadlineSeconds: 60,
      messageRetentionDuration: week,
      expirationPolicy: { ttl: '' },
      pushConfig: { pushEndpoint: this.function.url, oidcToken: { serviceAccountEmail: this.identity.email, audience: this.function.url } },
      retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
      dependsOn: [invoker],
    });
  }

  /** What the incidents of each watched metric mean (ModelAlerting's `retrainingRules`). */
  addRules(rules: RetrainingRules): void {
    Object.assign(this.rules, rules);
  }
}
