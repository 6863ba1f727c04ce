// Example: a new model version tried on real traffic two ways, in one stack. The A/B endpoint splits requests
// 90/10 between the current version and a candidate on another instance type; the shadow endpoint answers with the
// current version and copies half of its requests to the candidate (SageMaker allows a shadow variant only next to
// a single production variant, hence two endpoints). Each variant gets its own alarms, and updates roll out blue/green
// with automatic rollback. In your app, import from 'deploy-ai-smarter/aws' instead of '../lib/aws'.
import { App, Stack } from 'aws-cdk-lib';
import { ContainerImage, InferenceAlarms, ModelEndpoint } from '../lib/aws';
import { ModelSpec } from '../lib/core';

const CURRENT: ModelSpec = {
  name: 'churn',
  image: '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-cpu-py311',
  modelArtifact: 's3://acme-ml-artifacts/churn/v3/model.tar.gz',
  monitoring: { latencyP99Ms: 300, alarmEmails: ['ml-oncall@example.com'] },
};
const CANDIDATE_IMAGE = ContainerImage.fromImageUri('763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.4.0-cpu-py311');

export function addAbTestVariants(app: App): Stack[] {
  const stack = new Stack(app, 'ChurnAbTest', { description: 'deploy-ai-smarter example: weighted variants and a shadow variant' });

  const ab = new ModelEndpoint(stack, 'AbEndpoint', {
    spec: CURRENT,
    variantName: 'Current',
    variantWeight: 9,
    additionalVariants: [{ variantName: 'Candidate', weight: 1, instanceType: 'ml.c7i.xlarge', image: CANDIDATE_IMAGE, autoScaling: { minCapacity: 1, maxCapacity: 2 } }],
    deployment: {},
  });
  const abAlarms = new InferenceAlarms(stack, 'AbAlarms', { endpoint: ab });
  // The 5xx and latency alarms of both production variants roll a bad update back.
  ab.addRollbackAlarm(...abAlarms.rollbackAlarms());

  const shadowed = new ModelEndpoint(stack, 'ShadowEndpoint', {
    spec: { ...CURRENT, name: 'churn-shadow' },
    shadowVariant: { variantName: 'Candidate', image: CANDIDATE_IMAGE, samplingPercent: 50 },
  });
  new InferenceAlarms(stack, 'ShadowAlarms', { endpoint: shadowed, topic: abAlarms.topic, emails: [] });
  return [stack];
}

if (require.main === module) {
  const app = new App();
  addAbTestVariants(app);
  app.synth();
}
