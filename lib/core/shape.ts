// The shape of plain-object props (a ModelSpec and its blocks), so one validator knows every key: an
// unknown key is refused with a "did you mean", a wrong type is a ValidationError naming the prop (never a
// TypeError later), and tokens pass wherever the type allows them.
import { isTokenList, isTokenString, ValidationErrors } from './errors';
import { didYouMean } from './suggest';

/** What one key may hold. */
export type FieldType =
  | 'string'
  | 'number'
  | 'boolean'
  /** A list of strings (or a list token). */
  | 'stringList'
  /** An object whose values are all strings (environment variables, labels). */
  | 'stringMap'
  /** Any object, not checked further (constructs, resources given by reference). */
  | 'object'
  /** A nested plain object with its own shape. */
  | { readonly shape: Shape; readonly describe: string }
  /** A string from a fixed set (a token passes). */
  | { readonly oneOf: readonly string[] };

/** The keys a plain object may have, and what each holds. */
export interface Shape {
  readonly [key: string]: FieldType;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOk(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    case 'stringList': return isTokenList(value) || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    case 'stringMap': return isPlainObject(value);
    case 'object': return typeof value === 'object' && value !== null;
    default: return 'shape' in type ? isPlainObject(value) : typeof value === 'string';
  }
}

function describeType(type: FieldType): string {
  switch (type) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'true or false';
    case 'stringList': return 'a list of strings';
    case 'stringMap': return 'an object whose values are strings';
    case 'object': return 'an object';
    default: return 'shape' in type ? type.describe : `one of ${type.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  }
}

/**
 * Checks `value` against `shape` under `prop` (e.g. `spec`), recording a problem for each unknown key and
 * each wrong type, recursively. Returns a copy that holds only the keys whose type is right, so callers
 * can read it without guarding against wrong types (the problems are recorded; they throw before using it).
 * A value that is not an object at all records one problem and returns `{}`.
 */
export function checkShape<T extends object>(errors: ValidationErrors, prop: string, value: unknown, shape: Shape, describe = 'an object'): Partial<T> {
  if (!isPlainObject(value)) {
    errors.add(prop, value, describe);
    return {};
  }
  const known = Object.keys(shape);
  const clean: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const type = shape[key];
    const path = `${prop}.${key}`;
    if (type === undefined) {
      errors.add(path, field, `no such key: ${describe} takes ${known.join(', ')}${didYouMean(key, known)}`);
      continue;
    }
    if (field === undefined) continue;
    if (type === 'stringMap' && isPlainObject(field)) {
      // Name each bad entry: `environment.THREADS: got 4; expected a string value`.
      const entries = Object.entries(field);
      for (const [name, entry] of entries) if (typeof entry !== 'string') errors.add(`${path}.${name}`, entry, 'a string value');
      clean[key] = Object.fromEntries(entries.filter(([, entry]) => typeof entry === 'string'));
      continue;
    }
    if (!typeOk(type, field)) {
      errors.add(path, field, describeType(type));
      continue;
    }
    if (typeof type === 'object' && 'shape' in type) {
      clean[key] = checkShape(errors, path, field, type.shape, type.describe);
    } else if (typeof type === 'object' && 'oneOf' in type) {
      const text = field as string;
      if (!type.oneOf.includes(text) && !isTokenString(text)) {
        errors.add(path, text, `${describeType(type)}${didYouMean(text, type.oneOf)}`);
        continue;
      }
      clean[key] = field;
    } else {
      clean[key] = field;
    }
  }
  return clean as Partial<T>;
}
