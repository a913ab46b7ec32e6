import { describeError, FleetError } from '../shared/errors.ts';

/** S3 answers that no retry will change: credentials, permissions, a missing bucket. */
const FATAL_NAMES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'AllAccessDisabled',
  'AccountProblem',
  'NoSuchBucket',
  'InvalidBucketName',
  'InvalidBucketState',
]);

const FATAL_STATUS = new Set([400, 401, 403, 404, 405, 411, 413]);

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Whether an S3 failure can heal by waiting: a refused connection, a timeout, a 5xx or a
 * throttle can; bad credentials or a bucket the key may not write to cannot.
 */
export function isRetryableS3Error(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as SdkError;
  if (name && FATAL_NAMES.has(name)) {
    return false;
  }

  const status = $metadata?.httpStatusCode;
  return status === undefined || !FATAL_STATUS.has(status);
}

/** Wraps an S3 failure with what was attempted and what to do about it. */
export function s3Error(action: string, error: unknown): FleetError {
  const retryable = isRetryableS3Error(error);
  const hint = retryable
    ? 'the S3 server may be down or overloaded; the worker keeps retrying'
    : 'check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, S3_BUCKET and the policy of the key';
  const { name = 'Error', $metadata } = (error ?? {}) as SdkError;
  const status = $metadata?.httpStatusCode ? `HTTP ${$metadata.httpStatusCode} ` : '';

  return new FleetError(
    retryable ? 'S3_UNAVAILABLE' : 'S3_REFUSED',
    `${action} failed: ${status}${name}: ${describeError(error)} (${hint})`,
    { cause: error, retryable },
  );
}
