// Feeds joined (prediction, label) pairs into the metrics of the configured problem type and compares the result
// with the thresholds: the cloud-neutral heart of the quality job, independent of storage and log formats.
import { BinaryMetrics, ConfusionMatrix, MulticlassMetrics } from './classification-metrics';
import { Prediction, PredictionOptions, ProblemType, normalizeLabel, toNumber } from './predictions';
import { RegressionMetrics } from './regression-metrics';

/** The metrics each problem type reports (null when the window cannot define one, e.g. AUC without probabilities). */
export type QualityMetrics = Readonly<Record<string, number | null>>;

/** A bound on one reported value: `min` alarms below it, `max` above it. */
export interface QualityThreshold {
  readonly metric: string;
  readonly bound: 'min' | 'max';
  readonly value: number;
}

export interface QualityViolation {
  readonly metric: string;
  readonly bound: 'min' | 'max';
  readonly threshold: number;
  readonly value: number;
}

/** Which metrics each problem type computes: thresholds on other metrics are configuration errors. */
export const METRICS_BY_PROBLEM_TYPE: Readonly<Record<ProblemType, readonly string[]>> = {
  BinaryClassification: ['accuracy', 'precision', 'recall', 'f1', 'auc', 'true_positive_rate', 'true_negative_rate', 'false_positive_rate', 'false_negative_rate'],
  MulticlassClassification: ['accuracy', 'precision', 'recall', 'f1', 'weighted_precision', 'weighted_recall', 'weighted_f1', 'macro_precision', 'macro_recall', 'macro_f1', 'auc'],
  Regression: ['mae', 'mse', 'rmse', 'r2'],
};

/** Accumulates one window's pairs. */
export class QualityAnalyzer {
  private readonly binary = new BinaryMetrics();
  private readonly multiclass = new MulticlassMetrics();
  private readonly regression = new RegressionMetrics();

  private readonly positiveLabel: string;

  constructor(private readonly options: PredictionOptions) {
    this.positiveLabel = normalizeLabel(options.positiveLabel) ?? '1';
  }

  /** Pairs evaluated so far. */
  get count(): number {
    switch (this.options.problemType) {
      case 'BinaryClassification': return this.binary.count;
      case 'MulticlassClassification': return this.multiclass.count;
      case 'Regression': return this.regression.count;
    }
  }

  /**
   * Checks every label of an event first, then adds all its pairs, so an event is used whole or not at all.
   * Returns a reason when a label cannot be read for the problem type.
   */
  add(pairs: readonly { readonly prediction: Prediction; readonly label: unknown }[]): string | undefined {
    const actuals: (string | number)[] = [];
    for (const { label } of pairs) {
      const actual = this.options.problemType === 'Regression' ? toNumber(label) : normalizeLabel(label);
      if (actual === undefined) return `ground-truth label ${JSON.stringify(label)} is not ${this.options.problemType === 'Regression' ? 'a number' : 'a label'}`;
      actuals.push(actual);
    }
    pairs.forEach(({ prediction }, i) => this.addOne(prediction, actuals[i]));
    return undefined;
  }

  /** The metrics of the window (every one null when nothing was evaluated). */
  metrics(): QualityMetrics {
    const names = METRICS_BY_PROBLEM_TYPE[this.options.problemType];
    if (this.count === 0) return Object.fromEntries(names.map((n) => [n, null]));
    const result: Record<string, number | null> = (() => {
      switch (this.options.problemType) {
        case 'BinaryClassification': return { ...this.binary.result() };
        case 'MulticlassClassification': return { ...this.multiclass.result() };
        case 'Regression': return { ...this.regression.result() };
      }
    })();
    return Object.fromEntries(names.map((n) => [n, result[n] ?? null]));
  }

  /** Classification only: actual -> predicted counts. */
  confusionMatrix(): { matrix: ConfusionMatrix; truncated: boolean } | undefined {
    switch (this.options.problemType) {
      case 'BinaryClassification': return { matrix: this.binary.confusionMatrix(), truncated: false };
      case 'MulticlassClassification': return this.multiclass.confusionMatrix();
      case 'Regression': return undefined;
    }
  }

  private addOne(prediction: Prediction, actual: string | number): void {
    if (prediction.kind === 'binary') this.binary.add(actual === this.positiveLabel, prediction.positive, prediction.score);
    else if (prediction.kind === 'multiclass') this.multiclass.add(String(actual), prediction.label, prediction.probabilities);
    else this.regression.add(actual as number, prediction.value);
  }
}

/** The thresholds a set of values crosses; values that are null (not computable) cross nothing. */
export function violations(values: Readonly<Record<string, number | null>>, thresholds: readonly QualityThreshold[]): QualityViolation[] {
  const out: QualityViolation[] = [];
  for (const t of thresholds) {
    const value = values[t.metric];
    if (value === null || value === undefined) continue;
    if (t.bound === 'min' ? value < t.value : value > t.value) out.push({ metric: t.metric, bound: t.bound, threshold: t.value, value });
  }
  return out;
}
