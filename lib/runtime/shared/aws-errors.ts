// Sorts errors thrown by the AWS SDK (SageMaker Runtime and S3) into the few kinds the runtimes act on:
// the inference API maps a kind to an HTTP status, the batch worker to "retry" or "report and move on".

/** What went wrong, in terms a caller can act on. */
export type FailureKind =
  | 'timeout' // our deadline or the SDK's socket timeout fired
  | 'throttled' // the service or the endpoint is over capacity: retry later
  | 'notReady' // serverless capacity or a multi-model target still loading: retry later
  | 'endpointNotFound' // deployment or configuration problem, not the caller's fault
  | 'validation' // SageMaker rejected the request itself
  | 'model' // the container answered with an error
  | 'notFound' // S3 object or version no longer exists
  | 'accessDenied' // IAM or KMS denied the call: configuration problem
  | 'serverError' // a 5xx from the service
  | 'other';

export interface ClassifiedFailure {
  readonly kind: FailureKind;
  /** The SDK error name (`ModelError`, `ThrottlingException`...), safe to log. */
  readonly errorName: string;
  /** HTTP status of the AWS API response, when there was one. */
  readonly httpStatus?: number;
  /** For `model`: the status code the container answered with. */
  readonly modelStatusCode?: number;
  /** For `model`: the container's message. It may echo the request, so it is returned to the caller, never logged. */
  readonly modelMessage?: string;
  /** For `model`: the CloudWatch log stream of the container, safe to log. */
  readonly logStreamArn?: string;
  /** The service's message with account ids masked; may be returned to callers for `validation`. */
  readonly message: string;
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'ProvisionedThroughputExceededException', 'SlowDown', 'ServiceUnavailable',
]);
const TIMEOUT_NAMES = new Set(['DeadlineExceeded', 'AbortError', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const SERVER_NAMES = new Set(['InternalFailure', 'InternalDependencyException', 'InternalError', 'InternalServerError', 'ServiceFailure']);
const NOT_FOUND_NAMES = new Set(['NoSuchKey', 'NoSuchVersion', 'NotFound']);
const ACCESS_NAMES = new Set([
  'AccessDenied', 'AccessDeniedException', 'KMS.AccessDeniedException', 'KMS.DisabledException',
  'InvalidClientTokenId', 'UnrecognizedClientException', 'ExpiredToken', 'ExpiredTokenException',
]);

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: { throttling?: unknown };
  OriginalStatusCode?: unknown;
  OriginalMessage?: unknown;
  LogStreamArn?: unknown;
}

/** Masks 12-digit AWS account ids, which SageMaker puts in some messages (`Endpoint x of account 123... not found`). */
export function maskAccountIds(text: string): string {
  return text.replace(/\b\d{12}\b/g, '************');
}

/** Cuts a message to `max` characters. */
export function truncate(text: string, max = 512): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

export function classifyError(error: unknown): ClassifiedFailure {
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error as SdkErrorShape : {};
  const errorName = typeof shape.name === 'string' && shape.name ? shape.name : 'Error';
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  const rawMessage = typeof shape.message === 'string' ? shape.message : String(error);
  const message = truncate(maskAccountIds(rawMessage));
  const base = { errorName, httpStatus: status, message };

  if (TIMEOUT_NAMES.has(errorName)) return { ...base, kind: 'timeout' };
  if (errorName === 'ModelError') {
    return {
      ...base,
      kind: 'model',
      modelStatusCode: typeof shape.OriginalStatusCode === 'number' ? shape.OriginalStatusCode : undefined,
      modelMessage: typeof shape.OriginalMessage === 'string' ? truncate(shape.OriginalMessage, 1024) : undefined,
      logStreamArn: typeof shape.LogStreamArn === 'string' ? shape.LogStreamArn : undefined,
    };
  }
  if (errorName === 'ModelNotReadyException') return { ...base, kind: 'notReady' };
  if (THROTTLING_NAMES.has(errorName) || status === 429 || shape.$retryable?.throttling === true) {
    return { ...base, kind: 'throttled' };
  }
  if (errorName === 'ValidationError') {
    // SageMaker reports a missing endpoint as a ValidationError; that is our deployment's fault, not the caller's.
    return { ...base, kind: /endpoint .* not found/i.test(rawMessage) ? 'endpointNotFound' : 'validation' };
  }
  if (NOT_FOUND_NAMES.has(errorName)) return { ...base, kind: 'notFound' };
  if (ACCESS_NAMES.has(errorName) || status === 403) return { ...base, kind: 'accessDenied' };
  if (SERVER_NAMES.has(errorName) || (status !== undefined && status >= 500)) return { ...base, kind: 'serverError' };
  return { ...base, kind: 'other' };
}
