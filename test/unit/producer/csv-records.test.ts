import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RowReader, readCsvRecords, type SourceRow } from '../../../producer/csv-records.ts';
import { RecordSplitter } from '../../../producer/record-splitter.ts';

async function rowsOf(text: string, delimiter = ',') {
  const csv = await readCsvRecords(Readable.from([text]), delimiter, 'test.csv');
  if (!csv) {
    return { header: undefined, rows: [] };
  }

  const rows: SourceRow[] = [];
  for await (const batch of csv.rows) {
    rows.push(...batch);
  }

  return { header: csv.header, rows };
}

describe('readCsvRecords', () => {
  it('reads quoted commas, doubled quotes and line breaks with their start lines', async () => {
    const text = 'id,name,note\n1,"a, b","say ""hi"""\n2,"x\r\ny",z\n';

    const { rows } = await rowsOf(text);

    expect(rows).toEqual([
      { kind: 'record', line: 2, values: ['1', 'a, b', 'say "hi"'] },
      { kind: 'record', line: 3, values: ['2', 'x\r\ny', 'z'] },
    ]);
  });

  it('reads semicolon files', async () => {
    const { header, rows } = await rowsOf('a;b\r\n"1,5";2\r\n', ';');

    expect(header?.cells).toEqual(['a', 'b']);
    expect(rows).toEqual([{ kind: 'record', line: 2, values: ['1,5', '2'] }]);
  });

  it.each([
    ['too few fields', 'a,b,c\n1,2\n', 'expected 3 fields as in the header, got 2', '1,2'],
    ['too many fields', 'a,b,c\n1,2,3,4\n', 'expected 3 fields as in the header, got 4', '1,2,3,4'],
    ['a broken closing quote', 'a,b,c\n1,"x"y,3\n', 'Invalid Closing Quote', '1,"x"y,3'],
    ['a quote never closed', 'a,b,c\n1,"x,3\n', 'Quote Not Closed', '1,"x,3\n'],
  ])(
    'publishes a row with %s as unparseable with its raw text',
    async (_name, text, reason, raw) => {
      const { rows } = await rowsOf(text);

      expect(rows).toEqual([
        { kind: 'unparseable', line: 2, raw, reason: expect.stringContaining(reason) },
      ]);
    },
  );

  it('keeps the rows around a broken one', async () => {
    const text = 'a,b\n1,2\n3,"x"y\n5,6\n';

    const { rows } = await rowsOf(text);

    expect(rows.map((row) => [row.kind, row.line])).toEqual([
      ['record', 2],
      ['unparseable', 3],
      ['record', 4],
    ]);
  });

  it('names the file line in a csv-parse reason', async () => {
    const text = 'a,b\n1,2\n3,4\n"multi\nline"x,6\n';

    const { rows } = await rowsOf(text);

    expect(rows[2]).toMatchObject({ line: 4, reason: expect.stringContaining('at line 5') });
  });

  it('drops the empty cell of a header with a trailing delimiter and the rows matching it', async () => {
    const { header, rows } = await rowsOf('a,b,\n1,2,\n3,4\n');

    expect(header).toEqual({ cells: ['a', 'b'], trailingDelimiter: true });
    expect(rows.map((row) => (row.kind === 'record' ? row.values : row.reason))).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps HTML header cells as they are', async () => {
    const cell = '<span class="translation_missing" title="x">Type</span>';
    const { header } = await rowsOf(
      'a,"<span class=""translation_missing"" title=""x"">Type</span>"\n',
    );

    expect(header?.cells).toEqual(['a', cell]);
  });

  it('yields no rows for a header alone', async () => {
    const { header, rows } = await rowsOf('a,b\n');

    expect(header?.cells).toEqual(['a', 'b']);
    expect(rows).toEqual([]);
  });
});

describe('RowReader.eachRow', () => {
  it('hands over every row of a long chunk in file order, broken ones in their place', () => {
    // 100 records: more than one csv-parse slice, a broken record in the second slice
    // and a record with a line break inside quotes after it.
    const lines = Array.from({ length: 100 }, (_, index) => {
      if (index === 40) return '40,"x"y';
      if (index === 70) return '70,"two\nlines"';
      return `${index},v${index}`;
    });
    const records = new RecordSplitter().push(`${lines.join('\n')}\n`);
    const reader = new RowReader({ cells: ['n', 'v'], trailingDelimiter: false }, ',');

    const rows: SourceRow[] = [];
    reader.eachRow(records, (row) => rows.push(row));

    expect(rows).toHaveLength(100);
    expect(rows.map((row) => row.line)).toEqual(records.map((record) => record.line));
    expect(rows.filter((row) => row.kind === 'unparseable')).toEqual([
      { kind: 'unparseable', line: 41, raw: '40,"x"y', reason: expect.stringContaining('Quote') },
    ]);
    expect(rows[70]).toEqual({ kind: 'record', line: 71, values: ['70', 'two\nlines'] });
    expect(rows[99]).toEqual({ kind: 'record', line: 101, values: ['99', 'v99'] });
  });
});
