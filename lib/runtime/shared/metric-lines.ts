// The per-cloud decorations of a JSON log line: CloudWatch embedded metric format metadata (aws) and Cloud
// Logging's structured fields (gcp). Azure and plain JSON lines need none. Used by the drift, quality and
// explainability jobs.

/** A metric published from a log line: its name (a top-level field of the line) and CloudWatch unit. */
export interface EmfMetric {
  readonly Name: string;
  readonly Unit: 'None' | 'Count' | 'Percent' | 'Milliseconds';
}

/**
 * The `_aws` member of an EMF line. CloudWatch reads each metric's value from the top-level field of the same
 * name and each dimension's value from the top-level field named after it.
 */
export function emfMetadata(namespace: string, timestamp: Date, dimensions: readonly (readonly string[])[], metrics: readonly EmfMetric[]): Record<string, unknown> {
  return {
    Timestamp: timestamp.getTime(),
    CloudWatchMetrics: [{ Namespace: namespace, Dimensions: dimensions, Metrics: metrics }],
  };
}

export type GcpSeverity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR';

/**
 * A line Cloud Logging turns into a structured entry: it lifts `severity` and `message` out of the JSON and keeps
 * the rest as jsonPayload; the labels make per-model (and per-feature) filters cheap.
 */
export function gcpStructuredLine(line: Record<string, unknown>, severity: GcpSeverity, message: string, labels: Readonly<Record<string, string>>): Record<string, unknown> {
  return { severity, message, ...line, 'logging.googleapis.com/labels': labels };
}

/** Rounds a metric to 6 decimals for the log line (null stays null). */
export function round6(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1e6) / 1e6;
}
