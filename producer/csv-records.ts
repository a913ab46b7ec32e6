import { type Options, parse } from 'csv-parse/sync';
import { FleetError } from '../shared/errors.ts';
import { type RawRecord, RecordSplitter } from './record-splitter.ts';

/** One data record of the file: its fields, or the reason csv-parse could not read it. */
export type SourceRow =
  | { kind: 'record'; line: number; values: string[] }
  | { kind: 'unparseable'; line: number; raw: string; reason: string };

export interface CsvHeader {
  /** Header cells exactly as in the file (HTML included), minus an empty trailing cell. */
  cells: string[];
  /** The header ended with a delimiter; rows may carry one extra empty field. */
  trailingDelimiter: boolean;
}

export interface CsvRecords {
  header: CsvHeader;
  /** Data records in file order, in batches of one read chunk each. */
  rows: AsyncGenerator<SourceRow[]>;
}

/** The header and the data records still to parse, cut but not yet split into fields. */
export interface RawCsvRecords {
  header: CsvHeader;
  /** Records in file order, in batches of one read chunk each. */
  batches: AsyncGenerator<RawRecord[]>;
}

/**
 * Reads the header, then yields every data record of the decoded text. Fields are read by
 * csv-parse; a record it rejects, or whose field count differs from the header's, comes
 * out as `unparseable` with its raw text, so nothing is dropped.
 */
export async function readCsvRecords(
  text: AsyncIterable<string>,
  delimiter: string,
  path: string,
): Promise<CsvRecords | undefined> {
  const raw = await readRawRecords(text, delimiter, path);
  if (!raw) {
    return undefined;
  }

  const reader = new RowReader(raw.header, delimiter);
  return { header: raw.header, rows: reader.rows(raw.batches) };
}

/**
 * Reads the header and cuts the rest into records without parsing their fields, for a
 * caller that parses them elsewhere (the producer does it in a worker thread).
 */
export async function readRawRecords(
  text: AsyncIterable<string>,
  delimiter: string,
  path: string,
): Promise<RawCsvRecords | undefined> {
  const iterator = rawBatches(text);
  const first = await iterator.next();
  if (first.done) {
    return undefined;
  }

  const [headerRecord, ...rest] = first.value;
  if (!headerRecord) {
    return undefined;
  }

  const header = parseHeader(headerRecord, delimiter, path);
  return { header, batches: prepend(rest, iterator) };
}

/** The records left over from the header's chunk, then the remaining chunks. */
async function* prepend(
  first: RawRecord[],
  rest: AsyncGenerator<RawRecord[]>,
): AsyncGenerator<RawRecord[]> {
  try {
    if (first.length > 0) {
      yield first;
    }

    yield* rest;
  } finally {
    // Stops the file stream when the consumer stops early (Ctrl-C, a Kafka failure).
    await rest.return(undefined);
  }
}

async function* rawBatches(text: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  const splitter = new RecordSplitter();

  for await (const chunk of text) {
    const records = splitter.push(chunk);
    if (records.length > 0) {
      yield records;
    }
  }

  const last = splitter.end();
  if (last.length > 0) {
    yield last;
  }
}

function parseHeader(record: RawRecord, delimiter: string, path: string): CsvHeader {
  const result = parseOne(record, delimiter);
  if (result.kind === 'unparseable') {
    throw new FleetError(
      'SOURCE_BAD_HEADER',
      `${path}:${record.line}: the header line cannot be read as CSV (${result.reason}); fix the header or export the file again.`,
    );
  }

  const cells = result.values;
  const trailingDelimiter = cells.length > 1 && cells.at(-1) === '';

  return { cells: trailingDelimiter ? cells.slice(0, -1) : cells, trailingDelimiter };
}

/**
 * Records per csv-parse call in `eachRow`: enough to spread the call's own set-up cost
 * (about as much as parsing one record), few enough that their fields die young.
 */
const PARSE_SLICE = 32;

/** Splits cut records into fields and checks each against the header's width. */
export class RowReader {
  private readonly width: number;
  private readonly options: Options;

  constructor(
    private readonly header: CsvHeader,
    private readonly delimiter: string,
  ) {
    this.width = header.cells.length;
    this.options = csvOptions(delimiter);
  }

  async *rows(batches: AsyncGenerator<RawRecord[]>): AsyncGenerator<SourceRow[]> {
    try {
      for await (const batch of batches) {
        yield this.parseBatch(batch);
      }
    } finally {
      await batches.return(undefined);
    }
  }

  /**
   * Hands the rows to `visit` in file order, a slice of records at a time: a whole read
   * chunk's fields held at once outlive young-generation collections, which then cost
   * more than the parsing itself.
   */
  eachRow(records: RawRecord[], visit: (row: SourceRow) => void): void {
    for (let start = 0; start < records.length; start += PARSE_SLICE) {
      for (const row of this.parseBatch(records.slice(start, start + PARSE_SLICE))) {
        visit(row);
      }
    }
  }

  /**
   * One csv-parse call for the whole batch is five times faster than one per record;
   * when it fails, the batch is read again record by record to find the broken one.
   */
  parseBatch(records: RawRecord[]): SourceRow[] {
    const fast = this.tryWhole(records);
    const rows = fast ?? records.map((record) => parseOne(record, this.delimiter));

    return rows.map((row, index) => this.checkWidth(row, records[index]));
  }

  private tryWhole(records: RawRecord[]): SourceRow[] | undefined {
    if (records.some((record) => record.unclosedQuote)) {
      return undefined;
    }

    try {
      const text = records.map((record) => record.text).join('\n');
      const parsed = parse(text, this.options) as string[][];
      if (parsed.length !== records.length) {
        return undefined;
      }

      return parsed.map((values, index) => ({
        kind: 'record',
        line: records[index]?.line ?? 0,
        values,
      }));
    } catch {
      return undefined;
    }
  }

  private checkWidth(row: SourceRow, record: RawRecord | undefined): SourceRow {
    if (row.kind === 'unparseable') {
      return row;
    }

    const values = this.withoutTrailingEmpty(row.values);
    if (values.length === this.width) {
      return values === row.values ? row : { ...row, values };
    }

    const reason = `Invalid Record Length: expected ${this.width} fields as in the header, got ${values.length}`;
    return { kind: 'unparseable', line: row.line, raw: record?.text ?? '', reason };
  }

  private withoutTrailingEmpty(values: string[]): string[] {
    const extraEmpty =
      this.header.trailingDelimiter && values.length === this.width + 1 && values.at(-1) === '';

    return extraEmpty ? values.slice(0, -1) : values;
  }
}

function csvOptions(delimiter: string): Options {
  // Records are already cut by RecordSplitter and joined with LF.
  return { delimiter, record_delimiter: '\n', relax_column_count: true, bom: false };
}

/** Reads one record alone; a csv-parse error becomes the record's reason. */
function parseOne(record: RawRecord, delimiter: string): SourceRow {
  const { text, line } = record;
  if (record.unclosedQuote) {
    const reason = `Quote Not Closed: a quote opened in the record at line ${line} is never closed`;
    return { kind: 'unparseable', line, raw: text, reason };
  }

  try {
    const parsed = parse(text, csvOptions(delimiter)) as string[][];
    const [values] = parsed;
    if (parsed.length === 1 && values) {
      return { kind: 'record', line, values };
    }

    const reason = `expected one record, found ${parsed.length} (a bare line break outside quotes?)`;
    return { kind: 'unparseable', line, raw: text, reason };
  } catch (error) {
    return { kind: 'unparseable', line, raw: text, reason: csvReason(error, line) };
  }
}

/** csv-parse counts lines from the record's start; the reader wants the file's line. */
function csvReason(error: unknown, recordLine: number): string {
  const message = error instanceof Error ? error.message : String(error);

  return message.replace(/at line (\d+)/, (_match, relative: string) => {
    return `at line ${recordLine + Number(relative) - 1}`;
  });
}
