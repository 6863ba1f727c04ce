import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { InferenceAlarms, InferenceAlarmsProps } from '../../lib/aws/inference-alarms';
import { InferenceApi } from '../../lib/aws/inference-api';
import { IInferenceEndpoint } from '../../lib/aws/inference-endpoint';
import { ModelEndpoint } from '../../lib/aws/model-endpoint';

type Mode = 'realtime' | 'serverless' | 'async';

function fakeEndpoint(stack: Stack, mode?: Mode): IInferenceEndpoint {
  const id = `Endpoint${mode ?? ''}`;
  return (stack.node.tryFindChild(id) as IInferenceEndpoint | undefined)
    ?? ModelEndpoint.fromEndpointAttributes(stack, id, { endpointName: 'churn-endpoint', mode });
}

function alarmByMetric(template: Template, metricName: string) {
  const found = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.MetricName === metricName);
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

describe('InferenceAlarms with an API (defaults)', () => {
  let template: Template;
  let alarms: InferenceAlarms;
  let stack: Stack;
  beforeAll(() => {
    stack = new Stack(new App(), 'Test');
    const endpoint = fakeEndpoint(stack);
    const api = new InferenceApi(stack, 'Api', { endpoint });
    alarms = new InferenceAlarms(stack, 'Alarms', { endpoint, api, emails: ['ml-oncall@example.com'] });
    template = Template.fromStack(stack);
  });

  it('alarms when more than 5% of endpoint requests fail with 5xx, 3 of 5 minutes', () => {
    expect(alarmByMetric(template, 'Invocation5XXErrors')).toMatchObject({
      Namespace: 'AWS/SageMaker',
      Dimensions: [{ Name: 'EndpointName', Value: 'churn-endpoint' }, { Name: 'VariantName', Value: 'AllTraffic' }],
      Statistic: 'Average',
      Period: 60,
      Threshold: 0.05,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms on model latency p99 with the threshold in microseconds', () => {
    expect(alarmByMetric(template, 'ModelLatency')).toMatchObject({
      Namespace: 'AWS/SageMaker',
      ExtendedStatistic: 'p99',
      Period: 60,
      Threshold: 2_000_000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when more than 10% of endpoint requests are rejected with 4xx, 3 of 5 minutes', () => {
    expect(alarmByMetric(template, 'Invocation4XXErrors')).toMatchObject({
      Namespace: 'AWS/SageMaker',
      Dimensions: [{ Name: 'EndpointName', Value: 'churn-endpoint' }, { Name: 'VariantName', Value: 'AllTraffic' }],
      Statistic: 'Average',
      Period: 60,
      Threshold: 0.1,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms on SageMaker overhead latency p99 above 200 ms, in microseconds', () => {
    expect(alarmByMetric(template, 'OverheadLatency')).toMatchObject({
      Namespace: 'AWS/SageMaker',
      Dimensions: [{ Name: 'EndpointName', Value: 'churn-endpoint' }, { Name: 'VariantName', Value: 'AllTraffic' }],
      ExtendedStatistic: 'p99',
      Period: 60,
      Threshold: 200_000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms on instance memory and disk above 90% in /aws/sagemaker/Endpoints, but not on CPU without an instance shape', () => {
    for (const metric of ['MemoryUtilization', 'DiskUtilization']) {
      expect(alarmByMetric(template, metric)).toMatchObject({
        Namespace: '/aws/sagemaker/Endpoints',
        Dimensions: [{ Name: 'EndpointName', Value: 'churn-endpoint' }, { Name: 'VariantName', Value: 'AllTraffic' }],
        Statistic: 'Average',
        Period: 60,
        Threshold: 90,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    const metrics = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.MetricName);
    expect(metrics).not.toContain('CPUUtilization');
    expect(metrics).not.toContain('GPUUtilization');
  });

  it('alarms on the API 5xx rate of the API by name', () => {
    const props = alarmByMetric(template, '5XXError');
    expect(props).toMatchObject({ Namespace: 'AWS/ApiGateway', Statistic: 'Average', Threshold: 0.05, TreatMissingData: 'notBreaching' });
    expect(props.Dimensions).toEqual([{ Name: 'ApiName', Value: expect.any(String) }]);
    const apiName = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Name;
    expect(props.Dimensions[0].Value).toBe(apiName);
  });

  it("alarms on the API handler's errors and throttles", () => {
    const [fnId] = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }));
    for (const metric of ['Errors', 'Throttles']) {
      expect(alarmByMetric(template, metric)).toMatchObject({
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('sends alarm and OK notifications of every alarm to the topic', () => {
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    const all = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(all).toHaveLength(9);
    for (const a of all) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(a.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
    expect(Object.keys(alarms.alarms).sort()).toEqual([
      'api5xx', 'diskUtilization', 'endpoint4xx', 'endpoint5xx', 'handlerErrors', 'handlerThrottles', 'memoryUtilization', 'modelLatencyP99', 'overheadLatencyP99',
    ]);
  });

  it('encrypts the topic with a rotated key that CloudWatch may use, and enforces TLS', () => {
    // The API's log key is the stack's other key.
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key')).filter((id) => !id.startsWith('ApiLogKey'));
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes the emails to the topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ml-oncall@example.com' });
  });

  it('subscribes HTTPS endpoints to the topic over HTTPS', () => {
    const s = new Stack(new App(), 'Https');
    new InferenceAlarms(s, 'Alarms', { endpoint: fakeEndpoint(s), httpsEndpoints: ['https://events.pagerduty.example/integration/abc'] });
    Template.fromStack(s).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://events.pagerduty.example/integration/abc' });
  });

  it('addAlarm wires a new alarm to the topic and records it by name', () => {
    const s = new Stack(new App(), 'Add');
    const a = new InferenceAlarms(s, 'Alarms', { endpoint: fakeEndpoint(s) });
    const drift = new cloudwatch.Alarm(s, 'Drift', {
      metric: new cloudwatch.Metric({ namespace: 'aws/sagemaker/Endpoints/data-metrics', metricName: 'feature_baseline_drift_age' }),
      threshold: 0.1,
      evaluationPeriods: 1,
    });
    a.addAlarm('driftAge', drift);
    expect(a.addedAlarms.get('driftAge')).toBe(drift);
    expect(a.allAlarms).toContain(drift);
    const t = Template.fromStack(s);
    const [topicId] = Object.keys(t.findResources('AWS::SNS::Topic'));
    expect(alarmByMetric(t, 'feature_baseline_drift_age')).toMatchObject({ AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }] });
    expect(() => a.addAlarm('driftAge', drift)).toThrow('InferenceAlarms addAlarm(name): got "driftAge"; expected a name not used yet');
  });
});

describe('InferenceAlarms variants', () => {
  it('uses an existing topic, custom thresholds and window, without API alarms', () => {
    const stack = new Stack(new App(), 'Custom');
    const topic = new sns.Topic(stack, 'Existing');
    const alarms = new InferenceAlarms(stack, 'Alarms', {
      endpoint: fakeEndpoint(stack),
      topic,
      latencyP99Threshold: Duration.millis(250),
      errorRatePercent: 1,
      evaluationPeriods: 10,
      datapointsToAlarm: 2,
    });
    const template = Template.fromStack(stack);
    expect(alarms.topic).toBe(topic);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(alarmByMetric(template, 'ModelLatency')).toMatchObject({ Threshold: 250_000, EvaluationPeriods: 10, DatapointsToAlarm: 2 });
    expect(alarmByMetric(template, 'Invocation5XXErrors')).toMatchObject({ Threshold: 0.01 });
    expect(alarmByMetric(template, 'MemoryUtilization')).toMatchObject({ EvaluationPeriods: 10, DatapointsToAlarm: 2 });
    expect(Object.keys(alarms.alarms).sort()).toEqual(['diskUtilization', 'endpoint4xx', 'endpoint5xx', 'memoryUtilization', 'modelLatencyP99', 'overheadLatencyP99']);
  });

  it('scales CPU and GPU thresholds by the units SageMaker sums over, with custom thresholds', () => {
    const stack = new Stack(new App(), 'Gpu');
    const alarms = new InferenceAlarms(stack, 'Alarms', {
      endpoint: fakeEndpoint(stack),
      instanceShape: { vcpu: 8, gpuCount: 4 },
      clientErrorRatePercent: 25,
      overheadLatencyP99Threshold: Duration.millis(50),
      cpuUtilizationPercent: 80,
      memoryUtilizationPercent: 85,
      diskUtilizationPercent: 70,
      gpuUtilizationPercent: 95,
      gpuMemoryUtilizationPercent: 75,
    });
    const template = Template.fromStack(stack);
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    const expected: Array<[string, string, number]> = [
      ['cpuUtilization', 'CPUUtilization', 640],
      ['memoryUtilization', 'MemoryUtilization', 85],
      ['diskUtilization', 'DiskUtilization', 70],
      ['gpuUtilization', 'GPUUtilization', 380],
      ['gpuMemoryUtilization', 'GPUMemoryUtilization', 300],
    ];
    for (const [name, metric, threshold] of expected) {
      expect(alarmByMetric(template, metric)).toMatchObject({
        Namespace: '/aws/sagemaker/Endpoints',
        Dimensions: [{ Name: 'EndpointName', Value: 'churn-endpoint' }, { Name: 'VariantName', Value: 'AllTraffic' }],
        Statistic: 'Average',
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId }],
        OKActions: [{ Ref: topicId }],
      });
      expect((alarms.alarms as unknown as Record<string, unknown>)[name]).toBeDefined();
    }
    expect(alarmByMetric(template, 'CPUUtilization').AlarmDescription).toContain('above 80% (640% summed over 8 vCPUs)');
    expect(alarmByMetric(template, 'Invocation4XXErrors').Threshold).toBe(0.25);
    expect(alarmByMetric(template, 'OverheadLatency').Threshold).toBe(50_000);
  });

  it('adds no utilization alarms for serverless endpoints (they publish no instance metrics)', () => {
    const stack = new Stack(new App(), 'Serverless');
    const alarms = new InferenceAlarms(stack, 'Alarms', { endpoint: fakeEndpoint(stack, 'serverless') });
    expect(Object.keys(alarms.alarms).sort()).toEqual(['endpoint4xx', 'endpoint5xx', 'modelLatencyP99', 'overheadLatencyP99']);
    const namespaces = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.Namespace);
    expect(namespaces).not.toContain('/aws/sagemaker/Endpoints');
  });

  it('adds an async invocation failure alarm for async endpoints', () => {
    const stack = new Stack(new App(), 'Async');
    const alarms = new InferenceAlarms(stack, 'Alarms', { endpoint: fakeEndpoint(stack, 'async') });
    const template = Template.fromStack(stack);
    expect(alarmByMetric(template, 'InvocationFailures')).toMatchObject({ Namespace: 'AWS/SageMaker', Statistic: 'Sum', Threshold: 1 });
    expect(alarms.alarms.asyncInvocationFailures).toBeDefined();
  });
});

describe('InferenceAlarms validation', () => {
  const cases: Array<[string, Partial<InferenceAlarmsProps>, string]> = [
    ['emails', { emails: ['oncall'] }, 'InferenceAlarms emails[0]: got "oncall"; expected an email address'],
    ['httpsEndpoints', { httpsEndpoints: ['http://hooks.example/x'] }, 'InferenceAlarms httpsEndpoints[0]: got "http://hooks.example/x"; expected an https:// URL (plain http is refused: alarms may carry endpoint names and account ids)'],
    ['latencyP99Threshold', { latencyP99Threshold: Duration.hours(2) }, 'InferenceAlarms latencyP99Threshold: got "2 hours"; expected from 1 millisecond to 1 hour'],
    ['errorRatePercent', { errorRatePercent: 0 }, 'InferenceAlarms errorRatePercent: got 0; expected a percentage greater than 0 and at most 100'],
    ['evaluationPeriods', { evaluationPeriods: 0 }, 'InferenceAlarms evaluationPeriods: got 0; expected an integer from 1 to 1440'],
    ['datapointsToAlarm', { evaluationPeriods: 2, datapointsToAlarm: 3 }, 'InferenceAlarms datapointsToAlarm: got 3; expected at most evaluationPeriods (2)'],
    ['endpointMode', { endpointMode: 'batch' as never }, 'InferenceAlarms endpointMode: got "batch"; expected one of "realtime", "serverless", "async"'],
    ['clientErrorRatePercent', { clientErrorRatePercent: 150 }, 'InferenceAlarms clientErrorRatePercent: got 150; expected a percentage greater than 0 and at most 100'],
    ['overheadLatencyP99Threshold', { overheadLatencyP99Threshold: Duration.millis(0) }, 'InferenceAlarms overheadLatencyP99Threshold: got "0 millis"; expected from 1 millisecond to 1 hour'],
    ['cpuUtilizationPercent', { cpuUtilizationPercent: 0 }, 'InferenceAlarms cpuUtilizationPercent: got 0; expected a percentage greater than 0 and at most 100'],
    ['memoryUtilizationPercent', { memoryUtilizationPercent: 101 }, 'InferenceAlarms memoryUtilizationPercent: got 101; expected a percentage greater than 0 and at most 100'],
    ['diskUtilizationPercent', { diskUtilizationPercent: -5 }, 'InferenceAlarms diskUtilizationPercent: got -5; expected a percentage greater than 0 and at most 100'],
    ['gpuUtilizationPercent', { gpuUtilizationPercent: Number.NaN }, 'InferenceAlarms gpuUtilizationPercent: got NaN; expected a percentage greater than 0 and at most 100'],
    ['gpuMemoryUtilizationPercent', { gpuMemoryUtilizationPercent: 400 }, 'InferenceAlarms gpuMemoryUtilizationPercent: got 400; expected a percentage greater than 0 and at most 100'],
    ['instanceShape.vcpu', { instanceShape: { vcpu: 0.5 } }, 'InferenceAlarms instanceShape.vcpu: got 0.5; expected an integer from 1 to 1024'],
    ['instanceShape.gpuCount', { instanceShape: { vcpu: 4, gpuCount: -1 } }, 'InferenceAlarms instanceShape.gpuCount: got -1; expected an integer from 0 to 64'],
    ['instanceShape in serverless mode', { endpointMode: 'serverless', instanceShape: { vcpu: 4 } }, 'InferenceAlarms instanceShape: got {"vcpu":4}; expected nothing for a serverless endpoint (it publishes no instance metrics)'],
  ];
  it.each(cases)('rejects a bad %s', (_name, props, message) => {
    const stack = new Stack(new App(), 'Bad');
    expect(() => new InferenceAlarms(stack, 'Alarms', { endpoint: fakeEndpoint(stack), ...props })).toThrow(message);
  });
});

describe('InferenceAlarms on endpoints it did not build', () => {
  const IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-cpu-py311';

  it('watches an endpoint imported by ARN, with its variant dimension and no CPU alarm (shape unknown)', () => {
    const stack = new Stack(new App(), 'Imported');
    const endpoint = ModelEndpoint.fromEndpointArn(stack, 'E', 'arn:aws:sagemaker:eu-west-1:111122223333:endpoint/fraud');
    const alarms = new InferenceAlarms(stack, 'Alarms', { endpoint });
    const template = Template.fromStack(stack);
    expect(alarmByMetric(template, 'Invocation5XXErrors').Dimensions).toEqual([{ Name: 'EndpointName', Value: 'fraud' }, { Name: 'VariantName', Value: 'AllTraffic' }]);
    expect(alarms.alarms.cpuUtilization).toBeUndefined();
  });

  it('scales CPU and GPU alarms to an imported instance type', () => {
    const stack = new Stack(new App(), 'ImportedGpu');
    const endpoint = ModelEndpoint.fromEndpointAttributes(stack, 'E', { endpointName: 'llm', instanceType: 'ml.g5.12xlarge' });
    new InferenceAlarms(stack, 'Alarms', { endpoint });
    const template = Template.fromStack(stack);
    expect(alarmByMetric(template, 'CPUUtilization').Threshold).toBe(90 * 48);
    expect(alarmByMetric(template, 'GPUUtilization').Threshold).toBe(90 * 4);
  });

  it("honours the endpoint spec's monitoring block: latency, error rate and emails, explicit props still winning", () => {
    const stack = new Stack(new App(), 'FromSpec');
    const endpoint = new ModelEndpoint(stack, 'Endpoint', {
      spec: { name: 'churn', image: IMAGE, monitoring: { latencyP99Ms: 500, errorRatePercent: 2, alarmEmails: ['oncall@example.com'] } },
    });
    new InferenceAlarms(stack, 'Alarms', { endpoint });
    const template = Template.fromStack(stack);
    expect(alarmByMetric(template, 'ModelLatency').Threshold).toBe(500_000);
    expect(alarmByMetric(template, 'Invocation5XXErrors').Threshold).toBe(0.02);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });

    const other = new Stack(new App(), 'Explicit');
    const e2 = new ModelEndpoint(other, 'Endpoint', { spec: { name: 'churn', image: IMAGE, monitoring: { latencyP99Ms: 500 } } });
    new InferenceAlarms(other, 'Alarms', { endpoint: e2, latencyP99Threshold: Duration.seconds(1), emails: [] });
    const t2 = Template.fromStack(other);
    expect(alarmByMetric(t2, 'ModelLatency').Threshold).toBe(1_000_000);
    t2.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('alarms on every variant by its own dimension and rolls back on the production ones only', () => {
    const stack = new Stack(new App(), 'Variants');
    const endpoint = new ModelEndpoint(stack, 'Endpoint', {
      spec: { name: 'churn', image: IMAGE },
      variantName: 'Current',
      additionalVariants: [{ variantName: 'Candidate', weight: 0.1, instanceType: 'ml.c7i.xlarge' }],
    });
    const alarms = new InferenceAlarms(stack, 'Alarms', { endpoint });
    expect(Object.keys(alarms.variantAlarms)).toEqual(['Current', 'Candidate']);
    const template = Template.fromStack(stack);
    const fiveXx = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.MetricName === 'Invocation5XXErrors');
    expect(fiveXx.map((a) => a.Properties.Dimensions[1].Value).sort()).toEqual(['Candidate', 'Current']);
    expect(alarms.rollbackAlarms()).toEqual([
      alarms.variantAlarms.Current.endpoint5xx, alarms.variantAlarms.Current.modelLatencyP99,
      alarms.variantAlarms.Candidate.endpoint5xx, alarms.variantAlarms.Candidate.modelLatencyP99,
    ]);
    expect(alarms.alarms.endpoint5xx).toBe(alarms.variantAlarms.Current.endpoint5xx);
  });
});

describe('InferenceAlarms with tokens', () => {
  it('takes thresholds as tokens, and warns instead of subscribing a list token of emails', () => {
    const stack = new Stack(new App(), 'Tokens');
    const endpoint = fakeEndpoint(stack);
    const emails = new CfnParameter(stack, 'Emails', { type: 'CommaDelimitedList' }).valueAsList;
    new InferenceAlarms(stack, 'Alarms', { endpoint, emails, evaluationPeriods: Lazy.number({ produce: () => 5 }), datapointsToAlarm: 3 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    Annotations.fromStack(stack).hasWarning('/Tokens/Alarms', Match.stringLikeRegexp('emails is a list token'));
    expect(alarmByMetric(template, 'Invocation5XXErrors').EvaluationPeriods).toBe(5);
  });
});
