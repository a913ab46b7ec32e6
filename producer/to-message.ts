import type { Message } from 'kafkajs';
import { uniqueFieldNames } from '../shared/activity/field-names.ts';
import { type ActivityMessage, FORMAT_VERSION, HEADER } from '../shared/activity/message.ts';
import { findIdColumn, recordKeyAt } from '../shared/activity/record-key.ts';
import type { SourceRow } from './csv-records.ts';

/** What every message of one run shares, worked out once from the header. */
export interface MessageContext {
  fileName: string;
  runId: string;
  fieldNames: string[];
  /** `"name":` of each field, JSON-escaped once per file instead of once per row. */
  fieldPrefixes: string[];
  idColumn: number;
}

export function messageContext(
  fileName: string,
  runId: string,
  headerCells: string[],
): MessageContext {
  const fieldNames = uniqueFieldNames(headerCells);

  return {
    fileName,
    runId,
    fieldNames,
    fieldPrefixes: fieldNames.map((name) => `${JSON.stringify(name)}:`),
    idColumn: findIdColumn(headerCells),
  };
}

/** The Kafka message of one row, in the shape `shared/activity/message.ts` fixes. */
export function toKafkaMessage(row: SourceRow, context: MessageContext): Message {
  const source = { file: context.fileName, line: row.line };
  const value =
    row.kind === 'record'
      ? recordJson(context, row.line, row.values)
      : JSON.stringify({
          kind: 'unparseable',
          source,
          raw: row.raw,
          reason: row.reason,
        } satisfies ActivityMessage);

  // An unparseable row has no trustworthy id cell; its raw text keys it stably instead.
  const key =
    row.kind === 'record' ? recordKeyAt(context.idColumn, row.values) : recordKeyAt(-1, [row.raw]);

  return {
    key,
    value,
    headers: {
      [HEADER.sourceFile]: context.fileName,
      [HEADER.line]: String(row.line),
      [HEADER.runId]: context.runId,
      [HEADER.formatVersion]: FORMAT_VERSION,
      [HEADER.kind]: row.kind,
    },
  };
}

/**
 * The JSON of a `RecordMessage`, written by hand: building an object of 103 fields and
 * stringifying it was the producer's largest cost. Fields stay in file order.
 */
function recordJson(context: MessageContext, line: number, values: string[]): string {
  const fields = context.fieldPrefixes.map(
    (prefix, index) => prefix + JSON.stringify(values[index] ?? ''),
  );
  const source = `{"file":${JSON.stringify(context.fileName)},"line":${line}}`;

  return `{"kind":"record","source":${source},"fields":{${fields.join(',')}}}`;
}
