import { Piscina } from 'piscina';
import { type CsvHeader, RowReader } from './csv-records.ts';
import type { RawRecord } from './record-splitter.ts';
import { type MessageContext, messageContext, messageJson, messageKey } from './to-message.ts';

/** What is fixed for the whole file: handed to the thread once, as piscina's workerData. */
export interface EncodeJob {
  header: CsvHeader;
  delimiter: string;
  fileName: string;
  runId: string;
  /** Column of the activity type, -1 for none; only for the summary's counts. */
  typeColumn: number;
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

/** Built from the job on the first task; a pool serves one file. */
let perFile: { job: EncodeJob; reader: RowReader; context: MessageContext } | undefined;

/**
 * Parses one read chunk of cut records and encodes their keys and values, off the main
 * thread: CSV parsing and JSON building cost as much CPU as kafkajs's own encoding. Each
 * row's JSON is written to the chunk's block of bytes as soon as it is parsed, and the
 * block is moved to the main thread, not copied.
 */
export default function encodeRows(records: RawRecord[]): EncodedBatch {
  const { job, reader, context } = fileState();
  const rows: EncodedRow[] = [];
  const values = new ValueBlock(estimateBytes(records, context));

  reader.eachRow(records, (row) => {
    values.add(messageJson(row, context));
    rows.push({
      kind: row.kind,
      line: row.line,
      key: messageKey(row, context),
      activityType: row.kind === 'record' ? row.values[job.typeColumn] : undefined,
      reason: row.kind === 'unparseable' ? row.reason : undefined,
    });
  });

  return moved({ rows, values: values.bytes(), ends: values.ends });
}

/**
 * The values of one chunk, one after another in a buffer of its own (never Node's shared
 * pool, so that it can be moved between threads), grown by doubling when a guess is short.
 */
class ValueBlock {
  readonly ends: number[] = [];
  private buffer: Buffer;
  private end = 0;

  constructor(estimate: number) {
    this.buffer = Buffer.allocUnsafeSlow(estimate);
  }

  add(json: string): void {
    // A UTF-16 code unit is at most three UTF-8 bytes: measure exactly only when that is short.
    if (this.end + json.length * 3 > this.buffer.length) {
      this.ensureRoom(Buffer.byteLength(json));
    }

    this.end += this.buffer.write(json, this.end);
    this.ends.push(this.end);
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.end);
  }

  private ensureRoom(bytes: number): void {
    if (this.end + bytes <= this.buffer.length) {
      return;
    }

    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.end + bytes));
    this.buffer.copy(grown, 0, 0, this.end);
    this.buffer = grown;
  }
}

/** A row's JSON is its text plus every field name once, quoted: a guess within a few %. */
function estimateBytes(records: RawRecord[], context: MessageContext): number {
  const namesPerRow = context.fieldPrefixes.reduce((sum, prefix) => sum + prefix.length + 3, 64);
  const text = records.reduce((sum, record) => sum + record.text.length, 0);

  return Math.max(1024, text + records.length * namesPerRow);
}

/** Hands the values' memory to the main thread instead of copying it (piscina's move). */
function moved(batch: EncodedBatch): EncodedBatch {
  // piscina's Transferable keys are symbols its typings cannot name, hence the casts.
  const transferable = {
    [Piscina.transferableSymbol]: batch.values.buffer,
    [Piscina.valueSymbol]: batch,
  } as unknown as Parameters<typeof Piscina.move>[0];

  return Piscina.move(transferable) as unknown as EncodedBatch;
}

function fileState(): NonNullable<typeof perFile> {
  if (!perFile) {
    const job = Piscina.workerData as EncodeJob;
    perFile = {
      job,
      reader: new RowReader(job.header, job.delimiter),
      context: messageContext(job.fileName, job.runId, job.header.cells),
    };
  }

  return perFile;
}
