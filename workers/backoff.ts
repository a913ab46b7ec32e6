/** Retry timing: the first wait, doubled after each failure up to a ceiling. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** Wait before retry number `attempt` (1-based), with ±20 % jitter so workers spread out. */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  const exponential = backoff.initialMs * 2 ** Math.min(attempt - 1, 20);
  const capped = Math.min(exponential, backoff.maxMs);
  return Math.round(capped * (0.8 + Math.random() * 0.4));
}

/** Resolves after `ms`, or rejects as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }

    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
