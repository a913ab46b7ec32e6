import { describe, expect, it } from 'vitest';
import { createProducerMetrics } from '../../../shared/metrics/producer-metrics.ts';
import { createMetricsRegistry } from '../../../shared/metrics/registry.ts';
import { createWorkerMetrics } from '../../../shared/metrics/worker-metrics.ts';

describe('createProducerMetrics', () => {
  it('counts rows by outcome under the name DESIGN.md fixes', async () => {
    const registry = createMetricsRegistry({ service: 'producer' });
    const metrics = createProducerMetrics(registry);

    metrics.rows.inc({ outcome: 'published' }, 3);
    metrics.rows.inc({ outcome: 'unparseable' });

    const rows = await registry.getSingleMetric('strava_producer_rows_total')?.get();
    const byOutcome = Object.fromEntries(
      rows?.values.map((v) => [v.labels.outcome, v.value]) ?? [],
    );
    expect(byOutcome).toEqual({ published: 3, unparseable: 1 });
  });

  it('defines every producer metric once, so a second definition fails loudly', () => {
    const registry = createMetricsRegistry({ service: 'producer' });
    createProducerMetrics(registry);

    expect(() => createProducerMetrics(registry)).toThrow(/already been registered/);
  });
});

describe('createWorkerMetrics', () => {
  it('starts every series of its sport at 0, so dashboards show the sport before any message', async () => {
    const registry = createMetricsRegistry({ service: 'worker', sport: 'natacion' });

    createWorkerMetrics(registry, 'natacion');

    const messages = await registry.getSingleMetric('strava_worker_messages_total')?.get();
    const outcomes = messages?.values.map((v) => [v.labels.outcome, v.value]);
    expect(outcomes).toEqual([
      ['stored', 0],
      ['skipped', 0],
      ['rejected', 0],
    ]);
    const retries = await registry.getSingleMetric('strava_worker_s3_retries_total')?.get();
    expect(retries?.values).toEqual([{ labels: { sport: 'natacion' }, value: 0 }]);
  });

  it('counts messages per sport and outcome under the name DESIGN.md fixes', async () => {
    const registry = createMetricsRegistry({ service: 'worker', sport: 'bici' });
    const metrics = createWorkerMetrics(registry);

    metrics.messages.inc({ sport: 'bici', outcome: 'stored' }, 2);
    metrics.messages.inc({ sport: 'bici', outcome: 'skipped' });

    const text = await registry.metrics();
    expect(text).toContain(
      'strava_worker_messages_total{sport="bici",outcome="stored",service="worker"} 2',
    );
    expect(text).toContain(
      'strava_worker_messages_total{sport="bici",outcome="skipped",service="worker"} 1',
    );
  });

  it('puts S3 write durations into buckets from milliseconds to seconds', async () => {
    const registry = createMetricsRegistry({ service: 'worker', sport: 'natacion' });
    const metrics = createWorkerMetrics(registry);

    metrics.s3PutSeconds.observe({ sport: 'natacion' }, 0.004);
    metrics.s3PutSeconds.observe({ sport: 'natacion' }, 3);

    const text = await registry.metrics();
    const bucket = (le: string) => {
      const line = text
        .split('\n')
        .find(
          (l) => l.startsWith('strava_worker_s3_put_seconds_bucket{') && l.includes(`le="${le}"`),
        );
      return Number(line?.split(' ').at(-1));
    };
    expect(bucket('0.005')).toBe(1);
    expect(bucket('2.5')).toBe(1);
    expect(bucket('5')).toBe(2);
  });

  it('exposes what a person on call looks at: retries, writes in flight, last commit, idle replica', async () => {
    const registry = createMetricsRegistry({ service: 'worker', sport: 'carrera' });
    const metrics = createWorkerMetrics(registry);
    const sport = { sport: 'carrera' };

    metrics.s3Retries.inc(sport);
    metrics.s3InFlight.set(sport, 4);
    metrics.lastCommit.set(sport, 1_700_000_000);
    metrics.idleReplica.set(sport, 1);
    metrics.batches.inc(sport);

    const names = (await registry.getMetricsAsJSON())
      .filter((metric) => metric.name.startsWith('strava_worker_'))
      .map((metric) => metric.name);
    expect(names).toEqual([
      'strava_worker_messages_total',
      'strava_worker_s3_put_seconds',
      'strava_worker_s3_retries_total',
      'strava_worker_s3_writes_in_flight',
      'strava_worker_batches_total',
      'strava_worker_batch_seconds',
      'strava_worker_last_commit_timestamp_seconds',
      'strava_worker_assigned_partitions',
      'strava_worker_idle_replica',
    ]);
    const inFlight = await registry.getSingleMetric('strava_worker_s3_writes_in_flight')?.get();
    expect(inFlight?.values[0]?.value).toBe(4);
  });
});
