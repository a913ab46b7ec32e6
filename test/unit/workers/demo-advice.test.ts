import { describe, expect, it } from 'vitest';
import { cleanStartAdvice } from '../../../workers/demo-advice.ts';
import type { ReconcileReport, SportBalance } from '../../../workers/reconcile.ts';

const sport = (id: string, unexpected: number, missing = 0): SportBalance => ({
  sport: id,
  rowsExpected: 10,
  objectsPresent: 10 - missing + unexpected,
  missing: Array.from({ length: missing }, (_, i) => `${id}/missing-${i}.json`),
  unexpected: Array.from({ length: unexpected }, (_, i) => `${id}/other-${i}.json`),
});

const reportOf = (...sports: SportBalance[]): ReconcileReport => ({
  file: 'workers/sample/activities-es.csv',
  sports,
  unparseableRows: 0,
  rejectedObjects: 0,
  balanced: sports.every((s) => s.missing.length === 0 && s.unexpected.length === 0),
});

const local = { topic: 'datos_strava', bucket: 'strava-data', ownServers: true };

describe('cleanStartAdvice', () => {
  it('says nothing when the lake balances', () => {
    expect(
      cleanStartAdvice(reportOf(sport('bici', 0), sport('carrera', 0)), local),
    ).toBeUndefined();
  });

  it('leaves missing objects alone: a clean start is not what they need', () => {
    expect(cleanStartAdvice(reportOf(sport('bici', 0, 3)), local)).toBeUndefined();
  });

  it('counts the objects of another export, per sport, and names the topic and bucket', () => {
    const advice = cleanStartAdvice(
      reportOf(sport('natacion', 2), sport('bici', 0), sport('carrera', 5)),
      local,
    );

    expect(advice).toContain(
      'The lake holds 7 objects the sample does not account for (natacion 2, carrera 5).',
    );
    expect(advice).toContain('another export published to topic datos_strava');
    expect(advice).toContain('s3://strava-data by hand');
  });

  it('gives the command that starts clean on the local servers', () => {
    const advice = cleanStartAdvice(reportOf(sport('bici', 1)), local);

    expect(advice).toContain('\n  npm run infra:reset && npm run demo\n');
  });

  it('does not offer infra:reset for servers this checkout does not run', () => {
    const advice = cleanStartAdvice(reportOf(sport('bici', 1)), { ...local, ownServers: false });

    expect(advice).not.toContain('npm run infra:reset &&');
    expect(advice).toContain('cannot empty them: delete topic datos_strava and the objects of');
    expect(advice).toContain('docker compose down -v');
  });

  it.each([true, false])(
    'offers a topic, bucket and groups of its own (own servers: %s)',
    (own) => {
      const advice = cleanStartAdvice(reportOf(sport('bici', 1)), { ...local, ownServers: own });

      expect(advice?.split('\n').at(-1)).toBe(
        '  KAFKA_TOPIC=strava-demo S3_BUCKET=strava-demo WORKER_GROUP_PREFIX=demo- npm run demo',
      );
    },
  );
});
