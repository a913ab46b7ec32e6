import type { Kafka } from 'kafkajs';
import { describeError } from '../shared/errors.ts';
import type { Logger } from '../shared/logging/logger.ts';
import { type Backoff, backoffDelay, sleep } from './backoff.ts';

/** How often a worker still waiting says so, so a long wait is visible but not noisy. */
const WARN_EVERY_ATTEMPTS = 10;

/**
 * Waits until Kafka answers and the topic exists. Kafka starts slowly and the producer
 * creates the topic (with its partition count and no time-based deletion), so a worker
 * started first — the usual order with docker compose — waits instead of crashing.
 * A stop signal ends the wait.
 */
export async function waitForTopic(
  kafka: Kafka,
  topic: string,
  options: { backoff: Backoff; signal: AbortSignal; logger: Logger },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const problem = await checkTopic(kafka, topic);
    if (problem === undefined) {
      return;
    }

    if (attempt === 1 || attempt % WARN_EVERY_ATTEMPTS === 0) {
      options.logger.warn({ topic, attempt, problem }, 'waiting for Kafka and the topic');
    }
    await sleep(backoffDelay(options.backoff, attempt), options.signal);
  }
}

/** Undefined when the topic is there; otherwise what is missing, for the log. */
async function checkTopic(kafka: Kafka, topic: string): Promise<string | undefined> {
  const admin = kafka.admin({ retry: { retries: 0 } });

  try {
    await admin.connect();
    const topics = await admin.listTopics();
    return topics.includes(topic)
      ? undefined
      : `topic ${topic} does not exist yet: the producer creates it (npm run produce -- FILE)`;
  } catch (error) {
    return `Kafka does not answer (${describeError(error)}): check KAFKA_BROKERS, or start it with npm run infra:up`;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
