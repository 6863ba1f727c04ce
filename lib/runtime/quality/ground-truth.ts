// Parses ground-truth label lines in SageMaker Model Monitor's merge format: users upload them after the fact
// under `ground-truth/YYYY/MM/DD/HH/` (the hour the labels were collected, not the hour of the inference), one
// JSON object per line, and the job joins them with captured predictions on the event id.
//
// Format, from "Ingest Ground Truth labels and merge them with predictions" in the SageMaker developer guide
// (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-merge.html):
//   {"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": "aaaa-bbbb-cccc"}, "eventVersion": "0"}
// `eventId` holds the capture's eventId, or the caller's inferenceId when the request carried one; `data` holds
// only the label. We also accept `encoding: "JSON"` (a label or an array of labels) and `"BASE64"` (CSV inside),
// and several labels (one per CSV line or JSON array element) for a captured batch request of several rows.
import { parseCsvRecord } from '../drift/csv';
import { isJsonObject } from '../shared/json-value';

export interface GroundTruthRecord {
  /** The event id (or inference id) the labels belong to. */
  readonly eventId: string;
  /** One raw label per request row, in row order. */
  readonly labels: readonly unknown[];
}

export type GroundTruthParseResult = { readonly ok: true; readonly record: GroundTruthRecord } | { readonly ok: false; readonly reason: string };

/** Parses one ground-truth line; a bad line becomes a reason, never a throw. */
export function parseGroundTruthLine(line: string): GroundTruthParseResult {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return bad('not valid JSON');
  }
  if (!isJsonObject(event) || !isJsonObject(event.groundTruthData)) return bad('no "groundTruthData" object');
  const metadata = event.eventMetadata;
  const eventId = isJsonObject(metadata) ? metadata.eventId : undefined;
  if (typeof eventId !== 'string' || eventId.length === 0) return bad('no "eventMetadata.eventId" string');
  const { data, encoding } = event.groundTruthData;
  const enc = typeof encoding === 'string' ? encoding.toUpperCase() : 'CSV';
  if (typeof data === 'number' || typeof data === 'boolean') return { ok: true, record: { eventId, labels: [data] } };
  if (typeof data !== 'string') return bad('"groundTruthData.data" is not a string');

  let labels: unknown[] | string;
  if (enc === 'CSV') labels = csvLabels(data);
  else if (enc === 'BASE64') labels = csvLabels(Buffer.from(data, 'base64').toString('utf8'));
  else if (enc === 'JSON') labels = jsonLabels(data);
  else return bad(`encoding ${JSON.stringify(encoding)} is not CSV, JSON or BASE64`);
  if (typeof labels === 'string') return bad(labels);
  if (labels.length === 0) return bad('"groundTruthData.data" holds no label');
  return { ok: true, record: { eventId, labels } };
}

// One label per line; a line is one CSV field (quoted if it holds a comma).
function csvLabels(text: string): unknown[] | string {
  const labels: unknown[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim().length === 0) continue;
    const fields = parseCsvRecord(line);
    if (fields === undefined) return 'CSV label has a quoted field that never closes';
    if (fields.length !== 1) return `CSV label line has ${fields.length} fields; expected the label only`;
    labels.push(fields[0].trim());
  }
  return labels;
}

function jsonLabels(text: string): unknown[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return '"groundTruthData.data" is not valid JSON';
  }
  const labels = Array.isArray(value) ? value : [value];
  if (labels.some((l) => l === null || typeof l === 'object')) return '"groundTruthData.data" holds an object or null; expected a label or an array of labels';
  return labels;
}

function bad(reason: string): GroundTruthParseResult {
  return { ok: false, reason };
}
