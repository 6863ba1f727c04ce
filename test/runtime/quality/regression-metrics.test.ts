import { RegressionMetrics } from '../../../lib/runtime/quality/regression-metrics';

describe('RegressionMetrics', () => {
  it('matches sklearn on a small case (mean_absolute_error 0.5, mean_squared_error 0.375, r2_score 0.948608137...)', () => {
    // python3 + sklearn 1.2.1: y_true [3, -0.5, 2, 7], y_pred [2.5, 0.0, 2, 8]
    const metrics = new RegressionMetrics();
    [[3, 2.5], [-0.5, 0], [2, 2], [7, 8]].forEach(([t, p]) => metrics.add(t, p));

    const result = metrics.result();

    expect(result.mae).toBeCloseTo(0.5, 12);
    expect(result.mse).toBeCloseTo(0.375, 12);
    expect(result.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(result.r2).toBeCloseTo(0.9486081370449679, 12);
  });

  it('gives no R² when every label is the same', () => {
    const metrics = new RegressionMetrics();
    metrics.add(3, 4);
    metrics.add(3, 2);

    expect(metrics.result()).toEqual({ mae: 1, mse: 1, rmse: 1, r2: null });
  });
});
