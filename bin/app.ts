// cdk entry (cdk.json "app"): the example AWS model stack with defaults, environment-agnostic so
// `cdk synth` needs no account. `-c instanceType=ml.g5.xlarge` or `-c mode=serverless|async` pick a variant.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ModelInferenceStack, ModelInferenceStackProps } from '../lib/aws/model-inference-stack';

const app = new App();

const instanceType: unknown = app.node.tryGetContext('instanceType');
const mode: unknown = app.node.tryGetContext('mode');

new ModelInferenceStack(app, 'ExampleModelStack', {
  description: 'deploy-ai-smarter example: a SageMaker endpoint behind an authenticated API (defaults)',
  spec: {
    name: 'example-model',
    // A SageMaker XGBoost serving image (AWS deep learning container registry, us-east-1).
    image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    modelArtifact: 's3://example-model-artifacts/xgboost/model.tar.gz',
  },
  // Context values are strings; the stack validates them and reports a clear error for bad ones.
  instanceType: typeof instanceType === 'string' ? instanceType : undefined,
  mode: typeof mode === 'string' ? (mode as ModelInferenceStackProps['mode']) : undefined,
});

// cdk-nag runs on every synth: a finding fails the synth unless acknowledged, with a reason, where it arises.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();
