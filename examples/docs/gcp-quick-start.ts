// The Google Cloud quick start of docs/gcp.md.
// #region gcp-quick-start
import { App } from 'cdktf';
import { GcpModelStack } from '../../lib/gcp';

const app = new App();
new GcpModelStack(app, 'churn', {
  projectId: 'my-project-id',
  region: 'us-central1',
  spec: {
    name: 'churn',
    image: 'us-central1-docker.pkg.dev/my-project-id/models/churn:1.0.0',
    modelArtifact: 'gs://my-artifacts/churn/model.tar.gz',
    monitoring: { alarmEmails: ['ml-oncall@example.com'] },
    monthlyBudgetUsd: 500,                        // optional: a billing budget with alerts
  },
  billingAccountId: '012345-6789AB-CDEF01',       // required with monthlyBudgetUsd
  backend: { bucket: 'my-tf-state' },            // optional: remote state in GCS
  invokers: ['group:churn-clients@example.com'],  // who may call the model
});
app.synth();
// #endregion
