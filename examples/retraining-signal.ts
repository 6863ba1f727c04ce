// Example: drift and model quality on AWS with the portable jobs, and the retraining signal wired to a target. When a
// drift verdict or a quality threshold alarm fires, the stack puts one `Retraining Signal` event (docs/quality.md) on
// EventBridge; a rule matches it and queues it for the retraining pipeline (a worker, a Step Functions trigger...).
// In your app, import from 'deploy-ai-smarter/aws' instead of '../lib/aws/...'.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ModelInferenceStack } from '../lib/aws/model-inference-stack';
import { RetrainingSignal } from '../lib/aws';

export function addRetrainingSignal(app: App): Stack[] {
  const stack = new ModelInferenceStack(app, 'RetrainingSignalModel', {
    description: 'deploy-ai-smarter example: drift and model quality with a retraining signal',
    spec: {
      name: 'churn',
      image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
      modelArtifact: 's3://acme-ml-artifacts/churn/model.tar.gz',
      monitoring: {
        alarmEmails: ['ml-oncall@example.com'],
        driftFeatures: ['tenure', 'monthly_charges'],
        // Labels go to s3://<ingestion bucket>/ground-truth/YYYY/MM/DD/HH/ in Model Monitor's merge format.
        quality: { problemType: 'BinaryClassification', minAccuracy: 0.8, minRecall: 0.7, labelTimeoutHours: 48 },
      },
    },
    // The default: the retraining events go to the account's default bus.
    monitoring: { retrainingSignal: true },
  });

  // The retraining pipeline's inbox: one message per event, kept 4 days, with a dead-letter queue.
  const deadLetters = new sqs.Queue(stack, 'RetrainingDeadLetters', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14) });
  const inbox = new sqs.Queue(stack, 'RetrainingInbox', {
    enforceSSL: true,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
  });
  new events.Rule(stack, 'RetrainOnSignal', {
    description: 'Queues the retraining signal of model churn for the retraining pipeline',
    eventPattern: RetrainingSignal.eventPattern('churn'),
    targets: [new targets.SqsQueue(inbox, { deadLetterQueue: deadLetters })],
  });
  return [stack];
}

if (require.main === module) {
  const app = new App();
  addRetrainingSignal(app);
  app.synth();
}
