import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../../shared/sports/classify.ts';
import { SPORTS, type Sport } from '../../../shared/sports/registry.ts';
import { decodeValue } from '../../../workers/decode.ts';
import { planBatch } from '../../../workers/plan-batch.ts';

const bici = SPORTS.find((sport) => sport.id === 'bici') as Sport;
const context = { sport: bici, classifier: createClassifier(SPORTS), topic: 't', partition: 2 };

function message(offset: number, key: string | null, value: string | null): KafkaMessage {
  return {
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    headers: { 'run-id': 'run-1' },
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
    size: 0,
  } as KafkaMessage;
}

function record(fields: Record<string, string>) {
  return JSON.stringify({ kind: 'record', source: { file: 'a.csv', line: 2 }, fields });
}

describe('decodeValue', () => {
  it.each([
    { value: null, reason: 'not-a-record' },
    { value: '', reason: 'not-a-record' },
    { value: 'not json {', reason: 'not-json' },
    { value: '[1,2]', reason: 'not-a-record' },
    { value: '"text"', reason: 'not-a-record' },
    { value: '{"kind":"other"}', reason: 'not-a-record' },
    {
      value: '{"kind":"record","source":{"file":"a","line":1},"fields":{"a":1}}',
      reason: 'not-a-record',
    },
    { value: '{"kind":"record","fields":{}}', reason: 'not-a-record' },
    {
      value: '{"kind":"unparseable","source":{"file":"a","line":1},"raw":"x","reason":"bad"}',
      reason: 'unparseable',
    },
  ])('rejects $value as $reason', ({ value, reason }) => {
    const decoded = decodeValue(value === null ? null : Buffer.from(value));

    expect(decoded).toMatchObject({ kind: 'rejected', reason });
  });

  it('accepts a record of the contract', () => {
    const decoded = decodeValue(Buffer.from(record({ 'Activity Type': 'Ride' })));

    expect(decoded.kind).toBe('record');
  });
});

describe('planBatch', () => {
  it('keeps the sport, skips other sports and rejects what is not a record', () => {
    const messages = [
      message(10, '1', record({ 'Activity ID': '1', 'Activity Type': 'Ride' })),
      message(11, '2', record({ 'Activity ID': '2', 'Activity Type': 'Run' })),
      message(12, 'x', 'garbage'),
      message(13, '3', record({ 'Activity ID': '3', 'Activity Name': 'Ride' })),
    ];

    const plan = planBatch(messages, context);

    expect(plan.counts).toEqual({ stored: 1, skipped: 1, rejected: 2 });
    expect(plan.objects.map((object) => object.key)).toEqual([
      'bici/1.json',
      '_rejected/t/2-12.json',
      '_rejected/t/2-13.json',
    ]);
  });

  it('writes the whole record, the type as written and the provenance', () => {
    const fields = { 'Activity ID': '7', 'Activity Type': 'Vuelta\u00a0ciclista', Distance: '9,8' };

    const [object] = planBatch([message(5, '7', record(fields))], context).objects;

    expect(JSON.parse(object?.body ?? '{}')).toEqual({
      sport: 'bici',
      activityType: 'Vuelta\u00a0ciclista',
      key: '7',
      record: fields,
      provenance: { file: 'a.csv', line: 2, topic: 't', partition: 2, offset: '5', runId: 'run-1' },
    });
  });

  it('writes one object when the same activity comes twice in a slice', () => {
    const value = record({ 'Activity ID': '1', 'Activity Type': 'Ride' });

    const plan = planBatch([message(1, '1', value), message(2, '1', value)], context);

    expect(plan.objects).toHaveLength(1);
    expect(plan.counts.stored).toBe(2);
  });

  it('names a record without a Kafka key by the uuid of its values, as the producer keys it', () => {
    const value = record({ 'Activity Type': 'Ride', 'Activity Name': 'sin id' });

    const first = planBatch([message(1, null, value)], context).objects[0]?.key;
    const again = planBatch([message(9, null, value)], context).objects[0]?.key;

    expect(first).toMatch(/^bici\/[0-9a-f-]{36}\.json$/);
    expect(again).toBe(first);
  });

  it('writes byte-identical rejected objects whichever sport meets the message', () => {
    const poison = [message(4, 'k', 'garbage')];
    const carrera = SPORTS.find((sport) => sport.id === 'carrera') as Sport;

    const fromBici = planBatch(poison, context).objects;
    const fromCarrera = planBatch(poison, { ...context, sport: carrera }).objects;

    expect(fromCarrera).toEqual(fromBici);
  });
});
