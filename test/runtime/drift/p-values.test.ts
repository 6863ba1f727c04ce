import { adjustPValues, binomialLowerTail, binomialUpperTail, chiSquareSf, kolmogorovSf, ksPValue, logGamma } from '../../../lib/runtime/drift/p-values';

// Reference numbers computed with scipy 1.17.1 (python3 -c 'import scipy.stats ...'), as noted per case.
const relative = (actual: number, expected: number) => Math.abs(actual - expected) / expected;

describe('p-values', () => {
  it('computes ln Gamma', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it.each([
    // scipy.stats.chi2.sf(x, df)
    [3.84, 1, 0.05004352124870519],
    [10, 3, 0.01856613546304325],
    [0.5, 1, 0.47950012218695337],
    [200, 99, 8.19391189142209e-9],
    [150, 99, 0.0007204453957169282],
    [1e-3, 5, 0.9999999983185123],
  ])('matches scipy.stats.chi2.sf(%d, %d)', (x, df, expected) => {
    expect(relative(chiSquareSf(x, df), expected)).toBeLessThan(1e-9);
  });

  it('matches scipy.stats.kstwobign.sf, the Kolmogorov distribution', () => {
    // scipy.stats.kstwobign.sf(z) for z in [0.5, 0.8, 1.0, 1.2, 2]
    const expected = [0.9639452436648751, 0.5441424115741981, 0.26999967167735456, 0.11224966667072497, 0.0006709252557796953];
    [0.5, 0.8, 1.0, 1.2, 2].forEach((z, i) => expect(relative(kolmogorovSf(z), expected[i])).toBeLessThan(1e-9));
    expect(kolmogorovSf(0.1)).toBe(1);
  });

  it.each([
    // The exact two-sided p-value scipy.stats.ks_2samp uses at these sizes (method 'exact'):
    // scipy.stats._stats_py._attempt_exact_2kssamp(n, m, gcd(n, m), d, 'two-sided')[2]
    [5000, 100, 0.12, 0.1096945986042013],
    [5000, 100, 0.15, 0.021776740100403404],
    [5000, 100, 0.2, 0.0006549209208155075],
    [5000, 30, 0.2, 0.16029066527645677],
    [5000, 30, 0.3, 0.007087081656364503],
    [5000, 1000, 0.08, 4.4537619644936873e-5],
    [200, 50, 0.2, 0.07485828029796848],
    [200, 50, 0.3, 0.0012187943274704954],
  ])('gives a two-sample KS p-value within 15%% of scipy exact for n=%d, m=%d, D=%d', (n, m, d, expected) => {
    expect(relative(ksPValue(d, n, m), expected)).toBeLessThan(0.15);
  });

  it('gives a p-value of 1 without data', () => {
    expect(ksPValue(0.5, 0, 10)).toBe(1);
  });

  it('computes exact binomial tails as scipy.stats.binom does', () => {
    // scipy.stats.binom.sf(0, 100, 1/5001), binom.sf(14, 100, 1/5001), binom.sf(7, 100, 101/5001)
    expect(relative(binomialUpperTail(1, 100, 1 / 5001), 0.01979936655528532)).toBeLessThan(1e-9);
    expect(relative(binomialUpperTail(15, 100, 1 / 5001), 8.145686815071342e-39)).toBeLessThan(1e-6);
    expect(relative(binomialUpperTail(8, 100, 101 / 5001), 0.000991627174685578)).toBeLessThan(1e-9);
    // scipy.stats.binom.cdf(90, 100, 0.97)
    expect(relative(binomialLowerTail(90, 100, 0.97), 0.0008740584737357019)).toBeLessThan(1e-9);
    expect([binomialUpperTail(0, 10, 0.5), binomialUpperTail(11, 10, 0.5), binomialLowerTail(95, 100, 1), binomialLowerTail(100, 100, 0.3)]).toEqual([1, 0, 0, 1]);
  });

  it('adjusts p-values with Benjamini-Hochberg as scipy.stats.false_discovery_control, and with Bonferroni', () => {
    // scipy.stats.false_discovery_control([0.001, 0.02, 0.03, 0.5, 0.04]) -> [0.005, 0.05, 0.05, 0.5, 0.05]
    adjustPValues([0.001, 0.02, 0.03, 0.5, 0.04], 'bh').forEach((p, i) => expect(p).toBeCloseTo([0.005, 0.05, 0.05, 0.5, 0.05][i], 12));
    expect(adjustPValues([0.001, 0.3], 'bonferroni')).toEqual([0.002, 0.6]);
    expect(adjustPValues([0.001, 0.3], 'none')).toEqual([0.001, 0.3]);
    expect(adjustPValues([], 'bh')).toEqual([]);
  });
});
