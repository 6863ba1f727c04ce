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
  /** Per-feature monitoring_config fields (also read from `monitoring_config_overrides`). */
  readonly monitoringConfigOverrides?: MonitoringConfigOverrides;
}

/**
 * constraints.json `monitoring_config`, with the meaning SageMaker Model Monitor gives each field
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-constraints.html and
 * https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-violations.html).
 */
export interface MonitoringConfig {
  /** Evaluate the constraint checks (completeness, data type, domain, missing and extra columns). Model Monitor default: Enabled. */
  readonly evaluate_constraints: 'Enabled' | 'Disabled';
  /** Publish metrics for the analyzed data. Model Monitor default: Enabled. */
  readonly emit_metrics: 'Enabled' | 'Disabled';
  /**
   * Share (0..1) of a feature's present values that must have the baseline's inferred type; a lower share is a
   * `data_type_check` violation. The Model Monitor analyzer writes and defaults to 1.0 and reports it as
   * "Expected match: 100.0%" (sagemaker-python-sdk DataQualityMonitoringConfig default 1.0); the constraints page
   * shows 0.1 in its example, which read as a required share would switch the check off, so we keep 1.0.
   */
  readonly datatype_check_threshold: number;
  /**
   * Share (0..1) of a String feature's present values that must lie in the baseline domain
   * (`string_constraints.domains`); a lower share is a `categorical_values_check` violation. Default 1.0, as above.
   */
  readonly domain_content_threshold: number;
  readonly distribution_constraints: {
    /** Compare distributions at all (`baseline_drift_check`). Default: Enabled. */
    readonly perform_comparison: 'Enabled' | 'Disabled';
    /** Distance above which a numeric feature drifts. Default 0.1. */
    readonly comparison_threshold: number;
    /**
     * "Simple": distance against the threshold only. "Robust" (Model Monitor's default, based on the two-sample
     * KS test): the distance must also be statistically significant for the two sample sizes.
     */
    readonly comparison_method: 'Simple' | 'Robust';
    /** Distance above which a String feature drifts. Default 0.1. */
    readonly categorical_comparison_threshold: number;
    /** How String features are compared: L-infinity distance (default) or a chi-squared test. */
    readonly categorical_drift_method: 'LInfinity' | 'ChiSquared';
  };
}

/** A feature's `monitoringConfigOverrides`: any monitoring_config field, for that feature only. */
export interface MonitoringConfigOverrides {
  readonly evaluate_constraints?: MonitoringConfig['evaluate_constraints'];
  readonly emit_metrics?: MonitoringConfig['emit_metrics'];
  readonly datatype_check_threshold?: number;
  readonly domain_content_threshold?: number;
  readonly distribution_constraints?: Partial<MonitoringConfig['distribution_constraints']>;
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

/**
 * Validates a parsed constraints.json; missing monitoring_config fields take Model Monitor's defaults, values
 * outside a field's allowed set are errors (never silently replaced). Notes about fields the job ignores go to
 * `warnings`.
 */
export function readConstraints(json: unknown, source = 'constraints.json', warnings: string[] = []): ConstraintsFile {
  if (!isJsonObject(json) || !Array.isArray(json.features)) throw new BaselineError(`${source}: expected an object with a "features" array`);
  const features = json.features.map((f: unknown, i: number): FeatureConstraints => {
    const where = `${source} features[${i}]`;
    if (!isJsonObject(f) || typeof f.name !== 'string') throw new BaselineError(`${where}: expected an object with a "name"`);
    if (f.completeness !== undefined) {
      const c = num(f.completeness, `${where}.completeness`);
      if (c < 0 || c > 1) throw new BaselineError(`${where}.completeness: got ${c}; expected a number from 0 to 1`);
    }
    const raw = f.monitoringConfigOverrides ?? f.monitoring_config_overrides;
    const overrides = raw === undefined ? undefined : readOverrides(raw, `${where}.monitoringConfigOverrides`, warnings);
    const { monitoring_config_overrides: _snake, ...rest } = f;
    return { ...(rest as unknown as FeatureConstraints), ...(overrides ? { monitoringConfigOverrides: overrides } : {}) };
  });
  const mc = isJsonObject(json.monitoring_config) ? json.monitoring_config : {};
  const overrides = readOverrides(mc, `${source} monitoring_config`, warnings);
  const d = DEFAULT_MONITORING_CONFIG;
  const dc = overrides.distribution_constraints ?? {};
  return {
    version: typeof json.version === 'number' ? json.version : 0,
    features,
    monitoring_config: {
      evaluate_constraints: overrides.evaluate_constraints ?? d.evaluate_constraints,
      emit_metrics: overrides.emit_metrics ?? d.emit_metrics,
      datatype_check_threshold: overrides.datatype_check_threshold ?? d.datatype_check_threshold,
      domain_content_threshold: overrides.domain_content_threshold ?? d.domain_content_threshold,
      distribution_constraints: { ...d.distribution_constraints, ...dc },
    },
  };
}

const ENABLED = ['Enabled', 'Disabled'] as const;
const KNOWN_CONFIG_KEYS = ['evaluate_constraints', 'emit_metrics', 'datatype_check_threshold', 'domain_content_threshold', 'distribution_constraints'];
const KNOWN_DISTRIBUTION_KEYS = ['perform_comparison', 'comparison_threshold', 'comparison_method', 'comparion_method', 'categorical_comparison_threshold', 'categorical_drift_method'];

/** Reads a monitoring_config (or a feature's overrides of it): only the fields present, each checked. */
export function readOverrides(json: unknown, where: string, warnings: string[]): MonitoringConfigOverrides {
  if (!isJsonObject(json)) throw new BaselineError(`${where}: got ${JSON.stringify(json)}; expected an object`);
  const oneOf = <T extends string>(v: unknown, allowed: readonly T[], field: string): T | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    throw new BaselineError(`${where}.${field}: got ${JSON.stringify(v)}; expected one of ${allowed.join(', ')}`);
  };
  const share = (v: unknown, field: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = num(v, `${where}.${field}`);
    if (n < 0 || n > 1) throw new BaselineError(`${where}.${field}: got ${n}; expected a number from 0 to 1`);
    return n;
  };
  for (const key of Object.keys(json)) if (!KNOWN_CONFIG_KEYS.includes(key)) warnings.push(`${where}.${key}: not a Model Monitor setting; ignored`);
  const result: { -readonly [K in keyof MonitoringConfigOverrides]: MonitoringConfigOverrides[K] } = {};
  const set = <K extends keyof MonitoringConfigOverrides>(key: K, value: MonitoringConfigOverrides[K] | undefined) => {
    if (value !== undefined) result[key] = value;
  };
  set('evaluate_constraints', oneOf(json.evaluate_constraints, ENABLED, 'evaluate_constraints'));
  set('emit_metrics', oneOf(json.emit_metrics, ENABLED, 'emit_metrics'));
  set('datatype_check_threshold', share(json.datatype_check_threshold, 'datatype_check_threshold'));
  set('domain_content_threshold', share(json.domain_content_threshold, 'domain_content_threshold'));
  if (json.distribution_constraints !== undefined) {
    const dc = json.distribution_constraints;
    if (!isJsonObject(dc)) throw new BaselineError(`${where}.distribution_constraints: got ${JSON.stringify(dc)}; expected an object`);
    for (const key of Object.keys(dc)) {
      if (!KNOWN_DISTRIBUTION_KEYS.includes(key)) warnings.push(`${where}.distribution_constraints.${key}: not a Model Monitor setting; ignored`);
    }
    const distribution: { -readonly [K in keyof MonitoringConfig['distribution_constraints']]?: MonitoringConfig['distribution_constraints'][K] } = {};
    const put = <K extends keyof MonitoringConfig['distribution_constraints']>(key: K, value: MonitoringConfig['distribution_constraints'][K] | undefined) => {
      if (value !== undefined) distribution[key] = value;
    };
    put('perform_comparison', oneOf(dc.perform_comparison, ENABLED, 'distribution_constraints.perform_comparison'));
    put('comparison_threshold', share(dc.comparison_threshold, 'distribution_constraints.comparison_threshold'));
    // The docs once spelled it "comparion_method"; accept both spellings.
    put('comparison_method', oneOf(dc.comparison_method ?? dc.comparion_method, ['Simple', 'Robust'] as const, 'distribution_constraints.comparison_method'));
    put('categorical_comparison_threshold', share(dc.categorical_comparison_threshold, 'distribution_constraints.categorical_comparison_threshold'));
    put('categorical_drift_method', oneOf(dc.categorical_drift_method, ['LInfinity', 'ChiSquared'] as const, 'distribution_constraints.categorical_drift_method'));
    result.distribution_constraints = distribution;
  }
  return result;
}
