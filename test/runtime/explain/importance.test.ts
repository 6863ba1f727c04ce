import { FeatureRow, featureGrid, featureImportance, partialDependence } from '../../../lib/runtime/explain/importance';
import { seededRandom } from '../../../lib/runtime/shared/seeded-random';

const features = ['x1', 'x2', 'x3'];
const random = seededRandom(3);
const rows: FeatureRow[] = Array.from({ length: 100 }, () => [random(), random(), random()]);
const linear = async (batch: readonly FeatureRow[]) => batch.map(([a, b]) => 3 * Number(a) + 0.5 * Number(b));

describe('featureImportance', () => {
  it('ranks features by the mean change of the prediction when no labels are given', async () => {
    const result = await featureImportance({ features, rows, predict: linear, seed: 5 });

    expect(result.method).toBe('prediction_change');
    expect(result.ranking).toEqual(['x1', 'x2', 'x3']);
    // Shuffling a uniform column changes a*x by a*E|U-U'| = a/3 on average.
    expect(result.importance.x1).toBeGreaterThan(0.7);
    expect(result.importance.x1).toBeLessThan(1.3);
    // About 6 times x2's (3 / 0.5), up to the noise of 3 shuffles of 100 rows.
    expect(result.importance.x1 / result.importance.x2).toBeGreaterThan(4);
    expect(result.importance.x1 / result.importance.x2).toBeLessThan(9);
    expect(result.importance.x3).toBe(0);
    expect(result.predictions).toHaveLength(100);
  });

  it('measures the growth of the mean squared error against labels', async () => {
    const labels = rows.map(([a, b]) => 3 * Number(a) + 0.5 * Number(b));

    const result = await featureImportance({ features, rows, labels, predict: linear, seed: 5 });

    expect(result.method).toBe('permutation_mse');
    expect(result.baselineMse).toBe(0);
    // Shuffling adds a² * 2 Var(U) = a²/6 of squared error.
    expect(result.importance.x1).toBeCloseTo(9 / 6, 0);
    expect(result.importance.x2).toBeCloseTo(0.25 / 6, 1);
    expect(result.ranking).toEqual(['x1', 'x2', 'x3']);
  });

  it('repeats exactly for the same seed and differs for another', async () => {
    const a = await featureImportance({ features, rows, predict: linear, seed: 9 });
    const b = await featureImportance({ features, rows, predict: linear, seed: 9 });
    const c = await featureImportance({ features, rows, predict: linear, seed: 10 });

    expect(a.importance).toEqual(b.importance);
    expect(a.importance.x1).not.toBe(c.importance.x1);
  });

  it('rejects a model that answers the wrong number of predictions or a non-number', async () => {
    await expect(featureImportance({ features, rows, predict: async (b) => b.slice(1).map(() => 1) })).rejects.toThrow('the model returned 99 predictions for 100 rows');
    await expect(featureImportance({ features, rows, predict: async (b) => b.map(() => Number.NaN) })).rejects.toThrow('prediction 0 is null, not a finite number');
    await expect(featureImportance({ features, rows: [], predict: linear })).rejects.toThrow('no rows to explain');
    await expect(featureImportance({ features, rows, labels: [1], predict: linear })).rejects.toThrow('1 labels for 100 rows');
  });
});

describe('partialDependence', () => {
  it('follows the model along the feature: slope 3 for x1, flat for x3', async () => {
    const x1 = await partialDependence({ features, rows, feature: 'x1', predict: linear, gridPoints: 5 });
    const x3 = await partialDependence({ features, rows, feature: 'x3', predict: linear, gridPoints: 5 });

    expect(x1.numeric).toBe(true);
    expect(x1.grid).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect((x1.average[i] - x1.average[i - 1]) / ((x1.grid[i] as number) - (x1.grid[i - 1] as number))).toBeCloseTo(3, 9);
    expect(new Set(x3.average.map((v) => v.toFixed(9))).size).toBe(1);
    await expect(partialDependence({ features, rows, feature: 'x9', predict: linear })).rejects.toThrow('unknown feature "x9"');
  });
});

describe('featureGrid', () => {
  it('takes quantiles with linear interpolation, dropping duplicates', () => {
    expect(featureGrid([4, 0, 2, 1, 3], 5)).toEqual({ values: [0, 1, 2, 3, 4], numeric: true });
    expect(featureGrid(['1', '1', '1'], 4)).toEqual({ values: [1], numeric: true });
    expect(featureGrid([0, 10], 3)).toEqual({ values: [0, 5, 10], numeric: true });
  });

  it('takes the most frequent values of a categorical feature', () => {
    expect(featureGrid(['b', 'a', 'b', 'c', 'b', 'a'], 2)).toEqual({ values: ['b', 'a'], numeric: false });
  });
});
