import { Baseline, createBaseline } from '../../../lib/runtime/drift/baseline';
import { AnalyzerOptions, DriftThresholds, FeatureDriftResult, WindowAnalyzer } from '../../../lib/runtime/drift/drift-analysis';
import { ConstraintsFile, MonitoringConfigOverrides, readConstraints } from '../../../lib/runtime/drift/model-monitor-format';
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

function analyze(
  window: readonly (readonly unknown[])[],
  thresholds: DriftThresholds = {},
  constraints: ConstraintsFile = baseline.constraints,
  options: AnalyzerOptions = {},
): Record<string, FeatureDriftResult> {
  const analyzer = new WindowAnalyzer(baseline.statistics, constraints, thresholds, options);
  for (const values of window) analyzer.add({ kind: 'positional', values });
  return Object.fromEntries(analyzer.results().map((r) => [r.feature, r]));
}

function withConfig(config: MonitoringConfigOverrides): ConstraintsFile {
  return readConstraints({ ...baseline.constraints, monitoring_config: { ...baseline.constraints.monitoring_config, ...config, distribution_constraints: { ...baseline.constraints.monitoring_config.distribution_constraints, ...config.distribution_constraints } } });
}

describe('WindowAnalyzer', () => {
  it('finds no drift when the window comes from the baseline distribution', () => {
    const { x, color } = analyze(rows(2000, 2));

    expect(x.linf_distance).toBeLessThan(0.05);
    expect(x.wasserstein).toBeLessThan(0.1);
    expect(x.psi).toBeLessThan(0.05);
    expect(color.linf_distance).toBeLessThan(0.05);
    expect(color.psi).toBeLessThan(0.02);
    expect([x.verdict, color.verdict]).toEqual(['no_drift', 'no_drift']);
    expect([x.threshold_crossed, color.threshold_crossed]).toEqual([false, false]);
    expect([...x.violations, ...color.violations]).toEqual([]);
  });

  it('flags a shifted mean: KS distance near the theoretical 0.383, Wasserstein near 1 sd, PSI above 0.2', () => {
    const { x, color } = analyze(rows(2000, 3, 1));

    // KS distance between N(0,1) and N(1,1) is 2*Phi(0.5) - 1 = 0.383; their Wasserstein distance is the shift, 1 sd.
    expect(x.linf_distance).toBeGreaterThan(0.33);
    expect(x.linf_distance).toBeLessThan(0.43);
    expect(x).toMatchObject({ test: 'wasserstein', verdict: 'drift', drifted: true, threshold_crossed: true, window_size: 2000, baseline_size: 5000 });
    expect(x.distance).toBeCloseTo(1, 0);
    expect(x.psi).toBeGreaterThan(0.2);
    expect(x.p_value).toBeLessThan(1e-10);
    expect(x.violations).toContain('baseline_drift_check');
    expect(color.threshold_crossed).toBe(false);
  });

  it('flags a new category above the threshold and names it', () => {
    const { color } = analyze(rows(2000, 4, 0, { a: 0.4, b: 0.2, c: 0.15, z: 0.25 }));

    expect(color.linf_distance).toBeGreaterThan(0.2);
    expect(color.psi).toBeGreaterThan(0.2);
    expect(color).toMatchObject({ test: 'jensen_shannon', drifted: true });
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

  it('does not call noise drift on a small window with the Robust comparison', () => {
    // 8 values can have a KS distance far above 0.1 by chance; the KS p-value says it is chance.
    const { x } = analyze(rows(8, 8), { minWindowRows: 5 });

    expect(x.distance).toBeGreaterThan(0.1);
    expect(x.p_value).toBeGreaterThan(0.05);
    expect(x.drifted).toBe(false);
  });

  it('compares with the threshold alone when the baseline asks for the Simple comparison', () => {
    const simple = withConfig({ distribution_constraints: { comparison_method: 'Simple' } });
    const { x } = analyze(rows(8, 8), { minWindowRows: 5 }, simple);

    expect(x).toMatchObject({ test: 'ks', drifted: true, p_value_adjusted: null });
  });

  it('runs the chi-square test at every window size when the baseline asks for ChiSquared', () => {
    const chiSquared = withConfig({ distribution_constraints: { categorical_drift_method: 'ChiSquared' } });
    const { color } = analyze(rows(2000, 4, 0, { a: 0.4, b: 0.2, c: 0.15, z: 0.25 }), {}, chiSquared);

    expect(color).toMatchObject({ test: 'chi_square', drifted: true });
    expect(color.jensen_shannon).toBeGreaterThan(0.1);
  });

  it('applies a feature\'s monitoringConfigOverrides over the job thresholds and the global config', () => {
    const constraints = {
      ...baseline.constraints,
      features: baseline.constraints.features.map((f) =>
        f.name === 'x' ? { ...f, monitoringConfigOverrides: { emit_metrics: 'Disabled' as const, distribution_constraints: { perform_comparison: 'Disabled' as const } } } : f,
      ),
    };
    const { x, color } = analyze(rows(500, 9, 2), { threshold: 0.2 }, constraints);

    expect(x).toMatchObject({ verdict: 'not_compared', drifted: false, test: 'none', emit_metrics: false });
    expect(x.linf_distance).toBeGreaterThan(0.5);
    expect(color).toMatchObject({ emit_metrics: true, threshold: 0.2 });
  });

  it('reads NA, null, NaN and None as missing, and the markers it is given', () => {
    const window = rows(100, 10).map((r, i) => (i < 4 ? [['NA', 'null', 'NaN', 'None'][i], r[1]] : r));

    // The baseline column was complete, so missing values break its completeness constraint either way.
    expect(analyze(window).x).toMatchObject({ num_present: 96, type_match_ratio: 1, violations: ['completeness_check'] });
    expect(analyze(window, {}, baseline.constraints, { missingValues: ['NA'] }).x).toMatchObject({
      num_present: 99,
      type_match_ratio: 96 / 99,
      violations: ['completeness_check', 'data_type_check'],
    });
  });

  it('names extra columns and reports them as extra_column_check violations', () => {
    const analyzer = new WindowAnalyzer(baseline.statistics, baseline.constraints);
    for (const r of rows(50, 11)) analyzer.add({ kind: 'positional', values: [...r, 'extra'] });
    analyzer.add({ kind: 'keyed', values: { x: 0.1, color: 'a', surprise: 1 } });

    expect(analyzer.extraColumns).toEqual(['surprise', '_c2']);
    expect(analyzer.analyze().violations.filter((v) => v.check === 'extra_column_check').map((v) => v.feature)).toEqual(['surprise', '_c2']);
  });

  it('gives baseline and window histograms over the same buckets', () => {
    const analyzer = new WindowAnalyzer(baseline.statistics, baseline.constraints);
    for (const values of rows(200, 12, 1)) analyzer.add({ kind: 'positional', values });
    const [x, color] = analyzer.histograms();

    expect(x.labels).toHaveLength(20);
    expect([x.baseline.reduce((s, c) => s + c, 0), x.window.reduce((s, c) => s + c, 0)]).toEqual([5000, 200]);
    expect(color).toMatchObject({ kind: 'categorical', labels: ['a', 'b', 'c'] });
  });

  it('warns when a baseline has no KLL sketch and measures from its buckets', () => {
    const statistics = {
      ...baseline.statistics,
      features: baseline.statistics.features.map((f) =>
        f.numerical_statistics ? { ...f, numerical_statistics: { ...f.numerical_statistics, distribution: { kll: { ...f.numerical_statistics.distribution.kll, sketch: { parameters: { c: 0.64, k: 2048 }, data: [] } } } } } : f,
      ),
    };
    const analyzer = new WindowAnalyzer(statistics, baseline.constraints);
    for (const values of rows(500, 13, 1)) analyzer.add({ kind: 'positional', values });

    expect(analyzer.warnings).toEqual(['feature x: statistics.json has no KLL sketch; KS and Wasserstein distances come from its 10 buckets (coarser)']);
    expect(analyzer.results()[0].drifted).toBe(true);
  });
});
