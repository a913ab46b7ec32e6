import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateExport } from '../../../bench/generate-export.ts';
import { groupIdOf, SPORTS, type Sport } from '../../../shared/sports/registry.ts';
import { reconcile } from '../../../workers/reconcile.ts';
import { uniqueName } from '../../helpers/unique.ts';
import {
  countKeys,
  createTestLake,
  listKeys,
  publishFile,
  s3,
  spawnWorker,
  waitForLagZero,
  waitUntil,
  workerEnv,
} from './support.ts';

const carrera = SPORTS.find((sport) => sport.id === 'carrera') as Sport;

async function generatedExport(rows: number): Promise<string> {
  const path = join(tmpdir(), `${uniqueName('export')}.csv`);
  await generateExport(path, rows);
  onTestFinished(() => rmSync(path, { force: true }));
  return path;
}

describe('the worker process', () => {
  it('completes the lake without duplicates after a SIGKILL in the middle of a file', async () => {
    const lake = await createTestLake(3);
    const file = await generatedExport(4_000);
    // Small slices and few lanes, so that the kill lands while most of the file is unread.
    const env = workerEnv(lake, { WORKER_S3_CONCURRENCY: '2' });
    const first = spawnWorker(['--sport', 'carrera'], env);
    await publishFile(lake, file);
    await waitUntil('the first worker stored some activities', async () => {
      return (await countKeys(lake.bucket, 'carrera/')) >= 20;
    });

    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = (await listKeys(lake.bucket, 'carrera/')).length;
    spawnWorker(['--sport', 'carrera'], workerEnv(lake));
    await waitForLagZero(lake.topic, groupIdOf(carrera, lake.groupPrefix), 120_000);

    const report = await reconcile({ file, bucket: lake.bucket, s3, registry: [carrera] });
    const balance = report.sports[0];
    expect(atKill).toBeLessThan(balance?.rowsExpected ?? 0);
    expect(balance?.objectsPresent).toBe(balance?.rowsExpected);
    expect(report.balanced).toBe(true);
  });

  it('leaves the group and exits 0 on SIGTERM in the middle of a file', async () => {
    const lake = await createTestLake(3);
    const file = await generatedExport(3_000);
    const worker = spawnWorker(
      ['--sport', 'bici'],
      workerEnv(lake, { WORKER_S3_CONCURRENCY: '2' }),
    );
    await publishFile(lake, file);
    await waitUntil('the worker stored some activities', async () => {
      return (await countKeys(lake.bucket, 'bici/')) >= 20;
    });

    worker.child.kill('SIGTERM');
    const code = await worker.exited;

    expect(code).toBe(0);
    expect(worker.output()).toContain('worker stopped');
  });

  it('stops with a clear message and a non-zero exit when S3 refuses its credentials', async () => {
    const lake = await createTestLake(1);
    const env = workerEnv(lake, { AWS_SECRET_ACCESS_KEY: 'not-the-secret' });

    const worker = spawnWorker(['--sport', 'bici'], env);
    const code = await worker.exited;

    expect(code).not.toBe(0);
    expect(worker.output()).toMatch(/AWS_SECRET_ACCESS_KEY/);
  });

  it('lists the valid sports when given an unknown one', async () => {
    const lake = await createTestLake(1);

    const worker = spawnWorker(['--sport', 'petanca'], workerEnv(lake));
    const code = await worker.exited;

    expect(code).not.toBe(0);
    expect(worker.output()).toContain('natacion, bici, carrera');
  });
});
