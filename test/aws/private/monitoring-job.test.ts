import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ValidationErrors } from '../../../lib/core/errors';
import { checkPrefix, normalisePrefix, parseScheduleExpression, s3ObjectFromUri } from '../../../lib/aws/private/monitoring-job';

describe('parseScheduleExpression', () => {
  it.each([
    ['cron(0 * ? * * *)', 1],
    ['cron(0 12 ? * * *)', 24],
    ['cron(0 0 ? * * *)', 24],
    ['cron(0 17/12 ? * * *)', 12],
    ['cron(0 00/01 ? * * *)', 1],
    ['cron(0 23/24 ? * * *)', 24],
  ])('reads %s as every %i hours', (expression, hours) => {
    expect(parseScheduleExpression(expression)).toEqual({ expression, intervalHours: hours });
  });

  it('reads NOW as a one-off run', () => {
    expect(parseScheduleExpression('NOW')).toEqual({ expression: 'NOW' });
  });

  it.each(['cron(0 * * * ? *)', 'cron(15 * ? * * *)', 'cron(0 12 ? * MON *)', 'cron(0 0/0 ? * * *)', 'now', 'rate(1 hour)', ''])('rejects %p', (expression) => {
    expect(parseScheduleExpression(expression)).toBeUndefined();
  });
});

describe('S3 prefixes and URIs', () => {
  it('normalises prefixes to one trailing slash and no leading one', () => {
    expect(normalisePrefix('/capture')).toBe('capture/');
    expect(normalisePrefix('capture/')).toBe('capture/');
  });

  it('rejects URIs, wildcards and empty prefixes', () => {
    const errors = new ValidationErrors('X');
    checkPrefix(errors, 'p', 's3://b/capture');
    checkPrefix(errors, 'p', 'cap*');
    checkPrefix(errors, 'p', '/');
    expect(errors.list()).toHaveLength(3);
    expect(errors.list()[0]).toBe('X p: got "s3://b/capture"; expected a non-empty S3 key prefix such as "capture/" (no s3://, wildcards or spaces)');
  });

  it('scopes a token URI to its object when the key is known', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.Bucket(stack, 'B');
    const errors = new ValidationErrors('X');
    const object = s3ObjectFromUri(stack, `s3://${bucket.bucketName}/baseline/statistics.json`, 'uri', errors);
    expect(errors.list()).toEqual([]);
    expect(stack.resolve(object!.objectArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: stack.getLogicalId(bucket.node.defaultChild as never) }, '/baseline/statistics.json']],
    });
    s3ObjectFromUri(stack, `s3://${bucket.bucketName}/prefix/`, 'uri', errors);
    expect(errors.list()).toHaveLength(1);
  });
});
