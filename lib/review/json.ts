// Small helpers for walking synthesized JSON (CloudFormation templates, cdk.tf.json) without `any`.
import * as fs from 'fs';
import { type JsonObject, isObject } from '../core/private/json';

export type { JsonObject };
export { isObject };

export function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

/** A value as a list: arrays as they are, a single value (or a one-block object, as cdktf writes it) as one item. */
export function asArray(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function readJsonFile(file: string): JsonObject {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isObject(parsed)) throw new Error(`${file}: expected a JSON object`);
  return parsed;
}

/** Compact one-line JSON for values with no better rendering. */
export function compact(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): { readonly type: string; readonly count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => ({ type, count }));
}
