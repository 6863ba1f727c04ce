import { FRAMEWORK_SPEC_SHAPE, resolveFrameworkImage, resolveHuggingFaceModel } from '../../../lib/core/frameworks';
import { sageMakerVersions } from '../../../lib/core/frameworks/private/aws';
import { collect, computeClass } from './helpers';

const cpu = computeClass('cpu-xlarge');

describe('resolveFrameworkImage validation', () => {
  it('refuses an unknown key in the framework block, with a did-you-mean', () => {
    const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', region: 'eu-west-1', framework: { name: 'sklearn', version: '1.2-1', pythonVersoin: 'py3' } as never, compute: cpu }, errors));
    expect(problems).toEqual([expect.stringMatching(/^ModelSpec spec\.framework\.pythonVersoin: got "py3"; expected no such key: a framework block takes name, version, pythonVersion \(did you mean "pythonVersion"\?\)$/)]);
  });

  it('requires a name and a version, and a block that is an object', () => {
    expect(collect((errors) => resolveFrameworkImage({ cloud: 'aws', framework: {} as never, compute: cpu }, errors)).problems).toEqual([
      expect.stringMatching(/^ModelSpec spec\.framework\.name: got undefined; expected one of "sklearn", "xgboost", "pytorch", "tensorflow", "huggingface-tgi", "large-model"$/),
      'ModelSpec spec.framework.version: got undefined; expected the framework version, e.g. "1.2-1" for sklearn on SageMaker',
    ]);
    expect(collect((errors) => resolveFrameworkImage({ cloud: 'aws', framework: 'sklearn' as never, compute: cpu }, errors)).problems).toEqual([
      'ModelSpec spec.framework: got "sklearn"; expected a framework block',
    ]);
  });

  it('refuses a token as the version: the image is chosen at synth time', () => {
    const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', framework: { name: 'sklearn', version: '${Token[TOKEN.12]}' }, compute: cpu }, errors));
    expect(problems).toEqual(['ModelSpec spec.framework.version: got "${Token[TOKEN.12]}"; expected a literal: the prebuilt image is chosen at synth time']);
  });

  it('refuses a Hugging Face model id with a framework that cannot serve one, and a malformed id', () => {
    expect(collect((errors) => resolveFrameworkImage({ cloud: 'aws', framework: { name: 'sklearn', version: '1.2-1' }, compute: cpu, huggingFaceModelId: 'org/model' }, errors)).problems).toEqual([
      'ModelSpec spec.huggingFaceModelId: got "org/model"; expected no model id with framework "sklearn": only huggingface-tgi and large-model serve a Hugging Face model id',
    ]);
    expect(collect((errors) => resolveFrameworkImage({ cloud: 'aws', framework: { name: 'huggingface-tgi', version: '3.3.6' }, compute: computeClass('gpu-t4'), huggingFaceModelId: 'not a model id' }, errors)).problems).toEqual([
      'ModelSpec spec.huggingFaceModelId: got "not a model id"; expected a Hugging Face model id such as "mistralai/Mistral-7B-Instruct-v0.3"',
    ]);
  });

  it('reports problems under the prop it is given', () => {
    const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'aws', framework: { name: 'sklearn', version: '9' }, compute: computeClass('gpu-t4') }, errors, 'props.spec.framework'));
    expect(problems).toEqual([expect.stringMatching(/^ModelSpec props\.spec\.framework\.version: got "9"/)]);
  });

  it('exposes the framework block\'s shape for the model spec', () => {
    expect(Object.keys(FRAMEWORK_SPEC_SHAPE)).toEqual(['name', 'version', 'pythonVersion']);
  });
});

describe('resolveHuggingFaceModel', () => {
  it('serves the model id on SageMaker\'s newest TGI image with HF_MODEL_ID and the class\'s GPU count', () => {
    const newest = sageMakerVersions('huggingface-tgi', 'gpu')[0];
    const { result, problems } = collect((errors) => resolveHuggingFaceModel({ cloud: 'aws', region: 'eu-west-1', modelId: 'mistralai/Mistral-7B-Instruct-v0.3', compute: computeClass('gpu-a10g') }, errors));
    expect(problems).toEqual([]);
    expect(result?.version).toBe(newest.version);
    expect(result?.image).toEqual({ kind: 'uri', uri: `763104351884.dkr.ecr.eu-west-1.amazonaws.com/huggingface-pytorch-tgi-inference:${newest.images[0].tag}` });
    expect(result?.environment).toEqual({ HF_MODEL_ID: 'mistralai/Mistral-7B-Instruct-v0.3', SM_NUM_GPUS: '1' });
    expect(result?.serving.requestFormat).toBe('text-generation');
    expect(result?.startupTimeoutSeconds).toBe(300);
  });

  it('sets SM_NUM_GPUS from the compute\'s GPU count', () => {
    const { result } = collect((errors) => resolveHuggingFaceModel({ cloud: 'aws', region: 'us-east-1', modelId: 'org/model', compute: { kind: 'gpu', gpuCount: 4 }, version: '3.2.3' }, errors));
    expect(result?.environment.SM_NUM_GPUS).toBe('4');
    expect(result?.version).toBe('3.2.3');
  });

  it('resolves to a regional mapping when the region is unknown', () => {
    const { result } = collect((errors) => resolveHuggingFaceModel({ cloud: 'aws', modelId: 'org/model', compute: computeClass('gpu-t4') }, errors));
    expect(result?.image.kind).toBe('regional-mapping');
  });

  it('refuses a CPU compute class: the text-generation images need a GPU', () => {
    const { problems } = collect((errors) => resolveHuggingFaceModel({ cloud: 'aws', region: 'us-east-1', modelId: 'org/model', compute: cpu }, errors));
    expect(problems).toEqual(['ModelSpec spec.compute: got "cpu-xlarge"; expected a GPU compute class: Hugging Face TGI images on aws need a GPU (model "org/model")']);
  });

  it('serves the same model id on Google\'s TGI container', () => {
    const { result } = collect((errors) => resolveHuggingFaceModel({ cloud: 'gcp', region: 'us-central1', modelId: 'org/model', compute: computeClass('gpu-a10g') }, errors));
    expect(result?.environment).toMatchObject({ MODEL_ID: 'org/model' });
  });

  it('refuses on Azure, asking for an image of your own in spec.image', () => {
    const { problems } = collect((errors) => resolveHuggingFaceModel({ cloud: 'azure', region: 'eastus', modelId: 'org/model', compute: computeClass('gpu-t4') }, errors));
    expect(problems).toEqual([expect.stringMatching(/^ModelSpec spec\.huggingFaceModelId: got "org\/model"; expected a model Container Apps can serve from a prebuilt image: .*in spec\.image, on either serving plane$/)]);
  });
});
