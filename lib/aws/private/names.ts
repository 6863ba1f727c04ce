// Deterministic physical-name helpers: a short hash of the construct path keeps names stable across
// deployments and distinct between two instances in one app. Not exported from the package.
import { createHash } from 'node:crypto';
import { IConstruct } from 'constructs';

/** 8 hex characters derived from the construct's path in the app. */
export function pathHash(scope: IConstruct): string {
  return createHash('sha256').update(scope.node.path).digest('hex').slice(0, 8);
}
