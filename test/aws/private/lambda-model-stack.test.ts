import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ModelInferenceStack, ModelInferenceStackProps } from '../../../lib/aws/model-inference-stack';
import { REVIEW_METADATA_KEY, ReviewMetadata } from '../../../lib/core/review-contract';
import { estimateMonthlyCost } from '../../../lib/core/cost';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-lambda:1.0';
const spec = { name: 'churn', image: IMAGE, modelArtifact: 's3://my-models/churn/model.pkl', monitoring: { latencyP99Ms: 300, errorRatePercent: 2, alarmEmails: ['ops@example.com'] }, monthlyBudgetUsd: 50 };

function synth(props: Partial<ModelInferenceStackProps> = {}) {
  const stack = new ModelInferenceStack(new App(), 'Churn', {
    env: { region: 'us-east-1', account: '123456789012' },
    spec,
    mode: 'lambda',
    lambda: { memorySizeMb: 3008, timeout: Duration.seconds(20), reservedConcurrency: 20 },
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

describe("ModelInferenceStack in mode 'lambda'", () => {
  const { stack, template } = synth();
  const fnId = stack.getLogicalId(stack.lambdaModel!.function.node.defaultChild as lambda.CfnFunction);

  it('serves the spec image from a Lambda function encrypted with the data key, and no SageMaker resources', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image', Code: { ImageUri: IMAGE }, MemorySize: 3008, Timeout: 20, ReservedConcurrentExecutions: 20,
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
    });
    for (const type of ['AWS::SageMaker::Endpoint', 'AWS::SageMaker::Model', 'AWS::S3::Bucket', 'AWS::SQS::Queue']) template.resourceCountIs(type, 0);
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  it('puts the authenticated API directly in front of the function', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST', AuthorizationType: 'AWS_IAM',
      Integration: Match.objectLike({ Type: 'AWS_PROXY', TimeoutInMillis: 20000 }),
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'apigateway.amazonaws.com', FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] } });
  });

  it('alarms on errors, throttles, p99 duration against the spec, concurrency and API 5xx, to an encrypted topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 2, Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)' })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Namespace: 'AWS/Lambda', Threshold: 1, Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 300 });
    // 90% of the reserved 20.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ConcurrentExecutions', Statistic: 'Maximum', Threshold: 18 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5XXError', Namespace: 'AWS/ApiGateway', Statistic: 'Average', Threshold: 0.02 });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: { AlarmActions: unknown[] } }[];
    expect(alarms).toHaveLength(5);
    expect(alarms.every((a) => a.Properties.AlarmActions.length === 1)).toBe(true);
  });

  it('records a Lambda cost line in the review metadata, which prices the stack', () => {
    const metadata = template.toJSON().Metadata[REVIEW_METADATA_KEY] as ReviewMetadata;
    expect(metadata.costOptions).toMatchObject({ mode: 'lambda', lambdaModel: { memorySizeMb: 3008, ephemeralStorageMb: 512 }, jobs: [] });
    const estimate = estimateMonthlyCost(metadata.spec, 'aws', metadata.costOptions);
    expect(estimate.lines.map((l) => l.item)).toEqual(expect.arrayContaining(['Lambda model requests', 'Lambda model duration']));
    expect(estimate.lines.some((l) => l.item.includes('instances'))).toBe(false);
  });

  it('has a budget on the alarm topic and outputs the API URL and function name', () => {
    template.resourceCountIs('AWS::Budgets::Budget', 1);
    template.hasOutput('FunctionName', { Value: { Ref: fnId } });
    template.hasOutput('ApiUrl', {});
  });

  it('says so when the SageMaker members are read', () => {
    expect(() => stack.endpoint).toThrow(/ModelInferenceStack endpoint: got undefined; expected mode 'realtime', 'serverless' or 'async': in mode 'lambda' there is no SageMaker endpoint/);
    expect(() => stack.ingestion).toThrow(/ingestion/);
    expect(stack.api.handler).toBe(stack.lambdaModel!.function);
  });
});

describe("ModelInferenceStack in mode 'lambda' refuses what needs a SageMaker endpoint", () => {
  it.each([
    [{ dataCapture: true }, /dataCapture: got true; expected false or unset in mode 'lambda': request\/response capture is SageMaker data capture/],
    [{ batchInference: true }, /batchInference: got true; expected false or unset in mode 'lambda': the batch worker invokes a SageMaker endpoint/],
    [{ instanceType: 'ml.m5.large' }, /instanceType: got "ml\.m5\.large"; expected nothing in mode 'lambda'/],
    [{ portableDriftJob: true }, /portableDriftJob: got true; expected nothing in mode 'lambda': the drift job reads captured data/],
    [{ modelQuality: { problemType: 'BinaryClassification' } }, /modelQuality: .*expected nothing in mode 'lambda'/],
    [{ monitoring: { drift: true } }, /monitoring\.drift: got true; expected nothing in mode 'lambda'/],
    [{ monitoring: { dashboard: true } }, /monitoring\.dashboard: got true/],
    [{ spec: { ...spec, compute: 'gpu-t4' } }, /spec\.compute: got "gpu-t4"; expected a CPU compute class .*Lambda functions have no GPUs/],
  ])('refuses %o', (props, message) => {
    expect(() => synth(props as Partial<ModelInferenceStackProps>)).toThrow(message);
  });

  it('refuses lambda settings outside mode lambda', () => {
    expect(() => synth({ mode: 'realtime' })).toThrow(/lambda: got .*; expected nothing unless mode is 'lambda'/);
  });

  it('accepts capture and batch explicitly off', () => {
    expect(() => synth({ dataCapture: false, batchInference: false, monitoring: { dashboard: false, deployment: false } })).not.toThrow();
  });
});
