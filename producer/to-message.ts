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
  idColumn: number;
}

export function messageContext(fileName: string, runId: string, headerCells: string[]) {
  return {
    fileName,
    runId,
    fieldNames: uniqueFieldNames(headerCells),
    idColumn: findIdColumn(headerCells),
  } satisfies MessageContext;
}

/** The Kafka message of one row, in the shape `shared/activity/message.ts` fixes. */
export function toKafkaMessage(row: SourceRow, context: MessageContext): Message {
  const source = { file: context.fileName, line: row.line };
  const value: ActivityMessage =
    row.kind === 'record'
      ? { kind: 'record', source, fields: zip(context.fieldNames, row.values) }
      : { kind: 'unparseable', source, raw: row.raw, reason: row.reason };

  // An unparseable row has no trustworthy id cell; its raw text keys it stably instead.
  const key =
    row.kind === 'record' ? recordKeyAt(context.idColumn, row.values) : recordKeyAt(-1, [row.raw]);

  return {
    key,
    value: JSON.stringify(value),
    headers: {
      [HEADER.sourceFile]: context.fileName,
      [HEADER.line]: String(row.line),
      [HEADER.runId]: context.runId,
      [HEADER.formatVersion]: FORMAT_VERSION,
      [HEADER.kind]: row.kind,
    },
  };
}

function zip(names: string[], values: string[]): Record<string, string> {
  const fields: Record<string, string> = {};

  names.forEach((name, index) => {
    fields[name] = values[index] ?? '';
  });

  return fields;
}
