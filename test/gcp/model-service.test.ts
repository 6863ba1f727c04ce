import { ModelSpec } from '../../lib/core';
import { EncryptionKey } from '../../lib/gcp/encryption-key';
import { ModelService } from '../../lib/gcp/model-service';
import { ServiceIdentity } from '../../lib/gcp/service-identity';
import { TerraformVariable, Token } from 'cdktf';
import { address, iamBindings, PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

const cpuSpec: ModelSpec = {
  name: 'churn',
  image: 'us-central1-docker.pkg.dev/p/models/churn:1',
  modelArtifact: 'gs://artifacts-bucket/churn/model.tar.gz',
  scaling: { minInstances: 2, maxInstances: 6, concurrency: 16 },
  environment: { LOG_LEVEL: 'info' },
};

describe('ModelService', () => {
  let json: TfJson;
  beforeAll(() => {
    const { stack } = testStack();
    new ModelService(stack, 'Cpu', { spec: cpuSpec, projectId: PROJECT, region: REGION, invokers: ['group:ml-clients@example.com'], captureUri: 'gs://captures-bucket/churn/' });
    const key = new EncryptionKey(stack, 'SharedKey', { projectId: PROJECT, region: 'europe-west4', keyRingName: 'shared' });
    new ModelService(stack, 'Gpu', {
      spec: { name: 'llm', image: 'europe-west4-docker.pkg.dev/p/models/llm:1', compute: 'gpu-a10g', scaling: { minInstances: 0, maxInstances: 3 } },
      projectId: PROJECT, region: 'europe-west4', encryptionKey: key, deletionProtection: false,
    });
    json = synth(stack);
  });

  const service = (path: string) => resource(json, 'google_cloud_run_v2_service', path);
  const container = (path: string) => (service(path).template as { containers: Record<string, unknown>[] }).containers[0];

  it('serves the container with IAM-only ingress, deletion protection and its own service account', () => {
    expect(service('Cpu/Service')).toMatchObject({
      name: 'churn', location: REGION, project: PROJECT,
      ingress: 'INGRESS_TRAFFIC_ALL', invoker_iam_disabled: false, deletion_protection: true,
      template: {
        service_account: `\${${address(json, 'google_service_account', 'Cpu/ServiceAccount')}.email}`,
        encryption_key: `\${${address(json, 'google_kms_crypto_key', 'Cpu/Key/CryptoKey')}.id}`,
        timeout: '300s',
      },
    });
    expect(resource(json, 'google_service_account', 'Cpu/ServiceAccount')).toMatchObject({ account_id: 'churn-serving', project: PROJECT });
  });

  it('sizes the CPU class from the catalog and scales from the spec', () => {
    const template = service('Cpu/Service').template as Record<string, unknown>;
    expect(template).toMatchObject({ max_instance_request_concurrency: 16, scaling: { min_instance_count: 2, max_instance_count: 6 } });
    expect(template.node_selector).toBeUndefined();
    expect(template.gpu_zonal_redundancy_disabled).toBeUndefined();
    expect(container('Cpu/Service')).toMatchObject({ resources: { limits: { cpu: '4', memory: '16Gi' }, cpu_idle: false, startup_cpu_boost: true }, ports: { container_port: 8080 } });
  });

  it('probes /ping on 8080 at startup and while live', () => {
    expect(container('Cpu/Service')).toMatchObject({
      startup_probe: { http_get: { path: '/ping', port: 8080 }, period_seconds: 10, failure_threshold: 30, timeout_seconds: 5 },
      liveness_probe: { http_get: { path: '/ping', port: 8080 }, period_seconds: 30, failure_threshold: 3 },
    });
  });

  it('passes the artifact as MODEL_URI and lets only the serving account read that object, not the rest of its bucket', () => {
    expect(container('Cpu/Service').env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'MODEL_URI', value: 'gs://artifacts-bucket/churn/model.tar.gz' },
      { name: 'CAPTURE_URI', value: 'gs://captures-bucket/churn/' },
    ]);
    const reader = resource(json, 'google_storage_bucket_iam_member', 'Cpu/ArtifactReader');
    expect(reader).toMatchObject({
      role: 'roles/storage.objectViewer', member: `serviceAccount:\${${address(json, 'google_service_account', 'Cpu/ServiceAccount')}.email}`, bucket: 'artifacts-bucket',
      condition: { title: 'artifact-churn-model-tar-gz', expression: 'resource.name.startsWith("projects/_/buckets/artifacts-bucket/objects/churn/model.tar.gz")' },
    });
    expect(service('Cpu/Service').depends_on).toContain(address(json, 'google_storage_bucket_iam_member', 'Cpu/ArtifactReader'));
  });

  it('lets the container create capture objects under its CAPTURE_URI folder only, before the first revision', () => {
    const writer = resource(json, 'google_storage_bucket_iam_member', 'Cpu/CaptureWriter');
    expect(writer).toMatchObject({
      bucket: 'captures-bucket',
      role: 'roles/storage.objectCreator',
      member: `serviceAccount:\${${address(json, 'google_service_account', 'Cpu/ServiceAccount')}.email}`,
      condition: { expression: 'resource.name.startsWith("projects/_/buckets/captures-bucket/objects/churn/")' },
    });
    expect(service('Cpu/Service').depends_on).toContain(address(json, 'google_storage_bucket_iam_member', 'Cpu/CaptureWriter'));
    // The GPU service was given no capture folder: no variable, no grant.
    expect((container('Gpu/Service').env as { name: string }[] | undefined ?? []).map((e) => e.name)).not.toContain('CAPTURE_URI');
    expect(Object.keys(resourcesOf(json, 'google_storage_bucket_iam_member')).filter((k) => k.startsWith('Gpu_'))).toEqual([]);
  });

  it('lets the Cloud Run service agent use the key before the service is created', () => {
    const project = Object.keys(json.data!.google_project).find((k) => k.startsWith('Cpu_Project'));
    const grant = resource(json, 'google_kms_crypto_key_iam_member', 'Cpu/Key/Cpu-CloudRunAgentKey');
    expect(grant).toMatchObject({
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: `serviceAccount:service-\${data.google_project.${project}.number}@serverless-robot-prod.iam.gserviceaccount.com`,
      crypto_key_id: `\${${address(json, 'google_kms_crypto_key', 'Cpu/Key/CryptoKey')}.id}`,
    });
    expect(service('Cpu/Service').depends_on).toContain(`google_kms_crypto_key_iam_member.${grant.logicalId}`);
  });

  it('grants run.invoker to the given principals on this service only, and never to the public', () => {
    expect(iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name')).toEqual([
      { role: 'roles/run.invoker', member: 'group:ml-clients@example.com', target: `\${${address(json, 'google_cloud_run_v2_service', 'Cpu/Service')}.name}` },
    ]);
    expect(JSON.stringify(json)).not.toMatch(/allUsers|allAuthenticatedUsers/);
  });

  it('attaches one NVIDIA L4 with CPU always allocated and no zonal redundancy for the GPU class', () => {
    expect(service('Gpu/Service').template).toMatchObject({
      node_selector: { accelerator: 'nvidia-l4' },
      gpu_zonal_redundancy_disabled: true,
      scaling: { min_instance_count: 0, max_instance_count: 3 },
      encryption_key: `\${${address(json, 'google_kms_crypto_key', 'SharedKey/CryptoKey')}.id}`,
    });
    expect(container('Gpu/Service').resources).toEqual({ limits: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' }, cpu_idle: false, startup_cpu_boost: true });
    expect(service('Gpu/Service').deletion_protection).toBe(false);
    // A shared key gets the agent grant once per service, on that key.
    expect(Object.keys(resourcesOf(json, 'google_kms_key_ring')).map((k) => k.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual(['Cpu_Key_KeyRing', 'SharedKey_KeyRing']);
    expect(resource(json, 'google_kms_crypto_key_iam_member', 'SharedKey/Gpu-CloudRunAgentKey').role).toBe('roles/cloudkms.cryptoKeyEncrypterDecrypter');
  });

  it('rejects a GPU class in a region without Cloud Run GPUs, and unknown regions', () => {
    const { stack } = testStack();
    expect(() => new ModelService(stack, 'A', { spec: { ...cpuSpec, compute: 'gpu-t4' }, projectId: PROJECT, region: 'us-west1' }))
      .toThrow('ModelService region: got "us-west1"; expected a region with Cloud Run GPUs for compute "gpu-t4" (us-central1, us-east4, europe-west1, europe-west4, asia-southeast1, asia-south1), or a CPU compute class');
    expect(() => new ModelService(stack, 'B', { spec: cpuSpec, projectId: PROJECT, region: 'us-central9' }))
      .toThrow('ModelService region: got "us-central9"; expected a Google Cloud region such as "us-central1"');
    expect(() => new ModelService(stack, 'C', { spec: { ...cpuSpec, compute: 'gpu-t4' }, projectId: PROJECT, region: 'us-west1', additionalGpuRegions: ['us-west1'] })).not.toThrow();
  });

  it('rejects bad scaling bounds, reserved variables, public invokers and an open invoker check on public ingress', () => {
    const { stack } = testStack();
    expect(() => new ModelService(stack, 'S', {
      spec: { ...cpuSpec, scaling: { minInstances: 5, maxInstances: 2 }, environment: { PORT: '9000' } },
      projectId: 'proj', region: REGION, invokerIamDisabled: true, invokers: ['allUsers'],
    })).toThrow(/ModelService spec.scaling.minInstances: got 5; expected at most scaling.maxInstances \(2\)[\s\S]*ModelService projectId: got "proj"[\s\S]*ModelService invokerIamDisabled: got true; expected false while ingress is "all"[\s\S]*ModelService invokers\[0\]: got "allUsers"[\s\S]*ModelService spec.environment.PORT: got "9000"; expected not set/);
  });

  it('rejects a capture folder that is not a gs:// URI, and a CAPTURE_URI of its own next to one', () => {
    const { stack } = testStack();
    expect(() => new ModelService(stack, 'S', { spec: cpuSpec, projectId: PROJECT, region: REGION, captureUri: 's3://b/capture/' }))
      .toThrow('ModelService captureUri: got "s3://b/capture/"; expected a gs://<bucket>/<folder>/ URI without spaces, quotes or backslashes');
    expect(() => new ModelService(stack, 'T', { spec: { ...cpuSpec, environment: { CAPTURE_URI: 'x' } }, projectId: PROJECT, region: REGION, captureUri: 'gs://b/c/' }))
      .toThrow('ModelService spec.environment.CAPTURE_URI: got "x"; expected not set: Cloud Run or this construct sets it');
    expect(() => new ModelService(stack, 'U', { spec: { ...cpuSpec, environment: { CAPTURE_URI: 'x' } }, projectId: PROJECT, region: REGION })).not.toThrow();
  });

  describe('artifact read scope', () => {
    const readerOf = (modelArtifact: string) => {
      const { stack } = testStack();
      new ModelService(stack, 'S', { spec: { ...cpuSpec, modelArtifact }, projectId: PROJECT, region: REGION });
      return resource(synth(stack), 'google_storage_bucket_iam_member', 'S/ArtifactReader');
    };

    it('lets a folder artifact be read and listed under its prefix only', () => {
      expect(readerOf('gs://artifacts-bucket/models/llm/').condition).toEqual({
        title: 'only-models-llm-',
        description: 'The model artifact under models/llm/ only, and listing it',
        expression: 'resource.name.startsWith("projects/_/buckets/artifacts-bucket/objects/models/llm/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("models/llm/")',
      });
    });

    it('grants a whole-bucket artifact on the bucket', () => {
      const reader = readerOf('gs://artifacts-bucket');
      expect(reader).toMatchObject({ bucket: 'artifacts-bucket', role: 'roles/storage.objectViewer' });
      expect(reader.condition).toBeUndefined();
    });

    it('grants nothing for an https:// artifact the container downloads itself', () => {
      const { stack } = testStack();
      new ModelService(stack, 'S', { spec: { ...cpuSpec, modelArtifact: 'https://huggingface.co/org/model/resolve/main/model.onnx' }, projectId: PROJECT, region: REGION });
      expect(resourcesOf(synth(stack), 'google_storage_bucket_iam_member')).toEqual({});
    });
  });

  describe('what the serving plane cannot pull or read', () => {
    const build = (spec: Partial<ModelSpec>) => () => {
      const { stack } = testStack();
      new ModelService(stack, 'S', { spec: { ...cpuSpec, ...spec }, projectId: PROJECT, region: REGION });
    };

    it('refuses an s3:// artifact, which nothing on GCP could read', () => {
      expect(build({ modelArtifact: 's3://models/churn/model.tar.gz' })).toThrow(
        'ModelService spec.modelArtifact: got "s3://models/churn/model.tar.gz"; expected an artifact the GCP serving identity can read: nothing on GCP holds credentials for s3://; copy it to Cloud Storage (gcloud storage cp <source> gs://<bucket>/<path>) and give the gs:// URI');
    });

    it('refuses Azure Blob artifacts and local files (only the AWS stack uploads those)', () => {
      expect(build({ modelArtifact: 'https://acct.blob.core.windows.net/models/churn.tar.gz' })).toThrow(/spec.modelArtifact: got .*; expected an artifact the GCP serving identity can read: nothing on GCP holds credentials for Azure Blob Storage/);
      expect(build({ modelArtifact: './model.tar.gz' })).toThrow(/spec.modelArtifact: got "\.\/model\.tar\.gz"; expected a gs:\/\/ URI or an https:\/\/ URL: a local file is uploaded by the AWS stack only/);
    });

    it('refuses an ECR image, saying to copy it to Artifact Registry', () => {
      expect(build({ image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1' })).toThrow(
        /ModelService spec\.image: got "123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/churn:1"; expected an image Cloud Run can pull: it cannot pull from Amazon ECR \(no AWS credentials on GCP\); copy it to Artifact Registry/);
    });

    it('refuses Azure Container Registry and registries Cloud Run does not pull from', () => {
      expect(build({ image: 'myacr.azurecr.io/fraud:1.4' })).toThrow(/spec\.image: .*cannot pull from Azure Container Registry.*copy it to Artifact Registry/);
      expect(build({ image: 'quay.io/org/model:1' })).toThrow(/spec\.image: got "quay\.io\/org\/model:1"; expected an image in Artifact Registry, Docker Hub or GitHub Container Registry .*remote repository in front of quay\.io/);
    });

    it('accepts Artifact Registry, gcr.io, Docker Hub and GHCR images, and Terraform references', () => {
      for (const image of ['europe-docker.pkg.dev/p/r/m:1', 'gcr.io/p/m:1', 'pytorch/torchserve:0.9', 'nginx', 'docker.io/library/nginx:1', 'ghcr.io/org/m:1', '${TfToken[TOKEN.1]}']) {
        expect(build({ image })).not.toThrow();
      }
      expect(build({ modelArtifact: '${TfToken[TOKEN.2]}' })).not.toThrow();
    });
  });

  describe('network placement', () => {
    it('sends private-range egress through Direct VPC egress in the subnet, with tags', () => {
      const { stack } = testStack();
      new ModelService(stack, 'S', { spec: cpuSpec, projectId: PROJECT, region: REGION, ingress: 'internal', vpcAccess: { subnetwork: 'serving-subnet', network: 'prod-vpc', networkTags: ['ml-serving'] } });
      const result = synth(stack);
      const svc = resource(result, 'google_cloud_run_v2_service', 'S/Service');
      expect(svc.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
      expect(svc.template).toMatchObject({ vpc_access: { egress: 'PRIVATE_RANGES_ONLY', network_interfaces: [{ network: 'prod-vpc', subnetwork: 'serving-subnet', tags: ['ml-serving'] }] } });
      // Private ranges only: Google APIs keep their usual path, so no Private Google Access check.
      expect(result.data?.google_compute_subnetwork).toBeUndefined();
    });

    it('checks Private Google Access on the subnet at plan time when all egress goes into the VPC', () => {
      const { stack } = testStack();
      new ModelService(stack, 'S', { spec: cpuSpec, projectId: PROJECT, region: REGION, vpcAccess: { subnetwork: 'projects/host/regions/us-central1/subnetworks/shared', egress: 'all-traffic' } });
      const result = synth(stack);
      const subnet = Object.entries(result.data!.google_compute_subnetwork);
      expect(subnet).toHaveLength(1);
      expect(subnet[0][1]).toEqual({ self_link: 'projects/host/regions/us-central1/subnetworks/shared' });
      const svc = resource(result, 'google_cloud_run_v2_service', 'S/Service');
      expect(svc.template).toMatchObject({ vpc_access: { egress: 'ALL_TRAFFIC' } });
      expect(svc.lifecycle).toEqual({ precondition: [{
        condition: `\${data.google_compute_subnetwork.${subnet[0][0]}.private_ip_google_access}`,
        error_message: expect.stringContaining('Private Google Access off'),
      }] });
    });

    it('uses a connector instead, and refuses both or neither', () => {
      const { stack } = testStack();
      new ModelService(stack, 'S', { spec: cpuSpec, projectId: PROJECT, region: REGION, vpcAccess: { connector: `projects/${PROJECT}/locations/${REGION}/connectors/ml-vpc` } });
      expect(resource(synth(stack), 'google_cloud_run_v2_service', 'S/Service').template).toMatchObject({ vpc_access: { connector: `projects/${PROJECT}/locations/${REGION}/connectors/ml-vpc`, egress: 'PRIVATE_RANGES_ONLY' } });
      expect(() => new ModelService(stack, 'T', { spec: cpuSpec, projectId: PROJECT, region: REGION, vpcAccess: { subnetwork: 's', connector: 'c' } }))
        .toThrow(/ModelService vpcAccess: got .*; expected either subnetwork \(Direct VPC egress\) or connector \(Serverless VPC Access\), not both and not neither[\s\S]*ModelService vpcAccess.connector: got "c"; expected a Serverless VPC Access connector id/);
    });
  });

  it('runs as an existing service account with the same grants, creating none', () => {
    const { stack } = testStack();
    new ModelService(stack, 'S', { spec: cpuSpec, projectId: PROJECT, region: REGION, serviceAccount: ServiceIdentity.fromEmail('churn-run@platform.iam.gserviceaccount.com') });
    const result = synth(stack);
    expect(resourcesOf(result, 'google_service_account')).toEqual({});
    expect(resource(result, 'google_cloud_run_v2_service', 'S/Service').template).toMatchObject({ service_account: 'churn-run@platform.iam.gserviceaccount.com' });
    expect(resource(result, 'google_storage_bucket_iam_member', 'S/ArtifactReader').member).toBe('serviceAccount:churn-run@platform.iam.gserviceaccount.com');
    expect(() => ServiceIdentity.fromEmail('churn-run')).toThrow('ServiceIdentity fromEmail(email): got "churn-run"; expected a service account email such as "churn-serving@my-project.iam.gserviceaccount.com"');
  });

  it('grants invokers given as a list token with for_each, one binding per member at apply time', () => {
    const { stack } = testStack();
    const members = Token.asList(new TerraformVariable(stack, 'invokers', { type: 'list(string)' }).value);
    new ModelService(stack, 'S', { spec: cpuSpec, projectId: PROJECT, region: REGION, invokers: members });
    const binding = resource(synth(stack), 'google_cloud_run_v2_service_iam_member', 'S/Invokers');
    expect(binding).toMatchObject({ for_each: '${toset(var.invokers)}', member: '${each.value}', role: 'roles/run.invoker' });
  });

  describe('a container with its own port and routes (spec.serving)', () => {
    const customSpec: ModelSpec = { ...cpuSpec, serving: { port: 8000, healthPath: '/healthz', predictPath: '/v1/predict' } };

    it('exposes the port to Cloud Run and probes the health route on it', () => {
      const { stack } = testStack();
      const service = new ModelService(stack, 'S', { spec: customSpec, projectId: PROJECT, region: REGION });
      const model = (resource(synth(stack), 'google_cloud_run_v2_service', 'S/Service').template as { containers: Record<string, unknown>[] }).containers[0];
      expect(model).toMatchObject({
        ports: { container_port: 8000 },
        startup_probe: { http_get: { path: '/healthz', port: 8000 } },
        liveness_probe: { http_get: { path: '/healthz', port: 8000 } },
      });
      expect([service.port, service.healthPath, service.predictPath]).toEqual([8000, '/healthz', '/v1/predict']);
    });

    it('refuses a port or route the container cannot have', () => {
      const { stack } = testStack();
      expect(() => new ModelService(stack, 'S', { spec: { ...cpuSpec, serving: { port: 70000, predictPath: 'predict' } }, projectId: PROJECT, region: REGION }))
        .toThrow(/spec.serving.port: got 70000[\s\S]*spec.serving.predictPath: got "predict"; expected an absolute URL path/);
    });
  });

  describe('a prebuilt image for spec.framework or spec.huggingFaceModelId', () => {
    const build = (spec: ModelSpec, region = REGION) => {
      const { stack } = testStack();
      const service = new ModelService(stack, 'S', { spec, projectId: PROJECT, region });
      const model = (resource(synth(stack), 'google_cloud_run_v2_service', 'S/Service').template as { containers: Record<string, unknown>[] }).containers[0];
      const env = Object.fromEntries((model.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
      return { service, model, env };
    };

    it('runs Vertex AI\'s sklearn container from the region\'s registry with the AIP_* variables, port and routes', () => {
      const { service, model, env } = build({ name: 'iris', framework: { name: 'sklearn', version: '1.6' }, modelArtifact: 'gs://models-bucket/iris/', environment: { LOG_LEVEL: 'info' } }, 'europe-west1');
      expect(model.image).toBe('europe-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-6:latest');
      expect(env).toEqual({
        AIP_HTTP_PORT: '8080', AIP_HEALTH_ROUTE: '/ping', AIP_PREDICT_ROUTE: '/invocations', AIP_STORAGE_URI: 'gs://models-bucket/iris/',
        LOG_LEVEL: 'info', MODEL_URI: 'gs://models-bucket/iris/',
      });
      expect(model).toMatchObject({ ports: { container_port: 8080 }, startup_probe: { http_get: { path: '/ping', port: 8080 } }, liveness_probe: { http_get: { path: '/ping', port: 8080 } } });
      expect(service.requestFormat).toBe('vertex-instances');
      expect(service.prebuiltImage).toMatchObject({ framework: 'sklearn', version: '1.6', processor: 'cpu' });
    });

    it('gives a GPU class the GPU image', () => {
      const { model } = build({ name: 'vision', framework: { name: 'tensorflow', version: '2.15' }, compute: 'gpu-a10g', modelArtifact: 'gs://models-bucket/vision/' });
      expect(model.image).toBe('us-docker.pkg.dev/vertex-ai/prediction/tf2-gpu.2-15:latest');
      expect(model.resources).toMatchObject({ limits: { 'nvidia.com/gpu': '1' } });
    });

    it('serves a Hugging Face model id on Google\'s TGI container with its model id and shard count', () => {
      const { service, model, env } = build({ name: 'chat', huggingFaceModelId: 'mistralai/Mistral-7B-Instruct-v0.3', compute: 'gpu-a10g' });
      expect(model.image).toMatch(/^us-docker\.pkg\.dev\/deeplearning-platform-release\/gcr\.io\/huggingface-text-generation-inference-cu\d+/);
      expect(env).toMatchObject({ MODEL_ID: 'mistralai/Mistral-7B-Instruct-v0.3', NUM_SHARD: '1' });
      expect(service.requestFormat).toBe('text-generation');
    });

    it('refuses what the prebuilt image cannot serve, with the reason', () => {
      const { stack } = testStack();
      const make = (id: string, spec: ModelSpec) => () => new ModelService(stack, id, { spec, projectId: PROJECT, region: REGION });
      expect(make('A', { name: 'a', framework: { name: 'large-model', version: '0.33.0' }, compute: 'gpu-a10g' }))
        .toThrow('ModelService spec.framework: got {"name":"large-model","version":"0.33.0"}; expected a framework with a prebuilt image on Cloud Run: Google publishes no large-model');
      expect(make('B', { name: 'b', framework: { name: 'sklearn', version: '0.9' }, modelArtifact: 'gs://m/b/' })).toThrow(/ModelService spec.framework.version: got "0.9"; expected a sklearn version Google publishes/);
      expect(make('C', { name: 'c', framework: { name: 'sklearn', version: '1.6' } })).toThrow('ModelService spec.modelArtifact: got undefined; expected a gs:// folder holding the model');
      expect(make('D', { name: 'd', framework: { name: 'sklearn', version: '1.6' }, modelArtifact: 'gs://m/d/model.joblib' })).toThrow('expected a gs:// folder ending in "/"');
      expect(make('E', { name: 'e', framework: { name: 'sklearn', version: '1.6' }, modelArtifact: 'gs://m/e/', serving: { port: 9000 } }))
        .toThrow('ModelService spec.serving: got {"port":9000,"healthPath":"/ping","predictPath":"/invocations"}; expected no serving block with spec.framework');
      expect(make('F', { name: 'f', framework: { name: 'sklearn', version: '1.6' }, modelArtifact: 'gs://m/f/', environment: { AIP_PREDICT_ROUTE: '/x' } }))
        .toThrow('ModelService spec.environment.AIP_PREDICT_ROUTE: got "/x"; expected not set');
      expect(make('G', { name: 'g', huggingFaceModelId: 'mistralai/Mistral-7B-Instruct-v0.3' })).toThrow(/ModelService spec.compute: got "cpu-xlarge"; expected a GPU compute class/);
    });
  });

  it('never collides when two services share a stack', () => {
    const names = Object.values(resourcesOf(json, 'google_cloud_run_v2_service')).map((s) => s.name);
    const accounts = Object.values(resourcesOf(json, 'google_service_account')).map((s) => s.account_id);
    expect(new Set(names).size).toBe(2);
    expect(new Set(accounts).size).toBe(2);
  });
});
