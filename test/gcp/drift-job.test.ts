import { DriftJob } from '../../lib/gcp/drift-job';
import { ServiceIdentity } from '../../lib/gcp/service-identity';
import { address, iamBindings, PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

const spec = { name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1', monitoring: { driftThreshold: 0.15 } };
const folders = { baselineUri: 'gs://baselines/churn/', captureUri: 'gs://captures/churn/' };

describe('DriftJob', () => {
  describe('the default: a function whose code Terraform uploads', () => {
    let json: TfJson;
    beforeAll(() => {
      const { stack } = testStack();
      new DriftJob(stack, 'Drift', { spec, projectId: PROJECT, region: REGION, ...folders, windowHours: 2 });
      json = synth(stack);
    });
    const email = (path: string) => `\${${address(json, 'google_service_account', path)}.email}`;

    it('deploys the bundled drift function from a zip uploaded by Terraform, never a package download', () => {
      const object = resource(json, 'google_storage_bucket_object', 'Drift/SourceObject');
      expect(object.source).toMatch(/^assets\/Drift_SourceAsset_[0-9A-F]{8}\/[0-9A-F]{32}\/archive\.zip$/);
      expect(object.name).toMatch(/^deploy-ai-smarter\/churn-drift-function-[0-9a-f]{32}\.zip$/);
      expect(resource(json, 'google_storage_bucket', 'Drift/SourceBucket')).toMatchObject({
        name: `${PROJECT}-churn-drift-src`, uniform_bucket_level_access: true, public_access_prevention: 'enforced', force_destroy: false,
      });
      const fn = resource(json, 'google_cloudfunctions2_function', 'Drift/Function');
      expect(fn).toMatchObject({
        name: 'churn-drift',
        location: REGION,
        build_config: {
          runtime: 'nodejs22', entry_point: 'driftJob',
          source: { storage_source: { object: `\${google_storage_bucket_object.${object.logicalId}.name}` } },
        },
      });
      expect(JSON.stringify(json)).not.toMatch(/npx|registry\.npmjs|node:22-slim/);
      expect(resourcesOf(json, 'google_cloud_run_v2_job')).toEqual({});
    });

    it('runs privately, one run at a time, with an hour of captures worth of time and memory, and the drift job\'s environment', () => {
      const config = resource(json, 'google_cloudfunctions2_function', 'Drift/Function').service_config as Record<string, unknown>;
      expect(config).toMatchObject({
        ingress_settings: 'ALLOW_INTERNAL_ONLY', service_account_email: email('Drift/ServiceAccount'),
        timeout_seconds: 1800, available_memory: '2Gi', available_cpu: '1',
        max_instance_count: 1, max_instance_request_concurrency: 1, min_instance_count: 0,
      });
      expect(config.environment_variables).toEqual({
        MODEL_NAME: 'churn', BASELINE_URI: folders.baselineUri, CAPTURE_URI: folders.captureUri, DRIFT_THRESHOLD: '0.15', PSI_THRESHOLD: '0.2',
        WINDOW_HOURS: '2', LOG_FORMAT: 'gcp', DRIFT_EXIT_CODE: '0',
      });
      expect(config.vpc_connector).toBeUndefined();
    });

    it('is called by Cloud Scheduler with an OIDC token of its own account, which may invoke this function only', () => {
      const fn = address(json, 'google_cloudfunctions2_function', 'Drift/Function');
      const scheduler = `serviceAccount:${email('Drift/SchedulerServiceAccount')}`;
      expect(iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name')).toEqual([
        { role: 'roles/run.invoker', member: scheduler, target: `\${${fn}.service_config[0].service}` },
      ]);
      expect(JSON.stringify(json)).not.toMatch(/allUsers|allAuthenticatedUsers/);
      expect(resource(json, 'google_service_account', 'Drift/SchedulerServiceAccount')).toMatchObject({ account_id: 'churn-drift-sched' });
      expect(resource(json, 'google_cloud_scheduler_job', 'Drift/Schedule')).toMatchObject({
        name: 'churn-drift', schedule: '15 * * * *', time_zone: 'Etc/UTC', attempt_deadline: '1800s', retry_config: { retry_count: 1 },
        http_target: {
          http_method: 'POST', uri: `\${${fn}.url}`, body: Buffer.from('{}').toString('base64'), headers: { 'Content-Type': 'application/json' },
          oidc_token: { service_account_email: email('Drift/SchedulerServiceAccount'), audience: `\${${fn}.url}` },
        },
        depends_on: [
          address(json, 'google_cloud_run_v2_service_iam_member', 'Drift/SchedulerInvoker'),
          address(json, 'google_storage_bucket_iam_member', 'Drift/ReadBaseline'),
          address(json, 'google_storage_bucket_iam_member', 'Drift/ReadCapture'),
        ],
      });
    });

    it('reads the baseline folder and reads and lists the capture folder, nothing else', () => {
      const member = `serviceAccount:${email('Drift/ServiceAccount')}`;
      expect(Object.values(resourcesOf(json, 'google_storage_bucket_iam_member'))).toHaveLength(2);
      expect(resource(json, 'google_storage_bucket_iam_member', 'Drift/ReadBaseline')).toMatchObject({
        bucket: 'baselines', role: 'roles/storage.objectViewer', member,
        condition: { expression: 'resource.name.startsWith("projects/_/buckets/baselines/objects/churn/")' },
      });
      expect(resource(json, 'google_storage_bucket_iam_member', 'Drift/ReadCapture')).toMatchObject({
        bucket: 'captures', role: 'roles/storage.objectViewer', member,
        condition: { expression: 'resource.name.startsWith("projects/_/buckets/captures/objects/churn/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("churn/")' },
      });
      expect(resource(json, 'google_cloudfunctions2_function', 'Drift/Function').depends_on).toEqual([
        address(json, 'google_storage_bucket_iam_member', 'Drift/ReadBaseline'), address(json, 'google_storage_bucket_iam_member', 'Drift/ReadCapture'),
      ]);
    });
  });

  it('runs a prebuilt image as a Cloud Run job, with its own entrypoint and no download', () => {
    const { stack } = testStack();
    new DriftJob(stack, 'Drift', { spec, projectId: PROJECT, region: REGION, ...folders, image: 'us-central1-docker.pkg.dev/p/tools/drift-job:0.1.0' });
    const json = synth(stack);
    const job = resource(json, 'google_cloud_run_v2_job', 'Drift/Job');
    const container = (job.template as { template: { containers: Record<string, unknown>[] } }).template.containers[0];
    expect(container).toMatchObject({ image: 'us-central1-docker.pkg.dev/p/tools/drift-job:0.1.0', resources: { limits: { cpu: '1', memory: '2Gi' } } });
    expect(container.command).toBeUndefined();
    expect(container.args).toBeUndefined();
    expect(resourcesOf(json, 'google_cloudfunctions2_function')).toEqual({});
    expect(resourcesOf(json, 'google_storage_bucket')).toEqual({});
    expect(JSON.stringify(json)).not.toContain('npx');
    const jobName = `\${${address(json, 'google_cloud_run_v2_job', 'Drift/Job')}.name}`;
    const scheduler = `serviceAccount:\${${address(json, 'google_service_account', 'Drift/SchedulerServiceAccount')}.email}`;
    expect(iamBindings(json, 'google_cloud_run_v2_job_iam_member', 'name')).toEqual([{ role: 'roles/run.invoker', member: scheduler, target: jobName }]);
    expect(resource(json, 'google_cloud_scheduler_job', 'Drift/Schedule').http_target).toMatchObject({
      uri: `https://run.googleapis.com/v2/projects/${PROJECT}/locations/${REGION}/jobs/${jobName}:run`,
    });
  });

  it('runs as existing service accounts, granting them only what it would grant its own', () => {
    const { stack } = testStack();
    new DriftJob(stack, 'Drift', {
      spec, projectId: PROJECT, region: REGION, ...folders,
      serviceAccount: ServiceIdentity.fromEmail('ml-drift@platform-prj.iam.gserviceaccount.com'),
      schedulerServiceAccount: ServiceIdentity.fromEmail('ml-scheduler@platform-prj.iam.gserviceaccount.com'),
    });
    const json = synth(stack);
    expect(resourcesOf(json, 'google_service_account')).toEqual({});
    expect(resource(json, 'google_cloudfunctions2_function', 'Drift/Function').service_config).toMatchObject({ service_account_email: 'ml-drift@platform-prj.iam.gserviceaccount.com' });
    expect(Object.values(resourcesOf(json, 'google_storage_bucket_iam_member')).map((g) => g.member)).toEqual([
      'serviceAccount:ml-drift@platform-prj.iam.gserviceaccount.com', 'serviceAccount:ml-drift@platform-prj.iam.gserviceaccount.com',
    ]);
    expect(iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name').map((b) => b.member)).toEqual(['serviceAccount:ml-scheduler@platform-prj.iam.gserviceaccount.com']);
  });

  it('reads a whole bucket without a condition, and grants one folder once', () => {
    const { stack } = testStack();
    new DriftJob(stack, 'Whole', { spec, projectId: PROJECT, region: REGION, baselineUri: 'gs://everything', captureUri: 'gs://everything' });
    const whole = synth(stack);
    expect(Object.keys(resourcesOf(whole, 'google_storage_bucket_iam_member'))).toHaveLength(1);
    const grant = resource(whole, 'google_storage_bucket_iam_member', 'Whole/ReadBaseline');
    expect(grant).toMatchObject({ bucket: 'everything', role: 'roles/storage.objectViewer' });
    expect(grant.condition).toBeUndefined();
  });

  it('rejects non-GCS folders, bad schedules, a timeout past Cloud Scheduler\'s deadline and images Cloud Run cannot pull', () => {
    const { stack } = testStack();
    expect(() => new DriftJob(stack, 'D', { spec, projectId: PROJECT, region: REGION, baselineUri: 's3://b/', captureUri: 'gs://c/', schedule: 'hourly', timeoutSeconds: 3600 }))
      .toThrow(/DriftJob baselineUri: got "s3:\/\/b\/"; expected a gs:\/\/<bucket>\/<folder>\/ URI without spaces, quotes or backslashes[\s\S]*DriftJob schedule: got "hourly"; expected a five-field cron expression[\s\S]*DriftJob timeoutSeconds: got 3600; expected an integer from 60 to 1800/);
    expect(() => new DriftJob(stack, 'Q', { spec, projectId: PROJECT, region: REGION, baselineUri: 'gs://b/x") || true || ("/', captureUri: 'gs://c/' }))
      .toThrow('DriftJob baselineUri: got "gs://b/x\\") || true || (\\"/"');
    expect(() => new DriftJob(stack, 'M', { spec, projectId: PROJECT, region: REGION, ...folders, memory: '8Gi' }))
      .toThrow('DriftJob memory: got "8Gi"; expected a size from "256Mi" to "4Gi" (one vCPU allows at most 4 GiB)');
    expect(() => new DriftJob(stack, 'E', { spec, projectId: PROJECT, region: REGION, ...folders, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/drift-job:1', memory: '4Gi' }))
      .toThrow(/DriftJob image: got "123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/drift-job:1"; expected an image Cloud Run can pull: it cannot pull from Amazon ECR .*copy it to Artifact Registry[\s\S]*DriftJob memory: got "4Gi"; expected nothing with image/);
  });
});
