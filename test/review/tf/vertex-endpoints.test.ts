// The review of a Vertex AI stack: the endpoint is an entry point with its IAM invokers, the custom invoker role is
// shown by its permissions, and the alert policies on the endpoint's metrics are listed.
import { Testing } from 'cdktf';
import { JsonObject } from '../../../lib/review/json';
import { reviewTfStack } from '../../../lib/review/tf/review-stack';
import { GcpModelStack } from '../../../lib/gcp/gcp-model-stack';

function review(dedicatedEndpoint?: boolean) {
  const stack = new GcpModelStack(Testing.app(), 'vertex', {
    projectId: 'example-project-id', region: 'us-central1', serving: 'vertex-ai', vertex: { dedicatedEndpoint },
    spec: { name: 'chat', huggingFaceModelId: 'Qwen/Qwen2.5-1.5B-Instruct', compute: 'gpu-a10g', monitoring: { alarmEmails: ['oncall@example.com'] } },
    invokers: ['group:ml-clients@example.com'],
  });
  return reviewTfStack({ name: 'vertex', file: 'cdk.tf.json', config: JSON.parse(Testing.synth(stack)) as JsonObject });
}

describe('Terraform review of a Vertex AI stack', () => {
  it('lists the endpoint as an IAM-authenticated entry point with its invokers, flagged as a project-level grant', () => {
    const [entry] = review().entryPoints.filter((e) => e.type === 'google_vertex_ai_endpoint_with_model_garden_deployment');
    expect(entry).toMatchObject({
      exposure: 'internet (dedicated endpoint DNS)',
      authentication: 'IAM (OAuth access token, aiplatform.endpoints.predict); invokers: group:ml-clients@example.com',
      flags: ['predict granted at project level (no endpoint-level IAM resource in the provider)'],
    });
    expect(review(false).entryPoints.find((e) => e.type.startsWith('google_vertex_ai'))!.exposure).toBe('internet (us-central1-aiplatform.googleapis.com)');
  });

  it('shows the invoker role by its single permission', () => {
    const binding = review().permissions.find((p) => p.grantee === 'group:ml-clients@example.com')!;
    expect(binding.actions).toEqual(['aiplatform.endpoints.predict']);
    expect(binding.flags).toEqual(['project-level grant']);
  });

  it('lists the three alert policies on the endpoint\'s prediction metrics with their email channel', () => {
    const alarms = review().alarms.filter((a) => a.type === 'google_monitoring_alert_policy');
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) {
      expect(alarm.condition).toContain('aiplatform.googleapis.com/prediction/online/');
      expect(alarm.notifies).toEqual(['email email_address=oncall@example.com']);
    }
  });
});
