// Builds a Model Monitor data-quality baseline (statistics.json + constraints.json) from a training file,
// streamed line by line so memory stays flat whatever the file size.
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { CsvRecordReader } from './csv';
import { FeatureProfile, ProfileOptions, DEFAULT_PROFILE_OPTIONS } from './feature-profile';
import { ConstraintsFile, DEFAULT_MONITORING_CONFIG, StatisticsFile } from './model-monitor-format';
import { DEFAULT_MISSING_VALUES, classifyValue, missingValueSet } from './value-types';
import { isJsonObject } from '../shared/json-value';

export type DatasetFormat = 'csv' | 'jsonl';

export interface BaselineOptions {
  /**
   * Input format.
   * @default - from the file extension (.csv, .tsv -> csv; .jsonl, .ndjson, .json -> jsonl)
   */
  readonly format?: DatasetFormat;
  /**
   * Whether the first CSV line names the columns.
   * @default false - columns are named _c0, _c1, ... as Model Monitor names headerless CSV columns
   */
  readonly header?: boolean;
  /** @default ',' ('\t' for .tsv files) */
  readonly delimiter?: string;
  /**
   * Columns to leave out (e.g. the label, which inference requests do not carry): names, or zero-based
   * indexes for headerless CSV and array rows. Headerless columns are renumbered after exclusion, so the
   * baseline lines up with captured requests.
   * @default - none
   */
  readonly exclude?: readonly string[];
  /** @default - DEFAULT_PROFILE_OPTIONS (100 categorical buckets, domains up to 50 values, 10 numeric buckets) */
  readonly profile?: Partial<ProfileOptions>;
  /** Name used in error messages. @default 'input' */
  readonly sourceName?: string;
  /**
   * Text values counted as missing (the empty string always is). Pass the same list to the drift job.
   * @default DEFAULT_MISSING_VALUES ('', NA, N/A, NaN, nan, null, NULL, None)
   */
  readonly missingValues?: readonly string[];
}

export interface Baseline {
  readonly statistics: StatisticsFile;
  readonly constraints: ConstraintsFile;
  /** Things worth a look that did not stop the baseline (e.g. a first CSV row that looks like a header). */
  readonly warnings?: readonly string[];
}

/** A training file the baseline cannot read (bad JSON, ragged CSV...): the message names file and line. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** Most features a baseline accepts: a guard against a JSON file whose keys are data, not column names. */
export const MAX_FEATURES = 10_000;

/** Profiles a dataset streamed from `input` (bytes or text, one record per line). */
export async function createBaseline(input: Readable, options: BaselineOptions = {}): Promise<Baseline> {
  const format = options.format ?? 'csv';
  const source = options.sourceName ?? 'input';
  const profileOptions: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, ...options.profile };
  const exclude = new Set(options.exclude ?? []);
  const missing = missingValueSet(options.missingValues ?? DEFAULT_MISSING_VALUES);
  let firstRow: readonly string[] | undefined;
  const profiles: FeatureProfile[] = [];
  const byName = new Map<string, FeatureProfile>();
  let itemCount = 0;
  let lineNumber = 0;
  let recordStartLine = 1;
  let header: string[] | undefined;
  let keptIndexes: number[] | undefined;
  let rowShape: 'array' | 'object' | undefined;
  const csv = new CsvRecordReader(options.delimiter ?? ',');

  let columnCount = 0;
  function fail(line: number, message: string): never {
    throw new DatasetError(`${source}:${line}: ${message}`);
  }
  const profileFor = (name: string, line: number): FeatureProfile => {
    let profile = byName.get(name);
    if (!profile) {
      if (profiles.length >= MAX_FEATURES) fail(line, `more than ${MAX_FEATURES} features; expected a table with named columns`);
      profile = new FeatureProfile(name);
      profiles.push(profile);
      byName.set(name, profile);
    }
    return profile;
  };
  // Positional rows (headerless CSV, JSON arrays): the kept column indexes are fixed by the first row.
  const addPositional = (fields: readonly unknown[], line: number, names?: readonly string[]): void => {
    if (!keptIndexes) {
      columnCount = names ? names.length : fields.length;
      keptIndexes = Array.from({ length: columnCount }, (_, i) => i).filter((i) => !exclude.has(names ? names[i] : String(i)));
      keptIndexes.forEach((column, position) => profileFor(names ? names[column] : `_c${position}`, line));
    }
    if (fields.length > columnCount) fail(line, `got ${fields.length} fields; expected at most ${columnCount}`);
    keptIndexes.forEach((column, position) => profiles[position].add(classifyValue(fields[column], missing)));
  };

  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    lineNumber += 1;
    if (format === 'csv') {
      if (line.length === 0 && !csv.hasUnterminatedRecord) {
        recordStartLine = lineNumber + 1;
        continue;
      }
      const record = csv.push(line);
      if (!record.complete) continue;
      const startedAt = recordStartLine;
      recordStartLine = lineNumber + 1;
      if (options.header && !header) {
        header = record.fields.map((f) => f.trim());
        const seen = new Set<string>();
        for (const name of header) {
          if (name.length === 0) fail(startedAt, 'empty column name in the header');
          if (seen.has(name)) fail(startedAt, `column ${JSON.stringify(name)} appears twice in the header`);
          seen.add(name);
        }
        continue;
      }
      itemCount += 1;
      if (!options.header && !firstRow) firstRow = record.fields;
      addPositional(record.fields, startedAt, header);
      continue;
    }
    if (line.trim().length === 0) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      fail(lineNumber, 'not valid JSON; expected one JSON object per line');
    }
    const positional = Array.isArray(row) ? row : isJsonObject(row) && Array.isArray(row.features) ? row.features : undefined;
    const shape = positional ? 'array' : isJsonObject(row) ? 'object' : undefined;
    if (!shape) fail(lineNumber, `got ${JSON.stringify(row)}; expected a flat JSON object, an array, or {"features": [...]}`);
    if (rowShape && shape !== rowShape) fail(lineNumber, `row is ${shape === 'array' ? 'positional' : 'keyed'} but earlier rows were not; expected one row shape per file`);
    rowShape = shape;
    itemCount += 1;
    if (positional) {
      addPositional(positional, lineNumber);
    } else {
      for (const [key, value] of Object.entries(row as Record<string, unknown>)) {
        if (!exclude.has(key)) profileFor(key, lineNumber).add(classifyValue(value, missing));
      }
    }
  }
  if (csv.hasUnterminatedRecord) fail(recordStartLine, 'quoted field never closed');
  if (itemCount === 0) throw new DatasetError(`${source}: no data rows; expected at least one record`);
  const warnings: string[] = [];
  if (firstRow && looksLikeHeader(firstRow, profiles, missing)) {
    warnings.push(`${source}:1: the first row (${firstRow.slice(0, 5).join(', ')}${firstRow.length > 5 ? ', ...' : ''}) looks like a header: its columns are otherwise numeric; pass --header (header: true) if it names the columns`);
  }

  return {
    statistics: {
      version: 0.0,
      dataset: { item_count: itemCount },
      features: profiles.map((p) => p.statistics(itemCount, profileOptions)),
    },
    constraints: {
      version: 0.0,
      features: profiles.map((p) => p.constraints(itemCount, profileOptions)),
      monitoring_config: DEFAULT_MONITORING_CONFIG,
    },
    warnings,
  };
}

// A first row of text only, where some column holds numbers in every other row: almost surely column names.
function looksLikeHeader(first: readonly string[], profiles: readonly FeatureProfile[], missing: ReadonlySet<string>): boolean {
  if (first.some((field) => classifyValue(field, missing).kind !== 'String')) return false;
  return profiles.some((profile) => profile.textCount === 1 && profile.numberCount > 0);
}

/** Picks the format from a file name; undefined when the extension says nothing. */
export function formatFromPath(path: string): DatasetFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  return undefined;
}

/** Profiles a file on disk (streamed). */
export async function createBaselineFromFile(path: string, options: BaselineOptions = {}): Promise<Baseline> {
  const format = options.format ?? formatFromPath(path);
  if (!format) throw new DatasetError(`${path}: cannot tell the format from the extension; expected .csv or .jsonl (or pass a format)`);
  const delimiter = options.delimiter ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : ',');
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  try {
    return await createBaseline(stream, { ...options, format, delimiter, sourceName: options.sourceName ?? path });
  } finally {
    stream.destroy();
  }
}

/** Writes statistics.json and constraints.json into `outDir` (created if needed); returns their paths. */
export async function writeBaseline(outDir: string, baseline: Baseline): Promise<{ statistics: string; constraints: string }> {
  await mkdir(outDir, { recursive: true });
  const statistics = join(outDir, 'statistics.json');
  const constraints = join(outDir, 'constraints.json');
  await writeFile(statistics, `${JSON.stringify(baseline.statistics, null, 2)}\n`);
  await writeFile(constraints, `${JSON.stringify(baseline.constraints, null, 2)}\n`);
  return { statistics, constraints };
}
