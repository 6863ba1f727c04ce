import * as lambda from 'aws-cdk-lib/aws-lambda';
import { latestNodeRuntime } from '../../../lib/aws/private/lambda-runtime';

describe('latestNodeRuntime', () => {
  it('is the newest Node.js runtime the installed aws-cdk-lib knows (what cdk-nag AwsSolutions-L1 expects)', () => {
    const majors = lambda.Runtime.ALL
      .filter((r) => r.family === lambda.RuntimeFamily.NODEJS && /^nodejs\d+\.x$/.test(r.name))
      .map((r) => Number(/\d+/.exec(r.name)![0]));
    const runtime = latestNodeRuntime();
    expect(runtime.family).toBe(lambda.RuntimeFamily.NODEJS);
    expect(Number(/\d+/.exec(runtime.name)![0])).toBe(Math.max(...majors));
    expect(Math.max(...majors)).toBeGreaterThanOrEqual(22);
  });
});
