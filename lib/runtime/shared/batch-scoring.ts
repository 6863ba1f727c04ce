// The cloud-neutral steps of the GCP and Azure batch functions: calling the serving container's prediction route,
// telling inputs the model can never score (reported, then done) from transient failures (retried), the error
// report's shape, and the log entry both fill in. Storage, tokens and event parsing stay in each cloud's folder.
import type { TokenProvider } from '../drift/cloud-tokens';
import { mediaType, typeFromExtension } from './content-type';
import { DeadlineExceededError, withDeadline } from './deadline';
import { CallError, type HttpFetch } from './http';

export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
export type LogEntry = { severity: Severity; message: string } & Record<string, string | number | boolean | undefined | readonly string[]>;

/** A failure that retrying cannot fix (the input's fault): reported next to the outputs, and the event is done. */
export class PermanentFailure extends Error {
  constructor(readonly code: string, message: string, readonly details: Record<string, string | number | undefined> = {}) {
    super(message);
  }
}

/** An input over the size limit; `noun` is what the cloud calls it (`object`, `blob`). */
export function inputTooLarge(noun: string, size: number, maxBytes: number): PermanentFailure {
  return new PermanentFailure('ObjectTooLarge', `The ${noun} has ${size} bytes; the limit for one invocation is ${maxBytes} bytes`, { size, maxBytes });
}

/** An empty input: nothing to send to the model. */
export function emptyInput(noun: string): PermanentFailure {
  return new PermanentFailure('EmptyObject', `The ${noun} is empty; there is nothing to predict on`);
}

/** 4xx answers that will fail again on retry. 401/403/404 mean our deployment is wrong, 408/429 are load: retried. */
export function isInputRejection(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 403, 404, 408, 429].includes(status);
}

/** The input's own type unless it is the generic default, else a guess from the name's extension. */
export function inputContentType(declared: string | undefined, name: string): string {
  const type = mediaType(declared);
  if (declared && type && type !== 'application/octet-stream' && type !== 'binary/octet-stream') return declared.trim();
  return typeFromExtension(name) ?? 'application/octet-stream';
}

/** Records why an event was skipped. */
export function skip(fields: LogEntry, reason: string): 'skipped' {
  fields.reason = reason;
  return 'skipped';
}

/** The serving container to call, and how. */
export interface ModelTarget {
  readonly fetchFn: HttpFetch;
  /** Base URL, without the trailing slash. */
  readonly servingUrl: string;
  /** Path of the prediction route (`spec.serving.predictPath`). @default '/invocations' */
  readonly predictPath?: string;
  readonly timeoutMs: number;
  /** Bearer token for the serving app; no Authorization header when undefined. */
  readonly token?: TokenProvider;
}

export interface ModelOutput {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/**
 * POSTs the input to `<servingUrl><predictPath>` (default `/invocations`) within the timeout, recording the model's status, latency and
 * response size in `fields`. An input rejection throws a PermanentFailure, any other error answer a CallError.
 * The timeout covers every awaited step, the token request included: a metadata server or identity endpoint that
 * never answers must not hold the function until the platform kills it.
 */
export async function invokeModel(target: ModelTarget, input: ModelOutput, fields: LogEntry): Promise<ModelOutput> {
  const started = performance.now();
  const output = await withDeadline(target.timeoutMs, async (signal) => {
    const headers: Record<string, string> = { 'Content-Type': input.contentType };
    if (target.token) headers.Authorization = `Bearer ${await target.token()}`;
    const response = await target.fetchFn(`${target.servingUrl}${target.predictPath ?? '/invocations'}`, { method: 'POST', headers, body: input.body, signal });
    fields.modelStatus = response.status;
    if (response.ok) {
      return { body: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
    }
    // The model's message may echo the input: it goes into the error report, never into the logs.
    const detail = (await response.text().catch(() => '')).slice(0, 1024);
    if (isInputRejection(response.status)) {
      throw new PermanentFailure('ModelRejectedInput', `The model answered HTTP ${response.status}`, { modelStatus: response.status, modelMessage: detail || undefined });
    }
    throw new CallError('InvokeModel', `the model answered HTTP ${response.status}`, response.status);
  });
  fields.modelLatencyMs = Math.round(performance.now() - started);
  fields.responseBytes = output.body.byteLength;
  return output;
}

/** The JSON error report written for a permanent failure; `source` names the input the way its cloud does. */
export function errorReport(
  failure: PermanentFailure,
  source: Readonly<Record<string, string | undefined>>,
  context: { readonly model?: string; readonly eventId: string; readonly time: Date },
): string {
  const report = {
    error: { code: failure.code, message: failure.message, ...failure.details },
    source,
    model: context.model,
    eventId: context.eventId,
    time: context.time.toISOString(),
  };
  return JSON.stringify(report, null, 2);
}

/** How a transient failure is logged: a code to alert on, a short message and, for HTTP calls, which one failed. */
export interface TransientFailure {
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly operation?: string;
  readonly upstreamStatus?: number;
}

export function describeTransient(error: unknown): TransientFailure {
  const errorMessage = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  if (error instanceof CallError) {
    const errorCode = error.status === undefined ? 'Unreachable' : error.status === 429 ? 'Throttled' : 'UpstreamError';
    return { errorCode, operation: error.operation, upstreamStatus: error.status, errorMessage };
  }
  if (error instanceof DeadlineExceededError) return { errorCode: 'Timeout', errorMessage };
  // Network failures (fetch's TypeError), token errors, or a bug of ours: retried, never dropped.
  return { errorCode: error instanceof TypeError ? 'NetworkError' : 'InternalError', errorMessage };
}
