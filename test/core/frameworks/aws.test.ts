import { resolveFrameworkImage } from '../../../lib/core/frameworks';
import { SAGEMAKER_IMAGES, SAGEMAKER_REGISTRIES } from '../../../lib/core/frameworks/private/sagemaker-images.generated';
import { collect, computeClass } from './helpers';

const cpu = computeClass('cpu-xlarge');
const t4 = computeClass('gpu-t4');

describe('framework images on AWS', () => {
  it('resolves scikit-learn 1.2-1 in eu-west-1 to the SageMaker image in that region\'s registry', () => {
    const { result, problems } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'eu-west-1', framework: { name: 'sklearn', version: '1.2-1' }, compute: cpu }, errors));
    expect(problems).toEqual([]);
    expect(result?.image).toEqual({ kind: 'uri', uri: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3' });
    expect(result).toMatchObject({ version: '1.2-1', processor: 'cpu', pythonVersion: 'py3' });
    expect(result?.serving).toEqual({ port: 8080, healthPath: '/ping', predictPath: '/invocations', requestFormat: 'sagemaker' });
    expect(result?.environment).toEqual({ SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code' });
    expect(result?.source).toMatch(/github.com\/aws\/sagemaker-python-sdk .* at [0-9a-f]{40} \(\d{4}-\d{2}-\d{2}/);
  });

  it('gives a GPU compute class the GPU image of PyTorch, and a CPU class the CPU image', () => {
    const gpu = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'us-east-1', framework: { name: 'pytorch', version: '2.6.0' }, compute: t4 }, errors));
    expect(gpu.problems).toEqual([]);
    expect(gpu.result?.image).toEqual({ kind: 'uri', uri: '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.6.0-gpu-py312' });
    expect(gpu.result?.processor).toBe('gpu');
    const cpuImage = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'us-east-1', framework: { name: 'pytorch', version: '2.6.0' }, compute: cpu }, errors));
    expect(cpuImage.result?.image).toEqual({ kind: 'uri', uri: '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.6.0-cpu-py312' });
  });

  it('resolves an SDK alias to the full version and pins the full version\'s tag', () => {
    const { result } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'us-east-1', framework: { name: 'tensorflow', version: '2.19' }, compute: t4 }, errors));
    expect(result?.version).toBe('2.19.0');
    expect(result?.image).toMatchObject({ uri: expect.stringMatching(/\/tensorflow-inference:2\.19\.0-gpu$/) });
  });

  it('refuses an unknown version, listing the versions it covers', () => {
    const { result, problems } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'eu-west-1', framework: { name: 'sklearn', version: '1.2' }, compute: cpu }, errors));
    expect(result).toBeUndefined();
    expect(problems).toEqual([
      'ModelSpec spec.framework.version: got "1.2"; expected a sklearn version SageMaker publishes, one of "1.4-2-py312", "1.2-1", "1.0-1", "0.23-1", "0.20.0" (did you mean "1.2-1"?)',
    ]);
  });

  it('says when a version exists in the SDK but is older than the versions covered', () => {
    const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'eu-west-1', framework: { name: 'pytorch', version: '1.13.1' }, compute: cpu }, errors));
    expect(problems).toEqual([expect.stringMatching(/spec\.framework\.version: got "1\.13\.1"; expected a pytorch version .*"2\.6\.0".*; 1\.13\.1 is older than the 6 newest versions we cover: pin its image with spec\.image$/)]);
  });

  it('refuses a region where SageMaker publishes no image, listing the regions that have it', () => {
    // The scikit-learn registries do not include ap-southeast-5; the deep learning containers' do.
    expect(SAGEMAKER_REGISTRIES[SAGEMAKER_IMAGES.sklearn.versions[1].registries]['ap-southeast-5']).toBeUndefined();
    const { result, problems } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'ap-southeast-5', framework: { name: 'sklearn', version: '1.2-1' }, compute: cpu }, errors));
    expect(result).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(/^ModelSpec spec\.framework: got \{"name":"sklearn","version":"1\.2-1"\}; expected a framework with an image in ap-southeast-5: SageMaker publishes sklearn 1\.2-1 in af-south-1, .*eu-west-1, .*us-west-2$/)]);
  });

  it('refuses a processor the framework has no image for, naming the compute class and what exists', () => {
    const sklearnOnGpu = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'eu-west-1', framework: { name: 'sklearn', version: '1.2-1' }, compute: t4 }, errors));
    expect(sklearnOnGpu.problems).toEqual([
      'ModelSpec spec.compute: got "gpu-t4"; expected a compute class whose processor has an image: sklearn 1.2-1 has images for cpu only, not for compute class "gpu-t4" (gpu)',
    ]);
    const tgiOnCpu = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'eu-west-1', framework: { name: 'huggingface-tgi', version: '3.3.6' }, compute: cpu }, errors));
    expect(tgiOnCpu.problems).toEqual([expect.stringMatching(/spec\.compute: got "cpu-xlarge"; expected .*huggingface-tgi 3\.3\.6 has images for gpu only, not for compute class "cpu-xlarge" \(cpu\)$/)]);
  });

  it('serves XGBoost from one image on CPU and GPU classes', () => {
    const onGpu = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'eu-west-1', framework: { name: 'xgboost', version: '1.7-1' }, compute: t4 }, errors));
    expect(onGpu.result?.image).toEqual({ kind: 'uri', uri: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1' });
    expect(onGpu.result?.environment).toEqual({});
  });

  it('resolves an env-agnostic stack to a regional mapping of registry accounts, never to a literal', () => {
    for (const region of [undefined, '${Token[AWS.Region.9]}']) {
      const { result, problems } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region, framework: { name: 'sklearn', version: '1.2-1' }, compute: cpu }, errors));
      expect(problems).toEqual([]);
      expect(result?.image.kind).toBe('regional-mapping');
      if (result?.image.kind !== 'regional-mapping') return;
      expect(result.image.repository).toBe('sagemaker-scikit-learn');
      expect(result.image.tag).toBe('1.2-1-cpu-py3');
      expect(result.image.mapping['eu-west-1']).toEqual({ account: '141502667606', registry: '141502667606.dkr.ecr.eu-west-1.amazonaws.com' });
      expect(result.image.mapping['cn-north-1'].registry).toMatch(/^\d{12}\.dkr\.ecr\.cn-north-1\.amazonaws\.com\.cn$/);
      expect(Object.keys(result.image.mapping).sort()).toEqual(Object.keys(SAGEMAKER_REGISTRIES[SAGEMAKER_IMAGES.sklearn.versions[1].registries]).sort());
    }
  });

  it('accepts a Python version as 3.12 or py312 and refuses one the image does not have', () => {
    const ok = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'us-east-1', framework: { name: 'pytorch', version: '2.6.0', pythonVersion: '3.12' }, compute: cpu }, errors));
    expect(ok.result?.pythonVersion).toBe('py312');
    const bad = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'us-east-1', framework: { name: 'pytorch', version: '2.6.0', pythonVersion: 'py39' }, compute: cpu }, errors));
    expect(bad.problems).toEqual(['ModelSpec spec.framework.pythonVersion: got "py39"; expected a Python version of pytorch 2.6.0: one of "py312"']);
    const none = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'us-east-1', framework: { name: 'tensorflow', version: '2.19.0', pythonVersion: 'py312' }, compute: cpu }, errors));
    expect(none.problems).toEqual(['ModelSpec spec.framework.pythonVersion: got "py312"; expected no Python version: the tensorflow 2.19.0 image tag has none']);
  });

  it('resolves Neuron compute to the Neuron image and refuses a GPU-only version on it', () => {
    const neuron = { kind: 'gpu' as const, accelerator: 'neuron' as const };
    const { result } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'us-east-1', framework: { name: 'huggingface-tgi', version: '0.3.0' }, compute: neuron, huggingFaceModelId: 'org/model' }, errors));
    expect(result?.image).toEqual({ kind: 'uri', uri: '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.7.0-optimum3.3.6-neuronx-py310-ubuntu22.04' });
    expect(result?.environment).toEqual({ HF_MODEL_ID: 'org/model' });
    const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'us-east-1', framework: { name: 'huggingface-tgi', version: '3.3.6' }, compute: neuron }, errors));
    expect(problems).toEqual([expect.stringMatching(/has images for gpu only, not for neuron compute \(versions with neuron images: 0\.3\.0, 0\.2\.0, 0\.0\.28\)$/)]);
  });

  it('gives the large-model container the Hugging Face model id, or the mounted artifact', () => {
    const withId = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'us-west-2', framework: { name: 'large-model', version: '0.36.0' }, compute: computeClass('gpu-l40s'), huggingFaceModelId: 'meta-llama/Llama-3.1-8B-Instruct' }, errors));
    expect(withId.result?.image).toEqual({ kind: 'uri', uri: '763104351884.dkr.ecr.us-west-2.amazonaws.com/djl-inference:0.36.0-lmi27.0.0-cu130' });
    expect(withId.result?.environment).toEqual({ HF_MODEL_ID: 'meta-llama/Llama-3.1-8B-Instruct' });
    expect(withId.result?.serving.requestFormat).toBe('text-generation');
    const fromArtifact = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'us-west-2', framework: { name: 'large-model', version: '0.36.0' }, compute: computeClass('gpu-l40s') }, errors));
    expect(fromArtifact.result?.environment).toEqual({});
  });
});
