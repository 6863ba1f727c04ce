// Example: an open model from Hugging Face on a Vertex AI endpoint (Model Garden), 1 to 2 replicas of g2-standard-8
// with one NVIDIA L4, IAM-only invocation, alerts on the endpoint's prediction metrics and a monthly budget.
// In your app, import from 'deploy-ai-smarter/gcp' instead of '../lib/gcp'.
import { App, TerraformStack } from 'cdktf';
import { GcpModelStack } from '../lib/gcp';

export function addGcpVertexAi(app: App): TerraformStack[] {
  return [new GcpModelStack(app, 'VertexAiModel', {
    projectId: 'example-project-id',
    region: 'us-central1',
    serving: 'vertex-ai',
    spec: {
      name: 'qwen-chat',
      huggingFaceModelId: 'Qwen/Qwen2.5-1.5B-Instruct',
      compute: 'gpu-a10g-2xlarge',
      scaling: { minInstances: 1, maxInstances: 2 },
      monitoring: { latencyP99Ms: 10000, alarmEmails: ['ml-oncall@example.com'] },
      monthlyBudgetUsd: 3000,
    },
    // A gated model would also need vertex.acceptEula and vertex.huggingFaceAccessToken (from a sensitive variable).
    invokers: ['serviceAccount:chat-app@example-project-id.iam.gserviceaccount.com'],
    billingAccountId: '012345-6789AB-CDEF01',
  })];
}

if (require.main === module) {
  const app = new App();
  addGcpVertexAi(app);
  app.synth();
}
