import { FeatureObservation, countByCheck, extraColumnViolations, featureViolations } from '../../../lib/runtime/drift/constraint-checks';
import { FeatureSettings } from '../../../lib/runtime/drift/drift-settings';

const settings: FeatureSettings = {
  evaluateConstraints: true, emitMetrics: true, datatypeCheckThreshold: 1, domainContentThreshold: 1, performComparison: true,
  comparisonMethod: 'Robust', numericThreshold: 0.1, categoricalThreshold: 0.1, categoricalDriftMethod: 'LInfinity',
};
const observed: FeatureObservation = { feature: 'age', type: 'Integral', rows: 100, present: 100, typeMatches: 100, baselineCompleteness: 1 };
const checks = (o: Partial<FeatureObservation>, s: Partial<FeatureSettings> = {}) =>
  featureViolations({ ...observed, ...o }, { ...settings, ...s }, 0.01).map((v) => v.check);

describe('featureViolations', () => {
  it('holds exact constraints exactly: one missing value, one mistyped value, one value outside the domain', () => {
    expect(checks({ present: 99, typeMatches: 99 })).toEqual(['completeness_check']);
    expect(checks({ typeMatches: 99 })).toEqual(['data_type_check']);
    expect(checks({ type: 'String', domain: { inside: 99, checked: 100, newValues: ['x'] } })).toEqual(['categorical_values_check']);
  });

  it('reads datatype_check_threshold and domain_content_threshold as the share that must match', () => {
    expect(checks({ typeMatches: 85 }, { datatypeCheckThreshold: 0.9 })).toEqual([]);
    expect(checks({ typeMatches: 70 }, { datatypeCheckThreshold: 0.9 })).toEqual(['data_type_check']);
    expect(checks({ type: 'String', domain: { inside: 60, checked: 100, newValues: [] } }, { domainContentThreshold: 0.9 })).toEqual(['categorical_values_check']);
  });

  it('does not flag a completeness dip that chance explains, against an estimated completeness', () => {
    // Baseline completeness 0.95: 92 of 100 happens by chance (binom.cdf(92, 100, 0.95) = 0.13); 80 of 100 does not.
    expect(checks({ present: 92, typeMatches: 92, baselineCompleteness: 0.95 })).toEqual([]);
    expect(checks({ present: 80, typeMatches: 80, baselineCompleteness: 0.95 })).toEqual(['completeness_check']);
  });

  it('calls a column absent from every row missing, unless chance explains a rare column', () => {
    expect(checks({ present: 0, typeMatches: 0 })).toEqual(['missing_column_check']);
    expect(checks({ rows: 3, present: 0, typeMatches: 0, baselineCompleteness: 0.2 })).toEqual([]);
    expect(checks({ rows: 100, present: 0, typeMatches: 0, baselineCompleteness: 0.2 })).toEqual(['missing_column_check']);
  });

  it('evaluates nothing when evaluate_constraints is Disabled, or without rows', () => {
    expect(checks({ present: 0, typeMatches: 0 }, { evaluateConstraints: false })).toEqual([]);
    expect(checks({ rows: 0, present: 0, typeMatches: 0 })).toEqual([]);
  });

  it('describes each violation', () => {
    const [v] = featureViolations({ ...observed, typeMatches: 90 }, settings, 0.01);
    expect(v).toEqual({ feature: 'age', check: 'data_type_check', description: '90.0% of 100 values are Integral; expected at least 100.0%' });
  });
});

describe('countByCheck', () => {
  it('counts each kind, extra columns included, and leaves drift out', () => {
    const counts = countByCheck([...extraColumnViolations(['a', 'b']), { feature: 'x', check: 'baseline_drift_check', description: '' }]);
    expect(counts).toEqual({ missing_column_check: 0, extra_column_check: 2, data_type_check: 0, categorical_values_check: 0, completeness_check: 0 });
  });
});
