import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IInferenceEndpoint } from '../../lib/aws/inference-endpoint';
import { ModelEndpoint } from '../../lib/aws/model-endpoint';
import { ModelQualityMonitor, ModelQualityMonitorProps } from '../../lib/aws/model-quality-monitor';

const endpoint: IInferenceEndpoint = ModelEndpoint.fromEndpointArn(new Stack(), 'Endpoint', 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/churn-endpoint');

function setup(overrides: Partial<ModelQualityMonitorProps> = {}, app = new App()) {
  const stack = new Stack(app, 'Quality');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'Capture', { encryptionKey: key, enforceSSL: true, serverAccessLogsPrefix: 'access-logs/' });
  const labels = new s3.Bucket(stack, 'Labels', { encryptionKey: key, enforceSSL: true, serverAccessLogsPrefix: 'access-logs/' });
  const topic = new sns.Topic(stack, 'Alarms', { masterKey: key, enforceSSL: true });
  const build = () =>
    new ModelQualityMonitor(stack, 'Quality', {
      endpoint,
      captureBucket: bucket,
      capturePrefix: 'capture/',
      groundTruthBucket: labels,
      groundTruthPrefix: 'ground-truth',
      problemType: 'BinaryClassification',
      probabilityAttribute: '0',
      probabilityThreshold: 0.5,
      thresholds: { accuracy: 0.8, precision: 0.7, recall: 0.6 },
      alarmTopic: topic,
      ...overrides,
    });
  return { stack, key, bucket, labels, topic, build };
}

describe('ModelQualityMonitor', () => {
  const s = setup();
  const monitor = s.build();
  const template = Template.fromStack(s.stack);
  const id = (c: { node: { defaultChild?: unknown } }) => s.stack.getLogicalId(c.node.defaultChild as never);

  it('scores captured predictions against the ground-truth prefix', () => {
    template.hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      EndpointName: 'churn-endpoint',
      ModelQualityAppSpecification: { ProblemType: 'BinaryClassification', Environment: { publish_cloudwatch_metrics: 'Enabled' }, ImageUri: Match.anyValue() },
      ModelQualityJobInput: {
        EndpointInput: { EndpointName: 'churn-endpoint', LocalPath: '/opt/ml/processing/input/endpoint', S3InputMode: 'File', ProbabilityAttribute: '0', ProbabilityThresholdAttribute: 0.5 },
        GroundTruthS3Input: { S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: id(s.labels) }, '/ground-truth/']] } },
      },
      NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true },
      JobResources: { ClusterConfig: { VolumeKmsKeyId: { 'Fn::GetAtt': [id(s.key), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleName: monitor.scheduleName,
      MonitoringScheduleConfig: { MonitoringType: 'ModelQuality', ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } },
    });
  });

  it('reads only the capture and ground-truth prefixes and publishes only model metrics', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement as { Sid?: string }[];
    expect(statements.find((x) => x.Sid === 'ReadGroundTruth')).toEqual({
      Sid: 'ReadGroundTruth',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(s.labels), 'Arn'] }, '/ground-truth/*']] },
    });
    expect(statements.find((x) => x.Sid === 'ListGroundTruth')).toMatchObject({ Condition: { StringLike: { 's3:prefix': ['ground-truth/*'] } } });
    expect(statements.find((x) => x.Sid === 'PublishMonitoringMetrics')).toMatchObject({ Condition: { StringEquals: { 'cloudwatch:namespace': 'aws/sagemaker/Endpoints/model-metrics' } } });
  });

  it.each([
    ['accuracy', 0.8],
    ['precision', 0.7],
    ['recall', 0.6],
  ])('alarms when %s falls below %d', (metricName, threshold) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'aws/sagemaker/Endpoints/model-metrics',
      MetricName: metricName,
      Dimensions: Match.arrayEquals([
        { Name: 'Endpoint', Value: 'churn-endpoint' },
        { Name: 'MonitoringSchedule', Value: monitor.scheduleName },
      ]),
      Statistic: 'Minimum',
      Period: 3600,
      Threshold: threshold,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: id(s.topic) }],
    });
  });

  it('has a job-health alarm to the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [{ Ref: id(s.topic) }] });
    expect(monitor.alarms).toHaveLength(4);
  });

  it('alarms on class-weighted precision and recall for multiclass models', () => {
    const m = setup({ problemType: 'MulticlassClassification', probabilityThreshold: undefined, thresholds: { precision: 0.5, recall: 0.5 } });
    m.build();
    const t = Template.fromStack(m.stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'weighted_precision', Threshold: 0.5 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'weighted_recall', Threshold: 0.5 });
  });

  it('validates problem type, thresholds and the probability threshold', () => {
    expect(() => setup({ problemType: 'Ranking' as never }).build()).toThrow(
      'ModelQualityMonitor problemType: got "Ranking"; expected one of "BinaryClassification", "MulticlassClassification", "Regression"',
    );
    expect(() => setup({ thresholds: { accuracy: 1.2, recall: -0.1 } }).build()).toThrow(
      /thresholds.accuracy: got 1.2; expected a number from 0 to 1[\s\S]*thresholds.recall: got -0.1; expected a number from 0 to 1/,
    );
    expect(() => setup({ problemType: 'Regression', probabilityThreshold: undefined }).build()).toThrow(
      /ModelQualityMonitor thresholds: got .*; expected no accuracy\/precision\/recall thresholds for Regression/,
    );
    expect(() => setup({ problemType: 'MulticlassClassification', thresholds: {} }).build()).toThrow(
      'ModelQualityMonitor probabilityThreshold: got 0.5; expected only with problemType BinaryClassification',
    );
    expect(() => setup({ schedule: 'cron(0 12 * * ? *)' }).build()).toThrow(/ModelQualityMonitor schedule: got "cron\(0 12 \* \* \? \*\)"; expected one of the forms SageMaker accepts/);
    expect(() => setup({ constraintsUri: 'constraints.json' }).build()).toThrow(/ModelQualityMonitor constraintsUri: got "constraints.json"; expected s3:\/\//);
  });

  it('passes cdk-nag', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    setup({ constraintsUri: 's3://baselines/churn/constraints.json' }, app).build();
    expect(() => app.synth()).not.toThrow();
  });
});
