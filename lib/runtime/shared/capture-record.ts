// Builds batch traffic records in SageMaker's data-capture format (one JSON line per inference, under YYYY/MM/DD/HH/),
// the one capture format our drift job reads on every cloud; shared by the GCP and Azure batch functions.
import { isJsonType, mediaType } from './content-type';

export interface CapturedPayload {
  readonly contentType: string;
  readonly body: Uint8Array;
}

type CaptureEncoding = 'CSV' | 'JSON' | 'BASE64';

/** One capture line (without the trailing newline). */
export function captureLine(eventId: string, inferenceTime: Date, input: CapturedPayload, output: CapturedPayload): string {
  return JSON.stringify({
    captureData: {
      endpointInput: capturedSide('INPUT', input),
      endpointOutput: capturedSide('OUTPUT', output),
    },
    eventMetadata: { eventId, inferenceTime: inferenceTime.toISOString() },
    eventVersion: '0',
  });
}

/** `<prefix>YYYY/MM/DD/HH/<id>.jsonl`, in UTC, as SageMaker partitions captures by hour. */
export function captureKey(prefix: string, inferenceTime: Date, id: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const t = inferenceTime;
  return `${prefix}${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}/${pad(t.getUTCHours())}/${id}.jsonl`;
}

function capturedSide(mode: 'INPUT' | 'OUTPUT', payload: CapturedPayload) {
  const { encoding, data } = encode(payload);
  return { observedContentType: payload.contentType, mode, data, encoding };
}

/** CSV and JSON travel as text, like SageMaker does; anything else (or bytes that are not UTF-8) as base64. */
function encode(payload: CapturedPayload): { encoding: CaptureEncoding; data: string } {
  const type = mediaType(payload.contentType);
  const textual: CaptureEncoding | undefined = type === 'text/csv' || type === 'application/csv'
    ? 'CSV'
    : isJsonType(type) || type === 'application/jsonlines' || type === 'application/x-ndjson' || type === 'application/x-jsonlines'
      ? 'JSON'
      : undefined;
  if (textual) {
    const text = utf8(payload.body);
    if (text !== undefined) return { encoding: textual, data: text };
  }
  return { encoding: 'BASE64', data: Buffer.from(payload.body).toString('base64') };
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
