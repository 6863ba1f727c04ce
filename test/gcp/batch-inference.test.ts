import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { BatchInference, BatchInferenceProps } from '../../lib/gcp/batch-inference';
import { EncryptionKey } from '../../lib/gcp/encryption-key';
import { IngestionBucket } from '../../lib/gcp/ingestion-bucket';
import { ModelService } from '../../lib/gcp/model-service';
import { ServiceIdentity } from '../../lib/gcp/service-identity';
import { address, iamBindings, PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

const spec = { name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1' };

type Extra = Partial<Omit<BatchInferenceProps, 'projectId' | 'region' | 'bucket' | 'service'>>;

function build(delivery?: 'eventarc', extra: Extra = {}, stack: TerraformStack = testStack().stack) {
  const bucket = new IngestionBucket(stack, 'Ingest', { projectId: PROJECT, region: REGION, modelName: 'churn', accessLogs: false });
  const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
  const batch = new BatchInference(stack, 'Batch', { projectId: PROJECT, region: REGION, bucket, service, delivery, ...extra });
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

    it('uploads the bundled function, zipped at synth and named by its content hash, to a private source bucket', () => {
      const object = resource(json, 'google_storage_bucket_object', 'Batch/SourceObject');
      expect(object).toMatchObject({ bucket: ref('google_storage_bucket', 'Batch/SourceBucket', 'name'), content_type: 'application/zip' });
      const hash = (object.name as string).match(/^deploy-ai-smarter\/churn-batch-inference-([0-9a-f]{32})\.zip$/)?.[1];
      expect(hash).toBeDefined();
      expect(object.source).toMatch(new RegExp(`^assets/[A-Za-z0-9_]*Batch_SourceAsset_[0-9A-F]{8}/${hash!.toUpperCase()}/archive\\.zip$`));
      expect(resource(json, 'google_storage_bucket', 'Batch/SourceBucket')).toMatchObject({
        name: 'example-project-id-churn-fn-src', location: REGION, uniform_bucket_level_access: true, public_access_prevention: 'enforced', force_destroy: false,
      });
      // Google-managed encryption on purpose (the bundle is the package's own public code): no CMEK block.
      expect(resource(json, 'google_storage_bucket', 'Batch/SourceBucket').encryption).toBeUndefined();
      expect(batch.sourceArchive).toEqual({ bucket: expect.stringMatching(/TfToken/), object: expect.stringMatching(/TfToken/) });
    });

    it('builds the function from the uploaded object and keeps it internal, with its own identity and configuration', () => {
      const fn = resource(json, 'google_cloudfunctions2_function', 'Batch/Function');
      expect(fn).toMatchObject({
        name: 'churn-batch', location: REGION,
        build_config: {
          runtime: 'nodejs22', entry_point: 'batchInference',
          source: { storage_source: { bucket: ref('google_storage_bucket_object', 'Batch/SourceObject', 'bucket'), object: ref('google_storage_bucket_object', 'Batch/SourceObject', 'name') } },
        },
        service_config: {
          service_account_email: ref('google_service_account', 'Batch/ServiceAccount', 'email'),
          ingress_settings: 'ALLOW_INTERNAL_ONLY', timeout_seconds: 540, max_instance_count: 10,
          environment_variables: {
            SERVING_URL: ref('google_cloud_run_v2_service', 'Serving/Service', 'uri'), MODEL_NAME: 'churn',
            INPUT_BUCKET: ref('google_storage_bucket', 'Ingest/Bucket', 'name'), INPUT_PREFIX: 'incoming/', OUTPUT_PREFIX: 'predictions/',
            ERROR_PREFIX: 'errors/', CAPTURE_PREFIX: 'capture/churn/', MAX_OBJECT_BYTES: '10485760', INVOKE_TIMEOUT_MS: '525000',
            PREDICT_PATH: '/invocations',
          },
        },
      });
      expect(fn.event_trigger).toBeUndefined();
      expect(batch.captureUri).toBe(`gs://${batch.captureUri!.slice(5, -'/capture/churn/'.length)}/capture/churn/`);
      expect(batch.capturePrefix).toBe('capture/churn/');
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

    it('keeps Google-managed encryption on the topics when given no key, and grants no key use', () => {
      for (const topic of ['Batch/NotificationTopic', 'Batch/DeadLetterTopic']) {
        const block = resource(json, 'google_pubsub_topic', topic);
        expect(block.message_retention_duration).toBe('604800s');
        expect(block.kms_key_name).toBeUndefined();
        expect(block.depends_on).toBeUndefined();
      }
      // The bucket's and the service's own keys are granted to their agents only, never to the Pub/Sub agent.
      expect(iamBindings(json, 'google_kms_crypto_key_iam_member', 'crypto_key_id').map((g) => g.member).filter((m) => m.includes('gcp-sa-pubsub'))).toEqual([]);
      expect(batch.encryptionKey).toBeUndefined();
    });

    it('lets the Pub/Sub agent forward dead letters, on those two resources only', () => {
      const pubsubAgent = `serviceAccount:service-${dataRef('google_project', 'Batch_Project', 'number')}@gcp-sa-pubsub.iam.gserviceaccount.com`;
      expect(iamBindings(json, 'google_pubsub_topic_iam_member', 'topic')).toContainEqual({ role: 'roles/pubsub.publisher', member: pubsubAgent, target: ref('google_pubsub_topic', 'Batch/DeadLetterTopic', 'name') });
      expect(iamBindings(json, 'google_pubsub_subscription_iam_member', 'subscription')).toEqual([{ role: 'roles/pubsub.subscriber', member: pubsubAgent, target: ref('google_pubsub_subscription', 'Batch/PushSubscription', 'name') }]);
    });

    it('lets the batch identity read inputs, replace results, append captures and invoke the model and function, each under its prefix', () => {
      const bucketRef = ref('google_storage_bucket', 'Ingest/Bucket', 'name');
      const bucketGrants = iamBindings(json, 'google_storage_bucket_iam_member', 'bucket').filter((g) => g.member === batchMember());
      expect(bucketGrants).toEqual([
        { role: 'roles/storage.objectCreator', member: batchMember(), target: bucketRef },
        { role: 'roles/storage.objectUser', member: batchMember(), target: bucketRef },
        { role: 'roles/storage.objectUser', member: batchMember(), target: bucketRef },
        { role: 'roles/storage.objectViewer', member: batchMember(), target: bucketRef },
      ]);
      const condition = (grant: Record<string, unknown>) => (grant.condition as { expression: string }).expression;
      expect(condition(resource(json, 'google_storage_bucket_iam_member', 'Batch/ReadInputs'))).toBe(`resource.name.startsWith("projects/_/buckets/${bucketRef}/objects/incoming/")`);
      expect(condition(resource(json, 'google_storage_bucket_iam_member', 'Batch/WritePredictions'))).toBe(`resource.name.startsWith("projects/_/buckets/${bucketRef}/objects/predictions/")`);
      expect(condition(resource(json, 'google_storage_bucket_iam_member', 'Batch/WriteErrors'))).toBe(`resource.name.startsWith("projects/_/buckets/${bucketRef}/objects/errors/")`);
      expect(condition(resource(json, 'google_storage_bucket_iam_member', 'Ingest/Batch-BatchCapture'))).toBe('resource.name.startsWith("projects/_/buckets/example-project-id-churn-ingest/objects/capture/churn/")');
      expect(resource(json, 'google_cloudfunctions2_function', 'Batch/Function').depends_on).toEqual(expect.arrayContaining([
        `google_storage_bucket_iam_member.${resource(json, 'google_storage_bucket_iam_member', 'Batch/ReadInputs').logicalId}`,
        `google_storage_bucket_iam_member.${resource(json, 'google_storage_bucket_iam_member', 'Ingest/Batch-BatchCapture').logicalId}`,
      ]));
      expect(iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name')).toEqual(expect.arrayContaining([
        { role: 'roles/run.invoker', member: batchMember(), target: ref('google_cloud_run_v2_service', 'Serving/Service', 'name') },
        { role: 'roles/run.invoker', member: batchMember(), target: `\${${address(json, 'google_cloudfunctions2_function', 'Batch/Function')}.service_config[0].service}` },
      ]));
      expect(resourcesOf(json, 'google_project_iam_member')).toEqual({});
      expect(batch.deadLetterSubscriptionName).toMatch(/TfToken/);
    });
  });

  describe('with a customer-managed key', () => {
    let json: TfJson;
    let key: EncryptionKey;
    let batch: BatchInference;
    beforeAll(() => {
      const { stack } = testStack();
      key = new EncryptionKey(stack, 'TopicKey', { projectId: PROJECT, region: REGION, keyRingName: 'churn-keyring' });
      batch = build(undefined, { encryptionKey: key }, stack).batch;
      json = synth(stack);
    });

    it('encrypts both topics with the key, once the Pub/Sub agent may use it', () => {
      const keyRef = `\${${address(json, 'google_kms_crypto_key', 'TopicKey/CryptoKey')}.id}`;
      const grant = resource(json, 'google_kms_crypto_key_iam_member', 'TopicKey/Batch-PubsubAgentKey');
      const projectNumber = `\${data.google_project.${Object.keys(json.data!.google_project).find((k) => k.startsWith('Batch_Project'))}.number}`;
      expect(grant).toMatchObject({
        crypto_key_id: keyRef, role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member: `serviceAccount:service-${projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`,
      });
      for (const topic of ['Batch/NotificationTopic', 'Batch/DeadLetterTopic']) {
        expect(resource(json, 'google_pubsub_topic', topic)).toMatchObject({
          kms_key_name: keyRef, message_retention_duration: '604800s',
          depends_on: [`google_kms_crypto_key_iam_member.${grant.logicalId}`],
        });
      }
      expect(batch.encryptionKey).toBe(key);
    });

    it('grants the key to the Pub/Sub agent only', () => {
      // IngestionBucket and ModelService made their own keys here: the Batch grant is the only one on this key.
      const keyRef = `\${${address(json, 'google_kms_crypto_key', 'TopicKey/CryptoKey')}.id}`;
      expect(iamBindings(json, 'google_kms_crypto_key_iam_member', 'crypto_key_id').filter((g) => g.target === keyRef)).toEqual([{
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member: resource(json, 'google_kms_crypto_key_iam_member', 'TopicKey/Batch-PubsubAgentKey').member,
        target: keyRef,
      }]);
      expect(iamBindings(json, 'google_kms_crypto_key_iam_member', 'crypto_key_id').filter((g) => g.member.includes('gcp-sa-pubsub'))).toHaveLength(1);
    });

    it('leaves the function source bucket on Google-managed encryption', () => {
      expect(resource(json, 'google_storage_bucket', 'Batch/SourceBucket').encryption).toBeUndefined();
    });

    it('grants nothing on the key with Eventarc delivery, which creates no topic of ours', () => {
      const { stack } = testStack();
      const eventarcKey = new EncryptionKey(stack, 'TopicKey', { projectId: PROJECT, region: REGION, keyRingName: 'churn-keyring' });
      const eventarcJson = synth(build('eventarc', { encryptionKey: eventarcKey }, stack).stack);
      expect(resourcesOf(eventarcJson, 'google_pubsub_topic')).toEqual({});
      expect(Object.keys(resourcesOf(eventarcJson, 'google_kms_crypto_key_iam_member')).some((k) => k.startsWith('TopicKey_'))).toBe(false);
    });
  });

  describe('source and capture options', () => {
    it('builds from your own archive and uploads nothing', () => {
      const { stack } = build(undefined, { sourceArchive: { bucket: 'my-builds', object: 'fn/batch.zip' }, capturePrefix: false });
      const json = synth(stack);
      expect(resource(json, 'google_cloudfunctions2_function', 'Batch/Function').build_config).toMatchObject({ source: { storage_source: { bucket: 'my-builds', object: 'fn/batch.zip' } } });
      expect(resourcesOf(json, 'google_storage_bucket_object')).toEqual({});
      expect(Object.keys(resourcesOf(json, 'google_storage_bucket'))).toEqual([expect.stringMatching(/^Ingest_Bucket_/)]);
      expect((resource(json, 'google_cloudfunctions2_function', 'Batch/Function').service_config as { environment_variables: object }).environment_variables).not.toHaveProperty('CAPTURE_PREFIX');
      expect(Object.keys(resourcesOf(json, 'google_storage_bucket_iam_member')).some((k) => k.includes('Capture'))).toBe(false);
    });

    it('uploads into your bucket when given one', () => {
      const json = synth(build(undefined, { sourceBucketName: 'team-function-sources' }).stack);
      expect(resource(json, 'google_storage_bucket_object', 'Batch/SourceObject').bucket).toBe('team-function-sources');
      expect(Object.keys(resourcesOf(json, 'google_storage_bucket')).some((k) => k.includes('SourceBucket'))).toBe(false);
    });

    it('writes the zip with index.js and package.json into the synthesized output', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-asset-'));
      try {
        const app = new App({ outdir });
        const stack = new TerraformStack(app, 'zip');
        new GoogleProvider(stack, 'google', { project: PROJECT, region: REGION });
        build(undefined, {}, stack);
        app.synth();
        const stackDir = path.join(outdir, 'stacks', 'zip');
        const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
        const source = resource(json, 'google_storage_bucket_object', 'Batch/SourceObject').source as string;
        const zip = fs.readFileSync(path.join(stackDir, source));
        expect(zip.subarray(0, 4).toString('hex')).toBe('504b0304');
        // Entry names sit uncompressed in the zip's headers.
        expect(zip.includes(Buffer.from('index.js'))).toBe(true);
        expect(zip.includes(Buffer.from('package.json'))).toBe(true);
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
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

  it('runs as an existing service account with the same resource-level grants, creating none', () => {
    const { stack } = build(undefined, { serviceAccount: ServiceIdentity.fromEmail('batch-runner@platform.iam.gserviceaccount.com') });
    const json = synth(stack);
    const member = 'serviceAccount:batch-runner@platform.iam.gserviceaccount.com';
    expect(Object.keys(resourcesOf(json, 'google_service_account')).map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['Serving_ServiceAccount']);
    expect(resource(json, 'google_cloudfunctions2_function', 'Batch/Function').service_config).toMatchObject({ service_account_email: 'batch-runner@platform.iam.gserviceaccount.com' });
    expect(resource(json, 'google_pubsub_subscription', 'Batch/PushSubscription').push_config).toMatchObject({ oidc_token: { service_account_email: 'batch-runner@platform.iam.gserviceaccount.com' } });
    expect(Object.values(resourcesOf(json, 'google_storage_bucket_iam_member')).filter((g) => g.member === member).map((g) => g.role).sort())
      .toEqual(['roles/storage.objectCreator', 'roles/storage.objectUser', 'roles/storage.objectUser', 'roles/storage.objectViewer']);
    expect(resourcesOf(json, 'google_project_iam_member')).toEqual({});
  });

  it('rejects prefixes that would loop, bad retry counts, sizes and archives, and unreachable services', () => {
    const { stack } = testStack();
    const bucket = new IngestionBucket(stack, 'Ingest', { projectId: PROJECT, region: REGION, modelName: 'churn' });
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION, ingress: 'internal-and-cloud-load-balancing' });
    expect(() => new BatchInference(stack, 'Batch', {
      projectId: PROJECT, region: REGION, bucket, service, inputPrefix: 'in/', outputPrefix: 'in/out/', errorPrefix: 'in/errors/', capturePrefix: 'capture',
      maxDeliveryAttempts: 3, maxObjectBytes: 64 * 1024 * 1024, sourceArchive: { bucket: 'src', object: 'fn.tar' }, sourceBucketName: 'other', vpcConnector: 'my-connector',
    })).toThrow(new RegExp([
      'BatchInference outputPrefix: got "in/out/"; expected a prefix that neither contains nor is inside inputPrefix "in/"',
      'BatchInference errorPrefix: got "in/errors/"; expected a prefix that neither contains nor is inside inputPrefix',
      'BatchInference capturePrefix: got "capture"; expected a non-empty path ending in "/" without spaces, wildcards, quotes or backslashes',
      'BatchInference maxDeliveryAttempts: got 3; expected an integer from 5 to 100',
      'BatchInference maxObjectBytes: got 67108864; expected an integer from 1 to 33554432',
      'BatchInference sourceArchive.object: got "fn.tar"; expected a .zip object path',
      'BatchInference sourceBucketName: got "other"; expected nothing when sourceArchive is given',
      'BatchInference vpcConnector: got "my-connector"; expected a Serverless VPC Access connector id "projects/<project>/locations/<region>/connectors/<name>"',
    ].map((line) => line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')));
  });

  it('posts to the container\'s own prediction route', () => {
    const { stack } = testStack();
    const bucket = new IngestionBucket(stack, 'Ingest', { projectId: PROJECT, region: REGION, modelName: 'churn', accessLogs: false });
    const service = new ModelService(stack, 'Serving', { spec: { ...spec, serving: { port: 8000, predictPath: '/v1/models/churn:predict' } }, projectId: PROJECT, region: REGION });
    new BatchInference(stack, 'Batch', { projectId: PROJECT, region: REGION, bucket, service });
    const fn = resource(synth(stack), 'google_cloudfunctions2_function', 'Batch/Function');
    expect((fn.service_config as { environment_variables: Record<string, string> }).environment_variables.PREDICT_PATH).toBe('/v1/models/churn:predict');
  });
});
