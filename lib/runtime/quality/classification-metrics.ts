// Classification metrics over the joined (prediction, label) pairs of one window, defined as scikit-learn
// defines them (a ratio with a zero denominator is 0, as sklearn's default zero_division gives), so the numbers can
// be checked against sklearn. Multiclass `precision`/`recall`/`f1` are support-weighted averages, as Model Monitor
// reports them (weighted_precision...); macro averages are reported next to them.

/** The confusion matrix keyed actual label -> predicted label -> count (Model Monitor's layout). */
export type ConfusionMatrix = Record<string, Record<string, number>>;

export interface BinaryMetricsResult {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Area under the ROC curve; null without probabilities, or when the window holds one class only. */
  readonly auc: number | null;
  readonly true_positive_rate: number | null;
  readonly true_negative_rate: number | null;
  readonly false_positive_rate: number | null;
  readonly false_negative_rate: number | null;
}

export interface MulticlassMetricsResult {
  readonly accuracy: number;
  /** Support-weighted, as Model Monitor: equal to weighted_precision. */
  readonly precision: number;
  /** Support-weighted: equal to weighted_recall (and so to accuracy). */
  readonly recall: number;
  /** Support-weighted: equal to weighted_f1. */
  readonly f1: number;
  readonly weighted_precision: number;
  readonly weighted_recall: number;
  readonly weighted_f1: number;
  readonly macro_precision: number;
  readonly macro_recall: number;
  readonly macro_f1: number;
  /** One-vs-rest AUC, macro-averaged, where class-probability vectors are captured and labels are class indices. */
  readonly auc: number | null;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const rate = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** Counts of a binary window, and the scores for AUC. */
export class BinaryMetrics {
  tp = 0;
  fp = 0;
  tn = 0;
  fn = 0;
  private readonly scores: number[] = [];
  private readonly scoredPositive: boolean[] = [];
  private unscored = 0;

  add(actualPositive: boolean, predictedPositive: boolean, score?: number): void {
    if (actualPositive) {
      if (predictedPositive) this.tp += 1;
      else this.fn += 1;
    } else if (predictedPositive) this.fp += 1;
    else this.tn += 1;
    if (score === undefined) this.unscored += 1;
    else {
      this.scores.push(score);
      this.scoredPositive.push(actualPositive);
    }
  }

  get count(): number {
    return this.tp + this.fp + this.tn + this.fn;
  }

  result(): BinaryMetricsResult {
    const { tp, fp, tn, fn } = this;
    // AUC only when every pair has a score and some score is a real probability (not a hard 0/1 answer).
    const probabilities = this.unscored === 0 && this.scores.some((s) => s > 0 && s < 1);
    return {
      accuracy: ratio(tp + tn, this.count),
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
      auc: probabilities ? rocAuc(this.scores, this.scoredPositive) : null,
      true_positive_rate: rate(tp, tp + fn),
      true_negative_rate: rate(tn, tn + fp),
      false_positive_rate: rate(fp, fp + tn),
      false_negative_rate: rate(fn, fn + tp),
    };
  }

  /** Model Monitor's layout with "1" for the positive class and "0" for the negative one. */
  confusionMatrix(): ConfusionMatrix {
    return { 0: { 0: this.tn, 1: this.fp }, 1: { 0: this.fn, 1: this.tp } };
  }
}

/**
 * Area under the ROC curve by the rank statistic (Mann-Whitney U, tied scores share their average rank),
 * which equals the trapezoidal ROC area sklearn's roc_auc_score computes. Null when a class is missing.
 */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number | null {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j += 1;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[order[k]]) {
        positives += 1;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Most classes a line lists in its confusion matrix; a window with more reports the most frequent ones. */
export const MAX_REPORTED_CLASSES = 50;

/** The confusion matrix of a multiclass window, and the probability vectors for AUC. */
export class MulticlassMetrics {
  private readonly matrix = new Map<string, Map<string, number>>();
  private readonly vectors: { actual: string; probabilities: readonly number[] }[] = [];
  private withoutVector = 0;
  count = 0;

  add(actual: string, predicted: string, probabilities?: readonly number[]): void {
    const row = this.matrix.get(actual) ?? new Map<string, number>();
    row.set(predicted, (row.get(predicted) ?? 0) + 1);
    this.matrix.set(actual, row);
    this.count += 1;
    if (probabilities) this.vectors.push({ actual, probabilities });
    else this.withoutVector += 1;
  }

  /** Every label seen as actual or predicted, numbers in numeric order before other labels. */
  classes(): string[] {
    const all = new Set<string>();
    for (const [actual, row] of this.matrix) {
      all.add(actual);
      for (const predicted of row.keys()) all.add(predicted);
    }
    return [...all].sort(compareLabels);
  }

  result(): MulticlassMetricsResult {
    const classes = this.classes();
    const cell = (a: string, p: string) => this.matrix.get(a)?.get(p) ?? 0;
    let correct = 0;
    let weightedP = 0;
    let weightedR = 0;
    let weightedF = 0;
    let macroP = 0;
    let macroR = 0;
    let macroF = 0;
    for (const c of classes) {
      const tp = cell(c, c);
      const predicted = classes.reduce((sum, a) => sum + cell(a, c), 0);
      const support = classes.reduce((sum, p) => sum + cell(c, p), 0);
      const precision = ratio(tp, predicted);
      const recall = ratio(tp, support);
      const f1 = ratio(2 * tp, predicted + support);
      correct += tp;
      macroP += precision;
      macroR += recall;
      macroF += f1;
      weightedP += precision * support;
      weightedR += recall * support;
      weightedF += f1 * support;
    }
    const k = classes.length;
    const n = this.count;
    return {
      accuracy: ratio(correct, n),
      precision: ratio(weightedP, n),
      recall: ratio(weightedR, n),
      f1: ratio(weightedF, n),
      weighted_precision: ratio(weightedP, n),
      weighted_recall: ratio(weightedR, n),
      weighted_f1: ratio(weightedF, n),
      macro_precision: ratio(macroP, k),
      macro_recall: ratio(macroR, k),
      macro_f1: ratio(macroF, k),
      auc: this.ovrAuc(),
    };
  }

  /** Actual -> predicted counts for the (at most MAX_REPORTED_CLASSES) most frequent actual classes. */
  confusionMatrix(): { matrix: ConfusionMatrix; truncated: boolean } {
    const classes = this.classes();
    const support = (c: string) => [...(this.matrix.get(c)?.values() ?? [])].reduce((a, b) => a + b, 0);
    const kept = classes.length <= MAX_REPORTED_CLASSES
      ? classes
      : [...classes].sort((a, b) => support(b) - support(a) || compareLabels(a, b)).slice(0, MAX_REPORTED_CLASSES).sort(compareLabels);
    const matrix: ConfusionMatrix = {};
    for (const a of kept) {
      matrix[a] = {};
      for (const p of kept) matrix[a][p] = this.matrix.get(a)?.get(p) ?? 0;
    }
    return { matrix, truncated: kept.length < classes.length };
  }

  // One-vs-rest AUC per class index c (score: probabilities[c]), averaged over classes that have both positive
  // and negative examples; with every class present this is sklearn's roc_auc_score(multi_class="ovr", average="macro").
  private ovrAuc(): number | null {
    if (this.withoutVector > 0 || this.vectors.length === 0) return null;
    const k = this.vectors[0].probabilities.length;
    if (this.vectors.some((v) => v.probabilities.length !== k || !/^\d+$/.test(v.actual) || Number(v.actual) >= k)) return null;
    const aucs: number[] = [];
    for (let c = 0; c < k; c++) {
      const auc = rocAuc(this.vectors.map((v) => v.probabilities[c]), this.vectors.map((v) => Number(v.actual) === c));
      if (auc !== null) aucs.push(auc);
    }
    return aucs.length === 0 ? null : aucs.reduce((a, b) => a + b, 0) / aucs.length;
  }
}

function compareLabels(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  const xn = a.trim() !== '' && Number.isFinite(x);
  const yn = b.trim() !== '' && Number.isFinite(y);
  if (xn && yn) return x - y;
  if (xn !== yn) return xn ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
