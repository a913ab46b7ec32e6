import { describe, expect, it } from 'vitest';
import { type RawRecord, RecordSplitter } from '../../../producer/record-splitter.ts';

function split(chunks: string[], maxRecordChars?: number): RawRecord[] {
  const splitter = new RecordSplitter(maxRecordChars);
  const records = chunks.flatMap((chunk) => splitter.push(chunk));
  return [...records, ...splitter.end()];
}

const record = (text: string, line: number, unclosedQuote = false) => ({
  text,
  line,
  unclosedQuote,
});

describe('RecordSplitter', () => {
  it.each<[string, string[], RawRecord[]]>([
    ['cuts LF lines', ['a,b\n1,2\n'], [record('a,b', 1), record('1,2', 2)]],
    ['cuts CRLF lines', ['a,b\r\n1,2\r\n'], [record('a,b', 1), record('1,2', 2)]],
    ['keeps the last line without a break', ['a,b\n1,2'], [record('a,b', 1), record('1,2', 2)]],
    [
      'keeps LF and CRLF inside quotes and numbers lines from the record start',
      ['h\n"x\ny",1\n"p\r\nq",2\nz\n'],
      [record('h', 1), record('"x\ny",1', 2), record('"p\r\nq",2', 4), record('z', 6)],
    ],
    [
      'treats doubled quotes as a pair',
      ['h\n"say ""hi""",1\n'],
      [record('h', 1), record('"say ""hi""",1', 2)],
    ],
    [
      'skips blank lines but counts them',
      ['h\n\n1\n\r\n2\n'],
      [record('h', 1), record('1', 3), record('2', 5)],
    ],
    [
      'joins a record cut between chunks, even inside quotes',
      ['h\n"a', 'b\nc', '",1\n2\n'],
      [record('h', 1), record('"ab\nc",1', 2), record('2', 4)],
    ],
    [
      'marks a quote still open at the end of the file',
      ['h\n1,2\n"3,4\n5,6\n'],
      [record('h', 1), record('1,2', 2), record('"3,4\n5,6\n', 3, true)],
    ],
  ])('%s', (_name, chunks, expected) => {
    expect(split(chunks)).toEqual(expected);
  });

  it('gives up on a quote open for longer than the limit and reads on after its line', () => {
    const chunks = ['h\n"stray,1\n', '2,3\n', '4,5\n'];

    const records = split(chunks, 8);

    expect(records).toEqual([
      record('h', 1),
      record('"stray,1', 2, true),
      record('2,3', 3),
      record('4,5', 4),
    ]);
  });
});
