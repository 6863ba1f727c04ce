// Security gate: the example stacks (default, GPU, serverless, async, API key, fully monitored, unmonitored) synthesize with cdk-nag's
// AwsSolutions pack and aws-cdk-lib's CloudFormation validation without one unacknowledged finding.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InferenceApi } from '../../lib/aws/inference-api';
import { IngestionBucket } from '../../lib/aws/ingestion-bucket';
import { ModelEndpoint } from '../../lib/aws/model-endpoint';
import { ModelInferenceStack, ModelInferenceStackProps } from '../../lib/aws/model-inference-stack';
import { reportingPlugins, synthesizeFindings } from '../validation-report';

// test/setup-env.js turns aws-cdk-lib's built-in CloudFormation validation off for speed; this gate needs it.
process.env.CDK_VALIDATION = 'true';

const SPEC = {
  name: 'example-model',
  image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
  modelArtifact: 's3://example-model-artifacts/xgboost/model.tar.gz',
};

const VARIANTS: Record<string, Partial<ModelInferenceStackProps>> = {
  Default: {},
  Gpu: { instanceType: 'ml.g5.xlarge' },
  Serverless: { mode: 'serverless' },
  Async: { mode: 'async' },
  ApiKey: { authorization: 'apiKey' },
  // Monitoring variants: drift features, budget, the portable drift and quality jobs with the retraining signal (the
  // defaults), and Model Monitor for drift and quality by explicit choice.
  Monitored: {
    spec: { ...SPEC, monthlyBudgetUsd: 500, monitoring: { driftFeatures: ['age'], alarmEmails: ['ml@example.com'], quality: { problemType: 'BinaryClassification', minAccuracy: 0.8 } } },
    portableDriftJob: true,
  },
  ModelMonitor: {
    spec: { ...SPEC, monitoring: { driftFeatures: ['age'] } },
    modelQuality: { problemType: 'BinaryClassification', thresholds: { accuracy: 0.8 } },
    monitoring: { driftEngine: 'model-monitor' },
  },
  Unmonitored: { spec: { ...SPEC, monitoring: { enabled: false } } },
};

/** Synthesizes `app` with cdk-nag and returns every unacknowledged error or warning, and the plugins that reported. */
function synthFindings(app: App): { findings: string[]; plugins: string[] } {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const findings = synthesizeFindings(app);
  return { findings, plugins: reportingPlugins(app.outdir) };
}

/** A fresh output folder per synthesis, removed after the file's tests. */
const outdirs: string[] = [];
function freshOutdir(prefix: string): string {
  outdirs.push(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  return outdirs[outdirs.length - 1];
}
afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('cdk-nag gate', () => {
  it('example stacks have no unacknowledged AwsSolutions or CloudFormation validation findings', () => {
    const outdir = freshOutdir('nag-examples-');
    const app = new App({ outdir });
    for (const [name, props] of Object.entries(VARIANTS)) {
      new ModelInferenceStack(app, `Example${name}`, { spec: SPEC, ...props });
    }
    // One API in front of two models (per-model proxies and roles), as examples/two-models-one-api.ts builds it.
    const multi = new Stack(app, 'ExampleTwoModelsOneApi');
    const api = new InferenceApi(multi, 'Api', { models: [] });
    for (const name of ['churn', 'fraud']) {
      api.addModel(name, new ModelEndpoint(multi, `${name}Endpoint`, { spec: { ...SPEC, name } }), name === 'fraud' ? { throttle: { rateLimit: 20, burstLimit: 40 } } : undefined);
    }
    // Single constructs in an existing app: an API without a key (its own log key), batch inference on an imported bucket.
    const existing = new Stack(app, 'ExampleExistingBucket');
    const endpoint = new ModelEndpoint(existing, 'Endpoint', { spec: SPEC });
    new InferenceApi(existing, 'Api', { endpoint });
    new IngestionBucket(existing, 'Ingestion', {
      existingBucket: s3.Bucket.fromBucketAttributes(existing, 'Inputs', { bucketName: 'acme-inputs' }),
      batchInference: { endpoint },
    });
    const { findings } = synthFindings(app);
    expect(findings).toEqual([]);
  });

  it('stays clean under the recommended feature flags a `cdk init` app sets (cdk.json)', () => {
    const outdir = freshOutdir('nag-flags-');
    const { context } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
    expect(Object.keys(context).length).toBeGreaterThan(50);
    const app = new App({ outdir, context });
    for (const name of ['Default', 'Gpu', 'Serverless', 'Async', 'Monitored'] as const) {
      new ModelInferenceStack(app, `Flags${name}`, { spec: SPEC, ...VARIANTS[name] });
    }
    const { findings } = synthFindings(app);
    expect(findings).toEqual([]);
  });

  it('the same gate reports a finding nobody acknowledged (control)', () => {
    const outdir = freshOutdir('nag-control-');
    const app = new App({ outdir });
    const control = new Stack(app, 'Control');
    new s3.Bucket(control, 'PlainBucket');
    // A property CloudFormation does not know: proves the built-in CloudFormation validation runs in this file.
    (new s3.Bucket(control, 'BadBucket').node.defaultChild as s3.CfnBucket).addPropertyOverride('NoSuchProperty', true);
    const { findings, plugins } = synthFindings(app);
    expect(plugins).toEqual(expect.arrayContaining(['AwsSolutions', 'CloudFormation Validate']));
    expect(findings).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions error AwsSolutions-S1 at Control\/PlainBucket/)]));
  });
});
