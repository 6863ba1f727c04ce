// docs/gcp.md: an open model on a Vertex AI endpoint (serving: 'vertex-ai').
import { App } from 'cdktf';
import { GcpModelStack } from '../../lib/gcp';

// #region gcp-vertex
const app = new App();
new GcpModelStack(app, 'chat', {
  projectId: 'my-project-id',
  region: 'us-central1',
  serving: 'vertex-ai',
  spec: { name: 'qwen-chat', huggingFaceModelId: 'Qwen/Qwen2.5-1.5B-Instruct', compute: 'gpu-a10g-2xlarge', monitoring: { alarmEmails: ['oncall@example.com'] } },
  invokers: ['serviceAccount:chat-app@my-project-id.iam.gserviceaccount.com'],
});
app.synth();
// #endregion
