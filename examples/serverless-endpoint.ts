// Example (d): a serverless SageMaker endpoint (CPU, scales to zero, billed per request) behind an API-key API.
// In your app, import from 'deploy-ai-smarter/aws' instead of '../lib/aws'.
import { App, Stack } from 'aws-cdk-lib';
import { ModelInferenceStack } from '../lib/aws';

export function addServerlessEndpoint(app: App): Stack[] {
  return [new ModelInferenceStack(app, 'ServerlessModel', {
    description: 'deploy-ai-smarter example: a serverless endpoint',
    spec: {
      name: 'sentiment',
      image: '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-cpu-py311',
      modelArtifact: 's3://acme-ml-artifacts/sentiment/model.tar.gz',
    },
    mode: 'serverless',
    // Memory also sets the CPU share; one provisioned instance avoids a cold start for the first request.
    serverless: { memorySizeMb: 4096, maxConcurrency: 10, provisionedConcurrency: 1 },
    // Serverless endpoints capture no data (SageMaker does not support it), so capture is off.
    dataCapture: false,
    authorization: 'apiKey',
    quota: { limit: 100_000 },
  })];
}

if (require.main === module) {
  const app = new App();
  addServerlessEndpoint(app);
  app.synth();
}
