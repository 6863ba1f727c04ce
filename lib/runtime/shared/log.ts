// Structured logging for the Lambda runtimes: one JSON object per line on stdout, so CloudWatch Logs
// Insights reads every field without a parse pattern. Callers pass metadata only, never payload contents.

export type LogLevel = 'info' | 'warn' | 'error';
export type LogValue = string | number | boolean | null | undefined | readonly string[];
export type LogFields = Record<string, LogValue>;

/** Writes one log line. Undefined fields are dropped by JSON.stringify, which keeps lines short. */
export function logJson(level: LogLevel, message: string, fields: LogFields = {}): void {
  // process.stdout.write rather than console.log: the Lambda runtime prefixes console output with its own
  // text (timestamp, request id, level), which would break the one-JSON-object-per-line contract.
  process.stdout.write(`${JSON.stringify({ level, message, ...fields })}\n`);
}

/** Milliseconds since `start` (a `performance.now()` reading), rounded to 0.1 ms. */
export function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}
