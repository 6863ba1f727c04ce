// The drift job's thresholds: what the job's flags and environment say, what constraints.json says (globally
// and per feature), and our defaults, resolved into one settings object per feature.
import { ConstraintsFile, FeatureConstraints, MonitoringConfig } from './model-monitor-format';
import { PValueCorrection } from './p-values';

/** Thresholds the job takes from its flags and environment; each one overrides constraints.json's global value. */
export interface DriftThresholds {
  /**
   * Distance above which a numeric feature has drifted (KS distance for windows below `largeWindowRows`).
   * @default - constraints.json monitoring_config.distribution_constraints.comparison_threshold (0.1)
   */
  readonly threshold?: number;
  /**
   * Distance above which a categorical feature has drifted (L-infinity for windows below `largeWindowRows`).
   * @default - `threshold` if given, else categorical_comparison_threshold from constraints.json (0.1)
   */
  readonly categoricalThreshold?: number;
  /** PSI above which a feature has drifted (gated by the same significance test as the distance). @default 0.2 */
  readonly psiThreshold?: number;
  /** Family-wise significance level of one window's tests, after the correction. @default 0.01 */
  readonly alpha?: number;
  /** Correction for testing many features at once. @default 'bh' (Benjamini-Hochberg) */
  readonly correction?: PValueCorrection;
  /** Fewest values of a feature in the window for a verdict; below it the feature reports `insufficient_data`. @default 30 */
  readonly minWindowRows?: number;
  /** Windows with at least this many values of a feature use effect-size distances (Wasserstein, Jensen-Shannon). @default 1000 */
  readonly largeWindowRows?: number;
  /** Wasserstein distance (in baseline standard deviations) above which a numeric feature drifts in large windows. @default 0.1 */
  readonly wassersteinThreshold?: number;
  /** Jensen-Shannon distance above which a categorical feature drifts in large windows. @default 0.1 */
  readonly jensenShannonThreshold?: number;
  /** Share of evaluated features that must drift for the dataset-level verdict. @default 0.5 */
  readonly datasetDriftShare?: number;
  /** Categories expected fewer times than this in the window share the tail bucket. @default 5 */
  readonly minExpectedCount?: number;
}

/** The defaults behind the targets proved in test/runtime/drift/drift-rates.test.ts. */
export const DRIFT_DEFAULTS = {
  psiThreshold: 0.2,
  alpha: 0.01,
  correction: 'bh' as PValueCorrection,
  minWindowRows: 30,
  largeWindowRows: 1000,
  wassersteinThreshold: 0.1,
  jensenShannonThreshold: 0.1,
  datasetDriftShare: 0.5,
  minExpectedCount: 5,
} as const;

/** PSI above which a feature drifts, unless configured. */
export const DEFAULT_PSI_THRESHOLD = DRIFT_DEFAULTS.psiThreshold;

/** Window-level settings (the same for every feature). */
export interface WindowSettings {
  readonly psiThreshold: number;
  readonly alpha: number;
  readonly correction: PValueCorrection;
  readonly minWindowRows: number;
  readonly largeWindowRows: number;
  readonly wassersteinThreshold: number;
  readonly jensenShannonThreshold: number;
  readonly datasetDriftShare: number;
  readonly minExpectedCount: number;
}

/** One feature's settings: constraints.json's monitoring_config with the feature's overrides and the job's flags applied. */
export interface FeatureSettings {
  readonly evaluateConstraints: boolean;
  readonly emitMetrics: boolean;
  readonly datatypeCheckThreshold: number;
  readonly domainContentThreshold: number;
  readonly performComparison: boolean;
  readonly comparisonMethod: MonitoringConfig['distribution_constraints']['comparison_method'];
  readonly numericThreshold: number;
  readonly categoricalThreshold: number;
  readonly categoricalDriftMethod: MonitoringConfig['distribution_constraints']['categorical_drift_method'];
}

export function windowSettings(thresholds: DriftThresholds): WindowSettings {
  const pick = <K extends keyof WindowSettings>(key: K): WindowSettings[K] => (thresholds[key] ?? DRIFT_DEFAULTS[key]) as WindowSettings[K];
  return {
    psiThreshold: pick('psiThreshold'),
    alpha: pick('alpha'),
    correction: pick('correction'),
    minWindowRows: pick('minWindowRows'),
    largeWindowRows: pick('largeWindowRows'),
    wassersteinThreshold: pick('wassersteinThreshold'),
    jensenShannonThreshold: pick('jensenShannonThreshold'),
    datasetDriftShare: pick('datasetDriftShare'),
    minExpectedCount: pick('minExpectedCount'),
  };
}

/**
 * Resolves a feature's settings. Precedence, most specific first: the feature's `monitoringConfigOverrides`,
 * the job's flags and environment, constraints.json's global monitoring_config, Model Monitor's defaults.
 */
export function featureSettings(constraints: ConstraintsFile, feature: FeatureConstraints | undefined, thresholds: DriftThresholds): FeatureSettings {
  const global = constraints.monitoring_config;
  const override = feature?.monitoringConfigOverrides ?? {};
  const od = override.distribution_constraints ?? {};
  const gd = global.distribution_constraints;
  const numericThreshold = od.comparison_threshold ?? thresholds.threshold ?? gd.comparison_threshold;
  return {
    evaluateConstraints: (override.evaluate_constraints ?? global.evaluate_constraints) === 'Enabled',
    emitMetrics: (override.emit_metrics ?? global.emit_metrics) === 'Enabled',
    datatypeCheckThreshold: override.datatype_check_threshold ?? global.datatype_check_threshold,
    domainContentThreshold: override.domain_content_threshold ?? global.domain_content_threshold,
    performComparison: (od.perform_comparison ?? gd.perform_comparison) === 'Enabled',
    comparisonMethod: od.comparison_method ?? gd.comparison_method,
    numericThreshold,
    categoricalThreshold: od.categorical_comparison_threshold ?? thresholds.categoricalThreshold ?? thresholds.threshold ?? gd.categorical_comparison_threshold,
    categoricalDriftMethod: od.categorical_drift_method ?? gd.categorical_drift_method,
  };
}
