import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { groupIdOf, SPORTS } from '../../../shared/sports/registry.ts';
import { spawnEntry } from '../../helpers/entry-process.ts';
import { createTestLake, listKeys, publishFile, s3, waitForLagZero, workerEnv } from './support.ts';

const ROOT = join(import.meta.dirname, '../../..');
const FILE = join(ROOT, 'test/fixtures/strava/es-419-long-103.csv');

/** Runs one of the project's entry points as `npm run` would; killed at test end. */
const run = spawnEntry;

/** `npm run fleet` on a lake of its own, once every sport has consumed the published file. */
async function fleetThatConsumed(file: string) {
  const lake = await createTestLake(3);
  const env = workerEnv(lake);
  const fleet = run('workers/fleet-main.ts', [], env);

  await publishFile(lake, file);
  for (const sport of SPORTS) {
    await waitForLagZero(lake.topic, groupIdOf(sport, lake.groupPrefix));
  }
  return { lake, env, fleet };
}

describe('npm run fleet and npm run reconcile', () => {
  it('runs every sport, stops all on Ctrl-C with exit 0, and the lake reconciles', async () => {
    const { env, fleet } = await fleetThatConsumed(FILE);

    fleet.child.kill('SIGINT');
    const fleetCode = await fleet.exited;
    const reconciled = run('workers/reconcile-main.ts', [FILE], env);
    const reconcileCode = await reconciled.exited;

    expect(fleetCode).toBe(0);
    expect(fleet.output().match(/"msg":"worker stopped"/g)).toHaveLength(SPORTS.length);
    expect(reconcileCode).toBe(0);
    expect(reconciled.output()).toContain('carrera      rows expected 5, objects present 5');
    expect(reconciled.output()).toContain('balanced');
  });

  it('reconcile exits 1 and names the object when one is missing', async () => {
    const { lake, env, fleet } = await fleetThatConsumed(FILE);
    fleet.child.kill('SIGTERM');
    await fleet.exited;
    const [lost] = await listKeys(lake.bucket, 'natacion/');
    await s3.send(new DeleteObjectCommand({ Bucket: lake.bucket, Key: lost }));

    const reconciled = run('workers/reconcile-main.ts', [FILE], env);
    const code = await reconciled.exited;

    expect(code).toBe(1);
    expect(reconciled.output()).toContain(`missing    ${lost}`);
    expect(reconciled.output()).toContain('NOT balanced');
  });
});
