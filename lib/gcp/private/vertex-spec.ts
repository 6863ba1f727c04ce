// What a Vertex AI endpoint can serve from a spec: an open model (spec.huggingFaceModelId) or a Model Garden publisher
// model. Anything else is refused with the reason: no Terraform resource deploys a custom container to an endpoint.
import { ModelSpec, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../../core';

/** A Model Garden publisher model: `publishers/<publisher>/models/<model>@<version>` (Hugging Face: `publishers/hf-<author>/...@001`). */
export const PUBLISHER_MODEL_PATTERN = /^publishers\/[a-z0-9][a-z0-9._-]{0,127}\/models\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}@[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const PUBLISHER_MODEL_EXPECTED = 'a Model Garden model "publishers/<publisher>/models/<model>@<version>", e.g. "publishers/google/models/gemma3@gemma-3-1b-it"';

const NO_CUSTOM_CONTAINER = 'no Terraform resource deploys a custom container to a Vertex AI endpoint (deployed_models on google_vertex_ai_endpoint is output-only; google_vertex_ai_endpoint_with_model_garden_deployment deploys Model Garden and Hugging Face models only)';

/** Collects problems like ValidationErrors, except the spec's "nothing serves the model" (worded for Vertex AI below). */
class VertexSpecErrors extends ValidationErrors {
  add(prop: string, value: unknown, expected: string): void {
    if (prop.endsWith('.image') && value === undefined) return;
    super.add(prop, value, expected);
  }
}

/**
 * Resolves the spec of a Vertex AI endpoint. With `publisherModelName` the spec names no image, framework or model id
 * (the publisher model serves); without it `spec.huggingFaceModelId` is required. Problems go to `errors`.
 */
export function resolveVertexSpec(input: ModelSpec, publisherModelName: string | undefined, errors: ValidationErrors, optionPrefix: string): ResolvedModelSpec {
  const specErrors = new VertexSpecErrors(errors.construct);
  const spec = resolveModelSpec(input, specErrors);
  errors.merge(specErrors);
  const given = typeof input === 'object' && input !== null ? input : ({} as Partial<ModelSpec>);
  const publisherProp = `${optionPrefix}publisherModelName`;
  errors.checkPattern(publisherProp, publisherModelName, PUBLISHER_MODEL_PATTERN, PUBLISHER_MODEL_EXPECTED);
  if (given.image !== undefined) {
    errors.add('spec.image', given.image, `no image with serving "vertex-ai": ${NO_CUSTOM_CONTAINER}. Give spec.huggingFaceModelId or ${publisherProp}, or serve the image on Cloud Run (the default serving)`);
  }
  if (given.framework !== undefined) {
    errors.add('spec.framework', given.framework, `no framework with serving "vertex-ai": a prebuilt prediction container needs a Vertex AI Model upload, which no Terraform resource does, and Model Garden picks the server of an open model itself. Serve spec.framework on Cloud Run (the default serving), or name the open model alone`);
  }
  if (given.modelArtifact !== undefined) {
    errors.add('spec.modelArtifact', given.modelArtifact, 'no artifact with serving "vertex-ai": Model Garden deploys the weights of the named model');
  }
  if (given.serving !== undefined) {
    errors.add('spec.serving', given.serving, 'no serving block with serving "vertex-ai": the Model Garden container sets its own port and routes');
  }
  if (publisherModelName !== undefined && given.huggingFaceModelId !== undefined) {
    errors.add(publisherProp, publisherModelName, 'nothing next to spec.huggingFaceModelId: name one model');
  }
  if (publisherModelName === undefined && given.huggingFaceModelId === undefined && given.image === undefined && given.framework === undefined) {
    errors.add('spec.huggingFaceModelId', undefined, `a Hugging Face model id, or ${publisherProp}, for serving "vertex-ai"`);
  }
  const min = spec.scaling?.minInstances;
  errors.check(typeof min !== 'number' || min >= 1, 'spec.scaling.minInstances', min,
    'at least 1 with serving "vertex-ai" (a Vertex AI deployment keeps min_replica_count >= 1 replicas; scale to zero is a Cloud Run feature)');
  return spec;
}
