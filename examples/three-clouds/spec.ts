// Example (e), the shared part: one ModelSpec for AWS, Google Cloud and Azure. Everything but where the image and
// the artifact live is the same; each cloud pulls from its own registry and object store.
import { ModelSpec } from '../../lib/core';

export type Cloud = 'aws' | 'gcp' | 'azure';

const SHARED = {
  name: 'recommender',
  compute: 'gpu-t4',
  scaling: { minInstances: 1, maxInstances: 6, targetInvocationsPerInstancePerMinute: 120, concurrency: 16 },
  monitoring: { latencyP99Ms: 1500, errorRatePercent: 2, driftFeatures: ['basket_size', 'days_since_last_order'], alarmEmails: ['ml-oncall@example.com'] },
  monthlyBudgetUsd: 2500,
  environment: { MODEL_VARIANT: 'v7' },
} as const satisfies Omit<ModelSpec, 'image'>;

const LOCATIONS: Record<Cloud, Pick<ModelSpec, 'image' | 'modelArtifact'>> = {
  aws: {
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/recommender:7.0.0',
    modelArtifact: 's3://acme-ml-artifacts/recommender/v7/model.tar.gz',
  },
  gcp: {
    image: 'us-central1-docker.pkg.dev/acme-ml/models/recommender:7.0.0',
    modelArtifact: 'gs://acme-ml-artifacts/recommender/v7/model.tar.gz',
  },
  azure: {
    image: 'acmeml.azurecr.io/recommender:7.0.0',
    modelArtifact: 'https://acmeml.blob.core.windows.net/models/recommender/v7/model.tar.gz',
  },
};

/** The recommender's spec, with the image and artifact locations of `cloud`. */
export function recommenderSpec(cloud: Cloud): ModelSpec {
  return { ...SHARED, ...LOCATIONS[cloud] };
}
