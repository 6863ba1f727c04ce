// Checks for construct props that JavaScript callers (and parameters) may hand over in any shape: a wrong type is
// a ValidationError, never a TypeError, and a CDK token skips only the checks that need a literal.
// Not exported from the package.
import { Duration, Token } from 'aws-cdk-lib';
import { ValidationErrors, isTokenNumber } from '../../core/errors';

/** True when `value` is an aws-cdk-lib Duration (duck-typed: a second copy of aws-cdk-lib fails `instanceof`). */
export function isDuration(value: unknown): value is Duration {
  const duration = value as Partial<Duration> | undefined;
  return typeof duration?.toMilliseconds === 'function' && typeof duration.isUnresolved === 'function' && typeof duration.unitLabel === 'function';
}

/** An optional string matching `pattern` (a string token passes); anything but a string is a problem. */
export function checkString(errors: ValidationErrors, prop: string, value: unknown, pattern: RegExp, expected: string): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'string') return errors.check(false, prop, value, expected);
  return errors.checkPattern(prop, value, pattern, expected);
}

/** An optional boolean. */
export function checkBoolean(errors: ValidationErrors, prop: string, value: unknown): boolean {
  return errors.check(value === undefined || typeof value === 'boolean', prop, value, 'true or false');
}

/** An optional number greater than 0, fractions allowed (a number token passes). */
export function checkPositiveNumber(errors: ValidationErrors, prop: string, value: unknown, expected: string): boolean {
  if (value === undefined || (typeof value === 'number' && isTokenNumber(value))) return true;
  return errors.check(typeof value === 'number' && Number.isFinite(value) && value > 0, prop, value, expected);
}

/** An optional object (not a list, not a primitive). */
export function checkObject(errors: ValidationErrors, prop: string, value: unknown, expected: string): boolean {
  return errors.check(value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value)), prop, value, expected);
}

/**
 * An optional Duration within [minMs, maxMs]; a token Duration passes (checked at deploy time), anything but a
 * Duration is a problem. `expected` describes the range in words.
 */
export function checkDuration(errors: ValidationErrors, prop: string, value: unknown, minMs: number, maxMs: number, expected: string): boolean {
  if (value === undefined) return true;
  if (!isDuration(value)) return errors.check(false, prop, value, `a Duration ${expected}`);
  if (value.isUnresolved()) return true;
  const ms = value.toMilliseconds();
  return errors.check(ms >= minMs && ms <= maxMs, prop, value.toHumanString(), expected);
}

/**
 * An optional value from a fixed set that decides which resources are created, so it cannot be a token:
 * a token gets its own explanation instead of a bare "one of".
 */
export function checkLiteralOneOf(errors: ValidationErrors, prop: string, value: unknown, allowed: readonly string[]): boolean {
  if (value === undefined) return true;
  const choices = allowed.map((a) => JSON.stringify(a)).join(', ');
  if (Token.isUnresolved(value)) return errors.check(false, prop, value, `a literal ${choices} (it decides which resources are created, so it cannot come from a parameter)`);
  return errors.check(typeof value === 'string' && allowed.includes(value), prop, value, `one of ${choices}`);
}

/** An optional value from a set of numbers (an enum such as logs.RetentionDays); a number token passes. */
export function checkNumberOneOf(errors: ValidationErrors, prop: string, value: unknown, allowed: readonly number[], expected: string): boolean {
  if (value === undefined || (typeof value === 'number' && isTokenNumber(value))) return true;
  return errors.check(typeof value === 'number' && allowed.includes(value), prop, value, expected);
}

/** Checks that `endpoint` is an IInferenceEndpoint. */
export function checkEndpoint(errors: ValidationErrors, prop: string, endpoint: unknown): void {
  const candidate = endpoint as { grantInvoke?: unknown; endpointName?: unknown } | undefined;
  errors.check(typeof candidate?.grantInvoke === 'function' && candidate.endpointName !== undefined, prop,
    typeof endpoint === 'object' && endpoint !== null ? '(an object)' : endpoint,
    'an endpoint (IInferenceEndpoint, e.g. a ModelEndpoint)');
}

/** Checks that `key` is a KMS key (kms.IKey). */
export function checkKey(errors: ValidationErrors, prop: string, key: unknown): boolean {
  const candidate = key as { keyArn?: unknown; addToResourcePolicy?: unknown } | undefined;
  return errors.check(key === undefined || (typeof candidate?.addToResourcePolicy === 'function' && candidate.keyArn !== undefined), prop,
    typeof key === 'object' && key !== null ? '(an object)' : key, 'a KMS key (kms.IKey)');
}

/** Checks that `bucket` is an S3 bucket (s3.IBucket); `required` refuses undefined too. */
export function checkBucket(errors: ValidationErrors, prop: string, bucket: unknown, required = false): boolean {
  if (bucket === undefined && !required) return true;
  const candidate = bucket as { arnForObjects?: unknown; bucketName?: unknown } | undefined;
  return errors.check(typeof candidate?.arnForObjects === 'function' && candidate.bucketName !== undefined, prop,
    typeof bucket === 'object' && bucket !== null ? '(an object)' : bucket, 'an S3 bucket (s3.IBucket)');
}
