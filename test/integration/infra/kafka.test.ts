import { type Admin, Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEndpoints } from '../../../infra/endpoints.ts';
import { uniqueName } from '../../helpers/unique.ts';

describe('the local Kafka broker', () => {
  const kafka = new Kafka({
    clientId: 'infra-test',
    brokers: localEndpoints().brokers,
    logLevel: logLevel.WARN,
  });
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('lets kafkajs create a topic, produce, consume from the earliest offset in a new group and commit', async () => {
    const topic = uniqueName('smoke');
    const groupId = uniqueName('smoke-group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: ['uno', 'dos', 'tres', 'cuatro'].map((value) => ({ key: value, value })),
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ message, partition }) => {
          received.push(message.value?.toString() ?? '');
          const next = (BigInt(message.offset) + 1n).toString();
          await consumer.commitOffsets([{ topic, partition, offset: next }]);
          if (received.length === 4) {
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedTotal = committed?.partitions.reduce(
      (sum, p) => sum + Math.max(Number(p.offset), 0),
      0,
    );
    expect(received.sort()).toEqual(['cuatro', 'dos', 'tres', 'uno']);
    expect(committedTotal).toBe(4);
  });
});
