import { Testing } from 'cdktf';
import { EXAMPLES } from '../../../examples';
import { estimateMonthlyCost } from '../../../lib/core';
import { REVIEW_METADATA_KEY, ReviewMetadata } from '../../../lib/core/review-contract';
import { GcpModelStack, GcpModelStackProps } from '../../../lib/gcp/gcp-model-stack';
import { address, resource, resourcesOf, synth, TfJson } from './tf-json';

const base: GcpModelStackProps = {
  projectId: 'example-project-id',
  region: 'us-central1',
  serving: 'vertex-ai',
  spec: {
    name: 'chat', huggingFaceModelId: 'google/gemma-2-2b-it', compute: 'gpu-a10g', scaling: { minInstances: 1, maxInstances: 2 },
    monitoring: { alarmEmails: ['oncall@example.com'], latencyP99Ms: 5000 }, monthlyBudgetUsd: 2000,
  },
  billingAccountId: '012345-6789AB-CDEF01',
  invokers: ['serviceAccount:app@example-project-id.iam.gserviceaccount.com'],
};

describe('GcpModelStack with serving "vertex-ai"', () => {
  let json: TfJson;
  let stack: GcpModelStack;
  beforeAll(() => {
    stack = new GcpModelStack(Testing.app(), 'vertex', base);
    json = synth(stack);
  });
  const endpointId = () => `\${${address(json, 'google_vertex_ai_endpoint_with_model_garden_deployment', 'Vertex/Deployment')}.endpoint}`;
  const policy = (id: string) => resource(json, 'google_monitoring_alert_policy', `Alerting/${id}`);
  const condition = (id: string) => (policy(id).conditions as { condition_threshold: Record<string, unknown> }[])[0].condition_threshold;

  it('deploys the Model Garden model and none of the Cloud Run pieces', () => {
    expect(resource(json, 'google_vertex_ai_endpoint_with_model_garden_deployment', 'Vertex/Deployment')).toMatchObject({ hugging_face_model_id: 'google/gemma-2-2b-it' });
    for (const type of ['google_cloud_run_v2_service', 'google_storage_bucket', 'google_kms_crypto_key', 'google_cloudfunctions2_function']) {
      expect(resourcesOf(json, type)).toEqual({});
    }
    expect(stack.service).toBeUndefined();
    expect(stack.vertex!.machine.machineType).toBe('g2-standard-4');
  });

  it('alerts on p99 latency, error ratio and replicas at max of this endpoint, to the email channel', () => {
    const filter = (metric: string) => `resource.type="aiplatform.googleapis.com/Endpoint" AND resource.label.endpoint_id="${endpointId()}" AND metric.type="aiplatform.googleapis.com/prediction/online/${metric}"`;
    const channel = `\${${address(json, 'google_monitoring_notification_channel', 'Alerting/Email0')}.name}`;
    expect(Object.keys(resourcesOf(json, 'google_monitoring_alert_policy'))).toHaveLength(3);
    expect(condition('Latency')).toMatchObject({
      filter: `${filter('prediction_latencies')} AND metric.label.latency_type="total"`, threshold_value: 5000, comparison: 'COMPARISON_GT',
      aggregations: [{ per_series_aligner: 'ALIGN_DELTA', cross_series_reducer: 'REDUCE_PERCENTILE_99' }],
    });
    expect(condition('ErrorRate')).toMatchObject({ filter: filter('error_count'), denominator_filter: filter('response_count'), threshold_value: 0.05 });
    expect(condition('ReplicasAtMax')).toMatchObject({ filter: filter('replicas'), threshold_value: 1.5, aggregations: [{ per_series_aligner: 'ALIGN_MAX' }] });
    expect(policy('Latency').notification_channels).toEqual([channel]);
    expect(resource(json, 'google_monitoring_notification_channel', 'Alerting/Email0')).toMatchObject({ type: 'email', labels: { email_address: 'oncall@example.com' } });
  });

  it('budgets the project, grants invokers the predict role, and enables the Vertex AI API before anything else', () => {
    expect(resource(json, 'google_billing_budget', 'Budget')).toMatchObject({ billing_account: '012345-6789AB-CDEF01' });
    expect(Object.values(resourcesOf(json, 'google_project_iam_member')).map((m) => m.member)).toEqual(['serviceAccount:app@example-project-id.iam.gserviceaccount.com']);
    const apis = Object.values(resourcesOf(json, 'google_project_service')).map((s) => s.service).sort();
    expect(apis).toEqual(['aiplatform.googleapis.com', 'billingbudgets.googleapis.com', 'cloudresourcemanager.googleapis.com', 'iam.googleapis.com', 'monitoring.googleapis.com']);
    expect(resource(json, 'google_vertex_ai_endpoint_with_model_garden_deployment', 'Vertex/Deployment').depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^google_project_service\.Apis_aiplatform_[0-9A-F]{8}$/)]));
  });

  it('outputs the endpoint, and records the Vertex AI serving for the review, which prices it on the Vertex machine', () => {
    expect(Object.keys(json.output!).sort()).toEqual(['alert_channel_ids', 'endpoint_id', 'endpoint_name']);
    const metadata = (stack.toTerraform() as { '//': Record<string, ReviewMetadata> })['//'][REVIEW_METADATA_KEY];
    expect(metadata.costOptions).toEqual({ gcpServing: 'vertex-ai', alarmCount: 3, jobs: [], keyCount: 0 });
    expect(estimateMonthlyCost(metadata.spec, 'gcp', metadata.costOptions).machineType).toBe('g2-standard-4 + NVIDIA_L4');
  });

  it('outputs the shared predict URL without a dedicated endpoint, and records a publisher model as the server', () => {
    const sharedStack = new GcpModelStack(Testing.app(), 'shared', {
      ...base, spec: { name: 'gemma', compute: 'gpu-a10g' }, vertex: { dedicatedEndpoint: false, publisherModelName: 'publishers/google/models/gemma3@gemma-3-1b-it' },
    });
    const shared = synth(sharedStack);
    expect(shared.output!.predict_url.value).toMatch(/^https:\/\/us-central1-aiplatform\.googleapis\.com\/v1\/projects\/example-project-id\/locations\/us-central1\/endpoints\/\$\{.*\.endpoint\}:predict$/);
    const metadata = (sharedStack.toTerraform() as { '//': Record<string, ReviewMetadata> })['//'][REVIEW_METADATA_KEY];
    expect(metadata.spec.image).toBe('publishers/google/models/gemma3@gemma-3-1b-it');
  });

  it('refuses the Cloud Run props, a CPU threshold, a missing billing account and an own image, each with the reason', () => {
    expect(() => new GcpModelStack(Testing.app(), 'bad', {
      ...base, billingAccountId: undefined, publicApi: { domains: ['api.example.com'] }, batch: {}, alerting: { cpuUtilizationThreshold: 0.8 },
    })).toThrow(new RegExp([
      'GcpModelStack publicApi: got \\{"domains":\\["api.example.com"\\]\\}; expected nothing with serving "vertex-ai" \\(it configures the Cloud Run serving\\)',
      'GcpModelStack batch: got \\{\\}; expected nothing with serving "vertex-ai"',
      'GcpModelStack alerting.cpuUtilizationThreshold: got 0.8',
      'GcpModelStack billingAccountId: got undefined',
    ].join('[\\s\\S]*')));
    expect(() => new GcpModelStack(Testing.app(), 'image', { ...base, spec: { name: 'x', image: 'us-docker.pkg.dev/p/r/x:1' } }))
      .toThrow('spec.image: got "us-docker.pkg.dev/p/r/x:1"; expected no image with serving "vertex-ai": no Terraform resource deploys a custom container to a Vertex AI endpoint');
    expect(() => new GcpModelStack(Testing.app(), 'typo', { ...base, serving: 'vertex' as never })).toThrow('GcpModelStack serving: got "vertex"; expected one of "cloud-run", "vertex-ai"');
    expect(() => new GcpModelStack(Testing.app(), 'run', { ...base, serving: undefined, spec: { name: 'x', image: 'us-docker.pkg.dev/p/r/x:1' }, vertex: { spot: true } }))
      .toThrow('GcpModelStack vertex: got {"spot":true}; expected nothing unless serving is "vertex-ai"');
  });

  it('the gcp-vertex-ai example synthesizes an L4 Model Garden deployment with alerts and budget', () => {
    const example = EXAMPLES.find((e) => e.name === 'gcp-vertex-ai');
    if (!example || example.kind !== 'cdktf') throw new Error('no cdktf example gcp-vertex-ai');
    const [exampleStack] = example.load()(Testing.app());
    const synthesized = synth(exampleStack);
    expect(resource(synthesized, 'google_vertex_ai_endpoint_with_model_garden_deployment', 'Vertex/Deployment')).toMatchObject({
      hugging_face_model_id: 'Qwen/Qwen2.5-1.5B-Instruct',
      deploy_config: { dedicated_resources: { machine_spec: { machine_type: 'g2-standard-8', accelerator_type: 'NVIDIA_L4' } } },
    });
    expect(Object.keys(resourcesOf(synthesized, 'google_monitoring_alert_policy'))).toHaveLength(3);
    expect(Object.keys(resourcesOf(synthesized, 'google_billing_budget'))).toHaveLength(1);
  });
});
