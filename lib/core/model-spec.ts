// ModelSpec: the cloud-neutral description of one model deployment, and its validation into a
// ResolvedModelSpec (defaults filled in, compute class looked up) that every cloud's stack consumes.
import { ComputeClass, DEFAULT_COMPUTE_CLASS, findComputeClass, resolveComputeClass } from './compute-catalog';
import { isTokenList, isTokenNumber, isTokenString, ValidationErrors } from './errors';
import { QualityMonitoringSpec, ResolvedQualityMonitoring, resolveQualityMonitoring } from './quality-spec';
import { FRAMEWORK_SPEC_SHAPE, HUGGING_FACE_MODEL_ID_PATTERN } from './frameworks/resolve-framework-image';
import { FrameworkSpec } from './frameworks/types';
import { checkShape, Shape } from './shape';

/** How the model scales. */
export interface ScalingSpec {
  /**
   * Instances (replicas) that always run. 0 lets GCP and Azure scale to zero; on AWS a real-time
   * endpoint needs at least 1.
   * @default 1
   */
  readonly minInstances?: number;
  /**
   * Upper bound on instances (replicas).
   * @default 4
   */
  readonly maxInstances?: number;
  /**
   * Target requests per minute per instance that autoscaling tracks (AWS `SageMakerVariantInvocationsPerInstance`).
   * @default 100
   */
  readonly targetInvocationsPerInstancePerMinute?: number;
  /**
   * Concurrent requests one instance serves (Cloud Run concurrency, Container Apps HTTP scale rule).
   * @default 8
   */
  readonly concurrency?: number;
}

/** Thresholds the stacks alarm on. */
export interface MonitoringSpec {
  /**
   * Model latency p99 above which an alarm fires, in milliseconds.
   * @default 2000
   */
  readonly latencyP99Ms?: number;
  /**
   * Share of server errors (5xx) over 5 minutes above which an alarm fires, in percent.
   * @default 5
   */
  readonly errorRatePercent?: number;
  /**
   * Features whose drift is alarmed on, by name as in the baseline.
   * @default - no per-feature drift alarms; the overall drift alarm still fires
   */
  readonly driftFeatures?: readonly string[];
  /**
   * Distance between baseline and live distributions (0..1, L-infinity as Model Monitor computes it)
   * above which a feature counts as drifted.
   * @default 0.1
   */
  readonly driftThreshold?: number;
  /**
   * Population stability index above which a feature counts as drifted (only together with a significant test:
   * PSI never decides alone).
   * @default 0.2
   */
  readonly psiThreshold?: number;
  /**
   * Significance level of the per-feature drift tests after the correction across features.
   * @default 0.01
   */
  readonly driftPValue?: number;
  /**
   * How p-values are corrected for testing many features at once: Benjamini-Hochberg, Bonferroni, or none.
   * @default 'bh'
   */
  readonly driftCorrection?: 'bh' | 'bonferroni' | 'none';
  /**
   * Fewest values a feature needs in a window for a verdict (fewer: "insufficient data", never drift).
   * @default 30
   */
  readonly driftMinWindowRows?: number;
  /**
   * Values from which a window counts as large: effect sizes (Wasserstein, Jensen-Shannon) decide instead of p-values.
   * @default 1000
   */
  readonly driftLargeWindowRows?: number;
  /**
   * Wasserstein distance, in baseline standard deviations, above which a numeric feature of a large window drifted.
   * @default 0.1
   */
  readonly wassersteinThreshold?: number;
  /**
   * Jensen-Shannon distance (0..1) above which a categorical feature of a large window drifted.
   * @default 0.1
   */
  readonly jensenShannonThreshold?: number;
  /**
   * Share of evaluated features (0..1) that must drift for the window's dataset-level verdict to be drift.
   * @default 0.5
   */
  readonly datasetDriftShare?: number;
  /**
   * Text values counted as missing (the empty field and JSON null always are).
   * @default - NA, N/A, NaN, nan, null, NULL, None
   */
  readonly missingValues?: readonly string[];
  /**
   * Addresses that get every alarm by email.
   * @default - no subscription; subscribe to the alarm topic / channel yourself
   */
  readonly alarmEmails?: readonly string[];
  /**
   * Model quality (accuracy, precision, recall; MAE, RMSE, R²) of captured predictions joined with the
   * ground-truth labels you upload, with alarms on the thresholds set here and when labels stop arriving.
   * @default - no quality monitoring
   */
  readonly quality?: QualityMonitoringSpec;
  /**
   * Turn all monitoring off. Monitoring is on unless you say so.
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * How the serving container answers HTTP. SageMaker fixes it (port 8080, `GET /ping`, `POST /invocations`);
 * the GCP and Azure serving planes use whatever the container listens on.
 */
export interface ServingSpec {
  /**
   * Port the container listens on (1-65535).
   * @default 8080
   */
  readonly port?: number;
  /**
   * Health check path (`GET`), answered with 200 when the model is loaded.
   * @default '/ping'
   */
  readonly healthPath?: string;
  /**
   * Prediction path (`POST`).
   * @default '/invocations'
   */
  readonly predictPath?: string;
}

/** The serving contract every stack assumes unless the spec says otherwise (SageMaker's, fixed on AWS). */
export const DEFAULT_SERVING: Required<ServingSpec> = { port: 8080, healthPath: '/ping', predictPath: '/invocations' };

/** True when `serving` is SageMaker's fixed contract (what AWS requires). */
export function isDefaultServing(serving: Required<ServingSpec>): boolean {
  return serving.port === DEFAULT_SERVING.port && serving.healthPath === DEFAULT_SERVING.healthPath && serving.predictPath === DEFAULT_SERVING.predictPath;
}

/** The cloud-neutral description of a model deployment. */
export interface ModelSpec {
  /**
   * Name of the model and prefix of its resources: 2-32 characters, lowercase letters, digits and
   * hyphens, starting with a letter (the strictest rule across SageMaker, Cloud Run and Container Apps).
   */
  readonly name: string;
  /**
   * Where the trained model artifact lives: `s3://bucket/key/model.tar.gz`, `gs://bucket/path/`,
   * `https://<account>.blob.core.windows.net/<container>/<path>`, or a local file path (AWS uploads it as an asset).
   * @default - none: the serving image carries its model
   */
  readonly modelArtifact?: string;
  /**
   * Serving container image URI. It must answer `GET /ping` and `POST /invocations` on port 8080
   * (the SageMaker serving contract; on GCP and Azure, `serving` can name another port and routes).
   * Give exactly one of `image`, `framework` or `huggingFaceModelId`.
   * @default - from `framework` or `huggingFaceModelId`
   */
  readonly image?: string;
  /**
   * A prebuilt serving image of the cloud, chosen by framework and version (and CPU or GPU by the compute
   * class) instead of an image of your own: `{ name: 'sklearn', version: '1.2-1' }`. See docs/frameworks.md.
   * @default - none: `image` or `huggingFaceModelId` names what serves the model
   */
  readonly framework?: FrameworkSpec;
  /**
   * An open model from the Hugging Face Hub (`mistralai/Mistral-7B-Instruct-v0.3`), served by each cloud's
   * text-generation serving (the Hugging Face TGI image on AWS). With `framework` (huggingface-tgi or
   * large-model), that framework's version serves it.
   * @default - none
   */
  readonly huggingFaceModelId?: string;
  /**
   * Compute class from the catalog (`cpu-xlarge`, `gpu-t4`, `gpu-a10g`...), or a SageMaker instance
   * type from the catalog (`ml.g5.xlarge`).
   * @default 'cpu-xlarge' (ml.m5.xlarge on AWS)
   */
  readonly compute?: string;
  /** @default - see ScalingSpec */
  readonly scaling?: ScalingSpec;
  /** @default - see MonitoringSpec */
  readonly monitoring?: MonitoringSpec;
  /**
   * Monthly cost ceiling in USD; stacks that support budgets alert at it.
   * @default - no budget
   */
  readonly monthlyBudgetUsd?: number;
  /**
   * Environment variables for the serving container.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Port and routes of the serving container on GCP and Azure. AWS accepts only the default (SageMaker's
   * contract) and refuses anything else with the fix.
   * @default - port 8080, `GET /ping`, `POST /invocations`
   */
  readonly serving?: ServingSpec;
}

/** A validated ModelSpec with every default filled in. */
export interface ResolvedModelSpec {
  readonly name: string;
  readonly modelArtifact?: string;
  /** The image the spec names; undefined when `framework` or `huggingFaceModelId` says what serves the model. */
  readonly image?: string;
  readonly framework?: FrameworkSpec;
  readonly huggingFaceModelId?: string;
  readonly compute: ComputeClass;
  readonly scaling: Required<ScalingSpec>;
  readonly monitoring: {
    readonly enabled: boolean;
    readonly latencyP99Ms: number;
    readonly errorRatePercent: number;
    readonly driftFeatures: readonly string[];
    readonly driftThreshold: number;
    readonly psiThreshold: number;
    readonly driftPValue?: number;
    readonly driftCorrection?: 'bh' | 'bonferroni' | 'none';
    readonly driftMinWindowRows?: number;
    readonly driftLargeWindowRows?: number;
    readonly wassersteinThreshold?: number;
    readonly jensenShannonThreshold?: number;
    readonly datasetDriftShare?: number;
    readonly missingValues?: readonly string[];
    readonly alarmEmails: readonly string[];
    readonly quality?: ResolvedQualityMonitoring;
  };
  readonly monthlyBudgetUsd?: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly serving: Required<ServingSpec>;
}

export const MODEL_NAME_PATTERN = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
export const FEATURE_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

export const SPEC_DEFAULTS = {
  compute: DEFAULT_COMPUTE_CLASS,
  minInstances: 1,
  maxInstances: 4,
  targetInvocationsPerInstancePerMinute: 100,
  concurrency: 8,
  latencyP99Ms: 2000,
  errorRatePercent: 5,
  driftThreshold: 0.1,
  psiThreshold: 0.2,
} as const;

const SCALING_SHAPE: Shape = {
  minInstances: 'number',
  maxInstances: 'number',
  targetInvocationsPerInstancePerMinute: 'number',
  concurrency: 'number',
};

const MONITORING_SHAPE: Shape = {
  latencyP99Ms: 'number',
  errorRatePercent: 'number',
  driftFeatures: 'stringList',
  driftThreshold: 'number',
  psiThreshold: 'number',
  driftPValue: 'number',
  driftCorrection: { oneOf: ['bh', 'bonferroni', 'none'] },
  driftMinWindowRows: 'number',
  driftLargeWindowRows: 'number',
  wassersteinThreshold: 'number',
  jensenShannonThreshold: 'number',
  datasetDriftShare: 'number',
  missingValues: 'stringList',
  alarmEmails: 'stringList',
  quality: 'object',
  enabled: 'boolean',
};

/** Every key a ModelSpec may have, and what it holds: the one place that knows the spec's shape. */
export const MODEL_SPEC_SHAPE: Shape = {
  name: 'string',
  modelArtifact: 'string',
  image: 'string',
  framework: { shape: FRAMEWORK_SPEC_SHAPE, describe: 'a framework block ({ name, version, pythonVersion? })' },
  huggingFaceModelId: 'string',
  compute: 'string',
  scaling: { shape: SCALING_SHAPE, describe: 'a scaling block' },
  monitoring: { shape: MONITORING_SHAPE, describe: 'a monitoring block' },
  monthlyBudgetUsd: 'number',
  environment: 'stringMap',
  serving: { shape: { port: 'number', healthPath: 'string', predictPath: 'string' }, describe: 'a serving block' },
};

const PATH_PATTERN = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%\/-]*$/;
const PATH_EXPECTED = "an absolute URL path starting with '/', without spaces or query string";
/** The frameworks that serve an open model given by `huggingFaceModelId`. */
const TEXT_GENERATION_SERVERS: readonly string[] = ['huggingface-tgi', 'large-model'];
const NAME_EXPECTED = '2-32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen';

/** Specs this module resolved, so a child construct handed one does not validate it again. */
const RESOLVED = new WeakSet<object>();

/** A spec as users write it, or one a parent construct already resolved. */
export type ModelSpecInput = ModelSpec | ResolvedModelSpec;

/** True for a ResolvedModelSpec that `resolveModelSpec` produced. */
export function isResolvedModelSpec(spec: unknown): spec is ResolvedModelSpec {
  return typeof spec === 'object' && spec !== null && RESOLVED.has(spec);
}

/**
 * Validates a ModelSpec and fills in defaults. Problems are recorded on `errors` under `prefix`
 * (e.g. `spec.scaling.maxInstances`); the caller throws once with its own problems. Unknown keys are
 * problems (with a "did you mean"), wrong types too; tokens skip only the checks that need a literal.
 * A spec that is already resolved is returned as it is (it was validated once, where it was resolved).
 */
export function resolveModelSpec(input: ModelSpecInput, errors: ValidationErrors, prefix = 'spec'): ResolvedModelSpec {
  if (isResolvedModelSpec(input)) return input;
  const p = (prop: string) => `${prefix}.${prop}`;
  const spec: Partial<ModelSpec> = checkShape<ModelSpec>(errors, prefix, input, MODEL_SPEC_SHAPE, 'a model spec');

  // Required keys: absent is its own problem; a present key of the wrong type was reported by checkShape.
  const given = (key: keyof ModelSpec) => typeof input === 'object' && input !== null && (input as Partial<ModelSpec>)[key] !== undefined;
  if (!given('name')) errors.add(p('name'), undefined, `a model name: ${NAME_EXPECTED}`);
  errors.checkPattern(p('name'), spec.name, MODEL_NAME_PATTERN, NAME_EXPECTED);
  const IMAGE_EXPECTED = 'a container image URI without spaces, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1.0';
  // What serves the model: an image, a framework's prebuilt image, or an open model (a framework may pin its server).
  if (!given('image') && !given('framework') && !given('huggingFaceModelId')) {
    errors.add(p('image'), undefined, `${IMAGE_EXPECTED}, or spec.framework / spec.huggingFaceModelId instead`);
  }
  if (given('image') && (given('framework') || given('huggingFaceModelId'))) {
    errors.add(p(given('framework') ? 'framework' : 'huggingFaceModelId'), (input as Partial<ModelSpec>)[given('framework') ? 'framework' : 'huggingFaceModelId'],
      'no value next to spec.image: give exactly one of image, framework or huggingFaceModelId');
  }
  if (spec.image !== undefined) errors.check(spec.image.trim().length > 0 && !/\s/.test(spec.image), p('image'), spec.image, IMAGE_EXPECTED);
  if (spec.huggingFaceModelId !== undefined) {
    errors.checkPattern(p('huggingFaceModelId'), spec.huggingFaceModelId, HUGGING_FACE_MODEL_ID_PATTERN, 'a Hugging Face model id such as "mistralai/Mistral-7B-Instruct-v0.3"');
    const server = spec.framework?.name;
    if (server !== undefined) errors.check(TEXT_GENERATION_SERVERS.includes(server), p('framework.name'), server, `${TEXT_GENERATION_SERVERS.map((n) => JSON.stringify(n)).join(' or ')} with spec.huggingFaceModelId (the server of the open model), or no framework`);
  }
  if (spec.modelArtifact !== undefined) {
    errors.check(spec.modelArtifact.trim().length > 0 && !/\s/.test(spec.modelArtifact), p('modelArtifact'), spec.modelArtifact, 'an s3://, gs:// or https:// URI, or a local file path, without spaces');
  }
  let compute: ComputeClass | undefined;
  if (spec.compute !== undefined && isTokenString(spec.compute)) {
    errors.add(p('compute'), spec.compute, 'a literal compute class id: the class decides the machine on each cloud at synth time (on AWS, pass a token as the instanceType prop instead)');
  } else {
    compute = resolveComputeClass(spec.compute, errors, p('compute'));
  }

  const s: Partial<ScalingSpec> = spec.scaling ?? {};
  const scaling = {
    minInstances: s.minInstances ?? SPEC_DEFAULTS.minInstances,
    maxInstances: s.maxInstances ?? Math.max(SPEC_DEFAULTS.maxInstances, s.minInstances ?? 0),
    targetInvocationsPerInstancePerMinute: s.targetInvocationsPerInstancePerMinute ?? SPEC_DEFAULTS.targetInvocationsPerInstancePerMinute,
    concurrency: s.concurrency ?? SPEC_DEFAULTS.concurrency,
  };
  const minOk = errors.checkNumber(p('scaling.minInstances'), scaling.minInstances, { min: 0, max: 1000, integer: true });
  const maxOk = errors.checkNumber(p('scaling.maxInstances'), scaling.maxInstances, { min: 1, max: 1000, integer: true });
  // Bounds given as tokens are compared at deploy time by the cloud, not here.
  if (minOk && maxOk && !isTokenNumber(scaling.minInstances) && !isTokenNumber(scaling.maxInstances)) {
    errors.check(scaling.minInstances <= scaling.maxInstances, p('scaling.minInstances'), scaling.minInstances, `at most scaling.maxInstances (${scaling.maxInstances})`);
  }
  errors.checkNumber(p('scaling.targetInvocationsPerInstancePerMinute'), scaling.targetInvocationsPerInstancePerMinute, { min: 1, max: 100000 });
  errors.checkNumber(p('scaling.concurrency'), scaling.concurrency, { min: 1, max: 1000, integer: true });

  const m: Partial<MonitoringSpec> = spec.monitoring ?? {};
  const monitoring = {
    enabled: m.enabled ?? true,
    latencyP99Ms: m.latencyP99Ms ?? SPEC_DEFAULTS.latencyP99Ms,
    errorRatePercent: m.errorRatePercent ?? SPEC_DEFAULTS.errorRatePercent,
    driftFeatures: m.driftFeatures ?? [],
    driftThreshold: m.driftThreshold ?? SPEC_DEFAULTS.driftThreshold,
    psiThreshold: m.psiThreshold ?? SPEC_DEFAULTS.psiThreshold,
    // The drift job's own defaults apply to the keys left out (the job documents them): undefined stays undefined.
    driftPValue: m.driftPValue,
    driftCorrection: m.driftCorrection,
    driftMinWindowRows: m.driftMinWindowRows,
    driftLargeWindowRows: m.driftLargeWindowRows,
    wassersteinThreshold: m.wassersteinThreshold,
    jensenShannonThreshold: m.jensenShannonThreshold,
    datasetDriftShare: m.datasetDriftShare,
    missingValues: m.missingValues,
    alarmEmails: m.alarmEmails ?? [],
    quality: m.quality === undefined ? undefined : resolveQualityMonitoring(m.quality, errors, p('monitoring.quality')),
  };
  errors.checkNumber(p('monitoring.latencyP99Ms'), monitoring.latencyP99Ms, { min: 1, max: 3_600_000 });
  errors.checkNumber(p('monitoring.errorRatePercent'), monitoring.errorRatePercent, { min: 0.01, max: 100 });
  errors.checkNumber(p('monitoring.driftThreshold'), monitoring.driftThreshold, { min: 0.001, max: 1 });
  errors.checkNumber(p('monitoring.psiThreshold'), monitoring.psiThreshold, { min: 0.001, max: 10 });
  errors.checkNumber(p('monitoring.driftPValue'), monitoring.driftPValue, { min: 1e-9, max: 0.5 });
  const minRowsOk = errors.checkNumber(p('monitoring.driftMinWindowRows'), monitoring.driftMinWindowRows, { min: 1, max: 1_000_000, integer: true });
  const largeRowsOk = errors.checkNumber(p('monitoring.driftLargeWindowRows'), monitoring.driftLargeWindowRows, { min: 1, max: 100_000_000, integer: true });
  if (minRowsOk && largeRowsOk && monitoring.driftMinWindowRows !== undefined && monitoring.driftLargeWindowRows !== undefined
    && !isTokenNumber(monitoring.driftMinWindowRows) && !isTokenNumber(monitoring.driftLargeWindowRows)) {
    errors.check(monitoring.driftMinWindowRows <= monitoring.driftLargeWindowRows, p('monitoring.driftMinWindowRows'), monitoring.driftMinWindowRows, `at most monitoring.driftLargeWindowRows (${monitoring.driftLargeWindowRows})`);
  }
  errors.checkNumber(p('monitoring.wassersteinThreshold'), monitoring.wassersteinThreshold, { min: 0.001, max: 100 });
  errors.checkNumber(p('monitoring.jensenShannonThreshold'), monitoring.jensenShannonThreshold, { min: 0.001, max: 1 });
  errors.checkNumber(p('monitoring.datasetDriftShare'), monitoring.datasetDriftShare, { min: 0.01, max: 1 });
  // A list token (features from a parameter) cannot be checked name by name.
  if (!isTokenList(monitoring.driftFeatures)) {
    monitoring.driftFeatures.forEach((f, i) => errors.checkPattern(p(`monitoring.driftFeatures[${i}]`), f, FEATURE_PATTERN, '1-100 letters, digits, underscores, dots or hyphens'));
    const seen = new Set<string>();
    for (const f of monitoring.driftFeatures) {
      errors.check(!seen.has(f), p('monitoring.driftFeatures'), f, 'each feature named once');
      seen.add(f);
    }
  }
  errors.checkEmails(p('monitoring.alarmEmails'), monitoring.alarmEmails);
  errors.checkNumber(p('monthlyBudgetUsd'), spec.monthlyBudgetUsd, { min: 1, max: 10_000_000 });

  const environment = spec.environment ?? {};
  for (const key of Object.keys(environment)) {
    errors.checkPattern(p(`environment.${key}`), key, /^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a variable name of letters, digits and underscores, not starting with a digit');
  }

  const serving = { ...DEFAULT_SERVING, ...spec.serving };
  errors.checkNumber(p('serving.port'), serving.port, { min: 1, max: 65535, integer: true });
  errors.checkPattern(p('serving.healthPath'), serving.healthPath, PATH_PATTERN, PATH_EXPECTED);
  errors.checkPattern(p('serving.predictPath'), serving.predictPath, PATH_PATTERN, PATH_EXPECTED);

  const resolved: ResolvedModelSpec = {
    name: spec.name ?? '',
    modelArtifact: spec.modelArtifact,
    image: spec.image,
    framework: spec.framework,
    huggingFaceModelId: spec.huggingFaceModelId,
    // A placeholder keeps the return type total; callers throw before using it when compute is unknown.
    compute: compute ?? findComputeClass(SPEC_DEFAULTS.compute)!,
    scaling,
    monitoring,
    monthlyBudgetUsd: spec.monthlyBudgetUsd,
    environment,
    serving,
  };
  // Only a spec without problems counts as resolved: a child must not skip validation of a bad one.
  if (!errors.hasProblems) RESOLVED.add(resolved);
  return resolved;
}

/**
 * The spec's own image, for constructs that serve only an image of the user's: a spec naming a framework or an
 * open model instead records a problem at that key saying so (`why`), and '' is returned (the caller throws).
 */
export function requireOwnImage(spec: ResolvedModelSpec, errors: ValidationErrors, why: string, prefix = 'spec'): string {
  if (spec.image !== undefined) return spec.image;
  const key = spec.framework !== undefined ? 'framework' : 'huggingFaceModelId';
  errors.add(`${prefix}.${key}`, spec[key], why);
  return '';
}

/** Validates a ModelSpec on its own and throws one ValidationError listing every problem. */
export function validateModelSpec(spec: ModelSpecInput, construct = 'ModelSpec'): ResolvedModelSpec {
  const errors = new ValidationErrors(construct);
  const resolved = resolveModelSpec(spec, errors);
  errors.throwIfAny();
  return resolved;
}
