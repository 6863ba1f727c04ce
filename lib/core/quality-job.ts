// How every cloud runs the portable model-quality job (lib/runtime/quality) and the explainability job
// (lib/runtime/explain): the exact environment each job reads (from the resolved `monitoring.quality`,
// lib/core/quality-spec.ts), so the AWS, GCP and Azure wiring never differ in variables.
import { DriftJobContainer } from './drift-job';
import { ValidationErrors, isToken, isTokenList, isTokenNumber } from './errors';
import type { ResolvedModelSpec } from './model-spec';
import { QUALITY_DEFAULTS, QUALITY_THRESHOLDS, QualityMonitoringSpec, resolveQualityMonitoring } from './quality-spec';

export * from './quality-spec';

const URI = /^(s3:\/\/|gs:\/\/|https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/)\S+$/;
const URI_TEXT = 'an s3://, gs:// or https://<account>.blob.core.windows.net/ folder URI';

/**
 * How the cloud writes tokens into environment values. Core imports neither aws-cdk-lib nor cdktf, so the cloud
 * passes its own `Token.asString` and `Fn.join`; without them a token is refused (`String` would print its encoded
 * placeholder, which never resolves).
 */
export interface TokenWriters {
  /**
   * Writes every number into an environment value: `String` for a literal, the framework's `Token.asString` for a
   * number token.
   * @default - literals through `String`; a number token is refused
   */
  readonly numberToString?: (value: number) => string;
  /**
   * Joins a list token into one environment value: the framework's `Fn.join` (literal lists are joined here).
   * @default - literals through `Array.join`; a list token is refused
   */
  readonly joinList?: (separator: string, list: string[]) => string;
}

/** `num` and `join` that print literals themselves and hand tokens to the cloud's writers (refused without one). */
function tokenWriters(writers: TokenWriters, errors: ValidationErrors, prefix: string) {
  const num = (prop: string, value: number): string => {
    if (writers.numberToString) return writers.numberToString(value);
    if (!isTokenNumber(value)) return String(value);
    errors.check(false, `${prefix}.${prop}`, value, 'a literal number (this cloud passes no numberToString to write a number token)');
    return '';
  };
  const join = (prop: string, separator: string, list: readonly string[]): string => {
    if (!isTokenList(list)) return list.join(separator);
    if (writers.joinList) return writers.joinList(separator, [...list]);
    errors.check(false, `${prefix}.${prop}`, list, 'a literal list (this cloud passes no joinList to join a list token)');
    return '';
  };
  return { num, join };
}

export interface QualityJobOptions extends TokenWriters {
  /** Folder above the `YYYY/MM/DD/HH/` capture partitions. */
  readonly captureUri: string;
  /** Folder above the `YYYY/MM/DD/HH/` ground-truth partitions users upload labels to. */
  readonly groundTruthUri: string;
  /** Log line format the cloud's log-to-metric pipeline reads. */
  readonly logFormat: 'aws' | 'gcp' | 'azure';
  /** The model's quality settings (`spec.monitoring.quality` once the spec carries it). */
  readonly quality: QualityMonitoringSpec;
}

/**
 * The quality job's environment for `spec` (the contract lib/runtime/quality reads), validating the settings under
 * `construct`. Every cloud's deployment of the job (Lambda, Cloud Run job, Container Apps job) passes exactly this.
 */
export function qualityJobEnvironment(spec: ResolvedModelSpec, options: QualityJobOptions, construct: string): Record<string, string> {
  const errors = new ValidationErrors(construct);
  errors.checkPattern('qualityJob.captureUri', options.captureUri, URI, URI_TEXT);
  errors.checkPattern('qualityJob.groundTruthUri', options.groundTruthUri, URI, URI_TEXT);
  const quality = resolveQualityMonitoring(options.quality, errors, 'qualityJob.quality');
  errors.throwIfAny();
  const writers = tokenWriters(options, errors, 'qualityJob.quality');
  const num = (value: number, prop: string) => writers.num(prop, value);
  const env: Record<string, string> = {
    MODEL_NAME: spec.name,
    QUALITY_CAPTURE_URI: options.captureUri,
    QUALITY_GROUND_TRUTH_URI: options.groundTruthUri,
    QUALITY_PROBLEM_TYPE: quality.problemType,
    QUALITY_WINDOW_HOURS: num(quality.windowHours, 'windowHours'),
    QUALITY_LABEL_DELAY_HOURS: num(quality.labelTimeoutHours, 'labelTimeoutHours'),
    QUALITY_MIN_SAMPLES: num(quality.minSamples, 'minSamples'),
    LOG_FORMAT: options.logFormat,
    // A run that crosses a threshold succeeded: the alarms read its metrics; a non-zero exit would make the runner retry.
    QUALITY_EXIT_CODE: '0',
  };
  if (quality.problemType === 'BinaryClassification') {
    env.QUALITY_PROBABILITY_THRESHOLD = num(quality.probabilityThreshold ?? QUALITY_DEFAULTS.probabilityThreshold, 'probabilityThreshold');
    env.QUALITY_POSITIVE_LABEL = quality.positiveLabel ?? QUALITY_DEFAULTS.positiveLabel;
  }
  if (quality.inferenceAttribute !== undefined) env.QUALITY_INFERENCE_ATTRIBUTE = quality.inferenceAttribute;
  if (quality.probabilityAttribute !== undefined) env.QUALITY_PROBABILITY_ATTRIBUTE = quality.probabilityAttribute;
  for (const [key, t] of Object.entries(QUALITY_THRESHOLDS)) {
    const value = (quality as unknown as Record<string, number | undefined>)[key];
    if (value !== undefined) env[t.env] = num(value, key);
  }
  if (quality.minLabelCoverage !== undefined) env.QUALITY_MIN_LABEL_COVERAGE = num(quality.minLabelCoverage, 'minLabelCoverage');
  errors.throwIfAny();
  return env;
}

/**
 * The quality job as a container running a prebuilt image (docker/drift-job serves both jobs: its entry takes
 * the job name). There is deliberately no default that downloads the package at run time: without an image,
 * clouds deploy the pre-bundled job code (assets/quality-*) as a function.
 */
export function qualityJobContainer(spec: ResolvedModelSpec, options: QualityJobOptions & { readonly image: string }, construct: string): DriftJobContainer {
  return { image: options.image, command: [], args: [], env: qualityJobEnvironment(spec, options, construct) };
}

export interface ExplainJobOptions extends TokenWriters {
  /** Folder above the `YYYY/MM/DD/HH/` capture partitions. */
  readonly captureUri: string;
  readonly logFormat: 'aws' | 'gcp' | 'azure';
  /** The endpoint the job's HTTP predictor calls (GCP/Azure). @default - none: the entry supplies its own predict */
  readonly endpointUrl?: string;
  /** Feature names in request order. @default - `_c0`, `_c1`, ... */
  readonly featureNames?: readonly string[];
  /** Requests sampled per run. @default 200 */
  readonly sample?: number;
  /** Hours of traffic each run samples. @default 24 */
  readonly windowHours?: number;
}

/** The explainability job's environment (the contract lib/runtime/explain/explain-job.ts reads). */
export function explainJobEnvironment(spec: ResolvedModelSpec, options: ExplainJobOptions, construct: string): Record<string, string> {
  const errors = new ValidationErrors(construct);
  errors.checkPattern('explainJob.captureUri', options.captureUri, URI, URI_TEXT);
  errors.checkPattern('explainJob.endpointUrl', options.endpointUrl, /^https:\/\/\S+$/, 'an https:// URL');
  errors.checkNumber('explainJob.sample', options.sample, { min: 1, max: 100_000, integer: true });
  errors.checkNumber('explainJob.windowHours', options.windowHours, { min: 1, max: 744, integer: true });
  if (options.featureNames !== undefined && !isToken(options.featureNames) && errors.checkStringList('explainJob.featureNames', options.featureNames)) {
    options.featureNames.forEach((f, i) => errors.check(f.length > 0 && !f.includes(','), `explainJob.featureNames[${i}]`, f, 'a non-empty name without commas'));
  }
  errors.throwIfAny();
  const { num, join } = tokenWriters(options, errors, 'explainJob');
  const env: Record<string, string> = {
    MODEL_NAME: spec.name,
    EXPLAIN_CAPTURE_URI: options.captureUri,
    EXPLAIN_WINDOW_HOURS: num('windowHours', options.windowHours ?? 24),
    EXPLAIN_SAMPLE: num('sample', options.sample ?? 200),
    LOG_FORMAT: options.logFormat,
    ...(options.endpointUrl ? { EXPLAIN_ENDPOINT_URL: options.endpointUrl } : {}),
    ...(options.featureNames ? { EXPLAIN_FEATURE_NAMES: join('featureNames', ',', options.featureNames) } : {}),
  };
  errors.throwIfAny();
  return env;
}
