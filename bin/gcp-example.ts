// The example GCP stack: one CPU model with defaults only (drift job included) and a monthly budget, synthesized by
// bin/tf-app.ts (no credentials needed). The project and billing account ids are placeholders: use yours to deploy.
import { App } from 'cdktf';
import { GcpModelStack } from '../lib/gcp';

export function addGcpExample(app: App): GcpModelStack {
  return new GcpModelStack(app, 'gcp-model', {
    projectId: 'example-project-id',
    region: 'us-central1',
    billingAccountId: '000000-000000-000000',
    spec: {
      name: 'example-model',
      image: 'us-central1-docker.pkg.dev/example-project-id/models/example-model:1.0.0',
      modelArtifact: 'gs://example-project-id-artifacts/example-model/model.tar.gz',
      monitoring: { alarmEmails: ['ml-oncall@example.com'] },
      monthlyBudgetUsd: 500,
    },
  });
}
