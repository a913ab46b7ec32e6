import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecordMessage, UnparseableMessage } from '../../../shared/activity/message.ts';
import { uniqueName } from '../../helpers/unique.ts';
import { consumeAll, fixture, runCli } from './helpers.ts';

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
    [
      'a web page saved as the export',
      () => file('login.csv', '<!DOCTYPE html>\n<html><body>Log in</body></html>\n'),
      /login\.csv is a web page \(HTML\), not a CSV file/,
    ],
    [
      'a named pipe',
      () => {
        const path = join(folder, 'pipe.csv');
        execFileSync('mkfifo', [path]);
        return path;
      },
      /pipe\.csv is not a regular file \(a pipe, socket or device\)/,
    ],
  ])('refuses %s and exits 1', async (_name, makePath, message) => {
    const path = makePath();

    const result = await runCli([path, '--topic', uniqueName('bad')]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    // The log line carries the same message, without a stack trace for a user's mistake.
    const logged = result.stdout.split('\n').find((line) => line.includes('producer failed'));
    const failure = JSON.parse(logged ?? '{}');
    expect(failure.reason).toMatch(message);
    expect(failure.err).toBeUndefined();
  });

  it.each([
    [['--encoding', 'latin9'], /--encoding.*latin9/],
    [['--topic', 'my topic/x'], /expected a topic name of 1 to 249 letters.*"my topic\/x"/],
    [['--partitions', '2.5'], /expected a whole number above 0, found "2\.5"/],
  ])('refuses the option values %j and exits 2', async (flags, message) => {
    const result = await runCli(['x.csv', ...flags]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('finds a relative path in the folder npm was run from', async () => {
    // npm runs scripts in the project folder and passes the user's folder as INIT_CWD.
    const result = await runCli(['en-legacy-10.csv', '--dry-run'], {
      env: { INIT_CWD: resolve(fixture('')) },
    });

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/file: +test\/fixtures\/strava\/en-legacy-10\.csv/);
    expect(result.stderr).toMatch(/rows read: +10/);
  });
});

describe('files the producer reads but warns about', () => {
  it('says when a forced --encoding contradicts the bytes', async () => {
    const result = await runCli([
      fixture('derived-es-excel-semicolon-cp1252.csv'),
      '--encoding',
      'utf-8',
      '--dry-run',
    ]);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /note: .*derived-es-excel-semicolon-cp1252\.csv: --encoding utf-8 was asked, but the file's first 64 KiB read as windows-1252/,
    );
  });

  it('says when the header has no activity-type column, naming the delimiter it used', async () => {
    const path = file('tabs.csv', 'Activity ID\tActivity Type\n1\tRun\n');

    const result = await runCli([path, '--dry-run']);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /note: .*tabs\.csv:1: the header \(1 column, delimiter ","\) has no activity-type column/,
    );
  });

  it('on a dry run tells that unparseable rows would be published, not that they were', async () => {
    const path = file('ragged-dry.csv', `${HEADER}1,Run,5.0\n`);

    const result = await runCli([path, '--dry-run']);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/1 row could not be parsed .*; a real run publishes them marked/);
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
