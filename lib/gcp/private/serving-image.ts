// What the Cloud Run container runs: the spec's own image on its serving contract, or the prebuilt image Google
// publishes for `spec.framework` / `spec.huggingFaceModelId`, with the variables, port and routes that image needs.
import {
  isDefaultServing, isTokenString, RequestFormat, ResolvedFrameworkImage, ResolvedModelSpec, resolveFrameworkImage, resolveHuggingFaceModel, ServingSpec, ValidationErrors,
} from '../../core';
import { checkPullableImage } from './artifact-sources';

/** The container Cloud Run runs, and how it answers. */
export interface ServingImage {
  readonly image: string;
  /** Variables the image needs (the spec's own environment goes over them). */
  readonly environment: Readonly<Record<string, string>>;
  readonly serving: Required<ServingSpec>;
  readonly requestFormat: RequestFormat;
  /** Names in `environment` the spec may not override: the probes and the API depend on them. */
  readonly fixedVariables: readonly string[];
  /** The prebuilt image, when the spec names a framework or an open model. */
  readonly prebuilt?: ResolvedFrameworkImage;
}

/** The AIP_* variables that set a Vertex AI prebuilt container's port and routes. */
const CONTRACT_VARIABLES = ['AIP_HTTP_PORT', 'AIP_HEALTH_ROUTE', 'AIP_PREDICT_ROUTE'];

/**
 * Resolves what serves the model on Cloud Run in `region`; problems are recorded on `errors` (undefined then).
 * A prebuilt image brings its own contract, so a non-default `spec.serving` next to it is refused; a Vertex AI
 * prebuilt container downloads its artifact folder itself (`AIP_STORAGE_URI`), so it needs a gs:// folder.
 */
export function resolveServingImage(spec: ResolvedModelSpec, region: string, errors: ValidationErrors): ServingImage | undefined {
  if (spec.image !== undefined) {
    if (!checkPullableImage(errors, 'spec.image', spec.image)) return undefined;
    return { image: spec.image, environment: {}, serving: spec.serving, requestFormat: 'sagemaker', fixedVariables: [] };
  }
  const before = errors.list().length;
  const knownRegion = isTokenString(region) ? undefined : region;
  const prebuilt = spec.framework !== undefined
    ? resolveFrameworkImage({
      cloud: 'gcp', region: knownRegion, compute: spec.compute, framework: spec.framework, huggingFaceModelId: spec.huggingFaceModelId, modelArtifact: spec.modelArtifact,
    }, errors)
    : resolveHuggingFaceModel({ cloud: 'gcp', region: knownRegion, modelId: spec.huggingFaceModelId!, compute: spec.compute }, errors);
  const source = spec.framework !== undefined ? 'spec.framework' : 'spec.huggingFaceModelId';
  errors.check(isDefaultServing(spec.serving), 'spec.serving', spec.serving,
    `no serving block with ${source}: the prebuilt image's port and routes are set by this construct`);
  if (!prebuilt || prebuilt.image.kind !== 'uri' || errors.list().length > before) return undefined;

  if (prebuilt.serving.requestFormat === 'vertex-instances') {
    const artifact = spec.modelArtifact;
    errors.check(artifact !== undefined, 'spec.modelArtifact', artifact,
      `a gs:// folder holding the model (${source} ${spec.framework?.name} loads it from AIP_STORAGE_URI)`);
    // The container lists the folder: the read grant covers listing only for a folder URI.
    if (artifact !== undefined && !isTokenString(artifact)) {
      errors.check(/^gs:\/\/[^/]+(\/.*\/)?$/.test(artifact), 'spec.modelArtifact', artifact,
        `a gs:// folder ending in "/" (the ${spec.framework?.name} image downloads every object under AIP_STORAGE_URI, and the serving identity is granted listing on a folder only)`);
    }
  } else if (prebuilt.framework === 'huggingface-tgi' && spec.huggingFaceModelId === undefined) {
    const artifact = spec.modelArtifact;
    errors.check(artifact !== undefined && (isTokenString(artifact) || /^gs:\/\/[^/]+(\/.*\/)?$/.test(artifact)), 'spec.modelArtifact', artifact,
      'a gs:// folder ending in "/" holding Hugging Face weights, or spec.huggingFaceModelId (TGI serves one or the other)');
  }
  if (errors.list().length > before) return undefined;
  const { port, healthPath, predictPath, requestFormat } = prebuilt.serving;
  return {
    image: prebuilt.image.uri,
    environment: prebuilt.environment,
    serving: { port, healthPath, predictPath },
    requestFormat,
    fixedVariables: CONTRACT_VARIABLES.filter((name) => name in prebuilt.environment),
    prebuilt,
  };
}
