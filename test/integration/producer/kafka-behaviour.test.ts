import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport } from '../../../bench/generate-export.ts';
import { runProducer } from '../../../producer/run-producer.ts';
import { createLogger } from '../../../shared/logging/logger.ts';
import { uniqueName } from '../../helpers/unique.ts';
import { brokers, capturingLogger, consumeAll, fixture, runCli } from './helpers.ts';

const folder = mkdtempSync(join(tmpdir(), 'producer-kafka-'));
const rows40 = join(folder, 'rows-40.csv');
const rows200 = join(folder, 'rows-200.csv');
const admin = new Kafka({ clientId: 'producer-test', brokers, logLevel: logLevel.NOTHING }).admin();

beforeAll(async () => {
  await Promise.all([generateExport(rows40, 40), generateExport(rows200, 200), admin.connect()]);
});

afterAll(async () => {
  await admin.disconnect();
  rmSync(folder, { recursive: true, force: true });
});

const options = (file: string, topic: string) => ({
  file,
  topic,
  brokers,
  partitions: 6,
  encoding: 'auto' as const,
  delimiter: 'auto' as const,
  dryRun: false,
  logger: createLogger('producer-test', 'silent'),
});

describe('the producer and the Kafka topic', () => {
  it('creates a missing topic with the asked partitions and no time-based deletion', async () => {
    const topic = uniqueName('created');

    await runProducer(options(fixture('en-legacy-10.csv'), topic));

    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const configs = await admin.describeConfigs({
      resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }],
      includeSynonyms: false,
    });
    expect(metadata.topics[0]?.partitions).toHaveLength(6);
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('-1');
  });

  it('warns and uses an existing topic with fewer partitions than asked', async () => {
    const topic = uniqueName('fewer');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const { logger, lines } = capturingLogger();

    const summary = await runProducer({ ...options(fixture('en-legacy-10.csv'), topic), logger });
    const messages = await consumeAll(topic, 10);

    const warning = lines().find((line) => line.msg === 'topic has fewer partitions than asked');
    expect(warning).toMatchObject({ level: 40, topic, partitions: 2, asked: 6 });
    expect(summary.notes.join()).toContain(`topic ${topic} exists with 2 partitions`);
    expect(new Set(messages.map((message) => message.partition))).toEqual(new Set([0, 1]));
  });

  it('replays 40 rows at --rate 20 in about two seconds', async () => {
    const topic = uniqueName('rate');
    const startedAt = performance.now();

    const summary = await runProducer({ ...options(rows40, topic), rate: 20 });

    expect(summary.published).toBe(40);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(1800);
  });

  it('exits 3 saying how many rows were acknowledged when Kafka cannot be reached', async () => {
    const result = await runCli([fixture('en-legacy-10.csv'), '--brokers', '127.0.0.1:1']);

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /Kafka at 127\.0\.0\.1:1 failed while publishing .*en-legacy-10\.csv/,
    );
    expect(result.stderr).toMatch(/0 rows were acknowledged before it stopped/);
  });

  it('publishes nothing and needs no Kafka for a header without rows', async () => {
    const path = join(folder, 'header-only.csv');
    writeFileSync(path, 'Activity ID,Activity Type\n');

    const result = await runCli([path, '--brokers', '127.0.0.1:1']);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/header-only\.csv has a header but no rows/);
  });

  it('on Ctrl-C while Kafka cannot be reached stops at once with the summary and exits 130', async () => {
    const result = await runCli([fixture('en-legacy-10.csv'), '--brokers', '127.0.0.1:1'], {
      onStart: (child) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          if (String(chunk).includes('source opened')) {
            setTimeout(() => child.kill('SIGINT'), 1000);
          }
        });
      },
    });

    // Without the abort it would retry for half a minute and exit 3.
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Interrupted; summary so far:');
    expect(result.stderr).toMatch(/published: +0/);
    // Nothing read yet says nothing about the file: no "header but no rows".
    expect(result.stderr).not.toMatch(/has a header but no rows/);
  });

  it('shows a paced replay advancing row by row, not jumping to the end', async () => {
    const { logger, lines } = capturingLogger();
    const total = statSync(rows200).size;

    await runProducer({
      ...options(rows200, uniqueName('paced-progress')),
      rate: 30,
      progress: 'log',
      logger,
    });

    // The first progress line comes 5 s in, about 150 rows into the 200.
    const first = lines().find((line) => line.msg === 'progress') as
      | { rows: number; bytes: number }
      | undefined;
    expect(first?.rows).toBeGreaterThan(100);
    expect(first?.rows).toBeLessThan(200);
    expect(first?.bytes).toBeGreaterThan(total * 0.4);
    expect(first?.bytes).toBeLessThan(total);
    expect(Number.isInteger(first?.bytes)).toBe(true);
  });

  it('on Ctrl-C flushes what is in flight, prints the summary so far and exits 130', async () => {
    const topic = uniqueName('sigint');

    const result = await runCli([rows200, '--topic', topic, '--rate', '20'], {
      onStart: (child) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          if (String(chunk).includes('topic created')) {
            setTimeout(() => child.kill('SIGINT'), 1500);
          }
        });
      },
    });
    const published = Number(/published: +(\d+)/.exec(result.stderr)?.[1]);
    const messages = await consumeAll(topic, published);

    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Interrupted; summary so far:');
    expect(published).toBeGreaterThan(0);
    expect(published).toBeLessThan(200);
    expect(messages).toHaveLength(published);
  });
});
