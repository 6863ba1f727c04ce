// Compares a window's category counts with the baseline's without crying wolf on mid- and high-cardinality
// columns: categories too rare to test at this window size share one tail bucket, the chi-square test only sees
// buckets with enough expected mass, and a tail too small for it gets an exact binomial test instead.
import { jensenShannonDistance, populationStabilityIndex, proportions } from './drift-statistics';
import { binomialUpperTail, chiSquareSf } from './p-values';

/** Categories expected fewer times than this in the window go to the tail bucket (the usual chi-square rule). */
export const DEFAULT_MIN_EXPECTED_COUNT = 5;

export interface CategoryComparison {
  /** Labels of the compared buckets; the last one is the tail when there is one. */
  readonly labels: readonly string[];
  readonly baselineCounts: readonly number[];
  readonly windowCounts: readonly number[];
  /** Pearson chi-square statistic of the 2 x K table (baseline, window) over the compared buckets; 0 without one. */
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  /** p-value of the comparison: the chi-square test, combined (Bonferroni) with the tail's exact test when it has one. */
  readonly pValue: number;
  /** True when the tail was too small for the chi-square test and got an exact one-sided binomial test. */
  readonly tailTestedExactly: boolean;
  /** Jensen-Shannon distance over the compared buckets (tail included). */
  readonly jensenShannon: number;
  /** PSI over the compared buckets (tail included). */
  readonly psi: number;
}

/** Label of the bucket that gathers rare, unlisted and new categories. */
export const TAIL_LABEL = '(other)';

/**
 * Compares category counts. `labels`, `baseline` and `window` are parallel; `tailIndexes` are buckets that are
 * already aggregates (the baseline's implied "other", which also gathers categories the baseline never saw) and
 * always go to the tail.
 */
export function compareCategories(
  labels: readonly string[],
  baseline: readonly number[],
  window: readonly number[],
  tailIndexes: ReadonlySet<number>,
  minExpected = DEFAULT_MIN_EXPECTED_COUNT,
): CategoryComparison {
  const n = sum(baseline);
  const m = sum(window);
  const kept: number[] = [];
  let tailBaseline = 0;
  let tailWindow = 0;
  for (let j = 0; j < labels.length; j++) {
    // Decided from the baseline alone, so the bucketing does not depend on the data it tests.
    if (!tailIndexes.has(j) && n > 0 && (m * baseline[j]) / n >= minExpected) {
      kept.push(j);
    } else {
      tailBaseline += baseline[j];
      tailWindow += window[j];
    }
  }
  const hasTail = tailBaseline + tailWindow > 0;
  const outLabels = [...kept.map((j) => labels[j]), ...(hasTail ? [TAIL_LABEL] : [])];
  const outBaseline = [...kept.map((j) => baseline[j]), ...(hasTail ? [tailBaseline] : [])];
  const outWindow = [...kept.map((j) => window[j]), ...(hasTail ? [tailWindow] : [])];
  const psi = populationStabilityIndex(proportions(outBaseline), proportions(outWindow));
  const jensenShannon = jensenShannonDistance(outBaseline, outWindow);
  const common = { labels: outLabels, baselineCounts: outBaseline, windowCounts: outWindow, jensenShannon, psi };

  const tailExpected = n > 0 ? (m * tailBaseline) / n : 0;
  if (!hasTail || tailExpected >= minExpected) {
    const test = chiSquareTwoSample(outBaseline, outWindow);
    return { ...common, ...test, pValue: chiSquareSf(test.statistic, test.degreesOfFreedom), tailTestedExactly: false };
  }
  // The tail is too small for the chi-square approximation (a stray new value would look like a landslide):
  // test the kept buckets among themselves, and the tail's window count against Binomial(m, q), where q is the
  // baseline tail share with one pseudo-observation (never 0, so an unseen category is rare, not impossible).
  const test = chiSquareTwoSample(kept.map((j) => baseline[j]), kept.map((j) => window[j]));
  const keptPValue = test.degreesOfFreedom > 0 ? chiSquareSf(test.statistic, test.degreesOfFreedom) : undefined;
  const tailPValue = binomialUpperTail(tailWindow, m, (tailBaseline + 1) / (n + 1));
  const pValues = keptPValue === undefined ? [tailPValue] : [keptPValue, tailPValue];
  return { ...common, ...test, pValue: Math.min(1, pValues.length * Math.min(...pValues)), tailTestedExactly: true };
}

/**
 * Pearson's chi-square test of homogeneity for a 2 x K table (scipy.stats.chi2_contingency with
 * correction=False): columns empty on both sides are left out of the statistic and the degrees of freedom.
 */
export function chiSquareTwoSample(baseline: readonly number[], window: readonly number[]): { statistic: number; degreesOfFreedom: number } {
  const n = sum(baseline);
  const m = sum(window);
  if (n === 0 || m === 0) return { statistic: 0, degreesOfFreedom: 0 };
  const total = n + m;
  let statistic = 0;
  let columns = 0;
  for (let j = 0; j < baseline.length; j++) {
    const column = baseline[j] + window[j];
    if (column === 0) continue;
    columns += 1;
    const expectedB = (n * column) / total;
    const expectedW = (m * column) / total;
    statistic += (baseline[j] - expectedB) ** 2 / expectedB + (window[j] - expectedW) ** 2 / expectedW;
  }
  return { statistic, degreesOfFreedom: Math.max(0, columns - 1) };
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
