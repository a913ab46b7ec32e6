import { type CsvHeader, RowReader } from './csv-records.ts';
import type { RawRecord } from './record-splitter.ts';
import { type MessageContext, messageContext, messageJson, messageKey } from './to-message.ts';

/** What the main thread sends: one read chunk of cut records and what is fixed per file. */
export interface EncodeTask {
  header: CsvHeader;
  delimiter: string;
  fileName: string;
  runId: string;
  /** Column of the activity type, -1 for none; only for the summary's counts. */
  typeColumn: number;
  records: RawRecord[];
}

export interface EncodedRow {
  kind: 'record' | 'unparseable';
  line: number;
  key: string;
  activityType?: string | undefined;
  /** Why the row could not be parsed (unparseable rows only). */
  reason?: string | undefined;
}

/** The rows of one chunk, in file order; row i's value is `values[ends[i-1] .. ends[i]]`. */
export interface EncodedBatch {
  rows: EncodedRow[];
  values: Uint8Array;
  ends: number[];
}

/** Per file, built on the first task of a run and reused by the rest. */
let perFile: { runId: string; reader: RowReader; context: MessageContext } | undefined;

/**
 * Parses one chunk of records and encodes their keys and values, off the main thread:
 * CSV parsing and JSON building cost as much CPU as kafkajs's own encoding. Values come
 * back as one block of bytes, which a thread copies in one go instead of row by row.
 */
export default function encodeRows(task: EncodeTask): EncodedBatch {
  const { reader, context } = fileState(task);
  const rows: EncodedRow[] = [];
  const json: string[] = [];
  const ends: number[] = [];
  let end = 0;

  for (const row of reader.parseBatch(task.records)) {
    const value = messageJson(row, context);
    end += Buffer.byteLength(value);
    json.push(value);
    ends.push(end);
    rows.push({
      kind: row.kind,
      line: row.line,
      key: messageKey(row, context),
      activityType: row.kind === 'record' ? row.values[task.typeColumn] : undefined,
      reason: row.kind === 'unparseable' ? row.reason : undefined,
    });
  }

  return { rows, values: writeAll(json, end), ends };
}

/** One allocation for the chunk's values instead of one small Buffer per row. */
function writeAll(json: string[], bytes: number): Uint8Array {
  const values = Buffer.allocUnsafe(bytes);
  let offset = 0;
  for (const value of json) {
    offset += values.write(value, offset);
  }

  return values;
}

function fileState(task: EncodeTask): NonNullable<typeof perFile> {
  if (perFile?.runId !== task.runId) {
    perFile = {
      runId: task.runId,
      reader: new RowReader(task.header, task.delimiter),
      context: messageContext(task.fileName, task.runId, task.header.cells),
    };
  }

  return perFile;
}
