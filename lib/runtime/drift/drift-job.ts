// The drift job: reads a baseline and one window of capture files through an ObjectStore, compares them,
// writes one JSON line per feature plus a summary, and returns the exit code (0 ok, 1 drift, 2 error).
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { formatProblem } from '../../core/errors';
import { CapturePart, parseCaptureLine } from './capture';
import { WindowAnalyzer } from './drift-analysis';
import { DriftSummary, LOG_FORMATS, LogFormat, WindowContext, errorLine, featureLine, summaryLine } from './emitters';
import { readConstraints, readStatistics } from './model-monitor-format';
import { ObjectStore, hourPartitions, joinKey, readText } from './object-store';
import { StoreLocation, openStore } from './open-store';

export const EXIT_OK = 0;
export const EXIT_DRIFT = 1;
export const EXIT_ERROR = 2;

export interface DriftJobConfig {
  /** Folder holding statistics.json and constraints.json. */
  readonly baselineUri: string;
  /** Folder directly above the YYYY/MM/DD/HH/ capture partitions (e.g. s3://b/capture/<endpoint>/<variant>/). */
  readonly captureUri: string;
  readonly modelName: string;
  readonly threshold?: number;
  readonly categoricalThreshold?: number;
  readonly psiThreshold?: number;
  readonly windowHours: number;
  /** @default - the start of the current hour (UTC) */
  readonly windowEnd?: Date;
  readonly format: LogFormat;
  readonly capturePart: CapturePart;
  /**
   * Exit code when drift or violations are found. Scheduled jobs set 0: a finished run that found drift is not a
   * failed run, and job runners (Cloud Run jobs, Container Apps jobs) would otherwise retry it and repeat its lines.
   * @default 1
   */
  readonly driftExitCode?: number;
}

/** Invalid flags or environment: the job prints the problems and exits with code 2. */
export class DriftJobConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'DriftJobConfigError';
  }
}

/** Flags and the environment variables they override. */
export const DRIFT_JOB_OPTIONS = {
  baseline: 'BASELINE_URI',
  capture: 'CAPTURE_URI',
  model: 'MODEL_NAME',
  threshold: 'DRIFT_THRESHOLD',
  'categorical-threshold': 'CATEGORICAL_DRIFT_THRESHOLD',
  'psi-threshold': 'PSI_THRESHOLD',
  'window-hours': 'WINDOW_HOURS',
  'window-end': 'WINDOW_END',
  format: 'LOG_FORMAT',
  'capture-part': 'CAPTURE_PART',
  'drift-exit-code': 'DRIFT_EXIT_CODE',
} as const;

export const DRIFT_JOB_USAGE = `Usage: drift-job [--baseline URI] [--capture URI] [--model NAME] [options]

Compares one window of captured inference requests with a Model Monitor baseline.
Every flag can come from the environment variable in brackets; flags win.

  --baseline URI               folder with statistics.json and constraints.json [BASELINE_URI]
  --capture URI                folder above the YYYY/MM/DD/HH/ capture partitions [CAPTURE_URI]
  --model NAME                 model name written on every line [MODEL_NAME]
  --threshold X                distance threshold, 0..1 (default: constraints.json) [DRIFT_THRESHOLD]
  --categorical-threshold X    distance threshold for string features (default: --threshold) [CATEGORICAL_DRIFT_THRESHOLD]
  --psi-threshold X            PSI threshold (default 0.2) [PSI_THRESHOLD]
  --window-hours N             hours analyzed, ending at --window-end (default 1) [WINDOW_HOURS]
  --window-end ISO             end of the window (default: start of the current UTC hour) [WINDOW_END]
  --format aws|gcp|azure|json  log line format (default json) [LOG_FORMAT]
  --capture-part input|output  analyze requests (default) or predictions [CAPTURE_PART]
  --drift-exit-code 0|1        exit code when drift is found (default 1; scheduled jobs use 0) [DRIFT_EXIT_CODE]

URIs: s3://bucket/prefix/, gs://bucket/prefix/, https://<account>.blob.core.windows.net/<container>/prefix/, or a local path.
Exit codes: 0 no drift, 1 drift or constraint violations, 2 job error.`;

const SUBJECT = 'drift-job';

/** Reads flags (`--name value` or `--name=value`) over environment variables. */
export function parseDriftJobArgs(argv: readonly string[], env: NodeJS.ProcessEnv): DriftJobConfig {
  const problems: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !(match[1] in DRIFT_JOB_OPTIONS)) {
      problems.push(formatProblem(SUBJECT, 'argument', arg, `one of ${Object.keys(DRIFT_JOB_OPTIONS).map((k) => `--${k}`).join(', ')}`));
      continue;
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined) problems.push(formatProblem(SUBJECT, `--${match[1]}`, undefined, 'a value'));
    else flags.set(match[1], value);
  }
  const get = (name: keyof typeof DRIFT_JOB_OPTIONS): string | undefined => {
    const v = flags.get(name) ?? env[DRIFT_JOB_OPTIONS[name]];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const required = (name: keyof typeof DRIFT_JOB_OPTIONS): string => {
    const v = get(name);
    if (v === undefined) problems.push(formatProblem(SUBJECT, `--${name} (${DRIFT_JOB_OPTIONS[name]})`, undefined, 'a value'));
    return v ?? '';
  };
  const number = (name: keyof typeof DRIFT_JOB_OPTIONS, min: number, max: number, integer = false): number | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    const ok = Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n));
    if (!ok) problems.push(formatProblem(SUBJECT, `--${name} (${DRIFT_JOB_OPTIONS[name]})`, v, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`));
    return ok ? n : undefined;
  };
  const oneOf = <T extends string>(name: keyof typeof DRIFT_JOB_OPTIONS, allowed: readonly T[], fallback: T): T => {
    const v = get(name);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    problems.push(formatProblem(SUBJECT, `--${name} (${DRIFT_JOB_OPTIONS[name]})`, v, `one of ${allowed.join(', ')}`));
    return fallback;
  };

  const baselineUri = required('baseline');
  const captureUri = required('capture');
  const modelName = required('model');
  const threshold = number('threshold', 0, 1);
  const categoricalThreshold = number('categorical-threshold', 0, 1);
  const psiThreshold = number('psi-threshold', 0, 100);
  const windowHours = number('window-hours', 1, 24 * 31, true) ?? 1;
  const format = oneOf('format', LOG_FORMATS, 'json');
  const capturePart = oneOf<CapturePart>('capture-part', ['input', 'output'], 'input');
  const driftExitCode = Number(oneOf('drift-exit-code', ['0', '1'], '1'));
  let windowEnd: Date | undefined;
  const end = get('window-end');
  if (end !== undefined) {
    windowEnd = new Date(end);
    if (Number.isNaN(windowEnd.getTime())) problems.push(formatProblem(SUBJECT, '--window-end (WINDOW_END)', end, 'an ISO 8601 time'));
  }
  if (problems.length > 0) throw new DriftJobConfigError(problems);
  return { baselineUri, captureUri, modelName, threshold, categoricalThreshold, psiThreshold, windowHours, windowEnd, format, capturePart, driftExitCode };
}

export interface DriftJobDeps {
  /** Writes one log line (without newline). @default - process.stdout */
  readonly write?: (line: string) => void;
  /** @default - Date.now */
  readonly now?: () => Date;
  /** @default - openStore (URI schemes s3, gs, https/az, file) */
  readonly open?: (uri: string) => Promise<StoreLocation>;
}

const MAX_MALFORMED_EXAMPLES = 5;

/** Runs one window; never throws: errors become a `drift_job_error` line and exit code 2. */
export async function runDriftJob(config: DriftJobConfig, deps: DriftJobDeps = {}): Promise<number> {
  const write = deps.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = deps.now ?? (() => new Date());
  const open = deps.open ?? openStore;
  const started = now();
  const emit = (record: Record<string, unknown>) => write(JSON.stringify(record));
  try {
    const hour = 3_600_000;
    const windowEnd = config.windowEnd ?? new Date(Math.floor(started.getTime() / hour) * hour);
    const windowStart = new Date(windowEnd.getTime() - config.windowHours * hour);

    const baseline = await open(config.baselineUri);
    const statistics = readStatistics(JSON.parse(await readText(baseline.store, joinKey(baseline.prefix, 'statistics.json'))), `${config.baselineUri} statistics.json`);
    const constraints = readConstraints(JSON.parse(await readText(baseline.store, joinKey(baseline.prefix, 'constraints.json'))), `${config.baselineUri} constraints.json`);
    const analyzer = new WindowAnalyzer(statistics, constraints, {
      threshold: config.threshold,
      categoricalThreshold: config.categoricalThreshold,
      psiThreshold: config.psiThreshold,
    });

    const capture = await open(config.captureUri);
    const counters = { files: 0, lines: 0, malformed: 0, outOfWindow: 0 };
    const examples: { key: string; line: number; reason: string }[] = [];
    const lastPartition = hourPartitions(windowEnd, windowEnd)[0];
    for (const partition of hourPartitions(windowStart, windowEnd)) {
      // The partition of the end hour only holds late writes: take its records only if they say when they ran.
      const lateOnly = partition === lastPartition;
      for await (const object of capture.store.list(joinKey(capture.prefix, partition), { since: windowStart })) {
        counters.files += 1;
        await readCaptureFile(capture.store, object.key, (lineNumber, text) => {
          counters.lines += 1;
          const parsed = parseCaptureLine(text, config.capturePart);
          if (!parsed.ok) {
            counters.malformed += 1;
            if (examples.length < MAX_MALFORMED_EXAMPLES) examples.push({ key: object.key, line: lineNumber, reason: parsed.reason });
            return;
          }
          const t = parsed.record.inferenceTime;
          const inWindow = t ? t >= windowStart && t < windowEnd : !lateOnly;
          if (!inWindow) {
            counters.outOfWindow += 1;
            return;
          }
          for (const row of parsed.record.rows) analyzer.add(row);
        });
      }
    }

    const ctx: WindowContext = { model: config.modelName, windowStart, windowEnd, timestamp: now() };
    const results = analyzer.results();
    if (analyzer.rows > 0) for (const result of results) emit(featureLine(result, ctx, config.format));
    const drifted = results.filter((r) => r.threshold_crossed);
    const violations = results.flatMap((r) => r.violations.filter((c) => c !== 'baseline_drift_check').map((check) => ({ feature: r.feature, check })));
    const maxOf = (values: (number | null)[]) => values.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.max(m, v)), null);
    const status: DriftSummary['status'] = analyzer.rows === 0 ? 'no_data' : drifted.length > 0 ? 'drift' : violations.length > 0 ? 'violations' : 'ok';
    const summary: DriftSummary = {
      status,
      drift_detected: drifted.length > 0,
      violations_detected: violations.length > 0,
      features_total: results.length,
      features_drifted: drifted.length,
      drifted_features: drifted.map((r) => r.feature),
      violations,
      records: analyzer.rows,
      capture_files: counters.files,
      capture_lines: counters.lines,
      malformed_lines: counters.malformed,
      malformed_examples: examples,
      out_of_window_lines: counters.outOfWindow,
      column_mismatch_rows: analyzer.columnMismatchRows,
      extra_columns: analyzer.extraColumns,
      max_distance: maxOf(results.map((r) => r.distance)),
      max_psi: maxOf(results.map((r) => r.psi)),
      baseline_uri: config.baselineUri,
      capture_uri: config.captureUri,
      duration_ms: now().getTime() - started.getTime(),
    };
    emit(summaryLine(summary, ctx, config.format));
    return status === 'drift' || status === 'violations' ? config.driftExitCode ?? EXIT_DRIFT : EXIT_OK;
  } catch (error) {
    emit(errorLine(config.modelName, error instanceof Error ? error.message : String(error), config.format, now()));
    return EXIT_ERROR;
  }
}

// Streams a capture file line by line (gunzipping .gz files); a file is never held in memory whole.
async function readCaptureFile(store: ObjectStore, key: string, onLine: (lineNumber: number, text: string) => void): Promise<void> {
  let input: Readable = store.read(key);
  if (key.endsWith('.gz')) input = input.pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim().length === 0) continue;
    onLine(lineNumber, line);
  }
}
