// The one factory of our pre-bundled Lambda functions: runtime, architecture, tracing, own role, encrypted log group.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { createBundledFunction } from '../../../lib/aws/private/bundled-function';
import { latestNodeRuntime } from '../../../lib/aws/private/lambda-runtime';

const BASE = {
  entry: 'inference-handler',
  description: 'test function',
  roleDescription: 'test role',
  timeout: Duration.seconds(30),
  memorySize: 256,
  environment: { A: 'b' },
  logRetention: logs.RetentionDays.ONE_MONTH,
};

describe('createBundledFunction', () => {
  it('runs the bundle on the newest Node.js runtime, ARM64, traced, with JSON logs in its own encrypted log group', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'Key');
    const { logKey } = createBundledFunction(stack, 'Fn', { ...BASE, logKey: key });
    expect(logKey).toBe(key);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: latestNodeRuntime().name,
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 30,
      MemorySize: 256,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^FnLogs') } },
      Environment: { Variables: { A: 'b' } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/Stack-Fn',
      RetentionInDays: 30,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    const keyPolicy = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(JSON.stringify(keyPolicy)).toContain(':log-group:/aws/lambda/Stack-Fn"');
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'test role' });
  });

  it('creates a rotated, retained key of its own when none is given', () => {
    const stack = new Stack(new App(), 'Stack');
    createBundledFunction(stack, 'Fn', BASE);
    const template = Template.fromStack(stack);
    const keys = template.findResources('AWS::KMS::Key');
    expect(Object.keys(keys)).toEqual([expect.stringMatching(/^FnLogKey/)]);
    expect(Object.values(keys)[0]).toMatchObject({ Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });

  it('leaves the key policy to the caller, untraced, with the role and log group ids it is given', () => {
    const stack = new Stack(new App(), 'Stack');
    const allowed: string[] = [];
    createBundledFunction(stack, 'Fn', {
      ...BASE, logKey: new kms.Key(stack, 'Key'), allowLogKey: (name) => allowed.push(name), tracing: false, roleId: 'Role', logGroupId: 'Logs',
    });
    expect(allowed).toEqual(['/aws/lambda/Stack-Fn']);
    const template = Template.fromStack(stack);
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).not.toContain('log-group');
    expect(Object.keys(template.findResources('AWS::IAM::Role'))).toEqual([expect.stringMatching(/^Role/)]);
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toEqual([expect.stringMatching(/^Logs/)]);
    expect(Object.values(template.findResources('AWS::Lambda::Function'))[0].Properties.TracingConfig).toBeUndefined();
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('xray:');
  });
});
