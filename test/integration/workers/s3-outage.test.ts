import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateExport } from '../../../bench/generate-export.ts';
import { localServers } from '../../../infra/control.ts';
import { loadInfraSettings } from '../../../infra/endpoints.ts';
import { stopProcess } from '../../../infra/processes.ts';
import { waitUntilReady } from '../../../infra/readiness.ts';
import type { LocalServer } from '../../../infra/servers/local-server.ts';
import { createS3Client } from '../../../shared/s3/client.ts';
import { groupIdOf, SPORTS, type Sport } from '../../../shared/sports/registry.ts';
import { reconcile } from '../../../workers/reconcile.ts';
import { uniqueName } from '../../helpers/unique.ts';
import {
  createTestLake,
  groupLag,
  kafka,
  publishFile,
  startWorker,
  waitForLagZero,
  waitUntil,
} from './support.ts';

const bici = SPORTS.find((sport) => sport.id === 'bici') as Sport;
const SESSION_TIMEOUT_MS = 6_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * An S3 server of this test alone, started by the project's infra code on a free port and
 * in a folder of its own: stopping it disturbs no other test and no developer's servers.
 */
async function privateS3Server(): Promise<{ server: LocalServer; endpoint: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wk-s3-'));
  const settings = { ...loadInfraSettings(), S3_PORT: await freePort(), INFRA_DIR: dir };
  const [server] = localServers(['s3'], settings) as [LocalServer];
  await server.install();
  await startS3(server);
  onTestFinished(async () => {
    await stopProcess(server.process);
    rmSync(dir, { recursive: true, force: true });
  });

  return { server, endpoint: server.address };
}

async function startS3(server: LocalServer): Promise<void> {
  await server.start();
  await waitUntilReady(() => server.ready(), { what: server.label, timeoutMs: 30_000 });
}

describe('an S3 outage', () => {
  it('loses nothing, duplicates nothing and causes no rebalance when S3 is down past the session timeout', async () => {
    const { server, endpoint } = await privateS3Server();
    const s3 = createS3Client({
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: loadInfraSettings().AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: loadInfraSettings().AWS_SECRET_ACCESS_KEY,
    });
    const lake = await createTestLake(3);
    const file = join(tmpdir(), `${uniqueName('export')}.csv`);
    await generateExport(file, 900);
    onTestFinished(() => rmSync(file, { force: true }));
    const worker = await startWorker(lake, 'bici', {
      s3,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: 1_000,
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    await waitUntil('the worker joined its group', () => worker.groupJoins === 1);

    await stopProcess(server.process);
    await publishFile(lake, file);
    await new Promise((resolve) => setTimeout(resolve, SESSION_TIMEOUT_MS * 2));
    const lagDuringOutage = await lagOf(lake.topic, groupIdOf(bici, lake.groupPrefix));
    await startS3(server);
    await waitForLagZero(lake.topic, groupIdOf(bici, lake.groupPrefix));

    expect(lagDuringOutage).toBeGreaterThan(0);
    expect(worker.counts.stored).toBeGreaterThanOrEqual(250);
    expect(worker.groupJoins).toBe(1);
    const report = await reconcile({ file, bucket: lake.bucket, s3, registry: [bici] });
    expect(report.sports[0]?.objectsPresent).toBe(report.sports[0]?.rowsExpected);
    expect(report.balanced).toBe(true);
  });
});

async function lagOf(topic: string, groupId: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lag = await groupLag(admin, topic, groupId);
    return lag.reduce((sum, partition) => sum + partition.lag, 0);
  } finally {
    await admin.disconnect();
  }
}
