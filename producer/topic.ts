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
  // Asking first: creating an existing topic makes kafkajs log an error on every re-publish.
  const existing = await existingPartitions(admin, topic);
  if (existing !== undefined) {
    return { created: false, partitions: existing };
  }

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

  // Another producer created it between the question and the creation.
  return { created: false, partitions: (await existingPartitions(admin, topic)) ?? 0 };
}

async function existingPartitions(admin: Admin, topic: string): Promise<number | undefined> {
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) {
    return undefined;
  }

  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  return metadata.topics[0]?.partitions.length ?? 0;
}
