import { BaselineError, DEFAULT_MONITORING_CONFIG, readConstraints, readStatistics } from '../../../lib/runtime/drift/model-monitor-format';

const feature = { name: 'age', inferred_type: 'Integral', completeness: 1 };

describe('readConstraints', () => {
  it('fills monitoring_config fields a file leaves out with Model Monitor\'s defaults', () => {
    expect(readConstraints({ features: [feature] }).monitoring_config).toEqual(DEFAULT_MONITORING_CONFIG);
    expect(DEFAULT_MONITORING_CONFIG).toMatchObject({ datatype_check_threshold: 1, domain_content_threshold: 1, distribution_constraints: { comparison_method: 'Robust', categorical_drift_method: 'LInfinity' } });
  });

  it('reads every field as written, including the docs\' old spelling "comparion_method"', () => {
    const config = {
      evaluate_constraints: 'Disabled', emit_metrics: 'Disabled', datatype_check_threshold: 0.9, domain_content_threshold: 0.8,
      distribution_constraints: { perform_comparison: 'Disabled', comparison_threshold: 0.3, comparion_method: 'Simple', categorical_comparison_threshold: 0.2, categorical_drift_method: 'ChiSquared' },
    };
    expect(readConstraints({ features: [feature], monitoring_config: config }).monitoring_config).toEqual({
      ...config,
      distribution_constraints: { perform_comparison: 'Disabled', comparison_threshold: 0.3, comparison_method: 'Simple', categorical_comparison_threshold: 0.2, categorical_drift_method: 'ChiSquared' },
    });
  });

  it('reads per-feature overrides under either spelling and validates them', () => {
    const file = readConstraints({
      features: [
        { ...feature, monitoringConfigOverrides: { datatype_check_threshold: 0.5 } },
        { ...feature, name: 'city', monitoring_config_overrides: { distribution_constraints: { categorical_drift_method: 'ChiSquared' } } },
      ],
    });

    expect(file.features.map((f) => f.monitoringConfigOverrides)).toEqual([
      { datatype_check_threshold: 0.5 },
      { distribution_constraints: { categorical_drift_method: 'ChiSquared' } },
    ]);
  });

  it.each([
    [{ monitoring_config: { emit_metrics: 'Yes' } }, 'constraints.json monitoring_config.emit_metrics: got "Yes"; expected one of Enabled, Disabled'],
    [{ monitoring_config: { datatype_check_threshold: 10 } }, 'constraints.json monitoring_config.datatype_check_threshold: got 10; expected a number from 0 to 1'],
    [{ monitoring_config: { distribution_constraints: { comparison_method: 'Fancy' } } }, 'constraints.json monitoring_config.distribution_constraints.comparison_method: got "Fancy"; expected one of Simple, Robust'],
    [{ monitoring_config: { distribution_constraints: 'on' } }, 'constraints.json monitoring_config.distribution_constraints: got "on"; expected an object'],
    [{ features: [{ ...feature, monitoringConfigOverrides: { emit_metrics: 1 } }] }, 'constraints.json features[0].monitoringConfigOverrides.emit_metrics: got 1; expected one of Enabled, Disabled'],
  ])('rejects a setting outside its allowed values instead of computing something else (%j)', (file, message) => {
    expect(() => readConstraints({ features: [feature], ...file })).toThrow(new BaselineError(message));
  });

  it('warns about settings Model Monitor does not have, and ignores them', () => {
    const warnings: string[] = [];
    readConstraints({ features: [{ ...feature, monitoringConfigOverrides: { colour: 'blue' } }], monitoring_config: { distribution_constraints: { method: 'x' } } }, 'c.json', warnings);

    expect(warnings).toEqual([
      'c.json features[0].monitoringConfigOverrides.colour: not a Model Monitor setting; ignored',
      'c.json monitoring_config.distribution_constraints.method: not a Model Monitor setting; ignored',
    ]);
  });
});

describe('readStatistics', () => {
  it('names the first bad field', () => {
    expect(() => readStatistics({ dataset: { item_count: 1 }, features: [{ name: 'x', inferred_type: 'Integral' }] })).toThrow(
      new BaselineError('statistics.json features[0]: a Integral feature needs "numerical_statistics"'),
    );
  });
});
