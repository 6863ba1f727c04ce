// Model-agnostic explanations computed only through predictions: permutation feature importance and partial
// dependence. The model is a `predict(rows)` function, so the same code explains a local test server, an HTTPS
// endpoint, or SageMaker InvokeEndpoint; randomness comes from a seed, so a run repeats exactly.
import { seededRandom, shuffled } from '../shared/seeded-random';
import { toNumber } from '../quality/predictions';

export type FeatureValue = string | number | boolean | null;
export type FeatureRow = readonly FeatureValue[];

/** Scores rows (values in `features` order); returns one number per row, in order. */
export type Predict = (rows: readonly FeatureRow[], features: readonly string[]) => Promise<number[]>;

/**
 * - `permutation_mse`: labels given; importance = how much the mean squared error between predictions and labels
 *   grows when the feature's column is shuffled (for probabilities and 0/1 labels that is the Brier score).
 * - `prediction_change`: no labels; importance = the mean absolute change of a row's prediction when the
 *   feature's column is shuffled.
 */
export type ImportanceMethod = 'permutation_mse' | 'prediction_change';

export interface ImportanceOptions {
  readonly features: readonly string[];
  readonly rows: readonly FeatureRow[];
  /** Numeric labels, one per row. @default - none: prediction_change */
  readonly labels?: readonly number[];
  readonly predict: Predict;
  /** Shuffles per feature; importance is their mean. @default 3 */
  readonly repeats?: number;
  /** @default 1 */
  readonly seed?: number;
}

export interface ImportanceResult {
  readonly method: ImportanceMethod;
  /** Mean over repeats, per feature. */
  readonly importance: Readonly<Record<string, number>>;
  /** Standard deviation over repeats (population), per feature. */
  readonly importanceStd: Readonly<Record<string, number>>;
  /** Features, most important first (ties keep the input order). */
  readonly ranking: readonly string[];
  /** The model's predictions for the unshuffled rows. */
  readonly predictions: readonly number[];
  /** Mean squared error of the unshuffled predictions (labels given only). */
  readonly baselineMse?: number;
}

/** Permutation importance of every feature. */
export async function featureImportance(options: ImportanceOptions): Promise<ImportanceResult> {
  const { features, rows, labels } = options;
  if (rows.length === 0) throw new Error('no rows to explain');
  if (labels !== undefined && labels.length !== rows.length) throw new Error(`${labels.length} labels for ${rows.length} rows`);
  const predict = checkedPredict(options.predict, features);
  const repeats = options.repeats ?? 3;
  const random = seededRandom(options.seed ?? 1);
  const base = await predict(rows);
  const mse = (predicted: readonly number[]) => predicted.reduce((sum, p, i) => sum + (p - labels![i]) ** 2, 0) / predicted.length;
  const baselineMse = labels === undefined ? undefined : mse(base);

  const importance: Record<string, number> = {};
  const importanceStd: Record<string, number> = {};
  for (let column = 0; column < features.length; column++) {
    const scores: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const permutedColumn = shuffled(rows.map((row) => row[column]), random);
      const predicted = await predict(rows.map((row, i) => withValue(row, column, permutedColumn[i])));
      scores.push(baselineMse !== undefined
        ? mse(predicted) - baselineMse
        : predicted.reduce((sum, p, i) => sum + Math.abs(p - base[i]), 0) / predicted.length);
    }
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    importance[features[column]] = mean;
    importanceStd[features[column]] = Math.sqrt(scores.reduce((sum, s) => sum + (s - mean) ** 2, 0) / scores.length);
  }
  const ranking = features.map((f, i) => ({ f, i })).sort((a, b) => importance[b.f] - importance[a.f] || a.i - b.i).map(({ f }) => f);
  return { method: labels === undefined ? 'prediction_change' : 'permutation_mse', importance, importanceStd, ranking, predictions: base, baselineMse };
}

export interface PartialDependence {
  readonly feature: string;
  /** True when the grid is numeric (quantiles); false for a categorical feature (its most frequent values). */
  readonly numeric: boolean;
  readonly grid: readonly FeatureValue[];
  /** Mean prediction over all rows with the feature set to each grid value. */
  readonly average: readonly number[];
}

/**
 * Partial dependence of the prediction on one feature: for each grid value, every row gets that value and the
 * predictions are averaged. Numeric features use `gridPoints` quantiles of the sample (linear interpolation,
 * duplicates dropped); others their most frequent values.
 */
export async function partialDependence(options: { readonly features: readonly string[]; readonly rows: readonly FeatureRow[]; readonly feature: string; readonly predict: Predict; readonly gridPoints?: number }): Promise<PartialDependence> {
  const column = options.features.indexOf(options.feature);
  if (column < 0) throw new Error(`unknown feature ${JSON.stringify(options.feature)}`);
  const predict = checkedPredict(options.predict, options.features);
  const { values, numeric } = featureGrid(options.rows.map((row) => row[column]), options.gridPoints ?? 10);
  const average: number[] = [];
  for (const value of values) {
    const predicted = await predict(options.rows.map((row) => withValue(row, column, value)));
    average.push(predicted.reduce((a, b) => a + b, 0) / predicted.length);
  }
  return { feature: options.feature, numeric, grid: values, average };
}

/** The grid partial dependence walks: quantiles of a numeric column, else its most frequent values. */
export function featureGrid(column: readonly FeatureValue[], points: number): { values: FeatureValue[]; numeric: boolean } {
  const numbers = column.map(toNumber);
  if (numbers.every((n): n is number => n !== undefined)) {
    const sorted = [...numbers].sort((a, b) => a - b);
    const values: number[] = [];
    for (let i = 0; i < points; i++) {
      const position = points === 1 ? 0 : (i / (points - 1)) * (sorted.length - 1);
      const low = Math.floor(position);
      const high = Math.min(low + 1, sorted.length - 1);
      const value = sorted[low] + (sorted[high] - sorted[low]) * (position - low);
      if (values.length === 0 || values[values.length - 1] !== value) values.push(value);
    }
    return { values, numeric: true };
  }
  const counts = new Map<string, { value: FeatureValue; count: number }>();
  for (const v of column) {
    const key = JSON.stringify(v);
    counts.set(key, { value: v, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  const values = [...counts.values()].sort((a, b) => b.count - a.count).slice(0, points).map((c) => c.value);
  return { values, numeric: false };
}

function withValue(row: FeatureRow, column: number, value: FeatureValue): FeatureValue[] {
  const copy = [...row];
  copy[column] = value;
  return copy;
}

function checkedPredict(predict: Predict, features: readonly string[]): (rows: readonly FeatureRow[]) => Promise<number[]> {
  return async (rows) => {
    const predictions = await predict(rows, features);
    if (predictions.length !== rows.length) throw new Error(`the model returned ${predictions.length} predictions for ${rows.length} rows`);
    const bad = predictions.findIndex((p) => typeof p !== 'number' || !Number.isFinite(p));
    if (bad >= 0) throw new Error(`prediction ${bad} is ${JSON.stringify(predictions[bad])}, not a finite number`);
    return predictions;
  };
}
