import { FeatureSettings, windowSettings } from '../../../lib/runtime/drift/drift-settings';
import { FeatureMeasures, chooseTest, datasetVerdict, decideFeatures } from '../../../lib/runtime/drift/drift-verdict';

const robust: FeatureSettings = {
  evaluateConstraints: true, emitMetrics: true, datatypeCheckThreshold: 1, domainContentThreshold: 1, performComparison: true,
  comparisonMethod: 'Robust', numericThreshold: 0.1, categoricalThreshold: 0.1, categoricalDriftMethod: 'LInfinity',
};
const w = windowSettings({});
const numeric = (windowSize: number, over: Partial<FeatureMeasures> = {}): FeatureMeasures => ({
  kind: 'numeric', windowSize, baselineSize: 5000, linf: 0.3, wasserstein: 0.5, psi: 0.1, pValue: 1e-6, ...over,
});
const categorical = (windowSize: number, over: Partial<FeatureMeasures> = {}): FeatureMeasures => ({
  kind: 'categorical', windowSize, baselineSize: 5000, linf: 0.2, jensenShannon: 0.15, psi: 0.1, pValue: 1e-6, ...over,
});

describe('chooseTest', () => {
  it.each([
    ['numeric, small window', numeric(999), robust, { test: 'ks', distance: 0.3, threshold: 0.1, significanceGate: true }],
    ['numeric, large window', numeric(1000), robust, { test: 'wasserstein', distance: 0.5, threshold: 0.1, significanceGate: true }],
    ['string, small window', categorical(999), robust, { test: 'chi_square', distance: 0.2, threshold: 0.1, significanceGate: true }],
    ['string, large window', categorical(1000), robust, { test: 'jensen_shannon', distance: 0.15, threshold: 0.1, significanceGate: true }],
    ['numeric, Simple', numeric(5000), { ...robust, comparisonMethod: 'Simple' }, { test: 'ks', distance: 0.3, threshold: 0.1, significanceGate: false }],
    ['string, Simple', categorical(5000), { ...robust, comparisonMethod: 'Simple' }, { test: 'linf', distance: 0.2, threshold: 0.1, significanceGate: false }],
    ['string, ChiSquared, large window', categorical(5000), { ...robust, categoricalDriftMethod: 'ChiSquared' }, { test: 'chi_square', distance: 0.2, threshold: 0.1, significanceGate: true }],
  ] as const)('picks the test by type and window size: %s', (_name, measures, settings, expected) => {
    expect(chooseTest(measures, settings, w)).toEqual(expected);
  });
});

describe('decideFeatures', () => {
  it('needs both a significant corrected p-value and a distance or PSI above its threshold', () => {
    const decisions = decideFeatures(
      [
        { measures: numeric(100), settings: robust },
        { measures: numeric(100, { pValue: 0.02 }), settings: robust },
        { measures: numeric(5000, { wasserstein: 0.05, psi: 0.05 }), settings: robust },
        { measures: numeric(5000, { wasserstein: 0.05, psi: 0.3 }), settings: robust },
      ],
      w,
    );

    expect(decisions.map((d) => d.verdict)).toEqual(['drift', 'no_drift', 'no_drift', 'drift']);
    // Benjamini-Hochberg over four p-values: 1e-6 x 4/3 for the smallest three, 0.02 x 4/4.
    expect(decisions.map((d) => d.pValueAdjusted)).toEqual([4e-6 / 3, 0.02, 4e-6 / 3, 4e-6 / 3]);
  });

  it('corrects across features: a p-value of 0.004 is significant alone, not among five tests with Bonferroni', () => {
    const alone = decideFeatures([{ measures: numeric(100, { pValue: 0.004 }), settings: robust }], w);
    const many = decideFeatures(
      Array.from({ length: 5 }, (_, i) => ({ measures: numeric(100, { pValue: i === 0 ? 0.004 : 0.9 }), settings: robust })),
      windowSettings({ correction: 'bonferroni' }),
    );

    expect(alone[0].drifted).toBe(true);
    expect(many[0]).toMatchObject({ drifted: false, pValueAdjusted: 0.02 });
  });

  it('gives no verdict below the minimum window, and none without a comparison; those stay out of the correction', () => {
    const decisions = decideFeatures(
      [
        { measures: numeric(29), settings: robust },
        { measures: numeric(100), settings: { ...robust, performComparison: false } },
        { measures: undefined, settings: robust },
        { measures: numeric(100, { pValue: 0.005 }), settings: robust },
      ],
      w,
    );

    expect(decisions.map((d) => [d.verdict, d.pValueAdjusted])).toEqual([
      ['insufficient_data', null],
      ['not_compared', null],
      ['not_compared', null],
      ['drift', 0.005],
    ]);
  });
});

describe('datasetVerdict', () => {
  it('calls dataset drift when the share of drifted evaluated features reaches the threshold', () => {
    const decide = (verdicts: ('drift' | 'no_drift' | 'insufficient_data')[]) =>
      datasetVerdict(verdicts.map((verdict) => ({ verdict, drifted: verdict === 'drift', choice: undefined, pValueAdjusted: null })), w);

    expect(decide(['drift', 'no_drift', 'insufficient_data'])).toEqual({ evaluated: 2, drifted: 1, share: 0.5, datasetDrift: true });
    expect(decide(['drift', 'no_drift', 'no_drift'])).toMatchObject({ share: 1 / 3, datasetDrift: false });
    expect(decide(['insufficient_data'])).toEqual({ evaluated: 0, drifted: 0, share: 0, datasetDrift: false });
  });
});
