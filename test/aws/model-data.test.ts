import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ModelData } from '../../lib/aws/model-data';

function bindToRole(modelData: ModelData) {
  const stack = new Stack(new App(), 'Stack');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const config = modelData.bind(stack, role);
  return { stack, role, config, template: () => Template.fromStack(stack) };
}

function policyStatements(template: Template): unknown[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement);
}

describe('ModelData.fromS3Uri', () => {
  it('returns the URI and grants s3:GetObject on exactly that object', () => {
    const { config, template } = bindToRole(ModelData.fromS3Uri('s3://my-models/churn/model.tar.gz'));
    expect(config.s3Uri).toBe('s3://my-models/churn/model.tar.gz');
    const statements = policyStatements(template());
    expect(statements).toEqual([{
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::my-models/churn/model.tar.gz']] },
    }]);
  });

  it.each(['my-models/model.tar.gz', 's3://my-models/', 's3://My_Bucket/model.tar.gz', 'gs://bucket/model.tar.gz', 's3://b/model.tar.gz'])(
    'rejects %s with the core error format', (uri) => {
      expect(() => ModelData.fromS3Uri(uri)).toThrow(`ModelData uri: got ${JSON.stringify(uri)}; expected s3://<bucket>/<key>`);
    });
});

describe('ModelData.fromBucket', () => {
  it('grants GetObject on the key and decrypt on the bucket key', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Models', { encryptionKey: key });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const config = ModelData.fromBucket(bucket, 'churn/model.tar.gz').bind(stack, role);
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
    expect(stack.resolve(config.s3Uri)).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/churn/model.tar.gz']] });
    const statements = policyStatements(Template.fromStack(stack));
    expect(statements).toContainEqual({
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/churn/model.tar.gz']] },
    });
    expect(statements).toContainEqual({ Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    // No bucket-wide List/GetBucket actions.
    expect(JSON.stringify(statements)).not.toMatch(/s3:List|s3:GetBucket/);
  });

  it('rejects a key with a trailing slash', () => {
    const bucket = s3.Bucket.fromBucketName(new Stack(), 'B', 'models');
    expect(() => ModelData.fromBucket(bucket, 'churn/')).toThrow('ModelData key: got "churn/"; expected an object key');
  });
});

describe('ModelData.fromAsset', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-data-'));
  const file = path.join(dir, 'model.tar.gz');
  fs.writeFileSync(file, 'not really a tarball');

  it('stages the file as an asset and grants read on that one object only', () => {
    const { stack, config, template } = bindToRole(ModelData.fromAsset(file));
    expect(JSON.stringify(stack.resolve(config.s3Uri))).toMatch(/s3:\/\/cdk-hnb659fds-assets-.*\/[0-9a-f]{64}\.gz/);
    const statements = policyStatements(template()) as Array<{ Action: string; Resource: unknown }>;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('s3:GetObject');
    expect(JSON.stringify(statements[0].Resource)).toMatch(/cdk-hnb659fds-assets-.*\/[0-9a-f]{64}\.gz/);
  });

  it('reuses one asset when the same file is bound twice in one scope', () => {
    const stack = new Stack(new App(), 'Stack');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const data = ModelData.fromAsset(file);
    const a = data.bind(stack, role);
    const b = data.bind(stack, role);
    expect(stack.resolve(a.s3Uri)).toEqual(stack.resolve(b.s3Uri));
  });

  it('rejects a file that is not a .tar.gz', () => {
    expect(() => ModelData.fromAsset(path.join(dir, 'model.pkl'))).toThrow(/^ModelData path: got ".*model\.pkl"; expected a \.tar\.gz file/);
  });

  it('rejects a missing file at synth time', () => {
    expect(() => ModelData.fromAsset(path.join(dir, 'missing.tar.gz'))).toThrow(/^ModelData path: got ".*missing\.tar\.gz"; expected an existing file/);
  });
});
