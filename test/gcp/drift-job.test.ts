import { DriftJob } from '../../lib/gcp/drift-job';
import { address, iamBindings, PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

const spec = { name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1', monitoring: { driftThreshold: 0.15 } };

describe('DriftJob', () => {
  let json: TfJson;
  beforeAll(() => {
    const { stack } = testStack();
    new DriftJob(stack, 'Drift', { spec, projectId: PROJECT, region: REGION, baselineUri: 'gs://baselines/churn/', captureUri: 'gs://captures/churn/', windowHours: 2 });
    json = synth(stack);
  });
  const member = () => `serviceAccount:\${${address(json, 'google_service_account', 'Drift/ServiceAccount')}.email}`;

  it('runs the drift job with Cloud Logging output, the spec thresholds and its own identity', () => {
    const job = resource(json, 'google_cloud_run_v2_job', 'Drift/Job');
    expect(job).toMatchObject({ name: 'churn-drift', location: REGION, template: { task_count: 1, template: { service_account: `\${${address(json, 'google_service_account', 'Drift/ServiceAccount')}.email}`, max_retries: 1 } } });
    const container = (job.template as { template: { containers: { env: { name: string; value: string }[]; image: string }[] } }).template.containers[0];
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ MODEL_NAME: 'churn', LOG_FORMAT: 'gcp', BASELINE_URI: 'gs://baselines/churn/', CAPTURE_URI: 'gs://captures/churn/', DRIFT_THRESHOLD: '0.15', WINDOW_HOURS: '2' });
  });

  it('reads the baseline folder and reads and lists the capture folder, nothing else', () => {
    const grants = Object.values(resourcesOf(json, 'google_storage_bucket_iam_member'));
    expect(grants).toHaveLength(2);
    expect(resource(json, 'google_storage_bucket_iam_member', 'Drift/ReadBaseline')).toMatchObject({
      bucket: 'baselines', role: 'roles/storage.objectViewer', member: member(),
      condition: { expression: 'resource.name.startsWith("projects/_/buckets/baselines/objects/churn/")' },
    });
    expect(resource(json, 'google_storage_bucket_iam_member', 'Drift/ReadCapture')).toMatchObject({
      bucket: 'captures', role: 'roles/storage.objectViewer', member: member(),
      condition: { expression: 'resource.name.startsWith("projects/_/buckets/captures/objects/churn/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("churn/")' },
    });
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

  it('is started hourly by Cloud Scheduler, which may run this job only', () => {
    const jobName = `\${${address(json, 'google_cloud_run_v2_job', 'Drift/Job')}.name}`;
    expect(iamBindings(json, 'google_cloud_run_v2_job_iam_member', 'name')).toEqual([{ role: 'roles/run.invoker', member: member(), target: jobName }]);
    expect(resource(json, 'google_cloud_scheduler_job', 'Drift/Schedule')).toMatchObject({
      schedule: '15 * * * *', time_zone: 'Etc/UTC',
      http_target: {
        http_method: 'POST',
        uri: `https://run.googleapis.com/v2/projects/${PROJECT}/locations/${REGION}/jobs/${jobName}:run`,
        oauth_token: { service_account_email: `\${${address(json, 'google_service_account', 'Drift/ServiceAccount')}.email}` },
      },
      depends_on: [
        address(json, 'google_cloud_run_v2_job_iam_member', 'Drift/Runner'),
        address(json, 'google_storage_bucket_iam_member', 'Drift/ReadBaseline'),
        address(json, 'google_storage_bucket_iam_member', 'Drift/ReadCapture'),
      ],
    });
  });

  it('rejects non-GCS folders and bad schedules', () => {
    const { stack } = testStack();
    expect(() => new DriftJob(stack, 'D', { spec, projectId: PROJECT, region: REGION, baselineUri: 's3://b/', captureUri: 'gs://c/', schedule: 'hourly' }))
      .toThrow(/DriftJob baselineUri: got "s3:\/\/b\/"; expected a gs:\/\/<bucket>\/<folder>\/ URI without spaces, quotes or backslashes[\s\S]*DriftJob schedule: got "hourly"; expected a five-field cron expression/);
    expect(() => new DriftJob(stack, 'Q', { spec, projectId: PROJECT, region: REGION, baselineUri: 'gs://b/x") || true || ("/', captureUri: 'gs://c/' }))
      .toThrow('DriftJob baselineUri: got "gs://b/x\\") || true || (\\"/"');
  });
});
