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
  /** Builds a row's `fields` object; undefined when an object cannot keep the file order. */
  fieldsOf: FieldsBuilder | undefined;
  idColumn: number;
}

type FieldsBuilder = (values: string[]) => Record<string, string>;

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
    fieldsOf: fieldsBuilder(fieldNames),
    idColumn: findIdColumn(headerCells),
  };
}

/** Names JavaScript would not keep in place as object keys: array indexes go first. */
const REORDERED_KEY = /^(?:0|[1-9]\d*)$/;

/**
 * A function whose body is one object literal with the file's field names as keys, built
 * once per file. V8 gives every object it returns the same fast shape, which
 * JSON.stringify writes about twice as fast as the hand-written concatenation below (the
 * producer's parse thread spent a third of its time there). Keys are JSON string
 * literals, which are valid JavaScript, so no header text is ever run as code.
 */
function fieldsBuilder(fieldNames: string[]): FieldsBuilder | undefined {
  const reordered = fieldNames.some((name) => name === '__proto__' || REORDERED_KEY.test(name));
  if (reordered) {
    return undefined;
  }

  const properties = fieldNames.map((name, index) => `${JSON.stringify(name)}: v[${index}] ?? ""`);
  return new Function('v', `return { ${properties.join(', ')} };`) as FieldsBuilder;
}

/** The Kafka message of one row, in the shape `shared/activity/message.ts` fixes. */
export function toKafkaMessage(row: SourceRow, context: MessageContext): Message {
  return {
    key: messageKey(row, context),
    value: messageValue(row, context),
    headers: messageHeaders(context, row.line, row.kind),
  };
}

/** The activity id; an unparseable row has no trustworthy id cell, its raw text keys it. */
export function messageKey(row: SourceRow, context: MessageContext): string {
  return row.kind === 'record'
    ? recordKeyAt(context.idColumn, row.values)
    : recordKeyAt(-1, [row.raw]);
}

/**
 * The UTF-8 JSON value, encoded once here: kafkajs measures and writes a string value
 * twice (its size, then its bytes), a Buffer it copies as it is.
 */
export function messageValue(row: SourceRow, context: MessageContext): Buffer {
  return Buffer.from(messageJson(row, context));
}

/** The value as JSON text, in the shape `ActivityMessage` fixes. */
export function messageJson(row: SourceRow, context: MessageContext): string {
  if (row.kind === 'record') {
    return recordJson(context, row.line, row.values);
  }

  const message: ActivityMessage = {
    kind: 'unparseable',
    source: { file: context.fileName, line: row.line },
    raw: row.raw,
    reason: row.reason,
  };
  return JSON.stringify(message);
}

export function messageHeaders(
  context: Pick<MessageContext, 'fileName' | 'runId'>,
  line: number,
  kind: SourceRow['kind'],
): Record<string, string> {
  return {
    [HEADER.sourceFile]: context.fileName,
    [HEADER.line]: String(line),
    [HEADER.runId]: context.runId,
    [HEADER.formatVersion]: FORMAT_VERSION,
    [HEADER.kind]: kind,
  };
}

/** The JSON of a `RecordMessage`, fields in file order. */
function recordJson(context: MessageContext, line: number, values: string[]): string {
  if (context.fieldsOf) {
    const source = { file: context.fileName, line };
    return JSON.stringify({ kind: 'record', source, fields: context.fieldsOf(values) });
  }

  return concatenatedRecordJson(context, line, values);
}

/** For headers with names such as `2` or `__proto__`, which an object would not keep. */
function concatenatedRecordJson(context: MessageContext, line: number, values: string[]): string {
  const source = `{"file":${JSON.stringify(context.fileName)},"line":${line}}`;
  const { fieldPrefixes } = context;

  // One growing string instead of an array of 103 pieces and a join: fewer allocations.
  let fields = '';
  for (let index = 0; index < fieldPrefixes.length; index++) {
    const separator = index === 0 ? '' : ',';
    fields += separator + fieldPrefixes[index] + JSON.stringify(values[index] ?? '');
  }

  return `{"kind":"record","source":${source},"fields":{${fields}}}`;
}
