import { Counter, Gauge, type Registry } from 'prom-client';
import type { LagSnapshot } from './read-lag.ts';

type GroupTopicPartition = 'consumergroup' | 'topic' | 'partition';

/** kafka_exporter's names, so its community dashboards work too, plus lag in seconds. */
export interface LagMetrics {
  lag: Gauge<GroupTopicPartition>;
  lagSum: Gauge<'consumergroup' | 'topic'>;
  currentOffset: Gauge<GroupTopicPartition>;
  members: Gauge<'consumergroup'>;
  topicCurrentOffset: Gauge<'topic' | 'partition'>;
  topicOldestOffset: Gauge<'topic' | 'partition'>;
  topicPartitions: Gauge<'topic'>;
  lagSeconds: Gauge<'consumergroup' | 'topic'>;
  membersOverPartitions: Gauge<'consumergroup' | 'topic'>;
  collectErrors: Counter;
  lastCollect: Gauge;
}

export function createLagMetrics(registry: Registry): LagMetrics {
  const registers = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const byPartition: GroupTopicPartition[] = ['consumergroup', 'topic', 'partition'];

  return {
    lag: gauge('kafka_consumergroup_lag', 'Records a group has not read yet', byPartition),
    lagSum: gauge('kafka_consumergroup_lag_sum', 'Lag summed over partitions', [
      'consumergroup',
      'topic',
    ]),
    currentOffset: gauge(
      'kafka_consumergroup_current_offset',
      'Committed offset (next to read); absent where the group never committed',
      byPartition,
    ),
    members: gauge('kafka_consumergroup_members', 'Members of the group now', ['consumergroup']),
    topicCurrentOffset: gauge(
      'kafka_topic_partition_current_offset',
      'Log end offset (high watermark)',
      ['topic', 'partition'],
    ),
    topicOldestOffset: gauge('kafka_topic_partition_oldest_offset', 'Log start offset', [
      'topic',
      'partition',
    ]),
    topicPartitions: gauge('kafka_topic_partitions', 'Partitions of the topic', ['topic']),
    lagSeconds: gauge(
      'strava_consumergroup_lag_seconds',
      'Age of the oldest record the group has not read; 0 when caught up',
      ['consumergroup', 'topic'],
    ),
    membersOverPartitions: gauge(
      'strava_consumergroup_members_over_partitions',
      'Members beyond the partition count: replicas that hold no partition and sit idle',
      ['consumergroup', 'topic'],
    ),
    collectErrors: new Counter({
      name: 'strava_lag_exporter_collect_errors_total',
      help: 'Scrapes whose lag could not be read from Kafka; lag series are absent then',
      registers,
    }),
    lastCollect: new Gauge({
      name: 'strava_lag_exporter_last_collect_timestamp_seconds',
      help: 'Unix time of the last lag read that succeeded',
      registers,
    }),
  };
}

const kafkaSeries = (metrics: LagMetrics) => [
  metrics.lag,
  metrics.lagSum,
  metrics.currentOffset,
  metrics.members,
  metrics.topicCurrentOffset,
  metrics.topicOldestOffset,
  metrics.topicPartitions,
  metrics.lagSeconds,
  metrics.membersOverPartitions,
];

/** Drops every lag series: stale lag would look like truth while Kafka is unreachable. */
export function clearLag(metrics: LagMetrics): void {
  for (const series of kafkaSeries(metrics)) {
    series.reset();
  }
}

/** Replaces every lag series with the snapshot, so deleted groups and topics disappear. */
export function applyLag(metrics: LagMetrics, snapshot: LagSnapshot, nowMs: number): void {
  clearLag(metrics);

  for (const [topic, ranges] of snapshot.topics) {
    metrics.topicPartitions.set({ topic }, ranges.length);
    for (const { partition, logStart, logEnd } of ranges) {
      const labels = { topic, partition: String(partition) };
      metrics.topicCurrentOffset.set(labels, logEnd);
      metrics.topicOldestOffset.set(labels, logStart);
    }
  }

  for (const group of snapshot.groups) {
    applyGroup(metrics, group);
  }

  metrics.lastCollect.set(nowMs / 1000);
}

function applyGroup(metrics: LagMetrics, group: LagSnapshot['groups'][number]): void {
  const consumergroup = group.group;
  metrics.members.set({ consumergroup }, group.members);

  for (const { topic, partitions, sum, seconds } of group.topics) {
    metrics.lagSum.set({ consumergroup, topic }, sum);
    const idle = Math.max(0, group.members - partitions.length);
    metrics.membersOverPartitions.set({ consumergroup, topic }, idle);
    if (seconds !== undefined) {
      metrics.lagSeconds.set({ consumergroup, topic }, seconds);
    }

    for (const { partition, committed, lag } of partitions) {
      const labels = { consumergroup, topic, partition: String(partition) };
      metrics.lag.set(labels, lag);
      if (committed >= 0) {
        metrics.currentOffset.set(labels, committed);
      }
    }
  }
}
