// docs/drift.md "Metric and log contract" is what the clouds' alarms are built from: this test keeps the
// documented fields and metric names and what the emitters write the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureDriftResult } from '../../../lib/runtime/drift/drift-analysis';
import { DriftSummary, featureLine, summaryLine, violationsLine } from '../../../lib/runtime/drift/emitters';

const doc = readFileSync(join(__dirname, '../../../docs/drift.md'), 'utf8');
const contract = doc.slice(doc.indexOf('## Metric and log contract'), doc.indexOf('## Storage access'));
const section = (heading: string) => {
  const start = contract.indexOf(heading);
  return contract.slice(start, contract.indexOf('\n### ', start + heading.length));
};
// Backticked names in the first column of a section's table.
const firstColumnNames = (text: string) =>
  new Set(text.split('\n').filter((l) => l.startsWith('| `')).flatMap((l) => [...l.split('|')[1].matchAll(/`([^`]+)`/g)].map((m) => m[1])));

const ctx = { model: 'churn', windowStart: new Date('2026-01-15T09:00:00Z'), windowEnd: new Date('2026-01-15T10:00:00Z'), timestamp: new Date('2026-01-15T10:05:00Z') };
const result: FeatureDriftResult = {
  feature: 'age', inferred_type: 'Integral', verdict: 'drift', drifted: true, test: 'ks', method: 'ks_linf', distance: 0.4, threshold: 0.1, p_value: 1e-6,
  p_value_adjusted: 2e-6, alpha: 0.01, linf_distance: 0.4, wasserstein: 1, jensen_shannon: null, psi: 0.9, psi_threshold: 0.2, threshold_crossed: true,
  window_size: 100, baseline_size: 5000, completeness: 1, baseline_completeness: 1, type_match_ratio: 1, domain_ratio: null, new_categories: [],
  num_present: 100, num_missing: 0, violations: ['baseline_drift_check'], emit_metrics: true,
};
const summary: DriftSummary = {
  status: 'drift', drift_detected: true, violations_detected: false, dataset_drift: 1, drift_share: 0.5, dataset_drift_share: 0.5, features_total: 2,
  features_evaluated: 2, features_insufficient: 0, features_drifted: 1, drifted_features: ['age'], violations: [], violations_total: 0, alpha: 0.01,
  correction: 'bh', records: 100, capture_files: 1, capture_lines: 100, malformed_lines: 0, malformed_examples: [], out_of_window_lines: 0,
  column_mismatch_rows: 0, extra_columns: [], max_distance: 0.4, max_psi: 0.9, baseline_warnings: [], report: 'r/report.md', baseline_uri: 'b',
  capture_uri: 'c', duration_ms: 1,
};
const metricsOf = (line: Record<string, unknown>) =>
  ((line._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0].Metrics).map((m) => m.Name);

describe('docs/drift.md metric and log contract', () => {
  it('documents exactly the fields of a feature_drift line', () => {
    expect(firstColumnNames(section('### `feature_drift`'))).toEqual(new Set(Object.keys(featureLine(result, ctx, 'json'))));
  });

  it('documents exactly the fields of a constraint_violations line', () => {
    expect(firstColumnNames(section('### `constraint_violations`'))).toEqual(new Set(Object.keys(violationsLine([], ctx, 'json'))));
  });

  it('names every field of a drift_summary line', () => {
    const text = section('### `drift_summary`');
    for (const key of Object.keys(summaryLine(summary, ctx, 'json'))) expect(text).toContain(`\`${key}\``);
  });

  it('documents exactly the CloudWatch metrics the aws format publishes', () => {
    const published = [...metricsOf(featureLine(result, ctx, 'aws')), ...metricsOf(violationsLine([], ctx, 'aws')), ...metricsOf(summaryLine(summary, ctx, 'aws'))];
    const documented = [...firstColumnNames(section('### AWS: CloudWatch metrics'))].filter((name) => /^[A-Z]/.test(name));

    expect(new Set(documented)).toEqual(new Set(published));
  });
});
