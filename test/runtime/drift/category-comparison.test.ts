import { TAIL_LABEL, chiSquareTwoSample, compareCategories } from '../../../lib/runtime/drift/category-comparison';
import { chiSquareSf } from '../../../lib/runtime/drift/p-values';

describe('compareCategories', () => {
  it('runs the chi-square test of homogeneity as scipy.stats.chi2_contingency(correction=False)', () => {
    // chi2_contingency([[2500, 1500, 1000], [38, 32, 30]], correction=False) -> 7.821796667535014, p 0.0200225060868195, dof 2
    const test = chiSquareTwoSample([2500, 1500, 1000], [38, 32, 30]);

    expect(test.statistic).toBeCloseTo(7.821796667535014, 9);
    expect(test.degreesOfFreedom).toBe(2);
    expect(chiSquareSf(test.statistic, test.degreesOfFreedom)).toBeCloseTo(0.0200225060868195, 12);
  });

  it('keeps categories with enough expected mass and tests them with the tail as one bucket', () => {
    // Every bucket, tail included, is expected at least 5 times in a window of 100.
    const c = compareCategories(['a', 'b', 'c', 'other'], [2500, 1500, 700, 300], [40, 30, 20, 10], new Set([3]));

    // chi2_contingency([[2500, 1500, 700, 300], [40, 30, 20, 10]], correction=False) -> 7.0491490982982, p 0.0703476134957181
    expect(c.labels).toEqual(['a', 'b', 'c', TAIL_LABEL]);
    expect(c.statistic).toBeCloseTo(7.0491490982982, 9);
    expect(c.pValue).toBeCloseTo(0.0703476134957181, 12);
    expect(c.tailTestedExactly).toBe(false);
  });

  it('moves categories too rare for the window into the tail, so a 300-value column is not compared value by value', () => {
    const labels = [...Array.from({ length: 300 }, (_, i) => `v${i}`), 'other'];
    const baseline = [...Array.from({ length: 300 }, () => 20), 0];
    const window = [...Array.from({ length: 300 }, (_, i) => (i < 100 ? 1 : 0)), 0];

    const c = compareCategories(labels, baseline, window, new Set([300]));

    // Each value is expected 100/300 times: all share one bucket, and there is nothing left to test.
    expect(c.labels).toEqual([TAIL_LABEL]);
    expect(c.pValue).toBe(1);
  });

  it('tests a tail too small for chi-square exactly: a stray new value is not drift, a flood of them is', () => {
    const labels = ['a', 'other'];
    // A constant baseline column: 5000 times "a".
    const stray = compareCategories(labels, [5000, 0], [99, 1], new Set([1]));
    const flood = compareCategories(labels, [5000, 0], [85, 15], new Set([1]));

    // binom.sf(0, 100, 1/5001) = 0.01979936655528532: one unseen value in 100 rows is not remarkable.
    expect(stray.tailTestedExactly).toBe(true);
    expect(stray.pValue).toBeCloseTo(0.01979936655528532, 12);
    // binom.sf(14, 100, 1/5001) = 8.1e-39.
    expect(flood.pValue).toBeLessThan(1e-30);
  });

  it('combines the kept buckets and the exact tail test with Bonferroni', () => {
    const c = compareCategories(['a', 'b', 'other'], [3000, 1900, 100], [55, 37, 8], new Set([2]));

    // Tail expected 2 times in 100: binom.sf(7, 100, 101/5001) = 0.000991627174685578, doubled for two tests.
    expect(c.tailTestedExactly).toBe(true);
    expect(c.pValue).toBeCloseTo(2 * 0.000991627174685578, 9);
  });

  it('measures PSI and Jensen-Shannon over the compared buckets', () => {
    const same = compareCategories(['a', 'b', 'other'], [500, 500, 0], [50, 50, 0], new Set([2]));
    expect(same.psi).toBeCloseTo(0, 12);
    expect(same.jensenShannon).toBe(0);
  });
});
