// How every cloud runs the portable drift job (lib/runtime/drift-job): one environment built here from the spec, so
// the bundled functions and the image jobs of every cloud never differ in flags or env.
import { ValidationErrors } from './errors';
import { ResolvedModelSpec } from './model-spec';

export interface DriftJobOptions {
  /** Folder holding `statistics.json` and `constraints.json` (s3://, gs://, https://<account>.blob... URI). */
  readonly baselineUri: string;
  /** Folder above the `YYYY/MM/DD/HH/` capture partitions. */
  readonly captureUri: string;
  /** Log line format the cloud's log-to-metric pipeline reads. */
  readonly logFormat: 'aws' | 'gcp' | 'azure';
  /** A prebuilt drift-job image (docker/drift-job/Dockerfile), for driftJobContainer. Its entrypoint runs the job. */
  readonly image?: string;
  /** Hours each run analyzes. @default 1 */
  readonly windowHours?: number;
}

/** What a job runner (Cloud Run job, Container Apps job, ECS task) needs to run the drift job. */
export interface DriftJobContainer {
  readonly image: string;
  /** Entrypoint override; empty when the image's own entrypoint runs the job. */
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

const URI = /^(s3:\/\/|gs:\/\/|https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/)\S+$/;

/**
 * Optional `spec.monitoring` keys for the drift verdict and the job variables they become. Passed only when the
 * spec sets them; the job's defaults (alpha 0.01 with Benjamini-Hochberg, 30 values for a verdict, effect sizes
 * from 1,000 values, Wasserstein 0.1 sd, Jensen-Shannon 0.1, dataset drift at half the features) apply otherwise.
 */
export const DRIFT_SPEC_ENVIRONMENT = {
  driftPValue: 'DRIFT_ALPHA',
  driftCorrection: 'DRIFT_CORRECTION',
  driftMinWindowRows: 'DRIFT_MIN_ROWS',
  driftLargeWindowRows: 'DRIFT_LARGE_WINDOW_ROWS',
  wassersteinThreshold: 'WASSERSTEIN_THRESHOLD',
  jensenShannonThreshold: 'JS_THRESHOLD',
  datasetDriftShare: 'DATASET_DRIFT_SHARE',
  missingValues: 'MISSING_VALUES',
} as const;

// Reads the optional keys without a cast: whatever `spec.monitoring` carries, typed or not yet.
function optionalDriftEnvironment(monitoring: object): Record<string, string> {
  const given = new Map<string, unknown>(Object.entries(monitoring));
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(DRIFT_SPEC_ENVIRONMENT)) {
    const value = given.get(key);
    if (typeof value === 'number' || typeof value === 'string') env[name] = String(value);
    else if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) env[name] = JSON.stringify(value);
  }
  return env;
}

/**
 * The drift job's environment for `spec` (the contract lib/runtime/drift reads), validating the URIs under
 * `construct`. Every cloud's deployment of the job (function, container job, Lambda) passes exactly this.
 */
export function driftJobEnvironment(spec: ResolvedModelSpec, options: DriftJobOptions, construct: string): Record<string, string> {
  const errors = new ValidationErrors(construct);
  errors.checkPattern('driftJob.baselineUri', options.baselineUri, URI, 'an s3://, gs:// or https://<account>.blob.core.windows.net/ folder URI');
  errors.checkPattern('driftJob.captureUri', options.captureUri, URI, 'an s3://, gs:// or https://<account>.blob.core.windows.net/ folder URI');
  errors.checkNumber('driftJob.windowHours', options.windowHours, { min: 1, max: 168, integer: true });
  errors.throwIfAny();
  return {
    MODEL_NAME: spec.name,
    BASELINE_URI: options.baselineUri,
    CAPTURE_URI: options.captureUri,
    DRIFT_THRESHOLD: String(spec.monitoring.driftThreshold),
    PSI_THRESHOLD: String(spec.monitoring.psiThreshold),
    WINDOW_HOURS: String(options.windowHours ?? 1),
    LOG_FORMAT: options.logFormat,
    // A run that finds drift succeeded: the alert reads the log lines; a non-zero exit would make the runner retry.
    DRIFT_EXIT_CODE: '0',
    ...optionalDriftEnvironment(spec.monitoring),
  };
}

/**
 * Builds the drift job's container for `spec` from a prebuilt image (its entrypoint runs the job; nothing is downloaded
 * at run time), validating the URIs under `construct`. The bundled functions take driftJobEnvironment alone.
 */
export function driftJobContainer(spec: ResolvedModelSpec, options: DriftJobOptions & { readonly image: string }, construct: string): DriftJobContainer {
  return { image: options.image, command: [], args: [], env: driftJobEnvironment(spec, options, construct) };
}
