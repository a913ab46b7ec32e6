import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateExport } from '../../../bench/generate-export.ts';
import { loadInfraSettings } from '../../../infra/endpoints.ts';
import { createS3Client } from '../../../shared/s3/client.ts';
import { groupIdOf, SPORTS, type Sport } from '../../../shared/sports/registry.ts';
import { reconcile } from '../../../workers/reconcile.ts';
import { privateServer } from '../../helpers/private-server.ts';
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

describe('an S3 outage', () => {
  it('loses nothing, duplicates nothing and causes no rebalance when S3 is down past the session timeout', async () => {
    const s3Server = await privateServer('s3', ['S3_PORT']);
    await s3Server.start();
    const s3 = createS3Client({
      AWS_ENDPOINT_URL_S3: s3Server.server.address,
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

    await s3Server.stop();
    await publishFile(lake, file);
    await new Promise((resolve) => setTimeout(resolve, SESSION_TIMEOUT_MS * 2));
    const lagDuringOutage = await lagOf(lake.topic, groupIdOf(bici, lake.groupPrefix));
    await s3Server.start();
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
