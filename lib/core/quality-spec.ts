// `spec.monitoring.quality`: what model-quality monitoring a spec asks for, validated with its defaults.
// The quality job's environment (lib/core/quality-job.ts) and every cloud's alarms read the resolved form.
import { ValidationErrors } from './errors';
import { checkShape, Shape } from './shape';

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

/**
 * The settings with defaults filled in; thresholds stay optional (absent: no alarm). `probabilityThreshold` and
 * `positiveLabel` are filled for BinaryClassification only (they mean nothing for the other problem types).
 */
export type ResolvedQualityMonitoring = QualityMonitoringSpec & {
  readonly labelTimeoutHours: number;
  readonly windowHours: number;
  readonly minSamples: number;
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

/** Every key of `monitoring.quality`, and what it holds. */
export const QUALITY_SPEC_SHAPE: Shape = {
  problemType: { oneOf: QUALITY_PROBLEM_TYPES },
  ...Object.fromEntries(Object.keys(QUALITY_THRESHOLDS).map((key) => [key, 'number' as const])),
  labelTimeoutHours: 'number',
  minLabelCoverage: 'number',
  windowHours: 'number',
  minSamples: 'number',
  inferenceAttribute: 'string',
  probabilityAttribute: 'string',
  probabilityThreshold: 'number',
  positiveLabel: 'string',
};

/**
 * Validates `monitoring.quality` and fills in defaults; problems are recorded on `errors` under `prefix`. Ready for
 * resolveModelSpec to call once the spec carries the key.
 */
export function resolveQualityMonitoring(input: QualityMonitoringSpec, errors: ValidationErrors, prefix = 'spec.monitoring.quality'): ResolvedQualityMonitoring {
  const p = (prop: string) => `${prefix}.${prop}`;
  const quality: Partial<QualityMonitoringSpec> = checkShape<QualityMonitoringSpec>(errors, prefix, input, QUALITY_SPEC_SHAPE, 'a quality block with at least problemType');
  const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
  if (isObject && (input as Partial<QualityMonitoringSpec>).problemType === undefined) errors.add(p('problemType'), undefined, `one of ${QUALITY_PROBLEM_TYPES.map((t) => JSON.stringify(t)).join(', ')}`);
  const problemType = quality.problemType ?? 'Regression';
  const classification = problemType !== 'Regression';
  for (const [key, t] of Object.entries(QUALITY_THRESHOLDS)) {
    const value = quality[key as keyof typeof QUALITY_THRESHOLDS];
    if (value === undefined || !errors.checkNumber(p(key), value, { min: t.min, max: t.max })) continue;
    if (quality.problemType !== undefined && t.classification !== classification) {
      errors.add(p(key), value, `no value for ${problemType}: ${classification ? 'regression thresholds (maxRmse, maxMae, minR2) need problemType "Regression"' : 'classification thresholds need a classification problemType'}`);
    }
  }
  errors.checkNumber(p('labelTimeoutHours'), quality.labelTimeoutHours, { min: 0, max: 744, integer: true });
  errors.checkNumber(p('minLabelCoverage'), quality.minLabelCoverage, { min: 0, max: 1 });
  errors.checkNumber(p('windowHours'), quality.windowHours, { min: 1, max: 744, integer: true });
  errors.checkNumber(p('minSamples'), quality.minSamples, { min: 1, max: 1_000_000, integer: true });
  errors.checkNumber(p('probabilityThreshold'), quality.probabilityThreshold, { min: 0, max: 1 });
  for (const key of ['inferenceAttribute', 'probabilityAttribute', 'positiveLabel'] as const) {
    const value = quality[key];
    if (value !== undefined) errors.check(value.trim().length > 0 && value.length <= 256, p(key), value, 'a non-empty string of at most 256 characters');
  }
  if (quality.problemType !== undefined && problemType !== 'BinaryClassification') {
    for (const key of ['probabilityThreshold', 'positiveLabel'] as const) {
      if (quality[key] !== undefined) errors.add(p(key), quality[key], 'no value: it applies to problemType "BinaryClassification" only');
    }
  }
  return {
    ...quality,
    problemType,
    labelTimeoutHours: quality.labelTimeoutHours ?? QUALITY_DEFAULTS.labelTimeoutHours,
    windowHours: quality.windowHours ?? QUALITY_DEFAULTS.windowHours,
    minSamples: quality.minSamples ?? QUALITY_DEFAULTS.minSamples,
    ...(problemType === 'BinaryClassification' ? {
      probabilityThreshold: quality.probabilityThreshold ?? QUALITY_DEFAULTS.probabilityThreshold,
      positiveLabel: quality.positiveLabel ?? QUALITY_DEFAULTS.positiveLabel,
    } : {}),
  };
}
