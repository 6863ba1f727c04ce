import { BatchInference } from '../../lib/gcp/batch-inference';
import { IngestionBucket } from '../../lib/gcp/ingestion-bucket';
import { ModelService } from '../../lib/gcp/model-service';
import { address, iamBindings, PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

const spec = { name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1' };

function build(delivery?: 'eventarc') {
  const { stack } = testStack();
  const bucket = new IngestionBucket(stack, 'Ingest', { projectId: PROJECT, region: REGION, modelName: 'churn', accessLogs: false });
  const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
  const batch = new BatchInference(stack, 'Batch', { projectId: PROJECT, region: REGION, bucket, service, delivery });
  return { stack, batch };
}

describe('BatchInference', () => {
  describe('Pub/Sub delivery with a dead-letter topic (default)', () => {
    let json: TfJson;
    let batch: BatchInference;
    beforeAll(() => {
      const built = build();
      batch = built.batch;
      json = synth(built.stack);
    });
    const ref = (type: string, path: string, attr = 'id') => `\${${address(json, type, path)}.${attr}}`;
    const batchMember = () => `serviceAccount:${ref('google_service_account', 'Batch/ServiceAccount', 'email')}`;
    const dataRef = (type: string, prefix: string, attr: string) => `\${data.${type}.${Object.keys(json.data![type]).find((k) => k.startsWith(prefix))}.${attr}}`;

    it('builds the function from the placeholder archive and keeps it internal, with its own identity', () => {
      const fn = resource(json, 'google_cloudfunctions2_function', 'Batch/Function');
      expect(fn).toMatchObject({
        name: 'churn-batch', location: REGION,
        build_config: { runtime: 'nodejs22', entry_point: 'handler', source: { storage_source: { bucket: 'example-project-id-function-sources', object: 'deploy-ai-smarter/batch-inference.zip' } } },
        service_config: {
          service_account_email: ref('google_service_account', 'Batch/ServiceAccount', 'email'),
          ingress_settings: 'ALLOW_INTERNAL_ONLY', timeout_seconds: 540, max_instance_count: 10,
          environment_variables: { SERVING_URL: ref('google_cloud_run_v2_service', 'Serving/Service', 'uri'), INPUT_PREFIX: 'incoming/', OUTPUT_PREFIX: 'predictions/', MODEL_NAME: 'churn' },
        },
      });
      expect(fn.event_trigger).toBeUndefined();
      expect(batch.sourceArchive).toEqual({ bucket: 'example-project-id-function-sources', object: 'deploy-ai-smarter/batch-inference.zip' });
    });

    it('publishes finalize events under the input prefix once the GCS agent may publish to the topic', () => {
      const publisher = resource(json, 'google_pubsub_topic_iam_member', 'Batch/StorageAgentPublisher');
      expect(publisher).toMatchObject({ role: 'roles/pubsub.publisher', topic: ref('google_pubsub_topic', 'Batch/NotificationTopic', 'name'), member: `serviceAccount:${dataRef('google_storage_project_service_account', 'Batch_StorageAgent', 'email_address')}` });
      expect(resource(json, 'google_storage_notification', 'Batch/Notification')).toMatchObject({
        bucket: ref('google_storage_bucket', 'Ingest/Bucket', 'name'), topic: ref('google_pubsub_topic', 'Batch/NotificationTopic'),
        payload_format: 'JSON_API_V1', event_types: ['OBJECT_FINALIZE'], object_name_prefix: 'incoming/',
        depends_on: expect.arrayContaining([`google_pubsub_topic_iam_member.${publisher.logicalId}`]),
      });
    });

    it('pushes with an OIDC token, retries with backoff and dead-letters after 10 attempts', () => {
      expect(resource(json, 'google_pubsub_subscription', 'Batch/PushSubscription')).toMatchObject({
        topic: ref('google_pubsub_topic', 'Batch/NotificationTopic'),
        ack_deadline_seconds: 600,
        push_config: { push_endpoint: ref('google_cloudfunctions2_function', 'Batch/Function', 'url'), oidc_token: { service_account_email: ref('google_service_account', 'Batch/ServiceAccount', 'email'), audience: ref('google_cloudfunctions2_function', 'Batch/Function', 'url') } },
        retry_policy: { minimum_backoff: '10s', maximum_backoff: '600s' },
        dead_letter_policy: { dead_letter_topic: ref('google_pubsub_topic', 'Batch/DeadLetterTopic'), max_delivery_attempts: 10 },
        expiration_policy: { ttl: '' },
      });
      expect(resource(json, 'google_pubsub_subscription', 'Batch/DeadLetterSubscription')).toMatchObject({
        topic: ref('google_pubsub_topic', 'Batch/DeadLetterTopic'), message_retention_duration: '604800s', expiration_policy: { ttl: '' },
      });
    });

    it('lets the Pub/Sub agent forward dead letters, on those two resources only', () => {
      const pubsubAgent = `serviceAccount:service-${dataRef('google_project', 'Batch_Project', 'number')}@gcp-sa-pubsub.iam.gserviceaccount.com`;
      expect(iamBindings(json, 'google_pubsub_topic_iam_member', 'topic')).toContainEqual({ role: 'roles/pubsub.publisher', member: pubsubAgent, target: ref('google_pubsub_topic', 'Batch/DeadLetterTopic', 'name') });
      expect(iamBindings(json, 'google_pubsub_subscription_iam_member', 'subscription')).toEqual([{ role: 'roles/pubsub.subscriber', member: pubsubAgent, target: ref('google_pubsub_subscription', 'Batch/PushSubscription', 'name') }]);
    });

    it('gives the batch identity read on the bucket, write under the output prefix and invoke on the model and function', () => {
      const bucketGrants = iamBindings(json, 'google_storage_bucket_iam_member', 'bucket').filter((g) => g.member === batchMember());
      expect(bucketGrants).toEqual([
        { role: 'roles/storage.objectCreator', member: batchMember(), target: ref('google_storage_bucket', 'Ingest/Bucket', 'name') },
        { role: 'roles/storage.objectViewer', member: batchMember(), target: ref('google_storage_bucket', 'Ingest/Bucket', 'name') },
      ]);
      expect(resource(json, 'google_storage_bucket_iam_member', 'Ingest/Batch-BatchWrite').condition).toMatchObject({ expression: 'resource.name.startsWith("projects/_/buckets/example-project-id-churn-ingest/objects/predictions/")' });
      expect(iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name')).toEqual(expect.arrayContaining([
        { role: 'roles/run.invoker', member: batchMember(), target: ref('google_cloud_run_v2_service', 'Serving/Service', 'name') },
        { role: 'roles/run.invoker', member: batchMember(), target: `\${${address(json, 'google_cloudfunctions2_function', 'Batch/Function')}.service_config[0].service}` },
      ]));
      expect(resourcesOf(json, 'google_project_iam_member')).toEqual({});
      expect(batch.deadLetterSubscriptionName).toMatch(/TfToken/);
    });
  });

  describe('Eventarc delivery', () => {
    let json: TfJson;
    beforeAll(() => {
      json = synth(build('eventarc').stack);
    });
    const ref = (type: string, path: string, attr = 'id') => `\${${address(json, type, path)}.${attr}}`;

    it('triggers on object finalize in the bucket and retries failed events', () => {
      expect(resource(json, 'google_cloudfunctions2_function', 'Batch/Function').event_trigger).toEqual({
        trigger_region: REGION,
        event_type: 'google.cloud.storage.object.v1.finalized',
        event_filters: [{ attribute: 'bucket', value: ref('google_storage_bucket', 'Ingest/Bucket', 'name') }],
        retry_policy: 'RETRY_POLICY_RETRY',
        service_account_email: ref('google_service_account', 'Batch/ServiceAccount', 'email'),
      });
      expect(resourcesOf(json, 'google_pubsub_topic')).toEqual({});
    });

    it('grants the project-level roles Eventarc needs to exactly the two identities', () => {
      const agent = Object.keys(json.data!.google_storage_project_service_account).find((k) => k.startsWith('Batch_StorageAgent'));
      expect(iamBindings(json, 'google_project_iam_member', 'project')).toEqual([
        { role: 'roles/eventarc.eventReceiver', member: `serviceAccount:${ref('google_service_account', 'Batch/ServiceAccount', 'email')}`, target: PROJECT },
        { role: 'roles/pubsub.publisher', member: `serviceAccount:\${data.google_storage_project_service_account.${agent}.email_address}`, target: PROJECT },
      ]);
    });
  });

  it('rejects prefixes that would loop, bad retry counts and archives, and unreachable services', () => {
    const { stack } = testStack();
    const bucket = new IngestionBucket(stack, 'Ingest', { projectId: PROJECT, region: REGION, modelName: 'churn' });
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION, ingress: 'internal-and-cloud-load-balancing' });
    expect(() => new BatchInference(stack, 'Batch', {
      projectId: PROJECT, region: REGION, bucket, service, inputPrefix: 'in/', outputPrefix: 'in/out/', maxDeliveryAttempts: 3, sourceArchive: { bucket: 'src', object: 'fn.tar' },
    })).toThrow(/BatchInference outputPrefix: got "in\/out\/"; expected a prefix that neither contains nor is inside inputPrefix[\s\S]*BatchInference maxDeliveryAttempts: got 3; expected an integer from 5 to 100[\s\S]*BatchInference sourceArchive.object: got "fn.tar"; expected a .zip object path[\s\S]*BatchInference vpcConnector: got undefined; expected a Serverless VPC Access connector/);
  });
});
