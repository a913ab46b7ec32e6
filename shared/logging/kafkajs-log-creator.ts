import { logLevel as KafkaLogLevel, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/**
 * Routes kafkajs's own log lines into the process's pino stream, so there is one log format.
 * kafkajs is chatty at info (every join and rebalance), so its info becomes our debug.
 */
export function pinoLogCreator(logger: Logger): logCreator {
  const kafkaLogger = logger.child({ component: 'kafkajs' });

  return () =>
    ({ level, log }) => {
      const { message, ...fields } = log;
      const pinoLevel = levels[level] ?? 'debug';
      const quieted = pinoLevel === 'info' ? 'debug' : pinoLevel;
      kafkaLogger[quieted](fields, message);
    };
}
