import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DriftMonitor, DriftMonitorProps } from '../../lib/aws/drift-monitor';
import { IInferenceEndpoint } from '../../lib/aws/inference-endpoint';
import { ModelEndpoint } from '../../lib/aws/model-endpoint';

// A stand-in for ModelEndpoint: an imported endpoint, since the monitor only needs the interface.
function fakeEndpoint(endpointName = 'churn-endpoint'): IInferenceEndpoint {
  return ModelEndpoint.fromEndpointArn(new Stack(), 'Endpoint', `arn:aws:sagemaker:us-east-1:111122223333:endpoint/${endpointName}`);
}

interface Fixture {
  stack: Stack;
  key: kms.Key;
  bucket: s3.Bucket;
  topic: sns.Topic;
}

function fixture(stack = new Stack(new App(), 'Monitoring')): Fixture {
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'Capture', { encryptionKey: key, enforceSSL: true, serverAccessLogsPrefix: 'access-logs/' });
  const topic = new sns.Topic(stack, 'Alarms', { masterKey: key, enforceSSL: true });
  return { stack, key, bucket, topic };
}

const S3_BASELINE = { statisticsUri: 's3://training-baselines/churn/statistics.json', constraintsUri: 's3://training-baselines/churn/constraints.json' };

function props(f: Fixture, overrides: Partial<DriftMonitorProps> = {}): DriftMonitorProps {
  return {
    endpoint: fakeEndpoint(),
    captureBucket: f.bucket,
    capturePrefix: 'capture/',
    baseline: S3_BASELINE,
    features: ['age', 'monthly_charges'],
    alarmTopic: f.topic,
    ...overrides,
  };
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } } | iam.IRole | kms.IKey | s3.IBucket): string {
  const child = (construct as { node: { defaultChild?: unknown } }).node.defaultChild ?? construct;
  return stack.getLogicalId(child as never);
}

function localBaseline(features: string[]): { statisticsPath: string; constraintsPath: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-baseline-'));
  const statisticsPath = path.join(dir, 'statistics.json');
  const constraintsPath = path.join(dir, 'constraints.json');
  fs.writeFileSync(statisticsPath, JSON.stringify({ version: 0.0, dataset: { item_count: 100 }, features: features.map((name) => ({ name, inferred_type: 'Fractional' })) }));
  fs.writeFileSync(constraintsPath, JSON.stringify({ version: 0.0, features: features.map((name) => ({ name, inferred_type: 'Fractional', completeness: 1 })) }));
  return { statisticsPath, constraintsPath };
}

describe('DriftMonitor with S3 baselines, a KMS key and an alarm topic', () => {
  const f = fixture();
  const monitor = new DriftMonitor(f.stack, 'Drift', props(f));
  const template = Template.fromStack(f.stack);
  const keyArn = { 'Fn::GetAtt': [logicalId(f.stack, f.key), 'Arn'] };
  const bucketArn = { 'Fn::GetAtt': [logicalId(f.stack, f.bucket), 'Arn'] };
  const topicRef = { Ref: logicalId(f.stack, f.topic) };
  const jobDefinitionId = f.stack.getLogicalId(monitor.jobDefinition);
  const scheduleId = f.stack.getLogicalId(monitor.schedule);

  it('defines a data-quality job over the endpoint capture with the regional analyzer image and the baseline', () => {
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      EndpointName: 'churn-endpoint',
      DataQualityAppSpecification: {
        ImageUri: {
          'Fn::Join': ['', [{ 'Fn::FindInMap': ['ModelMonitorAnalyzerAccounts', { Ref: 'AWS::Region' }, 'account'] }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer']],
        },
        Environment: { publish_cloudwatch_metrics: 'Enabled' },
      },
      DataQualityBaselineConfig: {
        StatisticsResource: { S3Uri: S3_BASELINE.statisticsUri },
        ConstraintsResource: { S3Uri: S3_BASELINE.constraintsUri },
      },
      DataQualityJobInput: {
        EndpointInput: { EndpointName: 'churn-endpoint', LocalPath: '/opt/ml/processing/input/endpoint', S3InputMode: 'File' },
      },
      DataQualityJobOutputConfig: {
        KmsKeyId: keyArn,
        MonitoringOutputs: [
          {
            S3Output: {
              S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: logicalId(f.stack, f.bucket) }, '/monitoring/data-quality/']] },
              LocalPath: '/opt/ml/processing/output',
              S3UploadMode: 'EndOfJob',
            },
          },
        ],
      },
      JobResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 20, VolumeKmsKeyId: keyArn } },
      NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true },
      RoleArn: { 'Fn::GetAtt': [logicalId(f.stack, monitor.role), 'Arn'] },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    });
  });

  it('maps every known region to the analyzer account, us-east-1 included', () => {
    const mappings = template.toJSON().Mappings.ModelMonitorAnalyzerAccounts;
    expect(mappings['us-east-1']).toEqual({ account: '156813124566' });
    expect(mappings['eu-west-1']).toEqual({ account: '468650794304' });
  });

  it('schedules the job hourly on the endpoint, after the job definition exists', () => {
    const schedule = template.findResources('AWS::SageMaker::MonitoringSchedule')[scheduleId];
    expect(schedule.DependsOn).toContain(jobDefinitionId);
    expect(schedule.Properties).toEqual({
      MonitoringScheduleName: monitor.scheduleName,
      EndpointName: 'churn-endpoint',
      MonitoringScheduleConfig: {
        MonitoringJobDefinitionName: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': [jobDefinitionId, 'JobDefinitionArn'] }] }] },
        MonitoringType: 'DataQuality',
        ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
      },
    });
    expect(monitor.scheduleName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
  });

  it('creates the job definition only after the role policy is in place', () => {
    const jobDefinition = template.findResources('AWS::SageMaker::DataQualityJobDefinition')[jobDefinitionId];
    expect(jobDefinition.DependsOn).toEqual(expect.arrayContaining([logicalId(f.stack, monitor.role), expect.stringMatching(/^DriftRoleDefaultPolicy/)]));
  });

  it('lets only SageMaker in this account assume the role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }],
      },
    });
  });

  it('scopes the role to the capture prefix, the two baseline objects and the report prefix', () => {
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policy.Properties.PolicyDocument.Statement as { Sid?: string }[];
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    expect(bySid('ReadCapturedTraffic')).toEqual({ Sid: 'ReadCapturedTraffic', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, '/capture/*']] } });
    expect(bySid('ListCapturedTraffic')).toEqual({
      Sid: 'ListCapturedTraffic',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: { StringLike: { 's3:prefix': ['capture/*'] } },
    });
    expect(bySid('ReadBaselineAndInputs')).toEqual({
      Sid: 'ReadBaselineAndInputs',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::training-baselines/churn/statistics.json']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::training-baselines/churn/constraints.json']] },
      ],
    });
    expect(bySid('WriteReports')).toEqual({
      Sid: 'WriteReports',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
      Resource: { 'Fn::Join': ['', [bucketArn, '/monitoring/data-quality/*']] },
    });
    expect(bySid('PublishMonitoringMetrics')).toEqual({
      Sid: 'PublishMonitoringMetrics',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'aws/sagemaker/Endpoints/data-metrics' } },
    });
    expect(bySid('WriteJobLogs')).toMatchObject({ Resource: [expect.anything(), expect.anything()] });
    expect(JSON.stringify(bySid('WriteJobLogs'))).toContain(':log-group:/aws/sagemaker/ProcessingJobs:log-stream:*');
    expect(statements).toContainEqual({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'], Resource: keyArn });
    expect(bySid('GrantVolumeEncryption')).toEqual({
      Sid: 'GrantVolumeEncryption',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: keyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    });
    // Nothing broader: no s3 action on the whole bucket's objects, no ECR (SageMaker pulls its own image).
    const text = JSON.stringify(statements);
    expect(text).not.toContain('"/*"');
    expect(text).not.toContain('ecr:');
    expect(statements).toHaveLength(8);
  });

  it('alarms per feature on the Model Monitor drift metric of this endpoint and schedule', () => {
    for (const feature of ['age', 'monthly_charges']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'aws/sagemaker/Endpoints/data-metrics',
        MetricName: `feature_baseline_drift_${feature}`,
        Dimensions: Match.arrayEquals([
          { Name: 'Endpoint', Value: 'churn-endpoint' },
          { Name: 'MonitoringSchedule', Value: monitor.scheduleName },
        ]),
        Statistic: 'Maximum',
        Period: 3600,
        Threshold: 0.1,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef],
        OKActions: [topicRef],
      });
    }
    expect(Object.keys(monitor.featureDriftAlarms)).toEqual(['age', 'monthly_charges']);
  });

  it('matches failed or stopped runs of this schedule with an EventBridge rule and alarms on its matches', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Processing Job State Change'],
        detail: { ProcessingJobStatus: ['Failed', 'Stopped'], MonitoringScheduleArn: [{ 'Fn::GetAtt': [scheduleId, 'MonitoringScheduleArn'] }] },
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'MatchedEvents',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: f.stack.getLogicalId(monitor.failedJobsRule.node.defaultChild as never) } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms to the topic when a run of this schedule completes with violations of the baseline constraints', () => {
    const ruleId = f.stack.getLogicalId(monitor.violationsRule!.node.defaultChild as never);
    expect(template.findResources('AWS::Events::Rule')[ruleId].Properties.EventPattern).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Processing Job State Change'],
      detail: {
        ProcessingJobStatus: ['Completed'],
        ExitMessage: [{ prefix: 'CompletedWithViolations' }],
        MonitoringScheduleArn: [{ 'Fn::GetAtt': [scheduleId, 'MonitoringScheduleArn'] }],
      },
    });
    const alarm = template.findResources('AWS::CloudWatch::Alarm')[f.stack.getLogicalId(monitor.violationsAlarm!.node.defaultChild as never)];
    expect(alarm.Properties).toMatchObject({
      Namespace: 'AWS/Events',
      MetricName: 'MatchedEvents',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: ruleId } }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    expect(alarm.Properties.AlarmDescription).toContain('monitoring/data-quality/');
    expect(monitor.alarms).toContain(monitor.violationsAlarm);
  });

  it('treats three missing drift results in a row as breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'aws/sagemaker/Endpoints/data-metrics',
      MetricName: 'feature_baseline_drift_age',
      Statistic: 'SampleCount',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
    });
  });

  it('notifies the topic once, through a composite job-health alarm over both signals', () => {
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    const [composite] = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(composite.Properties.AlarmActions).toEqual([topicRef]);
    const rule = JSON.stringify(composite.Properties.AlarmRule);
    expect(rule).toContain(f.stack.getLogicalId(monitor.failedJobsAlarm.node.defaultChild as never));
    expect(rule).toContain(f.stack.getLogicalId(monitor.resultsMissingAlarm!.node.defaultChild as never));
    // The children stay silent so one failure is one notification.
    for (const child of [monitor.failedJobsAlarm, monitor.resultsMissingAlarm!]) {
      const resource = template.findResources('AWS::CloudWatch::Alarm')[f.stack.getLogicalId(child.node.defaultChild as never)];
      expect(resource.Properties.AlarmActions).toBeUndefined();
    }
    expect(monitor.jobHealthAlarm).toBeInstanceOf(cloudwatch.CompositeAlarm);
  });

  it('exposes every alarm and a drift metric per feature', () => {
    expect(monitor.alarms).toHaveLength(6);
    const metric = monitor.metricFeatureDrift('age');
    expect(metric.namespace).toBe('aws/sagemaker/Endpoints/data-metrics');
    expect(metric.metricName).toBe('feature_baseline_drift_age');
    expect(metric.dimensions).toEqual({ Endpoint: 'churn-endpoint', MonitoringSchedule: monitor.scheduleName });
  });
});

describe('DriftMonitor options', () => {
  it('uploads local baseline files as assets and reads exactly those objects', () => {
    const f = fixture();
    const monitor = new DriftMonitor(f.stack, 'Drift', props(f, { baseline: localBaseline(['age', 'monthly_charges', 'tenure']) }));
    const template = Template.fromStack(f.stack);
    const job = Object.values(template.findResources('AWS::SageMaker::DataQualityJobDefinition'))[0];
    const baseline = JSON.stringify(f.stack.resolve(job.Properties.DataQualityBaselineConfig));
    expect(baseline).toMatch(/s3:\/\/cdk-[a-z0-9]+-assets-.*\.json/);
    const statement = (Object.values(template.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement as { Sid?: string }[]).find(
      (s) => s.Sid === 'ReadBaselineAndInputs',
    );
    expect(JSON.stringify(statement)).toMatch(/cdk-[a-z0-9]+-assets-.*\/[0-9a-f]{64}\.json/);
    expect(monitor.scheduleName).toContain('drift');
  });

  it('looks the analyzer image up at synth time when the stack region is known', () => {
    const f = fixture(new Stack(new App(), 'Regional', { env: { region: 'us-west-2', account: '111122223333' } }));
    new DriftMonitor(f.stack, 'Drift', props(f));
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      DataQualityAppSpecification: { ImageUri: { 'Fn::Join': ['', ['159807026194.dkr.ecr.us-west-2.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer']] } },
    });
    expect(template.toJSON().Mappings).toBeUndefined();
  });

  it('accepts an image for regions without a built-in one and grants pull on its repository', () => {
    const f = fixture(new Stack(new App(), 'NewRegion', { env: { region: 'ap-southeast-7', account: '111122223333' } }));
    const repository = new ecr.Repository(f.stack, 'Analyzer');
    new DriftMonitor(f.stack, 'Drift', props(f, { imageUri: '111122223333.dkr.ecr.ap-southeast-7.amazonaws.com/analyzer:1', imageRepository: repository }));
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      DataQualityAppSpecification: { ImageUri: '111122223333.dkr.ecr.ap-southeast-7.amazonaws.com/analyzer:1' },
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain('ecr:BatchGetImage');
  });

  it('runs in a VPC with a closed security group when asked, and may turn isolation off', () => {
    const f = fixture();
    const vpc = new ec2.Vpc(f.stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new DriftMonitor(f.stack, 'Drift', props(f, { vpc: { vpc }, networkIsolation: false, schedule: 'cron(0 0/6 ? * * *)', maxRuntime: Duration.hours(2) }));
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      NetworkConfig: {
        EnableNetworkIsolation: false,
        EnableInterContainerTrafficEncryption: true,
        VpcConfig: { Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('VpcPrivateSubnet1') }]), SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('DriftSecurityGroup'), 'GroupId'] }] },
      },
      StoppingCondition: { MaxRuntimeInSeconds: 7200 },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('Model Monitor'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
    });
    template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', { MonitoringScheduleConfig: { ScheduleConfig: { ScheduleExpression: 'cron(0 0/6 ? * * *)' } } });
    // Every-6-hours runs: drift and missing-results alarms look at 6-hour periods.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'feature_baseline_drift_age', Statistic: 'Maximum', Period: 21600 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Statistic: 'SampleCount', Period: 21600, EvaluationPeriods: 3 });
    const policy = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policy).toContain('ec2:CreateNetworkInterface');
    expect(policy).toContain('ec2:Vpc');
  });

  it('runs once for NOW over the last day, with the failed-run alarm as the job-health alarm and the violations alarm without features', () => {
    const f = fixture();
    const monitor = new DriftMonitor(f.stack, 'Drift', props(f, { schedule: 'NOW', features: [] }));
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleConfig: { ScheduleConfig: { ScheduleExpression: 'NOW', DataAnalysisStartTime: '-PT24H', DataAnalysisEndTime: '-PT0H' } },
    });
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
    expect(monitor.resultsMissingAlarm).toBeUndefined();
    expect(monitor.jobHealthAlarm).toBe(monitor.failedJobsAlarm);
    // No features, so no per-feature alarm: the violations alarm is the drift alarm, and it notifies.
    const topicRef = { Ref: f.stack.getLogicalId(f.topic.node.defaultChild as never) };
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(Object.values(alarms).map((a) => a.Properties.MetricName)).toEqual(['MatchedEvents', 'MatchedEvents']);
    for (const alarm of [monitor.failedJobsAlarm, monitor.violationsAlarm!]) {
      expect(alarms[f.stack.getLogicalId(alarm.node.defaultChild as never)].Properties).toMatchObject({ AlarmActions: [topicRef], OKActions: [topicRef] });
    }
  });

  it('uses the threshold it is given, leaves alarms without actions when there is no topic, and may drop the violations alarm', () => {
    const f = fixture();
    const monitor = new DriftMonitor(f.stack, 'Drift', props(f, { alarmTopic: undefined, driftThreshold: 0.25, features: ['age'], violationsAlarm: false }));
    const template = Template.fromStack(f.stack);
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a) => a.Properties.MetricName === 'feature_baseline_drift_age' && a.Properties.Statistic === 'Maximum')!;
    expect(alarm.Properties.Threshold).toBe(0.25);
    expect(alarm.Properties.AlarmActions).toBeUndefined();
    // violationsAlarm: false leaves only the failed-runs rule.
    expect(monitor.violationsAlarm).toBeUndefined();
    template.resourceCountIs('AWS::Events::Rule', 1);
    expect(JSON.stringify(template.findResources('AWS::Events::Rule'))).not.toContain('CompletedWithViolations');
  });

  it('gives two monitors in one stack distinct schedule names', () => {
    const f = fixture();
    const a = new DriftMonitor(f.stack, 'DriftA', props(f));
    const b = new DriftMonitor(f.stack, 'DriftB', props(f, { capturePrefix: 'other/' }));
    expect(a.scheduleName).not.toBe(b.scheduleName);
    Template.fromStack(f.stack).resourceCountIs('AWS::SageMaker::MonitoringSchedule', 2);
  });
});

describe('DriftMonitor validation', () => {
  const build = (overrides: Partial<DriftMonitorProps>) => () => {
    const f = fixture();
    new DriftMonitor(f.stack, 'Drift', props(f, overrides));
  };

  it.each([
    ['cron(0 12 * * ? *)'],
    ['rate(1 hour)'],
    ['cron(30 * ? * * *)'],
    ['cron(0 24 ? * * *)'],
    ['cron(0 0/25 ? * * *)'],
    ['cron(0 0/0 ? * * *)'],
  ])('rejects schedule %s and lists the allowed forms', (schedule) => {
    expect(build({ schedule })).toThrow(`DriftMonitor schedule: got ${JSON.stringify(schedule)}; expected one of the forms SageMaker accepts: hourly "cron(0 * ? * * *)"`);
  });

  it.each(['cron(0 * ? * * *)', 'cron(0 12 ? * * *)', 'cron(0 00 ? * * *)', 'cron(0 17/12 ? * * *)', 'cron(0 0/2 ? * * *)'])('accepts schedule %s', (schedule) => {
    expect(build({ schedule })).not.toThrow();
  });

  it('rejects feature names that cannot be part of a metric name, and duplicates', () => {
    expect(build({ features: ['age', 'bad feature', 'age'] })).toThrow(
      'DriftMonitor features[1]: got "bad feature"; expected 1-100 letters, digits, underscores, dots or hyphens, as named in the baseline',
    );
    expect(build({ features: ['age', 'age'] })).toThrow('DriftMonitor features: got "age"; expected each feature named once');
  });

  it('rejects features the local baseline does not have', () => {
    expect(build({ baseline: localBaseline(['age', 'tenure']), features: ['age', 'income'] })).toThrow(
      'DriftMonitor features[1]: got "income"; expected a feature of the baseline (age, tenure)',
    );
  });

  it.each([0, -0.1, 1.5, Number.NaN])('rejects drift threshold %p', (driftThreshold) => {
    expect(build({ driftThreshold })).toThrow(`DriftMonitor driftThreshold: got ${driftThreshold}; expected a number greater than 0 and at most 1`);
  });

  it('rejects baseline URIs that are not s3://bucket/key', () => {
    expect(build({ baseline: { statisticsUri: 'https://example.com/statistics.json', constraintsUri: 's3://b/' } })).toThrow(
      /DriftMonitor baseline\.statisticsUri: got "https:\/\/example.com\/statistics.json"; expected s3:\/\/<bucket>\/<key>[\s\S]*DriftMonitor baseline\.constraintsUri: got "s3:\/\/b\/"/,
    );
  });

  it('rejects local baseline files that do not exist or are not statistics', () => {
    expect(build({ baseline: { statisticsPath: '/nonexistent/statistics.json', constraintsPath: '/nonexistent/constraints.json' } })).toThrow(
      'DriftMonitor baseline.statisticsPath: got "/nonexistent/statistics.json"; expected the path of an existing local file',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-bad-'));
    fs.writeFileSync(path.join(dir, 'statistics.json'), 'not json');
    fs.writeFileSync(path.join(dir, 'constraints.json'), '{}');
    expect(build({ baseline: { statisticsPath: path.join(dir, 'statistics.json'), constraintsPath: path.join(dir, 'constraints.json') } })).toThrow(
      /DriftMonitor baseline.statisticsPath: got ".*"; expected a Model Monitor statistics.json/,
    );
  });

  it('rejects a run time longer than an hourly schedule allows', () => {
    expect(build({ maxRuntime: Duration.minutes(90) })).toThrow('DriftMonitor maxRuntime: got "5400 seconds"; expected whole seconds from 60 to 3600 (the schedule interval)');
  });

  it('rejects bad sizes, prefixes and names in one error', () => {
    expect(build({ instanceType: 'm5.xlarge', instanceCount: 0, volumeSizeGb: 0, capturePrefix: 's3://bucket/capture', outputPrefix: 'reports/*', scheduleName: '-bad-' })).toThrow(
      /6 invalid props:[\s\S]*instanceType[\s\S]*instanceCount[\s\S]*volumeSizeGb[\s\S]*capturePrefix[\s\S]*outputPrefix[\s\S]*scheduleName/,
    );
  });

  it('asks for an image in a region without a built-in analyzer image', () => {
    expect(() => {
      const f = fixture(new Stack(new App(), 'Far', { env: { region: 'ap-southeast-7', account: '111122223333' } }));
      new DriftMonitor(f.stack, 'Drift', props(f));
    }).toThrow(/DriftMonitor imageUri: got undefined; expected an analyzer image URI: the stack's region has no built-in Model Monitor image/);
  });
});

describe('DriftMonitor under cdk-nag', () => {
  it('passes the AwsSolutions pack with its wildcards acknowledged one by one', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const f = fixture(new Stack(app, 'Nag'));
    const vpc = new ec2.Vpc(f.stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason: 'Test VPC without traffic' });
    new DriftMonitor(f.stack, 'Drift', props(f, { vpc: { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }, baseline: localBaseline(['age', 'monthly_charges']) }));
    expect(() => app.synth()).not.toThrow();
  });
});
