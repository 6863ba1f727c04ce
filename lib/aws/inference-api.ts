// The authenticated HTTPS front door of one or more models: an API Gateway REST API (`POST /predict`, `GET /health`,
// and `POST /models/<name>/predict`, `GET /models/<name>/health` per added model) whose Lambda proxies validate the
// request and call the SageMaker endpoint, one least-privilege proxy per endpoint.
import * as path from 'path';
import { Duration, Lazy, Names, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ValidationError, ValidationErrors, formatProblem, isTokenString } from '../core/errors';
import { IInferenceEndpoint } from './inference-endpoint';
import { allowLogsToEncrypt } from './private/log-encryption';
import { acknowledgeWildcardArns } from './private/nag-findings';
import { latestNodeRuntime } from './private/lambda-runtime';

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

/** How the API serves one model added with `models` or `addModel`; unset settings follow the API's. */
export interface InferenceApiModelOptions {
  /**
   * Throttling of each of this model's two methods (stage method settings, shared by all callers); a limit
   * left out takes the API's `throttle` value. With `authorization: 'apiKey'` the usage plan's per-key throttle
   * still applies on top.
   * @default - the API's `throttle`, like every other method
   */
  readonly throttle?: InferenceApiThrottle;
  /**
   * How long this model's handler waits for its endpoint before answering 504 (at most 29 s).
   * @default - the API's `invokeTimeout`
   */
  readonly invokeTimeout?: Duration;
  /**
   * Largest request body this model's handler accepts (413 above); at most 6 MiB - 64 KiB.
   * @default - the API's `maxBodyBytes`
   */
  readonly maxBodyBytes?: number;
  /**
   * Content types this model's `predict` accepts (415 otherwise).
   * @default - the API's `allowedContentTypes`
   */
  readonly allowedContentTypes?: readonly string[];
  /**
   * Set when this model's endpoint is asynchronous: its handler stages requests here and calls
   * `InvokeEndpointAsync`. Never taken from the API's `asyncInput`, which belongs to the API's own `endpoint`.
   * @default - the endpoint is invoked synchronously
   */
  readonly asyncInput?: InferenceApiAsyncInput;
}

/** One model served under `/models/<name>/` (see `InferenceApiProps.models`). */
export interface InferenceApiModel extends InferenceApiModelOptions {
  /** Path segment of the model: 1-40 lowercase letters, digits or hyphens, starting with a letter or digit. */
  readonly name: string;
  /** The endpoint serving the model. */
  readonly endpoint: IInferenceEndpoint;
}

export interface InferenceApiProps {
  /**
   * The endpoint served at `POST /predict` and `GET /health`. Leave it out for an API that serves only
   * `models` (then `handler`, `url` and `healthUrl` are not available; use `handlerFor`, `urlFor`).
   * @default - no root routes; at least one model must be given with `models` or `addModel`
   */
  readonly endpoint?: IInferenceEndpoint;
  /**
   * Models served under `POST /models/<name>/predict` and `GET /models/<name>/health`, each with its own
   * handler, role (invoke on that model's endpoint only) and log group. More can be added with `addModel`.
   * @default - none
   */
  readonly models?: readonly InferenceApiModel[];
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
   * use it for exactly these log groups (their names are fixed at synth time for that). An imported key's
   * policy cannot be changed: a synth warning then lists the log groups its owner must allow.
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
/** A model's path segment; the inference handler's route match accepts the same characters. */
const MODEL_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const MODEL_NAME_EXPECTED = '1-40 lowercase letters, digits or hyphens, starting with a letter or digit';

/** Handler settings after defaults. */
interface HandlerSettings {
  readonly invokeTimeout: Duration;
  readonly maxBodyBytes: number;
  readonly allowedContentTypes: readonly string[];
  readonly asyncInput?: InferenceApiAsyncInput;
}

/** What the API keeps per served endpoint. */
interface ServedModel {
  readonly handler: lambda.Function;
  readonly predictPath: string;
  readonly healthPath: string;
}

/**
 * A REST API in front of a SageMaker endpoint, or of several (`models`, `addModel`): authenticated (IAM by
 * default), throttled, validated, access-logged and traced, with one Lambda proxy per endpoint that never logs
 * payloads and may invoke that endpoint only.
 */
export class InferenceApi extends Construct {
  /** The REST API. */
  public readonly restApi: apigw.RestApi;
  /** Log group of the stage's access logs. */
  public readonly accessLogGroup: logs.ILogGroup;
  /** How callers authenticate. */
  public readonly authorization: InferenceApiAuthorization;
  /** The API key (with `authorization: 'apiKey'`); its value is generated by API Gateway, never in the template. */
  public readonly apiKey?: apigw.IApiKey;
  /** The usage plan (with `authorization: 'apiKey'`). */
  public readonly usagePlan?: apigw.UsagePlan;

  private readonly rootModel?: ServedModel;
  private readonly models = new Map<string, ServedModel>();
  private readonly defaults: HandlerSettings;
  private readonly retention: logs.RetentionDays;
  private readonly encryptionKey?: kms.IKey;
  private readonly tracing: boolean;
  private readonly validator: apigw.RequestValidator;
  private readonly predictModel: apigw.Model;
  private readonly methodAuth: apigw.MethodOptions;
  private readonly invokeGrantees: iam.IGrantable[] = [];
  private readonly modelMethodSettings: apigw.CfnStage.MethodSettingProperty[] = [];
  private readonly stageThrottle: Required<InferenceApiThrottle>;
  /**
   * Log groups created in the constructor, allowed on `encryptionKey` together in one statement at its end;
   * `undefined` afterwards, when each `addModel` allows its own log group.
   */
  private pendingLogGroupNames?: string[] = [];

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
      errors.check(props.endpoint !== undefined, 'asyncInput', '(set)', 'no asyncInput without endpoint (give each model its own asyncInput)');
      const prefix = props.asyncInput.prefix;
      errors.check(isTokenString(prefix) || (prefix.length > 1 && !prefix.startsWith('/') && prefix.endsWith('/') && !prefix.includes('*')), 'asyncInput.prefix', prefix, 'a key prefix ending with "/", not starting with "/", without "*" (e.g. "async-input/")');
    }
    errors.checkPattern('webAclArn', props.webAclArn, /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/, 'the ARN of a regional WAFv2 web ACL');
    const modelNames = new Set<string>();
    (props.models ?? []).forEach((model, i) => {
      checkModelName(errors, `models[${i}].name`, model.name, modelNames);
      modelNames.add(model.name);
      checkModelOptions(errors, `models[${i}].`, model);
    });
    errors.throwIfAny();

    this.authorization = authorization;
    this.retention = props.accessLogRetention ?? DEFAULTS.retention;
    this.encryptionKey = props.encryptionKey;
    this.tracing = props.tracing ?? true;
    this.defaults = { invokeTimeout, maxBodyBytes, allowedContentTypes };
    this.stageThrottle = { rateLimit, burstLimit };

    // The root endpoint's handler keeps the ids it had before models existed (stable logical ids).
    const rootHandler = props.endpoint
      ? this.createHandler(this, props.endpoint, { ...this.defaults, asyncInput: props.asyncInput }, {
        roleDescription: 'Inference API handler: invokes one SageMaker endpoint and writes its own logs',
        functionDescription: 'Validates inference requests and invokes the SageMaker endpoint',
      })
      : undefined;

    const retention = this.retention;
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: this.logGroupName(`/aws/apigateway/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}-access`),
      retention,
      encryptionKey: props.encryptionKey,
    });
    this.accessLogGroup = accessLogs;
    const cloudWatchRole = props.cloudWatchRole ?? true;
    this.restApi = new apigw.RestApi(this, 'Api', {
      restApiName: props.apiName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: props.endpoint
        ? `Inference API for SageMaker endpoint ${props.endpoint.endpointName}`
        : 'Inference API for SageMaker endpoints, one route per model under /models',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      disableExecuteApiEndpoint: false,
      deploy: true,
      cloudWatchRole,
      cloudWatchRoleRemovalPolicy: cloudWatchRole ? RemovalPolicy.RETAIN : undefined,
      minCompressionSize: Size.kibibytes(1),
      deployOptions: {
        stageName,
        tracingEnabled: this.tracing,
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

    this.validator = this.restApi.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.predictModel = this.restApi.addModel('PredictRequest', {
      contentType: 'application/json',
      description: 'A JSON inference request must be an object',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, title: 'PredictRequest', type: apigw.JsonSchemaType.OBJECT },
    });
    this.methodAuth = authorization === 'iam'
      ? { authorizationType: apigw.AuthorizationType.IAM }
      : { authorizationType: apigw.AuthorizationType.NONE, apiKeyRequired: true };

    if (rootHandler) {
      this.addRoutes(this.restApi.root, rootHandler, { predict: 'Predict', health: 'Health' });
      this.rootModel = { handler: rootHandler, predictPath: '/predict', healthPath: '/health' };
    }

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

    for (const model of props.models ?? []) this.createModel(model.name, model.endpoint, model);
    if (props.encryptionKey) allowLogsToEncrypt(this, props.encryptionKey, this.pendingLogGroupNames!);
    this.pendingLogGroupNames = undefined;
    // Checked on the finished tree: models may still be added after the constructor.
    this.node.addValidation({
      validate: () => (this.rootModel || this.models.size > 0 ? [] : [formatProblem('InferenceApi', 'endpoint', undefined,
        'an endpoint, or at least one model (the models prop or addModel)')]),
    });
  }

  /** The Lambda proxy of the `endpoint` prop. Throws for an API created without `endpoint` (see `handlerFor`). */
  public get handler(): lambda.Function {
    return this.requireRoot('handler', 'handlerFor(name)').handler;
  }

  /** URL of `POST /predict`. Throws for an API created without `endpoint` (see `urlFor`). */
  public get url(): string {
    return this.restApi.urlForPath(this.requireRoot('url', 'urlFor(name)').predictPath);
  }

  /** URL of `GET /health`. Throws for an API created without `endpoint` (see `healthUrlFor`). */
  public get healthUrl(): string {
    return this.restApi.urlForPath(this.requireRoot('healthUrl', 'healthUrlFor(name)').healthPath);
  }

  /** Names of the models served under `/models/`, in the order they were added. */
  public get modelNames(): string[] {
    return [...this.models.keys()];
  }

  /**
   * Serves `endpoint` at `POST /models/<name>/predict` and `GET /models/<name>/health`, through a handler of its
   * own whose role may invoke this endpoint only. Same authorization, request validation and JSON model as the
   * API's other methods; callers already granted with `grantInvoke` may call the new methods too.
   * @returns the model's handler
   */
  public addModel(name: string, endpoint: IInferenceEndpoint, options: InferenceApiModelOptions = {}): lambda.Function {
    const errors = new ValidationErrors('InferenceApi');
    checkModelName(errors, 'addModel(name)', name, new Set(this.models.keys()));
    checkModelOptions(errors, 'addModel(options).', options);
    errors.throwIfAny();
    return this.createModel(name, endpoint, options);
  }

  /** The handler of model `name`. */
  public handlerFor(name: string): lambda.Function {
    return this.requireModel('handlerFor(name)', name).handler;
  }

  /** URL of `POST /models/<name>/predict`. */
  public urlFor(name: string): string {
    return this.restApi.urlForPath(this.requireModel('urlFor(name)', name).predictPath);
  }

  /** URL of `GET /models/<name>/health`. */
  public healthUrlFor(name: string): string {
    return this.restApi.urlForPath(this.requireModel('healthUrlFor(name)', name).healthPath);
  }

  /**
   * Lets `grantee` call every method of the deployed stage (`execute-api:Invoke` on each method's ARN, no
   * wildcard): `POST /predict` and `GET /health`, and both methods of every model, including models added later.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    this.invokeGrantees.push(grantee);
    const served = [...(this.rootModel ? [this.rootModel] : []), ...this.models.values()];
    return this.grantMethods(grantee, served);
  }

  /** Lets `grantee` call model `name` only (`POST /models/<name>/predict`, `GET /models/<name>/health`). */
  public grantInvokeModel(name: string, grantee: iam.IGrantable): iam.Grant {
    return this.grantMethods(grantee, [this.requireModel('grantInvokeModel(name)', name)]);
  }

  private grantMethods(grantee: iam.IGrantable, served: readonly ServedModel[]): iam.Grant {
    const stage = this.restApi.deploymentStage.stageName;
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: served.flatMap((model) => [
        this.restApi.arnForExecuteApi('POST', model.predictPath, stage),
        this.restApi.arnForExecuteApi('GET', model.healthPath, stage),
      ]),
    });
  }

  private createModel(name: string, endpoint: IInferenceEndpoint, options: InferenceApiModelOptions): lambda.Function {
    // One scope per model: its handler, role and log group get ids (and logical ids) of their own.
    const scope = new Construct(this, `Model-${name}`);
    const handler = this.createHandler(scope, endpoint, {
      invokeTimeout: options.invokeTimeout ?? this.defaults.invokeTimeout,
      maxBodyBytes: options.maxBodyBytes ?? this.defaults.maxBodyBytes,
      allowedContentTypes: options.allowedContentTypes ?? this.defaults.allowedContentTypes,
      asyncInput: options.asyncInput,
    }, {
      roleDescription: `Inference API handler of model ${name}: invokes one SageMaker endpoint and writes its own logs`,
      functionDescription: `Validates inference requests for model ${name} and invokes its SageMaker endpoint`,
    });
    const models = this.restApi.root.getResource('models') ?? this.restApi.root.addResource('models');
    const operation = name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
    this.addRoutes(models.addResource(name), handler, { predict: `Predict${operation}`, health: `Health${operation}` });
    const served: ServedModel = { handler, predictPath: `/models/${name}/predict`, healthPath: `/models/${name}/health` };
    this.models.set(name, served);
    if (options.throttle) {
      this.addMethodThrottle(served.predictPath, 'POST', options.throttle);
      this.addMethodThrottle(served.healthPath, 'GET', options.throttle);
    }
    for (const grantee of this.invokeGrantees) this.grantMethods(grantee, [served]);
    return handler;
  }

  /** The Lambda proxy of one endpoint: least privilege, its own log group, no managed policies. */
  private createHandler(
    scope: Construct, endpoint: IInferenceEndpoint, settings: HandlerSettings,
    text: { roleDescription: string; functionDescription: string },
  ): lambda.Function {
    // Named after the handler's scope: the root handler and each model's have distinct construct paths.
    const handlerLogs = new logs.LogGroup(scope, 'HandlerLogs', {
      logGroupName: this.logGroupName(`/aws/lambda/${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}-Handler`),
      retention: this.retention,
      encryptionKey: this.encryptionKey,
    });
    const role = new iam.Role(scope, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: text.roleDescription,
    });
    handlerLogs.grantWrite(role);
    const environment: Record<string, string> = {
      ENDPOINT_NAME: endpoint.endpointName,
      INVOKE_TIMEOUT_MS: String(settings.invokeTimeout.toMilliseconds()),
      MAX_BODY_BYTES: String(settings.maxBodyBytes),
      ALLOWED_CONTENT_TYPES: settings.allowedContentTypes.join(','),
      INVOKE_MODE: settings.asyncInput ? 'async' : 'realtime',
    };
    if (settings.asyncInput) {
      environment.ASYNC_INPUT_BUCKET = settings.asyncInput.bucket.bucketName;
      environment.ASYNC_INPUT_PREFIX = settings.asyncInput.prefix;
    }
    const handler = new lambda.Function(scope, 'Handler', {
      description: text.functionDescription,
      // The bundle targets node22 (scripts/bundle.mjs), which runs unchanged on the newer runtime.
      runtime: latestNodeRuntime(),
      architecture: lambda.Architecture.ARM_64,
      // Pre-bundled by `npm run bundle`; resolves from lib/aws (ts) and dist/aws (js) alike.
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'inference-handler')),
      handler: 'index.handler',
      memorySize: 512,
      timeout: settings.invokeTimeout.plus(HANDLER_GRACE),
      tracing: this.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      role,
      logGroup: handlerLogs,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment,
    });
    endpoint.grantInvoke(role);
    if (settings.asyncInput) {
      // PutObject of one small payload: no multipart upload, so no kms:Decrypt.
      const inputObjects = settings.asyncInput.bucket.arnForObjects(`${settings.asyncInput.prefix}*`);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [inputObjects] }));
      settings.asyncInput.bucket.encryptionKey?.grant(role, 'kms:GenerateDataKey');
      acknowledgeWildcardArns(role, [inputObjects], 'Async requests are written as new objects under one key prefix; object keys are generated per request');
    }
    if (this.tracing) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
      });
    }
    return handler;
  }

  /**
   * Registers a log group name for the key policy. Log groups are named at synth time so the key policy can
   * list them: each depends on the key (its `KmsKeyId`), so the policy cannot reference a generated name
   * without a dependency cycle.
   */
  private logGroupName(name: string): string {
    if (this.pendingLogGroupNames) this.pendingLogGroupNames.push(name);
    else if (this.encryptionKey) allowLogsToEncrypt(this, this.encryptionKey, [name]);
    return name;
  }

  /** `POST <parent>/predict` and `GET <parent>/health` through `handler`, with the API's auth and validation. */
  private addRoutes(parent: apigw.IResource, handler: lambda.IFunction, operationNames: { predict: string; health: string }): void {
    const integration = new apigw.LambdaIntegration(handler, { proxy: true, allowTestInvoke: false });
    const predictMethod = parent.addResource('predict').addMethod('POST', integration, {
      ...this.methodAuth,
      requestValidator: this.validator,
      requestParameters: { 'method.request.header.Content-Type': true },
      requestModels: { 'application/json': this.predictModel },
      operationName: operationNames.predict,
    });
    const healthMethod = parent.addResource('health').addMethod('GET', integration, {
      ...this.methodAuth,
      requestValidator: this.validator,
      operationName: operationNames.health,
    });
    for (const method of [predictMethod, healthMethod]) {
      if (this.authorization === 'apiKey') {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: "authorization: 'apiKey' was chosen explicitly: callers present an API key metered by a usage plan instead of IAM",
        });
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-COG4',
          reason: "authorization: 'apiKey' was chosen explicitly; no Cognito user pool is involved",
        });
      } else {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-COG4',
          reason: 'Methods use IAM (SigV4) authorization: callers are AWS principals granted execute-api:Invoke, not Cognito users',
        });
      }
    }
  }

  /**
   * Adds a stage method setting. The Stage L2 renders its method settings once, in its constructor, so models
   * added afterwards append theirs through a lazy value (the single-endpoint template stays untouched).
   */
  private addMethodThrottle(resourcePath: string, httpMethod: string, throttle: InferenceApiThrottle): void {
    if (this.modelMethodSettings.length === 0) {
      const cfnStage = this.restApi.deploymentStage.node.defaultChild as apigw.CfnStage;
      const rendered = cfnStage.methodSettings;
      const base = Array.isArray(rendered) ? rendered : [];
      cfnStage.methodSettings = Lazy.any({ produce: () => [...base, ...this.modelMethodSettings] });
    }
    this.modelMethodSettings.push({
      httpMethod,
      // Method settings address a resource path with every `/` escaped as `~1`, after a leading `/`.
      resourcePath: `/${resourcePath.replace(/\//g, '~1')}`,
      // Without these, API Gateway's per-method defaults (no metrics, no logs) would replace the stage's.
      metricsEnabled: true,
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      throttlingRateLimit: throttle.rateLimit ?? this.stageThrottle.rateLimit,
      throttlingBurstLimit: throttle.burstLimit ?? this.stageThrottle.burstLimit,
    });
  }

  private requireRoot(member: string, instead: string): ServedModel {
    if (!this.rootModel) {
      throw new ValidationError([formatProblem('InferenceApi', member, undefined,
        `an API created with an endpoint; this one serves models only (use ${instead})`)]);
    }
    return this.rootModel;
  }

  private requireModel(member: string, name: string): ServedModel {
    const model = this.models.get(name);
    if (!model) {
      const known = this.modelNames;
      throw new ValidationError([formatProblem('InferenceApi', member, name,
        known.length > 0 ? `one of ${known.map((n) => JSON.stringify(n)).join(', ')}` : 'a model added with models or addModel (none yet)')]);
    }
    return model;
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

/** Checks a model's name: its path segment and its key in the API. */
function checkModelName(errors: ValidationErrors, prop: string, name: string, taken: ReadonlySet<string>): void {
  if (!errors.check(typeof name === 'string' && !isTokenString(name) && MODEL_NAME.test(name), prop, name, MODEL_NAME_EXPECTED)) return;
  errors.check(!taken.has(name), prop, name, `a name not used yet (taken: ${[...taken].join(', ')})`);
}

/** Checks one model's options with the same rules as the API's props; `prefix` names them in messages. */
function checkModelOptions(errors: ValidationErrors, prefix: string, options: InferenceApiModelOptions): void {
  if (options.throttle) {
    const { rateLimit, burstLimit } = options.throttle;
    if (rateLimit !== undefined) errors.check(Number.isFinite(rateLimit) && rateLimit > 0, `${prefix}throttle.rateLimit`, rateLimit, 'a number of requests per second greater than 0');
    errors.checkNumber(`${prefix}throttle.burstLimit`, burstLimit, { min: 1, max: 1_000_000, integer: true });
  }
  if (options.invokeTimeout) {
    const ms = options.invokeTimeout.toMilliseconds();
    errors.check(ms >= 1000 && ms <= MAX_INVOKE_TIMEOUT.toMilliseconds(), `${prefix}invokeTimeout`, options.invokeTimeout.toHumanString(), 'from 1 second to 29 seconds (API Gateway integration timeout)');
  }
  errors.checkNumber(`${prefix}maxBodyBytes`, options.maxBodyBytes, { min: 1, max: DEFAULTS.maxBodyBytes, integer: true });
  if (options.allowedContentTypes) {
    errors.check(options.allowedContentTypes.length > 0, `${prefix}allowedContentTypes`, options.allowedContentTypes, 'at least one media type');
    options.allowedContentTypes.forEach((type, i) => errors.checkPattern(`${prefix}allowedContentTypes[${i}]`, type, MEDIA_TYPE, 'a media type such as application/json'));
  }
  if (options.asyncInput) {
    const prefixValue = options.asyncInput.prefix;
    errors.check(isTokenString(prefixValue) || (prefixValue.length > 1 && !prefixValue.startsWith('/') && prefixValue.endsWith('/') && !prefixValue.includes('*')), `${prefix}asyncInput.prefix`, prefixValue, 'a key prefix ending with "/", not starting with "/", without "*" (e.g. "async-input/")');
  }
}
