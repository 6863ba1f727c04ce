// What an object-key prefix ("folder") is, once for every cloud: S3, GCS and Blob prefixes end up in IAM
// resource ARNs, IAM condition expressions, event filters and SageMaker S3 URIs, so the rule is the strict
// intersection of what all of those read literally.
import { ValidationErrors, isTokenString } from './errors';

/**
 * Longest prefix accepted: SageMaker's S3 URI fields (data capture, async output, monitoring) hold at most 512
 * characters, and object keys themselves at most 1,024 bytes on S3, GCS and Blob storage.
 */
export const MAX_KEY_PREFIX_LENGTH = 512;

/**
 * One folder name: letters, digits and `! - _ . ' ( ) =` (S3's "safe" characters without `*`, plus `=` for
 * Hive-style `date=2024-01-01/` partitions). Excluded on purpose: `*` and `?` are IAM wildcards, `${` is an IAM
 * policy variable and Terraform interpolation, quotes and backslashes break IAM condition strings, spaces and
 * control characters need URL encoding.
 */
const SEGMENT = /^[A-Za-z0-9!_.'()=-]+$/;

/** How the rule reads in an error message. */
export const KEY_PREFIX_EXPECTED =
  `a key prefix such as 'incoming/': folders of letters, digits or ! - _ . ' ( ) =, each ending in '/', not starting with '/', no '.' or '..' folder, at most ${MAX_KEY_PREFIX_LENGTH} characters`;

/** True when `value` is an object-key prefix by the rule above (`incoming/`, `data/date=2024-01-01/`). */
export function isKeyPrefix(value: string): boolean {
  if (value.length === 0 || value.length > MAX_KEY_PREFIX_LENGTH || !value.endsWith('/')) return false;
  const segments = value.slice(0, -1).split('/');
  return segments.every((segment) => SEGMENT.test(segment) && segment !== '.' && segment !== '..');
}

/**
 * Records a problem under `prop` unless `value` is absent, a token (checked at deploy time) or a key prefix.
 * A value that is not a string is a problem too (JavaScript callers have no type checker). Returns true when valid.
 */
export function checkKeyPrefix(errors: ValidationErrors, prop: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value === 'string' && isTokenString(value)) return true;
  return errors.check(typeof value === 'string' && isKeyPrefix(value), prop, value, KEY_PREFIX_EXPECTED);
}

/**
 * True when one prefix holds the other (`in/` and `in/sub/`, or the same prefix twice): objects written under
 * one would also land under the other, e.g. results re-triggering the input's event.
 */
export function keyPrefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}
