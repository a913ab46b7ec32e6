import type { Kafka } from 'kafkajs';
import type { Logger } from '../shared/logging/logger.ts';
import { type Backoff, backoffDelay, sleep } from './backoff.ts';

/**
 * Waits until the topic exists. The producer creates it (with its partition count and no
 * time-based deletion), so a worker started first — the usual order with docker compose —
 * waits for it instead of crashing on "This server does not host this topic-partition".
 */
export async function waitForTopic(
  kafka: Kafka,
  topic: string,
  options: { backoff: Backoff; signal: AbortSignal; logger: Logger },
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();

  try {
    for (let attempt = 1; !(await topicExists(admin, topic)); attempt++) {
      if (attempt === 1) {
        options.logger.info({ topic }, 'waiting for the topic: the producer creates it');
      }
      await sleep(backoffDelay(options.backoff, attempt), options.signal);
    }
  } finally {
    await admin.disconnect();
  }
}

async function topicExists(admin: ReturnType<Kafka['admin']>, topic: string): Promise<boolean> {
  const topics = await admin.listTopics();
  return topics.includes(topic);
}
