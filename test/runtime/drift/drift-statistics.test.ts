import { bucketIndex, cdfDistance, ksCriticalValue, lInfinity, populationStabilityIndex, proportions } from '../../../lib/runtime/drift/drift-statistics';

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

  it('gives the KS critical value at 95%', () => {
    expect(ksCriticalValue(100, 100)).toBeCloseTo(1.3581 * Math.sqrt(2 / 100), 3);
    expect(ksCriticalValue(0, 10)).toBe(Infinity);
  });

  it('places values in [lower, upper) buckets with outer buckets for out-of-range values', () => {
    const edges = [0, 1, 2];
    expect([-1, 0, 0.5, 1, 2, 3].map((x) => bucketIndex(edges, x))).toEqual([0, 1, 1, 2, 2, 3]);
  });
});
