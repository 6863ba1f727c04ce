// Compares a window of captured rows with a Model Monitor baseline, feature by feature: distribution distance
// (L-infinity / KS), PSI, completeness, data types and categorical domains. Memory is bounded per feature.
import { CaptureRow } from './capture';
import {
  bucketIndex,
  cdfDistance,
  ksCriticalValue,
  lInfinity,
  populationStabilityIndex,
  proportions,
} from './drift-statistics';
import { FrequentValues } from './frequent-values';
import { KllSketch, WeightedValue } from './kll-sketch';
import { ConstraintsFile, FeatureConstraints, FeatureStatistics, MonitoringConfig, StatisticsFile } from './model-monitor-format';
import { InferredType, classifyValue, matchesType } from './value-types';

export interface DriftThresholds {
  /**
   * Distance above which a numeric feature has drifted.
   * @default - constraints.json monitoring_config.distribution_constraints.comparison_threshold
   */
  readonly threshold?: number;
  /**
   * Distance above which a categorical feature has drifted.
   * @default - `threshold` if given, else categorical_comparison_threshold from constraints.json
   */
  readonly categoricalThreshold?: number;
  /** PSI above which a feature has drifted. @default 0.2 */
  readonly psiThreshold?: number;
}

export const DEFAULT_PSI_THRESHOLD = 0.2;

/** Constraint checks a feature can fail, named as Model Monitor names them in constraint_violations.json. */
export type ViolationCheck = 'baseline_drift_check' | 'completeness_check' | 'data_type_check' | 'categorical_values_check' | 'missing_column_check';

export interface FeatureDriftResult {
  readonly feature: string;
  readonly inferred_type: InferredType;
  /** How the distance was measured. */
  readonly method: 'ks_linf' | 'categorical_linf' | 'none';
  /** L-infinity distance between baseline and window distributions (0..1); null without data. */
  readonly distance: number | null;
  readonly psi: number | null;
  readonly threshold: number;
  readonly psi_threshold: number;
  /** Distance or PSI above its threshold (for "Robust" comparisons, distance also above the KS noise level). */
  readonly threshold_crossed: boolean;
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
  /** Constraint checks that failed. */
  readonly violations: readonly ViolationCheck[];
}

interface NumericState {
  readonly kind: 'numeric';
  readonly edges: readonly number[];
  readonly baselineBuckets: readonly number[];
  readonly baselineCdf: readonly WeightedValue[];
  readonly baselineN: number;
  readonly sketch: KllSketch;
  readonly buckets: number[];
}

interface CategoricalState {
  readonly kind: 'categorical';
  readonly index: ReadonlyMap<string, number>;
  readonly baselineProportions: readonly number[];
  readonly counts: number[];
  readonly domain: ReadonlySet<string> | undefined;
  readonly unseen: FrequentValues;
  inDomain: number;
}

interface FeatureState {
  readonly stats: FeatureStatistics;
  readonly constraint: FeatureConstraints | undefined;
  readonly type: InferredType;
  present: number;
  typeMatches: number;
  readonly dist: NumericState | CategoricalState | undefined;
}

/** Accumulates window rows against a baseline; call `results()` at the end. */
export class WindowAnalyzer {
  /** Rows analyzed. */
  rows = 0;
  /** Positional rows whose column count differs from the baseline's feature count. */
  columnMismatchRows = 0;
  private readonly features: FeatureState[];
  private readonly byName = new Map<string, FeatureState>();
  private readonly extraColumnNames = new Set<string>();
  private readonly config: MonitoringConfig;
  private readonly numericThreshold: number;
  private readonly categoricalThreshold: number;
  private readonly psiThreshold: number;

  constructor(statistics: StatisticsFile, constraints: ConstraintsFile, thresholds: DriftThresholds = {}) {
    this.config = constraints.monitoring_config;
    const dc = this.config.distribution_constraints;
    this.numericThreshold = thresholds.threshold ?? dc.comparison_threshold;
    this.categoricalThreshold = thresholds.categoricalThreshold ?? thresholds.threshold ?? dc.categorical_comparison_threshold;
    this.psiThreshold = thresholds.psiThreshold ?? DEFAULT_PSI_THRESHOLD;
    const constraintByName = new Map(constraints.features.map((c) => [c.name, c]));
    this.features = statistics.features.map((stats) => {
      const constraint = constraintByName.get(stats.name);
      const state: FeatureState = { stats, constraint, type: stats.inferred_type, present: 0, typeMatches: 0, dist: initialState(stats, constraint) };
      this.byName.set(stats.name, state);
      return state;
    });
  }

  /** Names of keyed columns the baseline does not know (at most 100 kept). */
  get extraColumns(): string[] {
    return [...this.extraColumnNames];
  }

  add(row: CaptureRow): void {
    this.rows += 1;
    if (row.kind === 'positional') {
      if (row.values.length !== this.features.length) this.columnMismatchRows += 1;
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

  results(): FeatureDriftResult[] {
    return this.features.map((f) => this.result(f));
  }

  private addValue(state: FeatureState, raw: unknown): void {
    const value = classifyValue(raw);
    if (value.kind === 'missing') return;
    state.present += 1;
    const matches = matchesType(state.type, value.kind);
    if (matches) state.typeMatches += 1;
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

  private result(f: FeatureState): FeatureDriftResult {
    const stats = f.stats;
    const common = stats.numerical_statistics?.common ?? stats.string_statistics?.common;
    const baselinePresent = common?.num_present ?? 0;
    const baselineItems = baselinePresent + (common?.num_missing ?? 0);
    const baselineCompleteness = f.constraint?.completeness ?? (baselineItems === 0 ? 0 : baselinePresent / baselineItems);
    const completeness = this.rows === 0 ? null : f.present / this.rows;
    const typeMatchRatio = f.present === 0 ? null : f.typeMatches / f.present;
    const dc = this.config.distribution_constraints;
    const numeric = f.dist?.kind === 'numeric';
    const threshold = numeric ? this.numericThreshold : this.categoricalThreshold;

    let distance: number | undefined;
    let psi: number | undefined;
    let domainRatio: number | null = null;
    let newCategories: string[] = [];
    let significant = true;
    if (f.dist?.kind === 'numeric') {
      const d = f.dist;
      const currentN = d.sketch.n;
      if (currentN > 0) {
        distance = d.baselineCdf.length > 0 ? cdfDistance(d.baselineCdf, d.sketch.weightedValues()) : bucketCdfDistance(d.baselineBuckets, d.buckets);
        psi = populationStabilityIndex(proportions(d.baselineBuckets), proportions(d.buckets));
        if (dc.comparison_method === 'Robust') significant = (distance ?? 0) > ksCriticalValue(d.baselineN, currentN);
      }
    } else if (f.dist?.kind === 'categorical') {
      const d = f.dist;
      const total = d.counts.reduce((s, c) => s + c, 0);
      if (total > 0) {
        const current = proportions(d.counts);
        distance = lInfinity(d.baselineProportions, current);
        psi = populationStabilityIndex(d.baselineProportions, current);
        newCategories = d.unseen.top(10).map((v) => v.value);
        if (d.domain) domainRatio = d.inDomain / total;
      }
    }

    const crossed =
      dc.perform_comparison === 'Enabled' &&
      ((distance !== undefined && distance > threshold && significant) || (psi !== undefined && psi > this.psiThreshold));
    const violations: ViolationCheck[] = [];
    if (this.config.evaluate_constraints === 'Enabled' && this.rows > 0) {
      if (crossed) violations.push('baseline_drift_check');
      if (f.present === 0 && baselineCompleteness > 0) violations.push('missing_column_check');
      else if (completeness !== null && completeness < baselineCompleteness - 1e-12) violations.push('completeness_check');
      if (typeMatchRatio !== null && typeMatchRatio < this.config.datatype_check_threshold) violations.push('data_type_check');
      if (domainRatio !== null && domainRatio < this.config.domain_content_threshold) violations.push('categorical_values_check');
    }
    return {
      feature: stats.name,
      inferred_type: f.type,
      method: f.dist?.kind === 'numeric' ? 'ks_linf' : f.dist?.kind === 'categorical' ? 'categorical_linf' : 'none',
      distance: distance ?? null,
      psi: psi ?? null,
      threshold,
      psi_threshold: this.psiThreshold,
      threshold_crossed: crossed,
      completeness,
      baseline_completeness: baselineCompleteness,
      type_match_ratio: typeMatchRatio,
      domain_ratio: domainRatio,
      new_categories: newCategories,
      num_present: f.present,
      num_missing: this.rows - f.present,
      violations,
    };
  }
}

function initialState(stats: FeatureStatistics, constraint: FeatureConstraints | undefined): NumericState | CategoricalState | undefined {
  const ns = stats.numerical_statistics;
  if ((stats.inferred_type === 'Integral' || stats.inferred_type === 'Fractional') && ns) {
    const buckets = [...ns.distribution.kll.buckets].sort((a, b) => a.lower_bound - b.lower_bound);
    if (buckets.length === 0) return undefined;
    const edges = [buckets[0].lower_bound, ...buckets.map((b) => b.upper_bound)];
    const sketch = ns.distribution.kll.sketch;
    const baselineCdf = sketch && Array.isArray(sketch.data) && sketch.data.length > 0 ? KllSketch.fromData(sketch.data).weightedValues() : [];
    // Outer buckets catch window values below the baseline minimum or above its maximum.
    const baselineBuckets = [0, ...buckets.map((b) => b.count), 0];
    return {
      kind: 'numeric',
      edges,
      baselineBuckets,
      baselineCdf,
      baselineN: ns.common.num_present,
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
    const counts = [...listed.map((b) => b.count), Math.max(0, present - listedTotal)];
    return {
      kind: 'categorical',
      index: new Map(listed.map((b, i) => [b.value, i])),
      baselineProportions: proportions(counts),
      counts: counts.map(() => 0),
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

