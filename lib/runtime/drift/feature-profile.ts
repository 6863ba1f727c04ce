// Per-feature streaming profile used by the baseline: type counts, moments, a KLL sketch and bounded
// categorical counts. Memory per feature is constant, whatever the number of rows.
import { KllSketch } from './kll-sketch';
import { FrequentValues } from './frequent-values';
import { ClassifiedValue, InferredType, decideType } from './value-types';
import { FeatureConstraints, FeatureStatistics, KllBucket } from './model-monitor-format';

/** Options shared by every feature profile of one baseline. */
export interface ProfileOptions {
  /** Categorical buckets kept in statistics.json (the rest is implied: num_present minus their sum). */
  readonly topK: number;
  /** Largest distinct count for which constraints.json lists the domain. */
  readonly maxDomainSize: number;
  /** Buckets materialized from the sketch (Model Monitor uses 10). */
  readonly numericBuckets: number;
}

export const DEFAULT_PROFILE_OPTIONS: ProfileOptions = { topK: 100, maxDomainSize: 50, numericBuckets: 10 };

export class FeatureProfile {
  private present = 0;
  private integral = 0;
  private fractional = 0;
  private strings = 0;
  private sum = 0;
  private mean = 0;
  private m2 = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private readonly sketch = new KllSketch();
  private readonly values = new FrequentValues();

  constructor(readonly name: string) {}

  add(value: ClassifiedValue): void {
    if (value.kind === 'missing') return;
    this.present += 1;
    if (value.kind === 'String') {
      this.strings += 1;
      this.values.add(value.text);
      return;
    }
    // Numeric text feeds the categorical summary only while it could still matter: once a purely numeric
    // column has overflowed the exact counts, its categorical view is never written (it stays numeric),
    // so skip the cost. A column that later turns String keeps approximate counts, as after any prune.
    if (this.strings > 0 || this.values.isExact) this.values.add(value.text);
    if (value.kind === 'Integral') this.integral += 1;
    else this.fractional += 1;
    const x = value.number;
    const numericCount = this.integral + this.fractional;
    // Welford's update: a stable variance in one pass.
    const delta = x - this.mean;
    this.mean += delta / numericCount;
    this.m2 += delta * (x - this.mean);
    this.sum += x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.sketch.update(x);
  }

  /** Numbers the quantile sketch holds in memory (bounded, whatever the row count). */
  get retainedValues(): number {
    return this.sketch.retainedItems;
  }

  /** Distinct values the categorical summary holds in memory (bounded, whatever the row count). */
  get retainedCategories(): number {
    return this.values.size;
  }

  /** Present values that were text (not numbers). */
  get textCount(): number {
    return this.strings;
  }

  /** Present values that were numbers. */
  get numberCount(): number {
    return this.integral + this.fractional;
  }

  get inferredType(): InferredType {
    return decideType({ integral: this.integral, fractional: this.fractional, string: this.strings });
  }

  /** The feature's statistics.json entry; `itemCount` is the number of rows in the dataset. */
  statistics(itemCount: number, options: ProfileOptions): FeatureStatistics {
    const type = this.inferredType;
    const common = { num_present: this.present, num_missing: itemCount - this.present };
    if (type === 'Integral' || type === 'Fractional') {
      return {
        name: this.name,
        inferred_type: type,
        numerical_statistics: {
          common,
          mean: this.mean,
          sum: this.sum,
          std_dev: Math.sqrt(this.m2 / this.present),
          min: this.min,
          max: this.max,
          distribution: {
            kll: {
              buckets: this.buckets(options.numericBuckets),
              sketch: { parameters: { c: this.sketch.c, k: this.sketch.k }, data: this.sketch.toData() },
            },
          },
        },
      };
    }
    return {
      name: this.name,
      inferred_type: type,
      string_statistics: {
        common,
        distinct_count: this.values.distinctCount,
        distribution: { categorical: { buckets: this.values.top(options.topK) } },
      },
    };
  }

  /** The feature's constraints.json entry. */
  constraints(itemCount: number, options: ProfileOptions): FeatureConstraints {
    const type = this.inferredType;
    const base = { name: this.name, inferred_type: type, completeness: itemCount === 0 ? 0 : this.present / itemCount };
    if (type === 'Integral' || type === 'Fractional') return { ...base, num_constraints: { is_non_negative: this.min >= 0 } };
    if (type === 'String' && this.values.isExact && this.values.distinctCount <= options.maxDomainSize) {
      return { ...base, string_constraints: { domains: this.values.top(options.maxDomainSize).map((b) => b.value) } };
    }
    return base;
  }

  // Equal-width buckets from min to max; each holds [lower, upper) except the last, which also holds max.
  private buckets(count: number): KllBucket[] {
    if (this.sketch.n === 0) return [];
    if (this.min === this.max) return [{ lower_bound: this.min, upper_bound: this.max, count: this.sketch.n }];
    const width = (this.max - this.min) / count;
    const edges = Array.from({ length: count + 1 }, (_, i) => (i === count ? this.max : this.min + i * width));
    return edges.slice(0, -1).map((lower, i) => {
      const upper = edges[i + 1];
      const below = i === count - 1 ? this.sketch.n : this.sketch.rankBelow(upper);
      return { lower_bound: lower, upper_bound: upper, count: below - this.sketch.rankBelow(lower) };
    });
  }
}
