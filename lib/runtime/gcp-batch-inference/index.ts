// Batch inference on GCP (Cloud Functions gen2, Node.js 22): for each object finalized under INPUT_PREFIX, reads
// it from GCS, posts it to the Cloud Run model's PREDICT_PATH (default /invocations), writes the prediction (or an error report) back,
// and records the exchange in SageMaker capture format for the drift job. Transient failures answer 500 so
// Pub/Sub (or Eventarc) retries and finally dead-letters; inputs the model rejects are reported and acknowledged.
import { randomUUID } from 'node:crypto';
import {
  describeTransient, emptyInput, errorReport, inputContentType, inputTooLarge, invokeModel, PermanentFailure, skip,
  type LogEntry, type ModelTarget,
} from '../shared/batch-scoring';
import { withDeadline } from '../shared/deadline';
import { integer, keyPrefix, optionalString, requiredString, type Env } from '../shared/env';
import { captureKey, captureLine } from '../shared/capture-record';
import { parseCloudEvent, parseRequest, type HttpRequest, type ObjectEvent, type ParsedEvent } from './events';
import { globalFetch, type HttpFetch } from '../shared/http';
import { GcsClient, gcpIdentityToken } from './google-apis';

/** Default input limit; Cloud Run refuses HTTP/1 requests over 32 MiB, which is also the largest allowed. */
export const DEFAULT_MAX_OBJECT_BYTES = 10 * 1024 * 1024;
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
/** Cloud Run's default request timeout. */
export const DEFAULT_INVOKE_TIMEOUT_MS = 300_000;
/** Per GCS call: generous for 32 MiB, short enough that a stuck call cannot eat the function's timeout. */
const STORAGE_TIMEOUT_MS = 60_000;

export interface BatchConfig {
  readonly modelName?: string;
  readonly servingUrl: string;
  /** The model's prediction route (`PREDICT_PATH`, from `spec.serving.predictPath`). */
  readonly predictPath: string;
  /** When set, events of other buckets are skipped. */
  readonly inputBucket?: string;
  /** @default - the bucket of the input */
  readonly outputBucket?: string;
  readonly inputPrefix: string;
  readonly outputPrefix: string;
  readonly errorPrefix: string;
  /** Capture is off when undefined. */
  readonly capturePrefix?: string;
  readonly maxObjectBytes: number;
  readonly invokeTimeoutMs: number;
  /**
   * How events arrive (`DELIVERY`). Pub/Sub push dead-letters what keeps failing, so an unreadable message is
   * answered 400 (retried, then dead-lettered). Eventarc cannot dead-letter: an unreadable event is written to an
   * error record under `ERROR_PREFIX` instead, then acknowledged.
   */
  readonly delivery: 'pubsub-dead-letter' | 'eventarc';
}

/** Reads the environment contract; problems are collected, never thrown. */
export function loadConfig(env: Env = process.env): { config: BatchConfig; problems: string[] } {
  const problems: string[] = [];
  const servingUrl = requiredString(env, 'SERVING_URL', problems).replace(/\/+$/, '');
  if (servingUrl && !/^https?:\/\/\S+$/.test(servingUrl)) problems.push(`SERVING_URL is ${JSON.stringify(servingUrl)}; expected an http(s) URL`);
  const predictPath = optionalString(env, 'PREDICT_PATH') ?? '/invocations';
  if (!/^\/\S*$/.test(predictPath) || predictPath.includes('?')) problems.push(`PREDICT_PATH is ${JSON.stringify(predictPath)}; expected an absolute path such as "/invocations"`);
  const capture = optionalString(env, 'CAPTURE_PREFIX');
  const config: BatchConfig = {
    modelName: optionalString(env, 'MODEL_NAME'),
    servingUrl,
    predictPath,
    inputBucket: optionalString(env, 'INPUT_BUCKET'),
    outputBucket: optionalString(env, 'OUTPUT_BUCKET'),
    inputPrefix: keyPrefix(env, 'INPUT_PREFIX', 'incoming/'),
    outputPrefix: keyPrefix(env, 'OUTPUT_PREFIX', 'predictions/'),
    errorPrefix: keyPrefix(env, 'ERROR_PREFIX', 'errors/'),
    capturePrefix: capture === undefined ? undefined : keyPrefix({ CAPTURE_PREFIX: capture }, 'CAPTURE_PREFIX', ''),
    maxObjectBytes: integer(env, 'MAX_OBJECT_BYTES', DEFAULT_MAX_OBJECT_BYTES, 1, MAX_REQUEST_BYTES, problems),
    invokeTimeoutMs: integer(env, 'INVOKE_TIMEOUT_MS', DEFAULT_INVOKE_TIMEOUT_MS, 1000, 3_600_000, problems),
    delivery: optionalString(env, 'DELIVERY') === 'eventarc' ? 'eventarc' : 'pubsub-dead-letter',
  };
  const delivery = optionalString(env, 'DELIVERY');
  if (delivery !== undefined && delivery !== 'eventarc' && delivery !== 'pubsub-dead-letter') {
    problems.push(`DELIVERY is ${JSON.stringify(delivery)}; expected "pubsub-dead-letter" or "eventarc"`);
  }
  // Results written under the input prefix would be scored again, forever.
  const outputs = [['OUTPUT_PREFIX', config.outputPrefix], ['ERROR_PREFIX', config.errorPrefix], ['CAPTURE_PREFIX', config.capturePrefix]] as const;
  for (const [name, prefix] of outputs) {
    if (prefix !== undefined && (prefix === '' || config.inputPrefix === '' || prefix.startsWith(config.inputPrefix))) {
      problems.push(`${name} (${JSON.stringify(prefix)}) overlaps INPUT_PREFIX (${JSON.stringify(config.inputPrefix)}); results would be scored again`);
    }
  }
  return { config, problems };
}

export type { LogEntry, Severity } from '../shared/batch-scoring';

/** One JSON line on stdout: Cloud Logging reads `severity` and `message` and keeps the rest as jsonPayload. */
export function writeLog(entry: LogEntry): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

/** What the Functions Framework (Express) response offers. */
export interface HttpResponse {
  status(code: number): { send(body?: string): unknown };
}

export interface HandlerDeps {
  /** @default - process.env */
  readonly env?: Env;
  /** @default - the global fetch */
  readonly fetchFn?: HttpFetch;
  /** @default - the clock */
  readonly now?: () => Date;
  /** @default - crypto.randomUUID */
  readonly newId?: () => string;
  /** @default - JSON lines on stdout */
  readonly log?: (entry: LogEntry) => void;
}

/** The result of one delivery, and the HTTP status that tells Pub/Sub or Eventarc what to do with it. */
export type Outcome = 'predicted' | 'rejected' | 'skipped' | 'retry' | 'invalid';
const STATUS: Readonly<Record<Outcome, number>> = { predicted: 204, rejected: 204, skipped: 204, retry: 500, invalid: 400 };

/** Callback of the `cloudevent` signature type (callback style, chosen by the framework for 2-argument functions). */
type DoneCallback = (error?: Error | null) => void;

/**
 * The function entry point. Normally an HTTP function (`(req, res)`); if the platform runs it with the
 * `cloudevent` signature instead, it receives `(cloudEvent, callback)` and answers through the callback.
 */
export type BatchFunction = (input: HttpRequest | Record<string, unknown>, reply?: HttpResponse | DoneCallback) => Promise<void>;

export function createBatchHandler(deps: HandlerDeps = {}): BatchFunction {
  const { config, problems } = loadConfig(deps.env ?? process.env);
  const fetchFn = deps.fetchFn ?? globalFetch();
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const log = deps.log ?? writeLog;
  // Created once per instance: tokens are cached across requests.
  const gcs = new GcsClient(fetchFn);
  const model: ModelTarget = {
    fetchFn, servingUrl: config.servingUrl, predictPath: config.predictPath, timeoutMs: config.invokeTimeoutMs, token: gcpIdentityToken(fetchFn, config.servingUrl),
  };

  async function handle(parsed: ParsedEvent, raw: RawRequest): Promise<Outcome> {
    const started = performance.now();
    if (parsed.kind === 'invalid') return recordInvalid(parsed, raw);
    if (parsed.kind === 'ignored') {
      log({ severity: 'INFO', message: 'event skipped', eventId: parsed.eventId, reason: parsed.reason, outcome: 'skipped' });
      return 'skipped';
    }
    const event = parsed.event;
    const fields: LogEntry = {
      severity: 'INFO', message: 'object', eventId: event.eventId, delivery: event.delivery, bucket: event.bucket,
      objectName: event.name, generation: event.generation, deliveryAttempt: event.deliveryAttempt, model: config.modelName,
    };
    if (problems.length > 0) {
      // Retried, so the events wait (and end in the dead-letter topic) until the configuration is fixed.
      log({ ...fields, severity: 'ERROR', message: 'configuration', configProblems: problems, outcome: 'retry' });
      return 'retry';
    }
    let outcome: Outcome;
    try {
      outcome = await score(event, fields);
    } catch (error) {
      if (error instanceof PermanentFailure) {
        fields.errorCode = error.code;
        outcome = await reportError(event, error, fields);
      } else {
        Object.assign(fields, describeTransient(error));
        outcome = 'retry';
      }
    }
    fields.outcome = outcome;
    fields.latencyMs = Math.round(performance.now() - started);
    fields.severity = outcome === 'retry' || outcome === 'rejected' ? 'WARNING' : 'INFO';
    log(fields);
    return outcome;
  }

  async function score(event: ObjectEvent, fields: LogEntry): Promise<Outcome> {
    if (config.inputBucket && event.bucket !== config.inputBucket) return skip(fields, `bucket is not ${config.inputBucket}`);
    if (!event.name.startsWith(config.inputPrefix)) return skip(fields, `object is not under ${config.inputPrefix}`);
    if (event.name.endsWith('/')) return skip(fields, 'folder placeholder');

    const tooLarge = (size: number) => inputTooLarge('object', size, config.maxObjectBytes);
    // Refused before downloading when GCS announced the size.
    if (event.size !== undefined && event.size > config.maxObjectBytes) throw tooLarge(event.size);

    const object = await withDeadline(STORAGE_TIMEOUT_MS, (signal) => gcs.read(event.bucket, event.name, event.generation, config.maxObjectBytes, signal));
    if (object === undefined) return skip(fields, 'object (generation) no longer exists');
    if ('tooLarge' in object) throw tooLarge(object.tooLarge);
    fields.payloadBytes = object.body.byteLength;
    if (object.body.byteLength === 0) throw emptyInput('object');
    const contentType = inputContentType(event.contentType ?? object.contentType, event.name);
    fields.contentType = contentType;

    const inferenceTime = now();
    const prediction = await invokeModel(model, { body: object.body, contentType }, fields);

    const outputBucket = config.outputBucket ?? event.bucket;
    const outputName = `${config.outputPrefix}${event.name.slice(config.inputPrefix.length)}.out`;
    await withDeadline(STORAGE_TIMEOUT_MS, (signal) => gcs.write(outputBucket, outputName, prediction.body, prediction.contentType, signal));
    fields.outputName = outputName;

    if (config.capturePrefix !== undefined) {
      // Best effort, like SageMaker data capture: a lost capture line must not re-run a prediction already written.
      const captureName = captureKey(config.capturePrefix, inferenceTime, newId());
      const line = captureLine(event.eventId, inferenceTime, { contentType, body: object.body }, prediction);
      try {
        await withDeadline(STORAGE_TIMEOUT_MS, (signal) => gcs.write(outputBucket, captureName, `${line}\n`, 'application/jsonlines', signal));
        fields.captureName = captureName;
      } catch (error) {
        fields.captureError = error instanceof Error ? error.message : String(error);
      }
    }
    return 'predicted';
  }

  /** Writes `${ERROR_PREFIX}<object name>.json`; if that fails, the event is retried so the failure is never silent. */
  async function reportError(event: ObjectEvent, failure: PermanentFailure, fields: LogEntry): Promise<Outcome> {
    const reportName = `${config.errorPrefix}${event.name}.json`;
    const report = errorReport(failure, { bucket: event.bucket, name: event.name, generation: event.generation },
      { model: config.modelName, eventId: event.eventId, time: now() });
    try {
      await withDeadline(STORAGE_TIMEOUT_MS, (signal) => gcs.write(config.outputBucket ?? event.bucket, reportName, report, 'application/json', signal));
    } catch (error) {
      Object.assign(fields, describeTransient(error));
      return 'retry';
    }
    fields.errorReportName = reportName;
    return 'rejected';
  }

  /**
   * Nothing a producer sends is dropped unread. Pub/Sub push: answered 400, so Pub/Sub retries it and finally moves
   * it to the dead-letter topic, where someone can look. Eventarc has no dead-letter topic and drops an event after
   * 24 h of retries: the request is written to `<ERROR_PREFIX>invalid-events/<id>.json` first, then acknowledged
   * (retried while that write fails).
   */
  async function recordInvalid(parsed: { reason: string; eventId?: string }, raw: RawRequest): Promise<Outcome> {
    const fields: LogEntry = { severity: 'ERROR', message: 'unrecognized request', eventId: parsed.eventId, reason: parsed.reason, delivery: config.delivery, model: config.modelName };
    const bucket = config.outputBucket ?? config.inputBucket;
    if (config.delivery !== 'eventarc' || bucket === undefined) {
      log({ ...fields, outcome: 'invalid' });
      return 'invalid';
    }
    const recordName = `${config.errorPrefix}invalid-events/${(parsed.eventId ?? newId()).replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
    const time = now();
    const record = errorReport(new PermanentFailure('InvalidEvent', parsed.reason), {}, { model: config.modelName, eventId: parsed.eventId ?? '', time });
    const body = JSON.stringify({ ...JSON.parse(record) as object, request: raw }, null, 2);
    try {
      await withDeadline(STORAGE_TIMEOUT_MS, (signal) => gcs.write(bucket, recordName, body, 'application/json', signal));
    } catch (error) {
      log({ ...fields, ...describeTransient(error), outcome: 'retry' });
      return 'retry';
    }
    log({ ...fields, errorReportName: recordName, outcome: 'rejected' });
    return 'rejected';
  }

  async function reply(parsed: ParsedEvent, raw: RawRequest): Promise<{ status: number; outcome: Outcome }> {
    const outcome = await handle(parsed, raw);
    return { status: STATUS[outcome], outcome };
  }

  return async (input, replyTo) => {
    if (isHttpRequest(input) && replyTo !== undefined && typeof replyTo !== 'function') {
      const { status, outcome } = await reply(parseRequest(input), rawRequest(input.headers, input.body ?? input.rawBody));
      replyTo.status(status).send(status === 204 ? undefined : outcome);
      return;
    }
    const { status, outcome } = await reply(parseCloudEvent(input), rawRequest({}, input));
    const error = status >= 400 ? new Error(`batch inference: ${outcome}`) : null;
    if (typeof replyTo === 'function') {
      replyTo(error);
      return;
    }
    if (error) throw error;
  };
}

/** What an error record keeps of an unreadable request: its CloudEvent and content headers, and its first 64 KiB. */
type RawRequest = { headers: Record<string, string>; body?: string; bodyBytes?: number };
const MAX_RECORDED_BODY_CHARS = 64 * 1024;

function rawRequest(headers: HttpRequest['headers'], body: unknown): RawRequest {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && (name.toLowerCase().startsWith('ce-') || name.toLowerCase() === 'content-type')) kept[name] = String(value);
  }
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = Buffer.from(body).toString('utf8');
  else if (body !== undefined) text = JSON.stringify(body);
  return text === undefined ? { headers: kept } : { headers: kept, body: text.slice(0, MAX_RECORDED_BODY_CHARS), bodyBytes: Buffer.byteLength(text) };
}

function isHttpRequest(input: unknown): input is HttpRequest {
  return typeof input === 'object' && input !== null && typeof (input as { headers?: unknown }).headers === 'object';
}

/** The entry point (`entryPoint: 'batchInference'`), configured from the environment once per instance. */
export const batchInference: BatchFunction = (input, replyTo) => handler()(input, replyTo);

let instance: BatchFunction | undefined;
function handler(): BatchFunction {
  instance ??= createBatchHandler();
  return instance;
}
