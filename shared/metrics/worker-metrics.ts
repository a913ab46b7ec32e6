import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What became of a message: written to the lake, not this sport's, or set aside. */
export type WorkerOutcome = 'stored' | 'skipped' | 'rejected';

/** The worker's metrics, defined once per registry; every series carries `sport`. */
export interface WorkerMetrics {
  /** `strava_worker_messages_total{sport,outcome}`. */
  messages: Counter<'sport' | 'outcome'>;
  /** `strava_worker_s3_put_seconds{sport}`: successful PUTs only; failures are retries. */
  s3PutSeconds: Histogram<'sport'>;
  /** `strava_worker_s3_retries_total{sport}`: failed S3 writes that will be tried again. */
  s3Retries: Counter<'sport'>;
  /** `strava_worker_s3_writes_in_flight{sport}`: PUTs started and not yet answered. */
  s3InFlight: Gauge<'sport'>;
  /** `strava_worker_batches_total{sport}`: Kafka batches handled and committed. */
  batches: Counter<'sport'>;
  /** `strava_worker_batch_seconds{sport}`: from receiving a batch to committing it. */
  batchSeconds: Histogram<'sport'>;
  /** `strava_worker_last_commit_timestamp_seconds{sport}`: when offsets were last committed. */
  lastCommit: Gauge<'sport'>;
  /** `strava_worker_assigned_partitions{sport}`: partitions this replica holds now. */
  assignedPartitions: Gauge<'sport'>;
  /**
   * `strava_worker_idle_replica{sport}`: 1 when this replica holds no partition because
   * the sport runs more replicas than the topic has partitions.
   */
  idleReplica: Gauge<'sport'>;
}

/** S3 PUTs of one small JSON object: a few ms locally, up to seconds while S3 struggles. */
const PUT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A batch is up to a few hundred PUTs at the worker's concurrency. */
const BATCH_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Defines the worker's metrics. With a sport, every series of that sport starts at 0, so
 * dashboards and rate() see it before the first message, not only after.
 */
export function createWorkerMetrics(registry: Registry, sport?: string): WorkerMetrics {
  const metrics = defineWorkerMetrics(registry);
  if (sport !== undefined) {
    zeroSeries(metrics, sport);
  }

  return metrics;
}

function zeroSeries(metrics: WorkerMetrics, sport: string): void {
  for (const outcome of ['stored', 'skipped', 'rejected'] satisfies WorkerOutcome[]) {
    metrics.messages.inc({ sport, outcome }, 0);
  }

  metrics.s3PutSeconds.zero({ sport });
  metrics.batchSeconds.zero({ sport });
  metrics.s3Retries.inc({ sport }, 0);
  metrics.batches.inc({ sport }, 0);
  metrics.s3InFlight.set({ sport }, 0);
  metrics.assignedPartitions.set({ sport }, 0);
  metrics.idleReplica.set({ sport }, 0);
}

function defineWorkerMetrics(registry: Registry): WorkerMetrics {
  const registers = [registry];
  const labelNames = ['sport'] as const;

  return {
    messages: new Counter({
      name: 'strava_worker_messages_total',
      help: 'Messages a sport worker handled, by outcome (stored, skipped, rejected)',
      labelNames: ['sport', 'outcome'],
      registers,
    }),
    s3PutSeconds: new Histogram({
      name: 'strava_worker_s3_put_seconds',
      help: 'Duration of successful S3 PUTs',
      labelNames,
      buckets: PUT_BUCKETS,
      registers,
    }),
    s3Retries: new Counter({
      name: 'strava_worker_s3_retries_total',
      help: 'Failed S3 writes that are tried again after a backoff',
      labelNames,
      registers,
    }),
    s3InFlight: new Gauge({
      name: 'strava_worker_s3_writes_in_flight',
      help: 'S3 PUTs started and not answered yet',
      labelNames,
      registers,
    }),
    batches: new Counter({
      name: 'strava_worker_batches_total',
      help: 'Kafka batches handled and committed',
      labelNames,
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'strava_worker_batch_seconds',
      help: 'Time from receiving a Kafka batch to committing its offsets',
      labelNames,
      buckets: BATCH_BUCKETS,
      registers,
    }),
    lastCommit: new Gauge({
      name: 'strava_worker_last_commit_timestamp_seconds',
      help: 'Unix time of the last offset commit',
      labelNames,
      registers,
    }),
    assignedPartitions: new Gauge({
      name: 'strava_worker_assigned_partitions',
      help: 'Topic partitions this replica holds',
      labelNames,
      registers,
    }),
    idleReplica: new Gauge({
      name: 'strava_worker_idle_replica',
      help: '1 when this replica holds no partition: more replicas than partitions',
      labelNames,
      registers,
    }),
  };
}
