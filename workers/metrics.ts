import { Counter, Histogram, type Registry } from 'prom-client';

export type Outcome = 'stored' | 'skipped' | 'rejected';

/** The worker's metrics, named as DESIGN.md fixes them; defined once per registry. */
export interface WorkerMetrics {
  messages: Counter<'sport' | 'outcome'>;
  s3PutSeconds: Histogram<'sport'>;
}

export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  return {
    messages: new Counter({
      name: 'strava_worker_messages_total',
      help: 'Messages a sport worker handled, by outcome (stored, skipped, rejected)',
      labelNames: ['sport', 'outcome'],
      registers: [registry],
    }),
    s3PutSeconds: new Histogram({
      name: 'strava_worker_s3_put_seconds',
      help: 'Duration of successful S3 PUTs of a sport worker',
      labelNames: ['sport'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
