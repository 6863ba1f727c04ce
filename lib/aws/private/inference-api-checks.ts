// Validation and defaults of InferenceApi's props and per-model options, and the handler settings they resolve
// to. Every check takes any shape a JavaScript caller may pass; tokens skip only the checks that need a literal.
// Not exported from the package.
import { Duration, Fn, Tokenization } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ValidationErrors, isTokenList, isTokenString } from '../../core/errors';
import {
  InferenceApiAsyncInput, InferenceApiAuthorization, InferenceApiModelOptions, InferenceApiProps, InferenceApiThrottle,
} from '../inference-api-props';
import {
  checkBoolean, checkBucket, checkDuration, checkEndpoint, checkKey, checkLiteralOneOf, checkNumberOneOf, checkObject, checkPositiveNumber, checkString, isDuration,
} from './prop-checks';

export const INFERENCE_API_DEFAULTS = {
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
const INVOKE_TIMEOUT_EXPECTED = 'from 1 second to 29 seconds (API Gateway integration timeout)';
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;
/** A model's path segment; the inference handler's route match accepts the same characters. */
const MODEL_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const MODEL_NAME_EXPECTED = '1-40 lowercase letters, digits or hyphens, starting with a letter or digit';
/** A key prefix ending with `/`, not starting with `/`, without `*`. */
const ASYNC_PREFIX = /^[^/*][^*]*\/$/;
const ASYNC_PREFIX_EXPECTED = 'a key prefix ending with "/", not starting with "/", without "*" (e.g. "async-input/")';
const RETENTION_VALUES = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');

/** Handler settings after defaults. */
export interface HandlerSettings {
  readonly invokeTimeout: Duration;
  readonly maxBodyBytes: number;
  readonly allowedContentTypes: readonly string[];
  readonly asyncInput?: InferenceApiAsyncInput;
}

/** The API's props after validation and defaults. */
export interface CheckedApiProps {
  readonly authorization: InferenceApiAuthorization;
  readonly throttle: Required<InferenceApiThrottle>;
  readonly stageName: string;
  readonly retention: logs.RetentionDays;
  readonly tracing: boolean;
  readonly cloudWatchRole: boolean;
  readonly models: NonNullable<InferenceApiProps['models']>;
  /** Settings of every handler unless a model overrides them (no asyncInput: that is the root endpoint's). */
  readonly defaults: HandlerSettings;
}

/** Validates the API's props (throwing every problem at once) and fills in defaults. */
export function checkApiProps(props: InferenceApiProps): CheckedApiProps {
  const errors = new ValidationErrors('InferenceApi');
  checkLiteralOneOf(errors, 'authorization', props.authorization, ['iam', 'apiKey']);
  const authorization = props.authorization ?? 'iam';
  if (checkObject(errors, 'throttle', props.throttle, 'an object with rateLimit and burstLimit')) checkThrottle(errors, '', props.throttle);
  const throttle = {
    rateLimit: props.throttle?.rateLimit ?? INFERENCE_API_DEFAULTS.rateLimit,
    burstLimit: props.throttle?.burstLimit ?? INFERENCE_API_DEFAULTS.burstLimit,
  };
  if (props.quota !== undefined) {
    errors.check(authorization === 'apiKey', 'quota', props.quota, "no quota unless authorization is 'apiKey' (quotas apply per API key)");
    if (checkObject(errors, 'quota', props.quota, 'an object with limit and period')) {
      if (errors.check(props.quota.limit !== undefined, 'quota.limit', undefined, 'an integer of at least 1')) {
        errors.checkNumber('quota.limit', props.quota.limit, { min: 1, integer: true });
      }
      checkString(errors, 'quota.period', props.quota.period, /^(DAY|WEEK|MONTH)$/, 'apigw.Period.DAY, WEEK or MONTH');
    }
  }
  if (typeof props.stageName === 'string' && isTokenString(props.stageName)) {
    errors.add('stageName', props.stageName, "a literal stage name (1-128 letters, digits, hyphens or underscores): aws-cdk-lib names the stage's construct after it");
  } else {
    checkString(errors, 'stageName', props.stageName, /^[A-Za-z0-9_-]{1,128}$/, '1-128 letters, digits, hyphens or underscores');
  }
  checkString(errors, 'apiName', props.apiName, /^[^\n]{1,1024}$/, 'a name of 1-1024 characters');
  checkString(errors, 'webAclArn', props.webAclArn, /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/, 'the ARN of a regional WAFv2 web ACL');
  checkNumberOneOf(errors, 'accessLogRetention', props.accessLogRetention, RETENTION_VALUES, 'a logs.RetentionDays value');
  checkBoolean(errors, 'tracing', props.tracing);
  checkBoolean(errors, 'cloudWatchRole', props.cloudWatchRole);
  checkKey(errors, 'encryptionKey', props.encryptionKey);
  if (props.endpoint !== undefined) checkEndpoint(errors, 'endpoint', props.endpoint);
  if (props.lambdaModel !== undefined) {
    errors.check(props.endpoint === undefined, 'lambdaModel', props.lambdaModel.modelName, 'no lambdaModel next to endpoint: the root routes serve one of them');
    for (const key of ['invokeTimeout', 'maxBodyBytes', 'allowedContentTypes', 'asyncInput'] as const) {
      errors.check(props[key] === undefined, key, key === 'invokeTimeout' ? '(set)' : props[key], 'nothing with lambdaModel: API Gateway invokes the model function directly (its timeout and the 6 MB Lambda payload limit apply), with no proxy to configure');
    }
  }
  checkHandlerSettings(errors, '', props);
  if (props.asyncInput !== undefined) {
    errors.check(props.endpoint !== undefined, 'asyncInput', '(set)', 'no asyncInput without endpoint (give each model its own asyncInput)');
  }
  const models = props.models ?? [];
  if (errors.check(Array.isArray(models), 'models', models, 'a list of { name, endpoint } models')) {
    const modelNames = new Set<string>();
    models.forEach((model, i) => {
      if (!checkObject(errors, `models[${i}]`, model, 'a { name, endpoint } model') || model === undefined) return;
      checkModelName(errors, `models[${i}].name`, model.name, modelNames);
      modelNames.add(model.name);
      checkEndpoint(errors, `models[${i}].endpoint`, model.endpoint);
      checkModelOptions(errors, `models[${i}].`, model);
    });
  }
  errors.throwIfAny();
  return {
    authorization,
    throttle,
    stageName: props.stageName ?? INFERENCE_API_DEFAULTS.stageName,
    retention: props.accessLogRetention ?? INFERENCE_API_DEFAULTS.retention,
    tracing: props.tracing ?? true,
    cloudWatchRole: props.cloudWatchRole ?? true,
    models,
    defaults: {
      invokeTimeout: props.invokeTimeout ?? INFERENCE_API_DEFAULTS.invokeTimeout,
      maxBodyBytes: props.maxBodyBytes ?? INFERENCE_API_DEFAULTS.maxBodyBytes,
      allowedContentTypes: props.allowedContentTypes ?? INFERENCE_API_DEFAULTS.allowedContentTypes,
    },
  };
}

/** Checks a model's name: its path segment and its key in the API (a literal: it names a route and constructs). */
export function checkModelName(errors: ValidationErrors, prop: string, name: unknown, taken: ReadonlySet<string>): void {
  if (typeof name === 'string' && isTokenString(name)) {
    errors.add(prop, name, `a literal name (${MODEL_NAME_EXPECTED}): it names the route and its resources`);
    return;
  }
  if (!errors.check(typeof name === 'string' && MODEL_NAME.test(name), prop, name, MODEL_NAME_EXPECTED)) return;
  errors.check(!taken.has(name as string), prop, name, `a name not used yet (taken: ${[...taken].join(', ')})`);
}

/** Checks one model's options with the same rules as the API's props; `prefix` names them in messages. */
export function checkModelOptions(errors: ValidationErrors, prefix: string, options: InferenceApiModelOptions): void {
  if (!checkObject(errors, prefix ? prefix.replace(/\.$/, '') : 'options', options, 'an object of model options')) return;
  if (checkObject(errors, `${prefix}throttle`, options.throttle, 'an object with rateLimit and/or burstLimit')) checkThrottle(errors, prefix, options.throttle);
  checkHandlerSettings(errors, prefix, options);
}

/** The handler's environment contract (lib/runtime/inference-handler), tokens passed through. */
export function handlerEnvironment(endpointName: string, settings: HandlerSettings): Record<string, string> {
  const types = settings.allowedContentTypes;
  const environment: Record<string, string> = {
    ENDPOINT_NAME: endpointName,
    INVOKE_TIMEOUT_MS: invokeTimeoutMillis(settings.invokeTimeout),
    MAX_BODY_BYTES: Tokenization.stringifyNumber(settings.maxBodyBytes),
    ALLOWED_CONTENT_TYPES: isTokenList(types) ? Fn.join(',', [...types]) : types.join(','),
    INVOKE_MODE: settings.asyncInput ? 'async' : 'realtime',
  };
  if (settings.asyncInput) {
    environment.ASYNC_INPUT_BUCKET = settings.asyncInput.bucket.bucketName;
    environment.ASYNC_INPUT_PREFIX = settings.asyncInput.prefix;
  }
  return environment;
}

/**
 * The handler's function timeout: the invoke timeout plus time to answer 504 and log. CloudFormation cannot add
 * to a parameter, so a token invoke timeout gets the largest value it may take plus that grace.
 */
export function handlerTimeout(invokeTimeout: Duration): Duration {
  return (invokeTimeout.isUnresolved() ? MAX_INVOKE_TIMEOUT : invokeTimeout).plus(HANDLER_GRACE);
}

/** `INVOKE_TIMEOUT_MS`: milliseconds as text; a token in seconds gets `000` appended (CloudFormation cannot multiply). */
function invokeTimeoutMillis(invokeTimeout: Duration): string {
  if (!invokeTimeout.isUnresolved() || invokeTimeout.unitLabel() === 'millis') return Tokenization.stringifyNumber(invokeTimeout.toMilliseconds());
  return `${Tokenization.stringifyNumber(invokeTimeout.toSeconds())}000`;
}

function checkThrottle(errors: ValidationErrors, prefix: string, throttle: InferenceApiThrottle | undefined): void {
  if (throttle === undefined) return;
  checkPositiveNumber(errors, `${prefix}throttle.rateLimit`, throttle.rateLimit, 'a number of requests per second greater than 0');
  errors.checkNumber(`${prefix}throttle.burstLimit`, throttle.burstLimit, { min: 1, max: 1_000_000, integer: true });
}

/** invokeTimeout, maxBodyBytes, allowedContentTypes and asyncInput, shared by the API's props and each model's. */
function checkHandlerSettings(errors: ValidationErrors, prefix: string, settings: InferenceApiModelOptions): void {
  const timeoutProp = `${prefix}invokeTimeout`;
  if (checkDuration(errors, timeoutProp, settings.invokeTimeout, 1000, MAX_INVOKE_TIMEOUT.toMilliseconds(), INVOKE_TIMEOUT_EXPECTED)
    && isDuration(settings.invokeTimeout) && settings.invokeTimeout.isUnresolved()) {
    const unit = settings.invokeTimeout.unitLabel();
    errors.check(unit === 'seconds' || unit === 'millis', timeoutProp, `a token in ${unit}`,
      'a token in whole seconds (Duration.seconds) or milliseconds (Duration.millis): CloudFormation cannot convert other units');
  }
  errors.checkNumber(`${prefix}maxBodyBytes`, settings.maxBodyBytes, { min: 1, max: INFERENCE_API_DEFAULTS.maxBodyBytes, integer: true });
  const types = settings.allowedContentTypes;
  const typesProp = `${prefix}allowedContentTypes`;
  if (types !== undefined && errors.checkStringList(typesProp, types, 'a list of media types') && !isTokenList(types)) {
    errors.check(types.length > 0, typesProp, types, 'at least one media type');
    types.forEach((type, i) => errors.checkPattern(`${typesProp}[${i}]`, type, MEDIA_TYPE, 'a media type such as application/json'));
  }
  const asyncInput = settings.asyncInput;
  if (asyncInput !== undefined && checkObject(errors, `${prefix}asyncInput`, asyncInput, 'an object with bucket and prefix')) {
    checkBucket(errors, `${prefix}asyncInput.bucket`, asyncInput.bucket, true);
    if (errors.check(asyncInput.prefix !== undefined, `${prefix}asyncInput.prefix`, undefined, ASYNC_PREFIX_EXPECTED)) {
      checkString(errors, `${prefix}asyncInput.prefix`, asyncInput.prefix, ASYNC_PREFIX, ASYNC_PREFIX_EXPECTED);
    }
  }
}
