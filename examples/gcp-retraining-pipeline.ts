// Example: model quality on Google Cloud and the retraining signal wired to a pipeline. The stack runs the quality
// job daily on captured predictions joined with the labels you upload to its ground-truth folder; when drift or
// quality alerts fire, a RetrainingEvent lands on the `churn-retraining` topic, and this push subscription hands it
// to your retraining pipeline's HTTPS endpoint with an OIDC token (verify it there: audience = the endpoint URL).
// In your app, import from 'deploy-ai-smarter/gcp' instead of '../lib/gcp'.
import { App, TerraformStack } from 'cdktf';
import { PubsubSubscription } from '@cdktf/provider-google/lib/pubsub-subscription';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { GcpModelStack } from '../lib/gcp';

/** Where the retraining pipeline takes events (a Cloud Run service, Workflows trigger, or any HTTPS endpoint). */
const PIPELINE_URL = 'https://retrain-churn-abc123-uc.a.run.app/events';

export function addGcpRetrainingPipeline(app: App): TerraformStack[] {
  const stack = new GcpModelStack(app, 'churn-quality-gcp', {
    projectId: 'acme-ml',
    region: 'us-central1',
    spec: {
      name: 'churn',
      image: 'us-central1-docker.pkg.dev/acme-ml/models/churn:3',
      monitoring: {
        alarmEmails: ['ml-oncall@example.com'],
        driftFeatures: ['tenure', 'monthly_charges'],
        quality: { problemType: 'BinaryClassification', minAccuracy: 0.85, minRecall: 0.7, minLabelCoverage: 0.2, labelTimeoutHours: 48 },
      },
    },
  });
  // The pipeline's caller identity: grant it run.invoker on the pipeline service (outside this stack).
  const caller = new ServiceAccount(stack, 'PipelineCaller', { project: 'acme-ml', accountId: 'churn-retrain-caller', displayName: 'Delivers churn retraining events' });
  new PubsubSubscription(stack, 'RetrainingPipeline', {
    project: 'acme-ml',
    name: 'churn-retraining-to-pipeline',
    topic: stack.retraining!.topic.id,
    ackDeadlineSeconds: 60,
    messageRetentionDuration: '604800s',
    expirationPolicy: { ttl: '' },
    retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
    // The event is the message data; attributes type=deploy-ai-smarter.retraining-signal.v1, source, model.
    pushConfig: { pushEndpoint: PIPELINE_URL, oidcToken: { serviceAccountEmail: caller.email, audience: PIPELINE_URL } },
    filter: 'attributes.type = "deploy-ai-smarter.retraining-signal.v1"',
  });
  return [stack];
}

if (require.main === module) {
  const app = new App({ outdir: 'cdktf.out.examples' });
  addGcpRetrainingPipeline(app);
  app.synth();
}
