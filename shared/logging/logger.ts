import { type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * One pino logger per process, JSON to stdout. Components take a child logger bound to
 * what they are (`component`, `sport`, `topic`), never a logger of their own.
 */
export function createLogger(service: string, level: LevelWithSilent): Logger {
  return pino({
    level,
    base: { service },
    // Credentials travel in config objects; make sure none reaches a log line.
    redact: ['*.AWS_SECRET_ACCESS_KEY', '*.secretAccessKey', '*.password'],
  });
}
