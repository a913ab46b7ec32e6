import type { Admin, Kafka } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LagExporter, startLagExporter } from '../../../shared/lag/run-lag-exporter.ts';
import { uniqueName } from '../../helpers/unique.ts';
import {
  brokers,
  commit,
  logger,
  scrape,
  testKafka,
  topicWithRecords,
  valuesBy,
} from './support.ts';

/** Records written an hour ago, so their age is known whatever the test's speed. */
const WRITTEN_AT = Date.now() - 3_600_000;

let kafka: Kafka;
let admin: Admin;
const exporters: LagExporter[] = [];
const topics: string[] = [];

beforeAll(async () => {
  kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
});

afterEach(async () => {
  await Promise.all(exporters.splice(0).map((exporter) => exporter.close()));
});

afterAll(async () => {
  await admin.deleteTopics({ topics }).catch(() => {});
  await admin.disconnect();
});

async function arrange(perPartition: number[]) {
  const topic = uniqueName('lag');
  const group = uniqueName('lag-group');
  topics.push(topic);
  await topicWithRecords(kafka, admin, topic, perPartition, WRITTEN_AT);

  const exporter = await startLagExporter({
    brokers,
    topic,
    groupPattern: new RegExp(`^${group}`),
    port: 0,
    host: '127.0.0.1',
    // Every scrape waits for its own read of Kafka: the assertions are about exact values.
    scrapeWaitMs: 60_000,
    logger,
  });
  exporters.push(exporter);
  return { topic, group, port: exporter.port };
}

describe('lag exporter', () => {
  it('reports exact lag per partition, counting a never-committed partition from the log start', async () => {
    const { topic, group, port } = await arrange([5, 3, 2]);
    await commit(admin, group, topic, { 0: 2, 1: 3 });

    const samples = await scrape(port);

    const where = { consumergroup: group, topic };
    expect(valuesBy(samples, 'kafka_consumergroup_lag', 'partition', where)).toEqual({
      0: 3,
      1: 0,
      2: 2,
    });
    expect(valuesBy(samples, 'kafka_consumergroup_lag_sum', 'topic', where)).toEqual({
      [topic]: 5,
    });
    expect(valuesBy(samples, 'kafka_consumergroup_current_offset', 'partition', where)).toEqual({
      0: 2,
      1: 3,
    });
    const members = valuesBy(samples, 'kafka_consumergroup_members', 'consumergroup');
    expect(members[group]).toBe(0);
    expect(
      valuesBy(samples, 'kafka_topic_partition_current_offset', 'partition', { topic }),
    ).toEqual({ 0: 5, 1: 3, 2: 2 });
  });

  it('counts a never-committed partition from its log start after early records were deleted', async () => {
    const { topic, group, port } = await arrange([4, 4]);
    await commit(admin, group, topic, { 0: 4 });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 1, offset: '3' }] });

    const samples = await scrape(port);

    const lag = valuesBy(samples, 'kafka_consumergroup_lag', 'partition', { consumergroup: group });
    expect(lag).toEqual({ 0: 0, 1: 1 });
    const oldest = valuesBy(samples, 'kafka_topic_partition_oldest_offset', 'partition', { topic });
    expect(oldest).toEqual({ 0: 0, 1: 3 });
  });

  it('reports lag exactly 0 once the group has committed everything', async () => {
    const { topic, group, port } = await arrange([5, 3, 2]);
    await commit(admin, group, topic, { 0: 2 });
    const before = await scrape(port);
    await commit(admin, group, topic, { 0: 5, 1: 3, 2: 2 });

    const after = await scrape(port);

    const where = { consumergroup: group, topic };
    expect(valuesBy(before, 'kafka_consumergroup_lag_sum', 'topic', where)[topic]).toBe(8);
    expect(valuesBy(after, 'kafka_consumergroup_lag', 'partition', where)).toEqual({
      0: 0,
      1: 0,
      2: 0,
    });
    expect(valuesBy(after, 'kafka_consumergroup_lag_sum', 'topic', where)[topic]).toBe(0);
    expect(valuesBy(after, 'strava_consumergroup_lag_seconds', 'topic', where)[topic]).toBe(0);
  });

  it('reports lag in seconds as the age of the oldest record the group has not read', async () => {
    const { topic, group, port } = await arrange([3, 3]);
    // Partition 0's next record was written 2 s after the first; partition 1 never committed.
    await commit(admin, group, topic, { 0: 2, 1: 3 });
    const readFrom = Date.now();

    const samples = await scrape(port);

    const readUntil = Date.now();
    const where = { consumergroup: group, topic };
    const seconds = valuesBy(samples, 'strava_consumergroup_lag_seconds', 'topic', where)[topic];
    const writtenAt = WRITTEN_AT + 2_000;
    expect(seconds).toBeGreaterThanOrEqual((readFrom - writtenAt) / 1000);
    expect(seconds).toBeLessThanOrEqual((readUntil - writtenAt) / 1000);
  });

  it('takes the oldest record across partitions, reading a never-committed one from its start', async () => {
    const { topic, group, port } = await arrange([3, 3]);
    await commit(admin, group, topic, { 0: 2 });
    const readFrom = Date.now();

    const samples = await scrape(port);

    const readUntil = Date.now();
    const where = { consumergroup: group, topic };
    const seconds = valuesBy(samples, 'strava_consumergroup_lag_seconds', 'topic', where)[topic];
    expect(seconds).toBeGreaterThanOrEqual((readFrom - WRITTEN_AT) / 1000);
    expect(seconds).toBeLessThanOrEqual((readUntil - WRITTEN_AT) / 1000);
  });

  it('reports only the groups its pattern matches', async () => {
    const { topic, group, port } = await arrange([1]);
    const other = uniqueName('unrelated-group');
    await commit(admin, group, topic, { 0: 0 });
    await commit(admin, other, topic, { 0: 0 });

    const samples = await scrape(port);

    const groups = new Set(
      samples
        .filter((s) => s.name === 'kafka_consumergroup_lag')
        .map((s) => s.labels.consumergroup),
    );
    expect([...groups]).toEqual([group]);
  });

  it('counts live members and flags replicas beyond the partition count', async () => {
    const { topic, group, port } = await arrange([1]);
    const consumers = [kafka.consumer({ groupId: group }), kafka.consumer({ groupId: group })];
    const joined = consumers.map(
      (consumer) =>
        new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve())),
    );
    for (const consumer of consumers) {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async () => {} });
    }
    await Promise.all(joined);

    const samples = await scrape(port).finally(() =>
      Promise.all(consumers.map((consumer) => consumer.disconnect())),
    );

    const where = { consumergroup: group };
    expect(valuesBy(samples, 'kafka_consumergroup_members', 'consumergroup', where)).toEqual({
      [group]: 2,
    });
    expect(
      valuesBy(samples, 'strava_consumergroup_members_over_partitions', 'topic', where),
    ).toEqual({ [topic]: 1 });
  });
});
