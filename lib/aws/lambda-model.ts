// LambdaModel: a small model served from a container-image Lambda function (the article's serverless example),
// with its own least-privilege role (its log group, its model object), a KMS-encrypted log group and environment,
// optional reserved and provisioned concurrency, and the metrics its alarms watch.
import { Annotations, Duration, Names, RemovalPolicy, Size, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import type { EndpointMonitoringSettings } from './inference-endpoint';
import type { LambdaModelProps } from './lambda-model-props';
import { API_GATEWAY_TIMEOUT, planLambdaModel } from './private/lambda-model-checks';
import { allowLogsToEncrypt } from './private/log-encryption';

export * from './lambda-model-props';

/**
 * A model in a container-image Lambda function.
 *
 * ```ts
 * const model = new LambdaModel(this, 'Churn', {
 *   spec: { name: 'churn', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-lambda:1', modelArtifact: 's3://models/churn/model.pkl' },
 *   memorySizeMb: 3008,
 * });
 * new InferenceApi(this, 'Api', { lambdaModel: model });
 * ```
 */
export class LambdaModel extends Construct {
  /** The function. */
  public readonly function: lambda.Function;
  /** What callers invoke: the `live` alias with provisioned concurrency, else the function. */
  public readonly target: lambda.IFunction;
  /** The `live` alias, when provisioned concurrency is set. */
  public readonly alias?: lambda.Alias;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** Key of the log group and the environment variables. */
  public readonly encryptionKey: kms.IKey;
  public readonly modelName: string;
  /** `s3://` URI of the model file, when there is one. */
  public readonly modelUri?: string;
  public readonly memorySizeMb: number;
  public readonly timeout: Duration;
  public readonly ephemeralStorageMb: number;
  public readonly reservedConcurrency?: number;
  public readonly provisionedConcurrency?: number;
  /** Thresholds and recipients from the spec's monitoring block, when built from a spec. */
  public readonly monitoring?: EndpointMonitoringSettings;

  constructor(scope: Construct, id: string, props: LambdaModelProps) {
    super(scope, id);
    const errors = new ValidationErrors('LambdaModel');
    const plan = planLambdaModel(this, props, errors);
    errors.throwIfAny();

    this.modelName = plan.modelName;
    this.memorySizeMb = plan.memorySizeMb;
    this.timeout = plan.timeout;
    this.ephemeralStorageMb = plan.ephemeralStorageMb;
    this.reservedConcurrency = plan.reservedConcurrency;
    this.provisionedConcurrency = plan.provisionedConcurrency;
    this.monitoring = plan.spec ? {
      latencyP99Ms: plan.spec.monitoring.latencyP99Ms,
      errorRatePercent: plan.spec.monitoring.errorRatePercent,
      alarmEmails: plan.spec.monitoring.alarmEmails,
    } : undefined;

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the logs and environment of the Lambda-hosted model ${plan.modelName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Named at synth time so the key policy can name it without a dependency cycle (the group depends on the key).
    const logGroupName = `/aws/lambda/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    allowLogsToEncrypt(this, this.encryptionKey, [logGroupName]);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Own role instead of AWSLambdaBasicExecutionRole (which may write to any log group).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Lambda-hosted model ${plan.modelName}: reads its model file and writes its own logs`,
    });
    this.logGroup.grantWrite(this.role);
    const modelData = plan.modelData?.bind(this, this.role);
    this.modelUri = modelData?.s3Uri;

    const tracing = props.tracing ?? true;
    this.function = new lambda.DockerImageFunction(this, 'Function', {
      code: plan.code!,
      description: `Serves model ${plan.modelName} (container image)`,
      architecture: props.architecture ?? lambda.Architecture.X86_64,
      memorySize: plan.memorySizeMb,
      timeout: plan.timeout,
      ephemeralStorageSize: Size.mebibytes(plan.ephemeralStorageMb),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment: { ...plan.environment, MODEL_NAME: plan.modelName, ...(this.modelUri ? { MODEL_URI: this.modelUri } : {}) },
      environmentEncryption: this.encryptionKey,
      reservedConcurrentExecutions: plan.reservedConcurrency,
      // Synchronous calls only: an API or a direct invoke retries on its own terms.
      retryAttempts: 0,
    });
    if (tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
      });
    }
    if (plan.provisionedConcurrency !== undefined) {
      this.alias = new lambda.Alias(this, 'LiveAlias', {
        aliasName: 'live',
        version: this.function.currentVersion,
        provisionedConcurrentExecutions: plan.provisionedConcurrency,
      });
    }
    this.target = this.alias ?? this.function;
    if (!Token.isUnresolved(plan.timeout.toSeconds()) && plan.timeout.toSeconds() > API_GATEWAY_TIMEOUT.toSeconds()) {
      Annotations.of(this).addWarningV2('deploy-ai-smarter:lambdaModelTimeout',
        `timeout ${plan.timeout.toHumanString()} is longer than API Gateway's 29-second integration timeout: requests through an InferenceApi get a 504 after 29 s while the function keeps running (and billing); direct invocations (grantInvoke) can use the full timeout`);
    }
  }

  /** Lets `grantee` invoke the model (`lambda:InvokeFunction` on the target only). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.target.grantInvoke(grantee);
  }

  /** Invocations that ended in a function error (`Errors`, Sum per minute). */
  public metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors({ period: Duration.minutes(1), statistic: 'Sum', ...props });
  }

  /** Invocations (`Invocations`, Sum per minute). */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricInvocations({ period: Duration.minutes(1), statistic: 'Sum', ...props });
  }

  /** Invocations refused for lack of concurrency (`Throttles`, Sum per minute). */
  public metricThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricThrottles({ period: Duration.minutes(1), statistic: 'Sum', ...props });
  }

  /** Time an invocation takes, in milliseconds (`Duration`, p99 per minute). */
  public metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricDuration({ period: Duration.minutes(1), statistic: 'p99', ...props });
  }

  /** Instances running at once (`ConcurrentExecutions`, Maximum per minute). */
  public metricConcurrentExecutions(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metric('ConcurrentExecutions', { period: Duration.minutes(1), statistic: 'Maximum', ...props });
  }
}
