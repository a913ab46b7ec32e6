import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kafka, Partitioners } from 'kafkajs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createKafka } from '../../../shared/kafka/client.ts';
import { readExport } from '../../../workers/read-export.ts';
import { runWorker } from '../../../workers/run-worker.ts';
import { privateServer } from '../../helpers/private-server.ts';
import { uniqueName } from '../../helpers/unique.ts';
import {
  countKeys,
  deleteLake,
  lakeNames,
  logger,
  type TestLake,
  waitUntil,
  workerOptions,
} from './support.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/strava');
/** 5 rides in the first file, 2 in the second, none shared. */
const FIRST = join(FIXTURES, 'en-us-long-103.csv');
const SECOND = join(FIXTURES, 'nl-long-99.csv');

/** A broker of this test alone, and a client of it. Not started. */
async function privateKafka() {
  const broker = await privateServer('kafka', ['KAFKA_PORT', 'KAFKA_CONTROLLER_PORT']);
  const kafka = createKafka({
    clientId: uniqueName('outage'),
    brokers: [broker.server.address],
    logger,
  });

  return { ...broker, kafka };
}

function testLake(): TestLake {
  const lake = lakeNames();
  onTestFinished(() => deleteLake(lake));
  return lake;
}

async function createTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
}

/** Publishes a CSV with the producer's own parsing and keys. */
async function publish(kafka: Kafka, topic: string, file: string): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const messages = [];
  for await (const row of readExport(file, uniqueName('run'))) {
    messages.push(row.kafkaMessage);
  }
  await producer.send({ topic, messages });
  await producer.disconnect();
}

describe('Kafka unavailable', () => {
  it('a worker started before Kafka and its topic waits, then stores what is published', async () => {
    const broker = await privateKafka();
    const lake = testLake();
    let started = false;
    const starting = runWorker(
      workerOptions(lake, 'bici', {
        kafka: broker.kafka,
        backoff: { initialMs: 200, maxMs: 1_000 },
      }),
    ).then((worker) => {
      started = true;
      onTestFinished(() => worker.stop());
      return worker;
    });

    await sleep(3_000);
    const startedWithoutKafka = started;
    await broker.start();
    await createTopic(broker.kafka, lake.topic);
    await publish(broker.kafka, lake.topic, FIRST);
    await starting;
    await waitUntil(
      'the rides are in the lake',
      async () => (await countKeys(lake.bucket, 'bici/')) === 5,
    );

    expect(startedWithoutKafka).toBe(false);
    expect(await countKeys(lake.bucket, 'bici/')).toBe(5);
  });

  it('a worker rides out a broker restart and stores what is published after it', async () => {
    const broker = await privateKafka();
    const lake = testLake();
    await broker.start();
    await createTopic(broker.kafka, lake.topic);
    const worker = await runWorker(
      workerOptions(lake, 'bici', {
        kafka: broker.kafka,
        backoff: { initialMs: 200, maxMs: 1_000 },
      }),
    );
    onTestFinished(() => worker.stop());
    let died = false;
    worker.done.catch(() => {
      died = true;
    });

    await publish(broker.kafka, lake.topic, FIRST);
    await waitUntil(
      'the first rides are in the lake',
      async () => (await countKeys(lake.bucket, 'bici/')) === 5,
    );
    await broker.stop();
    await sleep(5_000);
    await broker.start();
    await publish(broker.kafka, lake.topic, SECOND);
    await waitUntil(
      'the second rides are in the lake',
      async () => (await countKeys(lake.bucket, 'bici/')) === 7,
    );

    expect(died).toBe(false);
    expect(await countKeys(lake.bucket, 'bici/')).toBe(7);
  });
});
