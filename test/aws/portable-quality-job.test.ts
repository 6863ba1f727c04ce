import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PortableQualityJob, PortableQualityJobProps } from '../../lib/aws/portable-quality-job';
import { latestNodeRuntime } from '../../lib/aws/private/lambda-runtime';
import { QUALITY_METRIC_NAMESPACE, emfMetricName, qualitySummaryLine } from '../../lib/runtime/quality/quality-emitters';
import type { QualitySummary } from '../../lib/runtime/quality/quality-emitters';

const SPEC = {
  name: 'churn',
  image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/churn:1',
  monitoring: { quality: { problemType: 'BinaryClassification' as const, minAccuracy: 0.8, minRecall: 0.7, minLabelCoverage: 0.05 } },
};

function synth(overrides: Partial<PortableQualityJobProps> = {}) {
  const stack = new Stack(new App(), 'Stack');
  const key = new kms.Key(stack, 'Key');
  const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
  const topic = new sns.Topic(stack, 'Topic');
  const job = new PortableQualityJob(stack, 'Quality', {
    spec: SPEC, captureBucket: bucket, capturePrefix: 'data-capture/churn-1/AllTraffic/', groundTruthBucket: bucket, groundTruthPrefix: 'ground-truth/', alarmTopic: topic, ...overrides,
  });
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as s3.CfnBucket);
  return { stack, job, template: Template.fromStack(stack), bucketId: id(bucket), keyId: id(key), topicId: id(topic) };
}

describe('PortableQualityJob', () => {
  const { job, template, bucketId, keyId, topicId } = synth();

  it('runs the bundled quality handler daily (24-hour window) with the environment qualityJobEnvironment builds', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: latestNodeRuntime().name, Handler: 'index.handler', Timeout: 900, MemorySize: 2048, ReservedConcurrentExecutions: 1,
      Environment: { Variables: Match.objectLike({
        MODEL_NAME: 'churn', LOG_FORMAT: 'aws', QUALITY_PROBLEM_TYPE: 'BinaryClassification', QUALITY_WINDOW_HOURS: '24', QUALITY_LABEL_DELAY_HOURS: '24',
        QUALITY_MIN_SAMPLES: '30', QUALITY_MIN_ACCURACY: '0.8', QUALITY_MIN_RECALL: '0.7', QUALITY_MIN_LABEL_COVERAGE: '0.05', QUALITY_EXIT_CODE: '0',
        QUALITY_POSITIVE_LABEL: '1', QUALITY_PROBABILITY_THRESHOLD: '0.5',
        QUALITY_CAPTURE_URI: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/data-capture/churn-1/AllTraffic/']] },
        QUALITY_GROUND_TRUTH_URI: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/ground-truth/']] },
      }) },
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(30 0 * * ? *)', Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0 } })] });
    expect(job.intervalHours).toBe(24);
  });

  it('reads only the capture and ground-truth prefixes and decrypts with the bucket key; writes nothing', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const arn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
    expect(statements).toContainEqual({ Sid: 'ReadCaptureAndGroundTruth', Effect: 'Allow', Action: 's3:GetObject', Resource: [
      { 'Fn::Join': ['', [arn, '/data-capture/churn-1/AllTraffic/*']] }, { 'Fn::Join': ['', [arn, '/ground-truth/*']] },
    ] });
    expect(statements).toContainEqual({ Sid: 'ListGroundTruth', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn, Condition: { StringLike: { 's3:prefix': ['ground-truth/*'] } } });
    expect(statements).toContainEqual({ Sid: 'ListCapture', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn, Condition: { StringLike: { 's3:prefix': ['data-capture/churn-1/AllTraffic/*'] } } });
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(JSON.stringify(statements)).not.toMatch(/s3:PutObject|kms:GenerateDataKey|"\*"/);
  });

  it('alarms per threshold on the metric the emitter publishes (namespace, name, dimension), below a minimum, to the topic', () => {
    // Given the EMF line a degraded run writes
    const summary = { status: 'degraded', problem_type: 'BinaryClassification', threshold_crossed: true, violations: [], metrics: { accuracy: 0.6, recall: 0.5 },
      captured_events: 100, labelled_events: 90, label_coverage: 0.9 } as unknown as QualitySummary;
    const ctx = { model: 'churn', windowStart: new Date('2026-01-14T00:00:00Z'), windowEnd: new Date('2026-01-15T00:00:00Z'), timestamp: new Date('2026-01-16T00:30:00Z') };
    const line = qualitySummaryLine(summary, ctx, 'aws') as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
    const emf = line._aws.CloudWatchMetrics[0];
    for (const [metric, threshold] of [['accuracy', 0.8], ['recall', 0.7]] as const) {
      const name = emfMetricName(metric);
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: name } }));
      expect(alarms).toHaveLength(1);
      expect(alarms[0].Properties).toMatchObject({
        Namespace: QUALITY_METRIC_NAMESPACE, Statistic: 'Minimum', Period: 86400, Threshold: threshold, ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'notBreaching', Dimensions: [{ Name: 'Model', Value: 'churn' }], AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }],
      });
      // Then the alarm reads exactly what the line publishes, and that value breaches.
      expect(emf.Namespace).toBe(alarms[0].Properties.Namespace);
      expect(emf.Dimensions).toEqual([['Model']]);
      expect(emf.Metrics.map((m) => m.Name)).toContain(name);
      expect(line[name] as number).toBeLessThan(threshold);
    }
    expect(Object.keys(job.thresholdAlarms).sort()).toEqual(['minAccuracy', 'minRecall']);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'Precision' }, 0);
  });

  it('alarms when labels stop: traffic but no labelled event in a window (metric math), and on low coverage', () => {
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a) => JSON.stringify(a).includes('IF(captured > 0 AND labelled < 1, 1, 0)'))!;
    expect(alarm.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [{ Ref: topicId }] });
    const metrics = alarm.Properties.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat);
    expect(metrics.map((m: { Id: string; MetricStat: { Metric: { MetricName: string; Namespace: string } } }) => [m.Id, m.MetricStat.Metric.Namespace, m.MetricStat.Metric.MetricName]).sort())
      .toEqual([['captured', QUALITY_METRIC_NAMESPACE, 'CapturedEvents'], ['labelled', QUALITY_METRIC_NAMESPACE, 'LabelledEvents']]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'LabelCoverage', Threshold: 0.05, ComparisonOperator: 'LessThanThreshold' });
    expect(job.qualityAlarms).toEqual([job.thresholdAlarms.minAccuracy, job.thresholdAlarms.minRecall, job.labelsStoppedAlarm, job.labelCoverageAlarm]);
  });

  it('alarms on job errors and missing results through one composite, to the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 1, Period: 86400 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CapturedEvents', Statistic: 'SampleCount', EvaluationPeriods: 3, TreatMissingData: 'breaching', Period: 86400 });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [{ Ref: topicId }] });
    expect(job.alarms).toHaveLength(5);
  });

  it('regression: alarms above maxRmse; a 6-hour window runs every 6 hours', () => {
    const { template: t, job: j } = synth({ quality: { problemType: 'Regression', maxRmse: 12, minR2: 0.5, windowHours: 6 } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Rmse', Threshold: 12, ComparisonOperator: 'GreaterThanThreshold', Period: 21600 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'R2', Threshold: 0.5, ComparisonOperator: 'LessThanThreshold' });
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(30 */6 * * ? *)' });
    expect(j.intervalHours).toBe(6);
  });

  it('runs daily for windows over a day, and every N hours by rate when N does not divide a day; takes a schedule', () => {
    expect(synth({ quality: { problemType: 'Regression', windowHours: 48 } }).job.intervalHours).toBe(24);
    synth({ quality: { problemType: 'Regression', windowHours: 5 } }).template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 hours)' });
    synth({ schedule: events.Schedule.rate(Duration.hours(12)) }).template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(12 hours)' });
  });

  it.each([
    [{ spec: { name: 'churn', image: SPEC.image } }, 'PortableQualityJob quality: got undefined; expected quality settings: the quality prop or spec.monitoring.quality'],
    [{ groundTruthPrefix: 'labels' }, "PortableQualityJob groundTruthPrefix: got \"labels\"; expected a key prefix ending in '/'"],
    [{ memorySize: 64 }, 'PortableQualityJob memorySize: got 64; expected an integer from 128 to 10240'],
    [{ timeout: Duration.minutes(20) }, 'PortableQualityJob timeout: got "1200 s"; expected from 1 to 15 minutes'],
    [{ quality: { problemType: 'Regression', minAccuracy: 0.9 } }, 'PortableQualityJob quality.minAccuracy: got 0.9; expected no value for Regression'],
    [{ quality: { problemType: 'Binary' as never } }, 'PortableQualityJob quality.problemType: got "Binary"'],
  ] as Array<[Partial<PortableQualityJobProps>, string]>)('rejects %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
