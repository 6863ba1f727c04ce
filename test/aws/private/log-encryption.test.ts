import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { allowLogsToEncrypt, logGroupArn } from '../../../lib/aws/private/log-encryption';

const arn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:${name}`]] });

describe('allowLogsToEncrypt', () => {
  it('names each log group in one ArnEquals condition of the key policy', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'Key');
    expect(allowLogsToEncrypt(stack, key, ['/a', '/b'])).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': [arn('/a'), arn('/b')] } },
      })]) },
    });
  });

  it('builds the encryption-context ARN without the :* suffix', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(stack.resolve(logGroupArn(stack, '/aws/lambda/fn'))).toEqual(arn('/aws/lambda/fn'));
  });

  it('warns that an imported key needs the statement from its owner', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(allowLogsToEncrypt(stack, key, ['/aws/lambda/fn'])).toBe(false);
    Annotations.fromStack(stack).hasWarning('/Stack', Match.stringLikeRegexp('log group key is imported.*logs.<region>.amazonaws.com.*/aws/lambda/fn'));
  });
});
