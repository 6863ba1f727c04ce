// The scheduled explainability job: samples one window of captured requests (the same SageMaker data-capture
// files the drift job reads), scores them through an injected `predict` (SageMaker InvokeEndpoint, an HTTPS call
// with an identity token, or the local HTTP predictor), and publishes the importance of each feature, so a
// shift in what drives the predictions shows on the dashboard. Labels are not needed: importance is the mean
// change of the prediction when a feature is shuffled.
import { isOwnExplainRequest, parseCaptureLine } from '../drift/capture';
import { LOG_FORMATS, LogFormat, WindowContext } from '../drift/emitters';
import type { StoreLocation } from '../drift/open-store';
import { JobIo, resolveJobIo } from '../shared/job-io';
import { JobOption, JobOptionReader } from '../shared/job-options';
import { LineProblems, partitionObjects, readObjectLines } from '../shared/object-lines';
import { Reservoir, seededRandom } from '../shared/seeded-random';
import { explainErrorLine, explainSummaryLine, featureImportanceLine } from './explain-emitters';
import { FeatureRow, FeatureValue, Predict, featureImportance } from './importance';

export interface ExplainJobConfig {
  /** Folder directly above the capture's YYYY/MM/DD/HH/ partitions. */
  readonly captureUri: string;
  readonly modelName: string;
  /** Feature names in request order; JSON object requests are read by these keys. @default - `_c0`, `_c1`, ... (or the first object's keys) */
  readonly featureNames?: readonly string[];
  readonly windowHours: number;
  /** @default - the start of the current UTC hour */
  readonly windowEnd?: Date;
  /** Requests sampled from the window. @default 200 */
  readonly sample?: number;
  /** @default 3 */
  readonly repeats?: number;
  /** @default 1 */
  readonly seed?: number;
  readonly format: LogFormat;
}

export interface ExplainJobDeps extends JobIo {
  /** Scores rows through the model. */
  readonly predict: Predict;
}

/** Flags and the environment variables they override. `endpoint-url` feeds the default HTTP predictor of an entry. */
export const EXPLAIN_JOB_OPTIONS = {
  capture: { env: 'EXPLAIN_CAPTURE_URI' },
  model: { env: 'MODEL_NAME' },
  'endpoint-url': { env: 'EXPLAIN_ENDPOINT_URL' },
  'feature-names': { env: 'EXPLAIN_FEATURE_NAMES' },
  'window-hours': { env: 'EXPLAIN_WINDOW_HOURS' },
  'window-end': { env: 'EXPLAIN_WINDOW_END' },
  sample: { env: 'EXPLAIN_SAMPLE' },
  repeats: { env: 'EXPLAIN_REPEATS' },
  seed: { env: 'EXPLAIN_SEED' },
  format: { env: 'LOG_FORMAT' },
} as const satisfies Record<string, JobOption>;

/** Reads and validates the settings (EXPLAIN_* environment); throws a JobConfigError listing every problem. */
export function parseExplainJobArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ExplainJobConfig & { readonly endpointUrl?: string } {
  const options = new JobOptionReader('explain-job', EXPLAIN_JOB_OPTIONS, argv, env);
  const captureUri = options.required('capture');
  const modelName = options.required('model');
  const names = options.get('feature-names')?.split(',').map((n) => n.trim());
  if (names && names.some((n) => n.length === 0)) options.add('feature-names', names.join(','), 'comma-separated feature names, none empty');
  const config = {
    captureUri,
    modelName,
    endpointUrl: options.get('endpoint-url'),
    featureNames: names,
    windowHours: options.number('window-hours', 1, 24 * 31, true) ?? 24,
    windowEnd: options.time('window-end'),
    sample: options.number('sample', 1, 100_000, true),
    repeats: options.number('repeats', 1, 100, true),
    seed: options.number('seed', 0, 2 ** 32 - 1, true),
    format: options.oneOf('format', LOG_FORMATS, 'json'),
  };
  options.throwIfAny();
  return config;
}

const HOUR = 3_600_000;

/** Runs one window; never throws: errors become an `explain_job_error` line and exit code 2. */
export async function runExplainJob(config: ExplainJobConfig, deps: ExplainJobDeps): Promise<number> {
  const { emit, now, open } = resolveJobIo(deps);
  const started = now();
  try {
    const windowEnd = config.windowEnd ?? new Date(Math.floor(started.getTime() / HOUR) * HOUR);
    const windowStart = new Date(windowEnd.getTime() - config.windowHours * HOUR);
    const seed = config.seed ?? 1;
    const sample = await sampleRequests(await open(config.captureUri), windowStart, windowEnd, config, seed);
    const ctx: WindowContext = { model: config.modelName, windowStart, windowEnd, timestamp: now() };
    const counts = {
      rows_seen: sample.reservoir.seen,
      rows_sampled: sample.reservoir.items.length,
      capture_files: sample.counters.files,
      capture_lines: sample.counters.lines,
      malformed_lines: sample.problems.count,
      malformed_examples: sample.problems.examples,
      column_mismatch_rows: sample.counters.mismatched,
      out_of_window_lines: sample.counters.outOfWindow,
      capture_uri: config.captureUri,
    };
    if (sample.reservoir.items.length === 0 || sample.features === undefined) {
      emit(explainSummaryLine({ status: 'no_data', method: 'prediction_change', features: [], ranking: [], importance: {}, ...counts, duration_ms: now().getTime() - started.getTime() }, ctx, config.format));
      return 0;
    }
    const result = await featureImportance({ features: sample.features, rows: sample.reservoir.items, predict: deps.predict, repeats: config.repeats, seed });
    result.ranking.forEach((feature, i) => emit(featureImportanceLine({
      feature, rank: i + 1, importance: result.importance[feature], importanceStd: result.importanceStd[feature], method: result.method, rows: sample.reservoir.items.length,
    }, { ...ctx, timestamp: now() }, config.format)));
    emit(explainSummaryLine({
      status: 'ok', method: result.method, features: sample.features, ranking: result.ranking, importance: result.importance, ...counts, duration_ms: now().getTime() - started.getTime(),
    }, { ...ctx, timestamp: now() }, config.format));
    return 0;
  } catch (error) {
    emit(explainErrorLine(config.modelName, error instanceof Error ? error.message : String(error), config.format, now()));
    return 2;
  }
}

// A uniform sample of the window's request rows. Positional rows (CSV, JSON arrays) keep their order; object rows
// are read by feature name. Rows whose width differs from the features are counted and skipped.
async function sampleRequests(location: StoreLocation, start: Date, end: Date, config: ExplainJobConfig, seed: number) {
  const reservoir = new Reservoir<FeatureRow>(config.sample ?? 200, seededRandom(seed ^ 0x5eed));
  const problems = new LineProblems();
  const counters = { files: 0, lines: 0, mismatched: 0, outOfWindow: 0 };
  let features = config.featureNames;
  for await (const object of partitionObjects(location.store, location.prefix, start, end)) {
    counters.files += 1;
    await readObjectLines(location.store, object.key, (lineNumber, text) => {
      counters.lines += 1;
      const parsed = parseCaptureLine(text, 'input');
      if (!parsed.ok) {
        problems.add(object.key, lineNumber, parsed.reason);
        return;
      }
      if (isOwnExplainRequest(parsed.record)) return;
      const t = parsed.record.inferenceTime;
      if (t ? t < start || t >= end : object.lateOnly) {
        counters.outOfWindow += 1;
        return;
      }
      for (const row of parsed.record.rows) {
        features ??= row.kind === 'keyed' ? Object.keys(row.values) : row.values.map((_, i) => `_c${i}`);
        const names = features;
        const values = row.kind === 'keyed' ? names.map((n) => row.values[n]) : row.values;
        if (values.length !== names.length || values.some((v) => v === undefined || (typeof v === 'object' && v !== null))) {
          counters.mismatched += 1;
          continue;
        }
        reservoir.add(values as FeatureValue[]);
      }
    });
  }
  return { reservoir, problems, counters, features };
}
