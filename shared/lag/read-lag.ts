import type { Admin } from 'kafkajs';
import {
  lagSeconds,
  lagSum,
  type PartitionLag,
  type PartitionRange,
  topicLag,
} from './compute-lag.ts';
import { addressKey, type RecordAddress, type RecordTimestamps } from './record-timestamps.ts';

export interface TopicLag {
  topic: string;
  partitions: PartitionLag[];
  sum: number;
  /** Age of the oldest unread record; undefined when it could not be read. */
  seconds: number | undefined;
}

export interface GroupLag {
  group: string;
  /** Members now, as the coordinator sees them: 0 while every replica is down. */
  members: number;
  topics: TopicLag[];
}

export interface LagSnapshot {
  groups: GroupLag[];
  /** Every topic a reported group reads, with its partitions' offsets. */
  topics: Map<string, PartitionRange[]>;
}

export interface ReadLagOptions {
  admin: Admin;
  records: RecordTimestamps;
  /** Groups to report, by id. */
  groupPattern: RegExp;
  /** Counted for every group even before it commits anything (the pipeline's topic). */
  topic: string;
  now?: () => number;
}

/**
 * Everything the lag metrics need, read fresh from the brokers: groups, members,
 * committed offsets, the topics' offsets and the timestamps of the oldest unread records.
 */
export async function readLag(options: ReadLagOptions): Promise<LagSnapshot> {
  const { admin } = options;
  const groups = await matchingGroups(admin, options.groupPattern);
  const existing = new Set(await admin.listTopics());

  const committed = await Promise.all(groups.map((group) => committedOffsets(admin, group)));
  const topicNames = new Set(committed.flatMap((byTopic) => [...byTopic.keys()]));
  topicNames.add(options.topic);

  const readable = [...topicNames].filter((topic) => existing.has(topic));
  const topics = new Map(
    await Promise.all(readable.map(async (topic) => [topic, await ranges(admin, topic)] as const)),
  );

  const members = await memberCounts(admin, groups);
  const lags = groups.map((group, index) =>
    lagOf(group, members.get(group) ?? 0, committed[index] ?? new Map(), topics, options.topic),
  );

  await addLagSeconds(lags, options.records, (options.now ?? Date.now)());
  return { groups: lags, topics };
}

/** Lag of one group on one topic, partition by partition, as Kafka has it now. */
export async function readGroupLag(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<PartitionLag[]> {
  const [topicRanges, committed] = await Promise.all([
    ranges(admin, topic),
    committedOffsets(admin, groupId),
  ]);

  return topicLag(topicRanges, committed.get(topic) ?? new Map());
}

async function matchingGroups(admin: Admin, pattern: RegExp): Promise<string[]> {
  const { groups } = await admin.listGroups();

  return groups
    .filter((group) => group.protocolType === 'consumer' || group.protocolType === '')
    .map((group) => group.groupId)
    .filter((id) => pattern.test(id))
    .sort();
}

/** Committed offsets by topic, then partition; only topics the group has committed to. */
async function committedOffsets(admin: Admin, groupId: string) {
  const byTopic = new Map<string, Map<number, number>>();

  for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
    const offsets = partitions.map(({ partition, offset }) => [partition, Number(offset)] as const);
    byTopic.set(topic, new Map(offsets));
  }

  return byTopic;
}

async function ranges(admin: Admin, topic: string): Promise<PartitionRange[]> {
  const offsets = await admin.fetchTopicOffsets(topic);

  return offsets
    .map(({ partition, low, high }) => ({
      partition,
      logStart: Number(low),
      logEnd: Number(high),
    }))
    .sort((a, b) => a.partition - b.partition);
}

async function memberCounts(admin: Admin, groups: string[]): Promise<Map<string, number>> {
  if (groups.length === 0) {
    return new Map();
  }

  const described = await admin.describeGroups(groups);
  return new Map(described.groups.map((group) => [group.groupId, group.members.length]));
}

function lagOf(
  group: string,
  members: number,
  committed: Map<string, Map<number, number>>,
  topics: Map<string, PartitionRange[]>,
  pipelineTopic: string,
): GroupLag {
  const names = new Set([pipelineTopic, ...committed.keys()]);
  const lags: TopicLag[] = [];

  for (const topic of [...names].sort()) {
    const topicRanges = topics.get(topic);
    if (topicRanges === undefined) {
      continue;
    }

    const partitions = topicLag(topicRanges, committed.get(topic) ?? new Map());
    lags.push({ topic, partitions, sum: lagSum(partitions), seconds: undefined });
  }

  return { group, members, topics: lags };
}

/** One fetch per leader for all groups: groups at the same offset share a record. */
async function addLagSeconds(groups: GroupLag[], records: RecordTimestamps, nowMs: number) {
  const wanted = new Map<string, RecordAddress>();

  for (const { topic, partitions } of groups.flatMap((group) => group.topics)) {
    for (const { partition, next } of partitions.filter((p) => p.lag > 0)) {
      const address = { topic, partition, offset: next };
      wanted.set(addressKey(address), address);
    }
  }

  const timestamps = await records.read([...wanted.values()]);
  for (const topicLag of groups.flatMap((group) => group.topics)) {
    const timestampOf = (partition: number, offset: number) =>
      timestamps.get(addressKey({ topic: topicLag.topic, partition, offset }));
    topicLag.seconds = lagSeconds(topicLag.partitions, timestampOf, nowMs);
  }
}
