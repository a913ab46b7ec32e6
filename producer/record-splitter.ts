/**
 * Cuts decoded CSV text into records before csv-parse reads their fields, so that each
 * record keeps its own raw text and start line, and a broken one cannot swallow the rest
 * of the file (csv-parse's own error recovery carries its state into the next records).
 *
 * A line break ends a record when the record holds an even number of `"` so far: RFC 4180
 * quotes open and close in pairs, and a doubled quote inside a field is a pair too.
 */
export interface RawRecord {
  /** The record's text without its final line break (LF or CRLF). */
  text: string;
  /** 1-based line of the file where the record starts. */
  line: number;
  /** True when a quote opened in this record is never closed. */
  unclosedQuote: boolean;
}

/** Past this many characters an open quote is taken as broken, so memory stays bounded. */
export const MAX_RECORD_CHARS = 1024 * 1024;

export class RecordSplitter {
  private buffer = '';
  /** Where the current record starts in `buffer`. */
  private start = 0;
  /** Where scanning resumes in `buffer`. */
  private scan = 0;
  private quotes = 0;
  private line = 1;
  /** Line breaks inside the current record so far. */
  private breaks = 0;

  constructor(private readonly maxRecordChars = MAX_RECORD_CHARS) {}

  push(chunk: string): RawRecord[] {
    this.buffer = this.buffer.slice(this.start) + chunk;
    this.scan -= this.start;
    this.start = 0;

    const records: RawRecord[] = [];
    this.cut(records);
    return records;
  }

  /** The last record, for files that do not end with a line break or end inside a quote. */
  end(): RawRecord[] {
    const text = this.buffer.slice(this.start);
    const quotes = this.quotes + countQuotes(this.buffer, this.scan, this.buffer.length);
    this.buffer = '';
    this.start = 0;
    this.scan = 0;
    if (text === '') {
      return [];
    }

    return [{ text, line: this.line, unclosedQuote: quotes % 2 === 1 }];
  }

  private cut(records: RawRecord[]): void {
    for (;;) {
      const newline = this.buffer.indexOf('\n', this.scan);
      if (newline < 0) {
        this.giveUpOnLongQuote(records);
        return;
      }

      this.quotes += countQuotes(this.buffer, this.scan, newline);
      this.scan = newline + 1;
      if (this.quotes % 2 === 1) {
        this.breaks++;
        continue;
      }

      this.emit(records, newline, false);
    }
  }

  private emit(records: RawRecord[], newline: number, unclosedQuote: boolean): void {
    const end = newline > this.start && this.buffer[newline - 1] === '\r' ? newline - 1 : newline;
    const text = this.buffer.slice(this.start, end);

    // Blank lines carry no data; they are counted as lines, never as records.
    if (text !== '') {
      records.push({ text, line: this.line, unclosedQuote });
    }

    this.line += this.breaks + 1;
    this.breaks = 0;
    this.quotes = 0;
    this.start = newline + 1;
    this.scan = this.start;
  }

  /**
   * An open quote that runs past the limit is a stray quote, not a long field: the
   * record's first line is given up as unparseable and scanning restarts after it.
   */
  private giveUpOnLongQuote(records: RawRecord[]): void {
    if (this.buffer.length - this.start <= this.maxRecordChars || this.quotes % 2 === 0) {
      return;
    }

    const firstBreak = this.buffer.indexOf('\n', this.start);
    if (firstBreak < 0) {
      return;
    }

    this.breaks = 0;
    this.emit(records, firstBreak, true);
    this.cut(records);
  }
}

function countQuotes(text: string, from: number, to: number): number {
  let count = 0;
  let index = text.indexOf('"', from);

  while (index >= 0 && index < to) {
    count++;
    index = text.indexOf('"', index + 1);
  }

  return count;
}
