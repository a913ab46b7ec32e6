import { randomUUID } from 'node:crypto';
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type Kafka, type Message, Partitioners } from 'kafkajs';
import { onTestFinished } from 'vitest';
import { localEndpoints } from '../../../infra/endpoints.ts';
import { createKafka } from '../../../shared/kafka/client.ts';
import type { PartitionLag } from '../../../shared/lag/compute-lag.ts';
import { readGroupLag } from '../../../shared/lag/read-lag.ts';
import { createLogger, type Logger } from '../../../shared/logging/logger.ts';
import { createS3Client } from '../../../shared/s3/client.ts';
import { listKeys as listKeysIn } from '../../../shared/s3/list-keys.ts';
import { SPORTS, type SportRegistry } from '../../../shared/sports/registry.ts';
import { readExport } from '../../../workers/read-export.ts';
import { type RunningWorker, runWorker, type WorkerOptions } from '../../../workers/run-worker.ts';
import { type EntryProcess, spawnEntry } from '../../helpers/entry-process.ts';
import { uniqueName } from '../../helpers/unique.ts';

export const endpoints = localEndpoints();
export const logger: Logger = createLogger('worker-test', 'silent');
export const kafka: Kafka = createKafka({
  clientId: 'worker-test',
  brokers: endpoints.brokers,
  logger,
});
export const s3: S3Client = createS3Client(endpoints.s3);

/** A lake and a topic of one test: unique names, removed when the test ends. */
export interface TestLake {
  topic: string;
  bucket: string;
  groupPrefix: string;
}

/** Unique names for one test's topic, bucket and consumer groups. */
export function lakeNames(label = 'wk'): TestLake {
  return {
    topic: uniqueName(`${label}-topic`),
    bucket: uniqueName(`${label}-lake`),
    groupPrefix: `${uniqueName(`${label}-group`)}-`,
  };
}

/** A topic with leaders and names for its lake; the caller removes it with `deleteLake`. */
export async function createLake(partitions: number, label = 'wk'): Promise<TestLake> {
  const lake = lakeNames(label);
  const admin = kafka.admin();
  await admin.connect();

  try {
    await admin.createTopics({ topics: [{ topic: lake.topic, numPartitions: partitions }] });
    // kafkajs's own waitForLeaders gives up on the "unknown partition" a new topic shows
    // for a moment; asking again until every partition has a leader does not.
    await waitUntil('the new topic has leaders', async () => {
      const metadata = await admin.fetchTopicMetadata({ topics: [lake.topic] }).catch(() => null);
      const found = metadata?.topics[0]?.partitions ?? [];
      return found.length === partitions && found.every((partition) => partition.leader >= 0);
    });
  } finally {
    await admin.disconnect();
  }

  return lake;
}

/** `createLake` for one test: removed when the test ends. */
export async function createTestLake(partitions = 3): Promise<TestLake> {
  const lake = await createLake(partitions);
  onTestFinished(() => deleteLake(lake));
  return lake;
}

/** Deletes a test lake's topic, objects and bucket. */
export async function deleteLake(lake: TestLake): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [lake.topic] }).catch(() => {});
  await admin.disconnect();

  const keys = await listKeys(lake.bucket, '').catch(() => []);
  for (let start = 0; start < keys.length; start += 1000) {
    const objects = keys.slice(start, start + 1000).map((Key) => ({ Key }));
    await s3.send(new DeleteObjectsCommand({ Bucket: lake.bucket, Delete: { Objects: objects } }));
  }
  await s3.send(new DeleteBucketCommand({ Bucket: lake.bucket })).catch(() => {});
}

/** Worker options for a test lake; `overrides` changes timings or the registry. */
export function workerOptions(
  lake: TestLake,
  sportId: string,
  overrides: Partial<WorkerOptions> = {},
): WorkerOptions {
  return {
    sportId,
    registry: SPORTS,
    kafka,
    s3,
    topic: lake.topic,
    bucket: lake.bucket,
    logger,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    s3Concurrency: 16,
    backoff: { initialMs: 100, maxMs: 1_000 },
    shutdownGraceMs: 3_000,
    groupPrefix: lake.groupPrefix,
    ...overrides,
  };
}

/** Starts a worker in this process; stopped when the test ends. */
export async function startWorker(
  lake: TestLake,
  sportId: string,
  overrides: Partial<WorkerOptions> = {},
): Promise<RunningWorker> {
  const worker = await runWorker(workerOptions(lake, sportId, overrides));
  onTestFinished(() => worker.stop());
  return worker;
}

/** One worker per sport of the registry, as the fleet runs them. */
export async function startFleet(
  lake: TestLake,
  registry: SportRegistry = SPORTS,
): Promise<RunningWorker[]> {
  return Promise.all(registry.map((sport) => startWorker(lake, sport.id, { registry })));
}

/**
 * Publishes a CSV as the producer does: its parsing, keys, values and headers
 * (`readExport` runs the producer's own code), sent with a plain kafkajs producer so that
 * these tests do not depend on how the producer schedules its work.
 */
export async function publishFile(lake: TestLake, file: string): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  let batch: Message[] = [];

  try {
    for await (const row of readExport(file, randomUUID())) {
      batch.push(row.kafkaMessage);
      if (batch.length >= 500) {
        await producer.send({ topic: lake.topic, messages: batch });
        batch = [];
      }
    }
    await producer.send({ topic: lake.topic, messages: batch });
  } finally {
    await producer.disconnect();
  }
}

/** Publishes raw messages, for what the producer would never write. */
export async function publishMessages(topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();
}

/**
 * Waits until the group has committed the end of every partition of the topic. Polls the
 * broker; the deadline only turns a hang into a readable failure.
 */
export async function waitForLagZero(topic: string, groupId: string, deadlineMs = 90_000) {
  const admin = kafka.admin();
  await admin.connect();
  const until = Date.now() + deadlineMs;

  try {
    for (;;) {
      const lag = await groupLag(admin, topic, groupId);
      if (lag.every((partition) => partition.lag === 0)) {
        return;
      }
      if (Date.now() > until) {
        throw new Error(`group ${groupId} still lags on ${topic}: ${JSON.stringify(lag)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}

export function groupLag(
  admin: ReturnType<Kafka['admin']>,
  topic: string,
  groupId: string,
): Promise<PartitionLag[]> {
  return readGroupLag(admin, groupId, topic);
}

export function listKeys(bucket: string, prefix: string): Promise<string[]> {
  return listKeysIn(s3, bucket, prefix);
}

export async function readJson<T = Record<string, unknown>>(
  bucket: string,
  key: string,
): Promise<T> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await (response.Body?.transformToString() ?? '')) as T;
}

export { S3Client };

/** The variables a worker process needs to use a test lake. */
export function workerEnv(lake: TestLake, extra: Record<string, string> = {}) {
  return {
    KAFKA_BROKERS: endpoints.brokers.join(','),
    KAFKA_TOPIC: lake.topic,
    S3_BUCKET: lake.bucket,
    ...endpoints.s3,
    WORKER_GROUP_PREFIX: lake.groupPrefix,
    WORKER_SESSION_TIMEOUT_MS: '10000',
    WORKER_HEARTBEAT_INTERVAL_MS: '1000',
    // Workers serve /metrics: a free port each, never the default another process holds.
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export type WorkerProcess = EntryProcess;

/** `workers/main.ts` as a real process, as `npm run worker` starts it; killed at test end. */
export function spawnWorker(args: string[], env: Record<string, string>): WorkerProcess {
  return spawnEntry('workers/main.ts', args, env);
}

/** Polls until `check` holds; the deadline only turns a hang into a readable failure. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  deadlineMs = 90_000,
): Promise<void> {
  const until = Date.now() + deadlineMs;

  while (!(await check())) {
    if (Date.now() > until) {
      throw new Error(`gave up waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Objects under a prefix; 0 while the worker has not created the bucket yet. */
export async function countKeys(bucket: string, prefix: string): Promise<number> {
  try {
    return (await listKeys(bucket, prefix)).length;
  } catch (error) {
    if ((error as Error).name === 'NoSuchBucket') {
      return 0;
    }
    throw error;
  }
}
