// Example: the article's serverless case, a small scikit-learn model served from a container-image Lambda
// function behind the same authenticated API, with alarms and a budget (ModelInferenceStack mode 'lambda').
// The image's handler gets the API Gateway event and loads the model from MODEL_URI. No data capture, drift or
// batch inference in this mode: they need a SageMaker endpoint. In your app, import from 'deploy-ai-smarter/aws'.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { ModelInferenceStack } from '../lib/aws';

export function addLambdaModel(app: App): Stack[] {
  return [new ModelInferenceStack(app, 'LambdaModel', {
    description: 'deploy-ai-smarter example: a small model in a Lambda function',
    env: { account: '123456789012', region: 'us-east-1' },
    spec: {
      name: 'iris-lambda',
      // Built from a Dockerfile FROM public.ecr.aws/lambda/python:3.12 and pushed to ECR in the stack's region;
      // lambda.code: DockerImageCode.fromImageAsset('./serving') builds it at `cdk deploy` instead.
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/iris-lambda:1.0',
      modelArtifact: 's3://acme-ml-artifacts/iris/model.joblib',
      monitoring: { latencyP99Ms: 500, alarmEmails: ['ml-oncall@example.com'] },
      monthlyBudgetUsd: 25,
    },
    mode: 'lambda',
    lambda: {
      // 1,769 MB is one full vCPU; the model loads once per instance.
      memorySizeMb: 1769,
      timeout: Duration.seconds(10),
      // Caps the bill and protects the account's other functions; one warm instance hides the cold start.
      reservedConcurrency: 20,
      provisionedConcurrency: 1,
    },
  })];
}

if (require.main === module) {
  const app = new App();
  addLambdaModel(app);
  app.synth();
}
