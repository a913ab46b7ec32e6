import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInfraSettings, localEndpoints } from '../../../infra/endpoints.ts';
import { infraPaths } from '../../../infra/paths.ts';
import { removeTargets, writeTargets } from '../../../infra/prometheus-targets.ts';
import { uniqueName } from '../../helpers/unique.ts';

interface QueryResponse {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe('the local Prometheus', () => {
  const targetsDir = infraPaths(loadInfraSettings()).prometheusTargetsDir;
  const owner = uniqueName('smoke');
  let exporter: Server;

  beforeAll(async () => {
    exporter = createServer((_request, response) => {
      response.end('# TYPE smoke_value gauge\nsmoke_value 42\n');
    });
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => {
    removeTargets(targetsDir, owner);
    exporter.close();
  });

  it('scrapes a target the project registers through the targets folder', async () => {
    const { port } = exporter.address() as AddressInfo;
    writeTargets(targetsDir, owner, [{ targets: [`127.0.0.1:${port}`], labels: { smoke: owner } }]);

    const series = await pollQuery(`smoke_value{smoke="${owner}"}`, 30_000);

    expect(series?.value[1]).toBe('42');
    expect(series?.metric.job).toBe('strava-fleet');
  });
});

async function pollQuery(query: string, timeoutMs: number) {
  const url = `${localEndpoints().prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`;
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline) {
    const body = (await (await fetch(url)).json()) as QueryResponse;
    if (body.data.result.length > 0) {
      return body.data.result[0];
    }
    await sleep(500);
  }
  return undefined;
}
