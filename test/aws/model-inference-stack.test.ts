import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ModelInferenceStack, ModelInferenceStackProps } from '../../lib/aws/model-inference-stack';
import { ModelSpec } from '../../lib/core/model-spec';

const SPEC: ModelSpec = {
  name: 'churn-model',
  image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
  modelArtifact: 's3://example-model-artifacts/xgboost/model.tar.gz',
};

function build(props: Partial<ModelInferenceStackProps> = {}) {
  const stack = new ModelInferenceStack(new App(), 'Model', { spec: SPEC, ...props });
  return { stack, template: Template.fromStack(stack) };
}

const only = (template: Template, type: string) => {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return { id: found[0][0], resource: found[0][1] };
};

describe('ModelInferenceStack (defaults)', () => {
  let built: ReturnType<typeof build>;
  let t: Template;
  beforeAll(() => {
    built = build({ spec: { ...SPEC, monitoring: { alarmEmails: ['ml@example.com'], latencyP99Ms: 500 } } });
    t = built.template;
  });

  it('creates only the data key (shared by bucket, endpoint and API logs) and the alarm topic key, both rotated', () => {
    const keys = t.findResources('AWS::KMS::Key');
    expect(Object.keys(keys).sort()).toEqual([expect.stringMatching(/^AlarmsTopicKey/), expect.stringMatching(/^DataKey/)]);
    for (const k of Object.values(keys)) {
      expect(k.Properties.EnableKeyRotation).toBe(true);
      expect(k.DeletionPolicy).toBe('Retain');
    }
  });

  it('wires the endpoint config: default instance, data key, data capture to the ingestion bucket', () => {
    const dataKey = Object.keys(t.findResources('AWS::KMS::Key')).find((id) => id.startsWith('DataKey'))!;
    const bucket = Object.keys(t.findResources('AWS::S3::Bucket')).find((id) => id.startsWith('IngestionBucket'))!;
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: { 'Fn::GetAtt': [dataKey, 'Arn'] },
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.m5.xlarge', VariantName: 'AllTraffic' })],
      DataCaptureConfig: Match.objectLike({
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        DestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, '/data-capture']] },
      }),
    });
  });

  it('encrypts the ingestion bucket with the data key and retains it', () => {
    const dataKey = Object.keys(t.findResources('AWS::KMS::Key')).find((id) => id.startsWith('DataKey'))!;
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [dataKey, 'Arn'] } },
          })],
        },
      }),
    });
  });

  it("points the API handler's ENDPOINT_NAME at the endpoint and grants invoke on its ARN only", () => {
    const endpoint = only(t, 'AWS::SageMaker::Endpoint').id;
    const fns = Object.values(t.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.INVOKE_MODE);
    expect(fns).toHaveLength(1);
    expect(fns[0].Properties.Environment.Variables).toMatchObject({
      ENDPOINT_NAME: { 'Fn::GetAtt': [endpoint, 'EndpointName'] },
      INVOKE_MODE: 'realtime',
    });
    const apiPolicy = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('ApiHandlerRole'))![1];
    const invoke = apiPolicy.Properties.PolicyDocument.Statement.find((s: { Action: unknown }) => JSON.stringify(s.Action).includes('sagemaker:InvokeEndpoint'));
    expect(invoke.Resource).toEqual({ 'Fn::GetAtt': [endpoint, 'EndpointArn'] });
  });

  it('lets batch inference invoke the endpoint (the deferred grant lands on the batch role)', () => {
    const endpoint = only(t, 'AWS::SageMaker::Endpoint').id;
    const batchFn = Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.INPUT_PREFIX)!;
    expect(batchFn.Properties.Environment.Variables.ENDPOINT_NAME).toEqual({ 'Fn::GetAtt': [endpoint, 'EndpointName'] });
    const batchPolicy = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('IngestionBatchFunction'))![1];
    const invoke = batchPolicy.Properties.PolicyDocument.Statement.find((s: { Action: unknown }) => JSON.stringify(s.Action).includes('sagemaker:InvokeEndpoint'));
    expect(invoke.Resource).toEqual({ 'Fn::GetAtt': [endpoint, 'EndpointArn'] });
  });

  it('requires IAM on the API and encrypts its logs with the data key', () => {
    for (const m of Object.values(t.findResources('AWS::ApiGateway::Method'))) expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'churn-model-inference' });
    const dataKey = Object.keys(t.findResources('AWS::KMS::Key')).find((id) => id.startsWith('DataKey'))!;
    const apiLogs = Object.entries(t.findResources('AWS::Logs::LogGroup')).filter(([id]) => id.startsWith('Api'));
    expect(apiLogs).toHaveLength(2);
    for (const [, g] of apiLogs) expect(g.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [dataKey, 'Arn'] });
  });

  it('alarms with the spec thresholds, notifies the emails, and covers batch inference', () => {
    const latency = Object.values(t.findResources('AWS::CloudWatch::Alarm')).find((a) => a.Properties.MetricName === 'ModelLatency')!;
    expect(latency.Properties.Threshold).toBe(500_000);
    expect(Object.keys(built.stack.alarms!.alarms).sort()).toEqual(
      ['api5xx', 'batchDeadLetters', 'batchErrors', 'endpoint5xx', 'handlerErrors', 'handlerThrottles', 'modelLatencyP99'],
    );
    const topic = Object.keys(t.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('AlarmsTopic'))!;
    for (const a of Object.values(t.findResources('AWS::CloudWatch::Alarm'))) expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ml@example.com' });
  });

  it('outputs the API URL, endpoint name, bucket name and alarm topic', () => {
    const endpoint = only(t, 'AWS::SageMaker::Endpoint').id;
    const outputs = t.findOutputs('*');
    expect(outputs.ApiUrl.Value['Fn::Join'][1]).toContain('/predict');
    expect(outputs.EndpointName.Value).toEqual({ 'Fn::GetAtt': [endpoint, 'EndpointName'] });
    expect(outputs.IngestionBucketName.Value).toEqual({ Ref: expect.stringMatching(/^IngestionBucket/) });
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: expect.stringMatching(/^AlarmsTopic/) });
    expect(outputs.ApiKeyId).toBeUndefined();
  });

  it('tags resources with the model name', () => {
    t.hasResourceProperties('AWS::SageMaker::Endpoint', { Tags: Match.arrayWith([{ Key: 'deploy-ai-smarter:model', Value: 'churn-model' }]) });
    t.hasResourceProperties('AWS::S3::Bucket', { Tags: Match.arrayWith([{ Key: 'deploy-ai-smarter:model', Value: 'churn-model' }]) });
  });
});

describe('ModelInferenceStack variants', () => {
  it('GPU: ml.g5.xlarge without KmsKeyId on the endpoint config (local NVMe)', () => {
    const { template } = build({ instanceType: 'ml.g5.xlarge' });
    const config = only(template, 'AWS::SageMaker::EndpointConfig').resource;
    expect(config.Properties.ProductionVariants[0].InstanceType).toBe('ml.g5.xlarge');
    expect(config.Properties.KmsKeyId).toBeUndefined();
  });

  it('GPU from the spec compute class', () => {
    const { template } = build({ spec: { ...SPEC, compute: 'gpu-t4' } });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.g4dn.xlarge' })],
    });
  });

  it('serverless: no instance type, no data capture, 4 MB bodies', () => {
    const { template, stack } = build({ mode: 'serverless', serverless: { memorySizeMb: 3072, maxConcurrency: 5 } });
    const config = only(template, 'AWS::SageMaker::EndpointConfig').resource;
    expect(config.Properties.ProductionVariants[0]).toMatchObject({ ServerlessConfig: { MemorySizeInMB: 3072, MaxConcurrency: 5 } });
    expect(config.Properties.ProductionVariants[0].InstanceType).toBeUndefined();
    expect(config.Properties.DataCaptureConfig).toBeUndefined();
    const handler = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { INVOKE_MODE: 'realtime' } } } });
    expect(Object.values(handler)[0].Properties.Environment.Variables.MAX_BODY_BYTES).toBe('4000000');
    expect(stack.endpoint.mode).toBe('serverless');
  });

  it('async: results to the ingestion bucket, API stages requests under the input prefix, no batch inference', () => {
    const { template } = build({ mode: 'async' });
    const bucket = Object.keys(template.findResources('AWS::S3::Bucket')).find((id) => id.startsWith('IngestionBucket'))!;
    const config = only(template, 'AWS::SageMaker::EndpointConfig').resource;
    expect(JSON.stringify(config.Properties.AsyncInferenceConfig.OutputConfig)).toContain(bucket);
    const handler = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.INVOKE_MODE)!;
    expect(handler.Properties.Environment.Variables).toMatchObject({ INVOKE_MODE: 'async', ASYNC_INPUT_BUCKET: { Ref: bucket }, ASYNC_INPUT_PREFIX: 'async-input/' });
    const apiPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('ApiHandlerRole'))![1];
    const put = apiPolicy.Properties.PolicyDocument.Statement.find((s: { Action: unknown }) => s.Action === 's3:PutObject');
    expect(put.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/async-input/*']] });
    expect(Object.values(template.findResources('AWS::Lambda::Function')).some((f) => f.Properties.Environment?.Variables?.INPUT_PREFIX)).toBe(false);
    expect(Object.values(template.findResources('AWS::CloudWatch::Alarm')).some((a) => a.Properties.MetricName === 'InvocationFailures')).toBe(true);
  });

  it('apiKey: API key, usage plan and the key id as output', () => {
    const { template } = build({ authorization: 'apiKey', throttle: { rateLimit: 5, burstLimit: 10 } });
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 5, BurstLimit: 10 } });
    expect(template.findOutputs('ApiKeyId').ApiKeyId.Value).toEqual({ Ref: expect.stringMatching(/^ApiApiKey/) });
  });

  it('without monitoring: no alarms, no topic output', () => {
    const { template, stack } = build({ spec: { ...SPEC, monitoring: { enabled: false } }, batchInference: false });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(template.findOutputs('AlarmTopicArn')).toEqual({});
    expect(stack.alarms).toBeUndefined();
  });
});

describe('ModelInferenceStack validation', () => {
  const cases: Array<[string, Partial<ModelInferenceStackProps>, string]> = [
    ['spec name', { spec: { ...SPEC, name: 'Churn_Model' } }, 'ModelInferenceStack spec.name: got "Churn_Model"; expected 2-32 lowercase letters'],
    ['spec scaling', { spec: { ...SPEC, scaling: { minInstances: 5, maxInstances: 2 } } }, 'ModelInferenceStack spec.scaling.minInstances: got 5; expected at most scaling.maxInstances (2)'],
    ['unknown instance type', { instanceType: 'ml.t2.medium' }, 'ModelInferenceStack instanceType: got "ml.t2.medium"; expected one of the compute catalog\'s SageMaker instance types: ml.m5.xlarge'],
    ['serverless with a GPU instance', { mode: 'serverless', instanceType: 'ml.g5.xlarge' }, "ModelInferenceStack instanceType: got \"ml.g5.xlarge\"; expected a CPU instance type, or mode 'realtime' / 'async': serverless inference has no GPUs"],
    ['serverless with a GPU spec', { mode: 'serverless', spec: { ...SPEC, compute: 'gpu-t4' } }, "ModelInferenceStack spec.compute: got \"gpu-t4\"; expected a CPU compute class"],
    ['mode', { mode: 'batch' as never }, 'ModelInferenceStack mode: got "batch"; expected one of "realtime", "serverless", "async"'],
    ['data capture in serverless', { mode: 'serverless', dataCapture: true }, 'ModelInferenceStack dataCapture: got true; expected false in serverless mode'],
    ['sampling percentage', { dataCaptureSamplingPercentage: 0 }, 'ModelInferenceStack dataCaptureSamplingPercentage: got 0; expected an integer from 1 to 100'],
    ['batch inference in async', { mode: 'async', batchInference: true }, 'ModelInferenceStack batchInference: got true; expected false in async mode'],
  ];
  it.each(cases)('rejects %s', (_name, props, message) => {
    expect(() => new ModelInferenceStack(new App(), 'Bad', { spec: SPEC, ...props })).toThrow(message);
  });

  it('reports spec and stack problems together', () => {
    expect(() => new ModelInferenceStack(new App(), 'Bad', { spec: { ...SPEC, name: 'X' }, instanceType: 'ml.nope' }))
      .toThrow(/2 invalid props:\n- ModelInferenceStack spec.name.*\n- ModelInferenceStack instanceType/);
  });
});
