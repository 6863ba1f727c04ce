// The Node.js runtime our pre-bundled functions run on: the newest one the installed aws-cdk-lib knows,
// so a user on a newer aws-cdk-lib gets the newer runtime (and cdk-nag's AwsSolutions-L1 holds) without a
// release of ours. Our bundles target Node.js 22, which every runtime chosen here runs.
import * as lambda from 'aws-cdk-lib/aws-lambda';

const NODE_VERSION = /^nodejs(\d+)(?:\.x)?$/;

/** The newest Node.js runtime in the installed aws-cdk-lib's `Runtime.ALL` (Node.js 22 or newer in our peer range). */
export function latestNodeRuntime(): lambda.Runtime {
  let newest: { runtime: lambda.Runtime; major: number } | undefined;
  for (const runtime of lambda.Runtime.ALL) {
    const match = NODE_VERSION.exec(runtime.name);
    if (runtime.family !== lambda.RuntimeFamily.NODEJS || !match) continue;
    const major = Number(match[1]);
    if (!newest || major > newest.major) newest = { runtime, major };
  }
  if (!newest) throw new Error('aws-cdk-lib knows no Node.js Lambda runtime');
  return newest.runtime;
}
