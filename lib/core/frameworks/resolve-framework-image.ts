// One entry point for framework presets: validates `spec.framework` (and `spec.huggingFaceModelId`) and
// resolves it to the cloud's prebuilt serving image, or records why the cloud has none.
import type { Cloud } from '../compute-catalog';
import { isTokenString, ValidationErrors } from '../errors';
import { checkShape, Shape } from '../shape';
import { FrameworkRequest, processorOf } from './private/common';
import { resolveAwsFrameworkImage, sageMakerVersions } from './private/aws';
import { AZURE_REFUSALS, resolveAzureFrameworkImage } from './private/azure';
import { GCP_IMAGES } from './private/gcp-images.generated';
import { resolveGcpFrameworkImage } from './private/gcp';
import { FRAMEWORK_NAMES, FrameworkCompute, FrameworkName, FrameworkSpec, ResolvedFrameworkImage, ResolveFrameworkImageOptions } from './types';

/** The keys of `spec.framework`, for the model spec's shape. */
export const FRAMEWORK_SPEC_SHAPE: Shape = {
  name: { oneOf: FRAMEWORK_NAMES },
  version: 'string',
  pythonVersion: 'string',
};

/**
 * A Hugging Face Hub model id: `owner/name` (or a legacy single name), letters, digits, `-`, `_`, `.`,
 * at most 96 characters per part.
 */
export const HUGGING_FACE_MODEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?$/;

/** Frameworks that serve a Hugging Face model id. */
const TEXT_GENERATION: readonly FrameworkName[] = ['huggingface-tgi', 'large-model'];

const RESOLVERS: Readonly<Record<Cloud, (request: FrameworkRequest) => ResolvedFrameworkImage | undefined>> = {
  aws: resolveAwsFrameworkImage,
  gcp: resolveGcpFrameworkImage,
  azure: resolveAzureFrameworkImage,
};

/** `spec.framework` -> `spec.<key>`; a prop without a parent gives `<key>`. */
function sibling(prop: string, key: string): string {
  const dot = prop.lastIndexOf('.');
  return dot < 0 ? key : `${prop.slice(0, dot)}.${key}`;
}

/**
 * Resolves `spec.framework` to the prebuilt serving image of `cloud` for the compute's processor (a GPU
 * class gets the GPU image), with the environment, port and routes its container needs.
 *
 * Problems are recorded on `errors` under `prop` (`spec.framework.version`...) and its siblings
 * (`spec.compute`, `spec.modelArtifact`, `spec.huggingFaceModelId`); the caller throws once. Returns
 * undefined when there is a problem. On AWS, a region that is absent or a token resolves to a regional
 * mapping (for `CfnMapping` + `Fn::FindInMap` on `AWS::Region`), never to a literal of another region.
 */
export function resolveFrameworkImage(options: ResolveFrameworkImageOptions, errors: ValidationErrors, prop = 'spec.framework'): ResolvedFrameworkImage | undefined {
  const before = errors.list().length;
  const framework: Partial<FrameworkSpec> = checkShape<FrameworkSpec>(errors, prop, options.framework, FRAMEWORK_SPEC_SHAPE, 'a framework block');
  const given = options.framework as Partial<FrameworkSpec> | undefined;
  if (typeof given === 'object' && given !== null) {
    if (given.name === undefined) errors.add(`${prop}.name`, undefined, `one of ${FRAMEWORK_NAMES.map((n) => JSON.stringify(n)).join(', ')}`);
    if (given.version === undefined) errors.add(`${prop}.version`, undefined, 'the framework version, e.g. "1.2-1" for sklearn on SageMaker');
  }
  for (const key of ['name', 'version', 'pythonVersion'] as const) {
    const value = framework[key];
    if (value !== undefined && isTokenString(value)) {
      errors.add(`${prop}.${key}`, value, 'a literal: the prebuilt image is chosen at synth time');
      delete framework[key];
    }
  }
  const modelIdProp = sibling(prop, 'huggingFaceModelId');
  const modelId = options.huggingFaceModelId;
  if (modelId !== undefined) {
    if (typeof modelId !== 'string') {
      errors.add(modelIdProp, modelId, 'a Hugging Face model id string');
    } else {
      errors.checkPattern(modelIdProp, modelId, HUGGING_FACE_MODEL_ID_PATTERN, 'a Hugging Face model id such as "mistralai/Mistral-7B-Instruct-v0.3"');
      if (framework.name !== undefined && !TEXT_GENERATION.includes(framework.name as FrameworkName)) {
        errors.add(modelIdProp, modelId, `no model id with framework "${framework.name}": only ${TEXT_GENERATION.join(' and ')} serve a Hugging Face model id`);
      }
    }
  }
  if (errors.list().length > before || framework.name === undefined || framework.version === undefined) return undefined;

  return RESOLVERS[options.cloud]({
    ...options,
    name: framework.name as FrameworkName,
    version: framework.version,
    pythonVersion: framework.pythonVersion,
    prop,
    computeProp: sibling(prop, 'compute'),
    artifactProp: sibling(prop, 'modelArtifact'),
    modelIdProp,
    errors,
  });
}

/** What to resolve for `spec.huggingFaceModelId`. */
export interface ResolveHuggingFaceModelOptions {
  readonly cloud: Cloud;
  /** @default - unknown at synth time (AWS resolves to a regional mapping) */
  readonly region?: string;
  /** The Hugging Face Hub model id. */
  readonly modelId: string;
  readonly compute: FrameworkCompute;
  /**
   * The TGI version.
   * @default - the newest version the cloud publishes for the compute's processor
   */
  readonly version?: string;
}

/** The newest Hugging Face TGI version a cloud publishes for a processor, if any. */
function newestTgiVersion(cloud: Exclude<Cloud, 'azure'>, compute: FrameworkCompute): string | undefined {
  const processor = processorOf(compute);
  if (cloud === 'aws') return sageMakerVersions('huggingface-tgi', processor)[0]?.version;
  return GCP_IMAGES['huggingface-tgi']?.images.find((i) => i.processor === processor)?.version;
}

/**
 * Resolves `spec.huggingFaceModelId` to the cloud's Hugging Face Text Generation Inference image with the
 * model id in its environment (AWS: SageMaker's TGI container with HF_MODEL_ID and SM_NUM_GPUS; GCP: the
 * TGI container Google publishes, on Cloud Run). Azure has none: the refusal asks for an image of your own in
 * spec.image (which Container Apps and serving "azure-ml" both deploy).
 * Problems are recorded under `prop` and its siblings (`spec.compute`).
 */
export function resolveHuggingFaceModel(options: ResolveHuggingFaceModelOptions, errors: ValidationErrors, prop = 'spec.huggingFaceModelId'): ResolvedFrameworkImage | undefined {
  if (options.cloud === 'azure') {
    errors.checkPattern(prop, options.modelId, HUGGING_FACE_MODEL_ID_PATTERN, 'a Hugging Face model id such as "mistralai/Mistral-7B-Instruct-v0.3"');
    errors.add(prop, options.modelId, `a model Container Apps can serve from a prebuilt image: ${AZURE_REFUSALS['huggingface-tgi']}`);
    return undefined;
  }
  const version = options.version ?? newestTgiVersion(options.cloud, options.compute);
  if (version === undefined) {
    const compute = options.compute;
    errors.add(sibling(prop, 'compute'), 'id' in compute ? compute.id : processorOf(compute), `a GPU compute class: Hugging Face TGI images on ${options.cloud} need a GPU (model ${JSON.stringify(options.modelId)})`);
    return undefined;
  }
  return resolveFrameworkImage(
    { cloud: options.cloud, region: options.region, compute: options.compute, framework: { name: 'huggingface-tgi', version }, huggingFaceModelId: options.modelId },
    errors,
    prop,
  );
}
