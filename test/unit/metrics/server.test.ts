import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../../shared/metrics/registry.ts';
import {
  type Health,
  type MetricsServer,
  startMetricsServer,
} from '../../../shared/metrics/server.ts';

const servers: MetricsServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(health: Health, beforeScrape?: () => Promise<void>) {
  const registry = createMetricsRegistry({ service: 'test' });
  const server = await startMetricsServer({
    port: 0,
    host: '127.0.0.1',
    registry,
    health: () => health,
    ...(beforeScrape ? { beforeScrape } : {}),
  });
  servers.push(server);
  return { registry, url: `http://127.0.0.1:${server.port}` };
}

describe('startMetricsServer', () => {
  it('picks a free port when asked for port 0 and serves the registry in Prometheus format', async () => {
    const { url } = await serve({ status: 'ready' });

    const response = await fetch(`${url}/metrics`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toMatch(/^process_cpu_user_seconds_total\{service="test"\} /m);
  });

  it.each([
    { status: 'starting', code: 503 },
    { status: 'ready', code: 200 },
    { status: 'degraded', code: 200 },
  ] as const)('answers /healthz with $code while $status', async ({ status, code }) => {
    const { url } = await serve({ status, detail: 'why' });

    const response = await fetch(`${url}/healthz`);

    expect(response.status).toBe(code);
    expect(await response.json()).toEqual({ status, detail: 'why' });
  });

  it('runs the scrape hook before each answer, so values computed on scrape are fresh', async () => {
    let scrapes = 0;
    const { url } = await serve({ status: 'ready' }, async () => {
      scrapes += 1;
    });

    await fetch(`${url}/metrics`);
    await fetch(`${url}/metrics`);

    expect(scrapes).toBe(2);
  });

  it('answers 500 with the reason when the scrape hook fails', async () => {
    const { url } = await serve({ status: 'ready' }, async () => {
      throw new Error('broker gone');
    });

    const response = await fetch(`${url}/metrics`);

    expect(response.status).toBe(500);
    expect(await response.text()).toContain('broker gone');
  });

  it('answers 404 for other paths', async () => {
    const { url } = await serve({ status: 'ready' });

    const response = await fetch(`${url}/other`);

    expect(response.status).toBe(404);
  });

  it('says which port is taken and what to do when it cannot listen', async () => {
    const { registry } = await serve({ status: 'ready' });
    const taken = servers[0]?.port ?? 0;

    const attempt = startMetricsServer({
      port: taken,
      host: '127.0.0.1',
      registry,
      health: () => ({ status: 'ready' }),
    });

    await expect(attempt).rejects.toThrow(new RegExp(`port ${taken}.*METRICS_PORT`));
  });
});
