/**
 * The contract between the producer and the workers: what one Kafka message of the
 * `datos_strava` topic holds. The producer writes it; workers, reconcile and tests read it.
 *
 * Value: UTF-8 JSON of `ActivityMessage`. Key: the activity id, or a name-based uuid of the
 * record (see `recordKey`). Headers: `HEADER` below, all UTF-8 strings.
 */

/** Bumped when the shape of the value changes in a way readers must know about. */
export const FORMAT_VERSION = '1';

export const HEADER = {
  sourceFile: 'source-file',
  line: 'line',
  runId: 'run-id',
  formatVersion: 'format-version',
  kind: 'record-kind',
} as const;

/** A row the CSV parser read: every column, with header names exactly as in the file. */
export interface RecordMessage {
  kind: 'record';
  /** Source file name (no folders) and the 1-based line where the row starts. */
  source: { file: string; line: number };
  /**
   * Column name → text, in file order. A header name that repeats (Strava repeats five)
   * keeps its first value under the plain name and later ones as `Name (2)`, `Name (3)`.
   */
  fields: Record<string, string>;
}

/** A row the CSV parser could not read; published anyway so that nothing is lost. */
export interface UnparseableMessage {
  kind: 'unparseable';
  source: { file: string; line: number };
  /** The row's raw text as it was in the file (decoded). */
  raw: string;
  /** The parser's reason, e.g. "Invalid Record Length: expect 103, got 101". */
  reason: string;
}

export type ActivityMessage = RecordMessage | UnparseableMessage;
