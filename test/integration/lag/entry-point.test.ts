import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../infra/paths.ts';
import { freePort } from '../../helpers/run-cli.ts';
import { uniqueName } from '../../helpers/unique.ts';
import { brokers, scrape } from './support.ts';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
  }
});

function startExporter(port: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/lag-exporter.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC: uniqueName('lag-entry'),
      LAG_GROUP_PATTERN: `^${uniqueName('none')}`,
      METRICS_PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: 'inherit',
  });
  children.push(child);
  return child;
}

/** Polls /healthz until the exporter has read Kafka once (it answers 503 until then). */
async function untilReady(port: number): Promise<unknown> {
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (response?.status === 200) {
      return response.json();
    }
    await sleep(100);
  }
}

describe('npm run lag-exporter', () => {
  it('serves /healthz and /metrics on METRICS_PORT and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = startExporter(port);

    const health = await untilReady(port);
    const samples = await scrape(port);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');

    expect(health).toMatchObject({ status: 'ready' });
    expect(
      samples.some((s) => s.name === 'strava_lag_exporter_last_collect_timestamp_seconds'),
    ).toBe(true);
    expect(samples.every((s) => s.labels.service === 'lag-exporter')).toBe(true);
    expect(code).toBe(0);
  });
});
