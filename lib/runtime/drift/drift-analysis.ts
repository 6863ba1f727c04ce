// Compares a window of captured rows with a Model Monitor baseline, feature by feature: accumulates each feature
// in bounded memory, then measures the differences (KS, Wasserstein, L-infinity, Jensen-Shannon, PSI and p-values),
// decides drift per feature and for the dataset, and evaluates the constraint checks.
import { CaptureRow } from './capture';
import { compareCategories } from './category-comparison';
import { Violation, ViolationCheck, extraColumnViolations, featureViolations } from './constraint-checks';
import { bucketIndex, cdfDistance, lInfinity, populationStabilityIndex, proportions, wassersteinDistance } from './drift-statistics';
import { DriftThresholds, FeatureSettings, WindowSettings, featureSettings, windowSettings } from './drift-settings';
import { DatasetVerdict, DriftTest, DriftVerdict, FeatureMeasures, datasetVerdict, decideFeatures } from './drift-verdict';
import { FrequentValues } from './frequent-values';
import { KllSketch, WeightedValue } from './kll-sketch';
import { ConstraintsFile, FeatureConstraints, FeatureStatistics, StatisticsFile } from './model-monitor-format';
import { ksPValue } from './p-values';
import { InferredType, classifyValue, matchesType, missingValueSet } from './value-types';

export { DEFAULT_PSI_THRESHOLD } from './drift-settings';
export type { DriftThresholds } from './drift-settings';
export type { ViolationCheck } from './constraint-checks';

export interface FeatureDriftResult {
  readonly feature: string;
  readonly inferred_type: InferredType;
  /** `drift`, `no_drift`, `insufficient_data` (fewer values than the minimum window) or `not_compared`. */
  readonly verdict: DriftVerdict;
  /** The job's verdict: the feature drifted. */
  readonly drifted: boolean;
  /** The test that decided (see DriftTest). */
  readonly test: DriftTest;
  /** How `linf_distance` was measured (kept from the first release). */
  readonly method: 'ks_linf' | 'categorical_linf' | 'none';
  /** The test's distance (KS, Wasserstein in standard deviations, L-infinity or Jensen-Shannon); null without data. */
  readonly distance: number | null;
  /** The threshold `distance` is compared with. */
  readonly threshold: number;
  /** The test's p-value before correction (KS for numbers, chi-square for strings); null without data. */
  readonly p_value: number | null;
  /** After the correction across the window's features; null when no significance test applied. */
  readonly p_value_adjusted: number | null;
  readonly alpha: number;
  /** L-infinity distance: KS for numbers, largest category share difference for strings (0..1). */
  readonly linf_distance: number | null;
  /** Wasserstein-1 distance in baseline standard deviations (numbers). */
  readonly wasserstein: number | null;
  /** Jensen-Shannon distance over the compared category buckets (strings). */
  readonly jensen_shannon: number | null;
  readonly psi: number | null;
  readonly psi_threshold: number;
  /** Same as `drifted` (the name of the first release). */
  readonly threshold_crossed: boolean;
  /** Values compared in the window, and in the baseline. */
  readonly window_size: number;
  readonly baseline_size: number;
  /** Share of window rows where the feature is present. */
  readonly completeness: number | null;
  readonly baseline_completeness: number;
  /** Share of present values whose type matches the baseline type. */
  readonly type_match_ratio: number | null;
  /** Share of present values inside the baseline domain (string features with a domain only). */
  readonly domain_ratio: number | null;
  /** Up to 10 values never seen in the baseline (string features), most frequent first. */
  readonly new_categories: readonly string[];
  readonly num_present: number;
  readonly num_missing: number;
  /** Checks that failed, Model Monitor's names (baseline_drift_check when drifted). */
  readonly violations: readonly ViolationCheck[];
  /** Whether metrics are published for this feature (monitoring_config emit_metrics). */
  readonly emit_metrics: boolean;
}

/** Everything one window yields. */
export interface WindowAnalysis {
  readonly features: readonly FeatureDriftResult[];
  readonly dataset: DatasetVerdict;
  /** Constraint violations (not drift), extra columns included. */
  readonly violations: readonly Violation[];
  readonly settings: WindowSettings;
}

/** Baseline and window counts over the same buckets, for the report's histograms. */
export interface FeatureHistogram {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  readonly labels: readonly string[];
  readonly baseline: readonly number[];
  readonly window: readonly number[];
}

export interface AnalyzerOptions {
  /** Text values counted as missing. @default DEFAULT_MISSING_VALUES */
  readonly missingValues?: readonly string[];
}

interface NumericState {
  readonly kind: 'numeric';
  readonly edges: readonly number[];
  readonly baselineBuckets: readonly number[];
  /** Baseline distribution: the KLL sketch, or bucket midpoints for a baseline without one. */
  readonly baselinePoints: readonly WeightedValue[];
  readonly fromSketch: boolean;
  readonly baselineN: number;
  readonly scale: number;
  readonly sketch: KllSketch;
  readonly buckets: number[];
}

interface CategoricalState {
  readonly kind: 'categorical';
  readonly labels: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly baselineCounts: readonly number[];
  readonly counts: number[];
  readonly domain: ReadonlySet<string> | undefined;
  readonly unseen: FrequentValues;
  inDomain: number;
}

interface FeatureState {
  readonly stats: FeatureStatistics;
  readonly constraint: FeatureConstraints | undefined;
  readonly settings: FeatureSettings;
  readonly type: InferredType;
  present: number;
  typeMatches: number;
  readonly dist: NumericState | CategoricalState | undefined;
}

/** Accumulates window rows against a baseline; call `analyze()` at the end. */
export class WindowAnalyzer {
  /** Rows analyzed. */
  rows = 0;
  /** Positional rows whose column count differs from the baseline's feature count. */
  columnMismatchRows = 0;
  /** Notes on baseline fields the job reads differently (old formats, ignored settings): reported in the summary. */
  readonly warnings: string[];
  private readonly features: FeatureState[];
  private readonly byName = new Map<string, FeatureState>();
  private readonly extraColumnNames = new Set<string>();
  private widestRow = 0;
  private readonly window: WindowSettings;
  private readonly missing: ReadonlySet<string>;

  constructor(statistics: StatisticsFile, constraints: ConstraintsFile, thresholds: DriftThresholds = {}, options: AnalyzerOptions = {}, warnings: string[] = []) {
    this.warnings = warnings;
    this.window = windowSettings(thresholds);
    this.missing = missingValueSet(options.missingValues);
    const constraintByName = new Map(constraints.features.map((c) => [c.name, c]));
    this.features = statistics.features.map((stats) => {
      const constraint = constraintByName.get(stats.name);
      const settings = featureSettings(constraints, constraint, thresholds);
      const dist = initialState(stats, constraint, this.warnings);
      const state: FeatureState = { stats, constraint, settings, type: stats.inferred_type, present: 0, typeMatches: 0, dist };
      this.byName.set(stats.name, state);
      return state;
    });
  }

  /** Names of columns the baseline does not know: unknown keys (at most 100 kept), or positions past its width. */
  get extraColumns(): string[] {
    const positional = Array.from({ length: Math.max(0, this.widestRow - this.features.length) }, (_, i) => `_c${this.features.length + i}`);
    return [...this.extraColumnNames, ...positional];
  }

  add(row: CaptureRow): void {
    this.rows += 1;
    if (row.kind === 'positional') {
      if (row.values.length !== this.features.length) this.columnMismatchRows += 1;
      if (row.values.length > this.widestRow) this.widestRow = row.values.length;
      const n = Math.min(row.values.length, this.features.length);
      for (let i = 0; i < n; i++) this.addValue(this.features[i], row.values[i]);
      return;
    }
    for (const [key, value] of Object.entries(row.values)) {
      const state = this.byName.get(key);
      if (state) this.addValue(state, value);
      else if (this.extraColumnNames.size < 100) this.extraColumnNames.add(key);
    }
  }

  /** Per-feature results (see `analyze` for the dataset verdict and violations). */
  results(): FeatureDriftResult[] {
    return [...this.analyze().features];
  }

  analyze(): WindowAnalysis {
    const w = this.window;
    const measured = this.features.map((f) => measure(f, w.minExpectedCount));
    const decisions = decideFeatures(measured.map((measures, i) => ({ measures, settings: this.features[i].settings })), w);
    const dataset = datasetVerdict(decisions, w);
    const gateAlpha = w.alpha / Math.max(1, this.features.length);
    const violations: Violation[] = [];
    const features = this.features.map((f, i): FeatureDriftResult => {
      const m = measured[i];
      const decision = decisions[i];
      const dist = f.dist;
      const categorical = dist?.kind === 'categorical' ? dist : undefined;
      const checked = categorical ? categorical.counts.reduce((s, c) => s + c, 0) : 0;
      const featureChecks = featureViolations(
        {
          feature: f.stats.name,
          type: f.type,
          rows: this.rows,
          present: f.present,
          typeMatches: f.typeMatches,
          baselineCompleteness: baselineCompleteness(f),
          domain: categorical?.domain && checked > 0 ? { inside: categorical.inDomain, checked, newValues: categorical.unseen.top(10).map((v) => v.value) } : undefined,
        },
        f.settings,
        gateAlpha,
      );
      violations.push(...featureChecks);
      const settings = f.settings;
      const choice = decision.choice;
      return {
        feature: f.stats.name,
        inferred_type: f.type,
        verdict: decision.verdict,
        drifted: decision.drifted,
        test: choice?.test ?? 'none',
        method: dist?.kind === 'numeric' ? 'ks_linf' : dist?.kind === 'categorical' ? 'categorical_linf' : 'none',
        distance: m && choice ? choice.distance : null,
        threshold: choice?.threshold ?? (dist?.kind === 'categorical' ? settings.categoricalThreshold : settings.numericThreshold),
        p_value: m?.pValue ?? null,
        p_value_adjusted: decision.pValueAdjusted,
        alpha: w.alpha,
        linf_distance: m?.linf ?? null,
        wasserstein: m?.wasserstein ?? null,
        jensen_shannon: m?.jensenShannon ?? null,
        psi: m?.psi ?? null,
        psi_threshold: w.psiThreshold,
        threshold_crossed: decision.drifted,
        window_size: m?.windowSize ?? 0,
        baseline_size: m?.baselineSize ?? 0,
        completeness: this.rows === 0 ? null : f.present / this.rows,
        baseline_completeness: baselineCompleteness(f),
        type_match_ratio: f.present === 0 ? null : f.typeMatches / f.present,
        domain_ratio: categorical?.domain && checked > 0 ? categorical.inDomain / checked : null,
        new_categories: categorical && checked > 0 ? categorical.unseen.top(10).map((v) => v.value) : [],
        num_present: f.present,
        num_missing: this.rows - f.present,
        violations: [...(decision.drifted && settings.evaluateConstraints ? (['baseline_drift_check'] as const) : []), ...featureChecks.map((v) => v.check)],
        emit_metrics: settings.emitMetrics,
      };
    });
    if (this.rows > 0) violations.push(...extraColumnViolations(this.extraColumns));
    return { features, dataset, violations, settings: w };
  }

  /** Baseline and window counts per bucket for every compared feature (20 bins over both ranges for numbers). */
  histograms(): FeatureHistogram[] {
    return this.features.flatMap((f): FeatureHistogram[] => {
      const d = f.dist;
      if (d?.kind === 'numeric' && d.sketch.n > 0) return [numericHistogram(f.stats.name, d, f.type === 'Integral')];
      if (d?.kind === 'categorical' && d.counts.some((c) => c > 0)) {
        const c = compareCategories(d.labels, d.baselineCounts, d.counts, new Set([d.labels.length - 1]), this.window.minExpectedCount);
        return [{ feature: f.stats.name, kind: 'categorical', labels: c.labels, baseline: c.baselineCounts, window: c.windowCounts }];
      }
      return [];
    });
  }

  private addValue(state: FeatureState, raw: unknown): void {
    const value = classifyValue(raw, this.missing);
    if (value.kind === 'missing') return;
    state.present += 1;
    if (matchesType(state.type, value.kind)) state.typeMatches += 1;
    const dist = state.dist;
    if (!dist) return;
    if (dist.kind === 'numeric') {
      // Text in a numeric column is a type violation; it has no place on the number line.
      if (value.kind === 'String') return;
      dist.sketch.update(value.number);
      dist.buckets[bucketIndex(dist.edges, value.number)] += 1;
      return;
    }
    const i = dist.index.get(value.text);
    if (i === undefined) dist.counts[dist.counts.length - 1] += 1;
    else dist.counts[i] += 1;
    if (dist.domain ? !dist.domain.has(value.text) : i === undefined) dist.unseen.add(value.text);
    else dist.inDomain += 1;
  }
}

function baselineCompleteness(f: FeatureState): number {
  const common = f.stats.numerical_statistics?.common ?? f.stats.string_statistics?.common;
  const present = common?.num_present ?? 0;
  const items = present + (common?.num_missing ?? 0);
  return f.constraint?.completeness ?? (items === 0 ? 0 : present / items);
}

function measure(f: FeatureState, minExpected: number): FeatureMeasures | undefined {
  const d = f.dist;
  if (d?.kind === 'numeric') {
    const m = d.sketch.n;
    if (m === 0) return undefined;
    const window = d.sketch.weightedValues();
    const linf = (d.fromSketch ? cdfDistance(d.baselinePoints, window) : bucketCdfDistance(d.baselineBuckets, d.buckets)) ?? 0;
    const wasserstein = (wassersteinDistance(d.baselinePoints, window) ?? 0) / d.scale;
    const psi = populationStabilityIndex(proportions(d.baselineBuckets), proportions(d.buckets));
    return { kind: 'numeric', windowSize: m, baselineSize: d.baselineN, linf, wasserstein, psi, pValue: ksPValue(linf, d.baselineN, m) };
  }
  if (d?.kind === 'categorical') {
    const m = d.counts.reduce((s, c) => s + c, 0);
    if (m === 0) return undefined;
    const comparison = compareCategories(d.labels, d.baselineCounts, d.counts, new Set([d.labels.length - 1]), minExpected);
    const linf = lInfinity(proportions(d.baselineCounts), proportions(d.counts));
    const baselineSize = d.baselineCounts.reduce((s, c) => s + c, 0);
    return { kind: 'categorical', windowSize: m, baselineSize, linf, jensenShannon: comparison.jensenShannon, psi: comparison.psi, pValue: comparison.pValue };
  }
  return undefined;
}

function initialState(stats: FeatureStatistics, constraint: FeatureConstraints | undefined, warnings: string[]): NumericState | CategoricalState | undefined {
  const ns = stats.numerical_statistics;
  if ((stats.inferred_type === 'Integral' || stats.inferred_type === 'Fractional') && ns) {
    const buckets = [...ns.distribution.kll.buckets].sort((a, b) => a.lower_bound - b.lower_bound);
    if (buckets.length === 0) return undefined;
    const edges = [buckets[0].lower_bound, ...buckets.map((b) => b.upper_bound)];
    const sketch = ns.distribution.kll.sketch;
    const fromSketch = !!sketch && Array.isArray(sketch.data) && sketch.data.some((level) => Array.isArray(level) && level.length > 0);
    // Outer buckets catch window values below the baseline minimum or above its maximum.
    const baselineBuckets = [0, ...buckets.map((b) => b.count), 0];
    if (!fromSketch) warnings.push(`feature ${stats.name}: statistics.json has no KLL sketch; KS and Wasserstein distances come from its ${buckets.length} buckets (coarser)`);
    const baselinePoints = fromSketch ? KllSketch.fromData(sketch.data).weightedValues() : bucketPoints(edges, baselineBuckets);
    const std = Number.isFinite(ns.std_dev) ? ns.std_dev : 0;
    // Wasserstein in standard deviations; a constant column is measured in units of its value (or of 1).
    const scale = std > 0 ? std : Math.abs(ns.mean) > 0 ? Math.abs(ns.mean) : 1;
    return {
      kind: 'numeric',
      edges,
      baselineBuckets,
      baselinePoints,
      fromSketch,
      baselineN: ns.common.num_present,
      scale,
      sketch: new KllSketch(),
      buckets: baselineBuckets.map(() => 0),
    };
  }
  const ss = stats.string_statistics;
  if (stats.inferred_type === 'String' && ss) {
    const listed = ss.distribution.categorical.buckets;
    const present = ss.common.num_present;
    // Values beyond the top-K buckets share one implicit "other" bucket: num_present minus the listed counts.
    const listedTotal = listed.reduce((s, b) => s + b.count, 0);
    const baselineCounts = [...listed.map((b) => b.count), Math.max(0, present - listedTotal)];
    return {
      kind: 'categorical',
      labels: [...listed.map((b) => b.value), '(other)'],
      index: new Map(listed.map((b, i) => [b.value, i])),
      baselineCounts,
      counts: baselineCounts.map(() => 0),
      domain: constraint?.string_constraints?.domains ? new Set(constraint.string_constraints.domains) : undefined,
      unseen: new FrequentValues(100),
      inDomain: 0,
    };
  }
  return undefined;
}

// Without a sketch (a hand-written or foreign baseline), compare CDFs at bucket edges only.
function bucketCdfDistance(baseline: readonly number[], current: readonly number[]): number | undefined {
  const b = proportions(baseline);
  const c = proportions(current);
  let cb = 0;
  let cc = 0;
  let max = 0;
  for (let i = 0; i < b.length; i++) {
    cb += b[i];
    cc += c[i];
    max = Math.max(max, Math.abs(cb - cc));
  }
  return max;
}

// A bucketed baseline as weighted points at the bucket midpoints (outer buckets are empty in a baseline).
function bucketPoints(edges: readonly number[], counts: readonly number[]): WeightedValue[] {
  return edges.slice(0, -1).flatMap((lower, i) => (counts[i + 1] > 0 ? [{ value: (lower + edges[i + 1]) / 2, weight: counts[i + 1] }] : []));
}

const HISTOGRAM_BINS = 20;

// Equal-width bins over both ranges; whole-number bins for Integral features, so no bin holds more values than another.
function numericHistogram(feature: string, d: NumericState, integral: boolean): FeatureHistogram {
  const window = d.sketch.weightedValues();
  const lo = Math.min(d.edges[0], window[0].value);
  const hi = Math.max(d.edges[d.edges.length - 1], window[window.length - 1].value);
  let width = hi > lo ? (hi - lo) / HISTOGRAM_BINS : 1;
  if (integral) width = Math.max(1, Math.ceil((hi - lo + 1) / HISTOGRAM_BINS));
  const bins = Math.max(1, integral ? Math.ceil((hi - lo + 1) / width) : hi > lo ? HISTOGRAM_BINS : 1);
  const count = (points: readonly WeightedValue[]) => {
    const out = new Array<number>(bins).fill(0);
    for (const p of points) out[Math.min(bins - 1, Math.floor((p.value - lo) / width))] += p.weight;
    return out;
  };
  const fmt = (x: number) => Number(x.toPrecision(4)).toString();
  const labels = Array.from({ length: bins }, (_, i) => {
    const from = lo + i * width;
    if (integral) return width === 1 ? fmt(from) : `${fmt(from)}..${fmt(from + width - 1)}`;
    return `${fmt(from)}..${fmt(bins === 1 ? hi : from + width)}`;
  });
  return { feature, kind: 'numeric', labels, baseline: count(d.baselinePoints), window: count(window) };
}
