// Tests the inference Lambda proxy against a mocked SageMaker runtime (and S3 for async mode).
import {
  InvokeEndpointAsyncCommand, InvokeEndpointCommand, ModelError, ModelNotReadyException, SageMakerRuntimeClient,
  ServiceUnavailable, ValidationError, InternalFailure, type InvokeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker-runtime';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lib/runtime/inference-handler';

const sagemaker = mockClient(SageMakerRuntimeClient);
const s3 = mockClient(S3Client);
const ORIGINAL_ENV = process.env;
const SECRET = 'patient-4711-secret';
let logLines: string[];

function apiEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'POST',
    resource: '/predict',
    path: '/predict',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ features: [1, 2, 3], note: SECRET }),
    isBase64Encoded: false,
    requestContext: { requestId: 'req-123' },
    ...overrides,
  } as APIGatewayProxyEvent;
}

function blob(text: string | Uint8Array): InvokeEndpointCommandOutput['Body'] {
  return (typeof text === 'string' ? new TextEncoder().encode(text) : text) as InvokeEndpointCommandOutput['Body'];
}

function errorOf(response: APIGatewayProxyResult): { error: { code: string; message: string; modelStatusCode?: number }; requestId: string } {
  return JSON.parse(response.body);
}

function logs(): Array<Record<string, unknown>> {
  return logLines.map((line) => JSON.parse(line));
}

function sdkError<T extends Error>(ErrorClass: new (opts: never) => T, extra: Record<string, unknown> = {}, status = 400): T {
  return new ErrorClass({ message: 'service message', $metadata: { httpStatusCode: status }, ...extra } as never);
}

beforeEach(() => {
  sagemaker.reset();
  s3.reset();
  process.env = { ...ORIGINAL_ENV, AWS_REGION: 'eu-west-1', ENDPOINT_NAME: 'churn-endpoint' };
  for (const name of ['INVOKE_TIMEOUT_MS', 'MAX_BODY_BYTES', 'ALLOWED_CONTENT_TYPES', 'TARGET_VARIANT', 'INVOKE_MODE',
    'ASYNC_INPUT_BUCKET', 'ASYNC_INPUT_PREFIX', 'KMS_KEY_ID']) delete process.env[name];
  logLines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logLines.push(String(chunk).trimEnd());
    return true;
  });
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

const never = () => new Promise<never>(() => undefined);

/** Runs the handler on fake timers, moving the clock `advanceMs` forward while it waits: no wall-clock time. */
async function handleOnFakeClock(event: APIGatewayProxyEvent, advanceMs: number, context?: Context): Promise<APIGatewayProxyResult> {
  jest.useFakeTimers();
  const pending = handler(event, context);
  await jest.advanceTimersByTimeAsync(advanceMs);
  return pending;
}

afterAll(() => {
  process.env = ORIGINAL_ENV;
});

describe('routing', () => {
  it('answers GET /health with 200 without calling SageMaker', async () => {
    const response = await handler(apiEvent({ httpMethod: 'GET', resource: '/health', path: '/health', body: null }));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
    expect(sagemaker.calls()).toHaveLength(0);
  });

  it('answers an unknown route with 404 in the error format', async () => {
    const response = await handler(apiEvent({ resource: '/admin', path: '/admin' }));
    expect(response.statusCode).toBe(404);
    expect(errorOf(response)).toEqual({ error: { code: 'NotFound', message: expect.stringContaining('/admin') }, requestId: 'req-123' });
  });

  it('answers a wrong method with 405 and an Allow header', async () => {
    const response = await handler(apiEvent({ httpMethod: 'GET' }));
    expect(response.statusCode).toBe(405);
    expect(response.headers?.Allow).toBe('POST');
    expect(errorOf(response).error.code).toBe('MethodNotAllowed');
  });

  it('serves a model\'s POST /models/<name>/predict and GET /models/<name>/health like /predict and /health', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob('{"score":1}'), ContentType: 'application/json' });
    // Behind a custom domain the path carries the base path; the resource does not.
    const predict = await handler(apiEvent({ resource: '/models/fraud-v2/predict', path: '/v1/models/fraud-v2/predict' }));
    expect(predict.statusCode).toBe(200);
    expect(sagemaker.commandCalls(InvokeEndpointCommand)[0].args[0].input.EndpointName).toBe('churn-endpoint');
    const health = await handler(apiEvent({ httpMethod: 'GET', resource: '/models/fraud-v2/health', path: '/models/fraud-v2/health', body: null }));
    expect(health.statusCode).toBe(200);
    expect(sagemaker.calls()).toHaveLength(1);
  });

  it('answers 404 for other paths under /models', async () => {
    for (const route of ['/models/fraud/admin', '/models/Fraud/predict', '/models/predict', '/models/a/b/predict']) {
      const response = await handler(apiEvent({ resource: route, path: route }));
      expect([route, response.statusCode]).toEqual([route, 404]);
    }
    expect(sagemaker.calls()).toHaveLength(0);
  });

  it('routes a {proxy+} resource by its proxied path', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob('{"score":1}'), ContentType: 'application/json' });
    const response = await handler(apiEvent({ resource: '/{proxy+}', path: '/predict/', pathParameters: { proxy: 'predict/' } }));
    expect(response.statusCode).toBe(200);
  });
});

describe('configuration', () => {
  it('answers 500 ConfigurationError without detail when ENDPOINT_NAME is missing, and logs the cause', async () => {
    delete process.env.ENDPOINT_NAME;
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(500);
    expect(errorOf(response).error).toEqual({ code: 'ConfigurationError', message: 'The inference service is misconfigured' });
    expect(response.body).not.toMatch(/ENDPOINT_NAME|at .*\.ts/);
    expect(logs()[0]).toMatchObject({ level: 'error', configProblems: ['ENDPOINT_NAME is not set'], status: 500 });
    expect(sagemaker.calls()).toHaveLength(0);
  });

  it('reports a bad INVOKE_MODE and a non-numeric timeout together', async () => {
    process.env.INVOKE_MODE = 'batch';
    process.env.INVOKE_TIMEOUT_MS = 'soon';
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(500);
    expect(logs()[0].configProblems).toEqual([
      'INVOKE_TIMEOUT_MS is "soon"; expected an integer from 1 to 900000',
      'INVOKE_MODE is "batch"; expected "realtime" or "async"',
    ]);
  });

  it('requires ASYNC_INPUT_BUCKET in async mode', async () => {
    process.env.INVOKE_MODE = 'async';
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(500);
    expect(logs()[0].configProblems).toEqual(['ASYNC_INPUT_BUCKET is not set (required when INVOKE_MODE is "async")']);
  });
});

describe('request validation', () => {
  it('rejects a content type that is not allowed with 415', async () => {
    const response = await handler(apiEvent({ headers: { 'content-type': 'text/plain' }, body: 'hello' }));
    expect(response.statusCode).toBe(415);
    expect(errorOf(response).error.message).toBe('Content-Type text/plain is not accepted; allowed: application/json, text/csv');
  });

  it('rejects a request without Content-Type with 415', async () => {
    const response = await handler(apiEvent({ headers: {} }));
    expect(response.statusCode).toBe(415);
    expect(errorOf(response).error.code).toBe('UnsupportedMediaType');
  });

  it('accepts the types listed in ALLOWED_CONTENT_TYPES, including wildcards', async () => {
    process.env.ALLOWED_CONTENT_TYPES = 'image/*, application/x-npy';
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob('[0.9]'), ContentType: 'application/json' });
    const png = await handler(apiEvent({ headers: { 'Content-Type': 'image/png' }, body: Buffer.from([137, 80]).toString('base64'), isBase64Encoded: true }));
    const json = await handler(apiEvent());
    expect(png.statusCode).toBe(200);
    expect(json.statusCode).toBe(415);
  });

  it('rejects an empty body with 400', async () => {
    const response = await handler(apiEvent({ body: null }));
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).error).toEqual({ code: 'EmptyBody', message: 'The request body is empty' });
  });

  it('rejects a body over MAX_BODY_BYTES with 413 before calling SageMaker', async () => {
    process.env.MAX_BODY_BYTES = '16';
    const response = await handler(apiEvent({ body: '{"a":"0123456789abcdef"}' }));
    expect(response.statusCode).toBe(413);
    expect(errorOf(response).error.message).toBe('The request body has 24 bytes; the limit is 16 bytes');
    expect(sagemaker.calls()).toHaveLength(0);
  });

  it('measures base64 bodies by their decoded size', async () => {
    process.env.MAX_BODY_BYTES = '16';
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob('{}'), ContentType: 'application/json' });
    const sixteen = Buffer.from('{"a":"012345678"}'.slice(0, 16)).toString('base64'); // 24 chars encoded, 16 bytes decoded
    const seventeen = Buffer.from('{"a":"0123456789"}'.slice(0, 17)).toString('base64');
    process.env.ALLOWED_CONTENT_TYPES = 'text/csv';
    const fits = await handler(apiEvent({ headers: { 'Content-Type': 'text/csv' }, body: sixteen, isBase64Encoded: true }));
    const tooBig = await handler(apiEvent({ headers: { 'Content-Type': 'text/csv' }, body: seventeen, isBase64Encoded: true }));
    expect(fits.statusCode).toBe(200);
    expect(tooBig.statusCode).toBe(413);
  });

  it('rejects malformed JSON with 400 saying what is wrong, and does not log the body', async () => {
    const response = await handler(apiEvent({ body: `{"note": "${SECRET}", }` }));
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).error.code).toBe('InvalidJson');
    expect(errorOf(response).error.message).toMatch(/^The request body is not valid JSON: .*position/);
    expect(logLines.join('\n')).not.toContain(SECRET);
    expect(sagemaker.calls()).toHaveLength(0);
  });

  it('does not parse CSV bodies as JSON', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob('0.7\n'), ContentType: 'text/csv' });
    const response = await handler(apiEvent({ headers: { 'Content-Type': 'text/csv; charset=utf-8' }, body: '1,2,3\n' }));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('0.7\n');
  });

  it('decodes base64 bodies before sending them', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob('{}'), ContentType: 'application/json' });
    const payload = '{"features":[4,5]}';
    await handler(apiEvent({ body: Buffer.from(payload).toString('base64'), isBase64Encoded: true }));
    expect(Buffer.from(sagemaker.commandCalls(InvokeEndpointCommand)[0].args[0].input.Body as Uint8Array).toString()).toBe(payload);
  });

  it('rejects a body marked base64 that is not base64 with 400', async () => {
    const response = await handler(apiEvent({ body: '{"not":"base64"}', isBase64Encoded: true }));
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).error.code).toBe('InvalidBase64');
  });

  it('validates JSON inside a base64 body', async () => {
    const response = await handler(apiEvent({ body: Buffer.from('{broken').toString('base64'), isBase64Encoded: true }));
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).error.code).toBe('InvalidJson');
  });
});

describe('real-time invocation', () => {
  it('sends exactly the endpoint, media type, Accept, body, variant and inference id', async () => {
    process.env.TARGET_VARIANT = 'blue';
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob('{"score":0.93}'), ContentType: 'application/json' });
    const body = '{"features":[1,2,3]}';
    await handler(apiEvent({ headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' }, body }));
    const calls = sagemaker.commandCalls(InvokeEndpointCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect({ ...input, Body: Buffer.from(input.Body as Uint8Array).toString() }).toEqual({
      EndpointName: 'churn-endpoint',
      ContentType: 'application/json',
      Accept: 'application/json',
      Body: body,
      TargetVariant: 'blue',
      InferenceId: 'req-123',
    });
  });

  it('leaves Accept out when the caller accepts anything', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob('{}'), ContentType: 'application/json' });
    await handler(apiEvent({ headers: { 'Content-Type': 'application/json', accept: '*/*' } }));
    expect(sagemaker.commandCalls(InvokeEndpointCommand)[0].args[0].input.Accept).toBeUndefined();
  });

  it("returns the model's body and content type with 200", async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob('{"score":0.93}'), ContentType: 'application/json', InvokedProductionVariant: 'blue' });
    const response = await handler(apiEvent());
    expect(response).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-123', 'Cache-Control': 'no-store', 'X-Invoked-Production-Variant': 'blue' },
      body: '{"score":0.93}',
      isBase64Encoded: false,
    });
  });

  it('returns binary model answers base64-encoded', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob(new Uint8Array([0, 255, 7])), ContentType: 'application/x-npy' });
    const response = await handler(apiEvent());
    expect(response.isBase64Encoded).toBe(true);
    expect(Buffer.from(response.body, 'base64')).toEqual(Buffer.from([0, 255, 7]));
  });

  it('passes an abort signal and answers 504 when the model does not answer in time', async () => {
    process.env.INVOKE_TIMEOUT_MS = '3000';
    sagemaker.on(InvokeEndpointCommand).callsFake(never);
    const response = await handleOnFakeClock(apiEvent(), 3000);
    expect(response.statusCode).toBe(504);
    expect(errorOf(response).error).toEqual({ code: 'ModelTimeout', message: 'The model did not answer within 3000 ms' });
    const options = (sagemaker.send.getCall(0).args as unknown[])[1] as { abortSignal: AbortSignal };
    expect(options.abortSignal.aborted).toBe(true);
  });

  it('shortens the timeout to the time Lambda has left', async () => {
    sagemaker.on(InvokeEndpointCommand).callsFake(never);
    const context = { awsRequestId: 'lambda-1', getRemainingTimeInMillis: () => 1_050 } as Context;
    const response = await handleOnFakeClock(apiEvent(), 100, context);
    expect(response.statusCode).toBe(504);
    expect(errorOf(response).error.message).toBe('The model did not answer within 100 ms');
  });

  it('answers 502 when the model answer is too large for a Lambda response', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob('x'.repeat(6 * 1024 * 1024)), ContentType: 'text/plain' });
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(502);
    expect(errorOf(response).error.code).toBe('ResponseTooLarge');
  });
});

describe('error mapping', () => {
  it('maps a SageMaker ValidationError to 400 with its message', async () => {
    sagemaker.on(InvokeEndpointCommand).rejects(sdkError(ValidationError, { message: 'Invalid TargetVariant' }));
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).error).toEqual({ code: 'InvalidRequest', message: 'The endpoint rejected the request: Invalid TargetVariant' });
  });

  it('maps a missing endpoint to 502 and masks the account id in the log', async () => {
    sagemaker.on(InvokeEndpointCommand).rejects(sdkError(ValidationError, { message: 'Endpoint churn-endpoint of account 123456789012 not found.' }));
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(502);
    expect(response.body).not.toContain('123456789012');
    expect(logs()[0].errorMessage).toBe('Endpoint churn-endpoint of account ************ not found.');
  });

  it("maps a ModelError to 424 with the model's status and message, and does not log the message", async () => {
    sagemaker.on(InvokeEndpointCommand).rejects(sdkError(ModelError, {
      OriginalStatusCode: 400, OriginalMessage: `feature 3 missing in ${SECRET}`, LogStreamArn: 'arn:aws:logs:eu-west-1:1:log-group:/aws/sagemaker/Endpoints/x',
    }, 424));
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(424);
    expect(errorOf(response).error).toEqual({
      code: 'ModelError', message: `The model failed with status 400: feature 3 missing in ${SECRET}`, modelStatusCode: 400,
    });
    expect(logs()[0]).toMatchObject({ errorCode: 'ModelError', modelStatusCode: 400, modelLogStream: expect.stringContaining('Endpoints/x') });
    expect(logLines.join('\n')).not.toContain(SECRET);
  });

  it.each([
    ['ThrottlingException', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })],
    ['ServiceUnavailable', sdkError(ServiceUnavailable, {}, 503)],
    ['an HTTP 429', Object.assign(new Error('slow down'), { name: 'Unknown', $metadata: { httpStatusCode: 429 } })],
  ])('maps %s to 429 with Retry-After', async (_name, error) => {
    sagemaker.on(InvokeEndpointCommand).rejects(error);
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(429);
    expect(response.headers?.['Retry-After']).toBe('1');
    expect(errorOf(response).error.code).toBe('Throttled');
  });

  it('maps ModelNotReadyException to 503 with Retry-After', async () => {
    sagemaker.on(InvokeEndpointCommand).rejects(sdkError(ModelNotReadyException));
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('5');
  });

  it.each([
    ['InternalFailure', sdkError(InternalFailure, {}, 500)],
    ['AccessDeniedException', Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } })],
    ['a network error', new Error('socket hang up')],
  ])('maps %s to 502 with a generic message and no stack trace', async (_name, error) => {
    sagemaker.on(InvokeEndpointCommand).rejects(error);
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(502);
    expect(errorOf(response)).toEqual({ error: { code: 'UpstreamError', message: 'The model endpoint could not be reached' }, requestId: 'req-123' });
    expect(response.body).not.toMatch(/\n\s+at /);
  });

  it('answers 500 instead of throwing when something unexpected breaks', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: 42 as unknown as InvokeEndpointCommandOutput['Body'], ContentType: 'application/json' });
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(500);
    expect(errorOf(response).error).toEqual({ code: 'InternalError', message: 'The inference service failed unexpectedly' });
  });
});

describe('async mode', () => {
  beforeEach(() => {
    process.env.INVOKE_MODE = 'async';
    process.env.ASYNC_INPUT_BUCKET = 'ingest-bucket';
    process.env.ASYNC_INPUT_PREFIX = 'async-in';
    process.env.KMS_KEY_ID = 'arn:aws:kms:eu-west-1:111122223333:key/abc';
  });

  it('writes the body to S3 with KMS, invokes the endpoint asynchronously and answers 202', async () => {
    s3.on(PutObjectCommand).resolves({});
    sagemaker.on(InvokeEndpointAsyncCommand).resolves({
      InferenceId: 'req-123', OutputLocation: 's3://ingest-bucket/async-out/req-123.out', FailureLocation: 's3://ingest-bucket/async-fail/req-123.out',
    });
    const body = '{"features":[1]}';
    const response = await handler(apiEvent({ body }));

    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect({ ...put, Body: String(put.Body) }).toEqual({
      Bucket: 'ingest-bucket', Key: 'async-in/req-123', Body: body, ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abc',
    });
    expect(sagemaker.commandCalls(InvokeEndpointAsyncCommand)[0].args[0].input).toEqual({
      EndpointName: 'churn-endpoint', InputLocation: 's3://ingest-bucket/async-in/req-123', ContentType: 'application/json', InferenceId: 'req-123',
    });
    expect(sagemaker.commandCalls(InvokeEndpointCommand)).toHaveLength(0);
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body)).toEqual({
      inferenceId: 'req-123',
      inputLocation: 's3://ingest-bucket/async-in/req-123',
      outputLocation: 's3://ingest-bucket/async-out/req-123.out',
      failureLocation: 's3://ingest-bucket/async-fail/req-123.out',
      requestId: 'req-123',
    });
  });

  it('answers 504 when the S3 write hangs, without invoking the endpoint', async () => {
    process.env.INVOKE_TIMEOUT_MS = '5000';
    s3.on(PutObjectCommand).callsFake(never);
    const response = await handleOnFakeClock(apiEvent(), 5000);
    expect(response.statusCode).toBe(504);
    expect(errorOf(response).error.code).toBe('ModelTimeout');
    expect(((s3.send.getCall(0).args as unknown[])[1] as { abortSignal: AbortSignal }).abortSignal.aborted).toBe(true);
    expect(sagemaker.calls()).toHaveLength(0);
  });

  it('answers 504 when InvokeEndpointAsync hangs after the write, within the same deadline', async () => {
    process.env.INVOKE_TIMEOUT_MS = '5000';
    s3.on(PutObjectCommand).resolves({});
    sagemaker.on(InvokeEndpointAsyncCommand).callsFake(never);
    const response = await handleOnFakeClock(apiEvent(), 5000);
    expect(response.statusCode).toBe(504);
  });

  it('maps a throttled S3 write to 429 and does not invoke the endpoint', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Please reduce your request rate'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }));
    const response = await handler(apiEvent());
    expect(response.statusCode).toBe(429);
    expect(sagemaker.calls()).toHaveLength(0);
  });
});

describe('logging', () => {
  it('writes one JSON line per request with timings and sizes, and no payload', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: blob(`{"echo":"${SECRET}"}`), ContentType: 'application/json' });
    const body = JSON.stringify({ note: SECRET });
    await handler(apiEvent({ body }), { awsRequestId: 'lambda-9' } as Context);
    expect(logLines).toHaveLength(1);
    expect(logs()[0]).toEqual({
      level: 'info',
      message: 'request',
      requestId: 'req-123',
      lambdaRequestId: 'lambda-9',
      method: 'POST',
      route: '/predict',
      coldStart: expect.any(Boolean),
      endpointName: 'churn-endpoint',
      invokeMode: 'realtime',
      contentType: 'application/json',
      payloadBytes: Buffer.byteLength(body),
      modelLatencyMs: expect.any(Number),
      responseBytes: Buffer.byteLength(`{"echo":"${SECRET}"}`),
      status: 200,
      latencyMs: expect.any(Number),
    });
    expect(logLines[0]).not.toContain(SECRET);
  });

  it('logs the error code of a failed request at warn level', async () => {
    process.env.MAX_BODY_BYTES = '4';
    await handler(apiEvent());
    expect(logs()[0]).toMatchObject({ level: 'warn', status: 413, errorCode: 'PayloadTooLarge' });
  });
});
