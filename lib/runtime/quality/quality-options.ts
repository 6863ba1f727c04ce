// The quality job's settings: flags over `QUALITY_*` environment variables (plus MODEL_NAME and LOG_FORMAT,
// shared with the drift job), validated together. lib/core/quality-job.ts writes the same variables for the clouds.
import { LOG_FORMATS, LogFormat } from '../drift/emitters';
import { JobOption, JobOptionReader } from '../shared/job-options';
import { PROBLEM_TYPES, ProblemType, normalizeLabel } from './predictions';
import { METRICS_BY_PROBLEM_TYPE, QualityThreshold } from './quality-analysis';

export interface QualityJobConfig {
  /** Folder directly above the capture's YYYY/MM/DD/HH/ partitions. */
  readonly captureUri: string;
  /** Folder directly above the ground-truth YYYY/MM/DD/HH/ partitions. */
  readonly groundTruthUri: string;
  readonly modelName: string;
  readonly problemType: ProblemType;
  readonly inferenceAttribute?: string;
  readonly probabilityAttribute?: string;
  /** @default 0.5 */
  readonly probabilityThreshold?: number;
  /** @default '1' */
  readonly positiveLabel?: string;
  readonly windowHours: number;
  /** @default - the start of the current UTC hour minus labelDelayHours */
  readonly windowEnd?: Date;
  /** Hours labels take to arrive: the default window ends this long before the current hour. @default 0 */
  readonly labelDelayHours?: number;
  /** Fewest evaluated predictions for the metrics to be reported and compared with thresholds. @default 1 */
  readonly minSamples?: number;
  readonly thresholds: readonly QualityThreshold[];
  readonly format: LogFormat;
  /**
   * Exit code when a threshold is crossed; scheduled jobs set 0 so a finished run is not retried.
   * @default 1
   */
  readonly thresholdExitCode?: number;
}

/** The thresholds the job compares with: flag, environment variable, metric, bound and allowed range. */
export const QUALITY_THRESHOLD_OPTIONS = {
  'min-accuracy': { env: 'QUALITY_MIN_ACCURACY', metric: 'accuracy', bound: 'min', range: [0, 1] },
  'min-precision': { env: 'QUALITY_MIN_PRECISION', metric: 'precision', bound: 'min', range: [0, 1] },
  'min-recall': { env: 'QUALITY_MIN_RECALL', metric: 'recall', bound: 'min', range: [0, 1] },
  'min-f1': { env: 'QUALITY_MIN_F1', metric: 'f1', bound: 'min', range: [0, 1] },
  'min-auc': { env: 'QUALITY_MIN_AUC', metric: 'auc', bound: 'min', range: [0, 1] },
  'max-mae': { env: 'QUALITY_MAX_MAE', metric: 'mae', bound: 'max', range: [0, Number.MAX_VALUE] },
  'max-rmse': { env: 'QUALITY_MAX_RMSE', metric: 'rmse', bound: 'max', range: [0, Number.MAX_VALUE] },
  'min-r2': { env: 'QUALITY_MIN_R2', metric: 'r2', bound: 'min', range: [-Number.MAX_VALUE, 1] },
  'min-label-coverage': { env: 'QUALITY_MIN_LABEL_COVERAGE', metric: 'label_coverage', bound: 'min', range: [0, 1] },
} as const;

type ThresholdFlag = keyof typeof QUALITY_THRESHOLD_OPTIONS;

/** Flags and the environment variables they override. */
export const QUALITY_JOB_OPTIONS = {
  capture: { env: 'QUALITY_CAPTURE_URI' },
  'ground-truth': { env: 'QUALITY_GROUND_TRUTH_URI' },
  model: { env: 'MODEL_NAME' },
  'problem-type': { env: 'QUALITY_PROBLEM_TYPE' },
  'inference-attribute': { env: 'QUALITY_INFERENCE_ATTRIBUTE' },
  'probability-attribute': { env: 'QUALITY_PROBABILITY_ATTRIBUTE' },
  'probability-threshold': { env: 'QUALITY_PROBABILITY_THRESHOLD' },
  'positive-label': { env: 'QUALITY_POSITIVE_LABEL' },
  'window-hours': { env: 'QUALITY_WINDOW_HOURS' },
  'window-end': { env: 'QUALITY_WINDOW_END' },
  'label-delay-hours': { env: 'QUALITY_LABEL_DELAY_HOURS' },
  'min-samples': { env: 'QUALITY_MIN_SAMPLES' },
  ...QUALITY_THRESHOLD_OPTIONS,
  format: { env: 'LOG_FORMAT' },
  'threshold-exit-code': { env: 'QUALITY_EXIT_CODE' },
} as const satisfies Record<string, JobOption>;

export const QUALITY_JOB_USAGE = `Usage: quality-job --capture URI --ground-truth URI --problem-type TYPE [options]

Joins one window of captured predictions with ground-truth labels (SageMaker's merge format, on the event id)
and reports the model's quality. Every flag can come from the environment variable in brackets; flags win.

  --capture URI                folder above the YYYY/MM/DD/HH/ capture partitions [QUALITY_CAPTURE_URI]
  --ground-truth URI           folder above the YYYY/MM/DD/HH/ ground-truth partitions [QUALITY_GROUND_TRUTH_URI]
  --problem-type TYPE          BinaryClassification, MulticlassClassification or Regression [QUALITY_PROBLEM_TYPE]
  --model NAME                 model name written on every line (default "model") [MODEL_NAME]
  --inference-attribute A      predicted label/value: CSV column index or JSON path [QUALITY_INFERENCE_ATTRIBUTE]
  --probability-attribute A    probability (binary) or class probabilities (multiclass) [QUALITY_PROBABILITY_ATTRIBUTE]
  --probability-threshold T    binary: probability at or above T predicts the positive class (default 0.5) [QUALITY_PROBABILITY_THRESHOLD]
  --positive-label L           binary: the positive class label (default 1) [QUALITY_POSITIVE_LABEL]
  --window-hours N             hours of captured traffic evaluated (default 24) [QUALITY_WINDOW_HOURS]
  --window-end ISO             end of the window (default: start of the current UTC hour minus the label delay) [QUALITY_WINDOW_END]
  --label-delay-hours N        how long labels take to arrive (default 0) [QUALITY_LABEL_DELAY_HOURS]
  --min-samples N              fewest labelled predictions to report metrics (default 1) [QUALITY_MIN_SAMPLES]
  --min-accuracy X, --min-precision X, --min-recall X, --min-f1 X, --min-auc X    classification thresholds [QUALITY_MIN_*]
  --max-mae X, --max-rmse X, --min-r2 X                                         regression thresholds [QUALITY_MAX_*, QUALITY_MIN_R2]
  --min-label-coverage X       share of captured events that must have a label, 0..1 [QUALITY_MIN_LABEL_COVERAGE]
  --format aws|gcp|azure|json  log line format (default json) [LOG_FORMAT]
  --threshold-exit-code 0|1    exit code when a threshold is crossed (default 1; scheduled jobs use 0) [QUALITY_EXIT_CODE]

URIs: s3://bucket/prefix/, gs://bucket/prefix/, https://<account>.blob.core.windows.net/<container>/prefix/, or a local path.
Exit codes: 0 ok, 1 a threshold crossed, 2 job error.`;

const SUBJECT = 'quality-job';

/** Reads and validates the settings; throws a JobConfigError listing every problem. */
export function parseQualityJobArgs(argv: readonly string[], env: NodeJS.ProcessEnv, defaults: { readonly modelName?: string } = {}): QualityJobConfig {
  const options = new JobOptionReader(SUBJECT, QUALITY_JOB_OPTIONS, argv, env);
  const captureUri = options.required('capture');
  const groundTruthUri = options.required('ground-truth');
  const modelName = defaults.modelName !== undefined ? options.get('model') ?? defaults.modelName : options.required('model');
  const problemType = options.oneOf('problem-type', PROBLEM_TYPES);
  if (problemType === undefined && options.get('problem-type') === undefined) options.required('problem-type');
  const probabilityThreshold = options.number('probability-threshold', 0, 1);
  const windowHours = options.number('window-hours', 1, 24 * 31, true) ?? 24;
  const labelDelayHours = options.number('label-delay-hours', 0, 24 * 31, true);
  const minSamples = options.number('min-samples', 1, 1_000_000, true);
  const format = options.oneOf('format', LOG_FORMATS, 'json');
  const thresholdExitCode = Number(options.oneOf('threshold-exit-code', ['0', '1'], '1'));
  const windowEnd = options.time('window-end');

  const thresholds: QualityThreshold[] = [];
  for (const [flag, t] of Object.entries(QUALITY_THRESHOLD_OPTIONS) as [ThresholdFlag, (typeof QUALITY_THRESHOLD_OPTIONS)[ThresholdFlag]][]) {
    const value = options.number(flag, t.range[0], t.range[1]);
    if (value === undefined) continue;
    if (problemType !== undefined && t.metric !== 'label_coverage' && !METRICS_BY_PROBLEM_TYPE[problemType].includes(t.metric)) {
      options.add(flag, value, `no value: ${problemType} reports ${METRICS_BY_PROBLEM_TYPE[problemType].join(', ')}`);
      continue;
    }
    thresholds.push({ metric: t.metric, bound: t.bound, value });
  }
  options.throwIfAny();
  return {
    captureUri,
    groundTruthUri,
    modelName,
    problemType: problemType!,
    inferenceAttribute: options.get('inference-attribute'),
    probabilityAttribute: options.get('probability-attribute'),
    probabilityThreshold,
    positiveLabel: normalizeLabel(options.get('positive-label')),
    windowHours,
    windowEnd,
    labelDelayHours,
    minSamples,
    thresholds,
    format,
    thresholdExitCode,
  };
}
