import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KafkaMessage } from 'kafkajs';
import { Piscina } from 'piscina';
import type { Classifier } from '../shared/sports/classify.ts';
import type { Sport, SportRegistry } from '../shared/sports/registry.ts';
import type { PlanTask } from './plan-batch.task.ts';
import { type BatchPlan, planBatch } from './plan-batch.ts';

const EXTENSION = extname(fileURLToPath(import.meta.url));
const TASK_FILE = new URL(`./plan-batch.task${EXTENSION}`, import.meta.url).href;
/** From source a thread needs tsx; built `.js` needs nothing. */
const EXEC_ARGV = EXTENSION === '.ts' ? ['--import', 'tsx'] : [];

/** Plans slices either on the consumer loop's thread or in a piscina pool. */
export interface Planner {
  plan(messages: KafkaMessage[], topic: string, partition: number): Promise<BatchPlan>;
  close(): Promise<void>;
}

export function createPlanner(options: {
  threads: number;
  registry: SportRegistry;
  sport: Sport;
  classifier: Classifier;
}): Planner {
  const { threads, registry, sport, classifier } = options;

  if (threads === 0) {
    return {
      plan: async (messages, topic, partition) =>
        planBatch(messages, { sport, classifier, topic, partition }),
      close: async () => {},
    };
  }

  const pool = new Piscina<PlanTask, BatchPlan>({
    filename: TASK_FILE,
    minThreads: threads,
    maxThreads: threads,
    execArgv: EXEC_ARGV,
  });

  return {
    plan: (messages, topic, partition) =>
      pool.run({ registry, sportId: sport.id, topic, partition, messages: messages.map(detached) }),
    close: () => pool.destroy(),
  };
}

/**
 * kafkajs's buffers are views into the whole fetch response; cloning a view for a thread
 * copies its entire backing memory. Copying just the bytes first keeps the transfer small.
 */
function detached(message: KafkaMessage): KafkaMessage {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (Buffer.isBuffer(value)) headers[name] = Buffer.from(value);
  }

  return {
    ...message,
    key: message.key ? Buffer.from(message.key) : null,
    value: message.value ? Buffer.from(message.value) : null,
    headers,
  } as KafkaMessage;
}
