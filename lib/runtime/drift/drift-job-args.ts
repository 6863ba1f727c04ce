// The drift job's settings: flags over environment variables, validated into a DriftJobConfig. Every problem is
// collected and reported together in the core error format; the job exits with code 2 on them.
import { formatProblem } from '../../core/errors';
import { CapturePart } from './capture';
import { DRIFT_DEFAULTS, DriftThresholds } from './drift-settings';
import { LOG_FORMATS, LogFormat } from './emitters';
import { P_VALUE_CORRECTIONS } from './p-values';

/** The job's settings; the thresholds (DriftThresholds) override constraints.json's global values. */
export interface DriftJobConfig extends DriftThresholds {
  /** Folder holding statistics.json and constraints.json. */
  readonly baselineUri: string;
  /** Folder directly above the YYYY/MM/DD/HH/ capture partitions (e.g. s3://b/capture/<endpoint>/<variant>/). */
  readonly captureUri: string;
  readonly modelName: string;
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
  /** Text values counted as missing. @default - DEFAULT_MISSING_VALUES */
  readonly missingValues?: readonly string[];
  /** Local folder for report.md, report.html and the histogram images. @default - no report */
  readonly reportDir?: string;
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
  alpha: 'DRIFT_ALPHA',
  correction: 'DRIFT_CORRECTION',
  'min-rows': 'DRIFT_MIN_ROWS',
  'large-window-rows': 'DRIFT_LARGE_WINDOW_ROWS',
  'wasserstein-threshold': 'WASSERSTEIN_THRESHOLD',
  'js-threshold': 'JS_THRESHOLD',
  'dataset-drift-share': 'DATASET_DRIFT_SHARE',
  'missing-values': 'MISSING_VALUES',
  report: 'DRIFT_REPORT_DIR',
} as const;

export const DRIFT_JOB_USAGE = `Usage: drift-job [--baseline URI] [--capture URI] [--model NAME] [options]

Compares one window of captured inference requests with a Model Monitor baseline.
Every flag can come from the environment variable in brackets; flags win.

  --baseline URI               folder with statistics.json and constraints.json [BASELINE_URI]
  --capture URI                folder above the YYYY/MM/DD/HH/ capture partitions [CAPTURE_URI]
  --model NAME                 model name written on every line [MODEL_NAME]
  --threshold X                distance threshold, 0..1 (default: constraints.json) [DRIFT_THRESHOLD]
  --categorical-threshold X    distance threshold for string features (default: --threshold) [CATEGORICAL_DRIFT_THRESHOLD]
  --psi-threshold X            PSI threshold (default ${DRIFT_DEFAULTS.psiThreshold}) [PSI_THRESHOLD]
  --alpha X                    significance level of a window's tests, after correction (default ${DRIFT_DEFAULTS.alpha}) [DRIFT_ALPHA]
  --correction bh|bonferroni|none  correction across features (default ${DRIFT_DEFAULTS.correction}) [DRIFT_CORRECTION]
  --min-rows N                 fewest values of a feature for a verdict (default ${DRIFT_DEFAULTS.minWindowRows}) [DRIFT_MIN_ROWS]
  --large-window-rows N        values from which Wasserstein / Jensen-Shannon decide (default ${DRIFT_DEFAULTS.largeWindowRows}) [DRIFT_LARGE_WINDOW_ROWS]
  --wasserstein-threshold X    in baseline standard deviations (default ${DRIFT_DEFAULTS.wassersteinThreshold}) [WASSERSTEIN_THRESHOLD]
  --js-threshold X             Jensen-Shannon distance threshold (default ${DRIFT_DEFAULTS.jensenShannonThreshold}) [JS_THRESHOLD]
  --dataset-drift-share X      share of drifted features for dataset drift (default ${DRIFT_DEFAULTS.datasetDriftShare}) [DATASET_DRIFT_SHARE]
  --missing-values LIST        comma-separated text values counted as missing, or a JSON array [MISSING_VALUES]
  --window-hours N             hours analyzed, ending at --window-end (default 1) [WINDOW_HOURS]
  --window-end ISO             end of the window (default: start of the current UTC hour) [WINDOW_END]
  --format aws|gcp|azure|json  log line format (default json) [LOG_FORMAT]
  --capture-part input|output  analyze requests (default) or predictions [CAPTURE_PART]
  --drift-exit-code 0|1        exit code when drift is found (default 1; scheduled jobs use 0) [DRIFT_EXIT_CODE]
  --report DIR                 write report.md, report.html and histogram images to DIR [DRIFT_REPORT_DIR]

URIs: s3://bucket/prefix/, gs://bucket/prefix/, https://<account>.blob.core.windows.net/<container>/prefix/, or a local path.
Exit codes: 0 no drift, 1 drift or constraint violations, 2 job error.`;

const SUBJECT = 'drift-job';
type OptionName = keyof typeof DRIFT_JOB_OPTIONS;

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
  const get = (name: OptionName): string | undefined => {
    const v = flags.get(name) ?? env[DRIFT_JOB_OPTIONS[name]];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const required = (name: OptionName): string => {
    const v = get(name);
    if (v === undefined) problems.push(formatProblem(SUBJECT, label(name), undefined, 'a value'));
    return v ?? '';
  };
  const number = (name: OptionName, min: number, max: number, integer = false): number | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    const ok = Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n));
    if (!ok) problems.push(formatProblem(SUBJECT, label(name), v, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`));
    return ok ? n : undefined;
  };
  const oneOf = <T extends string>(name: OptionName, allowed: readonly T[], fallback: T): T => {
    const v = get(name);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    problems.push(formatProblem(SUBJECT, label(name), v, `one of ${allowed.join(', ')}`));
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
    if (Number.isNaN(windowEnd.getTime())) problems.push(formatProblem(SUBJECT, label('window-end'), end, 'an ISO 8601 time'));
  }
  const alpha = number('alpha', 1e-12, 0.5);
  const correction = get('correction') === undefined ? undefined : oneOf('correction', P_VALUE_CORRECTIONS, DRIFT_DEFAULTS.correction);
  const minWindowRows = number('min-rows', 1, 1e9, true);
  const largeWindowRows = number('large-window-rows', 1, 1e12, true);
  const wassersteinThreshold = number('wasserstein-threshold', 0, 1e6);
  const jensenShannonThreshold = number('js-threshold', 0, 1);
  const datasetDriftShare = number('dataset-drift-share', 0, 1);
  const missingValues = parseMissingValues(get('missing-values'), problems);
  const reportDir = get('report');
  if (problems.length > 0) throw new DriftJobConfigError(problems);
  return {
    baselineUri, captureUri, modelName, threshold, categoricalThreshold, psiThreshold, windowHours, windowEnd, format, capturePart, driftExitCode,
    alpha, correction, minWindowRows, largeWindowRows, wassersteinThreshold, jensenShannonThreshold, datasetDriftShare, missingValues, reportDir,
  };
}

/**
 * Missing-value markers: `NA,null,NaN` (comma-separated, trimmed) or a JSON array of strings (`[]` for none but the
 * empty string, which is always missing).
 */
export function parseMissingValues(text: string | undefined, problems: string[]): string[] | undefined {
  if (text === undefined) return undefined;
  const expected = 'comma-separated values or a JSON array of strings';
  if (text.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((v): v is string => typeof v === 'string')) return parsed;
    } catch {
      // reported below
    }
    problems.push(formatProblem(SUBJECT, label('missing-values'), text, expected));
    return undefined;
  }
  return text.split(',').map((v) => v.trim());
}

function label(name: OptionName): string {
  return `--${name} (${DRIFT_JOB_OPTIONS[name]})`;
}
