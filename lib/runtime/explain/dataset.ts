// Reads the rows `explain` sends to the model from a CSV file: streamed line by line, an optional header, an
// optional numeric label column (left out of the features), and a seeded uniform sample of the rows.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CsvRecordReader } from '../drift/csv';
import { toNumber } from '../quality/predictions';
import { Reservoir, seededRandom } from '../shared/seeded-random';

export interface DatasetOptions {
  /** The first line names the columns; without it columns are `_c0`, `_c1`, ... @default false */
  readonly header?: boolean;
  /** The label column: a name (with a header) or a 0-based index. @default - none */
  readonly labelColumn?: string;
  /** Rows kept (uniformly sampled). @default 200 */
  readonly sample?: number;
  /** @default 1 */
  readonly seed?: number;
  /** @default ',' */
  readonly delimiter?: string;
}

export interface DatasetSample {
  readonly features: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly labels?: readonly number[];
  /** Data rows in the file. */
  readonly totalRows: number;
}

/** A bad dataset: the message names the file and line. */
export class DatasetReadError extends Error {}

export async function readDatasetSample(file: string, options: DatasetOptions = {}): Promise<DatasetSample> {
  const reader = new CsvRecordReader(options.delimiter ?? ',');
  const reservoir = new Reservoir<{ features: string[]; label?: number }>(options.sample ?? 200, seededRandom(options.seed ?? 1));
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let columns: string[] | undefined;
  let labelIndex = -1;
  let lineNumber = 0;
  let firstLine = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (firstLine === 0 && line.trim().length === 0) continue;
    const record = reader.push(line);
    if (!record.complete) continue;
    if (firstLine === 0) firstLine = lineNumber;
    const fields = record.fields;
    if (columns === undefined) {
      columns = options.header ? fields.map((f) => f.trim()) : fields.map((_, i) => `_c${i}`);
      labelIndex = labelColumnIndex(columns, options, file);
      if (options.header) continue;
    }
    if (fields.length === 1 && fields[0].trim() === '') continue;
    if (fields.length !== columns.length) throw new DatasetReadError(`${file}:${lineNumber}: ${fields.length} fields; expected ${columns.length}`);
    let label: number | undefined;
    if (labelIndex >= 0) {
      label = toNumber(fields[labelIndex]);
      if (label === undefined) throw new DatasetReadError(`${file}:${lineNumber}: label ${JSON.stringify(fields[labelIndex])} is not a number`);
    }
    reservoir.add({ features: fields.filter((_, i) => i !== labelIndex), label });
  }
  if (reader.hasUnterminatedRecord) throw new DatasetReadError(`${file}: a quoted field never closes`);
  if (columns === undefined || reservoir.seen === 0) throw new DatasetReadError(`${file}: no data rows`);
  return {
    features: columns.filter((_, i) => i !== labelIndex),
    rows: reservoir.items.map((r) => r.features),
    labels: labelIndex >= 0 ? reservoir.items.map((r) => r.label!) : undefined,
    totalRows: reservoir.seen,
  };
}

function labelColumnIndex(columns: readonly string[], options: DatasetOptions, file: string): number {
  if (options.labelColumn === undefined) return -1;
  const byName = columns.indexOf(options.labelColumn);
  if (byName >= 0) return byName;
  const index = /^\d+$/.test(options.labelColumn) ? Number(options.labelColumn) : -1;
  if (index >= 0 && index < columns.length) return index;
  throw new DatasetReadError(`${file}: no label column ${JSON.stringify(options.labelColumn)}; columns are ${columns.join(', ')}`);
}
