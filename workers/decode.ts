import type { IHeaders } from 'kafkajs';
import type { RecordMessage } from '../shared/activity/message.ts';

/** Why a message is not stored under a sport. Stable: it is written into the object. */
export type RejectReason = 'unparseable' | 'not-json' | 'not-a-record' | 'no-type-column';

export type Decoded =
  | { kind: 'record'; message: RecordMessage }
  | { kind: 'rejected'; reason: RejectReason; detail: string };

/**
 * Reads a message value as the producer's contract (`shared/activity/message.ts`) says.
 * Anything else written to the topic is not an error of the worker: it is rejected with a
 * reason, so that the partition moves on.
 */
export function decodeValue(value: Buffer | null): Decoded {
  if (value === null || value.length === 0) {
    return reject('not-a-record', 'the message has no value');
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return reject('not-json', `the value is not JSON: ${(error as Error).message}`);
  }

  return checkShape(parsed);
}

function checkShape(parsed: unknown): Decoded {
  if (!isObject(parsed)) {
    return reject('not-a-record', 'the value is JSON but not an object');
  }

  if (parsed.kind === 'unparseable') {
    const reason = typeof parsed.reason === 'string' ? parsed.reason : 'no reason given';
    return reject('unparseable', `the producer could not parse the row: ${reason}`);
  }

  if (parsed.kind !== 'record') {
    return reject('not-a-record', `expected kind "record", found ${JSON.stringify(parsed.kind)}`);
  }

  if (!isSource(parsed.source) || !isFields(parsed.fields)) {
    return reject('not-a-record', 'expected source {file, line} and fields of text values');
  }

  return { kind: 'record', message: parsed as unknown as RecordMessage };
}

function reject(reason: RejectReason, detail: string): Decoded {
  return { kind: 'rejected', reason, detail };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSource(value: unknown): boolean {
  return isObject(value) && typeof value.file === 'string' && typeof value.line === 'number';
}

function isFields(value: unknown): boolean {
  if (!isObject(value)) {
    return false;
  }

  for (const key in value) {
    if (typeof value[key] !== 'string') {
      return false;
    }
  }
  return true;
}

/** Kafka headers as text; a header kafkajs hands over as a Buffer is decoded as UTF-8. */
export function headersAsText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};

  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) {
      continue;
    }
    text[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }

  return text;
}
