// Example: model-quality monitoring on Azure and the retraining signal wired to your pipeline. The stack deploys the
// drift and quality functions, their alerts, and the Event Grid topic both publish to (CloudEvents 1.0, type
// deploy-ai-smarter.retraining-signal.v1); this example subscribes a webhook of yours (a Logic App, an Azure ML
// pipeline trigger, a relay to GitHub Actions) to it. The subscription id is a placeholder; synth needs no credentials.
// In your app, import from 'deploy-ai-smarter/azure' and '/core' instead of '../lib/azure' and '../lib/core'.
import { EventgridEventSubscription } from '@cdktf/provider-azurerm/lib/eventgrid-event-subscription';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { AzureModelStack } from '../lib/azure';
import { RETRAINING_EVENT_TYPE } from '../lib/core';

export function addAzureRetrainingSubscription(app: App): TerraformStack[] {
  const stack = new AzureModelStack(app, 'churn-azure-retraining', {
    spec: {
      name: 'churn',
      image: 'docker.io/acme/churn:1.4.0',
      monitoring: {
        alarmEmails: ['ml-oncall@example.com'],
        // Labels go to the `ground-truth` container under churn/YYYY/MM/DD/HH/ (SageMaker's merge format).
        quality: { problemType: 'BinaryClassification', minAccuracy: 0.85, minRecall: 0.7, labelTimeoutHours: 48 },
      },
    },
    location: 'westeurope',
    subscriptionId: '00000000-0000-0000-0000-000000000000',
  });
  const webhook = new TerraformVariable(stack, 'retraining_webhook_url', {
    type: 'string',
    // The endpoint must answer Event Grid's CloudEvents validation handshake (an OPTIONS request with WebHook-Request-Origin).
    description: 'HTTPS endpoint that starts your retraining pipeline; it receives CloudEvents whose data is the retraining event',
  });
  new EventgridEventSubscription(stack, 'RetrainingPipeline', {
    name: 'churn-retraining-pipeline',
    scope: stack.retrainingTopic!.id,
    eventDeliverySchema: 'CloudEventSchemaV1_0',
    includedEventTypes: [RETRAINING_EVENT_TYPE],
    // Only quality crossings and labels that stopped, not every drifted feature: subjects are `<trigger>/<what crossed>`.
    advancedFilter: { stringBeginsWith: [{ key: 'subject', values: ['model_quality/', 'label_coverage/'] }] },
    webhookEndpoint: { url: webhook.stringValue },
    retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLive: 1440 },
  });
  return [stack];
}

if (require.main === module) {
  const app = new App({ outdir: 'cdktf.out.examples' });
  addAzureRetrainingSubscription(app);
  app.synth();
}
