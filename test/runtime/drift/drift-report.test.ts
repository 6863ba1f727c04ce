import { FeatureDriftResult, FeatureHistogram, WindowAnalysis } from '../../../lib/runtime/drift/drift-analysis';
import { renderDriftReport } from '../../../lib/runtime/drift/drift-report';
import { histogramSvg } from '../../../lib/runtime/drift/histogram-svg';
import { escapeXml } from '../../../lib/runtime/shared/xml';

const ctx = { model: 'churn', windowStart: new Date('2026-01-15T09:00:00Z'), windowEnd: new Date('2026-01-15T10:00:00Z'), timestamp: new Date('2026-01-15T10:05:00Z') };
const base: FeatureDriftResult = {
  feature: 'age', inferred_type: 'Integral', verdict: 'drift', drifted: true, test: 'ks', method: 'ks_linf', distance: 0.41, threshold: 0.1,
  p_value: 1e-9, p_value_adjusted: 2e-9, alpha: 0.01, linf_distance: 0.41, wasserstein: 1.02, jensen_shannon: null, psi: 0.93, psi_threshold: 0.2,
  threshold_crossed: true, window_size: 100, baseline_size: 5000, completeness: 1, baseline_completeness: 1, type_match_ratio: 1, domain_ratio: null,
  new_categories: [], num_present: 100, num_missing: 0, violations: ['baseline_drift_check'], emit_metrics: true,
};
const city: FeatureDriftResult = {
  ...base, feature: 'city <&>', inferred_type: 'String', verdict: 'no_drift', drifted: false, test: 'chi_square', method: 'categorical_linf', distance: 0.05,
  p_value: 0.4, p_value_adjusted: 0.4, wasserstein: null, jensen_shannon: 0.03, psi: 0.01, threshold_crossed: false, new_categories: ['lyon'], violations: ['categorical_values_check'],
};
const analysis: WindowAnalysis = {
  features: [base, city],
  dataset: { evaluated: 2, drifted: 1, share: 0.5, datasetDrift: true },
  violations: [{ feature: 'city <&>', check: 'categorical_values_check', description: '99.0% of 100 values are in the baseline domain (new: "lyon")' }],
  settings: { psiThreshold: 0.2, alpha: 0.01, correction: 'bh', minWindowRows: 30, largeWindowRows: 1000, wassersteinThreshold: 0.1, jensenShannonThreshold: 0.1, datasetDriftShare: 0.5, minExpectedCount: 5 },
};
const histograms: FeatureHistogram[] = [
  { feature: 'age', kind: 'numeric', labels: ['0..10', '10..20'], baseline: [40, 60], window: [10, 90] },
  { feature: 'city <&>', kind: 'categorical', labels: ['paris', '(other)'], baseline: [70, 30], window: [60, 40] },
];

describe('renderDriftReport', () => {
  const report = renderDriftReport(analysis, histograms, ctx);

  it('lists every feature with its verdict, test, distance, threshold and p-values, and the dataset verdict', () => {
    expect(report.markdown).toContain('# Drift report: churn');
    expect(report.markdown).toContain('**1 of 2 evaluated features drifted (share 0.5; dataset drift at 0.5): dataset drift.**');
    expect(report.markdown).toContain('| age | Integral | drift | ks | 0.41 | 0.1 | 1.0e-9 (2.0e-9) | 0.93 | 100 |');
    expect(report.markdown).toContain('| city <&> | String | no_drift | chi_square | 0.05 | 0.1 | 0.4 (0.4) | 0.01 | 100 |');
    expect(report.markdown).toContain('- city <&>: `categorical_values_check`: 99.0% of 100 values are in the baseline domain (new: "lyon")');
  });

  it('links one SVG histogram per feature from both the Markdown and the HTML', () => {
    expect(report.images.map(([path]) => path)).toEqual(['images/01-age.svg', 'images/02-city____.svg']);
    expect(report.markdown).toContain('![age: baseline and window](images/01-age.svg)');
    expect(report.html).toContain('<img src="images/02-city____.svg" alt="city &lt;&amp;&gt;: baseline and window">');
    expect(report.html).toContain('<tr class="drift"><td>age</td>');
    expect(report.html).not.toContain('city <&>');
  });

  it('draws baseline and window shares side by side in each image', () => {
    const svg = report.images[0][1];

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>age: drift</title>');
    // Two buckets, two bars each, plus the two legend swatches and the background.
    expect(svg.match(/<rect /g)).toHaveLength(7);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});

describe('histogramSvg', () => {
  it('escapes labels and draws an empty window without dividing by zero', () => {
    const svg = histogramSvg({ feature: 'x', kind: 'categorical', labels: ['<b>'], baseline: [1], window: [0] }, 'x & y');

    expect(svg).toContain('&lt;b&gt;');
    expect(svg).toContain('<title>x &amp; y</title>');
    expect(svg).not.toContain('NaN');
    expect(escapeXml(`"'`)).toBe('&quot;&#39;');
  });
});
