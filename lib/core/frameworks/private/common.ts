// What every cloud's framework resolver shares: the request, the compute's processor and GPU count, and
// the "one of ..." wording of refusals.
import type { Cloud } from '../../compute-catalog';
import type { ValidationErrors } from '../../errors';
import { didYouMean } from '../../suggest';
import type { FrameworkCompute, FrameworkName, ImageProcessor, ResolveFrameworkImageOptions } from '../types';

/** A validated request: the framework name is known, the version and Python version are literal strings. */
export interface FrameworkRequest extends Omit<ResolveFrameworkImageOptions, 'framework'> {
  readonly name: FrameworkName;
  readonly version: string;
  readonly pythonVersion?: string;
  /** Where problems are recorded: `<prop>.version`, `<prop>.pythonVersion`... */
  readonly prop: string;
  /** Where the compute, the model artifact and the model id came from (e.g. `spec.compute`). */
  readonly computeProp: string;
  readonly artifactProp: string;
  readonly modelIdProp: string;
  readonly errors: ValidationErrors;
}

/** The processor an image needs for this compute. */
export function processorOf(compute: FrameworkCompute): ImageProcessor {
  if ('id' in compute) return compute.kind;
  return compute.accelerator === 'neuron' ? 'neuron' : compute.kind;
}

/** GPUs per instance of the cloud's machine for this compute (1 when the compute names none). */
export function gpuCountOf(compute: FrameworkCompute, cloud: Cloud): number {
  if ('id' in compute) return compute[cloud].gpu?.count ?? 1;
  return compute.gpuCount ?? 1;
}

/** `"a", "b", "c"` */
export function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** `one of "a", "b" (did you mean "a"?)`, or `none` for an empty list. */
export function oneOf(wanted: string, allowed: readonly string[]): string {
  if (allowed.length === 0) return 'none';
  return `one of ${quoteList(allowed)}${allowed.length > 1 ? didYouMean(wanted, allowed) : ''}`;
}

/** Describes a compute for a processor problem: `compute class "gpu-t4" (gpu)` or `gpu compute`. */
export function describeCompute(compute: FrameworkCompute): string {
  const processor = processorOf(compute);
  return 'id' in compute ? `compute class "${compute.id}" (${processor})` : `${processor} compute`;
}

/** Records that the framework version has no image for the compute's processor, listing what exists. */
export function refuseProcessor(request: FrameworkRequest, version: string, available: readonly ImageProcessor[], where = '', hint = ''): void {
  const processor = processorOf(request.compute);
  request.errors.add(
    request.computeProp,
    'id' in request.compute ? request.compute.id : processor,
    `a compute class whose processor has an image: ${request.name} ${version}${where} has images for ${available.join(', ')} only, not for ${describeCompute(request.compute)}${hint}`,
  );
}
