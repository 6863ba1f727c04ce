// Regression metrics over the joined (prediction, label) pairs of one window, in constant memory: mean absolute
// error, mean squared error, its root, and R² (as sklearn's r2_score), with Welford's update for the labels'
// spread so a large window does not lose precision.

export interface RegressionMetricsResult {
  readonly mae: number;
  readonly mse: number;
  readonly rmse: number;
  /** 1 - residual / total sum of squares; null when every label is the same (R² is undefined then). */
  readonly r2: number | null;
}

export class RegressionMetrics {
  count = 0;
  private absoluteErrors = 0;
  private squaredErrors = 0;
  private mean = 0;
  private spread = 0;

  add(actual: number, predicted: number): void {
    const error = predicted - actual;
    this.count += 1;
    this.absoluteErrors += Math.abs(error);
    this.squaredErrors += error * error;
    const delta = actual - this.mean;
    this.mean += delta / this.count;
    this.spread += delta * (actual - this.mean);
  }

  result(): RegressionMetricsResult {
    const n = this.count;
    const mse = n === 0 ? 0 : this.squaredErrors / n;
    return {
      mae: n === 0 ? 0 : this.absoluteErrors / n,
      mse,
      rmse: Math.sqrt(mse),
      r2: this.spread > 0 ? 1 - this.squaredErrors / this.spread : null,
    };
  }
}
