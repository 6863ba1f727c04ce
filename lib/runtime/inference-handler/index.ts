// Lambda proxy behind the inference REST API: validates a prediction request, invokes the SageMaker endpoint
// (real-time, or asynchronous through S3) within a deadline, and maps every failure to a JSON error response.
import {
  InvokeEndpointAsyncCommand, InvokeEndpointCommand, SageMakerRuntimeClient,
  type InvokeEndpointAsyncCommandOutput, type InvokeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker-runtime';
import type { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { classifyError, type ClassifiedFailure } from '../shared/aws-errors';
import { isAllowedType, isJsonType, isTextType, mediaType } from '../shared/content-type';
import { budgetMs, withDeadline } from '../shared/deadline';
import { integer, keyPrefix, list, optionalString, requiredString, type Env } from '../shared/env';
import { elapsedMs, logJson, type LogFields } from '../shared/log';

// Clients live at module scope so warm invocations reuse their connections and credentials.
// Two attempts, not the SDK's default three: the API caller has a 29 s budget and its own retry policy,
// and retrying a throttled endpoint three times from every Lambda multiplies the overload.
const sagemaker = new SageMakerRuntimeClient({ maxAttempts: 2 });
// Loaded on the first async request only: requiring the S3 client costs ~300 ms of cold start that
// real-time deployments would pay for nothing. `require`, not `import()`: ES module resolution ignores
// NODE_PATH, which is how the Lambda runtime exposes its bundled AWS SDK.
let s3: { client: S3Client; PutObject: typeof PutObjectCommand } | undefined;
function loadS3(): { client: S3Client; PutObject: typeof PutObjectCommand } {
  if (!s3) {
    const sdk = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
    s3 = { client: new sdk.S3Client({ maxAttempts: 2 }), PutObject: sdk.PutObjectCommand };
  }
  return s3;
}

/** SageMaker real-time payloads are limited to 6 MB; the Lambda event also carries headers, hence the headroom. */
export const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024 - 64 * 1024;
/** API Gateway REST integrations time out at 29 s: answer before that with our own 504. */
export const DEFAULT_INVOKE_TIMEOUT_MS = 25_000;
export const DEFAULT_ALLOWED_CONTENT_TYPES: readonly string[] = ['application/json', 'text/csv'];
/** A Lambda synchronous response is limited to 6 MB including the JSON envelope. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 - 16 * 1024;

export interface HandlerConfig {
  readonly endpointName: string;
  readonly invokeTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly allowedContentTypes: readonly string[];
  readonly targetVariant?: string;
  readonly invokeMode: 'realtime' | 'async';
  readonly asyncInputBucket?: string;
  readonly asyncInputPrefix: string;
  readonly kmsKeyId?: string;
}

/**
 * Reads the environment contract. Read per request on purpose: it is a dozen string look-ups (microseconds),
 * and it lets tests vary the environment without reloading the module.
 */
export function loadConfig(env: Env = process.env): { config: HandlerConfig; problems: string[] } {
  const problems: string[] = [];
  const endpointName = requiredString(env, 'ENDPOINT_NAME', problems);
  const invokeTimeoutMs = integer(env, 'INVOKE_TIMEOUT_MS', DEFAULT_INVOKE_TIMEOUT_MS, 1, 900_000, problems);
  const maxBodyBytes = integer(env, 'MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1, 1024 * 1024 * 1024, problems);
  const modeRaw = (optionalString(env, 'INVOKE_MODE') ?? 'realtime').toLowerCase();
  if (modeRaw !== 'realtime' && modeRaw !== 'async') {
    problems.push(`INVOKE_MODE is ${JSON.stringify(modeRaw)}; expected "realtime" or "async"`);
  }
  const invokeMode = modeRaw === 'async' ? 'async' : 'realtime';
  const asyncInputBucket = optionalString(env, 'ASYNC_INPUT_BUCKET');
  if (invokeMode === 'async' && !asyncInputBucket) problems.push('ASYNC_INPUT_BUCKET is not set (required when INVOKE_MODE is "async")');
  return {
    problems,
    config: {
      endpointName,
      invokeTimeoutMs,
      maxBodyBytes,
      allowedContentTypes: list(env, 'ALLOWED_CONTENT_TYPES', DEFAULT_ALLOWED_CONTENT_TYPES),
      targetVariant: optionalString(env, 'TARGET_VARIANT'),
      invokeMode,
      asyncInputBucket,
      asyncInputPrefix: keyPrefix(env, 'ASYNC_INPUT_PREFIX', 'async-input/'),
      kmsKeyId: optionalString(env, 'KMS_KEY_ID'),
    },
  };
}

/** A handled failure: becomes `{"error": {"code", "message"}, "requestId"}` with `status`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

const ROUTES: Readonly<Record<string, string>> = { '/health': 'GET', '/predict': 'POST' };
let coldStart = true;

export async function handler(event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> {
  const started = performance.now();
  const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
  const log: LogFields = {
    requestId,
    lambdaRequestId: context?.awsRequestId,
    method: event.httpMethod,
    route: routeOf(event),
    coldStart,
  };
  coldStart = false;
  let response: APIGatewayProxyResult;
  try {
    response = await route(event, context, requestId, log);
  } catch (error) {
    if (error instanceof HttpError) {
      log.errorCode = error.code;
      response = errorResponse(error.status, error.code, error.message, requestId, error.headers, error.extra);
    } else {
      // A bug of ours: logged by name and message (no stack with payload-bearing frames), answered generically.
      log.errorCode = 'InternalError';
      log.errorName = error instanceof Error ? error.name : typeof error;
      log.errorMessage = error instanceof Error ? error.message.slice(0, 300) : undefined;
      response = errorResponse(500, 'InternalError', 'The inference service failed unexpectedly', requestId);
    }
  }
  log.status = response.statusCode;
  log.latencyMs = elapsedMs(started);
  logJson(response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info', 'request', log);
  return response;
}

/** The route template: the API's resource (`/predict`), or the proxied path under a `{proxy+}` resource. */
function routeOf(event: APIGatewayProxyEvent): string {
  const resource = event.resource;
  let path: string;
  if (resource && !resource.includes('{')) path = resource;
  else if (event.pathParameters?.proxy !== undefined) path = `/${event.pathParameters.proxy}`;
  else path = event.path || '/';
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

async function route(event: APIGatewayProxyEvent, context: Context | undefined, requestId: string, log: LogFields): Promise<APIGatewayProxyResult> {
  // A model's routes (`/models/<name>/predict`, `/health`) reach a handler of that model only: route by the last segment.
  const path = (log.route as string).replace(/^\/models\/[a-z0-9][a-z0-9-]{0,39}(?=\/(?:predict|health)$)/, '');
  const allowedMethod = ROUTES[path];
  if (!allowedMethod) throw new HttpError(404, 'NotFound', `No route for ${path}; routes are GET /health and POST /predict`);
  if (event.httpMethod !== allowedMethod) {
    throw new HttpError(405, 'MethodNotAllowed', `${path} accepts ${allowedMethod} only`, { Allow: allowedMethod });
  }

  // Checked for /health too: a deployment with a broken environment should fail its health check.
  const { config, problems } = loadConfig();
  if (problems.length > 0) {
    // Which variable is wrong goes to the log for operators; the caller only learns that it is not their fault.
    log.configProblems = problems;
    throw new HttpError(500, 'ConfigurationError', 'The inference service is misconfigured');
  }
  log.endpointName = config.endpointName;
  if (path === '/health') return jsonResponse(200, { status: 'ok' }, requestId);

  log.invokeMode = config.invokeMode;
  const contentType = mediaType(header(event, 'content-type'));
  log.contentType = contentType || undefined;
  const body = readBody(event, contentType, config);
  log.payloadBytes = body.length;
  const remaining = context?.getRemainingTimeInMillis?.();
  const timeoutMs = budgetMs(config.invokeTimeoutMs, remaining);
  const accept = header(event, 'accept')?.trim();
  // `*/*` (curl's default) tells the model nothing; leave Accept out so the container picks its default.
  const forwardedAccept = accept && accept !== '*/*' ? accept : undefined;

  return config.invokeMode === 'async'
    ? invokeAsync(config, body, contentType, forwardedAccept, requestId, timeoutMs, log)
    : invokeRealtime(config, body, contentType, forwardedAccept, requestId, timeoutMs, log);
}

/** Checks content type, presence, size, encoding and (for JSON) syntax; returns the bytes to send. */
function readBody(event: APIGatewayProxyEvent, contentType: string, config: HandlerConfig): Buffer {
  const allowed = config.allowedContentTypes.join(', ');
  if (!contentType) throw new HttpError(415, 'UnsupportedMediaType', `A Content-Type header is required; allowed: ${allowed}`);
  if (!isAllowedType(contentType, config.allowedContentTypes)) {
    throw new HttpError(415, 'UnsupportedMediaType', `Content-Type ${contentType} is not accepted; allowed: ${allowed}`);
  }
  const raw = event.body;
  if (raw === null || raw === undefined || raw.length === 0) throw new HttpError(400, 'EmptyBody', 'The request body is empty');

  const tooLarge = (bytes: number) => new HttpError(413, 'PayloadTooLarge',
    `The request body has ${bytes} bytes; the limit is ${config.maxBodyBytes} bytes`);
  let body: Buffer;
  if (event.isBase64Encoded) {
    const encoded = raw.replace(/\s+/g, '');
    const decodedBytes = Math.floor((encoded.length * 3) / 4) - (encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0);
    // Size first: no need to validate or decode megabytes that will be refused anyway.
    if (decodedBytes > config.maxBodyBytes) throw tooLarge(decodedBytes);
    if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) {
      throw new HttpError(400, 'InvalidBase64', 'The request body is marked base64-encoded but is not valid base64');
    }
    body = Buffer.from(encoded, 'base64');
  } else {
    const bytes = Buffer.byteLength(raw, 'utf8');
    if (bytes > config.maxBodyBytes) throw tooLarge(bytes);
    body = Buffer.from(raw, 'utf8');
  }
  if (body.length === 0) throw new HttpError(400, 'EmptyBody', 'The request body is empty');

  if (isJsonType(contentType)) {
    try {
      JSON.parse(body.toString('utf8'));
    } catch (error) {
      // V8's message says what and where ("Unexpected token } in JSON at position 12"); it goes back to the
      // caller who sent the body, and is never logged.
      const detail = error instanceof Error ? error.message.slice(0, 200) : 'parse error';
      throw new HttpError(400, 'InvalidJson', `The request body is not valid JSON: ${detail}`);
    }
  }
  return body;
}

async function invokeRealtime(
  config: HandlerConfig, body: Buffer, contentType: string, accept: string | undefined,
  requestId: string, timeoutMs: number, log: LogFields,
): Promise<APIGatewayProxyResult> {
  const command = new InvokeEndpointCommand({
    EndpointName: config.endpointName,
    Body: body,
    ContentType: contentType,
    Accept: accept,
    TargetVariant: config.targetVariant,
    // The API request id doubles as the inference id, so data-capture records can be matched to API logs.
    InferenceId: requestId.slice(0, 64),
  });
  const invokeStarted = performance.now();
  let output: InvokeEndpointCommandOutput;
  try {
    output = await withDeadline(timeoutMs, (abortSignal) => sagemaker.send(command, { abortSignal }));
  } catch (error) {
    throw invokeFailure(classifyError(error), log, timeoutMs);
  } finally {
    log.modelLatencyMs = elapsedMs(invokeStarted);
  }
  log.invokedVariant = output.InvokedProductionVariant;
  const responseType = output.ContentType ?? 'application/octet-stream';
  const bytes = output.Body ?? new Uint8Array();
  log.responseBytes = bytes.byteLength;
  const text = isTextType(mediaType(responseType));
  // Binary answers travel base64-encoded; API Gateway decodes them when the API lists the type in binaryMediaTypes.
  const responseBody = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(text ? 'utf8' : 'base64');
  if (Buffer.byteLength(responseBody) > MAX_RESPONSE_BYTES) {
    throw new HttpError(502, 'ResponseTooLarge', 'The model answer is larger than the 6 MB a synchronous API response can carry');
  }
  const headers: Record<string, string> = { 'Content-Type': responseType, 'X-Request-Id': requestId, 'Cache-Control': 'no-store' };
  if (output.InvokedProductionVariant) headers['X-Invoked-Production-Variant'] = output.InvokedProductionVariant;
  return { statusCode: 200, headers, body: responseBody, isBase64Encoded: !text };
}

async function invokeAsync(
  config: HandlerConfig, body: Buffer, contentType: string, accept: string | undefined,
  requestId: string, timeoutMs: number, log: LogFields,
): Promise<APIGatewayProxyResult> {
  const { client, PutObject } = loadS3();
  const key = `${config.asyncInputPrefix}${requestId}`;
  const inputLocation = `s3://${config.asyncInputBucket}/${key}`;
  const started = performance.now();
  let output: InvokeEndpointAsyncCommandOutput;
  try {
    output = await withDeadline(timeoutMs, async (abortSignal) => {
      await client.send(new PutObject({
        Bucket: config.asyncInputBucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ...(config.kmsKeyId ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: config.kmsKeyId } : {}),
      }), { abortSignal });
      return sagemaker.send(new InvokeEndpointAsyncCommand({
        EndpointName: config.endpointName,
        InputLocation: inputLocation,
        ContentType: contentType,
        Accept: accept,
        InferenceId: requestId.slice(0, 64),
      }), { abortSignal });
    });
  } catch (error) {
    throw invokeFailure(classifyError(error), log, timeoutMs);
  } finally {
    log.modelLatencyMs = elapsedMs(started);
  }
  return jsonResponse(202, {
    inferenceId: output.InferenceId ?? requestId,
    inputLocation,
    outputLocation: output.OutputLocation,
    failureLocation: output.FailureLocation,
    requestId,
  }, requestId);
}

/**
 * Maps a classified SDK failure to the HTTP answer.
 *
 * A model (container) error is 424 Failed Dependency rather than 502: the request was valid and reached the
 * model, which answered with an error, often for this very input. 502 would read as "the gateway or the
 * infrastructure broke" and invite blind retries; 424 plus the model's own status code tells the caller
 * what happened. The model's message is returned (the caller sent the input it may echo) but not logged.
 */
function invokeFailure(failure: ClassifiedFailure, log: LogFields, timeoutMs: number): HttpError {
  log.errorName = failure.errorName;
  log.awsStatus = failure.httpStatus;
  switch (failure.kind) {
    case 'timeout':
      return new HttpError(504, 'ModelTimeout', `The model did not answer within ${timeoutMs} ms`);
    case 'throttled':
      // ServiceUnavailable is SageMaker's "no capacity right now": for the caller it is the same as a
      // throttle (retry after a pause), so both are 429 with Retry-After.
      return new HttpError(429, 'Throttled', 'The model endpoint is busy; retry after a short pause', { 'Retry-After': '1' });
    case 'notReady':
      return new HttpError(503, 'ModelNotReady', 'The model is still loading; retry shortly', { 'Retry-After': '5' });
    case 'validation':
      log.errorMessage = failure.message;
      return new HttpError(400, 'InvalidRequest', `The endpoint rejected the request: ${failure.message}`);
    case 'model': {
      log.modelStatusCode = failure.modelStatusCode;
      log.modelLogStream = failure.logStreamArn;
      const status = failure.modelStatusCode !== undefined ? ` with status ${failure.modelStatusCode}` : '';
      const detail = failure.modelMessage ? `: ${failure.modelMessage}` : '';
      const extra: Record<string, number> = failure.modelStatusCode !== undefined ? { modelStatusCode: failure.modelStatusCode } : {};
      return new HttpError(424, 'ModelError', `The model failed${status}${detail}`, {}, extra);
    }
    default:
      // Endpoint missing, access denied, service faults, network errors: our side, described only in the log.
      log.errorMessage = failure.message;
      return new HttpError(502, 'UpstreamError', 'The model endpoint could not be reached');
  }
}

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return headers[key] ?? undefined;
  }
  return undefined;
}

function jsonResponse(status: number, body: object, requestId: string, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { 'Content-Type': 'application/json', 'X-Request-Id': requestId, 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

function errorResponse(
  status: number, code: string, message: string, requestId: string,
  headers: Record<string, string> = {}, extra: Record<string, string | number> = {},
): APIGatewayProxyResult {
  return jsonResponse(status, { error: { code, message, ...extra }, requestId }, requestId, headers);
}
