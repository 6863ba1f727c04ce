// Tests the batch inference worker (SQS of S3 notifications) against mocked S3 and SageMaker runtime clients.
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient, type InvokeEndpointCommandOutput } from '@aws-sdk/client-sagemaker-runtime';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lib/runtime/batch-inference';

const sagemaker = mockClient(SageMakerRuntimeClient);
const s3 = mockClient(S3Client);
const ORIGINAL_ENV = process.env;
const KMS_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/abc';
const SECRET = 'account-4711-secret';
let logLines: string[];

interface ObjectSpec { key: string; size?: number; bucket?: string; eventName?: string; versionId?: string }

function s3Notification(...objects: ObjectSpec[]): string {
  return JSON.stringify({
    Records: objects.map((object) => ({
      eventSource: 'aws:s3',
      eventName: object.eventName ?? 'ObjectCreated:Put',
      s3: {
        bucket: { name: object.bucket ?? 'ingest-bucket' },
        object: { key: object.key, size: object.size ?? 20, versionId: object.versionId },
      },
    })),
  });
}

function sqsEvent(...bodies: string[]): SQSEvent {
  return { Records: bodies.map((body, index) => ({ messageId: `msg-${index + 1}`, body }) as SQSRecord) };
}

function objectBody(text: string, contentType?: string): Partial<GetObjectCommandOutput> {
  const bytes = new TextEncoder().encode(text);
  return {
    ContentLength: bytes.byteLength,
    ContentType: contentType,
    Body: { transformToByteArray: async () => bytes } as unknown as GetObjectCommandOutput['Body'],
  };
}

function prediction(text: string): Partial<InvokeEndpointCommandOutput> {
  return { Body: new TextEncoder().encode(text) as InvokeEndpointCommandOutput['Body'], ContentType: 'application/json' };
}

function putInputs() {
  return s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
}

function logs(): Array<Record<string, unknown>> {
  return logLines.map((line) => JSON.parse(line));
}

function modelError(status: number): ModelError {
  return new ModelError({ message: 'model error', $metadata: { httpStatusCode: 424 }, OriginalStatusCode: status, OriginalMessage: `bad row: ${SECRET}` });
}

beforeEach(() => {
  sagemaker.reset();
  s3.reset();
  process.env = { ...ORIGINAL_ENV, AWS_REGION: 'eu-west-1', ENDPOINT_NAME: 'churn-endpoint', KMS_KEY_ID: KMS_KEY };
  for (const name of ['INPUT_PREFIX', 'OUTPUT_PREFIX', 'ERROR_PREFIX', 'MAX_OBJECT_BYTES', 'BUCKET_NAME', 'INVOKE_TIMEOUT_MS', 'TARGET_VARIANT']) {
    delete process.env[name];
  }
  logLines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logLines.push(String(chunk).trimEnd());
    return true;
  });
  s3.on(PutObjectCommand).resolves({});
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** A Lambda context with `remainingMs` left, counted down on the (fake) clock. */
function contextWithRemaining(remainingMs: number): Context {
  const end = Date.now() + remainingMs;
  return { awsRequestId: 'lambda-1', getRemainingTimeInMillis: () => end - Date.now() } as Context;
}

/** Runs the handler on fake timers, moving the clock `advanceMs` forward while it waits. */
async function handleOnFakeClock(event: SQSEvent, remainingMs: number, advanceMs: number) {
  jest.useFakeTimers();
  const pending = handler(event, contextWithRemaining(remainingMs));
  await jest.advanceTimersByTimeAsync(advanceMs);
  return pending;
}

const never = () => new Promise<never>(() => undefined);

afterAll(() => {
  process.env = ORIGINAL_ENV;
});

describe('successful predictions', () => {
  it('reads the object, invokes the endpoint and writes the prediction under the output prefix with KMS', async () => {
    s3.on(GetObjectCommand).resolves(objectBody('{"features":[1,2]}', 'application/json'));
    sagemaker.on(InvokeEndpointCommand).resolves(prediction('{"score":0.4}'));

    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/2026/11/batch.json', versionId: 'v7' })));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({ Bucket: 'ingest-bucket', Key: 'incoming/2026/11/batch.json', VersionId: 'v7' });
    const invoke = sagemaker.commandCalls(InvokeEndpointCommand)[0].args[0].input;
    expect({ ...invoke, Body: Buffer.from(invoke.Body as Uint8Array).toString() }).toEqual({
      EndpointName: 'churn-endpoint', ContentType: 'application/json', Body: '{"features":[1,2]}',
    });
    const [put] = putInputs();
    expect({ ...put, Body: Buffer.from(put.Body as Uint8Array).toString() }).toEqual({
      Bucket: 'ingest-bucket',
      Key: 'predictions/2026/11/batch.json.out',
      Body: '{"score":0.4}',
      ContentType: 'application/json',
      Metadata: { 'source-key': encodeURIComponent('incoming/2026/11/batch.json'), 'source-version-id': 'v7' },
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KMS_KEY,
    });
  });

  it('decodes URL-encoded keys (with + for spaces) before reading and naming the output', async () => {
    s3.on(GetObjectCommand).resolves(objectBody('a,b\n1,2\n', 'text/csv'));
    sagemaker.on(InvokeEndpointCommand).resolves(prediction('[1]'));
    await handler(sqsEvent(s3Notification({ key: 'incoming/my+file+%281%29%C3%A9.csv' })));
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input.Key).toBe('incoming/my file (1)é.csv');
    expect(putInputs()[0].Key).toBe('predictions/my file (1)é.csv.out');
  });

  it.each([
    ['batch.csv', 'text/csv'],
    ['batch.jsonl', 'application/jsonlines'],
    ['batch.json', 'application/json'],
    ['image.bin', 'application/octet-stream'],
  ])('infers the content type of %s from its extension when S3 has only the generic type', async (name, expected) => {
    s3.on(GetObjectCommand).resolves(objectBody('1,2', 'binary/octet-stream'));
    sagemaker.on(InvokeEndpointCommand).resolves(prediction('[1]'));
    await handler(sqsEvent(s3Notification({ key: `incoming/${name}` })));
    expect(sagemaker.commandCalls(InvokeEndpointCommand)[0].args[0].input.ContentType).toBe(expected);
  });

  it('honours custom prefixes and writes without an SSE header when no KMS key is configured', async () => {
    process.env.INPUT_PREFIX = 'in';
    process.env.OUTPUT_PREFIX = 'out/';
    delete process.env.KMS_KEY_ID;
    s3.on(GetObjectCommand).resolves(objectBody('1,2', 'text/csv'));
    sagemaker.on(InvokeEndpointCommand).resolves(prediction('[1]'));
    await handler(sqsEvent(s3Notification({ key: 'in/x.csv' })));
    expect(putInputs()[0].Key).toBe('out/x.csv.out');
    expect(putInputs()[0].ServerSideEncryption).toBeUndefined();
    expect(putInputs()[0].SSEKMSKeyId).toBeUndefined();
  });

  it('unwraps notifications delivered through SNS', async () => {
    s3.on(GetObjectCommand).resolves(objectBody('1,2', 'text/csv'));
    sagemaker.on(InvokeEndpointCommand).resolves(prediction('[1]'));
    const body = JSON.stringify({ Type: 'Notification', Message: s3Notification({ key: 'incoming/a.csv' }) });
    const response = await handler(sqsEvent(body));
    expect(response.batchItemFailures).toEqual([]);
    expect(putInputs()[0].Key).toBe('predictions/a.csv.out');
  });
});

describe('events that are skipped', () => {
  it('ignores s3:TestEvent messages, also through SNS: the only messages acknowledged without work', async () => {
    const testEvent = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'ingest-bucket' });
    const response = await handler(sqsEvent(testEvent, JSON.stringify({ Type: 'Notification', Message: testEvent })));
    expect(response.batchItemFailures).toEqual([]);
    expect(s3.calls()).toHaveLength(0);
    expect(sagemaker.calls()).toHaveLength(0);
    expect(logs()[0]).toMatchObject({ outcome: 'skipped', reason: 's3:TestEvent' });
  });

  it.each([
    ['a key outside the input prefix', { key: 'elsewhere/a.csv' }],
    ['a folder marker', { key: 'incoming/folder/' }],
    ['a delete event', { key: 'incoming/a.csv', eventName: 'ObjectRemoved:Delete' }],
    ['another bucket than BUCKET_NAME', { key: 'incoming/a.csv', bucket: 'someone-else' }],
  ])('skips %s without reading it', async (_name, object) => {
    process.env.BUCKET_NAME = 'ingest-bucket';
    const response = await handler(sqsEvent(s3Notification(object)));
    expect(response.batchItemFailures).toEqual([]);
    expect(s3.calls()).toHaveLength(0);
    expect(logs()[0]).toMatchObject({ outcome: 'skipped' });
  });

  it("skips the worker's own outputs when the whole bucket is the input", async () => {
    process.env.INPUT_PREFIX = '';
    const response = await handler(sqsEvent(s3Notification({ key: 'predictions/a.csv.out' }, { key: 'errors/a.csv.json' })));
    expect(response.batchItemFailures).toEqual([]);
    expect(s3.calls()).toHaveLength(0);
  });

  it('skips an object deleted before it could be read', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404 } }));
    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv' })));
    expect(response.batchItemFailures).toEqual([]);
    expect(sagemaker.calls()).toHaveLength(0);
  });
});

describe('failures', () => {
  it('returns only the throttled message in batchItemFailures', async () => {
    s3.on(GetObjectCommand).resolves(objectBody('1,2', 'text/csv'));
    sagemaker.on(InvokeEndpointCommand)
      .resolvesOnce(prediction('[1]'))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
    process.env.MAX_CONCURRENCY = '1';
    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv' }), s3Notification({ key: 'incoming/b.csv' })));
    delete process.env.MAX_CONCURRENCY;
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-2' }]);
    expect(putInputs().map((input) => input.Key)).toEqual(['predictions/a.csv.out']);
    expect(logs().find((line) => line.key === 'incoming/b.csv')).toMatchObject({ outcome: 'retry', errorCode: 'Throttled', errorName: 'ThrottlingException' });
  });

  it('retries a model 5xx, which may be transient', async () => {
    s3.on(GetObjectCommand).resolves(objectBody('1,2', 'text/csv'));
    sagemaker.on(InvokeEndpointCommand).rejects(modelError(503));
    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv' })));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(putInputs()).toHaveLength(0);
  });

  it('retries when the model does not answer in time', async () => {
    process.env.INVOKE_TIMEOUT_MS = '20000';
    s3.on(GetObjectCommand).resolves(objectBody('1,2', 'text/csv'));
    sagemaker.on(InvokeEndpointCommand).callsFake(never);
    const response = await handleOnFakeClock(sqsEvent(s3Notification({ key: 'incoming/a.csv' })), 300_000, 20_000);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(logs()[0]).toMatchObject({ errorCode: 'Timeout', operation: 'InvokeEndpoint' });
  });

  it('writes an error report (with KMS) for a model 4xx and lets the message succeed', async () => {
    s3.on(GetObjectCommand).resolves(objectBody(`1,${SECRET}`, 'text/csv'));
    sagemaker.on(InvokeEndpointCommand).rejects(modelError(400));
    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv', versionId: 'v1' })));
    expect(response.batchItemFailures).toEqual([]);
    const [report] = putInputs();
    expect(report).toMatchObject({
      Bucket: 'ingest-bucket', Key: 'errors/incoming/a.csv.json', ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KMS_KEY,
    });
    expect(JSON.parse(String(report.Body))).toMatchObject({
      error: { code: 'ModelError', modelStatusCode: 400, modelMessage: `bad row: ${SECRET}` },
      source: { bucket: 'ingest-bucket', key: 'incoming/a.csv', versionId: 'v1' },
      endpointName: 'churn-endpoint',
      messageId: 'msg-1',
    });
    expect(logs()[0]).toMatchObject({ outcome: 'rejected', errorCode: 'ModelError', modelStatusCode: 400, errorReportKey: 'errors/incoming/a.csv.json' });
    expect(logLines.join('\n')).not.toContain(SECRET);
  });

  it('rejects an object larger than MAX_OBJECT_BYTES with an error report, without downloading it', async () => {
    process.env.MAX_OBJECT_BYTES = '100';
    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/huge.csv', size: 101 })));
    expect(response.batchItemFailures).toEqual([]);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(sagemaker.calls()).toHaveLength(0);
    const [report] = putInputs();
    expect(report.Key).toBe('errors/incoming/huge.csv.json');
    expect(JSON.parse(String(report.Body)).error).toEqual({
      code: 'ObjectTooLarge', message: 'The object has 101 bytes; the limit for one invocation is 100 bytes', size: 101, maxBytes: 100,
    });
  });

  it('also rejects an oversized object when only S3 knows its size', async () => {
    process.env.MAX_OBJECT_BYTES = '3';
    const destroy = jest.fn();
    s3.on(GetObjectCommand).resolves({ ContentLength: 10, Body: { destroy } as unknown as GetObjectCommandOutput['Body'] });
    const notification = JSON.parse(s3Notification({ key: 'incoming/a.csv' }));
    delete notification.Records[0].s3.object.size;
    const response = await handler(sqsEvent(JSON.stringify(notification)));
    expect(response.batchItemFailures).toEqual([]);
    expect(destroy).toHaveBeenCalled();
    expect(putInputs()[0].Key).toBe('errors/incoming/a.csv.json');
  });

  it('reports an empty object instead of invoking the model', async () => {
    s3.on(GetObjectCommand).resolves(objectBody('', 'text/csv'));
    await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv', size: 0 })));
    expect(sagemaker.calls()).toHaveLength(0);
    expect(JSON.parse(String(putInputs()[0].Body)).error.code).toBe('EmptyObject');
  });

  it('retries the message when the error report cannot be written', async () => {
    process.env.MAX_OBJECT_BYTES = '1';
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv', size: 2 })));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
  });

  it('retries when the prediction cannot be written', async () => {
    s3.on(GetObjectCommand).resolves(objectBody('1,2', 'text/csv'));
    sagemaker.on(InvokeEndpointCommand).resolves(prediction('[1]'));
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMS.DisabledException', $metadata: { httpStatusCode: 400 } }));
    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv' })));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
  });

  it('sends a message that is not an S3 notification to the retry path (and so to the dead-letter queue)', async () => {
    const response = await handler(sqsEvent('not json', JSON.stringify({ hello: 'world' })));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }, { itemIdentifier: 'msg-2' }]);
    expect(logs()[0]).toMatchObject({ level: 'error', errorCode: 'UnrecognizedMessage' });
  });

  it.each([
    ['an empty Records list', '{"Records":[]}', 'an empty Records list'],
    ['a list instead of an object', '[{}]', 'the body is not a JSON object'],
    ['an empty record', '{"Records":[{}]}', 'Records[0] is not an S3 object record'],
    ['a record without eventName', JSON.stringify({ Records: [{ s3: { bucket: { name: 'ingest-bucket' }, object: { key: 'incoming/a.csv' } } }] }), 'Records[0] is not an S3 object record'],
    ['a non-string key', JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'ingest-bucket' }, object: { key: 7 } } }] }), 'Records[0] is not an S3 object record'],
    ['an SNS envelope around something else', JSON.stringify({ Type: 'Notification', Message: 'hello' }), 'the body is not JSON'],
  ])('returns %s to the queue (dead-letter queue after the redrive count), never acknowledging it', async (_name, body, reason) => {
    const response = await handler(sqsEvent(body));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(logs()[0]).toMatchObject({ level: 'error', outcome: 'retry', errorCode: 'UnrecognizedMessage', reason });
    expect(s3.calls()).toHaveLength(0);
  });

  it('returns a message with one malformed record whole, without processing its readable records', async () => {
    const notification = JSON.parse(s3Notification({ key: 'incoming/a.csv' }, { key: 'incoming/b.csv' }));
    delete notification.Records[1].s3.bucket;
    s3.on(GetObjectCommand).resolves(objectBody('1,2', 'text/csv'));
    sagemaker.on(InvokeEndpointCommand).resolves(prediction('[1]'));
    const response = await handler(sqsEvent(JSON.stringify(notification), s3Notification({ key: 'incoming/c.csv' })));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(logs()[0]).toMatchObject({ messageId: 'msg-1', errorCode: 'UnrecognizedMessage', reason: 'Records[1] is not an S3 object record' });
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key)).toEqual(['incoming/c.csv']);
  });

  it('returns every message when ENDPOINT_NAME is missing, and logs why', async () => {
    delete process.env.ENDPOINT_NAME;
    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv' }), s3Notification({ key: 'incoming/b.csv' })));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }, { itemIdentifier: 'msg-2' }]);
    expect(logs()[0]).toMatchObject({ level: 'error', configProblems: ['ENDPOINT_NAME is not set'] });
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses an output prefix inside the input prefix, which would loop', async () => {
    process.env.OUTPUT_PREFIX = 'incoming/predictions/';
    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv' })));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(String(logs()[0].configProblems)).toContain('OUTPUT_PREFIX ("incoming/predictions/") is inside INPUT_PREFIX ("incoming/")');
  });
});

describe('deadlines', () => {
  it('cuts off a hanging error-report PutObject at the deadline and returns the message', async () => {
    process.env.MAX_OBJECT_BYTES = '1';
    s3.on(PutObjectCommand).callsFake(never);
    const response = await handleOnFakeClock(sqsEvent(s3Notification({ key: 'incoming/a.csv', size: 2 })), 10_000, 9_000);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    const options = (s3.send.getCall(0).args as unknown[])[1] as { abortSignal: AbortSignal };
    expect(options.abortSignal.aborted).toBe(true);
    expect(logs()[0]).toMatchObject({ outcome: 'retry', errorCode: 'ObjectTooLarge', reportErrorName: 'DeadlineExceeded' });
  });

  it('cuts off a stalled body download at the deadline and returns the message', async () => {
    s3.on(GetObjectCommand).resolves({ ContentLength: 3, Body: { transformToByteArray: never } as unknown as GetObjectCommandOutput['Body'] });
    const response = await handleOnFakeClock(sqsEvent(s3Notification({ key: 'incoming/a.csv' })), 10_000, 9_000);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(sagemaker.calls()).toHaveLength(0);
    expect(logs()[0]).toMatchObject({ outcome: 'retry', errorCode: 'Timeout', operation: 'GetObject' });
  });

  it('cuts off a hanging prediction PutObject at the deadline and returns the message', async () => {
    s3.on(GetObjectCommand).resolves(objectBody('1,2', 'text/csv'));
    sagemaker.on(InvokeEndpointCommand).resolves(prediction('[1]'));
    s3.on(PutObjectCommand).callsFake(never);
    const response = await handleOnFakeClock(sqsEvent(s3Notification({ key: 'incoming/a.csv' })), 10_000, 9_000);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(logs()[0]).toMatchObject({ outcome: 'retry', errorCode: 'Timeout', operation: 'PutObject' });
  });

  it('does not start an object with less than two seconds left: its message goes back untouched', async () => {
    const response = await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv' })), { getRemainingTimeInMillis: () => 1_500 } as Context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(s3.calls()).toHaveLength(0);
    expect(logs()[0]).toMatchObject({ outcome: 'retry', errorCode: 'OutOfTime', remainingMs: 1_500 });
  });
});

describe('logging', () => {
  it('logs one line per object and one per batch, with sizes and no payload', async () => {
    s3.on(GetObjectCommand).resolves(objectBody(`1,${SECRET}`, 'text/csv'));
    sagemaker.on(InvokeEndpointCommand).resolves(prediction(`{"echo":"${SECRET}"}`));
    await handler(sqsEvent(s3Notification({ key: 'incoming/a.csv' })));
    expect(logs()).toEqual([
      expect.objectContaining({
        level: 'info', message: 'object', messageId: 'msg-1', key: 'incoming/a.csv', outcome: 'predicted',
        payloadBytes: 1 + 1 + SECRET.length, outputKey: 'predictions/a.csv.out', modelLatencyMs: expect.any(Number),
      }),
      expect.objectContaining({ level: 'info', message: 'batch', messages: 1, objects: 1, retried: 0 }),
    ]);
    expect(logLines.join('\n')).not.toContain(SECRET);
  });
});
