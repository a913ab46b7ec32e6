import { type Admin, type Kafka, Partitioners } from 'kafkajs';
import { localEndpoints } from '../../../infra/endpoints.ts';
import { createKafka } from '../../../shared/kafka/client.ts';
import { createLogger } from '../../../shared/logging/logger.ts';

export const logger = createLogger('lag-test', 'silent');
export const brokers = localEndpoints().brokers;

export function testKafka(): Kafka {
  return createKafka({ clientId: 'lag-test', brokers, logger });
}

/** One labelled sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Scrapes `/metrics` over HTTP and parses the text format (no escapes in our labels). */
export async function scrape(port: number): Promise<Sample[]> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await response.text();

  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(parseSample);
}

function parseSample(line: string): Sample {
  const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
  if (!match) {
    throw new Error(`not a Prometheus sample line: ${line}`);
  }

  const labels = Object.fromEntries(
    [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );
  return { name: match[1] ?? '', labels, value: Number(match[3]) };
}

/** Values of one metric keyed by the given label, for the samples matching `where`. */
export function valuesBy(
  samples: Sample[],
  name: string,
  key: string,
  where: Record<string, string> = {},
): Record<string, number> {
  const matching = samples.filter(
    (s) =>
      s.name === name && Object.entries(where).every(([label, value]) => s.labels[label] === value),
  );
  return Object.fromEntries(matching.map((s) => [s.labels[key] ?? '', s.value]));
}

/** A topic with records in given partitions, written at the given time (CreateTime). */
export async function topicWithRecords(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  perPartition: number[],
  timestamp: number,
): Promise<void> {
  await admin.createTopics({
    topics: [{ topic, numPartitions: perPartition.length, replicationFactor: 1 }],
    waitForLeaders: true,
  });

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const messages = perPartition.flatMap((count, partition) =>
    Array.from({ length: count }, (_, i) => ({
      partition,
      value: `record ${i}`,
      timestamp: String(timestamp + i * 1000),
    })),
  );
  await producer.send({ topic, messages });
  await producer.disconnect();
}

/** Commits offsets for a group that has no live member, as a worker would have. */
export async function commit(
  admin: Admin,
  groupId: string,
  topic: string,
  offsets: Record<number, number>,
): Promise<void> {
  const partitions = Object.entries(offsets).map(([partition, offset]) => ({
    partition: Number(partition),
    offset: String(offset),
  }));
  await admin.setOffsets({ groupId, topic, partitions });
}
