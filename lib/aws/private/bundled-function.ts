// The one way our constructs create a pre-bundled Lambda function (assets/<entry>/index.js from `npm run bundle`):
// newest Node.js runtime, ARM64, its own role and KMS-encrypted log group, JSON logs. Not exported from the package.
import * as path from 'node:path';
import { Duration, Names, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { latestNodeRuntime } from './lambda-runtime';
import { allowLogsToEncrypt } from './log-encryption';

export interface BundledFunctionProps {
  /** Folder under `assets/` holding the bundle (`index.js` exporting `handler`). */
  readonly entry: string;
  readonly description: string;
  /** Description of the function's own role. */
  readonly roleDescription: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  /**
   * Key of the log group. Without one, a key of the function's own (rotated, retained) is created next to it.
   */
  readonly logKey?: kms.IKey;
  /**
   * Lets CloudWatch Logs use `logKey` for the log group. By default a key policy statement for this log group alone;
   * a caller that allows several log groups in one statement passes its own.
   * @default - allowLogsToEncrypt(scope, logKey, [name])
   */
  readonly allowLogKey?: (logGroupName: string) => void;
  /** @default true */
  readonly tracing?: boolean;
  readonly reservedConcurrentExecutions?: number;
  readonly retryAttempts?: number;
  /** Construct id of the role (kept per construct so logical ids never change). @default `${id}Role` */
  readonly roleId?: string;
  /** Construct id of the log group (kept per construct so logical ids never change). @default `${id}Logs` */
  readonly logGroupId?: string;
}

export interface BundledFunction {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly logKey: kms.IKey;
}

/**
 * Creates the function `id` in `scope`, with a role that may write its own log group and nothing else (callers
 * grant the rest), and a log group `/aws/lambda/<unique name of scope>-<id>` encrypted with `logKey`.
 */
export function createBundledFunction(scope: Construct, id: string, props: BundledFunctionProps): BundledFunction {
  const tracing = props.tracing ?? true;
  const logKey = props.logKey ?? new kms.Key(scope, `${id}LogKey`, {
    description: `Encrypts the log group of ${scope.node.path}/${id}`,
    enableKeyRotation: true,
  });
  // Named at synth time so the key policy can name it: the log group depends on the key (KmsKeyId), so the
  // policy cannot reference a generated name without a dependency cycle.
  const logGroupName = `/aws/lambda/${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}-${id}`;
  (props.allowLogKey ?? ((name: string) => allowLogsToEncrypt(scope, logKey, [name])))(logGroupName);
  const logGroup = new logs.LogGroup(scope, props.logGroupId ?? `${id}Logs`, {
    logGroupName,
    retention: props.logRetention,
    encryptionKey: logKey,
  });
  // Own role instead of the default AWSLambdaBasicExecutionRole (which may write to any log group).
  const role = new iam.Role(scope, props.roleId ?? `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
  });
  logGroup.grantWrite(role);
  const fn = new lambda.Function(scope, id, {
    description: props.description,
    // The bundles target node22 (scripts/bundle.mjs), which runs unchanged on every newer runtime.
    runtime: latestNodeRuntime(),
    architecture: lambda.Architecture.ARM_64,
    // The same relative path works from lib/aws/private (ts) and dist/aws/private (js).
    code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', '..', 'assets', props.entry)),
    handler: 'index.handler',
    timeout: props.timeout,
    memorySize: props.memorySize,
    tracing: tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: props.environment,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    retryAttempts: props.retryAttempts,
  });
  if (tracing) {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
    });
  }
  return { fn, role, logGroup, logKey };
}
