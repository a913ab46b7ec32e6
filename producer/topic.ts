import type { Admin } from 'kafkajs';

export interface TopicState {
  created: boolean;
  partitions: number;
}

/**
 * Creates the topic when missing, with `partitions` partitions and no time-based deletion
 * (a sport added later replays the whole history). An existing topic is left as it is.
 */
export async function ensureTopic(
  admin: Admin,
  topic: string,
  partitions: number,
): Promise<TopicState> {
  const created = await admin.createTopics({
    topics: [
      {
        topic,
        numPartitions: partitions,
        configEntries: [{ name: 'retention.ms', value: '-1' }],
      },
    ],
    waitForLeaders: true,
  });

  if (created) {
    return { created, partitions };
  }

  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const existing = metadata.topics[0]?.partitions.length ?? 0;
  return { created, partitions: existing };
}
