// How every cloud runs the portable model-quality job (lib/runtime/quality) and the explainability job
// (lib/runtime/explain): the `monitoring.quality` settings, validated with their defaults, and the exact
// environment each job reads, so the AWS, GCP and Azure wiring never differ in variables.
import { DriftJobContainer } from './drift-job';
import { ValidationErrors, isToken } from './errors';
import type { ResolvedModelSpec } from './model-spec';
import { didYouMean } from './suggest';

export type QualityProblemType = 'BinaryClassification' | 'MulticlassClassification' | 'Regression';
export const QUALITY_PROBLEM_TYPES: readonly QualityProblemType[] = ['BinaryClassification', 'MulticlassClassification', 'Regression'];

/** Model-quality monitoring: the proposed `spec.monitoring.quality`. Thresholds left out raise no alarm. */
export interface QualityMonitoringSpec {
  /** What the model predicts; decides the metrics (Model Monitor's problem types). */
  readonly problemType: QualityProblemType;
  /** Classification: alarm when accuracy falls below. @default - no accuracy alarm */
  readonly minAccuracy?: number;
  /** Classification: alarm when precision (multiclass: support-weighted) falls below. @default - no precision alarm */
  readonly minPrecision?: number;
  /** Classification: alarm when recall (multiclass: support-weighted) falls below. @default - no recall alarm */
  readonly minRecall?: number;
  /** Classification: alarm when F1 (multiclass: support-weighted) falls below. @default - no F1 alarm */
  readonly minF1?: number;
  /** Classification with captured probabilities: alarm when ROC AUC falls below. @default - no AUC alarm */
  readonly minAuc?: number;
  /** Regression: alarm when the root mean squared error rises above. @default - no RMSE alarm */
  readonly maxRmse?: number;
  /** Regression: alarm when the mean absolute error rises above. @default - no MAE alarm */
  readonly maxMae?: number;
  /** Regression: alarm when R² falls below. @default - no R² alarm */
  readonly minR2?: number;
  /**
   * Hours labels take to arrive. Each run evaluates the window that ended this long ago; a window that still
   * has traffic but no label then means labels stopped arriving (the "no labels" alarm).
   * @default 24
   */
  readonly labelTimeoutHours?: number;
  /** Alarm when fewer than this share (0..1) of the window's requests got a label. @default - only the "no labels" alarm */
  readonly minLabelCoverage?: number;
  /** Hours of traffic each run evaluates. @default 24 */
  readonly windowHours?: number;
  /** Fewest labelled predictions before a window's metrics are published and alarmed on. @default 30 */
  readonly minSamples?: number;
  /** Where the predicted label or value is in the model's answer: CSV column index or JSON path. @default - see docs/quality.md */
  readonly inferenceAttribute?: string;
  /** Where the probability (binary) or the class probabilities (multiclass) are. @default - see docs/quality.md */
  readonly probabilityAttribute?: string;
  /** Binary: probability at or above which the positive class is predicted. @default 0.5 */
  readonly probabilityThreshold?: number;
  /** Binary: the positive class label. @default '1' */
  readonly positiveLabel?: string;
}

/** The settings with defaults filled in; thresholds stay optional (absent: no alarm). */
export type ResolvedQualityMonitoring = QualityMonitoringSpec & {
  readonly labelTimeoutHours: number;
  readonly windowHours: number;
  readonly minSamples: number;
  readonly probabilityThreshold: number;
  readonly positiveLabel: string;
};

export const QUALITY_DEFAULTS = { labelTimeoutHours: 24, windowHours: 24, minSamples: 30, probabilityThreshold: 0.5, positiveLabel: '1' } as const;

/** Each threshold: its metric, direction, the job's variable, the problem types it applies to, and its range. */
export const QUALITY_THRESHOLDS = {
  minAccuracy: { metric: 'accuracy', env: 'QUALITY_MIN_ACCURACY', classification: true, min: 0, max: 1 },
  minPrecision: { metric: 'precision', env: 'QUALITY_MIN_PRECISION', classification: true, min: 0, max: 1 },
  minRecall: { metric: 'recall', env: 'QUALITY_MIN_RECALL', classification: true, min: 0, max: 1 },
  minF1: { metric: 'f1', env: 'QUALITY_MIN_F1', classification: true, min: 0, max: 1 },
  minAuc: { metric: 'auc', env: 'QUALITY_MIN_AUC', classification: true, min: 0, max: 1 },
  maxRmse: { metric: 'rmse', env: 'QUALITY_MAX_RMSE', classification: false, min: 0, max: Number.MAX_VALUE },
  maxMae: { metric: 'mae', env: 'QUALITY_MAX_MAE', classification: false, min: 0, max: Number.MAX_VALUE },
  minR2: { metric: 'r2', env: 'QUALITY_MIN_R2', classification: false, min: -1_000_000, max: 1 },
} as const;

const KNOWN_KEYS: readonly string[] = [
  'problemType', ...Object.keys(QUALITY_THRESHOLDS), 'labelTimeoutHours', 'minLabelCoverage', 'windowHours', 'minSamples',
  'inferenceAttribute', 'probabilityAttribute', 'probabilityThreshold', 'positiveLabel',
];

/**
 * Validates `monitoring.quality` and fills in defaults; problems are recorded on `errors` under `prefix`. Ready for
 * resolveModelSpec to call once the spec carries the key.
 */
export function resolveQualityMonitoring(quality: QualityMonitoringSpec, errors: ValidationErrors, prefix = 'spec.monitoring.quality'): ResolvedQualityMonitoring {
  const p = (prop: string) => `${prefix}.${prop}`;
  const raw = quality as unknown as Record<string, unknown>;
  if (typeof quality !== 'object' || quality === null || Array.isArray(quality)) {
    errors.add(prefix, quality, 'an object with at least problemType');
    return { problemType: 'Regression', ...QUALITY_DEFAULTS };
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(key)) errors.add(p(key), raw[key], `no such key${didYouMean(key, KNOWN_KEYS)}; known keys: ${KNOWN_KEYS.join(', ')}`);
  }
  const typeOk = errors.check(QUALITY_PROBLEM_TYPES.includes(quality.problemType), p('problemType'), quality.problemType, `one of ${QUALITY_PROBLEM_TYPES.map((t) => JSON.stringify(t)).join(', ')}`);
  const classification = quality.problemType !== 'Regression';
  for (const [key, t] of Object.entries(QUALITY_THRESHOLDS)) {
    const value = raw[key];
    if (value === undefined) continue;
    if (!checkNumberValue(errors, p(key), value, { min: t.min, max: t.max })) continue;
    if (typeOk && t.classification !== classification) {
      errors.add(p(key), value, `no value for ${quality.problemType}: ${classification ? 'regression thresholds (maxRmse, maxMae, minR2) need problemType "Regression"' : 'classification thresholds need a classification problemType'}`);
    }
  }
  checkNumberValue(errors, p('labelTimeoutHours'), quality.labelTimeoutHours, { min: 0, max: 744, integer: true });
  checkNumberValue(errors, p('minLabelCoverage'), quality.minLabelCoverage, { min: 0, max: 1 });
  checkNumberValue(errors, p('windowHours'), quality.windowHours, { min: 1, max: 744, integer: true });
  checkNumberValue(errors, p('minSamples'), quality.minSamples, { min: 1, max: 1_000_000, integer: true });
  checkNumberValue(errors, p('probabilityThreshold'), quality.probabilityThreshold, { min: 0, max: 1 });
  for (const key of ['inferenceAttribute', 'probabilityAttribute', 'positiveLabel'] as const) {
    const value = quality[key];
    if (value !== undefined) errors.check(typeof value === 'string' && value.trim().length > 0 && value.length <= 256, p(key), value, 'a non-empty string of at most 256 characters');
  }
  if (quality.problemType !== 'BinaryClassification') {
    for (const key of ['probabilityThreshold', 'positiveLabel'] as const) {
      if (quality[key] !== undefined) errors.add(p(key), quality[key], 'no value: it applies to problemType "BinaryClassification" only');
    }
  }
  return {
    ...quality,
    labelTimeoutHours: quality.labelTimeoutHours ?? QUALITY_DEFAULTS.labelTimeoutHours,
    windowHours: quality.windowHours ?? QUALITY_DEFAULTS.windowHours,
    minSamples: quality.minSamples ?? QUALITY_DEFAULTS.minSamples,
    probabilityThreshold: quality.probabilityThreshold ?? QUALITY_DEFAULTS.probabilityThreshold,
    positiveLabel: quality.positiveLabel ?? QUALITY_DEFAULTS.positiveLabel,
  };
}

// A wrong type is a validation problem, never a TypeError; a token skips the range check.
function checkNumberValue(errors: ValidationErrors, prop: string, value: unknown, range: { min: number; max: number; integer?: boolean }): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'number') return errors.check(false, prop, value, range.integer ? `an integer from ${range.min} to ${range.max}` : `a number from ${range.min} to ${range.max}`);
  return errors.checkNumber(prop, value, range);
}

const URI = /^(s3:\/\/|gs:\/\/|https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/)\S+$/;
const URI_TEXT = 'an s3://, gs:// or https://<account>.blob.core.windows.net/ folder URI';

export interface QualityJobOptions {
  /** Folder above the `YYYY/MM/DD/HH/` capture partitions. */
  readonly captureUri: string;
  /** Folder above the `YYYY/MM/DD/HH/` ground-truth partitions users upload labels to. */
  readonly groundTruthUri: string;
  /** Log line format the cloud's log-to-metric pipeline reads. */
  readonly logFormat: 'aws' | 'gcp' | 'azure';
  /** The model's quality settings (`spec.monitoring.quality` once the spec carries it). */
  readonly quality: QualityMonitoringSpec;
  /**
   * Writes a number into an environment value. Pass the framework's `Token.asString` so a number token (a
   * parameter or variable) survives; `String` would print its encoded placeholder.
   * @default String
   */
  readonly numberToString?: (value: number) => string;
}

/**
 * The quality job's environment for `spec` (the contract lib/runtime/quality reads), validating the settings under
 * `construct`. Every cloud's deployment of the job (Lambda, Cloud Run job, Container Apps job) passes exactly this.
 */
export function qualityJobEnvironment(spec: ResolvedModelSpec, options: QualityJobOptions, construct: string): Record<string, string> {
  const errors = new ValidationErrors(construct);
  errors.checkPattern('qualityJob.captureUri', options.captureUri, URI, URI_TEXT);
  errors.checkPattern('qualityJob.groundTruthUri', options.groundTruthUri, URI, URI_TEXT);
  const quality = resolveQualityMonitoring(options.quality, errors, 'qualityJob.quality');
  errors.throwIfAny();
  const num = options.numberToString ?? String;
  const env: Record<string, string> = {
    MODEL_NAME: spec.name,
    QUALITY_CAPTURE_URI: options.captureUri,
    QUALITY_GROUND_TRUTH_URI: options.groundTruthUri,
    QUALITY_PROBLEM_TYPE: quality.problemType,
    QUALITY_WINDOW_HOURS: num(quality.windowHours),
    QUALITY_LABEL_DELAY_HOURS: num(quality.labelTimeoutHours),
    QUALITY_MIN_SAMPLES: num(quality.minSamples),
    LOG_FORMAT: options.logFormat,
    // A run that crosses a threshold succeeded: the alarms read its metrics; a non-zero exit would make the runner retry.
    QUALITY_EXIT_CODE: '0',
  };
  if (quality.problemType === 'BinaryClassification') {
    env.QUALITY_PROBABILITY_THRESHOLD = num(quality.probabilityThreshold);
    env.QUALITY_POSITIVE_LABEL = quality.positiveLabel;
  }
  if (quality.inferenceAttribute !== undefined) env.QUALITY_INFERENCE_ATTRIBUTE = quality.inferenceAttribute;
  if (quality.probabilityAttribute !== undefined) env.QUALITY_PROBABILITY_ATTRIBUTE = quality.probabilityAttribute;
  for (const [key, t] of Object.entries(QUALITY_THRESHOLDS)) {
    const value = (quality as unknown as Record<string, number | undefined>)[key];
    if (value !== undefined) env[t.env] = num(value);
  }
  if (quality.minLabelCoverage !== undefined) env.QUALITY_MIN_LABEL_COVERAGE = num(quality.minLabelCoverage);
  return env;
}

/**
 * The quality job as a container running a prebuilt image (docker/drift-job serves both jobs: its entry takes
 * the job name). There is deliberately no default that downloads the package at run time: without an image,
 * clouds deploy the pre-bundled job code (assets/quality-*) as a function.
 */
export function qualityJobContainer(spec: ResolvedModelSpec, options: QualityJobOptions & { readonly image: string }, construct: string): DriftJobContainer {
  return { image: options.image, command: [], args: [], env: qualityJobEnvironment(spec, options, construct) };
}

export interface ExplainJobOptions {
  /** Folder above the `YYYY/MM/DD/HH/` capture partitions. */
  readonly captureUri: string;
  readonly logFormat: 'aws' | 'gcp' | 'azure';
  /** The endpoint the job's HTTP predictor calls (GCP/Azure). @default - none: the entry supplies its own predict */
  readonly endpointUrl?: string;
  /** Feature names in request order. @default - `_c0`, `_c1`, ... */
  readonly featureNames?: readonly string[];
  /** Requests sampled per run. @default 200 */
  readonly sample?: number;
  /** Hours of traffic each run samples. @default 24 */
  readonly windowHours?: number;
}

/** The explainability job's environment (the contract lib/runtime/explain/explain-job.ts reads). */
export function explainJobEnvironment(spec: ResolvedModelSpec, options: ExplainJobOptions, construct: string): Record<string, string> {
  const errors = new ValidationErrors(construct);
  errors.checkPattern('explainJob.captureUri', options.captureUri, URI, URI_TEXT);
  errors.checkPattern('explainJob.endpointUrl', options.endpointUrl, /^https:\/\/\S+$/, 'an https:// URL');
  errors.checkNumber('explainJob.sample', options.sample, { min: 1, max: 100_000, integer: true });
  errors.checkNumber('explainJob.windowHours', options.windowHours, { min: 1, max: 744, integer: true });
  if (options.featureNames !== undefined && !isToken(options.featureNames) && errors.checkStringList('explainJob.featureNames', options.featureNames)) {
    options.featureNames.forEach((f, i) => errors.check(f.length > 0 && !f.includes(','), `explainJob.featureNames[${i}]`, f, 'a non-empty name without commas'));
  }
  errors.throwIfAny();
  return {
    MODEL_NAME: spec.name,
    EXPLAIN_CAPTURE_URI: options.captureUri,
    EXPLAIN_WINDOW_HOURS: String(options.windowHours ?? 24),
    EXPLAIN_SAMPLE: String(options.sample ?? 200),
    LOG_FORMAT: options.logFormat,
    ...(options.endpointUrl ? { EXPLAIN_ENDPOINT_URL: options.endpointUrl } : {}),
    ...(options.featureNames ? { EXPLAIN_FEATURE_NAMES: options.featureNames.join(',') } : {}),
  };
}
