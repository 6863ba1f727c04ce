// Test helper: what Cloud Logging makes of a job's stdout line (severity and message lifted, labels from
// `logging.googleapis.com/labels`, the rest under jsonPayload), and a strict evaluator of the filter subset our
// constructs write: comparisons (`=`, `!=`, `>`, `>=`, `<`, `<=`) joined by AND. A field of another type than the
// filter's value (the number 1 against `true`) never matches, so a renamed or retyped field fails the test.

export interface LogEntry {
  readonly severity?: string;
  readonly labels: Record<string, string>;
  readonly jsonPayload: Record<string, unknown>;
  readonly resource: { readonly type: string; readonly labels: Record<string, string> };
}

export function logEntryOf(line: Record<string, unknown>, resource: LogEntry['resource'] = { type: 'cloud_run_revision', labels: {} }): LogEntry {
  const { severity, message: _message, 'logging.googleapis.com/labels': labels, ...jsonPayload } = line;
  return { severity: severity as string | undefined, labels: (labels ?? {}) as Record<string, string>, jsonPayload, resource };
}

const SEVERITIES = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'];

function valueOf(text: string): string | number | boolean {
  if (/^".*"$/.test(text)) return text.slice(1, -1);
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?[0-9.]+$/.test(text)) return Number(text);
  return text;
}

function lookup(entry: LogEntry, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), entry);
}

/** True when every clause of `filter` holds for `entry`. */
export function matchesFilter(filter: string, entry: LogEntry): boolean {
  return filter.split(' AND ').every((clause) => {
    const match = /^([A-Za-z_][\w.]*)\s*(!=|>=|<=|=|>|<)\s*(.+)$/.exec(clause.trim());
    if (!match) throw new Error(`unsupported filter clause: ${clause}`);
    const [, path, op, raw] = match;
    const expected = valueOf(raw);
    let actual = lookup(entry, path);
    let wanted: unknown = expected;
    if (path === 'severity') {
      actual = SEVERITIES.indexOf(String(actual ?? 'DEFAULT'));
      wanted = SEVERITIES.indexOf(String(expected));
    }
    if (actual === undefined || typeof actual !== typeof wanted) return false;
    const a = actual as number | string | boolean;
    const w = wanted as number | string | boolean;
    switch (op) {
      case '=': return a === w;
      case '!=': return a !== w;
      case '>': return a > w;
      case '>=': return a >= w;
      case '<': return a < w;
      default: return a <= w;
    }
  });
}

/** `EXTRACT(jsonPayload.a.b)` read from an entry, as Cloud Logging's extractor does (undefined when absent). */
export function extract(extractor: string, entry: LogEntry): unknown {
  const match = /^EXTRACT\(([\w.]+)\)$/.exec(extractor);
  if (!match) throw new Error(`unsupported extractor: ${extractor}`);
  return lookup(entry, match[1]);
}
