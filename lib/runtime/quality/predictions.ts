// Reads what a model answered (the captured `endpointOutput`, already split into rows by the capture parser)
// as one prediction per request row, for each problem type, the way Model Monitor's model-quality job is
// configured: an optional inference attribute (where the predicted label or value is), an optional probability
// attribute (where the probability is) and a probability threshold (probability -> label for binary problems).
import type { QualityProblemType } from '../../core/quality-job';
import type { CaptureRow } from '../drift/capture';
import { isJsonObject } from '../shared/json-value';

/** The problem types of Model Monitor's model-quality job (the type lives with the env contract in lib/core). */
export type ProblemType = QualityProblemType;
export const PROBLEM_TYPES: readonly ProblemType[] = ['BinaryClassification', 'MulticlassClassification', 'Regression'];

export interface PredictionOptions {
  readonly problemType: ProblemType;
  /**
   * Where the predicted label (classification) or value (regression) is in each prediction: a 0-based column
   * index for CSV, a key or path (`predicted_label`, `$.result.label`, `scores[1]`) for JSON.
   * @default - the shapes listed in docs/quality.md
   */
  readonly inferenceAttribute?: string;
  /** Where the probability (binary: of the positive class; multiclass: the vector of class probabilities) is. */
  readonly probabilityAttribute?: string;
  /** Binary: a probability at or above it predicts the positive class. @default 0.5 */
  readonly probabilityThreshold?: number;
  /** Binary: the label of the positive class, after normalization (see normalizeLabel). @default '1' */
  readonly positiveLabel?: string;
}

export type Prediction =
  | { readonly kind: 'binary'; readonly positive: boolean; readonly score?: number }
  | { readonly kind: 'multiclass'; readonly label: string; readonly probabilities?: readonly number[] }
  | { readonly kind: 'regression'; readonly value: number };

/** Keys read, in order, when no attribute is configured. */
export const LABEL_KEYS = ['predicted_label', 'label', 'predicted_class', 'class', 'prediction'] as const;
export const PROBABILITY_KEYS = ['probability', 'probabilities', 'score', 'scores'] as const;
export const VALUE_KEYS = ['prediction', 'predicted_value', 'score', 'value'] as const;

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * One record per request row: a scalar, a list of values (a CSV row, a JSON array) or an object. Unpacks
 * `{"predictions": [...]}` and, knowing how many rows the request had, tells one prediction list of a batch
 * (`[0.2, 0.9]` for two rows) from one vector of one row (`[0.2, 0.8]` for one row). Returns a reason on mismatch.
 */
export function predictionRecords(rows: readonly CaptureRow[], requestRows?: number): unknown[] | string {
  let records: unknown[] = rows
    .map((row) => (row.kind === 'keyed' ? row.values : row.values.length === 1 ? row.values[0] : row.values))
    .flatMap((record) => (isJsonObject(record) && Array.isArray(record.predictions) ? record.predictions : [record]));
  if (requestRows !== undefined && requestRows > 1 && records.length === 1 && Array.isArray(records[0]) && records[0].length === requestRows && records[0].every(isScalar)) {
    records = records[0];
  } else if (requestRows === 1 && records.length > 1 && records.every(isScalar)) {
    records = [records];
  }
  if (requestRows !== undefined && records.length !== requestRows) return `${records.length} predictions for ${requestRows} request rows`;
  return records;
}

/** Reads a value by path: `a.b`, `$.a.b`, `a[0]`, `0` (a column). A scalar is a one-column row. */
export function readAttribute(record: unknown, path: string): unknown {
  const segments = path.replace(/^\$\.?/, '').replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s.length > 0);
  let current = record;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (isJsonObject(current)) {
      current = current[segment];
    } else if (segment !== '0' || current === undefined) {
      return undefined;
    }
  }
  return current;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number from a number or numeric string, else undefined. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
  return undefined;
}

/**
 * The canonical text of a label, so a captured `1`, `"1"`, `"1.0"` and a ground-truth CSV `1` all match:
 * numbers (and numeric strings) in JavaScript's shortest form, JSON booleans as "1"/"0", other strings trimmed.
 */
export function normalizeLabel(value: unknown): string | undefined {
  if (typeof value === 'boolean') return value ? '1' : '0';
  const n = toNumber(value);
  if (n !== undefined) return String(n);
  if (typeof value === 'string' && value.trim().length > 0) return value.trim();
  return undefined;
}

/** Reads one record as a prediction of the configured problem type, or a reason it cannot be read. */
export function interpretPrediction(record: unknown, options: PredictionOptions): Prediction | string {
  switch (options.problemType) {
    case 'BinaryClassification': return binary(record, options);
    case 'MulticlassClassification': return multiclass(record, options);
    case 'Regression': return regression(record, options);
  }
}

function binary(record: unknown, o: PredictionOptions): Prediction | string {
  const threshold = o.probabilityThreshold ?? 0.5;
  const positiveLabel = normalizeLabel(o.positiveLabel) ?? '1';
  let label = o.inferenceAttribute !== undefined ? readAttribute(record, o.inferenceAttribute) : defaultLabel(record);
  let probability = o.probabilityAttribute !== undefined ? readAttribute(record, o.probabilityAttribute) : defaultProbability(record);
  if (o.inferenceAttribute !== undefined && label === undefined) return missing('inference attribute', o.inferenceAttribute);
  if (o.probabilityAttribute !== undefined && probability === undefined) return missing('probability attribute', o.probabilityAttribute);
  if (o.inferenceAttribute === undefined && probability === undefined) {
    // Without a configured label: a bare number from 0 to 1 is the positive class's probability (a 0/1 answer
    // reads the same either way); a keyed "label" strictly between 0 and 1 can only be a probability too.
    const n = toNumber(label);
    const bare = !Array.isArray(record) && !isJsonObject(record);
    if (n !== undefined && typeof label !== 'boolean' && (bare ? n >= 0 && n <= 1 : n > 0 && n < 1)) {
      probability = n;
      label = undefined;
    }
  }
  if (o.probabilityAttribute === undefined && Array.isArray(probability) && !isProbabilityPair(probability)) {
    return `values ${describe(probability)} are not a [negative, positive] probability pair; set the inference and probability attributes`;
  }
  let score: number | undefined;
  if (probability !== undefined) {
    const p = Array.isArray(probability) ? (probability.length === 2 ? toNumber(probability[1]) : undefined) : toNumber(probability);
    if (p === undefined || p < 0 || p > 1) return `probability ${describe(probability)} is not a number from 0 to 1 (or a [negative, positive] pair)`;
    score = p;
  }
  if (label !== undefined) {
    const normalized = normalizeLabel(label);
    if (normalized === undefined) return `label ${describe(label)} is not a string, number or boolean`;
    return { kind: 'binary', positive: normalized === positiveLabel, score };
  }
  if (score === undefined) return `no label or probability in ${describe(record)}; set the inference or probability attribute`;
  return { kind: 'binary', positive: score >= threshold, score };
}

function multiclass(record: unknown, o: PredictionOptions): Prediction | string {
  const label = o.inferenceAttribute !== undefined ? readAttribute(record, o.inferenceAttribute) : defaultLabel(record);
  const rawProbabilities = o.probabilityAttribute !== undefined ? readAttribute(record, o.probabilityAttribute) : defaultProbability(record);
  if (o.inferenceAttribute !== undefined && label === undefined) return missing('inference attribute', o.inferenceAttribute);
  let probabilities: number[] | undefined;
  if (Array.isArray(rawProbabilities)) {
    const numbers = rawProbabilities.map(toNumber);
    if (numbers.length >= 2 && numbers.every((n): n is number => n !== undefined)) probabilities = numbers;
  }
  if (o.probabilityAttribute !== undefined && probabilities === undefined) {
    return `probability attribute ${JSON.stringify(o.probabilityAttribute)} is ${describe(rawProbabilities)}; expected a list of class probabilities`;
  }
  if (label !== undefined) {
    const normalized = normalizeLabel(label);
    if (normalized === undefined) return `label ${describe(label)} is not a string, number or boolean`;
    return { kind: 'multiclass', label: normalized, probabilities };
  }
  if (probabilities === undefined) return `no label or class probabilities in ${describe(record)}; set the inference or probability attribute`;
  // The predicted class is the most probable one, named by its index (as a model's class ids usually are).
  const best = probabilities.reduce((bestIndex, p, i) => (p > probabilities![bestIndex] ? i : bestIndex), 0);
  return { kind: 'multiclass', label: String(best), probabilities };
}

function regression(record: unknown, o: PredictionOptions): Prediction | string {
  let raw: unknown;
  if (o.inferenceAttribute !== undefined) {
    raw = readAttribute(record, o.inferenceAttribute);
    if (raw === undefined) return missing('inference attribute', o.inferenceAttribute);
  } else if (isJsonObject(record)) {
    raw = firstKey(record, VALUE_KEYS);
  } else if (Array.isArray(record)) {
    return `${record.length} values in one prediction; set the inference attribute to the one that is the predicted value`;
  } else {
    raw = record;
  }
  const value = toNumber(raw);
  if (value === undefined) return `predicted value ${describe(raw)} is not a number`;
  return { kind: 'regression', value };
}

// A keyed record names its label; a scalar is the label; a list of values has none (it is a vector).
function defaultLabel(record: unknown): unknown {
  if (isJsonObject(record)) return firstKey(record, LABEL_KEYS);
  return Array.isArray(record) ? undefined : record;
}

function defaultProbability(record: unknown): unknown {
  if (isJsonObject(record)) return firstKey(record, PROBABILITY_KEYS);
  return Array.isArray(record) ? record : undefined;
}

function firstKey(record: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) if (record[key] !== undefined && record[key] !== null) return record[key];
  return undefined;
}

// Two probabilities that sum to 1: a row `0.3,0.7` is a pair; a row `0,0.8` (label, probability) is not.
function isProbabilityPair(values: readonly unknown[]): boolean {
  if (values.length !== 2) return false;
  const [a, b] = values.map(toNumber);
  return a !== undefined && b !== undefined && Math.abs(a + b - 1) < 1e-3;
}

function missing(what: string, path: string): string {
  return `no value at ${what} ${JSON.stringify(path)}`;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
