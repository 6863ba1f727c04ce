// docs/existing-repos.md: our Google Cloud constructs in a CDKTF stack you already have, with your provider and
// your bucket (test/integration/fixtures/cdktf-app is the same app in plain JavaScript, installed from the tarball).
// #region terraform-own-stack
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { BatchInference, EncryptionKey, IngestionBucket, ModelApi, ModelService } from '../../lib/gcp';

const projectId = 'acme-ml';
const region = 'us-central1';
const app = new App();
const stack = new TerraformStack(app, 'platform');
new GoogleProvider(stack, 'google', { project: projectId, region });   // yours: our constructs declare none

const encryptionKey = new EncryptionKey(stack, 'ChurnKey', { projectId, region, keyRingName: 'churn-keyring' });
const service = new ModelService(stack, 'Churn', {
  projectId,
  region,
  encryptionKey,
  spec: { name: 'churn', image: 'us-central1-docker.pkg.dev/acme-ml/models/churn:1.0.0',
          modelArtifact: 'gs://acme-ml-models/churn/model.tar.gz' },   // read access granted on this object only
});
const api = new ModelApi(stack, 'ChurnApi', { service, invokers: ['group:ml-apps@example.com'] });
const ingestion = new IngestionBucket(stack, 'ChurnIngestion', { projectId, region, modelName: 'churn', encryptionKey });
new BatchInference(stack, 'ChurnBatch', { projectId, region, bucket: ingestion, service });
new TerraformOutput(stack, 'churn_url', { value: api.url });
app.synth();
// #endregion
