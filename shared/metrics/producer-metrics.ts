import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** `published`: a parsed row Kafka acknowledged. `unparseable`: published marked unparseable. */
export type ProducerRowOutcome = 'published' | 'unparseable';

/** The producer's metrics, defined once per registry. */
export interface ProducerMetrics {
  /** `strava_producer_rows_total{outcome}`: rows Kafka acknowledged, by outcome. */
  rows: Counter<'outcome'>;
  /** `strava_producer_batches_total`: batches sent to Kafka and acknowledged. */
  batches: Counter;
  /** `strava_producer_batch_send_seconds`: from send to acknowledgement, per batch. */
  batchSendSeconds: Histogram;
  /** `strava_producer_send_failures_total`: batches Kafka refused after its own retries. */
  sendFailures: Counter;
  /** `strava_producer_bytes_read_total`: bytes of the CSV read so far. */
  bytesRead: Counter;
  /** `strava_producer_last_ack_timestamp_seconds`: when Kafka last acknowledged a batch. */
  lastAck: Gauge;
}

/** Defines the producer's metrics; both row outcomes start at 0, so rate() sees them. */
export function createProducerMetrics(registry: Registry): ProducerMetrics {
  const metrics = defineProducerMetrics(registry);
  metrics.rows.inc({ outcome: 'published' }, 0);
  metrics.rows.inc({ outcome: 'unparseable' }, 0);

  return metrics;
}

function defineProducerMetrics(registry: Registry): ProducerMetrics {
  const registers = [registry];

  return {
    rows: new Counter({
      name: 'strava_producer_rows_total',
      help: 'CSV rows Kafka acknowledged, by outcome (published, unparseable)',
      labelNames: ['outcome'],
      registers,
    }),
    batches: new Counter({
      name: 'strava_producer_batches_total',
      help: 'Batches of messages Kafka acknowledged',
      registers,
    }),
    batchSendSeconds: new Histogram({
      name: 'strava_producer_batch_send_seconds',
      help: 'Time from sending a batch to its acknowledgement',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    sendFailures: new Counter({
      name: 'strava_producer_send_failures_total',
      help: 'Batches Kafka refused after its client retries; the run stops on the first',
      registers,
    }),
    bytesRead: new Counter({
      name: 'strava_producer_bytes_read_total',
      help: 'Bytes of the CSV file read',
      registers,
    }),
    lastAck: new Gauge({
      name: 'strava_producer_last_ack_timestamp_seconds',
      help: 'Unix time of the last batch Kafka acknowledged',
      registers,
    }),
  };
}
