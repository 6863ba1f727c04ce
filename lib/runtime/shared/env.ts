// Reads the environment contract of the Lambda runtimes. Every reader records a readable problem instead of
// throwing, so a handler reports all configuration mistakes in one log line.

export type Env = Readonly<Record<string, string | undefined>>;

/** A required, non-empty string. */
export function requiredString(env: Env, name: string, problems: string[]): string {
  const value = env[name]?.trim();
  if (!value) {
    problems.push(`${name} is not set`);
    return '';
  }
  return value;
}

/** An optional string; blank counts as unset. */
export function optionalString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** An optional integer within [min, max]; `fallback` when unset. */
export function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} is ${JSON.stringify(raw)}; expected an integer from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

/** A comma-separated list, lower-cased and trimmed; `fallback` when unset or empty. */
export function list(env: Env, name: string, fallback: readonly string[]): string[] {
  const items = (env[name] ?? '').split(',').map((item) => item.trim().toLowerCase()).filter((item) => item.length > 0);
  return items.length > 0 ? items : [...fallback];
}

/**
 * An S3 key prefix: no leading slash, and a trailing slash added when missing so `incoming` cannot also
 * match `incoming-archive/`. An explicitly empty value means the whole bucket.
 */
export function keyPrefix(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  const value = (raw === undefined ? fallback : raw.trim()).replace(/^\/+/, '');
  return value === '' || value.endsWith('/') ? value : `${value}/`;
}
