import { TerraformVariable, Token } from 'cdktf';
import { VertexEndpoint } from '../../lib/gcp/vertex-endpoint';
import { address, PROJECT, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

const spec = { name: 'chat', huggingFaceModelId: 'google/gemma-2-2b-it', compute: 'gpu-a10g-2xlarge' as const, scaling: { minInstances: 1, maxInstances: 3 } };

describe('VertexEndpoint', () => {
  let json: TfJson;
  beforeAll(() => {
    const { stack } = testStack();
    new VertexEndpoint(stack, 'Chat', { spec, projectId: PROJECT, region: 'us-central1', invokers: ['group:ml-clients@example.com'] });
    json = synth(stack);
  });
  const deployment = () => resource(json, 'google_vertex_ai_endpoint_with_model_garden_deployment', 'Chat/Deployment');

  it('deploys the Hugging Face model on a dedicated endpoint with the class\'s machine, accelerator and replicas', () => {
    expect(deployment()).toMatchObject({
      project: PROJECT, location: 'us-central1', hugging_face_model_id: 'google/gemma-2-2b-it',
      endpoint_config: { endpoint_display_name: 'chat', dedicated_endpoint_enabled: true },
      model_config: { model_display_name: 'chat', accept_eula: false },
      deploy_config: {
        dedicated_resources: {
          machine_spec: { machine_type: 'g2-standard-8', accelerator_type: 'NVIDIA_L4', accelerator_count: 1 },
          min_replica_count: 1, max_replica_count: 3, spot: false,
          autoscaling_metric_specs: [{ metric_name: 'aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle', target: 60 }],
        },
      },
    });
    expect(deployment().publisher_model_name).toBeUndefined();
  });

  it('lets invokers predict through a custom role holding the predict permission only, never a public principal', () => {
    expect(resource(json, 'google_project_iam_custom_role', 'Chat/InvokerRole')).toMatchObject({
      project: PROJECT, role_id: 'deployAiSmarter_chat_invoker', permissions: ['aiplatform.endpoints.predict'],
    });
    expect(Object.values(resourcesOf(json, 'google_project_iam_member'))).toEqual([expect.objectContaining({
      member: 'group:ml-clients@example.com', role: `\${${address(json, 'google_project_iam_custom_role', 'Chat/InvokerRole')}.id}`,
    })]);
    const { stack } = testStack();
    expect(() => new VertexEndpoint(stack, 'E', { spec, projectId: PROJECT, region: 'us-central1', invokers: ['allUsers'] }))
      .toThrow('VertexEndpoint invokers[0]: got "allUsers"; expected an IAM principal');
  });

  it('grants a list known at apply time with for_each', () => {
    const { stack } = testStack();
    const members = Token.asList(new TerraformVariable(stack, 'invokers', { type: 'list(string)' }).value);
    new VertexEndpoint(stack, 'E', { spec, projectId: PROJECT, region: 'us-central1', invokers: members });
    expect(resource(synth(stack), 'google_project_iam_member', 'E/Invokers')).toMatchObject({ for_each: '${toset(var.invokers)}', member: '${each.value}' });
  });

  it('deploys a Model Garden publisher model on a CPU class with CPU autoscaling, shared endpoint, spot and EULA', () => {
    const { stack } = testStack();
    new VertexEndpoint(stack, 'E', {
      spec: { name: 'embed', compute: 'cpu-2xlarge', scaling: { minInstances: 2, maxInstances: 4 } }, projectId: PROJECT, region: 'europe-west1',
      publisherModelName: 'publishers/google/models/gemma3@gemma-3-1b-it', dedicatedEndpoint: false, spot: true, acceptEula: true, autoscalingTargetPercent: 70,
    });
    const created = resource(synth(stack), 'google_vertex_ai_endpoint_with_model_garden_deployment', 'E/Deployment');
    expect(created).toMatchObject({
      publisher_model_name: 'publishers/google/models/gemma3@gemma-3-1b-it',
      endpoint_config: { dedicated_endpoint_enabled: false },
      model_config: { accept_eula: true },
      deploy_config: { dedicated_resources: {
        machine_spec: { machine_type: 'n1-standard-8' }, min_replica_count: 2, max_replica_count: 4, spot: true,
        autoscaling_metric_specs: [{ metric_name: 'aiplatform.googleapis.com/prediction/online/cpu/utilization', target: 70 }],
      } },
    });
    expect(created.hugging_face_model_id).toBeUndefined();
    expect((created.deploy_config as { dedicated_resources: { machine_spec: Record<string, unknown> } }).dedicated_resources.machine_spec.accelerator_type).toBeUndefined();
  });

  it.each([
    ['an own image', { name: 'x', image: 'us-docker.pkg.dev/p/r/x:1' }, undefined,
      'VertexEndpoint spec.image: got "us-docker.pkg.dev/p/r/x:1"; expected no image with serving "vertex-ai": no Terraform resource deploys a custom container to a Vertex AI endpoint'],
    ['a framework', { name: 'x', framework: { name: 'sklearn', version: '1.6' }, modelArtifact: 'gs://b/m/' }, undefined,
      'VertexEndpoint spec.framework: got {"name":"sklearn","version":"1.6"}; expected no framework with serving "vertex-ai": a prebuilt prediction container needs a Vertex AI Model upload'],
    ['nothing to serve', { name: 'x' }, undefined, 'VertexEndpoint spec.huggingFaceModelId: got undefined; expected a Hugging Face model id, or publisherModelName, for serving "vertex-ai"'],
    ['two models', { name: 'x', huggingFaceModelId: 'a/b' }, 'publishers/google/models/gemma3@gemma-3-1b-it', 'VertexEndpoint publisherModelName: got "publishers/google/models/gemma3@gemma-3-1b-it"; expected nothing next to spec.huggingFaceModelId'],
    ['a malformed publisher model', { name: 'x' }, 'google/gemma3', 'VertexEndpoint publisherModelName: got "google/gemma3"; expected a Model Garden model "publishers/<publisher>/models/<model>@<version>"'],
    ['scale to zero', { name: 'x', huggingFaceModelId: 'a/b', scaling: { minInstances: 0 } }, undefined, 'VertexEndpoint spec.scaling.minInstances: got 0; expected at least 1 with serving "vertex-ai"'],
    ['a serving block', { name: 'x', huggingFaceModelId: 'a/b', serving: { port: 9000 } }, undefined, 'VertexEndpoint spec.serving: got {"port":9000}; expected no serving block with serving "vertex-ai"'],
  ])('refuses %s with the reason', (_, badSpec, publisherModelName, message) => {
    const { stack } = testStack();
    expect(() => new VertexEndpoint(stack, 'E', { spec: badSpec, projectId: PROJECT, region: 'us-central1', publisherModelName })).toThrow(message);
  });

  it('refuses a region without the class\'s accelerator, a literal token and a bad target', () => {
    const { stack } = testStack();
    expect(() => new VertexEndpoint(stack, 'E', {
      spec: { ...spec, compute: 'gpu-l40s' }, projectId: PROJECT, region: 'europe-west1', huggingFaceAccessToken: 'hf_secret', autoscalingTargetPercent: 0,
    })).toThrow(/autoscalingTargetPercent: got 0[\s\S]*VertexEndpoint region: got "europe-west1"; expected a region where Vertex AI offers NVIDIA_TESLA_A100[\s\S]*VertexEndpoint huggingFaceAccessToken: got "\(a literal, not shown\)"; expected a Terraform reference/);
  });
});
