// Turns per-feature measures into verdicts that know their sample size: the test is chosen by feature type and
// window size, p-values are corrected across the window's features, PSI and distances count only when the test
// is significant, tiny windows get no verdict, and the dataset drifts when enough of its features do.
import { FeatureSettings, WindowSettings } from './drift-settings';
import { adjustPValues } from './p-values';

/**
 * What decided a feature: `ks` (KS distance, p-value from the two-sample KS test), `wasserstein` (Wasserstein
 * distance in baseline standard deviations, KS p-value), `chi_square` (L-infinity distance, chi-square p-value),
 * `jensen_shannon` (Jensen-Shannon distance, chi-square p-value), `linf` (L-infinity distance alone, the
 * "Simple" comparison of a String feature), `none` (no comparison).
 */
export type DriftTest = 'ks' | 'wasserstein' | 'chi_square' | 'jensen_shannon' | 'linf' | 'none';

/** `insufficient_data`: fewer values than the minimum window; `not_compared`: comparison disabled or no distribution. */
export type DriftVerdict = 'drift' | 'no_drift' | 'insufficient_data' | 'not_compared';

/** The measured differences between a feature's baseline and window distributions. */
export interface FeatureMeasures {
  readonly kind: 'numeric' | 'categorical';
  /** Values of the feature compared in the window. */
  readonly windowSize: number;
  /** Values of the feature in the baseline. */
  readonly baselineSize: number;
  /** KS distance (numeric) or L-infinity distance between category frequencies (String), 0..1. */
  readonly linf: number;
  /** Wasserstein-1 distance divided by the baseline standard deviation (numeric). */
  readonly wasserstein?: number;
  /** Jensen-Shannon distance over the compared category buckets (String). */
  readonly jensenShannon?: number;
  readonly psi: number;
  /** Two-sample KS (numeric) or chi-square (String) p-value, before correction. */
  readonly pValue: number;
}

export interface TestChoice {
  readonly test: DriftTest;
  /** The test's distance, compared with `threshold`. */
  readonly distance: number;
  readonly threshold: number;
  /** Whether the corrected p-value must also be below alpha ("Robust"). */
  readonly significanceGate: boolean;
}

/**
 * Chooses the test. Small windows: the KS / L-infinity distance Model Monitor's thresholds speak of, gated by the
 * test's p-value (noise dominates there). Large windows (`largeWindowRows` values or more): effect sizes that do not
 * shrink with the window, normalized Wasserstein and Jensen-Shannon, still gated by the p-value. "Simple"
 * comparisons use the distance alone at every size; a "ChiSquared" baseline gets the chi-square test at every size.
 */
export function chooseTest(m: FeatureMeasures, f: FeatureSettings, w: WindowSettings): TestChoice {
  const large = m.windowSize >= w.largeWindowRows;
  if (m.kind === 'numeric') {
    if (f.comparisonMethod === 'Simple') return { test: 'ks', distance: m.linf, threshold: f.numericThreshold, significanceGate: false };
    if (large && m.wasserstein !== undefined) return { test: 'wasserstein', distance: m.wasserstein, threshold: w.wassersteinThreshold, significanceGate: true };
    return { test: 'ks', distance: m.linf, threshold: f.numericThreshold, significanceGate: true };
  }
  if (f.categoricalDriftMethod === 'ChiSquared') return { test: 'chi_square', distance: m.linf, threshold: f.categoricalThreshold, significanceGate: true };
  if (f.comparisonMethod === 'Simple') return { test: 'linf', distance: m.linf, threshold: f.categoricalThreshold, significanceGate: false };
  if (large && m.jensenShannon !== undefined) {
    return { test: 'jensen_shannon', distance: m.jensenShannon, threshold: w.jensenShannonThreshold, significanceGate: true };
  }
  return { test: 'chi_square', distance: m.linf, threshold: f.categoricalThreshold, significanceGate: true };
}

export interface FeatureDecision {
  readonly verdict: DriftVerdict;
  readonly drifted: boolean;
  readonly choice: TestChoice | undefined;
  /** p-value after the correction across the window's features; null when the feature was not tested. */
  readonly pValueAdjusted: number | null;
}

/** Decides every feature of one window together (the correction needs all p-values). */
export function decideFeatures(
  features: readonly { readonly measures: FeatureMeasures | undefined; readonly settings: FeatureSettings }[],
  w: WindowSettings,
): FeatureDecision[] {
  const choices = features.map(({ measures, settings }) => (measures && settings.performComparison ? chooseTest(measures, settings, w) : undefined));
  const evaluated = features.map(({ measures }, i) => choices[i] !== undefined && measures !== undefined && measures.windowSize >= w.minWindowRows);
  const tested = features.map((_, i) => evaluated[i] && choices[i]!.significanceGate);
  const family = features.flatMap(({ measures }, i) => (tested[i] ? [measures!.pValue] : []));
  const adjusted = adjustPValues(family, w.correction);
  let next = 0;
  return features.map(({ measures }, i) => {
    const choice = choices[i];
    const pValueAdjusted = tested[i] ? adjusted[next++] : null;
    if (!choice || !measures) return { verdict: 'not_compared', drifted: false, choice, pValueAdjusted };
    if (!evaluated[i]) return { verdict: 'insufficient_data', drifted: false, choice, pValueAdjusted };
    const large = choice.distance > choice.threshold || measures.psi > w.psiThreshold;
    const significant = !choice.significanceGate || (pValueAdjusted !== null && pValueAdjusted < w.alpha);
    const drifted = large && significant;
    return { verdict: drifted ? 'drift' : 'no_drift', drifted, choice, pValueAdjusted };
  });
}

export interface DatasetVerdict {
  /** Features with a verdict (drift or no drift). */
  readonly evaluated: number;
  readonly drifted: number;
  /** drifted / evaluated (0 when nothing was evaluated). */
  readonly share: number;
  /** The share reached `datasetDriftShare` (and at least one feature was evaluated). */
  readonly datasetDrift: boolean;
}

export function datasetVerdict(decisions: readonly FeatureDecision[], w: WindowSettings): DatasetVerdict {
  const evaluated = decisions.filter((d) => d.verdict === 'drift' || d.verdict === 'no_drift').length;
  const drifted = decisions.filter((d) => d.drifted).length;
  const share = evaluated === 0 ? 0 : drifted / evaluated;
  return { evaluated, drifted, share, datasetDrift: evaluated > 0 && drifted > 0 && share >= w.datasetDriftShare };
}
