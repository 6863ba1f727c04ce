// The model spec of README.md, and the quality block of docs/quality.md.
// #region model-spec
import type { ModelSpec } from '../../lib/core';

const spec: ModelSpec = {
  name: 'churn',                                    // 2-32 chars: lowercase letters, digits, hyphens
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1.4.0',
  modelArtifact: 's3://my-models/churn/model.tar.gz', // or gs://..., https://<acct>.blob.core.windows.net/..., or a local file (AWS)
  compute: 'cpu-xlarge',                            // or 'gpu-t4', 'gpu-a10g', ... or 'ml.g5.xlarge'
  scaling: { minInstances: 1, maxInstances: 4, targetInvocationsPerInstancePerMinute: 100, concurrency: 8 },
  monitoring: { latencyP99Ms: 2000, errorRatePercent: 5, driftFeatures: ['age', 'plan'], driftThreshold: 0.1,
                psiThreshold: 0.2, alarmEmails: ['ml-oncall@example.com'] },
  monthlyBudgetUsd: 1500,
};
// #endregion

export const qualitySpec: ModelSpec = {
  ...spec,
  // #region quality-spec
  monitoring: {
    quality: {
      problemType: 'BinaryClassification',   // | 'MulticlassClassification' | 'Regression' (required)
      minAccuracy: 0.8, minPrecision: 0.75, minRecall: 0.7, minF1: 0.7, minAuc: 0.8,   // classification, 0..1
      // maxRmse: 12, maxMae: 9, minR2: 0.5,  // regression
      labelTimeoutHours: 24,      // 0..744: each run judges the window that ended this long ago
      minLabelCoverage: 0.05,     // 0..1, optional
      windowHours: 24,            // 1..744
      minSamples: 30,             // 1..1000000: fewer labelled predictions publish no metrics
      inferenceAttribute: 'predicted_label', probabilityAttribute: 'probability',  // optional
      probabilityThreshold: 0.5, positiveLabel: '1',                               // binary only
    },
  },
  // #endregion
};
