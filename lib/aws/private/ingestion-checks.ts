// Validation and defaults of IngestionBucket's props and batch-inference options. Every check takes any shape a
// JavaScript caller may pass; tokens skip only the checks that need a literal. Not exported from the package.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ValidationErrors, isTokenString } from '../../core/errors';
import type { BatchInferenceOptions, IngestionBucketProps } from '../ingestion-bucket-props';
import {
  checkBoolean, checkBucket, checkDuration, checkEndpoint, checkKey, checkLiteralOneOf, checkNumberOneOf, checkObject, checkString, isDuration,
} from './prop-checks';

export const PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;
export const PREFIX_EXPECTED = "a key prefix ending in '/' without a leading '/', e.g. 'incoming/'";
/** Lambda's longest function timeout. */
const MAX_TIMEOUT = Duration.minutes(15);
const RETENTION_VALUES = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
/** The props that shape a bucket this construct creates; they mean nothing for an existing bucket. */
const NEW_BUCKET_PROPS = [
  'serverAccessLogsBucket', 'serverAccessLogsPrefix', 'accessLogsRetention', 'noncurrentVersionExpiration', 'abortIncompleteUploadsAfter', 'autoDeleteObjects',
] as const;

/** Batch inference settings after validation and defaults. */
export interface BatchInferencePlan {
  readonly prefixes: { readonly input: string; readonly output: string; readonly error: string };
  readonly timeout: Duration;
  /** The queue's visibility timeout: six times the function timeout, as Lambda recommends for SQS sources. */
  readonly visibilityTimeout: Duration;
}

/** Validates the construct's props into `errors` (not throwing) and returns the batch plan when there is one. */
export function checkIngestionProps(errors: ValidationErrors, props: IngestionBucketProps): BatchInferencePlan | undefined {
  const existing = props.existingBucket;
  if (existing !== undefined && checkBucket(errors, 'existingBucket', existing)) {
    for (const prop of NEW_BUCKET_PROPS) {
      errors.check(props[prop] === undefined, prop, props[prop] === undefined || typeof props[prop] !== 'object' ? props[prop] : '(set)',
        'not set with existingBucket (it configures a bucket this construct creates)');
    }
  }
  checkLiteralOneOf(errors, 'removalPolicy', props.removalPolicy, Object.values(RemovalPolicy));
  checkBoolean(errors, 'autoDeleteObjects', props.autoDeleteObjects);
  if (existing === undefined) {
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    errors.check(props.autoDeleteObjects !== true || removalPolicy === RemovalPolicy.DESTROY, 'autoDeleteObjects', props.autoDeleteObjects, 'false unless removalPolicy is RemovalPolicy.DESTROY');
  }
  checkKey(errors, 'encryptionKey', props.encryptionKey);
  checkBucket(errors, 'serverAccessLogsBucket', props.serverAccessLogsBucket);
  checkDays(errors, 'noncurrentVersionExpiration', props.noncurrentVersionExpiration);
  checkDays(errors, 'abortIncompleteUploadsAfter', props.abortIncompleteUploadsAfter);
  checkDays(errors, 'accessLogsRetention', props.accessLogsRetention);
  checkString(errors, 'serverAccessLogsPrefix', props.serverAccessLogsPrefix, PREFIX_PATTERN, PREFIX_EXPECTED);
  if (props.batchInference === undefined || !checkObject(errors, 'batchInference', props.batchInference, 'an object of BatchInferenceOptions')) return undefined;
  return planBatchInference(errors, props.batchInference);
}

/** Validates batch options into `errors` (under `batchInference.*`) and fills in defaults. */
export function planBatchInference(errors: ValidationErrors, batch: BatchInferenceOptions): BatchInferencePlan {
  checkEndpoint(errors, 'batchInference.endpoint', batch.endpoint);
  const prefixes = {
    input: batch.inputPrefix ?? 'incoming/',
    output: batch.outputPrefix ?? 'predictions/',
    error: batch.errorPrefix ?? 'errors/',
  };
  const ok = [
    checkString(errors, 'batchInference.inputPrefix', prefixes.input, PREFIX_PATTERN, PREFIX_EXPECTED),
    checkString(errors, 'batchInference.outputPrefix', prefixes.output, PREFIX_PATTERN, PREFIX_EXPECTED),
    checkString(errors, 'batchInference.errorPrefix', prefixes.error, PREFIX_PATTERN, PREFIX_EXPECTED),
  ].every(Boolean);
  // Tokens are compared at deploy time by nobody: only literal prefixes can be checked for overlap.
  const overlaps = (a: string, b: string) => !isTokenString(a) && !isTokenString(b) && (a.startsWith(b) || b.startsWith(a));
  if (ok) {
    errors.check(!overlaps(prefixes.output, prefixes.input), 'batchInference.outputPrefix', prefixes.output, `a prefix that does not overlap inputPrefix ${JSON.stringify(prefixes.input)} (outputs would trigger new inferences)`);
    errors.check(!overlaps(prefixes.error, prefixes.input), 'batchInference.errorPrefix', prefixes.error, `a prefix that does not overlap inputPrefix ${JSON.stringify(prefixes.input)} (error reports would trigger new inferences)`);
  }
  checkString(errors, 'batchInference.inputSuffix', batch.inputSuffix, /^.{1,1024}$/, 'a key suffix such as ".json"');
  const timeout = batch.timeout ?? Duration.minutes(5);
  if (checkDuration(errors, 'batchInference.timeout', batch.timeout, 1000, MAX_TIMEOUT.toMilliseconds(), 'from 1 second to 15 minutes')
    && isDuration(timeout) && timeout.isUnresolved()) {
    // Lambda reads its timeout in seconds; CloudFormation cannot convert another unit.
    errors.check(timeout.unitLabel() === 'seconds', 'batchInference.timeout', `a token in ${timeout.unitLabel()}`, 'a token in seconds (Duration.seconds)');
  }
  errors.checkNumber('batchInference.memorySize', batch.memorySize, { min: 128, max: 10240, integer: true });
  errors.checkNumber('batchInference.batchSize', batch.batchSize, { min: 1, max: 10, integer: true });
  errors.checkNumber('batchInference.reservedConcurrentExecutions', batch.reservedConcurrentExecutions, { min: 1, integer: true });
  errors.checkNumber('batchInference.maxReceiveCount', batch.maxReceiveCount, { min: 1, max: 1000, integer: true });
  checkNumberOneOf(errors, 'batchInference.logRetention', batch.logRetention, RETENTION_VALUES, 'a logs.RetentionDays value');
  // CloudFormation cannot multiply a parameter: a token timeout gets the visibility for Lambda's longest timeout.
  const visibilityBase = isDuration(timeout) && !timeout.isUnresolved() ? timeout : MAX_TIMEOUT;
  return { prefixes, timeout, visibilityTimeout: Duration.seconds(visibilityBase.toSeconds() * 6) };
}

function checkDays(errors: ValidationErrors, prop: string, value: unknown): void {
  if (value === undefined) return;
  if (!isDuration(value)) {
    errors.add(prop, value, 'a Duration of whole days, at least 1');
    return;
  }
  if (value.isUnresolved()) return;
  const days = value.toMilliseconds() / 86_400_000;
  errors.check(Number.isInteger(days) && days >= 1, prop, `${value.toHumanString()}`, 'a whole number of days, at least 1 (S3 lifecycle rules count in days)');
}
