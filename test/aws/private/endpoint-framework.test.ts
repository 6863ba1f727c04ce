import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ModelEndpoint, ModelEndpointProps } from '../../../lib/aws/model-endpoint';
import { ContainerImage } from '../../../lib/aws/container-image';

const ARTIFACT = 's3://my-models/churn/model.tar.gz';

function synth(props: ModelEndpointProps, region: string | null = 'eu-west-1') {
  const stack = new Stack(new App(), 'Stack', region ? { env: { region, account: '111122223333' } } : {});
  const endpoint = new ModelEndpoint(stack, 'Endpoint', props);
  return { stack, endpoint, template: Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource: unknown };
function statements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
}
function primaryContainer(template: Template): { Image: unknown; Environment?: Record<string, string>; ModelDataUrl?: string } {
  return (Object.values(template.findResources('AWS::SageMaker::Model'))[0] as { Properties: { PrimaryContainer: never } }).Properties.PrimaryContainer;
}

describe('ModelEndpoint with spec.framework', () => {
  it('serves sklearn 1.2-1 in eu-west-1 from exactly the regional SageMaker image', () => {
    const { template } = synth({ spec: { name: 'churn', framework: { name: 'sklearn', version: '1.2-1' }, modelArtifact: ARTIFACT } });
    const container = primaryContainer(template);
    expect(container.Image).toBe('141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
    expect(container.ModelDataUrl).toBe(ARTIFACT);
    // The scikit-learn container runs the inference script packed in model.tar.gz.
    expect(container.Environment).toEqual({ SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code' });
  });

  it('lets the pull grant name only the AWS-owned image repository', () => {
    const { template } = synth({ spec: { name: 'churn', framework: { name: 'sklearn', version: '1.2-1' }, modelArtifact: ARTIFACT } });
    const pull = statements(template).find((s) => Array.isArray(s.Action) && s.Action.includes('ecr:BatchGetImage'));
    expect(pull?.Action).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
    expect(JSON.stringify(pull?.Resource)).toContain(':ecr:eu-west-1:141502667606:repository/sagemaker-scikit-learn');
    expect(statements(template).some((s) => s.Action === 'ecr:GetAuthorizationToken' && s.Resource === '*')).toBe(true);
  });

  it('spec environment wins over the image defaults', () => {
    const { template } = synth({ spec: { name: 'churn', framework: { name: 'sklearn', version: '1.2-1' }, modelArtifact: ARTIFACT, environment: { SAGEMAKER_PROGRAM: 'serve.py' } } });
    expect(primaryContainer(template).Environment?.SAGEMAKER_PROGRAM).toBe('serve.py');
  });

  it('gives PyTorch on a GPU instance the GPU image, and on the default CPU class the CPU image', () => {
    const gpu = synth({ spec: { name: 'vision', framework: { name: 'pytorch', version: '2.6' }, modelArtifact: ARTIFACT }, instanceType: 'ml.g5.xlarge' });
    expect(primaryContainer(gpu.template).Image).toBe('763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.6.0-gpu-py312');
    const cpu = synth({ spec: { name: 'vision', framework: { name: 'pytorch', version: '2.6.0' }, modelArtifact: ARTIFACT } });
    expect(primaryContainer(cpu.template).Image).toBe('763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.6.0-cpu-py312');
  });

  it('uses the spec compute class when no instance type is given (gpu class -> GPU image)', () => {
    const { template } = synth({ spec: { name: 'vision', framework: { name: 'pytorch', version: '2.6' }, modelArtifact: ARTIFACT, compute: 'gpu-a10g' } });
    expect(primaryContainer(template).Image).toMatch(/pytorch-inference:2\.6\.0-gpu-py312$/);
  });

  it('refuses an unknown version, listing the valid ones', () => {
    expect(() => synth({ spec: { name: 'churn', framework: { name: 'sklearn', version: '0.9' }, modelArtifact: ARTIFACT } }))
      .toThrow(/spec\.framework\.version: got "0\.9"; expected a sklearn version SageMaker publishes, one of .*"1\.2-1"/);
  });

  it('refuses a framework with no image for the instance processor', () => {
    expect(() => synth({ spec: { name: 'churn', framework: { name: 'sklearn', version: '1.2-1' }, modelArtifact: ARTIFACT }, instanceType: 'ml.g5.xlarge' }))
      .toThrow(/spec\.compute: .*sklearn 1\.2-1 has images for cpu only, not for gpu compute/);
  });

  it('resolves an env-agnostic stack through a CfnMapping on AWS::Region, never a literal', () => {
    const { template } = synth({ spec: { name: 'churn', framework: { name: 'sklearn', version: '1.2-1' }, modelArtifact: ARTIFACT } }, null);
    const mappings = template.toJSON().Mappings as Record<string, Record<string, { account: string; registry: string }>>;
    const [mappingId, mapping] = Object.entries(mappings).find(([id]) => id.startsWith('SageMakerImageRegistries'))!;
    expect(mapping['eu-west-1']).toEqual({ account: '141502667606', registry: '141502667606.dkr.ecr.eu-west-1.amazonaws.com' });
    expect(mapping['us-east-1'].account).toBe('683313688378');
    expect(primaryContainer(template).Image).toEqual({
      'Fn::Join': ['', [{ 'Fn::FindInMap': [mappingId, { Ref: 'AWS::Region' }, 'registry'] }, '/sagemaker-scikit-learn:1.2-1-cpu-py3']],
    });
    const pull = statements(template).find((s) => Array.isArray(s.Action) && s.Action.includes('ecr:BatchGetImage'));
    expect(JSON.stringify(pull?.Resource)).toContain(JSON.stringify({ 'Fn::FindInMap': [mappingId, { Ref: 'AWS::Region' }, 'account'] }));
  });

  it('an explicit image prop wins over the framework', () => {
    const image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/mine:1';
    const { template } = synth({ spec: { name: 'churn', framework: { name: 'sklearn', version: '1.2-1' }, modelArtifact: ARTIFACT }, image: ContainerImage.fromImageUri(image) });
    expect(primaryContainer(template).Image).toBe(image);
  });

  it('refuses a variant on another processor that serves the prebuilt image', () => {
    expect(() => synth({
      spec: { name: 'vision', framework: { name: 'pytorch', version: '2.6' }, modelArtifact: ARTIFACT },
      instanceType: 'ml.g5.xlarge',
      additionalVariants: [{ variantName: 'cpu', instanceType: 'ml.m5.xlarge' }],
    })).toThrow(/additionalVariants\[0\]\.instanceType: got "ml\.m5\.xlarge"; expected a gpu instance type like the main variant's/);
  });
});

describe('ModelEndpoint with spec.huggingFaceModelId', () => {
  const MODEL_ID = 'mistralai/Mistral-7B-Instruct-v0.3';

  it('serves the TGI GPU image with HF_MODEL_ID, SM_NUM_GPUS from the instance and a 300 s startup check', () => {
    const { template } = synth({ spec: { name: 'chat', huggingFaceModelId: MODEL_ID }, instanceType: 'ml.g5.12xlarge' }, 'us-east-1');
    const container = primaryContainer(template);
    expect(container.Image).toBe('763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.7.0-tgi3.3.6-gpu-py311-cu124-ubuntu22.04');
    expect(container.Environment).toEqual({ HF_MODEL_ID: MODEL_ID, SM_NUM_GPUS: '4' });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.g5.12xlarge', ContainerStartupHealthCheckTimeoutInSeconds: 300 })],
    });
  });

  it('turns network isolation off by default (the container downloads from the Hub) and refuses it on', () => {
    const { template } = synth({ spec: { name: 'chat', huggingFaceModelId: MODEL_ID }, instanceType: 'ml.g5.2xlarge' });
    template.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: false });
    expect(() => synth({ spec: { name: 'chat', huggingFaceModelId: MODEL_ID }, instanceType: 'ml.g5.2xlarge', networkIsolation: true }))
      .toThrow(/networkIsolation: got true; expected false or unset with spec\.huggingFaceModelId/);
  });

  it('keeps an explicit startup timeout', () => {
    const { template } = synth({ spec: { name: 'chat', huggingFaceModelId: MODEL_ID }, instanceType: 'ml.g5.2xlarge', containerStartupHealthCheckTimeout: Duration.minutes(20) });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ContainerStartupHealthCheckTimeoutInSeconds: 1200 })],
    });
  });

  it('refuses a CPU instance: TGI images need a GPU', () => {
    expect(() => synth({ spec: { name: 'chat', huggingFaceModelId: MODEL_ID } }))
      .toThrow(/spec\.compute: .*a GPU compute class: Hugging Face TGI images on aws need a GPU/);
  });
});

describe('ModelEndpoint prebuilt images by processor and mode', () => {
  it('gives the Neuron TGI image on an Inferentia 2 instance', () => {
    const { template } = synth({ spec: { name: 'chat', huggingFaceModelId: 'Qwen/Qwen2.5-7B-Instruct' }, instanceType: 'ml.inf2.xlarge' }, 'us-east-1');
    expect(primaryContainer(template).Image).toMatch(/huggingface-pytorch-tgi-inference:.*neuronx/);
  });

  it('gives the CPU image in serverless mode', () => {
    const { template } = synth({ spec: { name: 'vision', framework: { name: 'pytorch', version: '2.6' }, modelArtifact: ARTIFACT }, mode: 'serverless' });
    expect(primaryContainer(template).Image).toMatch(/pytorch-inference:2\.6\.0-cpu-py312$/);
  });

  it('uses the spec compute class when the instance type is a token', () => {
    const stack = new Stack(new App(), 'Stack', { env: { region: 'eu-west-1', account: '111122223333' } });
    const type = new CfnParameter(stack, 'InstanceType', { default: 'ml.g5.xlarge' }).valueAsString;
    new ModelEndpoint(stack, 'Endpoint', { spec: { name: 'vision', framework: { name: 'pytorch', version: '2.6' }, modelArtifact: ARTIFACT, compute: 'gpu-a10g' }, instanceType: type });
    expect(primaryContainer(Template.fromStack(stack)).Image).toMatch(/pytorch-inference:2\.6\.0-gpu-py312$/);
  });
});

describe('ModelEndpoint and spec.serving', () => {
  it('refuses a non-default port or route, naming spec.serving and the fix', () => {
    expect(() => synth({ spec: { name: 'churn', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/mine:1', serving: { port: 8000, predictPath: '/predict' } } }))
      .toThrow(/spec\.serving: got .*"port":8000.*; expected SageMaker's fixed serving contract, port 8080 with GET \/ping and POST \/invocations.*wrap your server.*GcpModelStack or AzureModelStack/);
  });

  it('accepts the default contract spelled out', () => {
    expect(() => synth({ spec: { name: 'churn', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/mine:1', serving: { port: 8080, healthPath: '/ping', predictPath: '/invocations' } } })).not.toThrow();
  });
});
