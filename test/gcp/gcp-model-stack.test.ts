import { TerraformVariable, Testing, Token } from 'cdktf';
import { DriftJob } from '../../lib/gcp/drift-job';
import { ModelAlerting } from '../../lib/gcp/model-alerting';
import { ModelService } from '../../lib/gcp/model-service';
import { setWarningSink } from '../../lib/core/warnings';
import { ServiceIdentity } from '../../lib/gcp/service-identity';
import { addGcpExample } from '../../bin/gcp-example';
import { GcpModelStack, GcpModelStackProps } from '../../lib/gcp/gcp-model-stack';
import { parseReviewMetadata, REVIEW_METADATA_KEY } from '../../lib/core/review-contract';
import { PORTABLE_DRIFT_JOB_MINUTES } from '../../lib/core/cost';
import { address, iamBindings, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

type Container = { env: { name: string; value: string }[] };
const envOf = (block: Record<string, unknown>): Record<string, string> => {
  if (block.service_config) return (block.service_config as { environment_variables: Record<string, string> }).environment_variables;
  const template = block.template as { containers?: Container[]; template?: { containers: Container[] } };
  return Object.fromEntries((template.containers ?? template.template!.containers)[0].env.map((e) => [e.name, e.value]));
};

const base: GcpModelStackProps = {
  projectId: 'example-project-id',
  region: 'us-central1',
  spec: { name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1', monitoring: { alarmEmails: ['oncall@example.com'] } },
};

describe('GcpModelStack', () => {
  // Warnings go to stderr when the app runs; here they would only clutter the test output.
  let stderrSink: (line: string) => void;
  beforeAll(() => { stderrSink = setWarningSink(() => undefined); });
  afterAll(() => setWarningSink(stderrSink));

  describe('the example in bin/gcp-example.ts', () => {
    let json: TfJson;
    let stack: GcpModelStack;
    beforeAll(() => {
      stack = addGcpExample(Testing.app());
      json = synth(stack);
    });

    it('synthesizes with a Google provider for the example project and no backend', () => {
      expect(json.provider!.google).toEqual([expect.objectContaining({ project: 'example-project-id', region: 'us-central1' })]);
      expect(json.terraform!.backend).toBeUndefined();
    });

    it('outputs the service URL, bucket, alert channels, dead-letter subscription and the drift folders', () => {
      expect(Object.keys(json.output!).sort()).toEqual([
        'alert_channel_ids', 'capture_uri', 'dead_letter_subscription', 'drift_baseline_uri', 'drift_job_name', 'ingestion_bucket', 'predict_url', 'retraining_topic', 'run_service_uri', 'service_url',
      ]);
      expect(json.output!.service_url.value).toMatch(/^\$\{google_cloud_run_v2_service\.Serving_Service_[0-9A-F]{8}\.uri\}$/);
      expect(json.output!.ingestion_bucket.value).toMatch(/^\$\{google_storage_bucket\.Ingestion_Bucket_[0-9A-F]{8}\.name\}$/);
      expect(json.output!.alert_channel_ids.value).toEqual([expect.stringMatching(/^\$\{google_monitoring_notification_channel\.Alerting_Email0_[0-9A-F]{8}\.name\}$/)]);
    });

    it('encrypts the bucket, the service and the batch topics with one key, and serves with IAM only', () => {
      const keys = Object.keys(resourcesOf(json, 'google_kms_crypto_key'));
      expect(keys).toHaveLength(1);
      const keyRef = `\${google_kms_crypto_key.${keys[0]}.id}`;
      expect(resource(json, 'google_storage_bucket', 'Ingestion/Bucket').encryption).toEqual({ default_kms_key_name: keyRef });
      expect(resource(json, 'google_cloud_run_v2_service', 'Serving/Service')).toMatchObject({ ingress: 'INGRESS_TRAFFIC_ALL', invoker_iam_disabled: false, template: { encryption_key: keyRef } });
      const keyGrant = `google_kms_crypto_key_iam_member.${resource(json, 'google_kms_crypto_key_iam_member', 'Key/Batch-PubsubAgentKey').logicalId}`;
      for (const topic of ['Batch/NotificationTopic', 'Batch/DeadLetterTopic']) {
        expect(resource(json, 'google_pubsub_topic', topic)).toMatchObject({ kms_key_name: keyRef, depends_on: expect.arrayContaining([keyGrant]) });
      }
      expect(resourcesOf(json, 'google_compute_backend_service')).toEqual({});
    });

    it('deploys the bundled batch function from an uploaded zip and captures batch traffic for the drift job', () => {
      const object = resource(json, 'google_storage_bucket_object', 'Batch/SourceObject');
      expect(object.source).toMatch(/^assets\/Batch_SourceAsset_[0-9A-F]{8}\/[0-9A-F]{32}\/archive\.zip$/);
      expect(resource(json, 'google_cloudfunctions2_function', 'Batch/Function')).toMatchObject({
        build_config: { entry_point: 'batchInference', source: { storage_source: { object: `\${google_storage_bucket_object.${object.logicalId}.name}` } } },
        service_config: { environment_variables: { CAPTURE_PREFIX: 'capture/example-model/', ERROR_PREFIX: 'errors/' } },
      });
      expect(stack.batch!.captureUri).toMatch(/^gs:\/\/.+\/capture\/example-model\/$/);
    });

    it('runs the drift job by default on the ingestion bucket\'s baseline/ and capture/<model>/ folders', () => {
      const bucketRef = `\${${address(json, 'google_storage_bucket', 'Ingestion/Bucket')}.name}`;
      expect(envOf(resource(json, 'google_cloudfunctions2_function', 'Drift/Function'))).toMatchObject({
        BASELINE_URI: `gs://${bucketRef}/baseline/`, CAPTURE_URI: `gs://${bucketRef}/capture/example-model/`, LOG_FORMAT: 'gcp',
      });
      expect(json.output!.drift_baseline_uri.value).toBe(`gs://${bucketRef}/baseline/`);
      expect(Object.values(resourcesOf(json, 'google_project_service')).map((s) => s.service)).toContain('cloudscheduler.googleapis.com');
    });

    it('lets the drift job read only the baseline folder and read and list only the capture folder', () => {
      const bucketRef = `\${${address(json, 'google_storage_bucket', 'Ingestion/Bucket')}.name}`;
      const drift = `serviceAccount:\${${address(json, 'google_service_account', 'Drift/ServiceAccount')}.email}`;
      const grants = Object.values(resourcesOf(json, 'google_storage_bucket_iam_member')).filter((g) => g.member === drift);
      expect(grants.map((g) => ({ bucket: g.bucket, role: g.role, expression: (g.condition as { expression: string }).expression }))).toEqual([
        { bucket: bucketRef, role: 'roles/storage.objectViewer', expression: `resource.name.startsWith("projects/_/buckets/${bucketRef}/objects/baseline/")` },
        {
          bucket: bucketRef, role: 'roles/storage.objectViewer',
          expression: `resource.name.startsWith("projects/_/buckets/${bucketRef}/objects/capture/example-model/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("capture/example-model/")`,
        },
      ]);
    });

    it('gives the service the capture folder as CAPTURE_URI, with create access under it only', () => {
      const bucketRef = `\${${address(json, 'google_storage_bucket', 'Ingestion/Bucket')}.name}`;
      expect(envOf(resource(json, 'google_cloud_run_v2_service', 'Serving/Service')).CAPTURE_URI).toBe(`gs://${bucketRef}/capture/example-model/`);
      expect(stack.captureUri).toBe(stack.batch!.captureUri);
      const serving = `serviceAccount:\${${address(json, 'google_service_account', 'Serving/ServiceAccount')}.email}`;
      // Besides reading its artifact's bucket, the only storage grant of the serving identity is this one.
      const grants = Object.values(resourcesOf(json, 'google_storage_bucket_iam_member')).filter((g) => g.member === serving && g.bucket !== 'example-project-id-artifacts');
      expect(grants).toEqual([expect.objectContaining({
        bucket: bucketRef, role: 'roles/storage.objectCreator',
        condition: expect.objectContaining({ expression: `resource.name.startsWith("projects/_/buckets/${bucketRef}/objects/capture/example-model/")` }),
      })]);
    });

    it('budgets the project at the spec ceiling, alerting the same email channels as the alert policies', () => {
      const budget = resource(json, 'google_billing_budget', 'Budget');
      const channels = json.output!.alert_channel_ids.value;
      expect(channels).toHaveLength(1);
      expect(budget).toMatchObject({
        billing_account: '000000-000000-000000',
        display_name: 'example-model monthly budget',
        amount: { specified_amount: { currency_code: 'USD', units: '500' } },
        all_updates_rule: { monitoring_notification_channels: channels, disable_default_iam_recipients: false },
        budget_filter: { projects: [expect.stringMatching(/^projects\/\$\{data\.google_project\.Budget_Project_[0-9A-F]{8}\.number\}$/)] },
      });
      expect((budget.threshold_rules as { threshold_percent: number; spend_basis: string }[]).map((r) => `${r.spend_basis}:${r.threshold_percent}`))
        .toEqual(['CURRENT_SPEND:0.5', 'CURRENT_SPEND:0.9', 'CURRENT_SPEND:1', 'FORECASTED_SPEND:1']);
      expect(Object.values(resourcesOf(json, 'google_project_service')).map((s) => s.service)).toContain('billingbudgets.googleapis.com');
    });

    it('records the spec and its cost choices for the review in the stack\'s "//" block', () => {
      const metadata = (stack.toTerraform() as { '//': Record<string, unknown> })['//'];
      expect(metadata[REVIEW_METADATA_KEY]).toEqual({
        version: 1,
        cloud: 'gcp',
        spec: {
          name: 'example-model',
          image: 'us-central1-docker.pkg.dev/example-project-id/models/example-model:1.0.0',
          modelArtifact: 'gs://example-project-id-artifacts/example-model/model.tar.gz',
          monitoring: { alarmEmails: ['ml-oncall@example.com'] },
          monthlyBudgetUsd: 500,
        },
        // latency, 5xx, CPU, saturation, any-feature drift, dead letters, drift job error, failure and silence
        costOptions: { alarmCount: 11, jobs: [{ item: 'Hourly drift job', runner: 'gcp-cloud-run-function', minutesPerRun: PORTABLE_DRIFT_JOB_MINUTES }] },
      });
      expect(parseReviewMetadata(metadata[REVIEW_METADATA_KEY], 'gcp-model')).toEqual({ entries: [expect.objectContaining({ cloud: 'gcp' })], problems: [] });
    });

    it('grants nothing to the public anywhere', () => {
      expect(JSON.stringify(json)).not.toMatch(/allUsers|allAuthenticatedUsers/);
    });

    it('makes every resource and data source wait for the APIs it may need', () => {
      const run = `google_project_service.${Object.keys(resourcesOf(json, 'google_project_service')).find((k) => k.startsWith('Apis_run_'))}`;
      for (const [type, blocks] of [...Object.entries(json.resource), ...Object.entries(json.data ?? {})]) {
        if (type === 'google_project_service') continue;
        for (const [id, block] of Object.entries(blocks)) expect([type, id, block.depends_on?.includes(run)]).toEqual([type, id, true]);
      }
    });
  });

  describe('behind the public load balancer, GPU, remote state', () => {
    let json: TfJson;
    beforeAll(() => {
      const app = Testing.app();
      const stack = new GcpModelStack(app, 'gpu', {
        ...base,
        region: 'europe-west4',
        spec: { ...base.spec, compute: 'gpu-a10g' },
        backend: { bucket: 'tf-state-bucket', prefix: 'models/churn' },
        publicApi: { domains: ['api.example.com'] },
        batch: { vpcConnector: 'projects/example-project-id/locations/europe-west4/connectors/ml' },
        service: { deletionProtection: false },
      });
      json = synth(stack);
    });

    it('stores state in the GCS backend', () => {
      expect(json.terraform!.backend).toEqual({ gcs: { bucket: 'tf-state-bucket', prefix: 'models/churn' } });
    });

    it('restricts ingress to the load balancer and outputs its address', () => {
      expect(resource(json, 'google_cloud_run_v2_service', 'Serving/Service')).toMatchObject({ ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', invoker_iam_disabled: false, deletion_protection: false });
      expect(json.output!.service_url.value).toBe('https://api.example.com');
      expect(json.output!.load_balancer_ip.value).toMatch(/google_compute_global_address/);
    });

    it('enables Compute Engine, IAP and VPC access, and routes batch egress through the connector', () => {
      const services = Object.values(resourcesOf(json, 'google_project_service')).map((s) => s.service);
      expect(services).toEqual(expect.arrayContaining(['compute.googleapis.com', 'iap.googleapis.com', 'vpcaccess.googleapis.com']));
      expect(resource(json, 'google_cloudfunctions2_function', 'Batch/Function').service_config).toMatchObject({
        vpc_connector: 'projects/example-project-id/locations/europe-west4/connectors/ml', vpc_connector_egress_settings: 'ALL_TRAFFIC',
      });
    });

    it('serves on an L4 GPU', () => {
      expect(resource(json, 'google_cloud_run_v2_service', 'Serving/Service').template).toMatchObject({ node_selector: { accelerator: 'nvidia-l4' }, gpu_zonal_redundancy_disabled: true });
    });
  });

  describe('drift job alerts', () => {
    const policies = (json: TfJson) => resourcesOf(json, 'google_monitoring_alert_policy');
    const conditionOf = (json: TfJson, id: string) => (resource(json, 'google_monitoring_alert_policy', id).conditions as Record<string, Record<string, unknown>>[])[0];

    it('watches the drift function for errors, failed runs and silence, on the email channel', () => {
      const stack = new GcpModelStack(Testing.app(), 'drift-alerts', base);
      const json = synth(stack);
      const channels = [`\${${address(json, 'google_monitoring_notification_channel', 'Alerting/Email0')}.name}`];
      expect(conditionOf(json, 'Alerting/DriftJobError').condition_matched_log).toMatchObject({
        filter: 'resource.type="cloud_run_revision" AND resource.labels.service_name="churn-drift" AND jsonPayload.event="drift_job_error"',
      });
      expect(resource(json, 'google_monitoring_alert_policy', 'Alerting/DriftJobError').alert_strategy).toMatchObject({ notification_rate_limit: { period: '3600s' } });
      // A failed run is a failed Cloud Scheduler attempt: refused calls (403), 5xx answers and timeouts alike.
      expect(conditionOf(json, 'Alerting/DriftJobFailed').condition_matched_log).toEqual({
        filter: 'resource.type="cloud_scheduler_job" AND resource.labels.job_id="churn-drift" AND severity>=ERROR',
      });
      expect(resource(json, 'google_monitoring_alert_policy', 'Alerting/DriftJobFailed').alert_strategy).toMatchObject({ notification_rate_limit: { period: '3600s' } });
      // The default schedule runs hourly: silent after two hours.
      expect(conditionOf(json, 'Alerting/DriftJobSilence').condition_absent).toMatchObject({ duration: '7200s' });
      expect((conditionOf(json, 'Alerting/DriftJobSilence').condition_absent as { filter: string }).filter).toContain('resource.type="cloud_run_revision"');
      expect(resource(json, 'google_logging_metric', 'Alerting/DriftSummaryMetric').filter)
        .toBe('resource.type="cloud_run_revision" AND resource.labels.service_name="churn-drift" AND jsonPayload.event="drift_summary" AND jsonPayload.model="churn"');
      for (const id of ['DriftJobError', 'DriftJobFailed', 'DriftJobSilence']) {
        expect(resource(json, 'google_monitoring_alert_policy', `Alerting/${id}`).notification_channels).toEqual(channels);
      }
      const metadata = (stack.toTerraform() as { '//': Record<string, { costOptions: unknown }> })['//'][REVIEW_METADATA_KEY];
      expect(metadata.costOptions).toEqual({ alarmCount: 11, jobs: [{ item: 'Hourly drift job', runner: 'gcp-cloud-run-function', minutesPerRun: PORTABLE_DRIFT_JOB_MINUTES }] });
      expect(stack.alerting!.conditionCount).toBe(11);
    });

    it('derives the silence window from a custom schedule: every 6 hours waits 7 hours', () => {
      const stack = new GcpModelStack(Testing.app(), 'drift-cron', { ...base, driftJob: { schedule: '0 */6 * * *' } });
      const json = synth(stack);
      expect(conditionOf(json, 'Alerting/DriftJobSilence').condition_absent).toMatchObject({ duration: '25200s' });
      expect(stack.node.metadata.filter((m) => m.type === '@cdktf/warn')).toEqual([]);
    });

    it('leaves the silence alert out for a schedule that skips days, and warns', () => {
      const stack = new GcpModelStack(Testing.app(), 'drift-weekdays', { ...base, driftJob: { schedule: '15 9 * * MON-FRI' } });
      const json = synth(stack);
      expect(Object.keys(policies(json)).filter((id) => id.includes('DriftJob')).map((id) => id.replace(/_[0-9A-F]{8}$/, '')))
        .toEqual(['Alerting_DriftJobError', 'Alerting_DriftJobFailed']);
      expect(stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual([
        'GcpModelStack driftJob: no "drift job silent" alert for schedule "15 9 * * MON-FRI" (it skips days or runs more than 22.5 h apart); set driftJob.maxHoursBetweenRuns to get one',
      ]);
      expect(stack.alerting!.conditionCount).toBe(10);
    });

    it('rejects an invalid cron with the reason', () => {
      expect(() => new GcpModelStack(Testing.app(), 'drift-bad', { ...base, driftJob: { schedule: '0 24 * * *' } }))
        .toThrow(/DriftJob schedule: got "0 24 \* \* \*"; expected a five-field cron expression .* such as "15 \* \* \* \*": hour field "24" is outside 0-23/);
    });

    it('waits the given gap of a custom schedule plus an hour, without a warning', () => {
      const stack = new GcpModelStack(Testing.app(), 'drift-gap', { ...base, driftJob: { schedule: '0 */6 * * *', maxHoursBetweenRuns: 6 } });
      const json = synth(stack);
      expect(conditionOf(json, 'Alerting/DriftJobSilence').condition_absent).toMatchObject({ duration: '25200s' });
      expect(stack.node.metadata.filter((m) => m.type === '@cdktf/warn')).toEqual([]);
    });

    it('creates no drift job alerts with driftJob: false', () => {
      const stack = new GcpModelStack(Testing.app(), 'drift-off', { ...base, driftJob: false });
      const json = synth(stack);
      expect(Object.keys(policies(json)).filter((id) => id.includes('DriftJob'))).toEqual([]);
      expect(Object.keys(resourcesOf(json, 'google_logging_metric')).filter((id) => id.includes('DriftSummary'))).toEqual([]);
      expect(stack.alerting!.driftJobErrorPolicy).toBeUndefined();
    });
  });

  it('points the drift job and the service at given folders, without batch inference', () => {
    const stack = new GcpModelStack(Testing.app(), 'drift', { ...base, batch: false, driftJob: { baselineUri: 'gs://b/churn/', captureUri: 'gs://c/churn/', schedule: '0 */6 * * *' } });
    const json = synth(stack);
    const fn = resource(json, 'google_cloudfunctions2_function', 'Drift/Function');
    expect(fn.name).toBe('churn-drift');
    expect(envOf(fn)).toMatchObject({ BASELINE_URI: 'gs://b/churn/', CAPTURE_URI: 'gs://c/churn/' });
    // Without batch inference, the drift function's code gets a source bucket of its own.
    expect(resource(json, 'google_storage_bucket', 'Drift/SourceBucket')).toMatchObject({ name: 'example-project-id-churn-drift-src', public_access_prevention: 'enforced' });
    expect(resource(json, 'google_cloud_scheduler_job', 'Drift/Schedule').schedule).toBe('0 */6 * * *');
    expect(envOf(resource(json, 'google_cloud_run_v2_service', 'Serving/Service')).CAPTURE_URI).toBe('gs://c/churn/');
    expect(resource(json, 'google_storage_bucket_iam_member', 'Serving/CaptureWriter')).toMatchObject({
      bucket: 'c', role: 'roles/storage.objectCreator', condition: { expression: 'resource.name.startsWith("projects/_/buckets/c/objects/churn/")' },
    });
  });

  it('follows a custom batch capture prefix with both the service and the drift job', () => {
    const stack = new GcpModelStack(Testing.app(), 'drift-prefix', { ...base, batch: { capturePrefix: 'traffic/churn/' } });
    const json = synth(stack);
    const folder = `gs://\${${address(json, 'google_storage_bucket', 'Ingestion/Bucket')}.name}/traffic/churn/`;
    expect(envOf(resource(json, 'google_cloudfunctions2_function', 'Drift/Function')).CAPTURE_URI).toBe(folder);
    expect(envOf(resource(json, 'google_cloud_run_v2_service', 'Serving/Service')).CAPTURE_URI).toBe(folder);
    expect(resource(json, 'google_cloudfunctions2_function', 'Batch/Function').service_config).toMatchObject({ environment_variables: { CAPTURE_PREFIX: 'traffic/churn/' } });
  });

  it('turns the drift job and online capture off with driftJob: false, and creates no budget without a ceiling', () => {
    const stack = new GcpModelStack(Testing.app(), 'no-drift', { ...base, driftJob: false });
    const json = synth(stack);
    expect(stack.driftJob).toBeUndefined();
    expect(resourcesOf(json, 'google_cloud_run_v2_job')).toEqual({});
    expect(Object.keys(resourcesOf(json, 'google_cloudfunctions2_function')).map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['Batch_Function', 'Retraining_Function']);
    expect(resourcesOf(json, 'google_cloud_scheduler_job')).toEqual({});
    expect(envOf(resource(json, 'google_cloud_run_v2_service', 'Serving/Service')).CAPTURE_URI).toBeUndefined();
    const services = Object.values(resourcesOf(json, 'google_project_service')).map((s) => s.service);
    expect(services).not.toContain('cloudscheduler.googleapis.com');
    expect(services).not.toContain('billingbudgets.googleapis.com');
    expect(resourcesOf(json, 'google_billing_budget')).toEqual({});
    expect(Object.keys(json.output!)).not.toContain('drift_job_name');
    // Batch inference still captures its own traffic; the review prices no drift job.
    expect(stack.batch!.captureUri).toBeDefined();
    const metadata = (stack.toTerraform() as { '//': Record<string, { costOptions: unknown }> })['//'][REVIEW_METADATA_KEY];
    expect(metadata.costOptions).toEqual({ alarmCount: 8, jobs: [] });
  });

  it('leaves out batch inference, alerting and API enablement when asked', () => {
    const stack = new GcpModelStack(Testing.app(), 'lean', { ...base, spec: { ...base.spec, monitoring: { enabled: false } }, batch: false, enableApis: false });
    const json = synth(stack);
    expect(resourcesOf(json, 'google_cloudfunctions2_function')).toEqual({});
    expect(resourcesOf(json, 'google_monitoring_alert_policy')).toEqual({});
    expect(resourcesOf(json, 'google_project_service')).toEqual({});
    expect(json.output!.alert_channel_ids.value).toEqual([]);
    expect(resourcesOf(json, 'google_cloud_run_v2_job')).toEqual({});
  });

  it('budgets without channels when monitoring is off: the billing account admins still get the emails', () => {
    const stack = new GcpModelStack(Testing.app(), 'quiet-budget', {
      ...base, batch: false, billingAccountId: '012345-6789AB-CDEF01', spec: { ...base.spec, monthlyBudgetUsd: 99.99, monitoring: { enabled: false } },
    });
    const budget = resource(synth(stack), 'google_billing_budget', 'Budget');
    expect(budget).toMatchObject({ billing_account: '012345-6789AB-CDEF01', amount: { specified_amount: { units: '99', nanos: 990000000 } }, all_updates_rule: { disable_default_iam_recipients: false } });
    expect((budget.all_updates_rule as Record<string, unknown>).monitoring_notification_channels).toBeUndefined();
  });

  describe('validation', () => {
    const attempt = (props: Partial<GcpModelStackProps>) => () => new GcpModelStack(Testing.app(), 'bad', { ...base, ...props });

    it('rejects a bad project id', () => {
      expect(attempt({ projectId: 'short' })).toThrow('GcpModelStack projectId: got "short"; expected 6-30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (a GCP project id)');
      expect(attempt({ projectId: '1starts-with-digit' })).toThrow('GcpModelStack projectId: got "1starts-with-digit"');
      expect(attempt({ projectId: 'ends-with-hyphen-' })).toThrow('GcpModelStack projectId: got "ends-with-hyphen-"');
    });

    it('rejects an unknown region', () => {
      expect(attempt({ region: 'us-middle1' })).toThrow('GcpModelStack region: got "us-middle1"; expected a Google Cloud region such as "us-central1"');
    });

    it('rejects a GPU class in a region without Cloud Run GPUs', () => {
      expect(attempt({ region: 'us-west2', spec: { ...base.spec, compute: 'ml.g5.xlarge' } }))
        .toThrow('GcpModelStack region: got "us-west2"; expected a region with Cloud Run GPUs for compute "gpu-a10g"');
    });

    it('rejects min instances above max instances', () => {
      expect(attempt({ spec: { ...base.spec, scaling: { minInstances: 3, maxInstances: 2 } } }))
        .toThrow('GcpModelStack spec.scaling.minInstances: got 3; expected at most scaling.maxInstances (2)');
    });

    it('rejects bad bucket names and emails', () => {
      expect(attempt({ backend: { bucket: 'Bad Bucket' }, ingestion: { bucketName: 'my-google-bucket' }, spec: { ...base.spec, monitoring: { alarmEmails: ['oncall.example.com'] } } }))
        .toThrow(/3 invalid props:[\s\S]*GcpModelStack spec.monitoring.alarmEmails\[0\]: got "oncall.example.com"; expected an email address[\s\S]*GcpModelStack backend.bucket: got "Bad Bucket"[\s\S]*GcpModelStack ingestion.bucketName: got "my-google-bucket"/);
    });

    it('requires a capture folder for the default drift job when batch inference or its capture is off', () => {
      const expected = 'GcpModelStack driftJob.captureUri: got undefined; expected a gs:// folder of captured requests when batch inference (or its capture) is off, or driftJob: false';
      expect(attempt({ batch: { capturePrefix: false } })).toThrow(expected);
      expect(attempt({ batch: false, driftJob: { baselineUri: 'gs://b/churn/' } })).toThrow(expected);
      expect(attempt({ batch: false, driftJob: false })).not.toThrow();
    });

    it('keeps batch prefixes out of the default baseline folder', () => {
      expect(attempt({ batch: { outputPrefix: 'baseline/predictions/', inputPrefix: 'base/' } }))
        .toThrow('GcpModelStack batch.outputPrefix: got "baseline/predictions/"; expected a prefix outside "baseline/", the drift baseline\'s folder (or set driftJob.baselineUri)');
      expect(attempt({ batch: { outputPrefix: 'baseline/predictions/' }, driftJob: { baselineUri: 'gs://b/churn/' } })).not.toThrow();
    });

    it('requires a well-formed billing account when the spec sets a monthly budget', () => {
      const budgetSpec = { ...base.spec, monthlyBudgetUsd: 500 };
      expect(attempt({ spec: budgetSpec }))
        .toThrow('GcpModelStack billingAccountId: got undefined; expected a Cloud Billing account id such as "012345-6789AB-CDEF01" (gcloud billing accounts list) when spec.monthlyBudgetUsd is set');
      expect(attempt({ spec: budgetSpec, billingAccountId: '0123456789ABCDEF01' }))
        .toThrow('GcpModelStack billingAccountId: got "0123456789ABCDEF01"; expected a Cloud Billing account id such as "012345-6789AB-CDEF01" (gcloud billing accounts list)');
    });

    it('refuses more alarm emails than a budget can notify', () => {
      const emails = Array.from({ length: 6 }, (_, i) => `oncall${i}@example.com`);
      expect(attempt({ billingAccountId: '012345-6789AB-CDEF01', spec: { ...base.spec, monthlyBudgetUsd: 500, monitoring: { alarmEmails: emails } } }))
        .toThrow(/GcpModelStack spec.monitoring.alarmEmails: got \["oncall0@example.com"[\s\S]*; expected at most 5 addresses when spec.monthlyBudgetUsd is set \(a budget notifies at most 5 channels; use a group address\)/);
    });

    it('rejects a drift job gap beyond what a silence alert can wait', () => {
      expect(attempt({ driftJob: { maxHoursBetweenRuns: 24 } }))
        .toThrow('GcpModelStack driftJob.maxHoursBetweenRuns: got 24; expected a number from 0.05 to 22.5');
    });

    it('requires a VPC connector for batch inference behind the load balancer', () => {
      expect(attempt({ publicApi: { domains: ['api.example.com'] } }))
        .toThrow('GcpModelStack batch.vpcConnector: got undefined; expected a Serverless VPC Access connector when publicApi restricts the service ingress (or batch: false)');
    });

    it('refuses what the serving plane cannot pull or read, with the other problems at once', () => {
      expect(attempt({ spec: { ...base.spec, image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:1', modelArtifact: 's3://models/churn.tar.gz' }, region: 'us-middle1' }))
        .toThrow(/GcpModelStack region: got "us-middle1"[\s\S]*GcpModelStack spec.image: got "123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/churn:1"; expected an image Cloud Run can pull: it cannot pull from Amazon ECR \(no AWS credentials on GCP\); copy it to Artifact Registry[\s\S]*GcpModelStack spec.modelArtifact: got "s3:\/\/models\/churn\.tar\.gz"; expected an artifact the GCP serving identity can read: nothing on GCP holds credentials for s3:\/\//);
    });
  });

  describe('no package is downloaded at run time', () => {
    it.each<[string, Partial<GcpModelStackProps>]>([
      ['the defaults', {}],
      ['no batch inference', { batch: false, driftJob: { captureUri: 'gs://c/churn/' } }],
      ['a prebuilt drift image', { driftJob: { image: 'us-central1-docker.pkg.dev/p/tools/drift-job:0.1.0' } }],
      ['a weekly drift job', { driftJob: { schedule: '0 6 * * MON' } }],
      ['private networking', { network: { subnetwork: 'serving', newConnector: { subnetwork: 'connector-28' } } }],
    ])('synthesizes no npx with %s', (_, props) => {
      const json = synth(new GcpModelStack(Testing.app(), 'no-npx', { ...base, ...props }));
      expect(JSON.stringify(json)).not.toMatch(/\bnpx\b|registry\.npmjs\.org|deploy-ai-smarter@/);
    });

    it('uploads both functions\' code, zipped at synth, into one private source bucket', () => {
      const json = synth(new GcpModelStack(Testing.app(), 'sources', base));
      expect(Object.keys(resourcesOf(json, 'google_storage_bucket')).map((id) => id.replace(/_[0-9A-F]{8}$/, '')).sort())
        .toEqual(['Batch_SourceBucket', 'Ingestion_AccessLogBucket', 'Ingestion_Bucket']);
      const bucketRef = `\${${address(json, 'google_storage_bucket', 'Batch/SourceBucket')}.name}`;
      expect(resource(json, 'google_storage_bucket_object', 'Drift/SourceObject')).toMatchObject({ bucket: bucketRef, source: expect.stringMatching(/^assets\/Drift_SourceAsset_[0-9A-F]{8}\/[0-9A-F]{32}\/archive\.zip$/) });
      expect(resource(json, 'google_storage_bucket_object', 'Batch/SourceObject')).toMatchObject({ bucket: bucketRef });
    });
  });

  describe('existing infrastructure', () => {
    const KEY = 'projects/security-prj/locations/us-central1/keyRings/ml/cryptoKeys/data';
    const CHANNEL = 'projects/example-project-id/notificationChannels/987654321';
    let json: TfJson;
    beforeAll(() => {
      json = synth(new GcpModelStack(Testing.app(), 'existing', {
        ...base,
        spec: { ...base.spec, monitoring: {} },
        encryptionKeyId: KEY,
        ingestion: { existingBucketName: 'platform-ml-landing' },
        service: { serviceAccount: ServiceIdentity.fromEmail('churn-run@platform.iam.gserviceaccount.com') },
        batch: { serviceAccount: ServiceIdentity.fromEmail('churn-batch@platform.iam.gserviceaccount.com') },
        driftJob: {
          serviceAccount: ServiceIdentity.fromEmail('churn-drift@platform.iam.gserviceaccount.com'),
          schedulerServiceAccount: ServiceIdentity.fromEmail('churn-sched@platform.iam.gserviceaccount.com'),
        },
        alerting: { notificationChannels: [CHANNEL] },
        // The retraining signal brings its own pubsub channel and account: off here.
        retraining: false,
      }));
    });

    it('creates no bucket, key, service account or channel of its own', () => {
      expect(Object.keys(resourcesOf(json, 'google_storage_bucket')).map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['Batch_SourceBucket']);
      for (const type of ['google_kms_crypto_key', 'google_kms_key_ring', 'google_service_account', 'google_monitoring_notification_channel']) {
        expect(resourcesOf(json, type)).toEqual({});
      }
    });

    it('encrypts the service and the topics with the existing key, granting its service agents on that key only', () => {
      expect(resource(json, 'google_cloud_run_v2_service', 'Serving/Service').template).toMatchObject({ encryption_key: KEY, service_account: 'churn-run@platform.iam.gserviceaccount.com' });
      expect(resource(json, 'google_pubsub_topic', 'Batch/NotificationTopic').kms_key_name).toBe(KEY);
      const grants = Object.values(resourcesOf(json, 'google_kms_crypto_key_iam_member'));
      expect(grants.map((g) => g.crypto_key_id)).toEqual([KEY, KEY]);
      expect(grants.map((g) => g.member as string).sort()).toEqual([
        expect.stringMatching(/^serviceAccount:service-\$\{data\.google_project\..*\.number\}@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/),
        expect.stringMatching(/^serviceAccount:service-\$\{data\.google_project\..*\.number\}@serverless-robot-prod\.iam\.gserviceaccount\.com$/),
      ]);
    });

    it('wires batch, capture and drift to the existing bucket with folder-scoped grants for the given accounts only', () => {
      const grants = Object.values(resourcesOf(json, 'google_storage_bucket_iam_member'))
        .map((g) => ({ member: (g.member as string).replace(/^serviceAccount:|@platform\.iam\.gserviceaccount\.com$/g, ''), role: g.role, bucket: g.bucket, expression: (g.condition as { expression: string } | undefined)?.expression }))
        .sort((a, b) => `${a.member}${a.expression}`.localeCompare(`${b.member}${b.expression}`));
      const on = (prefix: string, list = false) => `resource.name.startsWith("projects/_/buckets/platform-ml-landing/objects/${prefix}")`
        + (list ? ` || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("${prefix}")` : '');
      expect(grants).toEqual([
        { member: 'churn-batch', role: 'roles/storage.objectCreator', bucket: 'platform-ml-landing', expression: on('capture/churn/') },
        { member: 'churn-batch', role: 'roles/storage.objectUser', bucket: 'platform-ml-landing', expression: on('errors/') },
        { member: 'churn-batch', role: 'roles/storage.objectViewer', bucket: 'platform-ml-landing', expression: on('incoming/') },
        { member: 'churn-batch', role: 'roles/storage.objectUser', bucket: 'platform-ml-landing', expression: on('predictions/') },
        { member: 'churn-drift', role: 'roles/storage.objectViewer', bucket: 'platform-ml-landing', expression: on('baseline/') },
        { member: 'churn-drift', role: 'roles/storage.objectViewer', bucket: 'platform-ml-landing', expression: on('capture/churn/', true) },
        { member: 'churn-run', role: 'roles/storage.objectCreator', bucket: 'platform-ml-landing', expression: on('capture/churn/') },
      ]);
      expect(resource(json, 'google_storage_notification', 'Batch/Notification')).toMatchObject({ bucket: 'platform-ml-landing', object_name_prefix: 'incoming/' });
      expect(resource(json, 'google_cloudfunctions2_function', 'Drift/Function').service_config).toMatchObject({
        service_account_email: 'churn-drift@platform.iam.gserviceaccount.com',
        environment_variables: { BASELINE_URI: 'gs://platform-ml-landing/baseline/', CAPTURE_URI: 'gs://platform-ml-landing/capture/churn/' },
      });
      expect(iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name').map((b) => b.member).sort()).toEqual([
        'serviceAccount:churn-batch@platform.iam.gserviceaccount.com', 'serviceAccount:churn-batch@platform.iam.gserviceaccount.com', 'serviceAccount:churn-sched@platform.iam.gserviceaccount.com',
      ]);
    });

    it('alerts the existing channels from every policy', () => {
      for (const policy of Object.values(resourcesOf(json, 'google_monitoring_alert_policy'))) expect(policy.notification_channels).toEqual([CHANNEL]);
      expect(json.output!.alert_channel_ids.value).toEqual([CHANNEL]);
    });

    it('refuses an existing bucket next to settings of a new one, a key in another region, and channels next to alarm emails', () => {
      expect(() => new GcpModelStack(Testing.app(), 'bad', {
        ...base, encryptionKeyId: KEY.replace('us-central1', 'europe-west4'),
        ingestion: { existingBucketName: 'platform-ml-landing', softDeleteDays: 30 }, alerting: { notificationChannels: [CHANNEL] },
      })).toThrow(/GcpModelStack ingestion.softDeleteDays: got 30; expected nothing with ingestion.existingBucketName[\s\S]*GcpModelStack encryptionKeyId: got .*; expected a key in us-central1/);
      expect(() => new GcpModelStack(Testing.app(), 'both', { ...base, alerting: { notificationChannels: [CHANNEL] } }))
        .toThrow(/ModelAlerting notificationChannels: got .*; expected no channels while spec.monitoring.alarmEmails creates email channels/);
    });
  });

  describe('tokens', () => {
    it('accepts the project, region, invokers, alarm emails and channels as tokens', () => {
      // GcpModelStack is the TerraformStack, so its props cannot reference its own variables: validation sees the same
      // encoded tokens a variable of an enclosing module or a Fn call would give.
      const project = '${TfToken[TOKEN.101]}';
      const region = '${TfToken[TOKEN.102]}';
      const list = (n: number) => [`#{TfToken[TOKEN.${n}]}`];
      expect(() => new GcpModelStack(Testing.app(), 'tokens', {
        ...base, projectId: project, region, invokers: list(103), spec: { ...base.spec, compute: 'gpu-a10g', monitoring: { alarmEmails: list(104) } },
      })).not.toThrow();
      expect(() => new GcpModelStack(Testing.app(), 'token-channels', {
        ...base, projectId: project, region, spec: { ...base.spec, monitoring: {}, monthlyBudgetUsd: 100 }, billingAccountId: '012345-6789AB-CDEF01', alerting: { notificationChannels: list(105) },
      })).not.toThrow();
    });

    it('synthesizes the constructs with project, region and list variables of the enclosing stack', () => {
      const { stack } = testStack();
      const variable = (name: string, type = 'string') => new TerraformVariable(stack, name, { type });
      const projectId = variable('project').stringValue;
      const region = variable('region').stringValue;
      const spec = { ...base.spec, monitoring: { alarmEmails: Token.asList(variable('emails', 'list(string)').value) } };
      const service = new ModelService(stack, 'Serving', { spec, projectId, region, invokers: Token.asList(variable('invokers', 'list(string)').value) });
      const drift = new DriftJob(stack, 'Drift', { spec, projectId, region, baselineUri: 'gs://b/baseline/', captureUri: 'gs://b/capture/churn/' });
      new ModelAlerting(stack, 'Alerting', { spec, projectId, service, driftJob: { jobName: drift.runnerName, runtime: drift.runtime, schedulerJobName: drift.schedulerName } });
      const json = synth(stack);
      expect(resource(json, 'google_cloud_run_v2_service', 'Serving/Service')).toMatchObject({ project: '${var.project}', location: '${var.region}' });
      expect(resource(json, 'google_cloudfunctions2_function', 'Drift/Function')).toMatchObject({ project: '${var.project}', location: '${var.region}' });
      expect(resource(json, 'google_storage_bucket', 'Drift/SourceBucket').name).toBe('${var.project}-churn-drift-src');
      expect(resource(json, 'google_cloud_run_v2_service_iam_member', 'Serving/Invokers')).toMatchObject({ for_each: '${toset(var.invokers)}' });
      expect(resource(json, 'google_monitoring_notification_channel', 'Alerting/Emails')).toMatchObject({ for_each: '${toset(var.emails)}' });
    });
  });

  describe('warnings', () => {
    it('prints each warning to whoever runs the app, as well as recording it', () => {
      const printed: string[] = [];
      const quiet = setWarningSink((line) => printed.push(line));
      const stack = new GcpModelStack(Testing.app(), 'warned', { ...base, driftJob: { schedule: '30 2 * * 1' } });
      setWarningSink(quiet);
      const recorded = stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data);
      expect(recorded).toHaveLength(1);
      expect(printed).toEqual([`[deploy-ai-smarter] WARNING warned: ${recorded[0]}`]);
    });
  });
});

describe('GcpModelStack model quality and retraining', () => {
  const qualitySpec = {
    name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1',
    monitoring: { alarmEmails: ['ml@example.com'], quality: { problemType: 'BinaryClassification' as const, minAccuracy: 0.8 } },
  };
  let stack: GcpModelStack;
  let json: TfJson;
  beforeAll(() => {
    stack = new GcpModelStack(Testing.app(), 'quality', { spec: qualitySpec, projectId: 'example-project-id', region: 'us-central1' });
    json = synth(stack);
  });

  it('deploys the quality job on the stack\'s capture folder and a ground-truth folder of the ingestion bucket, sharing the batch source bucket', () => {
    const env = (resource(json, 'google_cloudfunctions2_function', 'Quality/Function').service_config as { environment_variables: Record<string, string> }).environment_variables;
    const bucket = `\${${address(json, 'google_storage_bucket', 'Ingestion/Bucket')}.name}`;
    expect(env).toMatchObject({ QUALITY_CAPTURE_URI: `gs://${bucket}/capture/churn/`, QUALITY_GROUND_TRUTH_URI: `gs://${bucket}/ground-truth/churn/`, LOG_FORMAT: 'gcp', QUALITY_MIN_ACCURACY: '0.8' });
    expect(resource(json, 'google_storage_bucket_object', 'Quality/SourceObject').bucket).toBe(`\${${address(json, 'google_storage_bucket', 'Batch/SourceBucket')}.name}`);
    expect(json.output!.ground_truth_uri.value).toBe(`gs://${bucket}/ground-truth/churn/`);
    expect(json.output!.retraining_topic.value).toBe(`\${${address(json, 'google_pubsub_topic', 'Retraining/Topic')}.id}`);
  });

  it('watches the quality job and signals retraining from the drift and quality policies, with the stack key on the retraining topics', () => {
    expect(resource(json, 'google_monitoring_alert_policy', 'Alerting/QualityJobError').conditions).toEqual([expect.objectContaining({
      condition_matched_log: expect.objectContaining({ filter: 'resource.type="cloud_run_revision" AND resource.labels.service_name="churn-quality" AND jsonPayload.event="quality_job_error"' }),
    })]);
    const channel = `\${${address(json, 'google_monitoring_notification_channel', 'Retraining/Channel')}.name}`;
    expect(resource(json, 'google_monitoring_alert_policy', 'Alerting/QualityThresholds').notification_channels).toContain(channel);
    expect(resource(json, 'google_monitoring_alert_policy', 'Alerting/FeatureDrift').notification_channels).toContain(channel);
    expect(resource(json, 'google_monitoring_alert_policy', 'Alerting/LatencyP99').notification_channels).not.toContain(channel);
    expect(resource(json, 'google_pubsub_topic', 'Retraining/Topic').kms_key_name).toBe(`\${${address(json, 'google_kms_crypto_key', 'Key/CryptoKey')}.id}`);
    const rules = JSON.parse((resource(json, 'google_cloudfunctions2_function', 'Retraining/Function').service_config as { environment_variables: Record<string, string> }).environment_variables.RETRAINING_RULES);
    expect(rules).toEqual(stack.alerting!.retrainingRules);
    const metadata = (stack.toTerraform() as { '//': Record<string, { costOptions: { jobs: unknown[] } }> })['//'][REVIEW_METADATA_KEY];
    expect(metadata.costOptions.jobs).toContainEqual({ item: 'Model-quality job', runner: 'gcp-cloud-run-function', runsPerMonth: 30, minutesPerRun: 5, memoryGb: 1 });
  });

  it('leaves both out when asked, and needs a capture folder when nothing captures', () => {
    const off = synth(new GcpModelStack(Testing.app(), 'quality-off', { spec: qualitySpec, projectId: 'example-project-id', region: 'us-central1', qualityJob: false, retraining: false }));
    expect(Object.keys(resourcesOf(off, 'google_cloudfunctions2_function')).map((id) => id.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual(['Batch_Function', 'Drift_Function']);
    expect(() => new GcpModelStack(Testing.app(), 'quality-nocapture', { spec: qualitySpec, projectId: 'example-project-id', region: 'us-central1', batch: false, driftJob: false }))
      .toThrow('GcpModelStack qualityJob.captureUri: got undefined; expected a gs:// folder of captured predictions when neither the drift job nor batch inference captures');
  });
});
