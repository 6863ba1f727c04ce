import { resolveFrameworkImage } from '../../../lib/core/frameworks';
import { GCP_IMAGES } from '../../../lib/core/frameworks/private/gcp-images.generated';
import { collect, computeClass } from './helpers';

const cpu = computeClass('cpu-xlarge');
const l4 = computeClass('gpu-a10g');

describe('framework images on Google Cloud', () => {
  it('resolves scikit-learn to the Vertex AI prebuilt container with the variables, port and routes Cloud Run must set', () => {
    const { result, problems } = collect((errors) => resolveFrameworkImage({ cloud: 'gcp', region: 'us-central1', framework: { name: 'sklearn', version: '1.6' }, compute: cpu, modelArtifact: 'gs://models/churn/' }, errors));
    expect(problems).toEqual([]);
    expect(result?.image).toEqual({ kind: 'uri', uri: 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-6:latest' });
    expect(result?.environment).toEqual({
      AIP_HTTP_PORT: '8080',
      AIP_HEALTH_ROUTE: '/ping',
      AIP_PREDICT_ROUTE: '/invocations',
      AIP_STORAGE_URI: 'gs://models/churn/',
    });
    expect(result?.modelArtifactVariable).toBe('AIP_STORAGE_URI');
    expect(result?.serving).toEqual({ port: 8080, healthPath: '/ping', predictPath: '/invocations', requestFormat: 'vertex-instances' });
    expect(result?.notes).toEqual(expect.arrayContaining([expect.stringMatching(/model\.joblib or model\.pkl/), expect.stringMatching(/\{"instances": \[\.\.\.\]\} in, \{"predictions": \[\.\.\.\]\} out/)]));
    expect(result?.source).toMatch(/github.com\/googleapis\/python-aiplatform .* at [0-9a-f]{40}/);
  });

  it('pulls from the registry group of the region, and matches a version on major.minor', () => {
    const europe = collect((errors) => resolveFrameworkImage({ cloud: 'gcp', region: 'europe-west4', framework: { name: 'xgboost', version: '2.1.3' }, compute: cpu }, errors));
    expect(europe.result?.image).toEqual({ kind: 'uri', uri: 'europe-docker.pkg.dev/vertex-ai/prediction/xgboost-cpu.2-1:latest' });
    expect(europe.result?.version).toBe('2.1');
    const asia = collect((errors) => resolveFrameworkImage({ cloud: 'gcp', region: 'asia-northeast1', framework: { name: 'tensorflow', version: '2.15' }, compute: cpu }, errors));
    expect(asia.result?.image).toEqual({ kind: 'uri', uri: 'asia-docker.pkg.dev/vertex-ai/prediction/tf2-cpu.2-15:latest' });
  });

  it('gives a GPU compute class the GPU image of PyTorch', () => {
    const { result } = collect((errors) => resolveFrameworkImage({ cloud: 'gcp', region: 'us-central1', framework: { name: 'pytorch', version: '2.4.0' }, compute: l4 }, errors));
    expect(result?.image).toEqual({ kind: 'uri', uri: 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-gpu.2-4:latest' });
    expect(result?.processor).toBe('gpu');
  });

  it('refuses a version Google does not publish (or no longer covers), listing the ones it does', () => {
    const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'gcp', region: 'us-central1', framework: { name: 'sklearn', version: '1.2-1' }, compute: cpu }, errors));
    const covered = [...new Set(GCP_IMAGES.sklearn!.images.map((i) => i.version))];
    expect(problems).toEqual([
      `ModelSpec spec.framework.version: got "1.2-1"; expected a sklearn version Google publishes, one of ${covered.map((v) => `"${v}"`).join(', ')} (Vertex AI publishes one image per minor version; we cover the 2 newest, older ones reach Google's end of availability)`,
    ]);
  });

  it('refuses a GPU class for scikit-learn, which Google publishes for CPU only', () => {
    const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'gcp', region: 'us-central1', framework: { name: 'sklearn', version: '1.6' }, compute: l4 }, errors));
    expect(problems).toEqual(['ModelSpec spec.compute: got "gpu-a10g"; expected a compute class whose processor has an image: sklearn 1.6 on Google Cloud has images for cpu only, not for compute class "gpu-a10g" (gpu)']);
  });

  it('refuses a model artifact outside Cloud Storage, which the image cannot download', () => {
    const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'gcp', region: 'us-central1', framework: { name: 'sklearn', version: '1.6' }, compute: cpu, modelArtifact: 's3://bucket/model.tar.gz' }, errors));
    expect(problems).toEqual(['ModelSpec spec.modelArtifact: got "s3://bucket/model.tar.gz"; expected a gs:// URI: the sklearn image on Google Cloud downloads the artifact from Cloud Storage itself']);
  });

  it('refuses the large-model container with the reason and what to use instead', () => {
    const { result, problems } = collect((errors) => resolveFrameworkImage({ cloud: 'gcp', region: 'us-central1', framework: { name: 'large-model', version: '0.36.0' }, compute: l4 }, errors));
    expect(result).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(/^ModelSpec spec\.framework: got \{"name":"large-model","version":"0\.36\.0"\}; expected a framework with a prebuilt image on Cloud Run: Google publishes no large-model \(DJL LMI\) image; .*"huggingface-tgi".*serving "vertex-ai"/)]);
  });

  it('serves a Hugging Face model id on Google\'s TGI container, pulled from the us registry it is published in', () => {
    const { result, problems } = collect((errors) => resolveFrameworkImage({ cloud: 'gcp', region: 'europe-west1', framework: { name: 'huggingface-tgi', version: '2.4' }, compute: l4, huggingFaceModelId: 'google/gemma-2-9b-it' }, errors));
    expect(problems).toEqual([]);
    expect(result?.image).toEqual({ kind: 'uri', uri: expect.stringMatching(/^us-docker\.pkg\.dev\/deeplearning-platform-release\/gcr\.io\/huggingface-text-generation-inference-cu\d+\.2-4\./) });
    expect(result?.environment).toEqual({ MODEL_ID: 'google/gemma-2-9b-it', NUM_SHARD: '1' });
    expect(result?.serving).toEqual({ port: 8080, healthPath: '/ping', predictPath: '/invocations', requestFormat: 'text-generation' });
    expect(result?.notes).toEqual(expect.arrayContaining([expect.stringMatching(/published only in us-docker\.pkg\.dev; europe-west1 pulls it from there/)]));
  });

  it('pins a Hugging Face release: 2.4.1 does not match the published 2.4.0', () => {
    const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'gcp', region: 'us-central1', framework: { name: 'huggingface-tgi', version: '2.4.1' }, compute: l4 }, errors));
    expect(problems).toEqual([expect.stringMatching(/spec\.framework\.version: got "2\.4\.1"; expected a huggingface-tgi version Google publishes, one of "2\.4\.0"/)]);
  });
});
