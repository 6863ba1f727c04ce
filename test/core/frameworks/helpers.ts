// Shared by the framework resolver tests: run a resolution and collect what it recorded.
import { ValidationErrors } from '../../../lib/core/errors';
import { findComputeClass } from '../../../lib/core/compute-catalog';
import type { ComputeClass } from '../../../lib/core/compute-catalog';

export function computeClass(id: string): ComputeClass {
  const found = findComputeClass(id);
  if (!found) throw new Error(`no compute class ${id}`);
  return found;
}

/** Runs `resolve` with a fresh collector; returns its result and the problems it recorded. */
export function collect<T>(resolve: (errors: ValidationErrors) => T): { result: T; problems: readonly string[] } {
  const errors = new ValidationErrors('ModelSpec');
  const result = resolve(errors);
  return { result, problems: errors.list() };
}
