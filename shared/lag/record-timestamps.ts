import type { Kafka } from 'kafkajs';

/** A record to read the timestamp of. */
export interface RecordAddress {
  topic: string;
  partition: number;
  offset: number;
}

/** Reads the timestamps of single records by offset, without joining a consumer group. */
export interface RecordTimestamps {
  /** Timestamp (ms) of each record found, keyed by `addressKey`. */
  read(addresses: readonly RecordAddress[]): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export function addressKey({ topic, partition, offset }: RecordAddress): string {
  return `${topic}/${partition}/${offset}`;
}

/*
 * kafkajs's public API reads records only through a consumer, and a consumer must join a
 * group: the exporter would then create a group of its own on every scrape and stand in
 * the lag it reports. So this takes the client's internal cluster (the object its
 * producer, consumer and admin are built on) and sends one Fetch request per leader, for
 * one small slice of each partition. The shapes below are those of kafkajs 2.2.x; the
 * integration tests read real records through it, so a change shows there.
 */
interface FetchedRecord {
  offset: string;
  timestamp: string;
  isControlRecord?: boolean;
}

interface FetchResponse {
  responses: {
    topicName: string;
    partitions: { partition: number; messages: FetchedRecord[] }[];
  }[];
}

interface Broker {
  fetch(request: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: {
      topic: string;
      partitions: { partition: number; fetchOffset: string; maxBytes: number }[];
    }[];
  }): Promise<FetchResponse>;
}

interface Cluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(node: { nodeId: string }): Promise<Broker>;
}

/** READ_COMMITTED, as the workers read. */
const READ_COMMITTED = 1;

/** Enough for the first record of a batch; Kafka returns a whole first batch regardless. */
const PARTITION_MAX_BYTES = 64 * 1024;

export async function createRecordTimestamps(kafka: Kafka): Promise<RecordTimestamps> {
  const cluster = internalCluster(kafka);
  await cluster.connect();

  return {
    read: (addresses) => readTimestamps(cluster, addresses),
    close: () => cluster.disconnect(),
  };
}

function internalCluster(kafka: Kafka): Cluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (candidate) => candidate.description === 'private:Kafka:createCluster',
  );
  const create = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined;
  if (typeof create !== 'function') {
    throw new Error(
      'kafkajs no longer has the internal cluster the lag exporter reads records with: pin kafkajs 2.2.x or update shared/lag/record-timestamps.ts',
    );
  }

  return create({ metadataMaxAge: 60_000, allowAutoTopicCreation: false }) as Cluster;
}

async function readTimestamps(
  cluster: Cluster,
  addresses: readonly RecordAddress[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (addresses.length === 0) {
    return found;
  }

  const topics = [...new Set(addresses.map((address) => address.topic))];
  await cluster.addMultipleTargetTopics(topics);
  await cluster.refreshMetadata();

  const requests = byLeader(cluster, addresses).map(async ([nodeId, wanted]) => {
    const broker = await cluster.findBroker({ nodeId });
    const response = await broker.fetch(fetchRequest(wanted));
    collectFirstRecords(response, wanted, found);
  });
  await Promise.all(requests);

  return found;
}

function byLeader(cluster: Cluster, addresses: readonly RecordAddress[]) {
  const leaders = new Map<string, RecordAddress[]>();

  for (const address of addresses) {
    const leader = cluster.findLeaderForPartitions(address.topic, [address.partition]);
    const nodeId = Object.keys(leader)[0];
    if (nodeId === undefined) {
      continue;
    }
    leaders.set(nodeId, [...(leaders.get(nodeId) ?? []), address]);
  }

  return [...leaders.entries()];
}

function fetchRequest(addresses: readonly RecordAddress[]) {
  const topics = new Map<string, { partition: number; fetchOffset: string; maxBytes: number }[]>();

  for (const { topic, partition, offset } of addresses) {
    const partitions = topics.get(topic) ?? [];
    partitions.push({ partition, fetchOffset: String(offset), maxBytes: PARTITION_MAX_BYTES });
    topics.set(topic, partitions);
  }

  return {
    replicaId: -1,
    isolationLevel: READ_COMMITTED,
    // The records exist (the partition lags), so there is nothing to wait for.
    maxWaitTime: 0,
    minBytes: 1,
    maxBytes: PARTITION_MAX_BYTES * addresses.length,
    topics: [...topics.entries()].map(([topic, partitions]) => ({ topic, partitions })),
  };
}

/** A fetch returns whole batches, which may begin before the offset asked for. */
function collectFirstRecords(
  response: FetchResponse,
  wanted: readonly RecordAddress[],
  found: Map<string, number>,
): void {
  for (const { topicName, partitions } of response.responses) {
    for (const { partition, messages } of partitions) {
      const address = wanted.find((a) => a.topic === topicName && a.partition === partition);
      const record = messages.find(
        (m) => !m.isControlRecord && Number(m.offset) >= (address?.offset ?? 0),
      );
      if (address && record) {
        found.set(addressKey(address), Number(record.timestamp));
      }
    }
  }
}
