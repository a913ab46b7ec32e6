import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { localEndpoints } from '../infra/endpoints.ts';
import { kafkaLibDir } from '../infra/kafka-paths.ts';
import { readCsvRecords } from '../producer/csv-records.ts';
import type { RunSummary } from '../producer/summary.ts';
import { messageContext, toKafkaMessage } from '../producer/to-message.ts';
import { generateExport, rowsForBytes } from './generate-export.ts';

/**
 * `npm run bench`: the producer on a generated 200,000-row export against Kafka's own
 * ProducerPerformance at the same record count and size, then peak memory on a ~1 GB
 * file. Figures go to bench/results/producer.json and .md.
 */
const ROWS = 200_000;
const BIG_BYTES = Number(process.argv[2] ?? 1024 ** 3);
const brokers = localEndpoints().brokers;
const folder = mkdtempSync(join(tmpdir(), 'bench-producer-'));
const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const topics: string[] = [];

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
  const stdout = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      'producer/main.ts',
      file,
      '--topic',
      topicName(label),
      '--progress',
      'none',
    ],
    {
      KAFKA_BROKERS: brokers.join(','),
      LOG_LEVEL: 'info',
    },
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
      bytes += Buffer.byteLength(String(toKafkaMessage(row, context).value));
      count++;
    }
    if (count >= sample) break;
  }
  return Math.round(bytes / count);
}

async function kafkaToolRate(
  records: number,
  recordSize: number,
): Promise<{ recordsPerSecond: number; line: string }> {
  const topic = topicName('perf-tool');
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const out = await run('java', [
    '-Xmx512m',
    '-cp',
    `${kafkaLibDir()}/*`,
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
  return { recordsPerSecond: Number(/([\d.]+) records\/sec/.exec(line)?.[1]), line };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function main() {
  await admin.connect();
  try {
    const file = join(folder, 'rows-200k.csv');
    const fileBytes = await generateExport(file, ROWS);
    const recordSize = await averageValueBytes(file);
    const ours = await produce(file, 'producer');
    const oursRate = Math.round(ours.published / (ours.elapsedMs / 1000));
    const tool = await kafkaToolRate(ROWS, recordSize);
    rmSync(file);

    const bigFile = join(folder, 'big.csv');
    const bigRows = rowsForBytes(BIG_BYTES);
    const bigBytes = await generateExport(bigFile, bigRows);
    const big = await produce(bigFile, 'producer-big');
    rmSync(bigFile);

    const results = {
      date: new Date().toISOString(),
      machine: `${process.platform} ${process.arch}, node ${process.version}`,
      rows: ROWS,
      fileBytes,
      averageValueBytes: recordSize,
      producer: {
        rowsPerSecond: oursRate,
        elapsedMs: ours.elapsedMs,
        peakRssMB: mb(ours.peakRssBytes),
      },
      kafkaProducerPerformance: { recordsPerSecond: tool.recordsPerSecond, output: tool.line },
      ratio: Number((oursRate / tool.recordsPerSecond).toFixed(3)),
      bigFile: {
        bytes: bigBytes,
        rows: bigRows,
        rowsPerSecond: Math.round(big.published / (big.elapsedMs / 1000)),
        peakRssMB: mb(big.peakRssBytes),
        published: big.published,
      },
    };
    writeFileSync('bench/results/producer.json', `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await admin.deleteTopics({ topics }).catch(() => {});
    await admin.disconnect();
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
