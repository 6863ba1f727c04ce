// Fast cdk-nag smoke check for the unit loop: the default stack has no unacknowledged AwsSolutions finding.
// The full gate (every stack variant, the cdk.json feature flags, aws-cdk-lib's CloudFormation validation, and the
// packed library in fresh apps on the newest and the lowest aws-cdk-lib) is test/integration (npm run test:integration).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ModelInferenceStack } from '../../lib/aws/model-inference-stack';
import { synthesizeFindings } from '../validation-report';

const SPEC = {
  name: 'example-model',
  image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
  modelArtifact: 's3://example-model-artifacts/xgboost/model.tar.gz',
};

/** Synthesizes `build`'s stacks with the AwsSolutions pack and returns every AwsSolutions finding, one line each. */
function nagFindings(build: (app: App) => void): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-smoke-'));
  try {
    const app = new App({ outdir });
    build(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return synthesizeFindings(app).filter((f) => f.startsWith('AwsSolutions '));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('cdk-nag smoke check', () => {
  it('the default stack has no unacknowledged AwsSolutions finding', () => {
    expect(nagFindings((app) => new ModelInferenceStack(app, 'Default', { spec: SPEC }))).toEqual([]);
  });

  it('the stack with the portable quality and explain jobs and the retraining signal has no unacknowledged AwsSolutions finding', () => {
    const spec = { ...SPEC, monitoring: { driftFeatures: ['age'], quality: { problemType: 'BinaryClassification' as const, minAccuracy: 0.8 } } };
    expect(nagFindings((app) => new ModelInferenceStack(app, 'Quality', { spec, monitoring: { explain: true } }))).toEqual([]);
  });

  it('reports a finding nobody acknowledged (control)', () => {
    const findings = nagFindings((app) => new s3.Bucket(new Stack(app, 'Control'), 'PlainBucket'));
    expect(findings).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions error AwsSolutions-S1 at Control\/PlainBucket/)]));
  });
});
