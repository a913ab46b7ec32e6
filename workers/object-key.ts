import { v5 as uuidv5 } from 'uuid';
import { KEY_NAMESPACE } from '../shared/activity/record-key.ts';

/** A Kafka key short and plain enough to be an object name as it is. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The name of an activity's object: `<prefix><safe-id>.json`. The safe id is the Kafka key
 * (the activity id) when it is plain, otherwise a uuid v5 of the key, so that whatever the
 * key holds (`../`, `/`, spaces, any Unicode) the name stays inside the prefix, and the same
 * activity always gets the same name: a replay overwrites instead of adding.
 */
export function objectKey(prefix: string, kafkaKey: string): string {
  return `${prefix}${safeId(kafkaKey)}.json`;
}

export function safeId(kafkaKey: string): string {
  return SAFE_ID.test(kafkaKey) ? kafkaKey : uuidv5(kafkaKey, KEY_NAMESPACE);
}

/**
 * Where a message that is not a storable record goes. Named by its place in the topic,
 * not by sport, so that every sport's worker writes the same single object.
 */
export function rejectedKey(topic: string, partition: number, offset: string): string {
  return `_rejected/${safeId(topic)}/${partition}-${offset}.json`;
}
