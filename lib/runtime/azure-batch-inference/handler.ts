// Batch inference on Azure: for each blob created in the input container, reads it with the function's managed
// identity, POSTs it to the serving app's prediction route (PREDICT_PATH, default /invocations) with an Entra ID token, and writes the prediction, an
// error report (inputs the model can never score) or a capture record. Transient failures throw: Event Grid
// then redelivers the event and finally dead-letters it.
import { captureKey, captureLine } from '../shared/capture-record';
import {
  describeTransient, emptyInput, errorReport, inputContentType, inputTooLarge, invokeModel, PermanentFailure, skip,
  type LogEntry, type ModelTarget,
} from '../shared/batch-scoring';
import { withDeadline } from '../shared/deadline';
import { Env, integer, keyPrefix, optionalString, requiredString } from '../shared/env';
import { globalFetch, type HttpFetch } from '../shared/http';
import { BlobClient, managedIdentityToken } from './azure-apis';
import { AZURE_STORAGE_RESOURCE, type TokenProvider } from '../drift/cloud-tokens';
import { parseEvent, type BlobCreated } from './events';

/** Default input limit; one request body to the serving app. */
export const DEFAULT_MAX_OBJECT_BYTES = 10 * 1024 * 1024;
export const MAX_OBJECT_BYTES = 100 * 1024 * 1024;
/**
 * Event Grid waits 30 s for the function to answer, then redelivers. The default keeps one event inside that
 * window; longer timeouts work (results have fixed names, so a redelivery overwrites instead of duplicating)
 * but cost a second model call per event. Container Apps' ingress itself gives up after 240 s.
 */
export const DEFAULT_INVOKE_TIMEOUT_MS = 20_000;
export const MAX_INVOKE_TIMEOUT_MS = 230_000;
/** Per storage call: generous for 100 MiB in-region, short enough not to eat the event's time. */
const STORAGE_TIMEOUT_MS = 30_000;
/** Per managed-identity token request (the identity endpoint is local to the instance and answers in milliseconds). */
export const TOKEN_TIMEOUT_MS = 10_000;

export interface BatchConfig {
  readonly modelName?: string;
  /** Serving app base URL, without the trailing slash. */
  readonly servingUrl: string;
  /** The serving container's prediction route (`spec.serving.predictPath`). */
  readonly predictPath: string;
  /** Entra ID audience the serving app's authentication expects; no token is sent when unset (internal ingress). */
  readonly backendAudience?: string;
  /** `https://<account>.blob.core.windows.net` of the input (and output) account. */
  readonly accountUrl: string;
  readonly accountName: string;
  readonly inputContainer: string;
  readonly outputContainer: string;
  readonly outputPrefix: string;
  readonly errorContainer: string;
  readonly errorPrefix: string;
  /** Capture is off when undefined. */
  readonly capture?: { readonly accountUrl: string; readonly container: string; readonly prefix: string };
  readonly maxObjectBytes: number;
  readonly invokeTimeoutMs: number;
}

const BLOB_ENDPOINT = /^https:\/\/([a-z0-9]{3,24})\.blob\.[a-z0-9.-]+\/?$/;
const BLOB_FOLDER = /^(https:\/\/[a-z0-9]{3,24}\.blob\.[a-z0-9.-]+)\/([a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?)\/(.*)$/;

/** Reads the app settings the construct writes; problems are collected, never thrown. */
export function loadConfig(env: Env = process.env): { config: BatchConfig; problems: string[] } {
  const problems: string[] = [];
  const servingUrl = requiredString(env, 'SERVING_URL', problems).replace(/\/+$/, '');
  if (servingUrl && !/^https?:\/\/\S+$/.test(servingUrl)) problems.push(`SERVING_URL is ${JSON.stringify(servingUrl)}; expected an http(s) URL`);
  const predictPath = optionalString(env, 'PREDICT_PATH') ?? '/invocations';
  if (!/^\/[^\s?#]*$/.test(predictPath)) problems.push(`PREDICT_PATH is ${JSON.stringify(predictPath)}; expected an absolute URL path such as /invocations`);
  const accountUrl = requiredString(env, 'INPUT_ACCOUNT_URL', problems).replace(/\/+$/, '');
  const account = BLOB_ENDPOINT.exec(accountUrl)?.[1];
  if (accountUrl && !account) problems.push(`INPUT_ACCOUNT_URL is ${JSON.stringify(accountUrl)}; expected https://<account>.blob.core.windows.net/`);
  const inputContainer = requiredString(env, 'INPUT_CONTAINER', problems);
  const outputContainer = requiredString(env, 'OUTPUT_CONTAINER', problems);
  const errorContainer = optionalString(env, 'ERROR_CONTAINER') ?? outputContainer;
  const captureUri = optionalString(env, 'CAPTURE_URI');
  const capture = captureUri === undefined ? undefined : BLOB_FOLDER.exec(captureUri);
  if (captureUri !== undefined && !capture) problems.push(`CAPTURE_URI is ${JSON.stringify(captureUri)}; expected https://<account>.blob.core.windows.net/<container>/<prefix>/`);
  const config: BatchConfig = {
    modelName: optionalString(env, 'MODEL_NAME'),
    servingUrl,
    predictPath,
    backendAudience: optionalString(env, 'BACKEND_AUDIENCE'),
    accountUrl,
    accountName: account ?? '',
    inputContainer,
    outputContainer,
    outputPrefix: keyPrefix(env, 'OUTPUT_PREFIX', ''),
    errorContainer,
    errorPrefix: keyPrefix(env, 'ERROR_PREFIX', errorContainer === outputContainer ? 'errors/' : ''),
    capture: capture ? { accountUrl: capture[1], container: capture[2], prefix: keyPrefix({ P: capture[3] }, 'P', '') } : undefined,
    maxObjectBytes: integer(env, 'MAX_OBJECT_BYTES', DEFAULT_MAX_OBJECT_BYTES, 1, MAX_OBJECT_BYTES, problems),
    invokeTimeoutMs: integer(env, 'INVOKE_TIMEOUT_MS', DEFAULT_INVOKE_TIMEOUT_MS, 1000, MAX_INVOKE_TIMEOUT_MS, problems),
  };
  // A result written where inputs arrive would be scored again, forever.
  const outputs = [['OUTPUT_CONTAINER', outputContainer], ['ERROR_CONTAINER', errorContainer], ['CAPTURE_URI', config.capture?.container]] as const;
  for (const [name, container] of outputs) {
    if (container !== undefined && container === inputContainer) problems.push(`${name} (${JSON.stringify(container)}) is the input container; results would be scored again`);
  }
  if (errorContainer === outputContainer && config.errorPrefix === config.outputPrefix) {
    problems.push(`ERROR_PREFIX (${JSON.stringify(config.errorPrefix)}) equals OUTPUT_PREFIX in the same container; reports and predictions would mix`);
  }
  return { config, problems };
}

export type { LogEntry, Severity } from '../shared/batch-scoring';

/** Where log entries go: the invocation's logger in Azure (Application Insights traces), a stub in tests. */
export type Logger = (entry: LogEntry) => void;

export interface HandlerDeps {
  /** @default - process.env */
  readonly env?: Env;
  /** @default - the global fetch */
  readonly fetchFn?: HttpFetch;
  /** @default - the clock */
  readonly now?: () => Date;
}

/** How one delivery ended. `retry` is never returned: it is thrown, so Event Grid redelivers. */
export type Outcome = 'predicted' | 'rejected' | 'skipped';

/** Thrown for failures worth another delivery; Event Grid retries, then dead-letters the event. */
export class RetryableFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'RetryableFailure';
  }
}

/** Handles one Event Grid event; resolves with the outcome or throws a RetryableFailure. */
export type BatchHandler = (event: unknown, log: Logger) => Promise<Outcome>;

export function createBatchHandler(deps: HandlerDeps = {}): BatchHandler {
  const env = deps.env ?? process.env;
  const { config, problems } = loadConfig(env);
  const fetchFn = deps.fetchFn ?? globalFetch();
  const now = deps.now ?? (() => new Date());
  // Created once per instance: tokens are cached across invocations.
  const storageToken = managedIdentityToken(fetchFn, AZURE_STORAGE_RESOURCE, env);
  const input = new BlobClient(config.accountUrl, fetchFn, storageToken);
  const captureStore = config.capture
    ? (config.capture.accountUrl === config.accountUrl ? input : new BlobClient(config.capture.accountUrl, fetchFn, storageToken))
    : undefined;
  const model: ModelTarget = {
    fetchFn,
    servingUrl: config.servingUrl,
    predictPath: config.predictPath,
    timeoutMs: config.invokeTimeoutMs,
    // Every await of the handler runs under a deadline: the token request too, so a stuck identity endpoint ends in
    // a retry (and finally a dead letter) instead of an invocation that hangs until the host's timeout.
    token: config.backendAudience ? withTokenDeadline(managedIdentityToken(fetchFn, config.backendAudience, env)) : undefined,
  };

  return async (event, log) => {
    const started = performance.now();
    const parsed = parseEvent(event);
    if (parsed.kind === 'ignored') {
      // The subscription delivers BlobCreated only: anything else was routed here by mistake. Failing keeps it: Event
      // Grid retries, then writes it to the dead-letter container, instead of the event vanishing.
      log({ severity: 'ERROR', message: 'unexpected event', eventId: parsed.eventId, reason: parsed.reason, outcome: 'retry' });
      throw new RetryableFailure('UnexpectedEvent', `unexpected event: ${parsed.reason}`);
    }
    if (parsed.kind === 'invalid') {
      // Retried, then dead-lettered: the dead-letter container keeps the event for someone to look at.
      log({ severity: 'ERROR', message: 'unrecognized event', eventId: parsed.eventId, reason: parsed.reason, outcome: 'retry' });
      throw new RetryableFailure('InvalidEvent', `unrecognized event: ${parsed.reason}`);
    }
    const blob = parsed.blob;
    const fields: LogEntry = {
      severity: 'INFO', message: 'blob', eventId: blob.eventId, account: blob.account, container: blob.container,
      blobName: blob.name, model: config.modelName,
    };
    if (problems.length > 0) {
      // Retried, so the events wait (and end dead-lettered) until the app settings are fixed.
      log({ ...fields, severity: 'ERROR', message: 'configuration', configProblems: problems, outcome: 'retry' });
      throw new RetryableFailure('Configuration', `batch inference is misconfigured: ${problems.join('; ')}`);
    }
    let outcome: Outcome;
    try {
      outcome = await score(blob, fields);
    } catch (error) {
      if (!(error instanceof PermanentFailure)) throw retry(error, fields, started, log);
      fields.errorCode = error.code;
      try {
        outcome = await reportError(blob, error, fields);
      } catch (reportFailure) {
        // A failure is never silent: without its report, the event is retried.
        throw retry(reportFailure, fields, started, log);
      }
    }
    fields.outcome = outcome;
    fields.latencyMs = Math.round(performance.now() - started);
    fields.severity = outcome === 'rejected' ? 'WARNING' : 'INFO';
    log(fields);
    return outcome;
  };

  async function score(blob: BlobCreated, fields: LogEntry): Promise<Outcome> {
    // A blob of another account or container means a misrouted subscription: dead-lettered, never dropped.
    if (blob.account !== config.accountName) throw new MisroutedEvent(`account is not ${config.accountName}`);
    if (blob.container !== config.inputContainer) throw new MisroutedEvent(`container is not ${config.inputContainer}`);
    if (blob.name.endsWith('/')) return skip(fields, 'folder placeholder');

    const tooLarge = (size: number) => inputTooLarge('blob', size, config.maxObjectBytes);
    // Refused before downloading when storage announced the size.
    if (blob.contentLength !== undefined && blob.contentLength > config.maxObjectBytes) throw tooLarge(blob.contentLength);

    const read = await withDeadline(STORAGE_TIMEOUT_MS, (signal) => input.read(config.inputContainer, blob.name, blob.eTag, config.maxObjectBytes, signal));
    if ('missing' in read) return skip(fields, read.missing === 'deleted' ? 'blob no longer exists' : 'blob was replaced since the event (its own event scores it)');
    if ('tooLarge' in read) throw tooLarge(read.tooLarge);
    fields.payloadBytes = read.body.byteLength;
    if (read.body.byteLength === 0) throw emptyInput('blob');
    const contentType = inputContentType(blob.contentType ?? read.contentType, blob.name);
    fields.contentType = contentType;

    const inferenceTime = now();
    const prediction = await invokeModel(model, { body: read.body, contentType }, fields);

    const outputName = `${config.outputPrefix}${blob.name}.out`;
    await withDeadline(STORAGE_TIMEOUT_MS, (signal) => input.write(config.outputContainer, outputName, prediction.body, prediction.contentType, signal));
    fields.outputName = `${config.outputContainer}/${outputName}`;

    if (captureStore && config.capture) {
      // Named by the event (its hour and id), so a redelivery overwrites its own record instead of adding one.
      // Best effort, like SageMaker data capture: a lost record must not re-run a prediction already written.
      const captureName = captureKey(config.capture.prefix, blob.eventTime, blob.eventId);
      const line = captureLine(blob.eventId, inferenceTime, { contentType, body: read.body }, prediction);
      try {
        await withDeadline(STORAGE_TIMEOUT_MS, (signal) => captureStore.write(config.capture!.container, captureName, `${line}\n`, 'application/jsonlines', signal));
        fields.captureName = `${config.capture.container}/${captureName}`;
      } catch (error) {
        fields.captureError = error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300);
      }
    }
    return 'predicted';
  }

  /** Writes `<error container>/<error prefix><blob name>.json`. */
  async function reportError(blob: BlobCreated, failure: PermanentFailure, fields: LogEntry): Promise<Outcome> {
    const reportName = `${config.errorPrefix}${blob.name}.json`;
    const report = errorReport(failure, { account: blob.account, container: blob.container, name: blob.name, eTag: blob.eTag },
      { model: config.modelName, eventId: blob.eventId, time: now() });
    await withDeadline(STORAGE_TIMEOUT_MS, (signal) => input.write(config.errorContainer, reportName, report, 'application/json', signal));
    fields.errorReportName = `${config.errorContainer}/${reportName}`;
    return 'rejected';
  }
}

/** An event for a blob this function does not score (another account or container). */
class MisroutedEvent extends Error {
  readonly name = 'MisroutedEvent';
}

/** A token provider whose every request is bounded by TOKEN_TIMEOUT_MS. */
function withTokenDeadline(provider: TokenProvider): TokenProvider {
  return () => withDeadline(TOKEN_TIMEOUT_MS, () => provider());
}

/** Logs a transient failure and returns the error to throw, so Event Grid redelivers the event. */
function retry(error: unknown, fields: LogEntry, started: number, log: Logger): RetryableFailure {
  const { errorCode, errorMessage, ...call } = error instanceof MisroutedEvent
    ? { errorCode: 'MisroutedEvent', errorMessage: `misrouted event: ${error.message}` }
    : describeTransient(error);
  Object.assign(fields, call);
  log({ ...fields, severity: 'WARNING', errorCode, errorMessage, outcome: 'retry', latencyMs: Math.round(performance.now() - started) });
  return new RetryableFailure(errorCode, errorMessage);
}
