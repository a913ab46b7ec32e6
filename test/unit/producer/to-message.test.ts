import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../../producer/csv-records.ts';
import { messageContext, toKafkaMessage } from '../../../producer/to-message.ts';
import { FORMAT_VERSION, HEADER } from '../../../shared/activity/message.ts';

const run = 'b9f7c1de-0000-4000-8000-000000000000';

describe('toKafkaMessage', () => {
  it('keys a record by its activity id and keeps both copies of a duplicated header', () => {
    const context = messageContext('a.csv', run, ['Activity ID', 'Distance', 'Distance']);

    const message = toKafkaMessage(
      { kind: 'record', line: 7, values: ['42', '9.75', '9749.0'] },
      context,
    );

    expect(message.key).toBe('42');
    expect(JSON.parse(String(message.value))).toEqual({
      kind: 'record',
      source: { file: 'a.csv', line: 7 },
      fields: { 'Activity ID': '42', Distance: '9.75', 'Distance (2)': '9749.0' },
    });
    expect(message.headers).toEqual({
      [HEADER.sourceFile]: 'a.csv',
      [HEADER.line]: '7',
      [HEADER.runId]: run,
      [HEADER.formatVersion]: FORMAT_VERSION,
      [HEADER.kind]: 'record',
    });
  });

  it.each([
    ['plain names', ['Activity ID', 'Name', 'Distance', 'Distance']],
    ['names an object would move or drop', ['Activity ID', '2', '__proto__', '1', 'toString']],
  ])('writes every field in file order, with %s', (_case, header) => {
    const values = header.map((_name, index) => `v${index} "quoted" \\ é\n`);
    const context = messageContext('a.csv', run, header);

    const text = String(toKafkaMessage({ kind: 'record', line: 3, values }, context).value);

    const keyPositions = context.fieldNames.map((name) => text.indexOf(`${JSON.stringify(name)}:`));
    expect(keyPositions).not.toContain(-1);
    expect(keyPositions).toEqual([...keyPositions].sort((a, b) => a - b));
    const fields = JSON.parse(text).fields;
    for (const [index, name] of context.fieldNames.entries()) {
      expect(Object.getOwnPropertyDescriptor(fields, name)?.value).toBe(values[index]);
    }
  });

  it('writes the same bytes whether the fields go through an object or are concatenated', () => {
    const header = readFileSync('test/fixtures/strava/en-us-long-103.csv', 'utf-8').split('\n')[0];
    const context = messageContext('a.csv', run, header?.split(',') ?? []);
    const values = context.fieldNames.map((_name, index) =>
      ['', '0', 'é "q" \\', 'line\r\nbreak', '🏊 \u2028', '\ud800 lone', `${index}`].at(index % 7),
    );
    const row: SourceRow = { kind: 'record', line: 12, values: values as string[] };

    const viaObject = toKafkaMessage(row, context).value;
    const concatenated = toKafkaMessage(row, { ...context, fieldsOf: undefined }).value;

    expect(context.fieldsOf).toBeDefined();
    expect(String(viaObject)).toBe(String(concatenated));
  });

  it.each([
    ['legacy', ['id', 'type'], '1103007556'],
    ['Spanish', ['Id. de actividad', 'Tipo de actividad'], '1103007556'],
    ['Dutch', ['Activiteits-ID', 'Activiteitstype'], '1103007556'],
  ])('keys a %s record by its id column', (_name, header, expected) => {
    const context = messageContext('a.csv', run, header);

    const message = toKafkaMessage(
      { kind: 'record', line: 2, values: ['1103007556', 'Run'] },
      context,
    );

    expect(message.key).toBe(expected);
  });

  it('keys a record without an id column by a stable uuid of its content', () => {
    const context = messageContext('a.csv', run, ['Activity Type', 'Distance']);
    const row: SourceRow = { kind: 'record', line: 2, values: ['Run', '5.0'] };

    const first = toKafkaMessage(row, context);
    const again = toKafkaMessage(
      row,
      messageContext('b.csv', 'other-run', ['Activity Type', 'Distance']),
    );

    expect(first.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.key).toBe(first.key);
  });

  it('marks an unparseable row and keeps its raw text and reason', () => {
    const context = messageContext('a.csv', run, ['Activity ID']);

    const message = toKafkaMessage(
      { kind: 'unparseable', line: 9, raw: '1,"x', reason: 'Quote Not Closed' },
      context,
    );

    expect(JSON.parse(String(message.value))).toEqual({
      kind: 'unparseable',
      source: { file: 'a.csv', line: 9 },
      raw: '1,"x',
      reason: 'Quote Not Closed',
    });
    expect(message.headers?.[HEADER.kind]).toBe('unparseable');
  });
});
