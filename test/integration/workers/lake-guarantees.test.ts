import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateExport } from '../../../bench/generate-export.ts';
import { groupIdOf, SPORTS, type Sport } from '../../../shared/sports/registry.ts';
import { reconcile } from '../../../workers/reconcile.ts';
import { uniqueName } from '../../helpers/unique.ts';
import {
  createTestLake,
  endpoints,
  listKeys,
  publishFile,
  publishMessages,
  readJson,
  s3,
  startFleet,
  startWorker,
  waitForLagZero,
} from './support.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/strava');

async function generatedExport(rows: number): Promise<string> {
  const path = join(tmpdir(), `${uniqueName('export')}.csv`);
  await generateExport(path, rows);
  onTestFinished(() => rmSync(path, { force: true }));
  return path;
}

async function drain(lake: { topic: string; groupPrefix: string }, sports: readonly Sport[]) {
  for (const sport of sports) {
    await waitForLagZero(lake.topic, groupIdOf(sport, lake.groupPrefix));
  }
}

describe('the lake', () => {
  it('is created once and private when several workers start at the same moment', async () => {
    const lake = await createTestLake(1);

    const workers = await Promise.all(SPORTS.map((sport) => startWorker(lake, sport.id)));
    await publishMessages(lake.topic, [{ key: '9', value: JSON.stringify(recordOf('Swim')) }]);
    await drain(lake, SPORTS);

    const url = `${endpoints.s3.AWS_ENDPOINT_URL_S3}/${lake.bucket}/natacion/9.json`;
    const anonymous = await fetch(url);
    expect(workers).toHaveLength(SPORTS.length);
    expect(await listKeys(lake.bucket, '')).toEqual(['natacion/9.json']);
    expect(anonymous.status).toBe(403);
  });

  it('keeps its object count when the same file is published twice', async () => {
    const lake = await createTestLake();
    const file = join(FIXTURES, 'en-us-long-103.csv');
    await startFleet(lake);
    await publishFile(lake, file);
    await drain(lake, SPORTS);
    const once = (await listKeys(lake.bucket, '')).sort();

    await publishFile(lake, file);
    await drain(lake, SPORTS);

    const twice = (await listKeys(lake.bucket, '')).sort();
    expect(once).toHaveLength(13);
    expect(twice).toEqual(once);
  });

  it('stores a non-JSON message and an unparseable record once each in _rejected/', async () => {
    const lake = await createTestLake(1);
    const workers = await startFleet(lake);
    const unparseable = {
      kind: 'unparseable',
      source: { file: 'broken.csv', line: 7 },
      raw: '1,"unterminated',
      reason: 'Quote Not Closed: the parsing is finished with an opening quote at line 7',
    };

    await publishMessages(lake.topic, [
      { key: 'junk', value: 'this is not json {' },
      { key: 'broken-7', value: JSON.stringify(unparseable) },
      { key: 'untyped', value: JSON.stringify(recordWithout('Activity Type')) },
      { key: '42', value: JSON.stringify(recordOf('Swim')) },
    ]);
    await drain(lake, SPORTS);

    const rejected = await listKeys(lake.bucket, '_rejected/');
    const reasons = await Promise.all(
      rejected.map(async (key) => (await readJson<{ reason: string }>(lake.bucket, key)).reason),
    );
    expect(reasons.sort()).toEqual(['no-type-column', 'not-json', 'unparseable']);
    expect(rejected.every((key) => key.startsWith(`_rejected/${lake.topic}/0-`))).toBe(true);
    expect(await listKeys(lake.bucket, 'natacion/')).toEqual(['natacion/42.json']);
    expect(workers.map((worker) => worker.counts.rejected)).toEqual([3, 3, 3]);
  });

  it('splits the partitions among three replicas of a sport and stores every activity', async () => {
    const lake = await createTestLake(6);
    const file = await generatedExport(3_000);
    const replicas = await Promise.all([1, 2, 3].map(() => startWorker(lake, 'carrera')));

    await publishFile(lake, file);
    await waitForLagZero(lake.topic, groupIdOf(carrera(), lake.groupPrefix));

    const handled = replicas.map((r) => r.counts.stored + r.counts.skipped + r.counts.rejected);
    expect(handled.every((count) => count > 0)).toBe(true);
    const report = await reconcile({ file, bucket: lake.bucket, s3, registry: [carrera()] });
    expect(report.sports[0]?.objectsPresent).toBeGreaterThan(500);
    expect(report.balanced).toBe(true);
  });

  it('gives a sport registered after the topic is full the whole history', async () => {
    const lake = await createTestLake();
    const file = join(FIXTURES, 'en-us-long-103.csv');
    const walking: Sport = {
      id: 'caminata',
      label: 'Caminata',
      activityTypes: ['Walk', 'Caminata', 'Wandeling', 'Marche', 'Spaziergang'],
      prefix: 'caminata/',
    };
    const registry = [...SPORTS, walking];
    await publishFile(lake, file);
    await publishFile(lake, join(FIXTURES, 'es-419-long-103.csv'));
    await publishFile(lake, join(FIXTURES, 'nl-long-99.csv'));

    await startWorker(lake, 'caminata', { registry });
    await waitForLagZero(lake.topic, groupIdOf(walking, lake.groupPrefix));

    const walks = await listKeys(lake.bucket, 'caminata/');
    const bodies = await Promise.all(
      walks.map((key) => readJson<{ activityType: string }>(lake.bucket, key)),
    );
    expect(new Set(bodies.map((body) => body.activityType))).toEqual(
      new Set(['Walk', 'Caminata', 'Wandeling']),
    );
    expect(await listKeys(lake.bucket, 'bici/')).toEqual([]);
    for (const name of ['en-us-long-103.csv', 'es-419-long-103.csv', 'nl-long-99.csv']) {
      const report = await reconcile({
        file: join(FIXTURES, name),
        bucket: lake.bucket,
        s3,
        registry: [walking],
      });
      expect(report.sports[0]?.missing).toEqual([]);
    }
  });
});

function carrera(): Sport {
  return SPORTS.find((sport) => sport.id === 'carrera') as Sport;
}

function recordOf(activityType: string) {
  return {
    kind: 'record',
    source: { file: 'hand-made.csv', line: 2 },
    fields: {
      'Activity ID': '42',
      'Activity Name': 'Swim then run',
      'Activity Type': activityType,
    },
  };
}

function recordWithout(column: string) {
  const record = recordOf('Run');
  const fields: Record<string, string> = { ...record.fields };
  delete fields[column];
  return { ...record, fields };
}
