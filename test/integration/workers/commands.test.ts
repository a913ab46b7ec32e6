import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { groupIdOf, SPORTS } from '../../../shared/sports/registry.ts';
import { createTestLake, listKeys, publishFile, s3, waitForLagZero, workerEnv } from './support.ts';

const ROOT = join(import.meta.dirname, '../../..');
const FILE = join(ROOT, 'test/fixtures/strava/es-419-long-103.csv');

/** Runs one of the project's entry points as `npm run` would; killed at test end. */
function run(entry: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, entry), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  onTestFinished(() => {
    child.kill('SIGKILL');
  });

  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, output: () => output };
}

describe('npm run fleet and npm run reconcile', () => {
  it('runs every sport, stops all on Ctrl-C with exit 0, and the lake reconciles', async () => {
    const lake = await createTestLake(3);
    const env = workerEnv(lake);
    const fleet = run('workers/fleet-main.ts', [], env);

    await publishFile(lake, FILE);
    for (const sport of SPORTS) {
      await waitForLagZero(lake.topic, groupIdOf(sport, lake.groupPrefix));
    }
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
    const lake = await createTestLake(3);
    const env = workerEnv(lake);
    const fleet = run('workers/fleet-main.ts', [], env);
    await publishFile(lake, FILE);
    for (const sport of SPORTS) {
      await waitForLagZero(lake.topic, groupIdOf(sport, lake.groupPrefix));
    }
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
