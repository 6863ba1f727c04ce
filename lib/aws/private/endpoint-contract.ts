// What SageMaker fixes about the serving container, checked against the spec: the contract (port 8080, GET /ping,
// POST /invocations), and a prebuilt image's processor on every variant that serves it. Not exported.
import { isTokenNumber, isTokenString, ValidationErrors } from '../../core/errors';
import { DEFAULT_SERVING, isDefaultServing, ResolvedModelSpec } from '../../core/model-spec';
import type { SageMakerInstanceType } from '../../core/sagemaker-instances';
import type { ModelEndpointProps } from '../endpoint-options';
import type { ContainerImage } from '../container-image';
import { frameworkComputeOf, PrebuiltServing } from './endpoint-framework';

/** Why a non-default `spec.serving` cannot run on SageMaker, and the two ways out. */
export const SAGEMAKER_CONTRACT_FIX = `SageMaker's fixed serving contract, port ${DEFAULT_SERVING.port} with GET ${DEFAULT_SERVING.healthPath} and POST ${DEFAULT_SERVING.predictPath} `
  + '(SageMaker sends its health checks and requests only there, whatever the container listens on). Fix: leave spec.serving out and '
  + `wrap your server (a small proxy or an nginx front in the image listening on ${DEFAULT_SERVING.port} and forwarding ${DEFAULT_SERVING.healthPath} `
  + `and ${DEFAULT_SERVING.predictPath} to your routes), or deploy the spec with GcpModelStack or AzureModelStack, which honour spec.serving`;

/** A non-default port or route is refused on SageMaker; tokens pass (they are checked at deploy time). */
export function checkServingContract(spec: ResolvedModelSpec, errors: ValidationErrors): void {
  const serving = spec.serving;
  if (isTokenNumber(serving.port) || isTokenString(serving.healthPath) || isTokenString(serving.predictPath)) return;
  errors.check(isDefaultServing(serving), 'spec.serving', serving, SAGEMAKER_CONTRACT_FIX);
}

/** What the check reads of a planned variant (endpoint-plan's VariantPlan). */
interface PlannedVariant {
  readonly shadow: boolean;
  readonly instanceType?: string;
  readonly instance?: SageMakerInstanceType;
  readonly container?: { readonly image: ContainerImage };
}

function processorOf(instance: SageMakerInstanceType): string {
  const compute = frameworkComputeOf(instance, { kind: 'cpu' });
  return 'accelerator' in compute && compute.accelerator === 'neuron' ? 'neuron' : compute.kind;
}

/**
 * A prebuilt image is built for one processor: a variant on another processor that serves the main image is
 * refused (give it its own image), and a model that downloads weights at start cannot be network-isolated.
 */
export function checkPrebuiltVariants(prebuilt: PrebuiltServing, variants: readonly PlannedVariant[], props: ModelEndpointProps, errors: ValidationErrors): void {
  const wanted = prebuilt.resolved.processor;
  let additional = 0;
  variants.forEach((v, i) => {
    const prop = i === 0 ? undefined : v.shadow ? 'shadowVariant.instanceType' : `additionalVariants[${additional++}].instanceType`;
    const servesPrebuilt = v.container === undefined || v.container.image === prebuilt.image;
    if (prop === undefined || !servesPrebuilt || !v.instance) return;
    const processor = processorOf(v.instance);
    errors.check(processor === wanted, prop, v.instanceType,
      `a ${wanted} instance type like the main variant's: the ${prebuilt.resolved.framework} ${prebuilt.resolved.version} image resolved for it is a ${wanted} image, and ${v.instanceType} is ${processor}; give this variant an image of its own`);
  });
  if (prebuilt.downloadsAtStart) {
    errors.check(props.networkIsolation !== true, 'networkIsolation', true,
      'false or unset with spec.huggingFaceModelId: the container downloads the model from the Hugging Face Hub at start, which network isolation blocks (to keep it isolated, drop huggingFaceModelId and serve weights packed in spec.modelArtifact with spec.framework huggingface-tgi)');
  }
}
