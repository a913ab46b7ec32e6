import { setMaxListeners } from 'node:events';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../shared/logging/logger.ts';
import { type Backoff, backoffDelay, sleep } from './backoff.ts';
import type { LakeObject } from './lake-object.ts';
import { s3Error } from './s3-errors.ts';

export interface LakeWriterOptions {
  s3: S3Client;
  bucket: string;
  /** Writes in flight at once. */
  concurrency: number;
  backoff: Backoff;
  logger: Logger;
  /** Told about every PUT, for the metrics. */
  observer?: WriteObserver;
}

export interface WriteObserver {
  /** A PUT started (+1) or was answered (-1). */
  inFlight(delta: 1 | -1): void;
  /** Seconds of a successful PUT. */
  stored(seconds: number): void;
  /** A failed PUT that will be tried again. */
  retried(): void;
}

export interface WriteHooks {
  /** Aborts the retries: the caller gives the batch up (shutdown, lost partitions). */
  signal: AbortSignal;
  /**
   * Runs between retries. The worker heartbeats here so that a long S3 outage does not
   * cost it its group membership; throwing stops the retries.
   */
  whileWaiting: () => Promise<void>;
}

/**
 * Writes objects to the lake with bounded concurrency. A write that can heal (S3 down,
 * timeouts, 5xx) is retried with backoff for as long as it takes; one that cannot (bad
 * credentials, a bucket the key may not use) fails the whole call at once.
 */
export class LakeWriter {
  private readonly slots: Slots;

  constructor(private readonly options: LakeWriterOptions) {
    this.slots = new Slots(options.concurrency);
  }

  /**
   * Resolves when every object is durably stored (S3 answered success for each). The
   * concurrency bound is shared by every call, so partitions consumed in parallel do not
   * multiply it.
   */
  async writeAll(objects: readonly LakeObject[], hooks: WriteHooks): Promise<void> {
    const failure = new AbortController();
    const signal = AbortSignal.any([hooks.signal, failure.signal]);
    // Each PUT in flight listens on it; that is expected, not a leak.
    setMaxListeners(this.options.concurrency * 3 + 10, signal);

    const writeInSlot = async (object: LakeObject) => {
      await this.slots.acquire();
      try {
        signal.throwIfAborted();
        await this.writeOne(object, { ...hooks, signal });
      } catch (error) {
        failure.abort(error);
        throw error;
      } finally {
        this.slots.release();
      }
    };

    const results = await Promise.allSettled(objects.map(writeInSlot));
    signal.throwIfAborted();

    const rejected = results.find((result) => result.status === 'rejected');
    if (rejected) {
      throw rejected.reason;
    }
  }

  private async writeOne(object: LakeObject, hooks: WriteHooks): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.put(object, hooks.signal);
        return;
      } catch (error) {
        hooks.signal.throwIfAborted();
        const wrapped = s3Error(`writing s3://${this.options.bucket}/${object.key}`, error);
        if (!wrapped.retryable) {
          throw wrapped;
        }

        await this.waitBeforeRetry(wrapped, attempt, hooks);
      }
    }
  }

  private async put(object: LakeObject, signal: AbortSignal): Promise<void> {
    const observer = this.options.observer;
    const started = performance.now();
    observer?.inFlight(1);

    try {
      await this.options.s3.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: object.key,
          Body: object.body,
          ContentType: 'application/json',
        }),
        { abortSignal: signal },
      );
    } finally {
      observer?.inFlight(-1);
    }

    observer?.stored((performance.now() - started) / 1000);
  }

  private async waitBeforeRetry(error: Error, attempt: number, hooks: WriteHooks) {
    const delayMs = backoffDelay(this.options.backoff, attempt);
    this.options.observer?.retried();
    // Every lane retries during an outage; one line per few attempts is enough.
    if (attempt === 1 || attempt % 10 === 0) {
      this.options.logger.warn({ err: error, attempt, delayMs }, 's3 write failed, retrying');
    }

    await hooks.whileWaiting();
    await sleep(delayMs, hooks.signal);
  }
}

/** A counting semaphore: at most `size` holders at once, the rest wait in order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }

    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
      return;
    }

    this.free++;
  }
}
