import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../shared/errors.ts';

export interface WaitOptions {
  what: string;
  timeoutMs: number;
  /** Stops waiting early, e.g. when the server process has died. */
  abortIf?: () => string | undefined;
}

/**
 * Retries a real check (a request that exercises the server, not a port probe) until it
 * passes, the server gives up, or time runs out.
 */
export async function waitUntilReady(
  check: () => Promise<void>,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'no attempt made';

  while (Date.now() < deadline) {
    const abortReason = options.abortIf?.();
    if (abortReason !== undefined) {
      throw new Error(`${options.what} stopped before it was ready: ${abortReason}`);
    }

    try {
      await check();
      return;
    } catch (error) {
      lastError = describeError(error);
    }
    await sleep(500);
  }

  throw new Error(
    `${options.what} was not ready after ${options.timeoutMs / 1000} s (last check: ${lastError})`,
  );
}
