// README.md: the shortest stack per cloud (the guides show the full quick starts).
import * as cdk from 'aws-cdk-lib';
import * as cdktf from 'cdktf';
import { ModelInferenceStack } from '../../lib/aws';
import { AzureModelStack, ExistingAzure } from '../../lib/azure';
import { GcpModelStack } from '../../lib/gcp';

const app = new cdk.App();
const tfApp = new cdktf.App();
// #region readme-aws
new ModelInferenceStack(app, 'ChurnModel', {
  spec: { name: 'churn', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1.4.0',
          modelArtifact: 's3://my-models/churn/model.tar.gz', monitoring: { alarmEmails: ['ml-oncall@example.com'] } },
});
// #endregion
// #region readme-gcp
new GcpModelStack(tfApp, 'churn', {
  projectId: 'my-project-id', region: 'us-central1',
  spec: { name: 'churn', image: 'us-central1-docker.pkg.dev/my-project-id/models/churn:1.0.0',
          modelArtifact: 'gs://my-artifacts/churn/model.tar.gz' },
  invokers: ['group:churn-clients@example.com'],
});
// #endregion
// #region readme-azure
new AzureModelStack(tfApp, 'fraud', {
  location: 'eastus',
  spec: { name: 'fraud', image: 'myacr.azurecr.io/fraud:1.4' },
  existingRegistry: ExistingAzure.containerRegistryFromId('/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ContainerRegistry/registries/myacr'),
});
// #endregion
