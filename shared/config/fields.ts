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
