// How every cloud runs the portable model-quality job (lib/runtime/quality) and the explainability job
// (lib/runtime/explain): the exact environment each job reads (from the resolved `monitoring.quality`,
// lib/core/quality-spec.ts), so the AWS, GCP and Azure wiring never differ in variables.
import { DriftJobContainer } from './drift-job';
import { ValidationErrors, isToken } from './errors';
import type { ResolvedModelSpec } from './model-spec';
import { QUALITY_DEFAULTS, QUALITY_THRESHOLDS, QualityMonitoringSpec, resolveQualityMonitoring } from './quality-spec';

export * from './quality-spec';

const URI = /^(s3:\/\/|gs:\/\/|https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/)\S+$/;
const URI_TEXT = 'an s3://, gs:// or https://<account>.blob.core.windows.net/ folder URI';

export interface QualityJobOptions {
  /** Folder above the `YYYY/MM/DD/HH/` capture partitions. */
  readonly captureUri: string;
  /** Folder above the `YYYY/MM/DD/HH/` ground-truth partitions users upload labels to. */
  readonly groundTruthUri: string;
  /** Log line format the cloud's log-to-metric pipeline reads. */
  readonly logFormat: 'aws' | 'gcp' | 'azure';
  /** The model's quality settings (`spec.monitoring.quality` once the spec carries it). */
  readonly quality: QualityMonitoringSpec;
  /**
   * Writes a number into an environment value. Pass the framework's `Token.asString` so a number token (a
   * parameter or variable) survives; `String` would print its encoded placeholder.
   * @default String
   */
  readonly numberToString?: (value: number) => string;
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
  const num = options.numberToString ?? String;
  const env: Record<string, string> = {
    MODEL_NAME: spec.name,
    QUALITY_CAPTURE_URI: options.captureUri,
    QUALITY_GROUND_TRUTH_URI: options.groundTruthUri,
    QUALITY_PROBLEM_TYPE: quality.problemType,
    QUALITY_WINDOW_HOURS: num(quality.windowHours),
    QUALITY_LABEL_DELAY_HOURS: num(quality.labelTimeoutHours),
    QUALITY_MIN_SAMPLES: num(quality.minSamples),
    LOG_FORMAT: options.logFormat,
    // A run that crosses a threshold succeeded: the alarms read its metrics; a non-zero exit would make the runner retry.
    QUALITY_EXIT_CODE: '0',
  };
  if (quality.problemType === 'BinaryClassification') {
    env.QUALITY_PROBABILITY_THRESHOLD = num(quality.probabilityThreshold ?? QUALITY_DEFAULTS.probabilityThreshold);
    env.QUALITY_POSITIVE_LABEL = quality.positiveLabel ?? QUALITY_DEFAULTS.positiveLabel;
  }
  if (quality.inferenceAttribute !== undefined) env.QUALITY_INFERENCE_ATTRIBUTE = quality.inferenceAttribute;
  if (quality.probabilityAttribute !== undefined) env.QUALITY_PROBABILITY_ATTRIBUTE = quality.probabilityAttribute;
  for (const [key, t] of Object.entries(QUALITY_THRESHOLDS)) {
    const value = (quality as unknown as Record<string, number | undefined>)[key];
    if (value !== undefined) env[t.env] = num(value);
  }
  if (quality.minLabelCoverage !== undefined) env.QUALITY_MIN_LABEL_COVERAGE = num(quality.minLabelCoverage);
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

export interface ExplainJobOptions {
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
  return {
    MODEL_NAME: spec.name,
    EXPLAIN_CAPTURE_URI: options.captureUri,
    EXPLAIN_WINDOW_HOURS: String(options.windowHours ?? 24),
    EXPLAIN_SAMPLE: String(options.sample ?? 200),
    LOG_FORMAT: options.logFormat,
    ...(options.endpointUrl ? { EXPLAIN_ENDPOINT_URL: options.endpointUrl } : {}),
    ...(options.featureNames ? { EXPLAIN_FEATURE_NAMES: options.featureNames.join(',') } : {}),
  };
}
