import type { KafkaMessage } from 'kafkajs';
import { type Classifier, createClassifier } from '../shared/sports/classify.ts';
import type { Sport, SportRegistry } from '../shared/sports/registry.ts';
import { type BatchPlan, planBatch } from './plan-batch.ts';

/** What the consumer loop sends to a planning thread for one slice. */
export interface PlanTask {
  registry: SportRegistry;
  sportId: string;
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

let cached: { registry: string; classifier: Classifier } | undefined;

/** Runs `planBatch` in a piscina thread; the registry's classifier is built once per thread. */
export default function plan(task: PlanTask): BatchPlan {
  const registry = JSON.stringify(task.registry);
  if (cached?.registry !== registry) {
    cached = { registry, classifier: createClassifier(task.registry) };
  }

  const sport = task.registry.find((entry) => entry.id === task.sportId) as Sport;
  const messages = task.messages.map(asBuffers);

  return planBatch(messages, { ...task, sport, classifier: cached.classifier });
}

/** Buffers cross the thread boundary as plain Uint8Arrays; give them back their methods. */
function asBuffers(message: KafkaMessage): KafkaMessage {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value instanceof Uint8Array) headers[name] = buffer(value);
  }

  return {
    ...message,
    key: message.key ? buffer(message.key) : null,
    value: message.value ? buffer(message.value) : null,
    headers,
  } as KafkaMessage;
}

function buffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
