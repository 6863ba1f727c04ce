import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ModelEndpoint } from '../../lib/aws/model-endpoint';
import { PortableExplainJob, PortableExplainJobProps } from '../../lib/aws/portable-explain-job';
import { EXPLAIN_METRIC_NAMESPACE } from '../../lib/runtime/explain/explain-emitters';

const SPEC = { name: 'churn', image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/churn:1', modelArtifact: 's3://artifacts/churn/model.tar.gz' };

function synth(overrides: Partial<PortableExplainJobProps> = {}, mode: 'realtime' | 'async' = 'realtime') {
  const stack = new Stack(new App(), 'Stack');
  const key = new kms.Key(stack, 'Key');
  const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
  const endpoint = new ModelEndpoint(stack, 'Endpoint', {
    spec: SPEC, mode, ...(mode === 'async' ? { async: { outputBucket: bucket } } : {}),
  });
  const job = new PortableExplainJob(stack, 'Explain', {
    spec: SPEC, endpoint, captureBucket: bucket, capturePrefix: 'data-capture/churn/AllTraffic/', featureNames: ['tenure', 'charges'], ...overrides,
  });
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as s3.CfnBucket);
  return { stack, job, endpoint, template: Template.fromStack(stack), bucketId: id(bucket) };
}

describe('PortableExplainJob', () => {
  const { template, job, bucketId } = synth();

  it('runs the bundled explain handler daily with the explain environment and the endpoint name', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler', MemorySize: 1024, Timeout: 900,
      Environment: { Variables: Match.objectLike({
        MODEL_NAME: 'churn', LOG_FORMAT: 'aws', EXPLAIN_FEATURE_NAMES: 'tenure,charges', EXPLAIN_SAMPLE: '200', EXPLAIN_WINDOW_HOURS: '24',
        EXPLAIN_CAPTURE_URI: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/data-capture/churn/AllTraffic/']] },
        ENDPOINT_NAME: Match.anyValue(),
      }) },
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(45 0 * * ? *)' });
  });

  it('may read the capture prefix and invoke that one endpoint (not async), nothing else', () => {
    const statements = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('ExplainRole')).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const invoke = statements.filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('sagemaker:'));
    expect(invoke).toHaveLength(1);
    expect(invoke[0]).toMatchObject({ Sid: 'InvokeEndpoint', Action: 'sagemaker:InvokeEndpoint', Resource: { Ref: expect.stringMatching(/^Endpoint/) } });
    expect(statements.find((s: { Sid?: string }) => s.Sid === 'ReadCapture').Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/data-capture/churn/AllTraffic/*']] });
    expect(JSON.stringify(statements)).not.toMatch(/s3:PutObject|"\*"/);
  });

  it('alarms on failed or silent runs (ExplainedRows), and graphs FeatureImportance per feature', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: EXPLAIN_METRIC_NAMESPACE, MetricName: 'ExplainedRows', Statistic: 'SampleCount', Period: 86400, EvaluationPeriods: 3 });
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    const widgets = JSON.stringify(Stack.of(job).resolve(job.dashboardWidgets().map((w) => w.toJson())));
    expect(widgets).toContain(`{${EXPLAIN_METRIC_NAMESPACE},Feature,Model} MetricName=\\"FeatureImportance\\" Model=\\"churn\\"`);
    expect(job.metricFeatureImportance('tenure').toMetricConfig().metricStat).toMatchObject({ namespace: EXPLAIN_METRIC_NAMESPACE, metricName: 'FeatureImportance' });
  });

  it.each([
    [{ capturePrefix: 'capture' }, "PortableExplainJob capturePrefix: got \"capture\"; expected a key prefix ending in '/'"],
    [{ sample: 0 }, 'PortableExplainJob explainJob.sample: got 0; expected an integer from 1 to 100000'],
    [{ featureNames: ['a,b'] }, 'PortableExplainJob explainJob.featureNames[0]: got "a,b"; expected a non-empty name without commas'],
  ] as Array<[Partial<PortableExplainJobProps>, string]>)('rejects %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it('rejects an async endpoint', () => {
    expect(() => synth({}, 'async')).toThrow('PortableExplainJob endpoint: got "async"; expected a realtime or serverless endpoint');
  });
});

describe('PortableExplainJob with parameters', () => {
  it('writes a number parameter and a list parameter as CloudFormation references, not placeholders', () => {
    const stack = new Stack(new App(), 'Tokens');
    const sample = new CfnParameter(stack, 'Sample', { type: 'Number', default: 50 });
    const names = new CfnParameter(stack, 'Names', { type: 'CommaDelimitedList' });
    const bucket = new s3.Bucket(stack, 'Bucket');
    const endpoint = new ModelEndpoint(stack, 'Endpoint', { spec: SPEC });
    new PortableExplainJob(stack, 'Explain', { spec: SPEC, endpoint, captureBucket: bucket, capturePrefix: 'c/', sample: sample.valueAsNumber, featureNames: names.valueAsList });
    const env = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
      .map((r) => r.Properties.Environment?.Variables).find((v) => v?.EXPLAIN_SAMPLE !== undefined);
    expect(env.EXPLAIN_SAMPLE).toEqual({ Ref: 'Sample' });
    expect(env.EXPLAIN_FEATURE_NAMES).toEqual({ 'Fn::Join': [',', { Ref: 'Names' }] });
    expect(env.EXPLAIN_WINDOW_HOURS).toBe('24');
  });
});
