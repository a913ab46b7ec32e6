import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecordMessage, UnparseableMessage } from '../../../shared/activity/message.ts';
import { uniqueName } from '../../helpers/unique.ts';
import { consumeAll, runCli } from './helpers.ts';

const folder = mkdtempSync(join(tmpdir(), 'producer-bad-input-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

const HEADER = 'Activity ID,Activity Type,Distance,Distance\n';

describe('files the producer refuses, with a message naming the file and what to do', () => {
  it.each([
    [
      'a missing file',
      () => join(folder, 'nope.csv'),
      /nope\.csv cannot be read \(ENOENT\): check the path/,
    ],
    ['a directory', () => folder, /is a directory: pass the activities\.csv file inside it/],
    ['an empty file', () => file('empty.csv', ''), /empty\.csv is empty: expected a header line/],
    [
      'a binary file',
      () =>
        file(
          'image.csv',
          new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
        ),
      /image\.csv looks binary \(a NUL byte at offset 8\)/,
    ],
    [
      'a zip archive',
      () => file('export.zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0])),
      /export\.zip is a zip archive, not a CSV file: extract activities\.csv/,
    ],
  ])('refuses %s and exits 1', async (_name, makePath, message) => {
    const path = makePath();

    const result = await runCli([path, '--topic', uniqueName('bad')]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it('refuses an unknown option value and exits 2', async () => {
    const result = await runCli(['x.csv', '--encoding', 'latin9']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--encoding.*latin9/);
  });
});

describe('files the producer publishes, telling what it found', () => {
  it('exits 0 with zero published for a header with no rows', async () => {
    const path = file('header-only.csv', HEADER);

    const result = await runCli([path, '--topic', uniqueName('header-only')]);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/published: +0/);
    expect(result.stderr).toMatch(/header-only\.csv has a header but no rows/);
  });

  it('decodes a UTF-16 file with a BOM and keeps Natación intact', async () => {
    const text = `\ufeff${HEADER}1,Natación,"1,850",1850.0\n`;
    const path = file('utf16.csv', iconv.encode(text, 'utf-16le'));
    const topic = uniqueName('utf16');

    const result = await runCli([path, '--topic', topic]);
    const [message] = await consumeAll(topic, 1);

    expect(result.code).toBe(0);
    expect((message?.value as RecordMessage | undefined)?.fields).toEqual({
      'Activity ID': '1',
      'Activity Type': 'Natación',
      Distance: '1,850',
      'Distance (2)': '1850.0',
    });
  });

  it('drops the BOM of a UTF-8 file from the first header cell', async () => {
    const path = file('bom.csv', `\ufeff${HEADER}7,Swim,700,700.0\n`);
    const topic = uniqueName('bom');

    const result = await runCli([path, '--topic', topic]);
    const [message] = await consumeAll(topic, 1);

    expect(result.code).toBe(0);
    expect(message?.key).toBe('7');
    expect(Object.keys((message?.value as RecordMessage | undefined)?.fields ?? {})[0]).toBe(
      'Activity ID',
    );
  });

  it('publishes rows with too few, too many fields or an unterminated quote as unparseable', async () => {
    const rows = [
      '1,Run,5.0,5000.0',
      '2,Run,5.0',
      '3,Ride,20.0,20000.0,extra',
      '4,Swim,"1,000",1000.0',
      '5,Run,"5.0,5000.0',
    ];
    const path = file('ragged.csv', `${HEADER}${rows.join('\n')}\n`);
    const topic = uniqueName('ragged');

    const result = await runCli([path, '--topic', topic]);
    const messages = await consumeAll(topic, 5);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/unparseable: +3/);
    expect(result.stderr).toMatch(/ragged\.csv: 3 rows could not be parsed \(first at line 3\)/);
    const broken = messages
      .map((message) => message.value as UnparseableMessage)
      .filter((value) => value.kind === 'unparseable')
      .sort((a, b) => a.source.line - b.source.line);
    expect(broken).toEqual([
      {
        kind: 'unparseable',
        source: { file: 'ragged.csv', line: 3 },
        raw: '2,Run,5.0',
        reason: expect.stringMatching(/expected 4 fields .* got 3/),
      },
      {
        kind: 'unparseable',
        source: { file: 'ragged.csv', line: 4 },
        raw: '3,Ride,20.0,20000.0,extra',
        reason: expect.stringMatching(/expected 4 fields .* got 5/),
      },
      {
        kind: 'unparseable',
        source: { file: 'ragged.csv', line: 6 },
        raw: '5,Run,"5.0,5000.0\n',
        reason: expect.stringMatching(/Quote Not Closed/),
      },
    ]);
    const warnings = result.stdout.split('\n').filter((line) => line.includes('unparseable row'));
    expect(warnings.map((line) => JSON.parse(line).line)).toEqual([3, 4, 6]);
  });

  it('reads a header with a trailing delimiter, warns about it and keeps every field', async () => {
    const path = file('trailing.csv', 'Activity ID,Activity Type,\n1,Run,\n2,Ride,\n');
    const topic = uniqueName('trailing');

    const result = await runCli([path, '--topic', topic]);
    const messages = await consumeAll(topic, 2);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/trailing\.csv:1: the header ends with a delimiter/);
    expect(
      messages
        .map((message) => (message.value as RecordMessage).fields)
        .sort((a, b) => String(a['Activity ID']).localeCompare(String(b['Activity ID']))),
    ).toEqual([
      { 'Activity ID': '1', 'Activity Type': 'Run' },
      { 'Activity ID': '2', 'Activity Type': 'Ride' },
    ]);
  });
});
