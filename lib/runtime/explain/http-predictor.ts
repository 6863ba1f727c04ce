// Calls a model that follows our serving contract (POST /invocations, CSV or JSON in, predictions out) in
// batches, and reads one number per row from whatever shape it answers (parsed as captured outputs are).
import { EXPLAIN_INFERENCE_ID_PREFIX, parseCaptureLine } from '../drift/capture';
import { isJsonObject } from '../shared/json-value';
import { predictionRecords, readAttribute, toNumber } from '../quality/predictions';
import type { FeatureRow, FeatureValue, Predict } from './importance';

/** The part of fetch the predictor uses; tests pass a stub. */
export type PredictFetch = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/**
 * Request header carrying `deploy-ai-smarter-explain-<n>` on every call: a serving container that records it as the
 * capture record's `eventMetadata.inferenceId` keeps the job's permuted rows out of drift, quality and explain.
 */
export const INFERENCE_ID_HEADER = 'X-Inference-Id';

export interface HttpPredictorOptions {
  /**
   * The endpoint's base URL. Without `predictPath`, `/invocations` is appended unless the URL already ends with it.
   */
  readonly endpointUrl: string;
  /** The model's predict route (spec.serving.predictPath), appended to the base URL. @default '/invocations' */
  readonly predictPath?: string;
  /**
   * Tags every call with `<header>: deploy-ai-smarter-explain-<n>` (EXPLAIN_INFERENCE_ID_PREFIX) so the capture
   * of a container that records it is skipped by drift, quality and explain.
   * @default - no tag
   */
  readonly inferenceIdHeader?: string;
  /** Bearer token fetched before each call (it may refresh). @default - none (or one in `headers`) */
  readonly token?: () => Promise<string>;
  /** `text/csv` (rows as CSV lines) or `application/json` (`{"instances": [[...], ...]}`). @default 'text/csv' */
  readonly contentType?: string;
  /** Extra request headers, e.g. `Authorization: Bearer ...`. @default - none */
  readonly headers?: Readonly<Record<string, string>>;
  /** Rows per request. @default 100 */
  readonly batchSize?: number;
  /** Where the number to explain is in each prediction (CSV column index or JSON path). @default - see numericPrediction */
  readonly inferenceAttribute?: string;
  /** Per request. @default 60000 */
  readonly timeoutMs?: number;
  /** @default - the global fetch */
  readonly fetch?: PredictFetch;
}

/** Keys read, in order, from a JSON prediction object when no attribute is set. */
export const SCORE_KEYS = ['score', 'probability', 'prediction', 'predicted_value', 'value', 'predicted_label'] as const;

/** A Predict function over HTTP. */
export function httpPredictor(options: HttpPredictorOptions): Predict {
  const base = options.endpointUrl.replace(/\/+$/, '');
  const url = options.predictPath !== undefined ? `${base}${options.predictPath}`
    : /\/invocations\/?$/.test(options.endpointUrl) ? options.endpointUrl : `${base}/invocations`;
  let calls = 0;
  const contentType = options.contentType ?? 'text/csv';
  const json = contentType.toLowerCase().includes('json');
  const batchSize = options.batchSize ?? 100;
  const doFetch: PredictFetch = options.fetch ?? ((u, init) => fetch(u, init));
  return async (rows) => {
    const out: number[] = [];
    for (let start = 0; start < rows.length; start += batchSize) {
      const batch = rows.slice(start, start + batchSize);
      const body = json ? JSON.stringify({ instances: batch }) : batch.map(csvLine).join('\n');
      const headers: Record<string, string> = { 'Content-Type': contentType, Accept: 'text/csv, application/json', ...options.headers };
      if (options.inferenceIdHeader) headers[options.inferenceIdHeader] = `${EXPLAIN_INFERENCE_ID_PREFIX}${(calls += 1)}`;
      if (options.token) headers.Authorization = `Bearer ${await options.token()}`;
      const response = await doFetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`POST ${url}: HTTP ${response.status}: ${text.slice(0, 200)}`);
      out.push(...parsePredictions(text, response.headers.get('content-type') ?? '', batch.length, options.inferenceAttribute));
    }
    return out;
  };
}

/** Reads `expected` numbers from a response body, in row order; throws with the reason when it cannot. */
export function parsePredictions(text: string, contentType: string, expected: number, inferenceAttribute?: string): number[] {
  // The response is read exactly as a captured endpointOutput, so both accept the same shapes.
  const encoding = contentType.toLowerCase().includes('json') ? 'JSON' : 'CSV';
  const parsed = parseCaptureLine(JSON.stringify({ captureData: { endpointOutput: { observedContentType: contentType, mode: 'OUTPUT', data: text, encoding } } }), 'output');
  if (!parsed.ok) throw new Error(`the model's answer cannot be read: ${parsed.reason.replace('"captureData.endpointOutput.data"', 'the body')}`);
  const records = predictionRecords(parsed.record.rows, expected);
  if (typeof records === 'string') throw new Error(`the model's answer holds ${records}`);
  return records.map((record, i) => {
    const value = numericPrediction(record, inferenceAttribute);
    if (value === undefined) throw new Error(`prediction ${i} (${JSON.stringify(record)}) holds no number${inferenceAttribute === undefined ? '; set the inference attribute' : ` at ${JSON.stringify(inferenceAttribute)}`}`);
    return value;
  });
}

/**
 * The number explained for one prediction: the attribute's value when set; a number; an object's first key of
 * SCORE_KEYS; for a pair of class probabilities, the second (the positive class).
 */
export function numericPrediction(record: unknown, inferenceAttribute?: string): number | undefined {
  let value = inferenceAttribute === undefined ? record : readAttribute(record, inferenceAttribute);
  if (inferenceAttribute === undefined && isJsonObject(value)) {
    const object = value;
    value = SCORE_KEYS.map((k) => object[k]).find((v) => v !== undefined && v !== null);
  }
  if (Array.isArray(value)) value = value.length === 2 ? value[1] : undefined;
  return toNumber(value);
}

function csvLine(row: FeatureRow): string {
  return row.map(csvField).join(',');
}

function csvField(value: FeatureValue): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `Name: value` -> a header entry, or undefined when the text is not a header. */
export function parseHeader(text: string): { name: string; value: string } | undefined {
  const match = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/.exec(text.trim());
  return match ? { name: match[1], value: match[2] } : undefined;
}
