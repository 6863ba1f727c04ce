// Classifies raw values the way Model Monitor (Deequ) infers column types: Integral, Fractional or String,
// with JSON nulls, empty CSV fields and configurable text markers (NA, null, NaN, None...) counted as missing.

/** Model Monitor's column types; `Unknown` is a column that held no value at all. */
export type InferredType = 'Integral' | 'Fractional' | 'String' | 'Unknown';

/** A value after classification: missing, a number (with its integer-ness), or text. */
export type ClassifiedValue =
  | { readonly kind: 'missing' }
  | { readonly kind: 'Integral' | 'Fractional'; readonly number: number; readonly text: string }
  | { readonly kind: 'String'; readonly text: string };

const MISSING: ClassifiedValue = { kind: 'missing' };

/**
 * Text values counted as missing by default, in the baseline and in the drift job alike (compared after trimming,
 * case-sensitive). The empty string and JSON null are always missing.
 */
export const DEFAULT_MISSING_VALUES: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None'];

/** The set `classifyValue` checks: the given markers plus the empty string. */
export function missingValueSet(values: readonly string[] = DEFAULT_MISSING_VALUES): ReadonlySet<string> {
  return new Set(['', ...values.map((v) => v.trim())]);
}

const DEFAULT_MISSING_SET = missingValueSet();
const INTEGRAL = /^[+-]?\d+$/;
const FRACTIONAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Classifies a value read from CSV (a string) or JSON (any JSON value); `missing` lists text counted as missing. */
export function classifyValue(raw: unknown, missing: ReadonlySet<string> = DEFAULT_MISSING_SET): ClassifiedValue {
  if (raw === null || raw === undefined) return MISSING;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { kind: 'String', text: String(raw) };
    return { kind: Number.isInteger(raw) ? 'Integral' : 'Fractional', number: raw, text: String(raw) };
  }
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (missing.has(text)) return MISSING;
    if (INTEGRAL.test(text)) {
      const n = Number(text);
      // Integers beyond 2^53 lose precision; Spark reads them as doubles too.
      return { kind: Number.isSafeInteger(n) ? 'Integral' : 'Fractional', number: n, text };
    }
    if (FRACTIONAL.test(text)) {
      const n = Number(text);
      if (Number.isFinite(n)) return { kind: 'Fractional', number: n, text };
    }
    return { kind: 'String', text: raw };
  }
  if (typeof raw === 'boolean') return { kind: 'String', text: String(raw) };
  return { kind: 'String', text: JSON.stringify(raw) };
}

/**
 * The column type from counts of each kind, as Deequ decides it: any text makes the column String,
 * else any fractional makes it Fractional, else Integral. A column with no values at all is Unknown.
 */
export function decideType(counts: { readonly integral: number; readonly fractional: number; readonly string: number }): InferredType {
  if (counts.string > 0) return 'String';
  if (counts.fractional > 0) return 'Fractional';
  if (counts.integral > 0) return 'Integral';
  return 'Unknown';
}

/** Whether a value of kind `kind` satisfies a baseline column of type `type` (Fractional accepts integers). */
export function matchesType(type: InferredType, kind: 'Integral' | 'Fractional' | 'String'): boolean {
  if (type === 'String' || type === 'Unknown') return true;
  if (type === 'Fractional') return kind !== 'String';
  return kind === 'Integral';
}
