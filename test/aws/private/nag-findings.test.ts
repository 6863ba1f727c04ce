import { App, Aws, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { flattenReference, wildcardResourceFindingId } from '../../../lib/aws/private/nag-findings';

describe('nag finding ids', () => {
  it('flattens Ref, GetAtt, Join and pseudo parameters the way cdk-nag names findings', () => {
    expect(flattenReference({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket12', 'Arn'] }, '/incoming/*']] })).toBe('<Bucket12.Arn>/incoming/*');
    expect(flattenReference({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:x']] })).toBe('arn:<AWS::Partition>:logs:x');
    expect(flattenReference({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b/*' })).toBe('arn:<AWS::Partition>:s3:::b/*');
    expect(flattenReference('*')).toBe('*');
  });

  it('names the IAM5 finding of a token ARN in a stack', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const id = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    expect(wildcardResourceFindingId(stack, bucket.arnForObjects('in/*'))).toBe(`AwsSolutions-IAM5[Resource::<${id}.Arn>/in/*]`);
    expect(wildcardResourceFindingId(stack, `arn:${Aws.PARTITION}:logs:*`)).toBe('AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*]');
  });
});
