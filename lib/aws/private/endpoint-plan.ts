// Turns ModelEndpoint props (and an optional, possibly already resolved, spec) into a checked plan: the variants
// with their instance types, containers, scaling and large-model settings. Every problem is collected; the
// constructor throws once. Refusals only where AWS refuses. Not exported from the package.
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isTokenNumber, isTokenString, ValidationErrors } from '../../core/errors';
import { MODEL_NAME_PATTERN, ModelSpec, ResolvedModelSpec, resolveModelSpec } from '../../core/model-spec';
import { checkSageMakerInstanceType, findSageMakerInstanceType, needsNeuronImage, SageMakerInstanceType } from '../../core/sagemaker-instances';
import { ContainerImage } from '../container-image';
import type { LargeModelOptions, VariantModelOptions } from '../endpoint-options';
import type { InferenceMode } from '../inference-endpoint';
import { ModelData } from '../model-data';
import type { ModelEndpointProps } from '../endpoint-options';
import { checkPrebuiltVariants, checkServingContract } from './endpoint-contract';
import { frameworkComputeOf, prebuiltServing, PrebuiltServing } from './endpoint-framework';
import { planScaling, ScalingDefaults, ScalingPlan } from './endpoint-scaling';
import { ECR_IMAGE_URI_EXPECTED, parseEcrImageUri, parseS3Uri, S3_URI_EXPECTED } from './uris';

/** A container a variant serves. */
export interface ContainerPlan {
  readonly image: ContainerImage;
  readonly modelData?: ModelData;
  readonly environment: Readonly<Record<string, string>>;
}

/** One production or shadow variant, checked. */
export interface VariantPlan {
  readonly variantName: string;
  readonly shadow: boolean;
  readonly weight: number;
  /** Undefined in serverless mode. */
  readonly instanceType?: string;
  /** Undefined for a token or in serverless mode. */
  readonly instance?: SageMakerInstanceType;
  readonly initialInstanceCount?: number;
  readonly scaling?: ScalingPlan;
  /** Its own model; undefined when it serves the endpoint's main model. */
  readonly container?: ContainerPlan;
  readonly volumeSizeGb?: number;
  readonly modelDataDownloadTimeoutSeconds?: number;
  readonly containerStartupHealthCheckTimeoutSeconds?: number;
}

export interface EndpointPlan {
  readonly mode: InferenceMode;
  readonly modelName: string;
  readonly spec?: ResolvedModelSpec;
  readonly main?: ContainerPlan;
  readonly variants: readonly VariantPlan[];
  readonly serverless: { readonly memorySizeMb: number; readonly maxConcurrency: number; readonly provisionedConcurrency?: number };
  readonly networkIsolation: boolean;
}

const MODES: readonly InferenceMode[] = ['realtime', 'serverless', 'async'];
const VARIANT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const VARIANT_NAME_EXPECTED = '1-63 letters, digits or hyphens, not starting or ending with a hyphen';
const SERVERLESS_MEMORY_SIZES = [1024, 2048, 3072, 4096, 5120, 6144];
const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** SageMaker's limit on production variants per endpoint config. */
const MAX_VARIANTS = 10;
export const DEFAULT_INSTANCE_TYPE = 'ml.m5.xlarge';

/** A spec that went through resolveModelSpec already (its compute is the class, not an id). */
export function isResolvedSpec(spec: ModelSpec | ResolvedModelSpec): spec is ResolvedModelSpec {
  return typeof (spec as ResolvedModelSpec).compute === 'object' && (spec as ResolvedModelSpec).compute !== null;
}

export function planEndpoint(scope: Construct, props: ModelEndpointProps, errors: ValidationErrors): EndpointPlan {
  // The spec is resolved once: a stack hands down the resolved spec, and it is not checked again here.
  const spec = props.spec === undefined ? undefined : isResolvedSpec(props.spec) ? props.spec : resolveModelSpec(props.spec, errors, 'spec');

  if (props.modelName !== undefined) {
    errors.checkPattern('modelName', props.modelName, MODEL_NAME_PATTERN, '2-32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen');
  } else if (!spec) {
    errors.add('modelName', undefined, 'a model name, or a spec with one');
  }
  const mode = props.mode ?? 'realtime';
  const modeOk = errors.checkOneOf('mode', mode, MODES);

  const serverless = {
    memorySizeMb: props.serverless?.memorySizeMb ?? 2048,
    maxConcurrency: props.serverless?.maxConcurrency ?? 20,
    provisionedConcurrency: props.serverless?.provisionedConcurrency,
  };
  if (mode === 'serverless') {
    if (!isTokenNumber(serverless.memorySizeMb)) {
      errors.check(SERVERLESS_MEMORY_SIZES.includes(serverless.memorySizeMb), 'serverless.memorySizeMb', serverless.memorySizeMb, `one of ${SERVERLESS_MEMORY_SIZES.join(', ')}`);
    }
    const maxOk = errors.checkNumber('serverless.maxConcurrency', serverless.maxConcurrency, { min: 1, max: 200, integer: true });
    errors.checkNumber('serverless.provisionedConcurrency', serverless.provisionedConcurrency, { min: 1, max: maxOk && !isTokenNumber(serverless.maxConcurrency) ? serverless.maxConcurrency : 200, integer: true });
    // SageMaker serverless endpoints support no VPC, data capture, network isolation or several variants.
    errors.check(props.vpc === undefined, 'vpc', 'a VPC', "no VPC in serverless mode (unsupported by SageMaker); use mode 'realtime'");
    errors.check(props.dataCapture === undefined, 'dataCapture', 'data capture', "no data capture in serverless mode (unsupported by SageMaker); use mode 'realtime'");
    errors.check(props.networkIsolation !== true, 'networkIsolation', props.networkIsolation, 'false in serverless mode (unsupported by SageMaker)');
    errors.check(props.additionalVariants === undefined, 'additionalVariants', props.additionalVariants?.map((v) => v.variantName), "none in serverless mode (one variant per serverless endpoint); use mode 'realtime'");
  }

  const mainType = props.instanceType ?? spec?.compute.aws.machineType ?? DEFAULT_INSTANCE_TYPE;
  const mainInstance = typeof mainType === 'string' && !isTokenString(mainType) ? findSageMakerInstanceType(mainType) : undefined;
  if (spec) checkServingContract(spec, errors);
  const prebuilt = props.image === undefined && spec && (spec.framework !== undefined || spec.huggingFaceModelId !== undefined)
    ? prebuiltServing(scope, spec, frameworkComputeOf(mode === 'serverless' ? undefined : mainInstance, spec.compute), errors)
    : undefined;
  const main = mainContainer(props, spec, prebuilt, errors);
  const scalingDefaults: ScalingDefaults = spec
    ? {
      minInstances: spec.scaling.minInstances,
      maxInstances: spec.scaling.maxInstances,
      targetInvocationsPerInstancePerMinute: spec.scaling.targetInvocationsPerInstancePerMinute,
      minProp: 'spec.scaling.minInstances',
      maxProp: 'spec.scaling.maxInstances',
    }
    : {};

  const variants: VariantPlan[] = [];
  // A prebuilt LLM image needs minutes to download weights and start: its startup health check default.
  const startupSeconds = mode === 'serverless' ? undefined : prebuilt?.resolved.startupTimeoutSeconds;
  variants.push(planVariant(scope, {
    variantName: props.variantName ?? 'AllTraffic',
    weight: props.variantWeight ?? 1,
    instanceType: mainType,
    initialInstanceCount: props.initialInstanceCount,
    autoScaling: props.autoScaling,
    volumeSizeGb: props.volumeSizeGb,
    modelDataDownloadTimeout: props.modelDataDownloadTimeout,
    containerStartupHealthCheckTimeout: props.containerStartupHealthCheckTimeout ?? (startupSeconds === undefined ? undefined : Duration.seconds(startupSeconds)),
  }, { prefix: '', typeProp: props.instanceType !== undefined || !spec ? 'instanceType' : 'spec.compute', shadow: false }, main, mode, serverless, scalingDefaults, errors));
  (props.additionalVariants ?? []).forEach((v, i) => {
    variants.push(planVariant(scope, { ...v, instanceType: v.instanceType ?? mainType, autoScaling: v.autoScaling ?? props.autoScaling },
      { prefix: `additionalVariants[${i}].`, typeProp: `additionalVariants[${i}].instanceType`, shadow: false }, main, mode, serverless, scalingDefaults, errors));
  });
  const shadow = props.shadowVariant;
  if (shadow) {
    const percent = shadow.samplingPercent ?? 100;
    errors.checkNumber('shadowVariant.samplingPercent', percent, { min: 1, max: 100 });
    variants.push(planVariant(scope, {
      ...shadow,
      instanceType: shadow.instanceType ?? mainType,
      autoScaling: shadow.autoScaling ?? props.autoScaling,
      // SageMaker copies shadow weight / production weight of the requests.
      weight: isTokenNumber(percent) || isTokenNumber(variants[0].weight) ? variants[0].weight : variants[0].weight * (percent / 100),
    }, { prefix: 'shadowVariant.', typeProp: 'shadowVariant.instanceType', shadow: true }, main, mode, serverless, scalingDefaults, errors));
    // SageMaker refuses shadow variants on serverless, async and Inferentia 1 endpoints, and next to more than one production variant.
    errors.check(!modeOk || mode === 'realtime', 'shadowVariant', shadow.variantName, `nothing in ${mode} mode: SageMaker runs shadow variants on realtime endpoints only`);
    errors.check(props.additionalVariants === undefined, 'shadowVariant', shadow.variantName, 'nothing next to additionalVariants: with a shadow variant SageMaker allows exactly one production variant');
  }
  checkVariantSet(variants, errors);
  if (variants.some((v) => v.instance?.family === 'inf1')) {
    errors.check(!shadow, 'shadowVariant', shadow?.variantName, 'nothing on ml.inf1 instances: SageMaker runs no shadow test on Inferentia 1 endpoints');
    if (props.deployment) {
      Annotations.of(scope).addWarningV2('deploy-ai-smarter:inf1Deployment', 'SageMaker applies no deployment guardrails to ml.inf1 endpoints: updates fall back to blue/green all at once with no baking, so the rollback alarms are not watched');
    }
  }

  if (prebuilt) checkPrebuiltVariants(prebuilt, variants, props, errors);
  // A container that downloads its weights from the Hugging Face Hub needs the network.
  const networkIsolation = props.networkIsolation ?? (mode !== 'serverless' && !prebuilt?.downloadsAtStart);
  return { mode, modelName: props.modelName ?? spec?.name ?? '', spec, main, variants, serverless, networkIsolation };
}

interface VariantInput extends LargeModelOptions, VariantModelOptions {
  readonly variantName: string;
  readonly weight?: number;
  readonly instanceType: string;
  readonly initialInstanceCount?: number;
  readonly autoScaling?: ModelEndpointProps['autoScaling'];
}

function planVariant(
  scope: Construct,
  input: VariantInput,
  where: { prefix: string; typeProp: string; shadow: boolean },
  main: ContainerPlan | undefined,
  mode: InferenceMode,
  serverless: EndpointPlan['serverless'],
  scalingDefaults: ScalingDefaults,
  errors: ValidationErrors,
): VariantPlan {
  const p = (prop: string) => `${where.prefix}${prop}`;
  errors.checkPattern(p('variantName'), input.variantName, VARIANT_NAME_PATTERN, VARIANT_NAME_EXPECTED);
  const weight = input.weight ?? 1;
  errors.checkNumber(p(where.prefix === '' ? 'variantWeight' : 'weight'), weight, { min: 0 });

  const instance = mode === 'serverless' ? undefined : checkSageMakerInstanceType(errors, where.typeProp, input.instanceType);
  if (mode === 'serverless') {
    const asked = checkSageMakerInstanceType(new ValidationErrors('ignored'), where.typeProp, input.instanceType);
    errors.check(!asked?.accelerator, where.typeProp, input.instanceType, "a CPU instance type, or mode 'realtime' / 'async': serverless inference has no GPUs or other accelerators");
  }

  const scaling = planScaling(scope, input.autoScaling, mode, serverless, scalingDefaults, errors, p('autoScaling'));
  if (instance?.burstable && scaling && mode !== 'serverless') {
    errors.add(where.typeProp, input.instanceType, `an instance type SageMaker auto scaling supports: ${input.instanceType} is burstable (t2), which Application Auto Scaling does not scale; set autoScaling: false, or pick a non-burstable type such as ml.m5.large or ml.c7i.large`);
  }
  const initial = input.initialInstanceCount;
  if (errors.checkNumber(p('initialInstanceCount'), initial, { min: 1, max: 1000, integer: true }) && initial !== undefined && scaling && mode !== 'serverless'
    && !isTokenNumber(initial) && !isTokenNumber(scaling.min) && !isTokenNumber(scaling.max)) {
    errors.check(initial >= scaling.min && initial <= scaling.max, p('initialInstanceCount'), initial, `a count within the auto scaling bounds ${scaling.min}-${scaling.max}`);
  }

  const ownContainer = input.image !== undefined || input.modelData !== undefined || input.environment !== undefined;
  const container = ownContainer && main
    ? { image: input.image ?? main.image, modelData: input.modelData ?? main.modelData, environment: { ...main.environment, ...checkEnvironment(input.environment, p('environment'), errors) } }
    : undefined;
  const image = container?.image ?? main?.image;
  if (instance && needsNeuronImage(instance.accelerator) && image && !/neuron/i.test(image.description)) {
    Annotations.of(scope).addWarningV2('deploy-ai-smarter:neuronImage',
      `${where.typeProp} ${input.instanceType} runs AWS ${instance.accelerator!.model} chips, which need an AWS Neuron image (e.g. a *-neuronx Deep Learning Container); ${image.description} does not look like one`);
  }

  const large = checkLargeModel(input, p, instance, mode, errors);
  return {
    variantName: input.variantName,
    shadow: where.shadow,
    weight,
    instanceType: mode === 'serverless' ? undefined : input.instanceType,
    instance,
    initialInstanceCount: initial,
    scaling,
    container,
    ...large,
  };
}

/** Volume size and the two timeouts, within SageMaker's ranges. */
function checkLargeModel(input: LargeModelOptions, p: (prop: string) => string, instance: SageMakerInstanceType | undefined, mode: InferenceMode, errors: ValidationErrors) {
  const volumeSizeGb = input.volumeSizeGb;
  const download = input.modelDataDownloadTimeout?.toSeconds();
  const startup = input.containerStartupHealthCheckTimeout?.toSeconds();
  if (mode === 'serverless') {
    for (const [prop, value] of [['volumeSizeGb', volumeSizeGb], ['modelDataDownloadTimeout', download], ['containerStartupHealthCheckTimeout', startup]] as const) {
      errors.check(value === undefined, p(prop), value, 'nothing in serverless mode (SageMaker manages serverless storage and start-up)');
    }
  }
  if (errors.checkNumber(p('volumeSizeGb'), volumeSizeGb, { min: 1, max: 512, integer: true }) && volumeSizeGb !== undefined && instance?.localNvme) {
    errors.add(p('volumeSizeGb'), volumeSizeGb, `nothing for ${instance.instanceType}: its local NVMe storage is fixed (SageMaker refuses VolumeSizeInGB there)`);
  }
  errors.checkNumber(p('modelDataDownloadTimeout'), download, { min: 60, max: 3600, integer: true });
  errors.checkNumber(p('containerStartupHealthCheckTimeout'), startup, { min: 60, max: 3600, integer: true });
  return { volumeSizeGb, modelDataDownloadTimeoutSeconds: download, containerStartupHealthCheckTimeoutSeconds: startup };
}

/** Unique names, at most 10 production variants, and some traffic for them. */
function checkVariantSet(variants: readonly VariantPlan[], errors: ValidationErrors): void {
  const seen = new Set<string>();
  for (const v of variants) {
    errors.check(!seen.has(v.variantName), 'variantName', v.variantName, 'each variant named once (main, additional and shadow variants)');
    seen.add(v.variantName);
  }
  const production = variants.filter((v) => !v.shadow);
  errors.check(production.length <= MAX_VARIANTS, 'additionalVariants', production.length, `at most ${MAX_VARIANTS - 1} (SageMaker allows ${MAX_VARIANTS} production variants)`);
  const weights = production.map((v) => v.weight);
  if (!weights.some(isTokenNumber)) {
    errors.check(weights.reduce((a, b) => a + b, 0) > 0, 'variantWeight', weights, 'weights adding up to more than 0 (a variant with weight 0 gets no traffic)');
  }
}

/** The endpoint's own container: explicit props over the spec. */
function mainContainer(props: ModelEndpointProps, spec: ResolvedModelSpec | undefined, prebuilt: PrebuiltServing | undefined, errors: ValidationErrors): ContainerPlan | undefined {
  const prebuiltWanted = props.image === undefined && (spec?.framework !== undefined || spec?.huggingFaceModelId !== undefined);
  const image = props.image ?? (prebuiltWanted ? prebuilt?.image : imageFromSpec(spec, errors));
  const modelData = props.modelData ?? modelDataFromSpec(spec, errors);
  const environment = {
    // The prebuilt image's own variables (HF_MODEL_ID, SM_NUM_GPUS, SAGEMAKER_PROGRAM...), the spec's over them.
    ...prebuilt?.resolved.environment,
    ...checkEnvironment(spec?.environment, 'spec.environment', errors),
    ...checkEnvironment(props.environment, 'environment', errors),
  };
  return image ? { image, modelData, environment } : undefined;
}

/** Container environment values must be strings (SageMaker's map<string, string>); tokens pass. */
export function checkEnvironment(environment: unknown, prop: string, errors: ValidationErrors): Record<string, string> {
  if (environment === undefined) return {};
  if (typeof environment !== 'object' || environment === null || Array.isArray(environment)) {
    errors.add(prop, environment, 'an object of variable names to string values');
    return {};
  }
  const checked: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) {
    errors.checkPattern(`${prop}.${key}`, key, ENV_KEY_PATTERN, 'a variable name of letters, digits and underscores, not starting with a digit');
    if (errors.check(typeof value === 'string', `${prop}.${key}`, value, 'a string value (write numbers and booleans as strings, objects as JSON text)')) {
      checked[key] = value as string;
    }
  }
  return checked;
}

function imageFromSpec(spec: ResolvedModelSpec | undefined, errors: ValidationErrors): ContainerImage | undefined {
  if (!spec) {
    errors.add('image', undefined, 'a ContainerImage, or a spec with an image URI');
    return undefined;
  }
  if (typeof spec.image === 'string' && isTokenString(spec.image)) return ContainerImage.fromImageUri(spec.image);
  if (typeof spec.image !== 'string' || !parseEcrImageUri(spec.image)) {
    errors.add('spec.image', spec.image, ECR_IMAGE_URI_EXPECTED);
    return undefined;
  }
  return ContainerImage.fromImageUri(spec.image);
}

export function modelDataFromSpec(spec: ResolvedModelSpec | undefined, errors: ValidationErrors): ModelData | undefined {
  const artifact = spec?.modelArtifact;
  if (artifact === undefined) return undefined;
  if (typeof artifact === 'string' && Token.isUnresolved(artifact)) return ModelData.fromS3Uri(artifact);
  if (typeof artifact !== 'string') {
    errors.add('spec.modelArtifact', artifact, 'an s3:// URI or a local .tar.gz file');
    return undefined;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(artifact)) {
    if (!parseS3Uri(artifact)) {
      errors.add('spec.modelArtifact', artifact, `${S3_URI_EXPECTED}, or a local .tar.gz file (AWS reads model data from S3 only)`);
      return undefined;
    }
    return ModelData.fromS3Uri(artifact);
  }
  try {
    return ModelData.fromAsset(artifact);
  } catch (e) {
    errors.add('spec.modelArtifact', artifact, `an s3:// URI or an existing local .tar.gz file (${(e as Error).message})`);
    return undefined;
  }
}
