import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Logger } from '../shared/logging/logger.ts';
import { type Backoff, backoffDelay, sleep } from './backoff.ts';
import { s3Error } from './s3-errors.ts';

/** Another worker created it first: that is success, not an error. */
const ALREADY_THERE = new Set(['BucketAlreadyOwnedByYou', 'BucketAlreadyExists']);

/**
 * Makes sure the lake's bucket exists, creating it private when missing. Safe when several
 * workers start at once: losing the creation race is success. Waits while S3 is
 * unreachable (a fleet often starts before its S3 server is ready); fails at once when S3
 * refuses (credentials, a bucket owned by someone else).
 */
export async function ensureBucket(
  s3: S3Client,
  bucket: string,
  options: {
    backoff: Backoff;
    signal: AbortSignal;
    logger: Logger;
    /** Told of each failed attempt that will be tried again. */
    onRetry?: (error: Error) => void;
  },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await headOrCreate(s3, bucket, options.logger);
      return;
    } catch (error) {
      const wrapped = s3Error(`making sure bucket s3://${bucket} exists`, error);
      if (!wrapped.retryable) {
        throw wrapped;
      }

      options.logger.warn({ err: wrapped, attempt }, 's3 not ready, retrying');
      options.onRetry?.(wrapped);
      await sleep(backoffDelay(options.backoff, attempt), options.signal);
    }
  }
}

async function headOrCreate(s3: S3Client, bucket: string, logger: Logger): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    if (!isMissing(error)) {
      throw error;
    }
  }

  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    logger.info({ bucket }, 'bucket created');
  } catch (error) {
    if (!ALREADY_THERE.has((error as Error).name)) {
      throw error;
    }
  }

  await blockPublicAccess(s3, bucket, logger);
}

function isMissing(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NotFound' || name === 'NoSuchBucket' || $metadata?.httpStatusCode === 404;
}

/**
 * New buckets are private already; this also refuses any later public ACL or policy.
 * Some S3 servers do not implement the call (any answer but success is taken as that):
 * the bucket then stays as private as it was created.
 */
async function blockPublicAccess(s3: S3Client, bucket: string, logger: Logger) {
  try {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
  } catch (error) {
    if (!answered(error)) {
      throw error;
    }
    logger.debug({ bucket, err: error }, 'public access block not supported');
  }
}

/** The server answered (with any status), as opposed to a network failure. */
function answered(error: unknown): boolean {
  return (
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined
  );
}
