import type { KafkaMessage } from 'kafkajs';
import { recordKey } from '../shared/activity/record-key.ts';
import type { WorkerOutcome as Outcome } from '../shared/metrics/worker-metrics.ts';
import type { Classifier } from '../shared/sports/classify.ts';
import type { Sport } from '../shared/sports/registry.ts';
import { decodeValue, headersAsText } from './decode.ts';
import { activityObject, type LakeObject, rejectedObject } from './lake-object.ts';

/** What a slice of a batch turns into: the objects to write and what happened to each. */
export interface BatchPlan {
  objects: LakeObject[];
  counts: Record<Outcome, number>;
}

/**
 * Decides, message by message, whether the sport keeps it, skips it, or rejects it, and
 * builds the objects to write. Pure: no I/O, so it can be measured and moved to a thread.
 */
export function planBatch(
  messages: readonly KafkaMessage[],
  context: { sport: Sport; classifier: Classifier; topic: string; partition: number },
): BatchPlan {
  const byKey = new Map<string, LakeObject>();
  const counts: Record<Outcome, number> = { stored: 0, skipped: 0, rejected: 0 };

  for (const message of messages) {
    const object = planMessage(message, context);
    if (object === undefined) {
      counts.skipped++;
      continue;
    }

    counts[object.outcome]++;
    // The same activity twice in one slice (a file published twice): the later one wins.
    byKey.set(object.key, object);
  }

  return { objects: [...byKey.values()], counts };
}

type Planned = LakeObject & { outcome: 'stored' | 'rejected' };

function planMessage(
  message: KafkaMessage,
  context: { sport: Sport; classifier: Classifier; topic: string; partition: number },
): Planned | undefined {
  const { sport, classifier, topic, partition } = context;
  const position = { topic, partition, offset: message.offset };
  const kafkaKey = message.key?.toString('utf8') ?? null;
  const decoded = decodeValue(message.value);

  if (decoded.kind === 'rejected') {
    const headers = headersAsText(message.headers);
    const object = rejectedObject(
      decoded.reason,
      decoded.detail,
      kafkaKey,
      message.value,
      position,
      headers,
    );
    return { ...object, outcome: 'rejected' };
  }

  const classification = classifier.classify(decoded.message.fields);
  if (classification.kind === 'no-type-column') {
    const headers = headersAsText(message.headers);
    const detail = 'the record has no activity-type column under any known header';
    const object = rejectedObject(
      'no-type-column',
      detail,
      kafkaKey,
      message.value,
      position,
      headers,
    );
    return { ...object, outcome: 'rejected' };
  }

  if (!classification.sports.some((candidate) => candidate.id === sport.id)) {
    return undefined;
  }

  const fields = decoded.message.fields;
  const key = kafkaKey ?? recordKey(Object.keys(fields), Object.values(fields));
  const headers = headersAsText(message.headers);
  const object = activityObject(
    sport,
    classification.activityType,
    key,
    decoded.message,
    position,
    headers,
  );
  return { ...object, outcome: 'stored' };
}
