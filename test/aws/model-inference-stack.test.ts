import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Lazy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ModelInferenceStack, ModelInferenceStackProps } from '../../lib/aws/model-inference-stack';
import { ModelSpec } from '../../lib/core/model-spec';
import { setWarningSink } from '../../lib/core/warnings';

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
    expect(invoke.Resource).toEqual({ Ref: endpoint });
  });

  it('lets batch inference invoke the endpoint (added once the endpoint exists)', () => {
    const endpoint = only(t, 'AWS::SageMaker::Endpoint').id;
    const batchFn = Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.INPUT_PREFIX)!;
    expect(batchFn.Properties.Environment.Variables.ENDPOINT_NAME).toEqual({ 'Fn::GetAtt': [endpoint, 'EndpointName'] });
    const batchPolicy = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('IngestionBatchFunction'))![1];
    const invoke = batchPolicy.Properties.PolicyDocument.Statement.find((s: { Action: unknown }) => JSON.stringify(s.Action).includes('sagemaker:InvokeEndpoint'));
    expect(invoke.Resource).toEqual({ Ref: endpoint });
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
    expect([...built.stack.alarms!.addedAlarms.keys()].sort()).toEqual(['batchDeadLetters', 'batchErrors']);
    expect(Object.keys(built.stack.alarms!.alarms).sort()).toEqual([
      'api5xx', 'cpuUtilization', 'diskUtilization', 'endpoint4xx', 'endpoint5xx', 'handlerErrors', 'handlerThrottles',
      'memoryUtilization', 'modelLatencyP99', 'overheadLatencyP99',
    ]);
    const topic = Object.keys(t.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('AlarmsTopic'))!;
    // Every alarm notifies, except the two children of a job-health composite (the composite notifies for them).
    const alarms = Object.entries(t.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => !/FailedRunsAlarm|ResultsMissingAlarm/.test(id));
    for (const [, a] of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ml@example.com' });
  });

  it("alarms on the endpoint's 4xx rate, overhead latency and instance utilization, CPU scaled to the 4 vCPUs of ml.m5.xlarge", () => {
    const dimensions = [{ Name: 'EndpointName', Value: built.stack.endpoint.physicalEndpointName }, { Name: 'VariantName', Value: 'AllTraffic' }];
    const byMetric = (name: string) => Object.values(t.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: name } }))[0].Properties;
    expect(byMetric('Invocation4XXErrors')).toMatchObject({ Namespace: 'AWS/SageMaker', Dimensions: dimensions, Statistic: 'Average', Threshold: 0.1 });
    expect(byMetric('OverheadLatency')).toMatchObject({ Namespace: 'AWS/SageMaker', Dimensions: dimensions, ExtendedStatistic: 'p99', Threshold: 200_000 });
    for (const [metric, threshold] of [['CPUUtilization', 360], ['MemoryUtilization', 90], ['DiskUtilization', 90]] as const) {
      expect(byMetric(metric)).toMatchObject({
        Namespace: '/aws/sagemaker/Endpoints', Dimensions: dimensions, Statistic: 'Average', Threshold: threshold, TreatMissingData: 'notBreaching',
      });
    }
    expect(JSON.stringify(t.findResources('AWS::CloudWatch::Alarm'))).not.toContain('GPUUtilization');
  });

  it('runs the portable drift job by default: no Model Monitor schedule, verdict, dataset and violation alarms to the topic', () => {
    t.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
    t.resourceCountIs('AWS::SageMaker::DataQualityJobDefinition', 0);
    expect(built.stack.driftMonitor).toBeUndefined();
    const job = built.stack.portableDriftJob!;
    expect(job).toBeDefined();
    const topic = Object.keys(t.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('AlarmsTopic'))!;
    for (const metric of ['DriftedFeatures', 'DatasetDrift', 'ConstraintViolations']) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'DeployAiSmarter/Drift', MetricName: metric, Statistic: 'Maximum', AlarmActions: [{ Ref: topic }] });
    }
    expect(Object.keys(job.featureDriftAlarms)).toEqual([]);
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
  it('subscribes monitoring.alarmHttpsEndpoints to the alarm topic next to the spec emails', () => {
    const { template } = build({ monitoring: { alarmHttpsEndpoints: ['https://hooks.example/alarms'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://hooks.example/alarms' });
  });

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
    ['unknown instance type', { instanceType: 'ml.m5.xxlarge' }, 'ModelEndpoint instanceType: got "ml.m5.xxlarge"; expected a SageMaker real-time hosting instance type'],
    ['burstable instance with autoscaling', { instanceType: 'ml.t2.medium' }, 'ModelEndpoint instanceType: got "ml.t2.medium"; expected an instance type SageMaker auto scaling supports: ml.t2.medium is burstable (t2), which Application Auto Scaling does not scale; set autoScaling: false'],
    ['serverless with a GPU instance', { mode: 'serverless', instanceType: 'ml.g5.xlarge' }, "ModelEndpoint instanceType: got \"ml.g5.xlarge\"; expected a CPU instance type, or mode 'realtime' / 'async': serverless inference has no GPUs"],
    ['serverless with a GPU spec', { mode: 'serverless', spec: { ...SPEC, compute: 'gpu-t4' } }, "ModelEndpoint spec.compute: got \"ml.g4dn.xlarge\"; expected a CPU instance type"],
    ['mode', { mode: 'batch' as never }, 'ModelInferenceStack mode: got "batch"; expected one of "realtime", "serverless", "async"'],
    ['data capture in serverless', { mode: 'serverless', dataCapture: true }, 'ModelInferenceStack dataCapture: got true; expected false in serverless mode'],
    ['sampling percentage', { dataCaptureSamplingPercentage: 0 }, 'ModelInferenceStack dataCaptureSamplingPercentage: got 0; expected an integer from 1 to 100'],
    ['batch inference in async', { mode: 'async', batchInference: true }, 'ModelInferenceStack batchInference: got true; expected false in async mode'],
  ];
  it.each(cases)('rejects %s', (_name, props, message) => {
    expect(() => new ModelInferenceStack(new App(), 'Bad', { spec: SPEC, ...props })).toThrow(message);
  });

  it('reports spec and stack problems together, and leaves the instance type to the endpoint', () => {
    expect(() => new ModelInferenceStack(new App(), 'Bad', { spec: { ...SPEC, name: 'X' }, mode: 'batch' as never, instanceType: 'ml.nope' }))
      .toThrow(/^2 invalid props:\n- ModelInferenceStack spec.name.*\n- ModelInferenceStack mode: got "batch".*$/);
  });
});

describe('ModelInferenceStack with Model Monitor by explicit choice (drift, dashboard, safe deployments)', () => {
  let built: ReturnType<typeof build>;
  let t: Template;
  beforeAll(() => {
    built = build({ spec: { ...SPEC, monitoring: { driftFeatures: ['age', 'income'], driftThreshold: 0.2 } }, monitoring: { driftEngine: 'model-monitor' } });
    t = built.template;
  });
  const topicRef = () => ({ Ref: Object.keys(t.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('AlarmsTopic'))! });
  const bucketId = () => Object.keys(t.findResources('AWS::S3::Bucket')).find((id) => id.startsWith('IngestionBucket'))!;

  it('runs Model Monitor hourly on the endpoint capture against the default baseline/ objects of the ingestion bucket', () => {
    const endpoint = only(t, 'AWS::SageMaker::Endpoint').id;
    const bucket = bucketId();
    t.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      EndpointName: { 'Fn::GetAtt': [endpoint, 'EndpointName'] },
      DataQualityBaselineConfig: {
        StatisticsResource: { S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, '/baseline/statistics.json']] } },
        ConstraintsResource: { S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, '/baseline/constraints.json']] } },
      },
      DataQualityJobInput: { EndpointInput: Match.objectLike({ EndpointName: { 'Fn::GetAtt': [endpoint, 'EndpointName'] } }) },
    });
    t.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      EndpointName: { 'Fn::GetAtt': [endpoint, 'EndpointName'] },
      MonitoringScheduleConfig: Match.objectLike({ MonitoringType: 'DataQuality', ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } }),
    });
    // The monitor waits for the endpoint (SageMaker validates the schedule against it).
    const schedule = only(t, 'AWS::SageMaker::MonitoringSchedule').resource;
    expect(schedule.DependsOn).toEqual(expect.arrayContaining([endpoint]));
  });

  it('scopes the monitor role to the capture prefix and the two baseline objects', () => {
    const bucketArn = { 'Fn::GetAtt': [bucketId(), 'Arn'] };
    const policy = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('DriftRole'))![1];
    const statements = policy.Properties.PolicyDocument.Statement as { Sid?: string; Resource: unknown }[];
    expect(statements.find((s) => s.Sid === 'ReadCapturedTraffic')!.Resource).toEqual({ 'Fn::Join': ['', [bucketArn, '/data-capture/*']] });
    const baseline = JSON.stringify(statements.find((s) => s.Sid === 'ReadBaselineAndInputs')!.Resource);
    expect(baseline).toContain('/baseline/statistics.json');
    expect(baseline).toContain('/baseline/constraints.json');
    expect(baseline).not.toContain('*');
  });

  it('alarms per drift feature on feature_baseline_drift_<feature> with the spec threshold, notifying the alarm topic once', () => {
    const scheduleName = built.stack.driftMonitor!.scheduleName;
    for (const feature of ['age', 'income']) {
      const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: `feature_baseline_drift_${feature}`, Statistic: 'Maximum' } }));
      expect(alarms).toHaveLength(1);
      expect(alarms[0].Properties).toMatchObject({
        Namespace: 'aws/sagemaker/Endpoints/data-metrics',
        Statistic: 'Maximum',
        Threshold: 0.2,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topicRef()],
        OKActions: [topicRef()],
      });
      expect(alarms[0].Properties.Dimensions).toEqual(expect.arrayContaining([
        { Name: 'Endpoint', Value: { 'Fn::GetAtt': [only(t, 'AWS::SageMaker::Endpoint').id, 'EndpointName'] } },
        { Name: 'MonitoringSchedule', Value: scheduleName },
      ]));
    }
    // The job-health composite notifies for its children.
    t.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [topicRef()] });
  });

  it('rolls updates out as a 10% canary that rolls back on the endpoint 5xx and model latency alarms', () => {
    const alarms = built.stack.alarms!.alarms;
    const ref = (a: cloudwatch.IAlarm) => ({ Ref: built.stack.getLogicalId(a.node.defaultChild as cloudwatch.CfnAlarm) });
    t.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        BlueGreenUpdatePolicy: Match.objectLike({
          TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 },
          TerminationWaitInSeconds: 300,
        }),
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: ref(alarms.endpoint5xx) }, { AlarmName: ref(alarms.modelLatencyP99) }] },
      },
    });
    // The rollback alarms watch the endpoint by its fixed name, so they do not depend on it (no cycle).
    const fiveXx = Object.values(t.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'Invocation5XXErrors' } }))[0];
    expect(fiveXx.Properties.Dimensions).toContainEqual({ Name: 'EndpointName', Value: built.stack.endpoint.physicalEndpointName });
    expect(JSON.stringify(fiveXx)).not.toContain(only(t, 'AWS::SageMaker::Endpoint').id);
  });

  it('draws one dashboard with the real endpoint, the API, the handler, drift per feature and every alarm', () => {
    const body = JSON.stringify(only(t, 'AWS::CloudWatch::Dashboard').resource.Properties.DashboardBody);
    const name = built.stack.endpoint.physicalEndpointName;
    expect(body).toContain(`\\"AWS/SageMaker\\",\\"Invocations\\",\\"EndpointName\\",\\"${name}\\"`);
    expect(body).toContain('\\"AWS/ApiGateway\\",\\"Count\\"');
    expect(body).toContain('\\"AWS/Lambda\\",\\"Errors\\"');
    expect(body).toContain('feature_baseline_drift_age');
    expect(body).toContain('feature_baseline_drift_income');
    for (const id of Object.keys(t.findResources('AWS::CloudWatch::Alarm')).filter((a) => !a.includes('ScalableTarget'))) {
      expect(body).toContain(id);
    }
    expect(t.findOutputs('DashboardName').DashboardName).toBeDefined();
  });

  it('records the spec and cost choices for the review', () => {
    const metadata = t.toJSON().Metadata?.['deploy-ai-smarter'];
    expect(metadata).toMatchObject({ version: 1, cloud: 'aws', spec: { name: 'churn-model' }, costOptions: { mode: 'realtime', functionMemoryMb: 512, jobs: [
      { runner: 'sagemaker-processing', minutesPerRun: 10 },
      { item: 'Retraining signal (Lambda, per alarm)', runner: 'aws-lambda', memoryGb: 0.25 },
    ] } });
    expect(metadata.costOptions.alarmCount).toBe(Object.keys(t.findResources('AWS::CloudWatch::Alarm')).length);
    expect(metadata.costOptions.keyCount).toBe(Object.keys(t.findResources('AWS::KMS::Key')).length);
  });
});

describe('ModelInferenceStack monitoring options', () => {
  it('uses a local baseline and a custom schedule, and checks features against the baseline', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-'));
    fs.writeFileSync(path.join(dir, 'statistics.json'), JSON.stringify({ features: [{ name: 'age' }, { name: 'income' }] }));
    fs.writeFileSync(path.join(dir, 'constraints.json'), JSON.stringify({ features: [] }));
    const baseline = { statisticsPath: path.join(dir, 'statistics.json'), constraintsPath: path.join(dir, 'constraints.json') };
    const { template } = build({ spec: { ...SPEC, monitoring: { driftFeatures: ['age'] } }, baseline, monitoring: { driftEngine: 'model-monitor', driftSchedule: 'cron(0 0/6 ? * * *)' } });
    template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleConfig: Match.objectLike({ ScheduleConfig: { ScheduleExpression: 'cron(0 0/6 ? * * *)' } }),
    });
    expect(() => build({ spec: { ...SPEC, monitoring: { driftFeatures: ['agee'] } }, baseline, monitoring: { driftEngine: 'model-monitor' } }))
      .toThrow('DriftMonitor features[0]: got "agee"; expected a feature of the baseline (age, income)');
  });

  it('rejects a bad drift schedule', () => {
    expect(() => build({ monitoring: { driftEngine: 'model-monitor', driftSchedule: 'rate(1 hour)' } })).toThrow('DriftMonitor schedule: got "rate(1 hour)"; expected one of the forms SageMaker accepts');
  });

  it('turns the drift monitor, dashboard and deployment config off one by one', () => {
    const { template, stack } = build({ monitoring: { drift: false, dashboard: false, deployment: false } });
    template.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(only(template, 'AWS::SageMaker::Endpoint').resource.Properties.DeploymentConfig).toBeUndefined();
    expect(stack.driftMonitor).toBeUndefined();
    expect(stack.portableDriftJob).toBeUndefined();
    // Nothing to listen to: no retraining signal either.
    expect(stack.retrainingSignal).toBeUndefined();
    template.resourceCountIs('AWS::Events::Rule', 0);
  });

  it('takes a linear deployment strategy', () => {
    const { template } = build({ monitoring: { deployment: { strategy: { type: 'linear', stepPercent: 25, waitMinutes: 5 }, terminationWaitMinutes: 0 } } });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: Match.objectLike({
        BlueGreenUpdatePolicy: Match.objectLike({
          TrafficRoutingConfiguration: { Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 }, WaitIntervalInSeconds: 300 },
          TerminationWaitInSeconds: 0,
        }),
      }),
    });
  });

  it('serverless: no capture, so no drift monitor, no instance metrics, but alarms, dashboard and rollback still', () => {
    const { template, stack } = build({ mode: 'serverless', batchInference: false });
    template.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
    expect(Object.keys(stack.alarms!.alarms)).toEqual(expect.arrayContaining(['endpoint4xx', 'overheadLatencyP99']));
    expect(Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.Namespace)).not.toContain('/aws/sagemaker/Endpoints');
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(only(template, 'AWS::SageMaker::Endpoint').resource.Properties.DeploymentConfig.AutoRollbackConfiguration.Alarms).toHaveLength(2);
    expect(stack.driftMonitor).toBeUndefined();
    expect(stack.portableDriftJob).toBeUndefined();
  });

  it('GPU: GPU and GPU memory alarms (1 GPU), custom alarm thresholds, and GPU utilization on the dashboard', () => {
    const { template, stack } = build({ instanceType: 'ml.g5.xlarge', monitoring: { alarmThresholds: { gpuUtilizationPercent: 80, cpuUtilizationPercent: 75 } } });
    const threshold = (metric: string) => Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metric } }))[0].Properties.Threshold;
    expect(threshold('GPUUtilization')).toBe(80);
    expect(threshold('GPUMemoryUtilization')).toBe(90);
    expect(threshold('CPUUtilization')).toBe(300);
    expect(stack.alarms!.alarms.gpuMemoryUtilization).toBeDefined();
    expect(JSON.stringify(only(template, 'AWS::CloudWatch::Dashboard').resource.Properties.DashboardBody)).toContain('GPUUtilization');
  });

  it('model quality with Model Monitor (modelQuality given): a job over captured predictions and ground-truth labels, alarms to the topic', () => {
    const { template } = build({ modelQuality: { problemType: 'BinaryClassification', thresholds: { accuracy: 0.8 }, inferenceAttribute: '0' } });
    const bucket = Object.keys(template.findResources('AWS::S3::Bucket')).find((id) => id.startsWith('IngestionBucket'))!;
    template.hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityJobInput: Match.objectLike({
        GroundTruthS3Input: { S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, '/ground-truth/']] } },
      }),
      ModelQualityAppSpecification: Match.objectLike({ ProblemType: 'BinaryClassification' }),
    });
    const topic = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('AlarmsTopic'))!;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'accuracy', Namespace: 'aws/sagemaker/Endpoints/model-metrics', Threshold: 0.8, AlarmActions: [{ Ref: topic }],
    });
  });

  const invalid: Array<[string, Partial<ModelInferenceStackProps>, string]> = [
    ['drift without capture', { dataCapture: false, monitoring: { drift: true } }, 'ModelInferenceStack monitoring.drift: got true; expected false or unset: the drift monitor reads captured data'],
    ['model quality without capture', { mode: 'serverless', batchInference: false, modelQuality: { problemType: 'Regression' } }, 'ModelInferenceStack modelQuality: got "Regression"; expected false or unset: model quality monitoring reads captured data'],
    ['monitors with monitoring off', { spec: { ...SPEC, monitoring: { enabled: false } }, monitoring: { dashboard: true } }, 'ModelInferenceStack monitoring: got {"dashboard":true}; expected nothing: spec.monitoring.enabled is false'],
    ['drift threshold out of range', { spec: { ...SPEC, monitoring: { driftThreshold: 1.5 } } }, 'ModelInferenceStack spec.monitoring.driftThreshold: got 1.5; expected a number from 0.001 to 1'],
    ['canary percent out of range', { monitoring: { deployment: { strategy: { type: 'canary', percent: 80, waitMinutes: 10 } } } }, 'ModelEndpoint deployment.strategy.percent: got 80; expected an integer from 1 to 50'],
    ['portable job with a baseline prop', { portableDriftJob: true, baseline: { statisticsUri: 's3://b/x/statistics.json', constraintsUri: 's3://b/x/constraints.json' } }, "ModelInferenceStack baseline: got {\"statisticsUri\":\"s3://b/x/statistics.json\",\"constraintsUri\":\"s3://b/x/constraints.json\"}; expected no baseline prop with driftEngine 'portable'"],
    ['unknown drift engine', { monitoring: { driftEngine: 'evidently' as never } }, 'ModelInferenceStack monitoring.driftEngine: got "evidently"; expected one of "portable", "model-monitor"'],
    ['a Model Monitor schedule for the portable job', { monitoring: { driftSchedule: 'cron(0 * ? * * *)' } }, "ModelInferenceStack monitoring.driftSchedule: got \"cron(0 * ? * * *)\"; expected no value with driftEngine 'portable' (it is Model Monitor's schedule): set portableDriftJob.schedule instead"],
    ['portable job options with Model Monitor', { portableDriftJob: { windowHours: 2 }, monitoring: { driftEngine: 'model-monitor' } }, "ModelInferenceStack portableDriftJob: got {\"windowHours\":2}; expected no value with driftEngine 'model-monitor'"],
    ['portableDriftJob false', { portableDriftJob: false }, "ModelInferenceStack portableDriftJob: got false; expected true or the job's options: to turn drift off set monitoring.drift: false"],
    ['unknown quality engine', { monitoring: { qualityEngine: 'clarify' as never } }, 'ModelInferenceStack monitoring.qualityEngine: got "clarify"; expected one of "portable", "model-monitor"'],
    ['Model Monitor quality without its options', { monitoring: { qualityEngine: 'model-monitor' } }, "ModelInferenceStack monitoring.qualityEngine: got \"model-monitor\"; expected 'portable', or the Model Monitor options in modelQuality"],
    ['Model Monitor options with the portable engine', { modelQuality: { problemType: 'Regression' }, monitoring: { qualityEngine: 'portable' } }, "ModelInferenceStack modelQuality: got \"Regression\"; expected no value with qualityEngine 'portable'"],
    ['spec quality without capture', { dataCapture: false, spec: { ...SPEC, monitoring: { quality: { problemType: 'Regression' } } } }, 'ModelInferenceStack spec.monitoring.quality: got "Regression"; expected false or unset: model quality monitoring reads captured data'],
    ['ground-truth prefix', { groundTruthPrefix: '/labels' }, "ModelInferenceStack groundTruthPrefix: got \"/labels\"; expected a key prefix ending in '/'"],
    ['alarm threshold out of range', { monitoring: { alarmThresholds: { memoryUtilizationPercent: 120 } } }, 'InferenceAlarms memoryUtilizationPercent: got 120; expected a percentage greater than 0 and at most 100'],
    ['budget scope', { spec: { ...SPEC, monthlyBudgetUsd: 500 }, budgetScope: 'org' as never }, 'ModelInferenceStack budgetScope: got "org"; expected one of "tag", "account"'],
    ['budget nobody hears', { spec: { ...SPEC, monthlyBudgetUsd: 500, monitoring: { enabled: false } }, batchInference: false }, 'ModelInferenceStack spec.monthlyBudgetUsd: got 500; expected monitoring on'],
  ];
  it.each(invalid)('rejects %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('ModelInferenceStack budget', () => {
  it('budgets the spec ceiling monthly on the model tag, alerting the encrypted alarm topic at 50/90/100% actual and 100% forecast', () => {
    const { template, stack } = build({ spec: { ...SPEC, monthlyBudgetUsd: 750, monitoring: { alarmEmails: ['ml@example.com'] } } });
    const topic = { Ref: Object.keys(template.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('AlarmsTopic'))! };
    const budget = only(template, 'AWS::Budgets::Budget').resource.Properties;
    expect(budget.Budget).toMatchObject({
      BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 750, Unit: 'USD' }, BudgetName: stack.budget!.budgetName,
      FilterExpression: { Tags: { Key: 'deploy-ai-smarter:model', Values: ['churn-model'], MatchOptions: ['EQUALS'] } },
    });
    expect(budget.NotificationsWithSubscribers.map((n: { Notification: { NotificationType: string; Threshold: number } }) => `${n.Notification.NotificationType} ${n.Notification.Threshold}`))
      .toEqual(['ACTUAL 50', 'ACTUAL 90', 'ACTUAL 100', 'FORECASTED 100']);
    // Only the topic: it already emails the alarm addresses (no double emails).
    for (const n of budget.NotificationsWithSubscribers) expect(n.Subscribers).toEqual([{ SubscriptionType: 'SNS', Address: topic }]);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'AllowBudgetAlerts', Effect: 'Allow', Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish', Resource: topic,
      })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'AllowBudgetAlertsToUseKey', Principal: { Service: 'budgets.amazonaws.com' }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      })]) },
    });
    expect(template.findOutputs('BudgetName').BudgetName.Description).toContain('update-cost-allocation-tags-status');
  });

  it('account scope: no filter, and the name says so', () => {
    const { template, stack } = build({ spec: { ...SPEC, monthlyBudgetUsd: 750 }, budgetScope: 'account' });
    expect(only(template, 'AWS::Budgets::Budget').resource.Properties.Budget.FilterExpression).toBeUndefined();
    expect(stack.budget!.budgetName).toMatch(/^churn-model-account-wide-/);
  });

  it('with monitoring off, emails the alarm addresses directly', () => {
    const { template } = build({ spec: { ...SPEC, monthlyBudgetUsd: 100, monitoring: { enabled: false, alarmEmails: ['a@example.com'] } }, batchInference: false });
    const budget = only(template, 'AWS::Budgets::Budget').resource.Properties;
    expect(budget.NotificationsWithSubscribers[0].Subscribers).toEqual([{ SubscriptionType: 'EMAIL', Address: 'a@example.com' }]);
  });
});

describe('ModelInferenceStack portable drift job (the default engine)', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build({ spec: { ...SPEC, monitoring: { driftFeatures: ['age'] } }, portableDriftJob: { windowHours: 2 } });
  });

  it('runs an hourly Lambda reading the endpoint capture folder and baseline/, sized for a day of capture', () => {
    const t = built.template;
    t.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
    const bucket = Object.keys(t.findResources('AWS::S3::Bucket')).find((id) => id.startsWith('IngestionBucket'))!;
    const fn = Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.BASELINE_URI)!;
    expect(fn.Properties.MemorySize).toBe(2048);
    expect(fn.Properties.Environment.Variables).toMatchObject({
      MODEL_NAME: 'churn-model',
      BASELINE_URI: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, '/baseline/']] },
      CAPTURE_URI: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, `/data-capture/${built.stack.endpoint.physicalEndpointName}/AllTraffic/`]] },
      WINDOW_HOURS: '2',
      LOG_FORMAT: 'aws',
      DRIFT_EXIT_CODE: '0',
    });
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(15 * * * ? *)' });
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'DeployAiSmarter/Drift', MetricName: 'FeatureDrifted' } }));
    expect(alarms).toHaveLength(1);
    expect(alarms[0].Properties.Dimensions).toEqual([{ Name: 'Feature', Value: 'age' }, { Name: 'Model', Value: 'churn-model' }]);
    const body = JSON.stringify(only(t, 'AWS::CloudWatch::Dashboard').resource.Properties.DashboardBody);
    for (const metric of ['FeatureDrifted', 'DatasetDrift', 'MissingColumnViolations']) expect(body).toContain(metric);
  });

  it('records the Lambda drift job (and the retraining signal) for the cost model', () => {
    const jobs = built.template.toJSON().Metadata['deploy-ai-smarter'].costOptions.jobs;
    expect(jobs).toEqual([
      { item: 'Hourly drift job (portable, Lambda)', runner: 'aws-lambda', minutesPerRun: 1, memoryGb: 2 },
      { item: 'Retraining signal (Lambda, per alarm)', runner: 'aws-lambda', runsPerMonth: 30, minutesPerRun: 0.01, memoryGb: 0.25 },
    ]);
  });

  it("runs Model Monitor instead only with driftEngine: 'model-monitor'", () => {
    const { template, stack } = build({ monitoring: { driftEngine: 'model-monitor' } });
    template.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 1);
    expect(stack.portableDriftJob).toBeUndefined();
    expect(Object.values(template.findResources('AWS::Lambda::Function')).some((f) => f.Properties.Environment?.Variables?.BASELINE_URI)).toBe(false);
  });
});

describe('ModelInferenceStack on any SageMaker hosting type', () => {
  it.each(['ml.g6.xlarge', 'ml.inf2.xlarge', 'ml.m6i.large', 'ml.r5.large', 'ml.p4d.24xlarge', 'ml.c7i.xlarge', 'ml.g5.12xlarge'])(
    'synthesizes %s in the endpoint config, prices it from the catalog, and references the endpoint ARN by Ref only',
    (instanceType) => {
      const { stack, template } = build({ instanceType, monitoring: { drift: false, dashboard: false } });
      only(template, 'AWS::SageMaker::EndpointConfig').resource.Properties.ProductionVariants
        .forEach((v: { InstanceType: string }) => expect(v.InstanceType).toBe(instanceType));
      expect(stack.endpoint.instanceType).toBe(instanceType);
      const json = JSON.stringify(template.toJSON());
      expect(json).not.toContain('EndpointArn');
      expect(template.toJSON().Metadata['deploy-ai-smarter'].costOptions).toMatchObject({ instanceType, mode: 'realtime', functionMemoryMb: expect.any(Number) });
    },
  );

  it('refuses ml.t2.medium with autoscaling, naming "burstable"', () => {
    expect(() => build({ instanceType: 'ml.t2.medium' })).toThrow(/burstable/);
  });

  it('takes an instance type and capacities given as CloudFormation parameters', () => {
    const app = new App();
    const stack = new ModelInferenceStack(app, 'Params', {
      spec: SPEC,
      instanceType: Lazy.string({ produce: () => 'ml.g6.xlarge' }),
      autoScaling: { minCapacity: 1, maxCapacity: Lazy.number({ produce: () => 3 }) },
      monitoring: { drift: false },
    });
    const template = Template.fromStack(stack);
    expect(only(template, 'AWS::SageMaker::EndpointConfig').resource.Properties.ProductionVariants[0].InstanceType).toBe('ml.g6.xlarge');
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MaxCapacity: 3 });
  });
});

describe('ModelInferenceStack model quality and the retraining signal', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build({ spec: { ...SPEC, monitoring: { driftFeatures: ['age'], quality: { problemType: 'BinaryClassification', minAccuracy: 0.8, minPrecision: 0.75 } } } });
  });

  it('runs the portable quality job by default with spec.monitoring.quality: capture folder and ground-truth/ of the ingestion bucket, no Model Monitor', () => {
    const t = built.template;
    t.resourceCountIs('AWS::SageMaker::ModelQualityJobDefinition', 0);
    t.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
    expect(built.stack.modelQualityMonitor).toBeUndefined();
    const bucket = Object.keys(t.findResources('AWS::S3::Bucket')).find((id) => id.startsWith('IngestionBucket'))!;
    const fn = Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.QUALITY_PROBLEM_TYPE)!;
    expect(fn.Properties.Environment.Variables).toMatchObject({
      MODEL_NAME: 'churn-model',
      QUALITY_CAPTURE_URI: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, `/data-capture/${built.stack.endpoint.physicalEndpointName}/AllTraffic/`]] },
      QUALITY_GROUND_TRUTH_URI: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, '/ground-truth/']] },
      QUALITY_MIN_ACCURACY: '0.8',
      QUALITY_MIN_PRECISION: '0.75',
    });
    const topic = Object.keys(t.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('AlarmsTopic'))!;
    for (const [metric, threshold] of [['Accuracy', 0.8], ['Precision', 0.75]] as const) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'DeployAiSmarter/Quality', MetricName: metric, Threshold: threshold, ComparisonOperator: 'LessThanThreshold', AlarmActions: [{ Ref: topic }] });
    }
    expect(JSON.stringify(only(t, 'AWS::CloudWatch::Dashboard').resource.Properties.DashboardBody)).toContain('LabelledEvents');
    expect(t.toJSON().Metadata['deploy-ai-smarter'].costOptions.jobs).toContainEqual(
      { item: 'Model quality job every 24 h (portable, Lambda)', runner: 'aws-lambda', runsPerMonth: 31, minutesPerRun: 2, memoryGb: 2 });
  });

  it('publishes the retraining signal on drift-verdict and quality alarms only (not violations or job health), to the default bus', () => {
    const { stack, template: t } = built;
    const ref = (a: cloudwatch.IAlarm) => ({ 'Fn::GetAtt': [stack.getLogicalId(a.node.defaultChild as cloudwatch.CfnAlarm), 'Arn'] });
    const drift = stack.portableDriftJob!;
    const quality = stack.portableQualityJob!;
    const rules = Object.values(t.findResources('AWS::Events::Rule', { Properties: { EventPattern: { 'detail-type': ['CloudWatch Alarm State Change'] } } }));
    const resources = rules.flatMap((r) => r.Properties.EventPattern.resources);
    expect(resources).toEqual([...drift.driftAlarms, ...quality.qualityAlarms].map(ref));
    expect(JSON.stringify(resources)).not.toContain(stack.getLogicalId(drift.constraintViolationsAlarm.node.defaultChild as cloudwatch.CfnAlarm));
    const policy = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('RetrainingSignal'))![1];
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Action: 'events:PutEvents',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default']] } }));
  });

  it('runs Model Monitor quality only with its options (modelQuality), and turns the retraining signal off on request', () => {
    const { template, stack } = build({ modelQuality: { problemType: 'Regression' }, monitoring: { retrainingSignal: false } });
    template.resourceCountIs('AWS::SageMaker::ModelQualityJobDefinition', 1);
    expect(stack.portableQualityJob).toBeUndefined();
    expect(stack.retrainingSignal).toBeUndefined();
  });
});

describe('ModelInferenceStack explainability (opt-in)', () => {
  it('is off by default', () => {
    const { stack, template } = build();
    expect(stack.explainJob).toBeUndefined();
    expect(Object.values(template.findResources('AWS::Lambda::Function')).some((f) => f.Properties.Environment?.Variables?.EXPLAIN_CAPTURE_URI)).toBe(false);
  });

  it('with monitoring.explain: a daily job calling the endpoint on the endpoint capture, on the dashboard and in the cost lines', () => {
    const { stack, template } = build({ monitoring: { explain: { featureNames: ['age', 'income'], sample: 300 } } });
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.EXPLAIN_CAPTURE_URI)!;
    expect(fn.Properties.Environment.Variables).toMatchObject({
      ENDPOINT_NAME: { 'Fn::GetAtt': [only(template, 'AWS::SageMaker::Endpoint').id, 'EndpointName'] }, EXPLAIN_FEATURE_NAMES: 'age,income', EXPLAIN_SAMPLE: '300',
    });
    expect(JSON.stringify(only(template, 'AWS::CloudWatch::Dashboard').resource.Properties.DashboardBody)).toContain('FeatureImportance');
    expect(template.toJSON().Metadata['deploy-ai-smarter'].costOptions.jobs).toContainEqual({ item: 'Daily explainability job (Lambda)', runner: 'aws-lambda', runsPerMonth: 30, minutesPerRun: 2, memoryGb: 1 });
    expect(stack.explainJob).toBeDefined();
  });

  it.each([
    ['without capture', { dataCapture: false, monitoring: { explain: true } }, 'ModelInferenceStack monitoring.explain: got true; expected false or unset: the explainability job reads captured data'],
    ['in async mode', { mode: 'async' as const, batchInference: false, monitoring: { explain: true } }, "ModelInferenceStack monitoring.explain: got true; expected false or unset in async mode"],
  ] as Array<[string, Partial<ModelInferenceStackProps>, string]>)('rejects explain %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('ModelInferenceStack quality engine choice', () => {
  it('warns that spec.monitoring.quality is unused when modelQuality picks Model Monitor', () => {
    const printed: string[] = [];
    const previous = setWarningSink((line) => printed.push(line));
    try {
      const { template, stack } = build({ spec: { ...SPEC, monitoring: { quality: { problemType: 'Regression', maxRmse: 3 } } }, modelQuality: { problemType: 'Regression' } });
      template.resourceCountIs('AWS::SageMaker::ModelQualityJobDefinition', 1);
      expect(stack.portableQualityJob).toBeUndefined();
      Annotations.fromStack(stack).hasWarning('/Model', Match.stringLikeRegexp('spec.monitoring.quality is not used on AWS'));
    } finally {
      setWarningSink(previous);
    }
    expect(printed.some((l) => l.includes('spec.monitoring.quality is not used on AWS'))).toBe(true);
  });
});
