import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { loadInfraSettings, localEndpoints } from '../infra/endpoints.ts';
import { infraPaths } from '../infra/paths.ts';
import { readCsvRecords } from '../producer/csv-records.ts';
import type { RunSummary } from '../producer/summary.ts';
import { messageContext, toKafkaMessage } from '../producer/to-message.ts';
import { generateExport, rowsForBytes } from './generate-export.ts';

/**
 * `npm run bench`: the producer on a generated 200,000-row export against Kafka's own
 * ProducerPerformance at the same record count and size, then peak memory on a ~1 GB
 * file. The machine is shared with the broker and other test runs, so each round runs
 * the two back to back and the figure is the median of three rounds' ratios. Figures go
 * to bench/results/producer.json.
 */
const ROWS = 200_000;
const ROUNDS = 3;
const BIG_BYTES = Number(process.argv[2] ?? 1024 ** 3);
const brokers = localEndpoints().brokers;
const folder = mkdtempSync(join(tmpdir(), 'bench-producer-'));
const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const topics: string[] = [];

/** The producer as `npm run produce` runs it; BENCH_PRODUCER overrides, e.g. for a before/after. */
const PRODUCER = (process.env.BENCH_PRODUCER ?? 'npm run --silent produce --').split(' ');

function topicName(label: string): string {
  const name = `bench-${label}-${Date.now().toString(36)}`;
  topics.push(name);
  return name;
}

function run(command: string, args: string[], env = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

async function produce(file: string, label: string): Promise<RunSummary> {
  const [command = 'npm', ...args] = PRODUCER;
  const stdout = await run(
    command,
    [...args, file, '--topic', topicName(label), '--progress', 'none'],
    { KAFKA_BROKERS: brokers.join(','), LOG_LEVEL: 'info' },
  );
  const line = stdout.split('\n').find((text) => text.includes('"msg":"summary"'));
  return JSON.parse(line ?? '{}') as RunSummary;
}

/** Average size of the message values the producer writes for this file. */
async function averageValueBytes(file: string, sample = 5000): Promise<number> {
  const csv = await readCsvRecords(createReadStream(file, 'utf-8'), ',', file);
  if (!csv) throw new Error(`${file} has no header`);
  const context = messageContext('bench.csv', 'run', csv.header.cells);
  let bytes = 0;
  let count = 0;
  for await (const batch of csv.rows) {
    for (const row of batch) {
      bytes += Buffer.byteLength(toKafkaMessage(row, context).value ?? '');
      count++;
    }
    if (count >= sample) break;
  }
  return Math.round(bytes / count);
}

async function kafkaToolRate(records: number, recordSize: number): Promise<number> {
  const topic = topicName('perf-tool');
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const out = await run('java', [
    '-Xmx512m',
    '-cp',
    `${infraPaths(loadInfraSettings()).kafkaLib}/*`,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${brokers.join(',')}`,
    'acks=all',
    'enable.idempotence=true',
  ]);
  const line = out.trim().split('\n').at(-1) ?? '';
  return Number(/([\d.]+) records\/sec/.exec(line)?.[1]);
}

interface Round {
  producerRowsPerSecond: number;
  producerPeakRssMB: number;
  kafkaToolRecordsPerSecond: number;
  ratio: number;
}

/** One producer run and one Kafka tool run back to back, so both see the same load. */
async function round(file: string, recordSize: number): Promise<Round> {
  const ours = await produce(file, 'producer');
  const producerRowsPerSecond = Math.round(ours.published / (ours.elapsedMs / 1000));
  const kafkaToolRecordsPerSecond = Math.round(await kafkaToolRate(ROWS, recordSize));
  const ratio = Number((producerRowsPerSecond / kafkaToolRecordsPerSecond).toFixed(3));

  return {
    producerRowsPerSecond,
    producerPeakRssMB: mb(ours.peakRssBytes),
    kafkaToolRecordsPerSecond,
    ratio,
  };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main() {
  await admin.connect();
  try {
    const file = join(folder, 'rows-200k.csv');
    const fileBytes = await generateExport(file, ROWS);
    const recordSize = await averageValueBytes(file);
    const rounds: Round[] = [];
    for (let index = 0; index < ROUNDS; index++) {
      rounds.push(await round(file, recordSize));
      process.stderr.write(`round ${index + 1}: ${JSON.stringify(rounds.at(-1))}\n`);
    }
    rmSync(file);

    const bigFile = join(folder, 'big.csv');
    const bigRows = rowsForBytes(BIG_BYTES);
    const bigBytes = await generateExport(bigFile, bigRows);
    const big = await produce(bigFile, 'producer-big');
    rmSync(bigFile);

    const results = {
      date: new Date().toISOString(),
      machine: `${process.platform} ${process.arch}, node ${process.version}`,
      producerCommand: PRODUCER.join(' '),
      rows: ROWS,
      fileBytes,
      averageValueBytes: recordSize,
      median: {
        producerRowsPerSecond: median(rounds.map((r) => r.producerRowsPerSecond)),
        kafkaToolRecordsPerSecond: median(rounds.map((r) => r.kafkaToolRecordsPerSecond)),
        ratio: median(rounds.map((r) => r.ratio)),
        producerPeakRssMB: median(rounds.map((r) => r.producerPeakRssMB)),
      },
      rounds,
      bigFile: {
        bytes: bigBytes,
        rows: bigRows,
        rowsPerSecond: Math.round(big.published / (big.elapsedMs / 1000)),
        peakRssMB: mb(big.peakRssBytes),
        published: big.published,
      },
    };
    const output = process.env.BENCH_OUTPUT ?? 'bench/results/producer.json';
    writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await admin.deleteTopics({ topics }).catch(() => {});
    await admin.disconnect();
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
