import type { RecordMessage } from '../shared/activity/message.ts';
import type { Sport } from '../shared/sports/registry.ts';
import type { RejectReason } from './decode.ts';
import { objectKey, rejectedKey } from './object-key.ts';

/** Where a message sits in the topic. */
export interface TopicPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** An object ready to be written: its key and its JSON body. */
export interface LakeObject {
  key: string;
  body: string;
}

/**
 * The object of one kept activity. The body holds the complete original record (every
 * column, both copies of duplicated headers) and where it came from, so the lake alone
 * can answer "which row of which file is this".
 */
export function activityObject(
  sport: Sport,
  activityType: string,
  kafkaKey: string,
  message: RecordMessage,
  position: TopicPosition,
  headers: Record<string, string>,
): LakeObject {
  const body = {
    sport: sport.id,
    activityType,
    key: kafkaKey,
    record: message.fields,
    provenance: {
      file: message.source.file,
      line: message.source.line,
      ...position,
      runId: headers['run-id'] ?? null,
    },
  };

  return { key: objectKey(sport.prefix, kafkaKey), body: JSON.stringify(body) };
}

/**
 * The object of a rejected message. Its body depends only on the message, never on the
 * sport that writes it, so every sport's worker writes the same bytes to the same name.
 */
export function rejectedObject(
  reason: RejectReason,
  detail: string,
  kafkaKey: string | null,
  value: Buffer | null,
  position: TopicPosition,
  headers: Record<string, string>,
): LakeObject {
  const body = {
    reason,
    detail,
    position,
    key: kafkaKey,
    headers,
    value: valueAsText(value),
  };

  const { topic, partition, offset } = position;
  return { key: rejectedKey(topic, partition, offset), body: JSON.stringify(body) };
}

/** The value as text when it is UTF-8, otherwise base64, so no byte is lost. */
function valueAsText(value: Buffer | null): { encoding: string; data: string } | null {
  if (value === null) {
    return null;
  }

  try {
    const data = new TextDecoder('utf-8', { fatal: true }).decode(value);
    return { encoding: 'utf8', data };
  } catch {
    return { encoding: 'base64', data: value.toString('base64') };
  }
}
