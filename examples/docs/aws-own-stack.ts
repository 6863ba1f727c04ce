// docs/aws.md: single constructs in a stack of your own.
// #region aws-own-stack
import { Stack } from 'aws-cdk-lib';
import { ModelEndpoint, InferenceApi, InferenceAlarms } from '../../lib/aws';

// #endregion
import { App } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

const app = new App();
const placeholder = new Stack(app, 'Callers');
const myServiceRole = new iam.Role(placeholder, 'Caller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
// #region aws-own-stack
const stack = new Stack(app, 'Existing');
const endpoint = new ModelEndpoint(stack, 'Churn', {
  spec: { name: 'churn', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:1.4', modelArtifact: 's3://models/churn/model.tar.gz' },
});
const api = new InferenceApi(stack, 'ChurnApi', { endpoint });
api.grantInvoke(myServiceRole);                           // SigV4 callers
new InferenceAlarms(stack, 'ChurnAlarms', { endpoint, api, emails: ['ml-oncall@example.com'] });
// #endregion
