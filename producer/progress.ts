import { SingleBar } from 'cli-progress';
import type { Logger } from 'pino';

export type ProgressMode = 'bar' | 'log' | 'none';

export interface ProgressReporter {
  update(rows: number, bytes: number): void;
  stop(): void;
}

const LOG_INTERVAL_MS = 5000;

/**
 * A bar with rows/s on a terminal; a pino line every few seconds otherwise, so that a
 * log collector sees the run advance without a line per row.
 */
export function createProgress(
  mode: ProgressMode,
  totalBytes: number,
  logger: Logger,
): ProgressReporter {
  if (mode === 'bar') {
    return barProgress(totalBytes);
  }

  if (mode === 'log') {
    return logProgress(totalBytes, logger);
  }

  return { update: () => {}, stop: () => {} };
}

function barProgress(totalBytes: number): ProgressReporter {
  const startedAt = performance.now();
  const bar = new SingleBar({
    format: '{bar} {percentage}% | {rows} rows | {rate} rows/s | {eta_formatted}',
    stream: process.stderr,
    hideCursor: true,
  });
  bar.start(totalBytes, 0, { rows: 0, rate: 0 });

  return {
    update(rows, bytes) {
      bar.update(bytes, { rows, rate: rowsPerSecond(rows, startedAt) });
    },
    stop() {
      bar.stop();
    },
  };
}

function logProgress(totalBytes: number, logger: Logger): ProgressReporter {
  const startedAt = performance.now();
  let latest = { rows: 0, bytes: 0 };

  const timer = setInterval(() => {
    const rate = rowsPerSecond(latest.rows, startedAt);
    logger.info({ ...latest, totalBytes, rowsPerSecond: rate }, 'progress');
  }, LOG_INTERVAL_MS);
  timer.unref();

  return {
    update(rows, bytes) {
      latest = { rows, bytes };
    },
    stop() {
      clearInterval(timer);
    },
  };
}

function rowsPerSecond(rows: number, startedAt: number): number {
  const seconds = (performance.now() - startedAt) / 1000;
  return seconds > 0 ? Math.round(rows / seconds) : 0;
}
