// Batch inference worker: consumes S3 object-created notifications from SQS, runs each new input object
// through the SageMaker endpoint and writes the prediction (or an error report) back to the bucket.
// Messages that hit a transient failure, and messages it cannot read, are reported back to SQS (batch item
// failures), so they alone are retried and, after the queue's maxReceiveCount, land in its dead-letter queue:
// nothing a producer sends is dropped. Only S3's own `s3:TestEvent` is acknowledged without work. Every AWS call
// (and reading a body) runs under the invocation's deadline.
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { GetObjectCommand, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import type { Context, S3EventRecord, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { classifyError, truncate, type ClassifiedFailure } from '../shared/aws-errors';
import { mediaType, typeFromExtension } from '../shared/content-type';
import { budgetMs, withDeadline } from '../shared/deadline';
import { integer, keyPrefix, optionalString, requiredString, type Env } from '../shared/env';
import { elapsedMs, logJson, type LogFields } from '../shared/log';

// Created once per container; warm invocations reuse connections and credentials.
const sagemaker = new SageMakerRuntimeClient({});
const s3 = new S3Client({});

/** SageMaker real-time payloads are limited to 6 MB. */
export const DEFAULT_MAX_OBJECT_BYTES = 6 * 1024 * 1024;
/** SageMaker ends a real-time invocation after 60 s; a little more lets its own ModelError arrive first. */
export const DEFAULT_INVOKE_TIMEOUT_MS = 65_000;
/** An object is not started with less time left than this: its message goes back to the queue instead. */
export const MIN_MS_TO_START = 2_000;

export interface BatchConfig {
  readonly endpointName: string;
  readonly inputPrefix: string;
  readonly outputPrefix: string;
  readonly errorPrefix: string;
  readonly maxObjectBytes: number;
  readonly invokeTimeoutMs: number;
  readonly concurrency: number;
  readonly kmsKeyId?: string;
  readonly bucketName?: string;
  readonly targetVariant?: string;
}

/** Reads the environment contract (a few look-ups per batch, so tests can vary it freely). */
export function loadConfig(env: Env = process.env): { config: BatchConfig; problems: string[] } {
  const problems: string[] = [];
  const config: BatchConfig = {
    endpointName: requiredString(env, 'ENDPOINT_NAME', problems),
    inputPrefix: keyPrefix(env, 'INPUT_PREFIX', 'incoming/'),
    outputPrefix: keyPrefix(env, 'OUTPUT_PREFIX', 'predictions/'),
    errorPrefix: keyPrefix(env, 'ERROR_PREFIX', 'errors/'),
    maxObjectBytes: integer(env, 'MAX_OBJECT_BYTES', DEFAULT_MAX_OBJECT_BYTES, 1, 1024 * 1024 * 1024, problems),
    invokeTimeoutMs: integer(env, 'INVOKE_TIMEOUT_MS', DEFAULT_INVOKE_TIMEOUT_MS, 1, 900_000, problems),
    concurrency: integer(env, 'MAX_CONCURRENCY', 4, 1, 100, problems),
    kmsKeyId: optionalString(env, 'KMS_KEY_ID'),
    bucketName: optionalString(env, 'BUCKET_NAME'),
    targetVariant: optionalString(env, 'TARGET_VARIANT'),
  };
  // Outputs written under the input prefix would trigger this worker again, forever.
  for (const [name, prefix] of [['OUTPUT_PREFIX', config.outputPrefix], ['ERROR_PREFIX', config.errorPrefix]] as const) {
    if (prefix.startsWith(config.inputPrefix) && (config.inputPrefix !== '' || prefix === '')) {
      problems.push(`${name} (${JSON.stringify(prefix)}) is inside INPUT_PREFIX (${JSON.stringify(config.inputPrefix)}); predictions would re-trigger the worker`);
    }
  }
  return { config, problems };
}

/** What happened to one S3 object (or one message that carried none). */
type Outcome = 'predicted' | 'rejected' | 'skipped' | 'retry';

/** A failure that is the input's fault: reported in the bucket, and the message is done. */
class PermanentFailure extends Error {
  constructor(readonly code: string, message: string, readonly details: Record<string, string | number | undefined> = {}) {
    super(message);
  }
}

/** A failure worth retrying (throttling, 5xx, timeouts, configuration being fixed): the message goes back to SQS. */
class TransientFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  const started = performance.now();
  const records = event.Records ?? [];
  const { config, problems } = loadConfig();
  if (problems.length > 0) {
    // Every message goes back: they reach the dead-letter queue intact and can be redriven once fixed.
    logJson('error', 'configuration', { configProblems: problems, messages: records.length });
    return { batchItemFailures: records.map((record) => ({ itemIdentifier: record.messageId })) };
  }
  const deadline = Date.now() + (context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY);
  const outcomes = await mapWithConcurrency(records, config.concurrency, (record) => processMessage(record, config, deadline));
  const batchItemFailures = records
    .filter((_, index) => outcomes[index].includes('retry'))
    .map((record) => ({ itemIdentifier: record.messageId }));
  logJson(batchItemFailures.length > 0 ? 'warn' : 'info', 'batch', {
    messages: records.length,
    objects: outcomes.reduce((sum, list) => sum + list.length, 0),
    retried: batchItemFailures.length,
    latencyMs: elapsedMs(started),
  });
  return { batchItemFailures };
}

/** Handles one SQS message; returns the outcome of each S3 record it carried. Never throws. */
async function processMessage(record: SQSRecord, config: BatchConfig, deadline: number): Promise<Outcome[]> {
  const read = readMessage(record.body);
  if (read.kind === 'test') {
    logJson('info', 'object', { messageId: record.messageId, outcome: 'skipped', reason: 's3:TestEvent' });
    return [];
  }
  if (read.kind === 'unreadable') {
    // Retried, so it ends in the dead-letter queue where someone can look at it. The body is never logged.
    logJson('error', 'object', { messageId: record.messageId, outcome: 'retry', errorCode: 'UnrecognizedMessage', reason: read.reason });
    return ['retry'];
  }
  const outcomes: Outcome[] = [];
  for (const s3Record of read.records) {
    const remainingMs = deadline - Date.now();
    if (remainingMs < MIN_MS_TO_START) {
      // Too little time for another object: the message comes back whole rather than Lambda cutting it off.
      logJson('warn', 'object', { messageId: record.messageId, outcome: 'retry', errorCode: 'OutOfTime', remainingMs });
      outcomes.push('retry');
      break;
    }
    outcomes.push(await processObject(s3Record, record.messageId, config, deadline));
  }
  return outcomes;
}

/** What a message body holds: S3 object records, S3's test event, or something this worker cannot read. */
export type MessageContent =
  | { readonly kind: 'records'; readonly records: S3EventRecord[] }
  | { readonly kind: 'test' }
  | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * Reads a notification body, unwrapping an SNS envelope (S3 -> SNS -> SQS fan-out). A message is unreadable as a
 * whole when it is not JSON, has no records, or any of its records is not an S3 object record: none of it is
 * processed, so the dead-letter queue keeps it exactly as it was sent.
 */
export function readMessage(body: string): MessageContent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'unreadable', reason: 'the body is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'unreadable', reason: 'the body is not a JSON object' };
  const message = parsed as { Type?: unknown; Message?: unknown; Event?: unknown; Records?: unknown };
  if (message.Type === 'Notification' && typeof message.Message === 'string') return readMessage(message.Message);
  if (message.Event === 's3:TestEvent') return { kind: 'test' };
  if (!Array.isArray(message.Records)) return { kind: 'unreadable', reason: 'no Records list' };
  if (message.Records.length === 0) return { kind: 'unreadable', reason: 'an empty Records list' };
  const bad = message.Records.findIndex((item) => !isS3ObjectRecord(item));
  if (bad >= 0) return { kind: 'unreadable', reason: `Records[${bad}] is not an S3 object record` };
  return { kind: 'records', records: message.Records as S3EventRecord[] };
}

function isS3ObjectRecord(item: unknown): boolean {
  const record = item as { eventName?: unknown; s3?: { bucket?: { name?: unknown }; object?: { key?: unknown } } } | null;
  return typeof record === 'object' && record !== null && typeof record.eventName === 'string'
    && typeof record.s3?.bucket?.name === 'string' && typeof record.s3.object?.key === 'string';
}

async function processObject(record: S3EventRecord, messageId: string, config: BatchConfig, deadline: number): Promise<Outcome> {
  const started = performance.now();
  const bucket = record.s3.bucket.name;
  const versionId = record.s3.object.versionId || undefined;
  const log: LogFields = { messageId, bucket, eventName: record.eventName, versionId };
  let outcome: Outcome;
  let key: string | undefined;
  try {
    // S3 URL-encodes keys in notifications, with '+' for spaces.
    key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    log.key = key;
    outcome = await predict(record, bucket, key, versionId, config, deadline, log);
  } catch (error) {
    if (error instanceof PermanentFailure && key !== undefined) {
      log.errorCode = error.code;
      outcome = await reportError(bucket, key, versionId, error, config, messageId, deadline, log);
    } else if (error instanceof TransientFailure) {
      log.errorCode = error.code;
      outcome = 'retry';
    } else {
      // Undecodable key or a bug of ours: retry, so the message is kept (dead-letter queue) rather than lost.
      log.errorCode = error instanceof URIError ? 'UndecodableKey' : 'InternalError';
      log.errorMessage = error instanceof Error ? truncate(error.message, 300) : undefined;
      outcome = 'retry';
    }
  }
  log.outcome = outcome;
  log.latencyMs = elapsedMs(started);
  logJson(outcome === 'retry' ? 'warn' : 'info', 'object', log);
  return outcome;
}

async function predict(
  record: S3EventRecord, bucket: string, key: string, versionId: string | undefined,
  config: BatchConfig, deadline: number, log: LogFields,
): Promise<Outcome> {
  if (!record.eventName?.startsWith('ObjectCreated:')) return skip(log, 'not an object-created event');
  if (config.bucketName && bucket !== config.bucketName) return skip(log, `bucket is not ${config.bucketName}`);
  if (!key.startsWith(config.inputPrefix)) return skip(log, `key is not under ${config.inputPrefix}`);
  if (key.endsWith('/')) return skip(log, 'folder marker');
  // With the whole bucket as input, our own outputs come back as events: never predict on them.
  if ((config.outputPrefix && key.startsWith(config.outputPrefix)) || (config.errorPrefix && key.startsWith(config.errorPrefix))) return skip(log, 'key is an output of this worker');

  const tooLarge = (size: number) => new PermanentFailure('ObjectTooLarge',
    `The object has ${size} bytes; the limit for one invocation is ${config.maxObjectBytes} bytes`,
    { size, maxBytes: config.maxObjectBytes });
  const announcedSize = record.s3.object.size;
  // Checked before reading: an oversized object is refused without downloading it.
  if (typeof announcedSize === 'number' && announcedSize > config.maxObjectBytes) throw tooLarge(announcedSize);

  // The body is read under the same deadline as the request: a stalled download must not outlive it.
  const read = await call('GetObject', deadline, config.invokeTimeoutMs, async (abortSignal) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }), { abortSignal });
    if (object.ContentLength !== undefined && object.ContentLength > config.maxObjectBytes) {
      discard(object.Body);
      return { object, body: undefined };
    }
    return { object, body: object.Body ? await object.Body.transformToByteArray() : new Uint8Array() };
  }, log);
  if (read === undefined) return skip(log, 'object no longer exists');
  const { object, body } = read;
  if (body === undefined) throw tooLarge(object.ContentLength ?? 0);
  log.payloadBytes = body.byteLength;
  if (body.byteLength === 0) throw new PermanentFailure('EmptyObject', 'The object is empty; there is nothing to predict on');
  if (body.byteLength > config.maxObjectBytes) throw tooLarge(body.byteLength);

  const contentType = contentTypeOf(object.ContentType, key);
  log.contentType = contentType;
  const modelStarted = performance.now();
  const output = await call('InvokeEndpoint', deadline, config.invokeTimeoutMs, (abortSignal) => sagemaker.send(new InvokeEndpointCommand({
    EndpointName: config.endpointName,
    Body: body,
    ContentType: contentType,
    TargetVariant: config.targetVariant,
  }), { abortSignal }), log);
  log.modelLatencyMs = elapsedMs(modelStarted);
  if (output === undefined) throw new TransientFailure('InvokeFailed', 'InvokeEndpoint returned nothing');

  const outputKey = `${config.outputPrefix}${key.slice(config.inputPrefix.length)}.out`;
  const prediction = output.Body ?? new Uint8Array();
  await call('PutObject', deadline, config.invokeTimeoutMs, (abortSignal) => s3.send(new PutObjectCommand({
    Bucket: bucket,
    Key: outputKey,
    Body: prediction,
    ContentType: output.ContentType ?? 'application/octet-stream',
    // Metadata must be ASCII, and keys may not be: hence the encoding.
    Metadata: { 'source-key': encodeURIComponent(key), ...(versionId ? { 'source-version-id': versionId } : {}) },
    ...encryption(config),
  }), { abortSignal }), log);
  log.outputKey = outputKey;
  log.responseBytes = prediction.byteLength;
  log.invokedVariant = output.InvokedProductionVariant;
  return 'predicted';
}

/**
 * Runs one AWS call within the time left, and sorts its failure:
 * the input's fault -> PermanentFailure; anything that may heal (throttling, 5xx, timeouts, access
 * being fixed, a missing endpoint being deployed) -> TransientFailure; a vanished object -> undefined.
 */
async function call<T>(
  operation: string, deadline: number, timeoutMs: number,
  send: (abortSignal: AbortSignal) => Promise<T>, log: LogFields,
): Promise<T | undefined> {
  try {
    return await withDeadline(budgetMs(timeoutMs, deadline - Date.now()), send);
  } catch (error) {
    const failure = classifyError(error);
    log.operation = operation;
    log.errorName = failure.errorName;
    log.awsStatus = failure.httpStatus;
    if (failure.kind === 'notFound' && operation === 'GetObject') return undefined;
    if (isPermanent(failure)) {
      log.modelStatusCode = failure.modelStatusCode;
      log.modelLogStream = failure.logStreamArn;
      throw failure.kind === 'model'
        ? new PermanentFailure('ModelError', `The model rejected the input with status ${failure.modelStatusCode}`,
          { modelStatusCode: failure.modelStatusCode, modelMessage: failure.modelMessage })
        : new PermanentFailure('InvalidRequest', `${operation} rejected the input: ${failure.message}`);
    }
    // The model's own message may echo the input: only the service's message for non-model errors is logged.
    if (failure.kind !== 'model') log.errorMessage = failure.message;
    throw new TransientFailure(failure.kind === 'timeout' ? 'Timeout' : failure.kind === 'throttled' ? 'Throttled' : 'UpstreamError',
      `${operation} failed: ${failure.errorName}`);
  }
}

/** 4xx answers from the model and SageMaker validation errors will fail again on retry; everything else may not. */
function isPermanent(failure: ClassifiedFailure): boolean {
  if (failure.kind === 'validation') return true;
  return failure.kind === 'model' && failure.modelStatusCode !== undefined
    && failure.modelStatusCode >= 400 && failure.modelStatusCode < 500 && failure.modelStatusCode !== 429;
}

/** Writes `${ERROR_PREFIX}<key>.json` describing why the object got no prediction. */
async function reportError(
  bucket: string, key: string, versionId: string | undefined, failure: PermanentFailure,
  config: BatchConfig, messageId: string, deadline: number, log: LogFields,
): Promise<Outcome> {
  const reportKey = `${config.errorPrefix}${key}.json`;
  const report = {
    error: { code: failure.code, message: failure.message, ...failure.details },
    source: { bucket, key, versionId },
    endpointName: config.endpointName,
    messageId,
    time: new Date().toISOString(),
  };
  try {
    await withDeadline(budgetMs(config.invokeTimeoutMs, deadline - Date.now()), (abortSignal) => s3.send(new PutObjectCommand({
      Bucket: bucket,
      Key: reportKey,
      Body: JSON.stringify(report, null, 2),
      ContentType: 'application/json',
      ...encryption(config),
    }), { abortSignal }));
  } catch (error) {
    // Without the report the failure would be invisible: retry the message instead.
    const classified = classifyError(error);
    log.reportErrorName = classified.errorName;
    log.errorMessage = classified.message;
    return 'retry';
  }
  log.errorReportKey = reportKey;
  return 'rejected';
}

function encryption(config: BatchConfig): Pick<PutObjectCommandInput, 'ServerSideEncryption' | 'SSEKMSKeyId'> {
  return config.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: config.kmsKeyId } : {};
}

/** The object's own Content-Type unless it is S3's generic default, else a guess from the extension. */
function contentTypeOf(objectType: string | undefined, key: string): string {
  const declared = mediaType(objectType);
  if (declared && declared !== 'binary/octet-stream' && declared !== 'application/octet-stream') return declared;
  return typeFromExtension(key) ?? 'application/octet-stream';
}

function skip(log: LogFields, reason: string): Outcome {
  log.reason = reason;
  return 'skipped';
}

/** Releases the socket of a response body we decided not to read. */
function discard(body: unknown): void {
  const stream = body as { destroy?: () => void } | undefined;
  if (typeof stream?.destroy === 'function') stream.destroy();
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
