import { Baseline, createBaseline } from '../../../lib/runtime/drift/baseline';
import { FeatureDriftResult, WindowAnalyzer } from '../../../lib/runtime/drift/drift-analysis';
import { category, linesStream, normal, seededRandom } from './helpers';

const WEIGHTS = { a: 0.5, b: 0.3, c: 0.2 };

function rows(n: number, seed: number, shift = 0, weights: Record<string, number> = WEIGHTS): string[][] {
  const random = seededRandom(seed);
  const gaussian = normal(random);
  return Array.from({ length: n }, () => [(gaussian() + shift).toFixed(4), category(random, weights)]);
}

let baseline: Baseline;
beforeAll(async () => {
  baseline = await createBaseline(linesStream(['x,color', ...rows(5000, 1).map((r) => r.join(','))]), { header: true });
});

function analyze(window: readonly (readonly unknown[])[], thresholds = {}): Record<string, FeatureDriftResult> {
  const analyzer = new WindowAnalyzer(baseline.statistics, baseline.constraints, thresholds);
  for (const values of window) analyzer.add({ kind: 'positional', values });
  return Object.fromEntries(analyzer.results().map((r) => [r.feature, r]));
}

describe('WindowAnalyzer', () => {
  it('finds no drift when the window comes from the baseline distribution', () => {
    const { x, color } = analyze(rows(2000, 2));

    expect(x.distance).toBeLessThan(0.05);
    expect(x.psi).toBeLessThan(0.05);
    expect(color.distance).toBeLessThan(0.05);
    expect(color.psi).toBeLessThan(0.02);
    expect([x.threshold_crossed, color.threshold_crossed]).toEqual([false, false]);
    expect([...x.violations, ...color.violations]).toEqual([]);
  });

  it('flags a shifted mean: distance near the theoretical KS 0.383 and PSI above 0.2', () => {
    const { x, color } = analyze(rows(2000, 3, 1));

    // KS distance between N(0,1) and N(1,1) is 2*Phi(0.5) - 1 = 0.383.
    expect(x.distance).toBeGreaterThan(0.33);
    expect(x.distance).toBeLessThan(0.43);
    expect(x.psi).toBeGreaterThan(0.2);
    expect(x.threshold_crossed).toBe(true);
    expect(x.violations).toContain('baseline_drift_check');
    expect(color.threshold_crossed).toBe(false);
  });

  it('flags a new category above the threshold and names it', () => {
    const { color } = analyze(rows(2000, 4, 0, { a: 0.4, b: 0.2, c: 0.15, z: 0.25 }));

    expect(color.distance).toBeGreaterThan(0.2);
    expect(color.psi).toBeGreaterThan(0.2);
    expect(color.threshold_crossed).toBe(true);
    expect(color.new_categories).toEqual(['z']);
    expect(color.domain_ratio).toBeCloseTo(0.75, 1);
    expect(color.violations).toEqual(['baseline_drift_check', 'categorical_values_check']);
  });

  it('reports completeness and data type violations', () => {
    const window = rows(200, 5).map((r, i) => (i % 10 === 0 ? ['', r[1]] : i % 10 === 1 ? ['n/a', r[1]] : r));
    const { x } = analyze(window, { threshold: 0.9, psiThreshold: 10 });

    expect(x.completeness).toBeCloseTo(0.9, 12);
    expect(x.baseline_completeness).toBe(1);
    expect(x.type_match_ratio).toBeCloseTo(160 / 180, 12);
    expect(x.violations).toEqual(['completeness_check', 'data_type_check']);
  });

  it('uses explicit thresholds over the baseline ones', () => {
    const { x, color } = analyze(rows(500, 6, 0.3), { threshold: 0.5, categoricalThreshold: 0.01, psiThreshold: 5 });

    expect([x.threshold, x.psi_threshold, color.threshold]).toEqual([0.5, 5, 0.01]);
    expect(x.threshold_crossed).toBe(false);
  });

  it('does not call noise drift on a tiny window with the Robust comparison', () => {
    // 5 values can have a KS distance far above 0.1 by chance; the 95% critical value for n=5 is about 0.6.
    const { x } = analyze(rows(5, 8), { psiThreshold: 100 });

    expect(x.distance).toBeGreaterThan(0.1);
    expect(x.threshold_crossed).toBe(false);
  });
});
