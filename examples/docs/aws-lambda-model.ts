// docs/aws.md: a small model served from a container-image Lambda function (mode 'lambda').
import { App, Duration } from 'aws-cdk-lib';
import { ModelInferenceStack } from '../../lib/aws';

const app = new App();
// #region aws-lambda-model
new ModelInferenceStack(app, 'Iris', {
  spec: { name: 'iris', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/iris-lambda:1.0', modelArtifact: 's3://models/iris/model.joblib' },
  mode: 'lambda',
  lambda: { memorySizeMb: 1769, timeout: Duration.seconds(10), reservedConcurrency: 20, provisionedConcurrency: 1 },
});
// #endregion
