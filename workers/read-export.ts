import type { Message } from 'kafkajs';
import { readCsvRecords } from '../producer/csv-records.ts';
import { inspectSource, openDecoded } from '../producer/open-source.ts';
import { messageContext, toKafkaMessage } from '../producer/to-message.ts';
import type { RecordMessage } from '../shared/activity/message.ts';
import { FleetError } from '../shared/errors.ts';

/** A row of an export as the producer publishes it: its Kafka key, value and message. */
export type ExportRow =
  | { kind: 'record'; key: string; message: RecordMessage; kafkaMessage: Message }
  | { kind: 'unparseable'; key: string; line: number; kafkaMessage: Message };

/**
 * Reads a CSV with the producer's own code (encoding, delimiter, CSV parsing, keys), so
 * that reconcile expects exactly what the producer would publish.
 */
export async function* readExport(path: string, runId = 'reconcile'): AsyncGenerator<ExportRow> {
  const source = await inspectSource(path, { encoding: 'auto', delimiter: 'auto' });
  const decoded = openDecoded(source);
  const csv = await readCsvRecords(decoded.text, source.delimiter, source.path);
  if (!csv) {
    throw new FleetError('SOURCE_EMPTY', `${path} has no header line: expected a Strava export`);
  }

  const context = messageContext(source.name, runId, csv.header.cells);

  for await (const batch of csv.rows) {
    for (const row of batch) {
      const kafkaMessage = toKafkaMessage(row, context);
      const key = String(kafkaMessage.key);

      yield row.kind === 'record'
        ? {
            kind: 'record',
            key,
            message: JSON.parse(String(kafkaMessage.value)) as RecordMessage,
            kafkaMessage,
          }
        : { kind: 'unparseable', key, line: row.line, kafkaMessage };
    }
  }
}
