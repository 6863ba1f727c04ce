// The authenticated HTTPS front door of a model: an API Gateway REST API (`POST /predict`, `GET /health`)
// whose Lambda proxy validates the request and calls the SageMaker endpoint.
import * as path from 'path';
import { ArnFormat, Aws, Duration, Names, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ValidationErrors, isTokenString } from '../core/errors';
import { IInferenceEndpoint } from './inference-endpoint';
import { acknowledgeWildcardArns } from './private/nag-findings';

/** How callers authenticate. */
export type InferenceApiAuthorization = 'iam' | 'apiKey';

/** Stage-wide request throttling. */
export interface InferenceApiThrottle {
  /**
   * Steady-state requests per second.
   * @default 50
   */
  readonly rateLimit?: number;
  /**
   * Requests allowed in a burst above the rate.
   * @default 100
   */
  readonly burstLimit?: number;
}

/** Requests per period allowed per API key (usage plan quota; `authorization: 'apiKey'` only). */
export interface InferenceApiQuota {
  /** Requests allowed in one period. */
  readonly limit: number;
  /**
   * @default apigw.Period.MONTH
   */
  readonly period?: apigw.Period;
}

/** Where async requests are staged before `InvokeEndpointAsync` (async endpoints only). */
export interface InferenceApiAsyncInput {
  /** Bucket the handler writes request payloads to. */
  readonly bucket: s3.IBucket;
  /** Key prefix, ending with `/`; the handler may write under it and nowhere else. */
  readonly prefix: string;
}

export interface InferenceApiProps {
  /** The endpoint the API serves. */
  readonly endpoint: IInferenceEndpoint;
  /**
   * `iam`: every method requires SigV4-signed requests (grant callers with `grantInvoke`).
   * `apiKey`: every method requires an `x-api-key` header; a usage plan throttles each key.
   * @default 'iam'
   */
  readonly authorization?: InferenceApiAuthorization;
  /**
   * Stage throttling (and the usage plan's throttling with `apiKey`).
   * @default - 50 requests per second, bursts of 100
   */
  readonly throttle?: InferenceApiThrottle;
  /**
   * Usage plan quota per API key; only with `authorization: 'apiKey'`.
   * @default - no quota
   */
  readonly quota?: InferenceApiQuota;
  /**
   * Name of the deployed stage (letters, digits, hyphens and underscores).
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Name of the REST API.
   * @default - a name unique in the account, derived from the construct path
   */
  readonly apiName?: string;
  /**
   * How long the handler waits for the endpoint before answering 504. At most 29 s, API Gateway's
   * default integration timeout.
   * @default Duration.seconds(25)
   */
  readonly invokeTimeout?: Duration;
  /**
   * Largest request body the handler accepts (413 above). At most 6 MiB - 64 KiB: SageMaker real-time
   * payloads and synchronous Lambda events are capped at 6 MB, and the event also carries headers.
   * Serverless endpoints accept 4 MB.
   * @default 6225920 (6 MiB - 64 KiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * Content types `/predict` accepts (415 otherwise); `application/json` bodies are also checked by
   * API Gateway to be a JSON object.
   * @default ['application/json', 'text/csv']
   */
  readonly allowedContentTypes?: readonly string[];
  /**
   * Retention of the access logs and the handler's logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * X-Ray tracing on the stage and the handler.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Set for an async endpoint: the handler writes each request under this prefix and calls
   * `InvokeEndpointAsync`, answering 202 with the output location.
   * @default - the endpoint is invoked synchronously (real-time or serverless)
   */
  readonly asyncInput?: InferenceApiAsyncInput;
  /**
   * KMS key for the access log and handler log groups; the key policy is extended to let CloudWatch Logs
   * use it for log groups of this account and region.
   * @default - CloudWatch Logs' service-managed encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Set up the region's API Gateway account role that lets API Gateway write logs (needed once per
   * account and region for access and execution logs). The role is retained when the stack is deleted,
   * because other APIs in the region rely on it. Turn off when your account already has one.
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /**
   * ARN of a regional WAFv2 web ACL to associate with the stage.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
}

const DEFAULTS = {
  rateLimit: 50,
  burstLimit: 100,
  stageName: 'prod',
  invokeTimeout: Duration.seconds(25),
  maxBodyBytes: 6 * 1024 * 1024 - 64 * 1024,
  allowedContentTypes: ['application/json', 'text/csv'],
  retention: logs.RetentionDays.ONE_YEAR,
} as const;

/** Above API Gateway's default 29 s integration timeout the API answers 504 before the handler does. */
const MAX_INVOKE_TIMEOUT = Duration.seconds(29);
/** The handler needs a little time after the invoke timeout to answer 504 and log. */
const HANDLER_GRACE = Duration.seconds(5);
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;

/**
 * A REST API in front of a SageMaker endpoint: authenticated (IAM by default), throttled, validated,
 * access-logged and traced, with a Lambda proxy that never logs payloads.
 */
export class InferenceApi extends Construct {
  /** The REST API. */
  public readonly restApi: apigw.RestApi;
  /** The Lambda proxy that invokes the endpoint. */
  public readonly handler: lambda.Function;
  /** URL of `POST /predict`. */
  public readonly url: string;
  /** URL of `GET /health`. */
  public readonly healthUrl: string;
  /** Log group of the stage's access logs. */
  public readonly accessLogGroup: logs.ILogGroup;
  /** How callers authenticate. */
  public readonly authorization: InferenceApiAuthorization;
  /** The API key (with `authorization: 'apiKey'`); its value is generated by API Gateway, never in the template. */
  public readonly apiKey?: apigw.IApiKey;
  /** The usage plan (with `authorization: 'apiKey'`). */
  public readonly usagePlan?: apigw.UsagePlan;

  private readonly predictMethod: apigw.Method;
  private readonly healthMethod: apigw.Method;

  constructor(scope: Construct, id: string, props: InferenceApiProps) {
    super(scope, id);

    const errors = new ValidationErrors('InferenceApi');
    const authorization = props.authorization ?? 'iam';
    errors.checkOneOf('authorization', authorization, ['iam', 'apiKey']);
    const rateLimit = props.throttle?.rateLimit ?? DEFAULTS.rateLimit;
    const burstLimit = props.throttle?.burstLimit ?? DEFAULTS.burstLimit;
    errors.check(Number.isFinite(rateLimit) && rateLimit > 0, 'throttle.rateLimit', rateLimit, 'a number of requests per second greater than 0');
    errors.checkNumber('throttle.burstLimit', burstLimit, { min: 1, max: 1_000_000, integer: true });
    if (props.quota !== undefined) {
      errors.check(authorization === 'apiKey', 'quota', props.quota, "no quota unless authorization is 'apiKey' (quotas apply per API key)");
      errors.checkNumber('quota.limit', props.quota.limit, { min: 1, integer: true });
    }
    const stageName = props.stageName ?? DEFAULTS.stageName;
    errors.checkPattern('stageName', stageName, /^[A-Za-z0-9_-]{1,128}$/, '1-128 letters, digits, hyphens or underscores');
    const invokeTimeout = props.invokeTimeout ?? DEFAULTS.invokeTimeout;
    const timeoutMs = invokeTimeout.toMilliseconds();
    errors.check(timeoutMs >= 1000 && timeoutMs <= MAX_INVOKE_TIMEOUT.toMilliseconds(), 'invokeTimeout', invokeTimeout.toHumanString(), 'from 1 second to 29 seconds (API Gateway integration timeout)');
    const maxBodyBytes = props.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
    errors.checkNumber('maxBodyBytes', maxBodyBytes, { min: 1, max: DEFAULTS.maxBodyBytes, integer: true });
    const allowedContentTypes = props.allowedContentTypes ?? DEFAULTS.allowedContentTypes;
    errors.check(allowedContentTypes.length > 0, 'allowedContentTypes', allowedContentTypes, 'at least one media type');
    allowedContentTypes.forEach((type, i) => errors.checkPattern(`allowedContentTypes[${i}]`, type, MEDIA_TYPE, 'a media type such as application/json'));
    if (props.asyncInput) {
      const prefix = props.asyncInput.prefix;
      errors.check(isTokenString(prefix) || (prefix.length > 1 && !prefix.startsWith('/') && prefix.endsWith('/') && !prefix.includes('*')), 'asyncInput.prefix', prefix, 'a key prefix ending with "/", not starting with "/", without "*" (e.g. "async-input/")');
    }
    errors.checkPattern('webAclArn', props.webAclArn, /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/, 'the ARN of a regional WAFv2 web ACL');
    errors.throwIfAny();

    this.authorization = authorization;
    const retention = props.accessLogRetention ?? DEFAULTS.retention;
    if (props.encryptionKey) allowLogsToUseKey(this, props.encryptionKey);

    // Handler: least privilege, its own log group, no managed policies.
    const handlerLogs = new logs.LogGroup(this, 'HandlerLogs', { retention, encryptionKey: props.encryptionKey });
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Inference API handler: invokes one SageMaker endpoint and writes its own logs',
    });
    handlerLogs.grantWrite(role);
    const tracing = props.tracing ?? true;
    const environment: Record<string, string> = {
      ENDPOINT_NAME: props.endpoint.endpointName,
      INVOKE_TIMEOUT_MS: String(timeoutMs),
      MAX_BODY_BYTES: String(maxBodyBytes),
      ALLOWED_CONTENT_TYPES: allowedContentTypes.join(','),
      INVOKE_MODE: props.asyncInput ? 'async' : 'realtime',
    };
    if (props.asyncInput) {
      environment.ASYNC_INPUT_BUCKET = props.asyncInput.bucket.bucketName;
      environment.ASYNC_INPUT_PREFIX = props.asyncInput.prefix;
    }
    this.handler = new lambda.Function(this, 'Handler', {
      description: 'Validates inference requests and invokes the SageMaker endpoint',
      // The bundle targets node22 (scripts/bundle.mjs), which runs unchanged on the newer runtime.
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      // Pre-bundled by `npm run bundle`; resolves from lib/aws (ts) and dist/aws (js) alike.
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'inference-handler')),
      handler: 'index.handler',
      memorySize: 512,
      timeout: invokeTimeout.plus(HANDLER_GRACE),
      tracing: tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      role,
      logGroup: handlerLogs,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment,
    });
    props.endpoint.grantInvoke(role);
    if (props.asyncInput) {
      // PutObject of one small payload: no multipart upload, so no kms:Decrypt.
      const inputObjects = props.asyncInput.bucket.arnForObjects(`${props.asyncInput.prefix}*`);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [inputObjects] }));
      props.asyncInput.bucket.encryptionKey?.grant(role, 'kms:GenerateDataKey');
      acknowledgeWildcardArns(role, [inputObjects], 'Async requests are written as new objects under one key prefix; object keys are generated per request');
    }
    if (tracing) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
      });
    }

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention, encryptionKey: props.encryptionKey });
    this.accessLogGroup = accessLogs;
    const cloudWatchRole = props.cloudWatchRole ?? true;
    this.restApi = new apigw.RestApi(this, 'Api', {
      restApiName: props.apiName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: `Inference API for SageMaker endpoint ${props.endpoint.endpointName}`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      disableExecuteApiEndpoint: false,
      deploy: true,
      cloudWatchRole,
      cloudWatchRoleRemovalPolicy: cloudWatchRole ? RemovalPolicy.RETAIN : undefined,
      minCompressionSize: Size.kibibytes(1),
      deployOptions: {
        stageName,
        tracingEnabled: tracing,
        metricsEnabled: true,
        // ERROR-level execution logs only; data trace would write request and response bodies to logs.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
    });
    if (cloudWatchRole) {
      const accountRole = this.restApi.node.findChild('CloudWatchRole');
      Validations.of(accountRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'API Gateway account-level logging role: AmazonAPIGatewayPushToCloudWatchLogs is the AWS-managed policy for this service role and it is needed for access and execution logs (set cloudWatchRole: false when the account already has one)',
      });
    }

    const validator = this.restApi.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const predictModel = this.restApi.addModel('PredictRequest', {
      contentType: 'application/json',
      description: 'A JSON inference request must be an object',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, title: 'PredictRequest', type: apigw.JsonSchemaType.OBJECT },
    });
    const integration = new apigw.LambdaIntegration(this.handler, { proxy: true, allowTestInvoke: false });
    const methodAuth: apigw.MethodOptions = authorization === 'iam'
      ? { authorizationType: apigw.AuthorizationType.IAM }
      : { authorizationType: apigw.AuthorizationType.NONE, apiKeyRequired: true };

    this.predictMethod = this.restApi.root.addResource('predict').addMethod('POST', integration, {
      ...methodAuth,
      requestValidator: validator,
      requestParameters: { 'method.request.header.Content-Type': true },
      requestModels: { 'application/json': predictModel },
      operationName: 'Predict',
    });
    this.healthMethod = this.restApi.root.addResource('health').addMethod('GET', integration, {
      ...methodAuth,
      requestValidator: validator,
      operationName: 'Health',
    });

    if (authorization === 'apiKey') {
      this.usagePlan = this.restApi.addUsagePlan('UsagePlan', {
        description: 'Throttles and meters each API key of the inference API',
        throttle: { rateLimit, burstLimit },
        quota: props.quota ? { limit: props.quota.limit, period: props.quota.period ?? apigw.Period.MONTH } : undefined,
        apiStages: [{ api: this.restApi, stage: this.restApi.deploymentStage }],
      });
      // No `value`: API Gateway generates the key, so it never appears in the template.
      this.apiKey = this.restApi.addApiKey('ApiKey', { description: 'Key for the inference API' });
      this.usagePlan.addApiKey(this.apiKey);
      for (const method of [this.predictMethod, this.healthMethod]) {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: "authorization: 'apiKey' was chosen explicitly: callers present an API key metered by a usage plan instead of IAM",
        });
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-COG4',
          reason: "authorization: 'apiKey' was chosen explicitly; no Cognito user pool is involved",
        });
      }
    } else {
      for (const method of [this.predictMethod, this.healthMethod]) {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-COG4',
          reason: 'Methods use IAM (SigV4) authorization: callers are AWS principals granted execute-api:Invoke, not Cognito users',
        });
      }
    }

    if (props.webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.restApi.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    } else {
      Validations.of(this.restApi.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: 'Every request is authenticated and throttled at the stage; a WAFv2 web ACL is optional (webAclArn) because it adds a monthly cost not every model API needs',
      });
    }

    this.url = this.restApi.urlForPath('/predict');
    this.healthUrl = this.restApi.urlForPath('/health');
  }

  /** Lets `grantee` call `POST /predict` and `GET /health` on the deployed stage (`execute-api:Invoke`). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    const stage = this.restApi.deploymentStage.stageName;
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [
        this.restApi.arnForExecuteApi('POST', '/predict', stage),
        this.restApi.arnForExecuteApi('GET', '/health', stage),
      ],
    });
  }

  /** Requests answered 5xx (API Gateway `5XXError`, Sum per minute); with `statistic: 'Average'` it is the share of requests. */
  public metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.restApi.metricServerError({ period: Duration.minutes(1), statistic: 'Sum', ...props });
  }

  /** Requests answered 4xx (API Gateway `4XXError`). */
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.restApi.metricClientError({ period: Duration.minutes(1), statistic: 'Sum', ...props });
  }

  /** End-to-end latency seen by API Gateway, in milliseconds (`Latency`, p99 by default). */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.restApi.metricLatency({ period: Duration.minutes(1), statistic: 'p99', ...props });
  }

  /** Requests received (`Count`). */
  public metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.restApi.metricCount({ period: Duration.minutes(1), statistic: 'Sum', ...props });
  }
}

/** Lets CloudWatch Logs encrypt this account's log groups in this region with `key` (no-op for imported keys). */
function allowLogsToUseKey(scope: Construct, key: kms.IKey): void {
  const stack = Stack.of(scope);
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    // In a key policy `*` means this key.
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    },
  }), true);
}
