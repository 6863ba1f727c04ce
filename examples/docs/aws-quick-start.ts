// The AWS quick start of README.md and docs/aws.md.
// #region aws-quick-start
import { App } from 'aws-cdk-lib';
import { ModelInferenceStack } from '../../lib/aws';

const app = new App();
new ModelInferenceStack(app, 'ChurnModel', {
  env: { account: '123456789012', region: 'us-east-1' },
  spec: { name: 'churn', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1.4.0',
          modelArtifact: 's3://my-models/churn/model.tar.gz', monitoring: { alarmEmails: ['ml-oncall@example.com'] } },
});
// #endregion
