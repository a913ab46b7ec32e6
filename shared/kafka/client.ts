import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { pinoLogCreator } from '../logging/kafkajs-log-creator.ts';

export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
}

/**
 * A kafkajs client with the project's logging and a retry policy that rides out a broker
 * restart (about a minute of backoff) before giving up.
 */
export function createKafka({ clientId, brokers, logger }: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.INFO,
    logCreator: pinoLogCreator(logger),
    connectionTimeout: 3000,
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 8 },
  });
}
