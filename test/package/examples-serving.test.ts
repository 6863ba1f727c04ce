// The serving examples (framework preset, Hugging Face LLM, Lambda-hosted model) synthesize what they promise.
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EXAMPLES } from '../../examples';
import { llmMonthlyCost } from '../../examples/llm-huggingface';

function cdkExample(name: string): Template {
  const example = EXAMPLES.find((e) => e.name === name);
  if (!example || example.kind !== 'cdk') throw new Error(`no CDK example ${name}`);
  const stacks: Stack[] = example.load()(new App());
  return Template.fromStack(stacks[0]);
}

describe('serving examples', () => {
  it('framework-sklearn: serves the eu-west-1 scikit-learn image', () => {
    cdkExample('framework-sklearn').hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: Match.objectLike({ Image: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3' }),
    });
  });

  it('llm-huggingface: serves the model id on the regional TGI image with a 15-minute startup check', () => {
    const template = cdkExample('llm-huggingface');
    template.hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: false,
      PrimaryContainer: Match.objectLike({
        Image: { 'Fn::Join': ['', [{ 'Fn::FindInMap': [Match.anyValue(), { Ref: 'AWS::Region' }, 'registry'] }, Match.stringLikeRegexp('^/huggingface-pytorch-tgi-inference:.*-gpu-')]] },
        Environment: Match.objectLike({ HF_MODEL_ID: 'Qwen/Qwen2.5-7B-Instruct', SM_NUM_GPUS: '1' }),
      }),
    });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.g5.2xlarge', ContainerStartupHealthCheckTimeoutInSeconds: 900, ModelDataDownloadTimeoutInSeconds: 1200 })],
    });
  });

  it('llm-huggingface: its monthly cost comes from the cost model (1-2 x ml.g5.2xlarge)', () => {
    const estimate = llmMonthlyCost();
    const instances = estimate.lines.find((l) => l.item.startsWith('ml.g5.2xlarge instances'))!;
    expect(instances.basis).toMatch(/^1-2 x 730 h x \$1\.515\/h$/);
    expect(estimate.minMonthlyUsd).toBeGreaterThan(instances.minUsd);
  });

  it('lambda-model: a container-image function behind the API, with alarms and no SageMaker endpoint', () => {
    const template = cdkExample('lambda-model');
    template.hasResourceProperties('AWS::Lambda::Function', { PackageType: 'Image', MemorySize: 1769, ReservedConcurrentExecutions: 20 });
    template.hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } });
    template.resourceCountIs('AWS::SageMaker::Endpoint', 0);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
  });
});
