import { IngestionBucket } from '../../lib/gcp/ingestion-bucket';
import { address, iamBindings, PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

describe('IngestionBucket', () => {
  let json: TfJson;
  beforeAll(() => {
    const { stack } = testStack();
    const bucket = new IngestionBucket(stack, 'Ingest', { projectId: PROJECT, region: REGION, modelName: 'churn' });
    bucket.grantRead('serviceAccount:reader@p.iam.gserviceaccount.com');
    bucket.grantCreate('serviceAccount:writer@p.iam.gserviceaccount.com', 'out/');
    bucket.grantRead('serviceAccount:prefix-reader@p.iam.gserviceaccount.com', 'capture/churn/');
    new IngestionBucket(stack, 'Plain', {
      projectId: 'a-very-long-project-id-of-30ch', region: REGION, modelName: 'a-model-name-that-is-32-chars-xx', accessLogs: false, nearlineAfterDays: 0, softDeleteDays: 0,
    });
    json = synth(stack);
  });

  it('creates a private, uniform, versioned, CMEK bucket that Terraform never force-destroys', () => {
    const bucket = resource(json, 'google_storage_bucket', 'Ingest/Bucket');
    expect(bucket).toMatchObject({
      name: 'example-project-id-churn-ingest',
      location: REGION,
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      force_destroy: false,
      versioning: { enabled: true },
      soft_delete_policy: { retention_duration_seconds: 604800 },
      encryption: { default_kms_key_name: `\${${address(json, 'google_kms_crypto_key', 'Ingest/Key/CryptoKey')}.id}` },
    });
  });

  it('expires old versions, aborts stale uploads and moves old objects to Nearline', () => {
    expect(resource(json, 'google_storage_bucket', 'Ingest/Bucket').lifecycle_rule).toEqual([
      { action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 30, with_state: 'ARCHIVED' } },
      { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 1 } },
      { action: { type: 'SetStorageClass', storage_class: 'NEARLINE' }, condition: { age: 90, matches_storage_class: ['STANDARD'] } },
    ]);
  });

  it('lets the GCS service agent use the key before the bucket is created', () => {
    const agent = Object.keys(json.data!.google_storage_project_service_account).find((k) => k.startsWith('Ingest_StorageAgent'));
    const grant = resource(json, 'google_kms_crypto_key_iam_member', 'Ingest-StorageAgentKey');
    expect(grant).toMatchObject({
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: `serviceAccount:\${data.google_storage_project_service_account.${agent}.email_address}`,
      crypto_key_id: `\${${address(json, 'google_kms_crypto_key', 'Ingest/Key/CryptoKey')}.id}`,
    });
    const grantAddress = `google_kms_crypto_key_iam_member.${grant.logicalId}`;
    expect(resource(json, 'google_storage_bucket', 'Ingest/Bucket').depends_on).toContain(grantAddress);
    expect(resource(json, 'google_storage_bucket', 'Ingest/AccessLogBucket').depends_on).toContain(grantAddress);
  });

  it('writes usage logs to a private log bucket that only GCS analytics may write to', () => {
    const logs = resource(json, 'google_storage_bucket', 'Ingest/AccessLogBucket');
    expect(logs).toMatchObject({ public_access_prevention: 'enforced', uniform_bucket_level_access: true, force_destroy: false, lifecycle_rule: [{ action: { type: 'Delete' }, condition: { age: 365 } }] });
    expect(resource(json, 'google_storage_bucket', 'Ingest/Bucket').logging).toEqual({
      log_bucket: `\${${address(json, 'google_storage_bucket', 'Ingest/AccessLogBucket')}.name}`, log_object_prefix: 'example-project-id-churn-ingest',
    });
    expect(resource(json, 'google_storage_bucket_iam_member', 'Ingest/AccessLogWriter')).toMatchObject({
      role: 'roles/storage.objectCreator', member: 'group:cloud-storage-analytics@google.com',
      bucket: `\${${address(json, 'google_storage_bucket', 'Ingest/AccessLogBucket')}.name}`,
    });
  });

  it('grants read on the bucket and create only under a prefix', () => {
    const bucketRef = `\${${address(json, 'google_storage_bucket', 'Ingest/Bucket')}.name}`;
    const grants = iamBindings(json, 'google_storage_bucket_iam_member', 'bucket').filter((g) => g.target === bucketRef);
    expect(grants).toEqual(expect.arrayContaining([
      { role: 'roles/storage.objectViewer', member: 'serviceAccount:reader@p.iam.gserviceaccount.com', target: bucketRef },
      { role: 'roles/storage.objectCreator', member: 'serviceAccount:writer@p.iam.gserviceaccount.com', target: bucketRef },
    ]));
    const create = Object.values(resourcesOf(json, 'google_storage_bucket_iam_member')).find((g) => g.member === 'serviceAccount:writer@p.iam.gserviceaccount.com')!;
    expect((create.condition as { expression: string }).expression).toBe('resource.name.startsWith("projects/_/buckets/example-project-id-churn-ingest/objects/out/")');
  });

  it('grants read under a prefix as reading and listing that prefix only', () => {
    const read = Object.values(resourcesOf(json, 'google_storage_bucket_iam_member')).find((g) => g.member === 'serviceAccount:prefix-reader@p.iam.gserviceaccount.com')!;
    expect(read.role).toBe('roles/storage.objectViewer');
    expect((read.condition as { expression: string }).expression).toBe(
      'resource.name.startsWith("projects/_/buckets/example-project-id-churn-ingest/objects/capture/churn/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("capture/churn/")');
  });

  it('keeps generated names within 63 characters and drops optional parts when asked', () => {
    const bucket = resource(json, 'google_storage_bucket', 'Plain/Bucket');
    expect((bucket.name as string).length).toBeLessThanOrEqual(63);
    expect(bucket.name).toMatch(/^a-very-long-project-id-of-30ch-a-model-name-that-is-32-[0-9a-f]{8}$/);
    expect(bucket.logging).toBeUndefined();
    expect(bucket.soft_delete_policy).toEqual({ retention_duration_seconds: 0 });
    expect((bucket.lifecycle_rule as unknown[]).length).toBe(2);
    expect(Object.values(resourcesOf(json, 'google_storage_bucket')).filter((b) => String(b.name).includes('a-very-long') && String(b.name).endsWith('logs'))).toHaveLength(0);
  });

  it('rejects bad bucket names, soft-delete windows and project ids', () => {
    const { stack } = testStack();
    expect(() => new IngestionBucket(stack, 'B', { projectId: 'Bad_Project', region: REGION, modelName: 'm', bucketName: 'Upper_Case', softDeleteDays: 3 }))
      .toThrow(/IngestionBucket projectId: got "Bad_Project"[\s\S]*IngestionBucket bucketName: got "Upper_Case"; expected 3-63 lowercase[\s\S]*IngestionBucket softDeleteDays: got 3; expected 0 \(off\) or an integer from 7 to 90/);
    expect(() => new IngestionBucket(stack, 'G', { projectId: PROJECT, region: REGION, modelName: 'm', bucketName: 'goog-data' }))
      .toThrow('IngestionBucket bucketName: got "goog-data"; expected 3-63 lowercase letters, digits, hyphens or underscores, starting and ending with a letter or digit, not starting with "goog" nor containing "google"');
  });

  it('refuses public principals on grants', () => {
    const { stack } = testStack();
    const bucket = new IngestionBucket(stack, 'B', { projectId: PROJECT, region: REGION, modelName: 'm' });
    expect(() => bucket.grantRead('allAuthenticatedUsers')).toThrow('IngestionBucket member[0]: got "allAuthenticatedUsers"');
    expect(() => bucket.grantCreate('serviceAccount:w@p.iam.gserviceaccount.com', 'out"/')).toThrow('IngestionBucket prefix: got "out\\"/"; expected a folder path ending in "/" without spaces, quotes, backslashes or wildcards');
  });
});

describe('IngestionBucket.fromBucketName', () => {
  it('grants folder-scoped access on an existing bucket without touching the bucket', () => {
    const { stack } = testStack();
    const bucket = IngestionBucket.fromBucketName(stack, 'Existing', 'platform-ml-landing');
    bucket.grantRead('serviceAccount:reader@p.iam.gserviceaccount.com', 'incoming/');
    bucket.grantCreate('serviceAccount:writer@p.iam.gserviceaccount.com', 'capture/churn/');
    const json = synth(stack);
    expect(bucket.bucketName).toBe('platform-ml-landing');
    expect(resourcesOf(json, 'google_storage_bucket')).toEqual({});
    expect(Object.values(resourcesOf(json, 'google_storage_bucket_iam_member')).map((g) => [g.role, (g.condition as { expression: string }).expression]).sort()).toEqual([
      ['roles/storage.objectCreator', 'resource.name.startsWith("projects/_/buckets/platform-ml-landing/objects/capture/churn/")'],
      ['roles/storage.objectViewer', 'resource.name.startsWith("projects/_/buckets/platform-ml-landing/objects/incoming/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("incoming/")'],
    ]);
  });

  it('refuses a bucket name GCS would not accept', () => {
    const { stack } = testStack();
    expect(() => IngestionBucket.fromBucketName(stack, 'Bad', 'Not_A_Bucket!')).toThrow('IngestionBucket fromBucketName(bucketName): got "Not_A_Bucket!"');
  });
});
