// Example (c): a GPU model (1x A10G, ml.g5.xlarge) that scales between 1 and 8 instances on invocations per
// instance, as one composed stack. In your app, import from 'deploy-ai-smarter/aws' instead of '../lib/aws'.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { ModelInferenceStack } from '../lib/aws';

export function addGpuAutoscaling(app: App): Stack[] {
  return [new ModelInferenceStack(app, 'GpuModel', {
    description: 'deploy-ai-smarter example: a GPU model with autoscaling',
    spec: {
      name: 'sdxl-turbo',
      // Hugging Face text-generation / diffusion serving images are DLCs in the same registries.
      image: '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:2.1.0-transformers4.37.0-gpu-py310-cu118-ubuntu20.04',
      modelArtifact: 's3://acme-ml-artifacts/sdxl-turbo/model.tar.gz',
      compute: 'gpu-a10g',
      scaling: { minInstances: 1, maxInstances: 8, targetInvocationsPerInstancePerMinute: 30 },
      monitoring: { latencyP99Ms: 8000, alarmEmails: ['ml-oncall@example.com'] },
    },
    // GPU instances are slow to start: scale out early, scale in slowly.
    autoScaling: { scaleOutCooldown: Duration.minutes(2), scaleInCooldown: Duration.minutes(15) },
  })];
}

if (require.main === module) {
  const app = new App();
  addGpuAutoscaling(app);
  app.synth();
}
