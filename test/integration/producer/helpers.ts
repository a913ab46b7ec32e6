import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { localEndpoints } from '../../../infra/endpoints.ts';
import type { Logger } from '../../../shared/logging/logger.ts';
import { uniqueName } from '../../helpers/unique.ts';

export const brokers = localEndpoints().brokers;

export interface ConsumedMessage {
  key: string;
  value: unknown;
  headers: Record<string, string>;
  partition: number;
}

/** Reads a topic from the earliest offset until `count` messages have arrived. */
export async function consumeAll(topic: string, count: number): Promise<ConsumedMessage[]> {
  const kafka = new Kafka({ clientId: 'producer-test', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('producer-test') });
  const messages: ConsumedMessage[] = [];

  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${messages.length}/${count} in ${topic}`)),
        60_000,
      );
      consumer
        .run({
          eachMessage: async ({ message, partition }) => {
            messages.push({
              key: String(message.key),
              value: JSON.parse(String(message.value)),
              headers: Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
              ),
              partition,
            });
            if (messages.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }

  return messages;
}

/** A pino logger whose JSON lines a test can read back. */
export function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });

  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  return { logger: pino({ level: 'debug' }, sink), lines };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the producer's CLI as a user would; `onStart` gets the child, e.g. to signal it. */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string>;
    onStart?: (child: ReturnType<typeof spawn>) => void;
  } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'producer/main.ts', ...args], {
    env: { ...process.env, KAFKA_BROKERS: brokers.join(','), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  options.onStart?.(child);

  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const fixture = (name: string) => `test/fixtures/strava/${name}`;
