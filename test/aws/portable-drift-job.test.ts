import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PortableDriftJob, PortableDriftJobProps } from '../../lib/aws/portable-drift-job';
import { latestNodeRuntime } from '../../lib/aws/private/lambda-runtime';
import { CONSTRAINT_CHECKS, Violation } from '../../lib/runtime/drift/constraint-checks';
import { DRIFT_METRIC_NAMESPACE, VIOLATION_METRICS, violationsLine } from '../../lib/runtime/drift/emitters';

const SPEC = { name: 'churn', image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/churn:1', monitoring: { driftFeatures: ['age', 'plan'], driftThreshold: 0.3, psiThreshold: 0.25 } };

function synth(overrides: Partial<PortableDriftJobProps> = {}) {
  const stack = new Stack(new App(), 'Stack');
  const key = new kms.Key(stack, 'Key');
  const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
  const topic = new sns.Topic(stack, 'Topic');
  const job = new PortableDriftJob(stack, 'Drift', {
    spec: SPEC, captureBucket: bucket, capturePrefix: 'data-capture/churn-1/AllTraffic/', baselineBucket: bucket, baselinePrefix: 'baseline/', alarmTopic: topic, ...overrides,
  });
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as s3.CfnBucket);
  return { stack, job, template: Template.fromStack(stack), bucketId: id(bucket), keyId: id(key), topicId: id(topic) };
}

const LOG_GROUP_NAME = '/aws/lambda/Stack-Drift-B52FC657-Function';
const logsKeyStatements = (template: Template) => {
  const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
  return key.Properties.KeyPolicy.Statement.filter((s: { Principal?: unknown }) => JSON.stringify(s.Principal).includes('logs.'));
};

describe('PortableDriftJob', () => {
  const { job, template, bucketId, keyId, topicId } = synth();

  it('runs the bundled drift handler on the newest Node.js runtime aws-cdk-lib knows for up to 15 minutes, one run at a time, without retries', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: latestNodeRuntime().name, Handler: 'index.handler', Timeout: 900, MemorySize: 2048, ReservedConcurrentExecutions: 1,
      Environment: { Variables: Match.objectLike({ MODEL_NAME: 'churn', LOG_FORMAT: 'aws', DRIFT_THRESHOLD: '0.3', PSI_THRESHOLD: '0.25', DRIFT_EXIT_CODE: '0', WINDOW_HOURS: '1' }) },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(15 * * * ? *)', Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0 } })] });
  });

  it('reads only the capture and baseline prefixes, lists only them, and decrypts with the bucket key', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const arn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
    expect(statements).toContainEqual({ Sid: 'ReadCaptureAndBaseline', Effect: 'Allow', Action: 's3:GetObject', Resource: [
      { 'Fn::Join': ['', [arn, '/data-capture/churn-1/AllTraffic/*']] }, { 'Fn::Join': ['', [arn, '/baseline/*']] },
    ] });
    expect(statements).toContainEqual({ Sid: 'ListCapture', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn, Condition: { StringLike: { 's3:prefix': ['data-capture/churn-1/AllTraffic/*'] } } });
    expect(statements).toContainEqual({ Sid: 'ListBaseline', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn, Condition: { StringLike: { 's3:prefix': ['baseline/*'] } } });
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(JSON.stringify(statements)).not.toMatch(/s3:PutObject|kms:GenerateDataKey|"\*"/);
  });

  it('encrypts its log group with the capture bucket key, keeping the one-year retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: LOG_GROUP_NAME, RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  it('lets CloudWatch Logs use the key for exactly that log group', () => {
    expect(logsKeyStatements(template)).toEqual([{
      Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Effect: 'Allow',
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:${LOG_GROUP_NAME}`,
      ]] } } },
    }]);
  });

  it("alarms per feature on the job's verdict (FeatureDrifted >= 1), not on a raw distance or PSI, to the topic", () => {
    for (const feature of ['age', 'plan']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: DRIFT_METRIC_NAMESPACE, MetricName: 'FeatureDrifted', Statistic: 'Maximum', Period: 3600, EvaluationPeriods: 1,
        Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
        Dimensions: [{ Name: 'Feature', Value: feature }, { Name: 'Model', Value: 'churn' }], AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }],
      });
    }
    // The spec thresholds feed the job (DRIFT_THRESHOLD, PSI_THRESHOLD); no alarm re-compares its raw numbers.
    for (const raw of ['FeatureDrift', 'FeaturePsi', 'FeatureDistance']) template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: raw }, 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: DRIFT_METRIC_NAMESPACE, MetricName: 'DriftedFeatures', Statistic: 'Maximum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: [{ Name: 'Model', Value: 'churn' }], AlarmActions: [{ Ref: topicId }],
    });
    expect(Object.keys(job.featureDriftAlarms)).toEqual(['age', 'plan']);
  });

  it('alarms on the dataset verdict (DatasetDrift >= 1), to the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: DRIFT_METRIC_NAMESPACE, MetricName: 'DatasetDrift', Statistic: 'Maximum', Period: 3600, Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'Model', Value: 'churn' }], AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }],
    });
    expect(job.driftAlarms).toEqual([...Object.values(job.featureDriftAlarms), job.driftedFeaturesAlarm, job.datasetDriftAlarm]);
  });

  it('a violations-only window (no drift) raises the constraint-violations alarm: same namespace, metric, dimensions as the emitted line', () => {
    // Given the EMF line the job writes for a window whose only finding is a new category
    const violations: Violation[] = [{ feature: 'plan', check: 'categorical_values_check', description: 'new categories' }];
    const ctx = { model: 'churn', windowStart: new Date('2026-01-15T09:00:00Z'), windowEnd: new Date('2026-01-15T10:00:00Z'), timestamp: new Date('2026-01-15T10:15:00Z') };
    const line = violationsLine(violations, ctx, 'aws') as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
    const emf = line._aws.CloudWatchMetrics[0];
    // Then the alarm reads exactly that metric
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'ConstraintViolations' } }));
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0].Properties;
    expect(alarm.Namespace).toBe(emf.Namespace);
    expect(emf.Metrics.map((m) => m.Name)).toContain(alarm.MetricName);
    expect(alarm.Dimensions.map((d: { Name: string }) => d.Name)).toEqual(emf.Dimensions[0]);
    expect(alarm.Dimensions).toEqual([{ Name: 'Model', Value: line.Model }]);
    // and the line's value for it (1) breaches: Maximum >= 1
    expect(alarm).toMatchObject({ Statistic: 'Maximum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [{ Ref: topicId }] });
    expect(line[alarm.MetricName]).toBeGreaterThanOrEqual(alarm.Threshold);
    expect(line.drifted).toBeUndefined();
    expect(job.alarms).toContain(job.constraintViolationsAlarm);
    expect(job.driftAlarms).not.toContain(job.constraintViolationsAlarm);
  });

  it("publishes per-check violation metrics under the emitter's names, and graphs them with the verdicts", () => {
    for (const check of CONSTRAINT_CHECKS) {
      expect(job.metricConstraintViolations(check).toMetricConfig().metricStat).toMatchObject({ namespace: DRIFT_METRIC_NAMESPACE, metricName: VIOLATION_METRICS[check] });
    }
    const stack = Stack.of(job);
    const widgets = JSON.stringify(stack.resolve(job.dashboardWidgets().map((w) => w.toJson())));
    expect(widgets).toContain('MetricName=\\"FeatureDrifted\\" Model=\\"churn\\"');
    expect(widgets).toContain('DatasetDrift');
    for (const check of CONSTRAINT_CHECKS) expect(widgets).toContain(VIOLATION_METRICS[check]);
  });

  it('reports failed runs and missing results through one composite alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DriftedFeatures', Statistic: 'SampleCount', EvaluationPeriods: 3, TreatMissingData: 'breaching' });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [{ Ref: topicId }] });
    // two feature verdicts, DriftedFeatures, DatasetDrift, ConstraintViolations, job health
    expect(job.alarms).toHaveLength(6);
  });

  it('takes a schedule, window and memory', () => {
    const { template: t } = synth({ schedule: events.Schedule.rate(Duration.hours(6)), windowHours: 6, memorySize: 3008 });
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(6 hours)' });
    t.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 3008, Environment: { Variables: Match.objectLike({ WINDOW_HOURS: '6' }) } });
  });

  it('encrypts its log group with the encryptionKey prop when the buckets are imported', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'captures');
    const key = new kms.Key(stack, 'OwnKey');
    new PortableDriftJob(stack, 'Drift', { spec: SPEC, captureBucket: bucket, capturePrefix: 'c/', baselineBucket: bucket, baselinePrefix: 'b/', encryptionKey: key });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: LOG_GROUP_NAME, KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    expect(logsKeyStatements(t)).toHaveLength(1);
  });

  it('encrypts its log group with a key of its own when no key is known', () => {
    const s = new Stack(new App(), 'Stack');
    const bucket = s3.Bucket.fromBucketName(s, 'Imported', 'captures');
    new PortableDriftJob(s, 'Drift', { spec: SPEC, captureBucket: bucket, capturePrefix: 'c/', baselineBucket: bucket, baselinePrefix: 'b/' });
    const t = Template.fromStack(s);
    const keys = t.findResources('AWS::KMS::Key');
    expect(Object.keys(keys)).toEqual([expect.stringMatching(/^DriftFunctionLogKey/)]);
    expect(Object.values(keys)[0]).toMatchObject({ Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: LOG_GROUP_NAME, KmsKeyId: { 'Fn::GetAtt': [Object.keys(keys)[0], 'Arn'] } });
    expect(logsKeyStatements(t)).toHaveLength(1);
  });

  it.each([
    [{ capturePrefix: '/capture' }, 'PortableDriftJob capturePrefix: got "/capture"; expected a key prefix ending in \'/\''],
    [{ memorySize: 64 }, 'PortableDriftJob memorySize: got 64; expected an integer from 128 to 10240'],
    [{ timeout: Duration.minutes(20) }, 'PortableDriftJob timeout: got "1200 s"; expected from 1 to 15 minutes'],
    [{ windowHours: 0 }, 'PortableDriftJob driftJob.windowHours: got 0; expected an integer from 1 to 168'],
    [{ spec: { ...SPEC, monitoring: { driftThreshold: 2 } } }, 'PortableDriftJob spec.monitoring.driftThreshold: got 2; expected a number from 0.001 to 1'],
    [{ spec: { ...SPEC, monitoring: { psiThreshold: 0 } } }, 'PortableDriftJob spec.monitoring.psiThreshold: got 0; expected a number from 0.001 to 10'],
  ] as Array<[Partial<PortableDriftJobProps>, string]>)('rejects %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
