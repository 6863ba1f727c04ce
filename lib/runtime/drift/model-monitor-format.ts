// The SageMaker Model Monitor data-quality file formats (statistics.json, constraints.json) as types,
// plus defensive readers: a baseline written by Model Monitor itself or by our CLI reads the same way.
import { InferredType } from './value-types';
import { isJsonObject } from '../shared/json-value';

export interface KllBucket {
  readonly lower_bound: number;
  readonly upper_bound: number;
  readonly count: number;
}

export interface CommonStatistics {
  readonly num_present: number;
  readonly num_missing: number;
}

export interface NumericalStatistics {
  readonly common: CommonStatistics;
  readonly mean: number;
  readonly sum: number;
  readonly std_dev: number;
  readonly min: number;
  readonly max: number;
  readonly distribution: {
    readonly kll: {
      readonly buckets: readonly KllBucket[];
      readonly sketch: {
        readonly parameters: { readonly c: number; readonly k: number };
        readonly data: readonly (readonly number[])[];
      };
    };
  };
}

export interface CategoricalBucket {
  readonly value: string;
  readonly count: number;
}

export interface StringStatistics {
  readonly common: CommonStatistics;
  readonly distinct_count: number;
  readonly distribution: { readonly categorical: { readonly buckets: readonly CategoricalBucket[] } };
}

export interface FeatureStatistics {
  readonly name: string;
  readonly inferred_type: InferredType;
  readonly numerical_statistics?: NumericalStatistics;
  readonly string_statistics?: StringStatistics;
}

/** statistics.json */
export interface StatisticsFile {
  readonly version: number;
  readonly dataset: { readonly item_count: number };
  readonly features: readonly FeatureStatistics[];
}

export interface FeatureConstraints {
  readonly name: string;
  readonly inferred_type: InferredType;
  readonly completeness: number;
  readonly num_constraints?: { readonly is_non_negative: boolean };
  readonly string_constraints?: { readonly domains: readonly string[] };
  readonly monitoringConfigOverrides?: Record<string, unknown>;
}

export interface MonitoringConfig {
  readonly evaluate_constraints: 'Enabled' | 'Disabled';
  readonly emit_metrics: 'Enabled' | 'Disabled';
  readonly datatype_check_threshold: number;
  readonly domain_content_threshold: number;
  readonly distribution_constraints: {
    readonly perform_comparison: 'Enabled' | 'Disabled';
    readonly comparison_threshold: number;
    readonly comparison_method: 'Simple' | 'Robust';
    readonly categorical_comparison_threshold: number;
    readonly categorical_drift_method: 'LInfinity' | 'ChiSquared';
  };
}

/** constraints.json */
export interface ConstraintsFile {
  readonly version: number;
  readonly features: readonly FeatureConstraints[];
  readonly monitoring_config: MonitoringConfig;
}

/** The monitoring_config our baselines write (Model Monitor's defaults, robust numeric comparison). */
export const DEFAULT_MONITORING_CONFIG: MonitoringConfig = {
  evaluate_constraints: 'Enabled',
  emit_metrics: 'Enabled',
  datatype_check_threshold: 1.0,
  domain_content_threshold: 1.0,
  distribution_constraints: {
    perform_comparison: 'Enabled',
    comparison_threshold: 0.1,
    comparison_method: 'Robust',
    categorical_comparison_threshold: 0.1,
    categorical_drift_method: 'LInfinity',
  },
};

/** A baseline that cannot be used: the drift job exits with code 2 on it. */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

const TYPES: readonly InferredType[] = ['Integral', 'Fractional', 'String', 'Unknown'];

function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BaselineError(`${where}: got ${JSON.stringify(v)}; expected a number`);
  return v;
}

/** Validates a parsed statistics.json; throws BaselineError naming the first bad field. */
export function readStatistics(json: unknown, source = 'statistics.json'): StatisticsFile {
  if (!isJsonObject(json) || !Array.isArray(json.features)) throw new BaselineError(`${source}: expected an object with a "features" array`);
  const dataset = isJsonObject(json.dataset) ? json.dataset : {};
  const itemCount = num(dataset.item_count, `${source} dataset.item_count`);
  const features = json.features.map((f: unknown, i: number): FeatureStatistics => {
    const where = `${source} features[${i}]`;
    if (!isJsonObject(f) || typeof f.name !== 'string') throw new BaselineError(`${where}: expected an object with a "name"`);
    const type = f.inferred_type as InferredType;
    if (!TYPES.includes(type)) throw new BaselineError(`${where}.inferred_type: got ${JSON.stringify(f.inferred_type)}; expected one of ${TYPES.join(', ')}`);
    if ((type === 'Integral' || type === 'Fractional') && !isJsonObject(f.numerical_statistics)) {
      throw new BaselineError(`${where}: a ${type} feature needs "numerical_statistics"`);
    }
    if (type === 'String' && !isJsonObject(f.string_statistics)) throw new BaselineError(`${where}: a String feature needs "string_statistics"`);
    if (isJsonObject(f.numerical_statistics)) {
      const ns = f.numerical_statistics;
      num(ns.min, `${where}.numerical_statistics.min`);
      num(ns.max, `${where}.numerical_statistics.max`);
      const kll = isJsonObject(ns.distribution) && isJsonObject(ns.distribution.kll) ? ns.distribution.kll : undefined;
      if (!kll || !Array.isArray(kll.buckets)) throw new BaselineError(`${where}.numerical_statistics.distribution.kll.buckets: expected an array`);
    }
    return f as unknown as FeatureStatistics;
  });
  return { version: typeof json.version === 'number' ? json.version : 0, dataset: { item_count: itemCount }, features };
}

/** Validates a parsed constraints.json; missing monitoring_config fields take Model Monitor's defaults. */
export function readConstraints(json: unknown, source = 'constraints.json'): ConstraintsFile {
  if (!isJsonObject(json) || !Array.isArray(json.features)) throw new BaselineError(`${source}: expected an object with a "features" array`);
  const features = json.features.map((f: unknown, i: number): FeatureConstraints => {
    const where = `${source} features[${i}]`;
    if (!isJsonObject(f) || typeof f.name !== 'string') throw new BaselineError(`${where}: expected an object with a "name"`);
    if (f.completeness !== undefined) {
      const c = num(f.completeness, `${where}.completeness`);
      if (c < 0 || c > 1) throw new BaselineError(`${where}.completeness: got ${c}; expected a number from 0 to 1`);
    }
    return f as unknown as FeatureConstraints;
  });
  const mc = isJsonObject(json.monitoring_config) ? json.monitoring_config : {};
  const dc = isJsonObject(mc.distribution_constraints) ? mc.distribution_constraints : {};
  const d = DEFAULT_MONITORING_CONFIG;
  const optNum = (v: unknown, fallback: number, where: string): number => (v === undefined ? fallback : num(v, `${source} monitoring_config.${where}`));
  return {
    version: typeof json.version === 'number' ? json.version : 0,
    features,
    monitoring_config: {
      evaluate_constraints: mc.evaluate_constraints === 'Disabled' ? 'Disabled' : 'Enabled',
      emit_metrics: mc.emit_metrics === 'Disabled' ? 'Disabled' : 'Enabled',
      datatype_check_threshold: optNum(mc.datatype_check_threshold, d.datatype_check_threshold, 'datatype_check_threshold'),
      domain_content_threshold: optNum(mc.domain_content_threshold, d.domain_content_threshold, 'domain_content_threshold'),
      distribution_constraints: {
        perform_comparison: dc.perform_comparison === 'Disabled' ? 'Disabled' : 'Enabled',
        comparison_threshold: optNum(dc.comparison_threshold, d.distribution_constraints.comparison_threshold, 'distribution_constraints.comparison_threshold'),
        // The docs once spelled it "comparion_method"; accept both spellings.
        comparison_method: (dc.comparison_method ?? dc.comparion_method) === 'Simple' ? 'Simple' : 'Robust',
        categorical_comparison_threshold: optNum(
          dc.categorical_comparison_threshold,
          d.distribution_constraints.categorical_comparison_threshold,
          'distribution_constraints.categorical_comparison_threshold',
        ),
        categorical_drift_method: dc.categorical_drift_method === 'ChiSquared' ? 'ChiSquared' : 'LInfinity',
      },
    },
  };
}
