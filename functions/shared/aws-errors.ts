/**
 * AWS SDK exceptions as typed LedgerErrors, so that a handler's log and an auditor's answer
 * name a code (THROTTLED, ACCESS_DENIED, ...) instead of UNEXPECTED. The SDK's exception
 * classes differ per client; their names are the documented service error codes, so they are
 * matched by name. The SDK has already retried what it retries by the time one reaches us.
 *
 * Only failures that say nothing about our data are mapped. Answers an adapter acts on
 * (ConditionalCheckFailed, TransactionCanceled, NoSuchKey, PreconditionFailed,
 * KMSInvalidMac) pass through unchanged, so each adapter keeps its own meaning for them.
 */
import {
  isLedgerError,
  LedgerError,
  type LedgerErrorCode,
  type LedgerErrorDetails,
} from '../../core/errors';

const CODE_OF_NAME: ReadonlyMap<string, LedgerErrorCode> = new Map<string, LedgerErrorCode>([
  ...[
    'ThrottlingException',
    'Throttling',
    'ThrottledException',
    'ProvisionedThroughputExceededException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'TooManyRequestsException',
    'LimitExceededException',
    'SlowDown',
  ].map((name) => [name, 'THROTTLED'] as const),
  ...[
    'InternalServerError',
    'InternalFailure',
    'InternalError',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'KMSInternalException',
    'DependencyTimeoutException',
    'TransactionConflictException',
    'RequestTimeout',
    'RequestTimeoutException',
    'TimeoutError',
    'ExpiredToken',
    'ExpiredTokenException',
  ].map((name) => [name, 'DEPENDENCY_UNAVAILABLE'] as const),
  ...[
    'AccessDenied',
    'AccessDeniedException',
    'UnrecognizedClientException',
    'InvalidClientTokenId',
  ].map((name) => [name, 'ACCESS_DENIED'] as const),
  // A table, bucket or queue the environment names does not exist: the deployment is wrong.
  ...[
    'ResourceNotFoundException',
    'NoSuchBucket',
    'QueueDoesNotExist',
    'AWS.SimpleQueueService.NonExistentQueue',
  ].map((name) => [name, 'CONFIG_INVALID'] as const),
  // A KMS key that exists but cannot be used now; the KMS adapters map every failure to this.
  ...['DisabledException', 'KMSInvalidStateException', 'KeyUnavailableException'].map(
    (name) => [name, 'KEY_UNAVAILABLE'] as const,
  ),
]);

/** Node's socket errors: the service was not reached. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface SdkFailure {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
}

/** The code for an SDK failure, or null when the caller must decide what it means. */
export function codeOfAwsError(error: unknown): LedgerErrorCode | null {
  if (typeof error !== 'object' || error === null) return null;
  const { name, code, $fault } = error as SdkFailure;
  const byName = typeof name === 'string' ? CODE_OF_NAME.get(name) : undefined;
  if (byName) return byName;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'DEPENDENCY_UNAVAILABLE';
  return $fault === 'server' ? 'DEPENDENCY_UNAVAILABLE' : null;
}

/** `error` as a typed LedgerError (with the SDK error as cause) when it is one we map; else unchanged. */
export function typedAwsError(error: unknown, what: string, details: LedgerErrorDetails): unknown {
  if (isLedgerError(error)) return error;
  const code = codeOfAwsError(error);
  if (!code) return error;
  const sdkError = (error as Error).name;
  return new LedgerError(code, `${what}: ${sdkError}`, { ...details, sdkError }, { cause: error });
}

/** Runs one AWS call (or an adapter step made of several), mapping its SDK failures. */
export async function awsCall<T>(
  what: string,
  details: LedgerErrorDetails,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw typedAwsError(error, what, details);
  }
}
