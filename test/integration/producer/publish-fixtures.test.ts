import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { runProducer } from '../../../producer/run-producer.ts';
import { uniqueFieldNames } from '../../../shared/activity/field-names.ts';
import { FORMAT_VERSION, HEADER, type RecordMessage } from '../../../shared/activity/message.ts';
import { createLogger } from '../../../shared/logging/logger.ts';
import { uniqueName } from '../../helpers/unique.ts';
import { brokers, consumeAll, fixture } from './helpers.ts';

const FIXTURES = [
  { name: 'en-us-long-103.csv', rows: 18, encoding: 'utf-8', delimiter: ',' },
  { name: 'es-419-long-103.csv', rows: 14, encoding: 'utf-8', delimiter: ',' },
  { name: 'en-legacy-10.csv', rows: 10, encoding: 'utf-8', delimiter: ',' },
  { name: 'en-87-translation-missing.csv', rows: 13, encoding: 'utf-8', delimiter: ',' },
  { name: 'nl-long-99.csv', rows: 13, encoding: 'utf-8', delimiter: ',' },
  {
    name: 'derived-es-excel-semicolon-cp1252.csv',
    rows: 14,
    encoding: 'windows-1252',
    delimiter: ';',
  },
] as const;

const logger = createLogger('producer-test', 'silent');

/** The fixture read whole by csv-parse, independently of the producer's streaming path. */
function expectedRecords(name: string, encoding: string, delimiter: string) {
  const text = iconv.decode(readFileSync(fixture(name)), encoding);
  const [header = [], ...rows] = parse(text, { delimiter, bom: true }) as string[][];
  const names = uniqueFieldNames(header);

  return rows.map((values) => Object.fromEntries(names.map((field, i) => [field, values[i]])));
}

async function publish(name: string, topic: string) {
  return runProducer({
    file: fixture(name),
    topic,
    brokers,
    partitions: 3,
    encoding: 'auto',
    delimiter: 'auto',
    dryRun: false,
    logger,
  });
}

describe('publishing the six fixtures', () => {
  it.each(FIXTURES)(
    'puts every row of $name on the topic with its exact text, key and headers',
    async ({ name, rows, encoding, delimiter }) => {
      const topic = uniqueName('fixture');

      const summary = await publish(name, topic);
      const messages = await consumeAll(topic, rows);

      expect(summary).toMatchObject({ rowsRead: rows, published: rows, unparseable: 0 });
      expect(messages).toHaveLength(rows);
      const byKey = new Map(messages.map((message) => [message.key, message]));
      const fileLines = iconv.decode(readFileSync(fixture(name)), encoding).split('\n');
      for (const fields of expectedRecords(name, encoding, delimiter)) {
        const id = Object.values(fields)[0] ?? '';
        const message = byKey.get(id);
        const value = message?.value as RecordMessage;
        expect(value.kind).toBe('record');
        expect(value.fields).toEqual(fields);
        expect(Object.keys(value.fields)).toEqual(Object.keys(fields));
        expect(message?.headers).toEqual({
          [HEADER.sourceFile]: name,
          [HEADER.line]: String(value.source.line),
          [HEADER.runId]: summary.runId,
          [HEADER.formatVersion]: FORMAT_VERSION,
          [HEADER.kind]: 'record',
        });
        expect(fileLines[value.source.line - 1]?.startsWith(id)).toBe(true);
      }
    },
  );

  it('keeps both copies of each duplicated header, commas, quotes and CRLF inside fields', async () => {
    const topic = uniqueName('fixture-en');

    await publish('en-us-long-103.csv', topic);
    const messages = await consumeAll(topic, 18);

    const values = messages.map((message) => (message.value as RecordMessage).fields);
    const swim = values.find((fields) => fields.Distance === '1,850');
    expect(swim?.['Distance (2)']).toBe('1850.0');
    for (const name of [
      'Elapsed Time',
      'Distance',
      'Max Heart Rate',
      'Relative Effort',
      'Commute',
    ]) {
      expect(values.every((fields) => name in fields && `${name} (2)` in fields)).toBe(true);
    }
    expect(
      values.some((fields) => Object.values(fields).some((text) => text.includes('\r\n'))),
    ).toBe(true);
    expect(values.some((fields) => (fields['Activity Name'] ?? '').includes('"'))).toBe(true);
  });

  it('reads the Windows-1252 semicolon file to the same activity types as its UTF-8 original', async () => {
    const topic = uniqueName('fixture-cp1252');

    const original = await publish('es-419-long-103.csv', topic);
    const resaved = await publish('derived-es-excel-semicolon-cp1252.csv', topic);
    const messages = await consumeAll(topic, 28);

    expect(resaved.activityTypes).toEqual(original.activityTypes);
    expect(resaved.activityTypes.Natación).toBe(3);
    const types = messages.map((m) => (m.value as RecordMessage).fields['Tipo de actividad']);
    expect(types.filter((type) => type === 'Natación')).toHaveLength(6);
  });

  it('gives the same keys when the same file is published again', async () => {
    const topic = uniqueName('fixture-again');

    const first = await publish('nl-long-99.csv', topic);
    const second = await publish('nl-long-99.csv', topic);
    const messages = await consumeAll(topic, 26);

    const keysOf = (runId: string) =>
      messages
        .filter((message) => message.headers[HEADER.runId] === runId)
        .map((message) => message.key)
        .sort();
    expect(keysOf(first.runId)).toHaveLength(13);
    expect(keysOf(second.runId)).toEqual(keysOf(first.runId));
  });
});
