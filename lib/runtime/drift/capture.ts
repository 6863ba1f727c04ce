// Parses SageMaker data-capture JSON lines, the one capture format every stack of ours writes (AWS natively,
// the GCP and Azure serving containers by imitation), into feature rows. Bad lines become reasons, never throws.
import { parseCsvRecord } from './csv';
import { isJsonObject } from '../shared/json-value';

/** One inference row: positional (CSV, JSON arrays) or keyed by feature name (JSON objects). */
export type CaptureRow =
  | { readonly kind: 'positional'; readonly values: readonly unknown[] }
  | { readonly kind: 'keyed'; readonly values: Readonly<Record<string, unknown>> };

export interface CaptureRecord {
  readonly rows: readonly CaptureRow[];
  /** eventMetadata.inferenceTime, when the line carries one. */
  readonly inferenceTime?: Date;
  readonly eventId?: string;
  /** eventMetadata.inferenceId: the InferenceId the caller passed to InvokeEndpoint, when it did. */
  readonly inferenceId?: string;
}

/**
 * InferenceId prefix of the requests our scheduled explain job sends to the endpoint. Data capture records them like
 * any request; the drift, quality and explain jobs leave them out, so the job's permuted rows are never mistaken for
 * traffic (they would look like drift).
 */
export const EXPLAIN_INFERENCE_ID_PREFIX = 'deploy-ai-smarter-explain-';

/** Whether a captured record is one of our own explain job's requests rather than traffic. */
export function isOwnExplainRequest(record: CaptureRecord): boolean {
  return record.inferenceId?.startsWith(EXPLAIN_INFERENCE_ID_PREFIX) === true;
}

export type CaptureParseResult = { readonly ok: true; readonly record: CaptureRecord } | { readonly ok: false; readonly reason: string };

/** Which side of the exchange to analyze: the request features (default) or the model's predictions. */
export type CapturePart = 'input' | 'output';

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

/** Parses one capture line. */
export function parseCaptureLine(line: string, part: CapturePart = 'input'): CaptureParseResult {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return bad('not valid JSON');
  }
  if (!isJsonObject(event) || !isJsonObject(event.captureData)) return bad('no "captureData" object');
  const side = part === 'input' ? 'endpointInput' : 'endpointOutput';
  const payload = event.captureData[side];
  if (!isJsonObject(payload)) return bad(`no "captureData.${side}" object`);
  if (typeof payload.data !== 'string') return bad(`"captureData.${side}.data" is not a string`);
  const contentType = typeof payload.observedContentType === 'string' ? payload.observedContentType.toLowerCase() : '';
  const encoding = typeof payload.encoding === 'string' ? payload.encoding.toUpperCase() : '';

  let text = payload.data;
  let kind: 'csv' | 'json' | 'jsonlines';
  if (encoding === 'CSV') kind = 'csv';
  else if (encoding === 'JSON') kind = contentType.includes('jsonlines') || contentType.includes('ndjson') ? 'jsonlines' : 'json';
  else if (encoding === 'BASE64' || encoding === '') {
    if (encoding === 'BASE64') {
      if (!BASE64.test(text)) return bad(`"captureData.${side}.data" is not valid base64`);
      text = Buffer.from(text, 'base64').toString('utf8');
    }
    if (contentType.includes('csv')) kind = 'csv';
    else if (contentType.includes('jsonlines') || contentType.includes('ndjson')) kind = 'jsonlines';
    else if (contentType.includes('json')) kind = 'json';
    else return bad(`content type ${JSON.stringify(contentType || 'missing')} is not CSV or JSON`);
  } else {
    return bad(`encoding ${JSON.stringify(payload.encoding)} is not CSV, JSON or BASE64`);
  }

  let rows: CaptureRow[];
  if (kind === 'csv') {
    const parsed = parseCsvRows(text);
    if (typeof parsed === 'string') return bad(parsed);
    rows = parsed;
  } else {
    rows = [];
    const documents = kind === 'jsonlines' ? text.split(/\r?\n/).filter((l) => l.trim().length > 0) : [text];
    for (const doc of documents) {
      let value: unknown;
      try {
        value = JSON.parse(doc);
      } catch {
        return bad(`"captureData.${side}.data" is not valid JSON`);
      }
      rows.push(...jsonRows(value));
    }
  }
  if (rows.length === 0) return bad(`"captureData.${side}.data" holds no rows`);

  const metadata = isJsonObject(event.eventMetadata) ? event.eventMetadata : {};
  let inferenceTime: Date | undefined;
  if (metadata.inferenceTime !== undefined) {
    inferenceTime = typeof metadata.inferenceTime === 'string' ? new Date(metadata.inferenceTime) : undefined;
    if (!inferenceTime || Number.isNaN(inferenceTime.getTime())) return bad('"eventMetadata.inferenceTime" is not an ISO 8601 time');
  }
  const eventId = typeof metadata.eventId === 'string' ? metadata.eventId : undefined;
  const inferenceId = typeof metadata.inferenceId === 'string' ? metadata.inferenceId : undefined;
  return { ok: true, record: { rows, inferenceTime, eventId, inferenceId } };
}

// A CSV payload may carry several rows (a batch request), one per line; quoted newlines are honoured.
function parseCsvRows(text: string): CaptureRow[] | string {
  const rows: CaptureRow[] = [];
  let pending: string | undefined;
  for (const line of text.split('\n')) {
    const candidate = pending === undefined ? line : `${pending}\n${line}`;
    if (pending === undefined && candidate.trim().length === 0) continue;
    const fields = parseCsvRecord(candidate);
    if (fields === undefined) {
      pending = candidate;
      continue;
    }
    pending = undefined;
    rows.push({ kind: 'positional', values: fields });
  }
  if (pending !== undefined) return 'CSV data has a quoted field that never closes';
  return rows;
}

// The JSON shapes model servers take and return: {"instances": [...]} and {"predictions": [...]} (one row per
// element, so a batch's predictions are rows), {"features": [...]}, arrays of rows, flat objects, scalars.
function jsonRows(value: unknown): CaptureRow[] {
  if (isJsonObject(value) && Array.isArray(value.instances)) return value.instances.flatMap((instance) => oneRow(instance));
  if (isJsonObject(value) && Array.isArray(value.predictions)) return value.predictions.flatMap((prediction) => oneRow(prediction));
  if (Array.isArray(value) && value.length > 0 && value.every((v) => Array.isArray(v) || isJsonObject(v))) return value.flatMap((v) => oneRow(v));
  return oneRow(value);
}

function oneRow(value: unknown): CaptureRow[] {
  if (Array.isArray(value)) return [{ kind: 'positional', values: value }];
  if (isJsonObject(value)) {
    if (Array.isArray(value.features)) return [{ kind: 'positional', values: value.features }];
    return [{ kind: 'keyed', values: value }];
  }
  return [{ kind: 'positional', values: [value] }];
}

function bad(reason: string): CaptureParseResult {
  return { ok: false, reason };
}
