import { z } from 'zod';

/** Reusable field types, so every process describes a port or a broker list the same way. */

export const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a TCP port number' })
    .int('expected a whole number')
    .min(1, 'expected a port from 1 to 65535')
    .max(65535, 'expected a port from 1 to 65535')
    .default(fallback);

export const positiveInt = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a number' })
    .int('expected a whole number')
    .positive('expected a number above 0')
    .default(fallback);

export const brokerList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => value.split(',').map((broker) => broker.trim()))
    .pipe(
      z.array(
        z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected a comma-separated list of host:port'),
      ),
    );

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'expected one of fatal, error, warn, info, debug, trace, silent',
  })
  .default('info');

export const url = (fallback: string) =>
  z.url({ error: 'expected a URL such as http://host:port' }).default(fallback);

/**
 * Kafka's own rule for topic names: 1 to 249 of `a-z A-Z 0-9 . _ -`, and not `.` or `..`.
 * Checked up front, because the broker's refusal reaches kafkajs as a bare "Topic creation
 * errors" that names neither the topic nor the rule.
 */
export const TOPIC_NAME_RULE =
  'a topic name of 1 to 249 letters, digits, ".", "_" or "-", other than "." and ".."';

export function isTopicName(name: string): boolean {
  return /^[a-zA-Z0-9._-]{1,249}$/.test(name) && name !== '.' && name !== '..';
}

export const topicName = (fallback: string) =>
  z.string().default(fallback).refine(isTopicName, `expected ${TOPIC_NAME_RULE}`);
