// The review of CloudFormation stacks built with aws-cdk-lib and checked by cdk-nag 3: a deliberately
// loose stack and a tight one, synthesized into a temporary cloud assembly.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { compareClouds, estimateMonthlyCost } from '../../lib/core/cost';
import { ModelSpec } from '../../lib/core/model-spec';
import { REVIEW_METADATA_KEY, reviewAssemblies, ReviewResult, reviewMetadata, StackReview } from '../../lib/review';

const SPEC: ModelSpec = { name: 'fraud-model', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1', scaling: { minInstances: 1, maxInstances: 2 }, monthlyBudgetUsd: 100 };

let tmp: string;
let result: ReviewResult;
let loose: StackReview;
let tight: StackReview;

function fn(stack: Stack, id: string): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;') });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-cfn-'));
  const app = new App({ outdir: path.join(tmp, 'cdk.out') });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  // given a loose stack: public function URL, s3:* on *, an unencrypted bucket, an alarm paging by email
  const looseStack = new Stack(app, 'LooseStack');
  looseStack.addMetadata(REVIEW_METADATA_KEY, reviewMetadata(SPEC, 'aws'));
  const bucket = new s3.Bucket(looseStack, 'RawBucket', { removalPolicy: RemovalPolicy.RETAIN });
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'Fixture bucket: access logs are out of scope for this test' });
  const handler = fn(looseStack, 'Handler');
  handler.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  const topic = new sns.Topic(looseStack, 'AlarmTopic');
  topic.addSubscription(new subs.EmailSubscription('oncall@example.com'));
  new cloudwatch.Alarm(looseStack, 'ErrorsAlarm', { metric: handler.metricErrors({ period: Duration.minutes(5) }), threshold: 5, evaluationPeriods: 1 })
    .addAlarmAction(new actions.SnsAction(topic));
  new cloudwatch.Alarm(looseStack, 'SilentAlarm', { metric: handler.metricThrottles(), threshold: 1, evaluationPeriods: 1 });

  // and a tight one: KMS, TLS-only, IAM-authenticated URL, a narrow grant
  const tightStack = new Stack(app, 'TightStack');
  const key = new kms.Key(tightStack, 'DataKey', { enableKeyRotation: true });
  const secure = new s3.Bucket(tightStack, 'SecureBucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, versioned: true });
  new sqs.Queue(tightStack, 'Jobs', { encryptionMasterKey: key, enforceSSL: true });
  const reader = fn(tightStack, 'Reader');
  reader.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  reader.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [secure.arnForObjects('incoming/*')], conditions: { StringEquals: { 's3:ExistingObjectTag/stage': 'raw' } } }));

  try {
    app.synth();
  } catch (error) {
    // cdk-nag fails the synth on the loose stack's findings; the assembly and its report are still written.
    expect(String(error)).toMatch(/Validation ?[Ff]ailed/);
  }
  // when the assembly is reviewed
  result = await reviewAssemblies({ cdkOut: path.join(tmp, 'cdk.out'), cdktfOut: path.join(tmp, 'none'), outFile: path.join(tmp, 'REVIEW.md') });
  loose = result.stacks.find((s) => s.name === 'LooseStack')!;
  tight = result.stacks.find((s) => s.name === 'TightStack')!;
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('CloudFormation review', () => {
  it('counts resources by type', () => {
    expect(loose.resourceCounts).toContainEqual({ type: 'AWS::CloudWatch::Alarm', count: 2 });
    expect(loose.resourceCounts).toContainEqual({ type: 'AWS::Lambda::Url', count: 1 });
    expect(result.markdown).toContain('| AWS::Lambda::Url | 1 |');
  });

  it('flags the function URL without authentication, and not the IAM-authenticated one', () => {
    expect(loose.entryPoints).toEqual([expect.objectContaining({ resource: 'HandlerFunctionUrl -> Handler', authentication: 'none (AuthType NONE)', flags: ['public function URL without authentication'] })]);
    expect(tight.entryPoints).toEqual([expect.objectContaining({ resource: 'ReaderFunctionUrl -> Reader', authentication: 'IAM (SigV4)', flags: [] })]);
    expect(result.markdown).toContain('| HandlerFunctionUrl -> Handler | AWS::Lambda::Url | internet (function URL) | none (AuthType NONE) | ⚠️ public function URL without authentication |');
  });

  it('flags the s3:* on * statement as wildcards', () => {
    const wildcard = loose.permissions.find((p) => p.actions.includes('s3:*'))!;
    expect(wildcard).toMatchObject({ grantee: 'HandlerServiceRole', effect: 'Allow', resources: ['*'], source: 'HandlerServiceRoleDefaultPolicy' });
    expect(wildcard.flags).toEqual(['service wildcard s3:*', 'wildcard resource *']);
    expect(result.markdown).toContain('| HandlerServiceRole | Allow | s3:* | * | - | HandlerServiceRoleDefaultPolicy | ⚠️ service wildcard s3:*<br>⚠️ wildcard resource * |');
  });

  it('renders intrinsic references readably and keeps statement conditions', () => {
    const narrow = tight.permissions.find((p) => p.actions.includes('s3:GetObject') && p.grantee === 'ReaderServiceRole')!;
    expect(narrow).toMatchObject({ resources: ['${SecureBucket.Arn}/incoming/*'], conditions: 'StringEquals s3:ExistingObjectTag/stage = raw', flags: [] });
  });

  it('reports encryption and TLS for each data store', () => {
    const raw = loose.dataStores.find((d) => d.resource === 'RawBucket')!;
    expect(raw.atRest).toBe('SSE-S3 (S3 default; no BucketEncryption)');
    expect(raw.flags).toEqual(['not KMS-encrypted', 'public access not fully blocked', 'no TLS-only policy']);
    expect(raw.protection).toContain('Retain on delete');
    expect(loose.dataStores.find((d) => d.resource === 'AlarmTopic')!.flags).toEqual(['unencrypted topic', 'no TLS-only policy']);
    expect(tight.dataStores.find((d) => d.resource === 'SecureBucket')).toMatchObject({ atRest: 'SSE-KMS, key DataKey', inTransit: 'TLS required (policy denies aws:SecureTransport=false)', flags: [] });
    expect(tight.dataStores.find((d) => d.resource === 'Jobs')).toMatchObject({ atRest: 'SSE-KMS, key DataKey', flags: [] });
    expect(tight.dataStores.find((d) => d.resource === 'DataKey')).toMatchObject({ atRest: 'KMS key (SYMMETRIC_DEFAULT), rotation on', flags: [] });
  });

  it('follows alarm actions to the topic and its subscriptions, and flags alarms that notify no one', () => {
    const errors = loose.alarms.find((a) => a.condition.includes('Errors'))!;
    expect(errors.notifies).toEqual(['ALARM: topic AlarmTopic -> email oncall@example.com']);
    expect(errors.condition).toMatch(/^AWS\/Lambda Errors \(FunctionName=\$\{Handler\}\) Sum over 300 s >= 5 for 1 of 1 periods/);
    expect(loose.alarms.find((a) => a.condition.includes('Throttles'))!.flags).toEqual(['notifies no one']);
  });

  it('lists open cdk-nag findings and each acknowledgement with its reason', () => {
    expect(loose.findings!.map((f) => f.rule)).toEqual(expect.arrayContaining(['AwsSolutions-IAM5[Action::s3:*]', 'AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-S10']));
    expect(loose.findings!.map((f) => f.rule)).not.toContain('AwsSolutions-S1');
    expect(loose.acknowledgements).toEqual([{ rule: 'AwsSolutions-S1', resource: 'RawBucket (LooseStack/RawBucket)', reason: 'Fixture bucket: access logs are out of scope for this test' }]);
    expect(loose.validationNote).toMatch(/AwsSolutions \(failure\)/);
    expect(result.markdown).toContain('| AwsSolutions-S1 | RawBucket (LooseStack/RawBucket) | Fixture bucket: access logs are out of scope for this test |');
  });

  it('prices the recorded spec, flags a budget the maximum scale exceeds, and compares clouds', () => {
    const expected = estimateMonthlyCost(SPEC, 'aws');
    expect(loose.cost.models[0].estimate).toEqual(expected);
    const money = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    for (const line of expected.lines) expect(result.markdown).toContain(`| ${line.item} | ${money(line.minUsd)} | ${money(line.maxUsd)} |`);
    expect(result.markdown).toContain(`⚠️ Budget $100.00/month: the maximum scale (${money(expected.maxMonthlyUsd)}) exceeds it`);
    for (const e of compareClouds(SPEC)) expect(result.markdown).toContain(`| ${e.cloud} | ${e.machineType} | ${e.region} | ${money(e.minMonthlyUsd)} | ${money(e.maxMonthlyUsd)} |`);
    expect(tight.cost.models).toEqual([]);
  });
});
