// The one plain-JSON object guard, for code that reads synthesized or recorded JSON without `any`.
export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
