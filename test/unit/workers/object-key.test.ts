import { describe, expect, it } from 'vitest';
import { objectKey, rejectedKey } from '../../../workers/object-key.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('objectKey', () => {
  it.each([
    { key: '15432109876', expected: 'bici/15432109876.json' },
    { key: 'abc_DEF-123', expected: 'bici/abc_DEF-123.json' },
    { key: 'a'.repeat(128), expected: `bici/${'a'.repeat(128)}.json` },
  ])('uses a plain key "$key" as it is', ({ key, expected }) => {
    expect(objectKey('bici/', key)).toBe(expected);
  });

  it.each([
    '../../etc/passwd',
    '../carrera/1',
    'a/b',
    '/abs',
    'with space',
    'Natación',
    '🏊‍♀️',
    'dot.dot',
    '..',
    '',
    'a'.repeat(129),
    'x\u0000y',
    'back\\slash',
  ])('turns key %j into a uuid v5 name inside the prefix', (key) => {
    const name = objectKey('bici/', key);

    const id = name.slice('bici/'.length, -'.json'.length);
    expect(name.startsWith('bici/')).toBe(true);
    expect(id).toMatch(UUID);
  });

  it('gives the same key the same name every time, and different keys different names', () => {
    const first = objectKey('bici/', '../x');
    const again = objectKey('bici/', '../x');
    const other = objectKey('bici/', '../y');

    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });
});

describe('rejectedKey', () => {
  it('names a rejected message by topic, partition and offset only', () => {
    expect(rejectedKey('datos_strava', 3, '1042')).toBe('_rejected/datos_strava/3-1042.json');
  });
});
