import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { KafkaMessage } from 'kafkajs';
import { localEndpoints } from '../infra/endpoints.ts';
import { runProducer } from '../producer/run-producer.ts';
import { createKafka } from '../shared/kafka/client.ts';
import { createLogger } from '../shared/logging/logger.ts';
import { createS3Client } from '../shared/s3/client.ts';
import { createClassifier } from '../shared/sports/classify.ts';
import type { Sport } from '../shared/sports/registry.ts';
import { uniqueName } from '../test/helpers/unique.ts';
import { planBatch } from '../workers/plan-batch.ts';
import { readExport } from '../workers/read-export.ts';
import { runWorker } from '../workers/run-worker.ts';
import { generateExport } from './generate-export.ts';

/**
 * `npm run bench:worker`: on the producer benchmark's 200,000-row file, how fast one worker
 * skips (keeps nothing) and stores (keeps everything), against the S3 server's own PUT
 * ceiling measured with the same object size and concurrency. Writes bench/results/worker.json.
 */
const ROWS = 200_000;
const CONCURRENCY = 64;
const CEILING_PUTS = 20_000;
const RESULTS = new URL('./results/worker.json', import.meta.url);
/** `--skip-only` (no store run, a few minutes shorter) writes its figures here. */
const SKIP_RESULTS = new URL('./results/worker-skip.json', import.meta.url);

const endpoints = localEndpoints();
const logger = createLogger('bench-worker', 'warn');
const kafka = createKafka({ clientId: 'bench-worker', brokers: endpoints.brokers, logger });
const s3 = createS3Client(endpoints.s3);
const folder = mkdtempSync(join(tmpdir(), 'bench-worker-'));

async function main(): Promise<void> {
  const file = join(folder, 'activities.csv');
  await generateExport(file, ROWS);
  const labels = await activityTypes(file);
  const topic = uniqueName('bench-worker');

  try {
    await benchmark(file, labels, topic);
  } finally {
    await deleteTopic(topic);
  }
}

async function benchmark(file: string, labels: string[], topic: string): Promise<void> {
  await runProducer({
    file,
    topic,
    brokers: endpoints.brokers,
    partitions: 6,
    encoding: 'auto',
    delimiter: 'auto',
    dryRun: false,
    logger,
  });

  const nothing: Sport = { id: 'nada', label: 'Nada', activityTypes: ['-'], prefix: 'nada/' };
  const everything: Sport = { id: 'todo', label: 'Todo', activityTypes: labels, prefix: 'todo/' };
  const planning = await measurePlanning(file, everything);
  // Three rounds each, the median reported: two cores shared with the broker are noisy.
  const loopCeiling = median(await repeat(3, () => consumeWithoutWork(topic)));
  const skip = median(await repeat(3, () => consume(topic, nothing)));
  const skipInPool = median(await repeat(3, () => consume(topic, nothing, 1)));
  if (process.argv.includes('--skip-only')) {
    const skipOnly = {
      date: new Date().toISOString(),
      rows: ROWS,
      loopCeiling,
      skip,
      skipInPool,
      planning,
    };
    writeFileSync(SKIP_RESULTS, `${JSON.stringify(skipOnly, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(skipOnly)}\n`);
    return;
  }

  // The ceiling before and after the store run: the server slows as its folder fills.
  const ceilingBefore = await putCeiling(2_500);
  const store = await consume(topic, everything);
  const ceilingAfter = await putCeiling(store.averageBodyBytes);
  const ceiling =
    ceilingBefore.putsPerSecond > ceilingAfter.putsPerSecond ? ceilingBefore : ceilingAfter;

  const results = {
    date: new Date().toISOString(),
    machine: `${process.platform} ${process.arch}, node ${process.version}`,
    rows: ROWS,
    s3Concurrency: CONCURRENCY,
    consumerLoopCeiling: loopCeiling,
    skip: { messagesPerSecond: skip.perSecond, elapsedMs: skip.elapsedMs, roundsMs: skip.roundsMs },
    skipWithPiscinaThread: {
      messagesPerSecond: skipInPool.perSecond,
      elapsedMs: skipInPool.elapsedMs,
      roundsMs: skipInPool.roundsMs,
    },
    store: {
      activitiesPerSecond: store.perSecond,
      elapsedMs: store.elapsedMs,
      averageBodyBytes: store.averageBodyBytes,
    },
    putCeiling: { before: ceilingBefore, after: ceilingAfter },
    storeRatio: round(store.perSecond / ceiling.putsPerSecond),
    planning,
    targets: { skipMessagesPerSecond: 50_000, storeRatio: 0.7 },
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

/** The benchmark's topic holds ~500 MB: it goes when the run ends, however it ends. */
async function deleteTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
}

async function activityTypes(file: string): Promise<string[]> {
  const classifier = createClassifier([]);
  const labels = new Set<string>();

  for await (const row of readExport(file)) {
    if (row.kind !== 'record') continue;
    const classification = classifier.classify(row.message.fields);
    if (classification.kind === 'typed') labels.add(classification.activityType);
  }

  return [...labels];
}

/** Runs one worker over the full topic; the clock runs from its first to its last message. */
async function consume(topic: string, sport: Sport, planThreads = 0) {
  const bucket = uniqueName('bench-lake');
  const worker = await runWorker({
    sportId: sport.id,
    registry: [sport],
    kafka,
    s3,
    topic,
    bucket,
    logger,
    sessionTimeoutMs: 30_000,
    heartbeatIntervalMs: 3_000,
    s3Concurrency: CONCURRENCY,
    backoff: { initialMs: 200, maxMs: 5_000 },
    shutdownGraceMs: 5_000,
    planThreads,
    groupPrefix: `${uniqueName('bench')}-`,
  });

  const handled = () => worker.counts.stored + worker.counts.skipped + worker.counts.rejected;
  while (handled() === 0) await sleep(5);
  const started = performance.now() - 0;
  const startCount = handled();
  while (handled() < ROWS) await sleep(20);
  const elapsedMs = performance.now() - started;
  await worker.stop();

  const averageBodyBytes = sport.id === 'todo' ? await averageObjectBytes(bucket) : 0;
  await deleteBucket(s3, bucket);

  return {
    perSecond: Math.round(((ROWS - startCount) / elapsedMs) * 1000),
    elapsedMs: Math.round(elapsedMs),
    averageBodyBytes,
  };
}

/**
 * The same kafkajs consumer settings with an eachBatch that only resolves and commits: how
 * fast this machine can fetch and decode the topic at all, with no classification.
 */
async function consumeWithoutWork(topic: string) {
  const consumer = kafka.consumer({
    groupId: uniqueName('bench-loop'),
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxBytes: 32 * 1024 * 1024,
  });
  let handled = 0;
  let started = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    autoCommitInterval: 1_000,
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
      if (started === 0) started = performance.now();
      handled += batch.messages.length;
      resolveOffset(batch.lastOffset());
      await heartbeat();
      await commitOffsetsIfNecessary();
    },
  });

  while (handled < ROWS) await sleep(20);
  const elapsedMs = performance.now() - started;
  await consumer.disconnect();

  return {
    messagesPerSecond: Math.round((ROWS / elapsedMs) * 1000),
    elapsedMs: Math.round(elapsedMs),
  };
}

/** The S3 server's own ceiling: PUTs of the same size, same concurrency, nothing else. */
async function putCeiling(bodyBytes: number) {
  const bucket = uniqueName('bench-ceiling');
  const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const body = 'x'.repeat(bodyBytes);
  let next = 0;

  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CEILING_PUTS) {
        const key = `ceiling/${next++}.json`;
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      }
    }),
  );
  const elapsedMs = performance.now() - started;

  await deleteBucket(s3, bucket);
  return {
    putsPerSecond: Math.round((CEILING_PUTS / elapsedMs) * 1000),
    puts: CEILING_PUTS,
    bodyBytes,
  };
}

/**
 * Decoding and classifying alone, on the main thread: if it costs a small share of the
 * loop's time per message, moving it to a piscina pool cannot speed the loop up.
 */
async function measurePlanning(file: string, sport: Sport) {
  const messages: KafkaMessage[] = [];
  for await (const row of readExport(file)) {
    if (row.kind !== 'record' || messages.length >= 50_000) continue;
    messages.push({
      key: Buffer.from(row.key),
      value: Buffer.from(JSON.stringify(row.message)),
      headers: {},
      offset: String(messages.length),
      timestamp: '0',
      attributes: 0,
      size: 0,
    } as KafkaMessage);
  }
  const context = { classifier: createClassifier([sport]), topic: 't', partition: 0 };
  const nothing: Sport = { ...sport, id: 'nada', activityTypes: ['-'] };

  const skipMs = time(() => planAll(messages, { ...context, sport: nothing }));
  const storeMs = time(() => planAll(messages, { ...context, sport }));

  return {
    messages: messages.length,
    skipMicrosecondsPerMessage: round((skipMs * 1000) / messages.length),
    storeMicrosecondsPerMessage: round((storeMs * 1000) / messages.length),
  };
}

function planAll(messages: KafkaMessage[], context: Parameters<typeof planBatch>[1]) {
  for (let start = 0; start < messages.length; start += 500) {
    planBatch(messages.slice(start, start + 500), context);
  }
}

function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

async function averageObjectBytes(bucket: string): Promise<number> {
  let total = 0;
  let count = 0;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    for (const object of page.Contents ?? []) {
      total += object.Size ?? 0;
      count++;
    }
  }
  return count === 0 ? 0 : Math.round(total / count);
}

async function deleteBucket(client: S3Client, bucket: string): Promise<void> {
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket })) {
    const objects = (page.Contents ?? []).map((object) => ({ Key: object.Key as string }));
    if (objects.length > 0) {
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
    }
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => {});
}

async function repeat<T>(times: number, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let round = 0; round < times; round++) results.push(await run());
  return results;
}

function median<T extends { elapsedMs: number }>(results: T[]): T & { roundsMs: number[] } {
  const sorted = [...results].sort((a, b) => a.elapsedMs - b.elapsedMs);
  const middle = sorted[Math.floor(sorted.length / 2)] as T;
  return { ...middle, roundsMs: results.map((result) => result.elapsedMs) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(folder, { recursive: true, force: true }));
