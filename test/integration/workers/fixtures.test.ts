import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupIdOf, SPORTS } from '../../../shared/sports/registry.ts';
import { readExport } from '../../../workers/read-export.ts';
import { reconcile } from '../../../workers/reconcile.ts';
import {
  createTestLake,
  listKeys,
  publishFile,
  readJson,
  s3,
  startFleet,
  waitForLagZero,
} from './support.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/strava');

/** The README's table: file → swim, ride, run counts. */
function expectedCounts(): Array<{
  file: string;
  natacion: number;
  bici: number;
  carrera: number;
}> {
  const readme = readFileSync(join(FIXTURES, 'README.md'), 'utf8');
  const rows = readme.split('\n').filter((line) => /^\| [\w-]+\.csv \|/.test(line));

  return rows.map((line) => {
    const cells = line.split('|').map((cell) => cell.trim());
    return {
      file: cells[1] as string,
      natacion: Number(cells[4]),
      bici: Number(cells[5]),
      carrera: Number(cells[6]),
    };
  });
}

interface StoredActivity {
  sport: string;
  activityType: string;
  record: Record<string, string>;
  provenance: { file: string; line: number; topic: string; partition: number; offset: string };
}

describe('the fleet on every fixture', () => {
  it.each(expectedCounts())(
    'stores $file per sport as its README counts, balanced, every column kept',
    async (expected) => {
      const lake = await createTestLake();
      const file = join(FIXTURES, expected.file);
      await startFleet(lake);

      await publishFile(lake, file);
      for (const sport of SPORTS) {
        await waitForLagZero(lake.topic, groupIdOf(sport, lake.groupPrefix));
      }

      const counts = {
        natacion: (await listKeys(lake.bucket, 'natacion/')).length,
        bici: (await listKeys(lake.bucket, 'bici/')).length,
        carrera: (await listKeys(lake.bucket, 'carrera/')).length,
      };
      expect({ file: expected.file, ...counts }).toEqual(expected);
      const report = await reconcile({ file, bucket: lake.bucket, s3, registry: SPORTS });
      expect(report.balanced).toBe(true);
      const rows = await rowsByLine(file);
      for (const activity of await storedActivities(lake.bucket)) {
        expect(activity.provenance.file).toBe(expected.file);
        expect(activity.record).toEqual(rows.get(activity.provenance.line));
      }
    },
  );
});

async function rowsByLine(file: string): Promise<Map<number, Record<string, string>>> {
  const rows = new Map<number, Record<string, string>>();

  for await (const row of readExport(file)) {
    if (row.kind === 'record') {
      rows.set(row.message.source.line, row.message.fields);
    }
  }

  return rows;
}

async function storedActivities(bucket: string): Promise<StoredActivity[]> {
  const keys = await listKeys(bucket, '');
  const activities = keys.filter((key) => !key.startsWith('_rejected/'));

  return Promise.all(activities.map((key) => readJson<StoredActivity>(bucket, key)));
}
