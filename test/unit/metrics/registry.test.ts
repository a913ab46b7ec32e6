import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../../shared/metrics/registry.ts';

describe('createMetricsRegistry', () => {
  it('labels every series with the service and sport it was created for', async () => {
    const registry = createMetricsRegistry({ service: 'worker', sport: 'bici' });

    const metrics = await registry.getMetricsAsJSON();

    const cpu = metrics.find((metric) => metric.name === 'process_cpu_user_seconds_total');
    expect(cpu?.values[0]?.labels).toMatchObject({ service: 'worker', sport: 'bici' });
  });

  it('leaves the sport label out for a process that serves every sport', async () => {
    const registry = createMetricsRegistry({ service: 'lag-exporter' });

    const text = await registry.metrics();

    expect(text).toContain('service="lag-exporter"');
    expect(text).not.toContain('sport=');
  });

  it('gives each call its own registry, so two processes in one test never collide', () => {
    const first = createMetricsRegistry({ service: 'producer' });
    const second = createMetricsRegistry({ service: 'producer' });

    expect(first).not.toBe(second);
    expect(first.getSingleMetric('nodejs_heap_size_used_bytes')).toBeDefined();
    expect(second.getSingleMetric('nodejs_heap_size_used_bytes')).toBeDefined();
  });
});
