// Example: a scikit-learn model.tar.gz served on SageMaker's prebuilt scikit-learn image, chosen by
// `spec.framework` for the stack's region (eu-west-1 here: the image URI is a literal; in an env-agnostic stack it
// comes from a CfnMapping on AWS::Region). In your app, import from 'deploy-ai-smarter/aws' instead of '../lib/aws'.
import { App, Stack } from 'aws-cdk-lib';
import { ModelInferenceStack } from '../lib/aws';

export function addFrameworkSklearn(app: App): Stack[] {
  return [new ModelInferenceStack(app, 'SklearnModel', {
    description: 'deploy-ai-smarter example: a scikit-learn model on the prebuilt SageMaker image',
    env: { account: '123456789012', region: 'eu-west-1' },
    spec: {
      name: 'churn-sklearn',
      // Resolves to 141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3.
      framework: { name: 'sklearn', version: '1.2-1' },
      // model.tar.gz holds model.joblib and code/inference.py defining model_fn (the container has no default loader).
      modelArtifact: 's3://acme-ml-artifacts/churn/sklearn/model.tar.gz',
      compute: 'cpu-xlarge',
      monitoring: { latencyP99Ms: 200, alarmEmails: ['ml-oncall@example.com'] },
    },
  })];
}

if (require.main === module) {
  const app = new App();
  addFrameworkSklearn(app);
  app.synth();
}
