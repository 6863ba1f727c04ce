import { Testing } from 'cdktf';
import { addGcpExample } from '../../bin/gcp-example';
import { GcpModelStack, GcpModelStackProps } from '../../lib/gcp/gcp-model-stack';
import { resource, resourcesOf, synth, TfJson } from './private/tf-json';

const base: GcpModelStackProps = {
  projectId: 'example-project-id',
  region: 'us-central1',
  spec: { name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1', monitoring: { alarmEmails: ['oncall@example.com'] } },
};

describe('GcpModelStack', () => {
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

    it('outputs the service URL, bucket, alert channels and dead-letter subscription', () => {
      expect(Object.keys(json.output!).sort()).toEqual(['alert_channel_ids', 'dead_letter_subscription', 'ingestion_bucket', 'run_service_uri', 'service_url']);
      expect(json.output!.service_url.value).toMatch(/^\$\{google_cloud_run_v2_service\.Serving_Service_[0-9A-F]{8}\.uri\}$/);
      expect(json.output!.ingestion_bucket.value).toMatch(/^\$\{google_storage_bucket\.Ingestion_Bucket_[0-9A-F]{8}\.name\}$/);
      expect(json.output!.alert_channel_ids.value).toEqual([expect.stringMatching(/^\$\{google_monitoring_notification_channel\.Alerting_Email0_[0-9A-F]{8}\.name\}$/)]);
    });

    it('encrypts the bucket and the service with one key, and serves with IAM only', () => {
      const keys = Object.keys(resourcesOf(json, 'google_kms_crypto_key'));
      expect(keys).toHaveLength(1);
      const keyRef = `\${google_kms_crypto_key.${keys[0]}.id}`;
      expect(resource(json, 'google_storage_bucket', 'Ingestion/Bucket').encryption).toEqual({ default_kms_key_name: keyRef });
      expect(resource(json, 'google_cloud_run_v2_service', 'Serving/Service')).toMatchObject({ ingress: 'INGRESS_TRAFFIC_ALL', invoker_iam_disabled: false, template: { encryption_key: keyRef } });
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

  it('schedules the drift job when asked and enables Cloud Scheduler', () => {
    const stack = new GcpModelStack(Testing.app(), 'drift', { ...base, driftJob: { baselineUri: 'gs://b/churn/', captureUri: 'gs://c/churn/' } });
    const json = synth(stack);
    expect(resource(json, 'google_cloud_run_v2_job', 'Drift/Job').name).toBe('churn-drift');
    expect(Object.values(resourcesOf(json, 'google_project_service')).map((s) => s.service)).toContain('cloudscheduler.googleapis.com');
  });

  it('points the drift job at the batch captures by default, with read access to the ingestion bucket', () => {
    const json = synth(new GcpModelStack(Testing.app(), 'drift-batch', { ...base, driftJob: { baselineUri: 'gs://b/churn/' } }));
    const bucketRef = `\${google_storage_bucket.${resource(json, 'google_storage_bucket', 'Ingestion/Bucket').logicalId}.name}`;
    const env = (resource(json, 'google_cloud_run_v2_job', 'Drift/Job').template as { template: { containers: { env: { name: string; value: string }[] }[] } }).template.containers[0].env;
    expect(env).toContainEqual({ name: 'CAPTURE_URI', value: `gs://${bucketRef}/capture/churn/` });
    expect(Object.values(resourcesOf(json, 'google_storage_bucket_iam_member')).filter((g) => g.bucket === bucketRef && g.role === 'roles/storage.objectViewer' && String(g.member).includes('google_service_account.Drift_ServiceAccount'))).toHaveLength(1);
  });

  it('leaves out batch inference, alerting and API enablement when asked', () => {
    const stack = new GcpModelStack(Testing.app(), 'lean', { ...base, spec: { ...base.spec, monitoring: { enabled: false } }, batch: false, enableApis: false });
    const json = synth(stack);
    expect(resourcesOf(json, 'google_cloudfunctions2_function')).toEqual({});
    expect(resourcesOf(json, 'google_monitoring_alert_policy')).toEqual({});
    expect(resourcesOf(json, 'google_project_service')).toEqual({});
    expect(json.output!.alert_channel_ids.value).toEqual([]);
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

    it('requires a capture folder for the drift job when batch capture is off', () => {
      expect(attempt({ batch: { capturePrefix: false }, driftJob: { baselineUri: 'gs://b/churn/' } }))
        .toThrow('GcpModelStack driftJob.captureUri: got undefined; expected a gs:// folder of captured requests when batch inference (or its capture) is off');
    });

    it('requires a VPC connector for batch inference behind the load balancer', () => {
      expect(attempt({ publicApi: { domains: ['api.example.com'] } }))
        .toThrow('GcpModelStack batch.vpcConnector: got undefined; expected a Serverless VPC Access connector when publicApi restricts the service ingress (or batch: false)');
    });
  });
});
