import { bucketIndex, cdfDistance, jensenShannonDistance, lInfinity, populationStabilityIndex, proportions, wassersteinDistance } from '../../../lib/runtime/drift/drift-statistics';
import { ksPValue } from '../../../lib/runtime/drift/p-values';

const points = (values: number[]) => values.map((value) => ({ value, weight: 1 }));

describe('drift statistics', () => {
  it('measures the largest CDF gap (two-sample KS statistic)', () => {
    expect(cdfDistance(points([1, 2, 3, 4]), points([1, 2, 3, 4]))).toBe(0);
    // Below 3 the baseline has 1/2 of its mass, the window none.
    expect(cdfDistance(points([1, 2, 3, 4]), points([3, 4, 5, 6]))).toBe(0.5);
    expect(cdfDistance(points([1]), points([5]))).toBe(1);
    expect(cdfDistance([], points([1]))).toBeUndefined();
  });

  it('measures L-infinity between frequency vectors', () => {
    expect(lInfinity([0.5, 0.3, 0.2], [0.4, 0.3, 0.3])).toBeCloseTo(0.1, 12);
  });

  it('computes PSI, with epsilon for empty buckets', () => {
    expect(populationStabilityIndex([0.5, 0.5], [0.5, 0.5])).toBe(0);
    // (0.6-0.5) ln(0.6/0.5) + (0.4-0.5) ln(0.4/0.5)
    expect(populationStabilityIndex([0.5, 0.5], [0.6, 0.4])).toBeCloseTo(0.1 * Math.log(1.2) - 0.1 * Math.log(0.8), 12);
    expect(populationStabilityIndex([1, 0], [0.5, 0.5])).toBeCloseTo(-0.5 * Math.log(0.5) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4), 12);
    expect(proportions([1, 3, 0])).toEqual([0.25, 0.75, 0]);
  });


  it('places values in [lower, upper) buckets with outer buckets for out-of-range values', () => {
    const edges = [0, 1, 2];
    expect([-1, 0, 0.5, 1, 2, 3].map((x) => bucketIndex(edges, x))).toEqual([0, 1, 1, 2, 2, 3]);
  });
});

describe('effect-size distances', () => {
  // Samples and reference numbers from scipy 1.17.1:
  // scipy.stats.ks_2samp(A, B) -> statistic 0.5833333333333334, p 0.04143843772326744
  // scipy.stats.wasserstein_distance(A, B) -> 1.2777777777777777
  const A = [0.12, 1.5, -0.3, 2.2, 0.8, -1.1, 0.05, 1.9, -0.7, 0.33, 1.25, -0.05];
  const B = [1.1, 2.4, 0.9, 3.0, 1.7, 2.8, 0.6, 1.45, 2.05];
  const sorted = (values: number[]) => points([...values].sort((a, b) => a - b));

  it('matches scipy.stats.ks_2samp on two samples: the statistic exactly, the p-value within 20% at these tiny sizes', () => {
    const d = cdfDistance(sorted(A), sorted(B))!;

    expect(d).toBeCloseTo(0.5833333333333334, 12);
    expect(Math.abs(ksPValue(d, A.length, B.length) - 0.04143843772326744) / 0.04143843772326744).toBeLessThan(0.2);
  });

  it('matches scipy.stats.wasserstein_distance, with and without weights', () => {
    expect(wassersteinDistance(sorted(A), sorted(B))).toBeCloseTo(1.2777777777777777, 12);
    // scipy.stats.wasserstein_distance([1, 2, 3], [1, 4], [3, 1, 1], [1, 1]) -> 0.9
    const weighted = [{ value: 1, weight: 3 }, { value: 2, weight: 1 }, { value: 3, weight: 1 }];
    expect(wassersteinDistance(weighted, points([1, 4]))).toBeCloseTo(0.9, 12);
    expect(wassersteinDistance([], points([1]))).toBeUndefined();
  });

  it('matches scipy.spatial.distance.jensenshannon (natural log)', () => {
    // jensenshannon([0.5, 0.3, 0.2], [0.3, 0.3, 0.4]) -> 0.17211473103812178; jensenshannon([10, 0, 5], [2, 6, 2]) -> 0.5316407201760511
    expect(jensenShannonDistance([0.5, 0.3, 0.2], [0.3, 0.3, 0.4])).toBeCloseTo(0.17211473103812178, 12);
    expect(jensenShannonDistance([10, 0, 5], [2, 6, 2])).toBeCloseTo(0.5316407201760511, 12);
    expect(jensenShannonDistance([1, 2], [1, 2])).toBe(0);
  });
});
