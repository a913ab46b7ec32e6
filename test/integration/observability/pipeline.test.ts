import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetDashboard } from '../../../grafana/fleet-dashboard.ts';
import { panelQueries } from '../../../grafana/panel-queries.ts';
import { loadInfraSettings } from '../../../infra/endpoints.ts';
import { infraPaths } from '../../../infra/paths.ts';
import { removeTargets, writeTargets } from '../../../infra/prometheus-targets.ts';
import { groupIdOf, SPORTS } from '../../../shared/sports/registry.ts';
import { type RunningFleet, startFleet } from '../../../workers/fleet.ts';
import { freePort } from '../../helpers/run-cli.ts';
import { uniqueName } from '../../helpers/unique.ts';
import {
  createLake,
  deleteLake,
  endpoints,
  publishFile,
  spawnWorker,
  type TestLake,
  waitForLagZero,
  workerEnv,
} from '../workers/support.ts';
import { pollQuery, spawnProducer } from './support.ts';

const ROOT = join(import.meta.dirname, '../../..');
const SAMPLE = join(ROOT, 'workers/sample/activities-es.csv');
const MORE_ROWS = join(ROOT, 'test/fixtures/strava/es-419-long-103.csv');
/** Rows of the bundled sample; every one is published (none is unparseable). */
const SAMPLE_ROWS = 360;

const targetsDir = infraPaths(loadInfraSettings()).prometheusTargetsDir;

/** Syntax errors lezer-promql (Prometheus's own grammar) finds in an expression. */
function parseErrors(promql: string): number {
  const cursor = parser.parse(promql).cursor();
  let errors = 0;
  do {
    if (cursor.type.isError) errors += 1;
  } while (cursor.next());

  return errors;
}

const hasSeries = (answer: { result: unknown[] }) => answer.result.length > 0;

describe('the pipeline as the local Prometheus scrapes it', () => {
  const producerOwner = uniqueName('obs-producer');
  let lake: TestLake;
  let fleet: RunningFleet;
  /** Lag of the given sports' groups (a regex alternation of sport ids), summed. */
  let lagSum: (sports: string) => string;

  beforeAll(async () => {
    lake = await createLake(3, 'obs');
    fleet = await startFleet({
      registry: SPORTS,
      env: workerEnv(lake, { LOG_LEVEL: 'warn' }),
      groupPrefix: lake.groupPrefix,
      output: 'ignore',
      prometheusTargetsDir: targetsDir,
      targetsOwner: uniqueName('obs-fleet'),
    });
    lagSum = (sports) =>
      `sum(kafka_consumergroup_lag_sum{consumergroup=~"${lake.groupPrefix}(${sports})",topic="${lake.topic}"})`;

    const instances = fleet.members.map((member) => `127.0.0.1:${member.metricsPort}`);
    await pollQuery(
      `up{instance=~"${instances.join('|')}"} == 1`,
      (answer) => answer.result.length === instances.length,
    );
  });

  afterAll(async () => {
    removeTargets(targetsDir, producerOwner);
    await fleet?.stop();
    if (lake) await deleteLake(lake);
  });

  it('answers every panel query of the fleet dashboard with data after a real run', async () => {
    const port = await freePort();
    const instance = `127.0.0.1:${port}`;
    writeTargets(targetsDir, producerOwner, [
      { targets: [instance], labels: { service: 'producer' } },
    ]);
    // Registered before it runs: Prometheus reads the targets folder every 2 s.
    await pollQuery(`up{instance="${instance}"}`, hasSeries);

    const producer = spawnProducer(
      [SAMPLE, '--metrics-port', String(port), '--linger-metrics', '120', '--progress', 'none'],
      { KAFKA_BROKERS: endpoints.brokers.join(','), KAFKA_TOPIC: lake.topic, LOG_LEVEL: 'warn' },
    );
    await pollQuery(
      `strava_producer_rows_total{instance="${instance}",outcome="published"} == ${SAMPLE_ROWS}`,
      hasSeries,
    );
    for (const sport of SPORTS) {
      await waitForLagZero(lake.topic, groupIdOf(sport, lake.groupPrefix));
    }

    const ours = `${lake.groupPrefix}.*`;
    const queries = panelQueries(fleetDashboard(), {
      rateInterval: '1m',
      variables: { consumergroup: ours },
    });
    const answers = [];
    for (const q of queries) {
      const answer = await pollQuery(q.promql, hasSeries);
      answers.push({ panel: `${q.panel} (${q.refId})`, errors: parseErrors(q.promql), ...answer });
    }
    producer.child.kill('SIGTERM');
    const code = await producer.exited;

    expect(queries.length).toBeGreaterThan(10);
    for (const answer of answers) {
      expect(answer, answer.panel).toMatchObject({ errors: 0, status: 'success' });
      expect(answer.result.length, answer.panel).toBeGreaterThan(0);
    }
    const rowsPerSecond = answers.find((a) => a.panel.startsWith('Producer rows per second'));
    expect(rowsPerSecond?.result.map((series) => series.metric.outcome).sort()).toEqual([
      'published',
      'unparseable',
    ]);
    const lagGroups = answers.find((a) => a.panel.startsWith('Lag per group (records)'));
    expect(lagGroups?.result.map((series) => series.metric.consumergroup).sort()).toEqual(
      SPORTS.map((sport) => groupIdOf(sport, lake.groupPrefix)).sort(),
    );
    expect(code, producer.output()).toBe(0);
  });

  it("shows a stopped sport's lag rising, and exactly 0 again once its worker is back", async () => {
    const bici = fleet.members.find((member) => member.name === 'bici');
    if (!bici) throw new Error('the fleet has no bici worker');
    await pollQuery(`${lagSum('bici')} == 0`, hasSeries);

    bici.process.kill('SIGTERM');
    const stoppedCode = await new Promise((resolve) => bici.process.once('exit', resolve));
    await publishFile(lake, MORE_ROWS);
    const risen = await pollQuery(`${lagSum('bici')} > 0`, hasSeries);
    const othersDrained = await pollQuery(`${lagSum('carrera|natacion')} == 0`, hasSeries);
    const restarted = spawnWorker(
      ['--sport', 'bici'],
      workerEnv(lake, { METRICS_PORT: String(bici.metricsPort), LOG_LEVEL: 'warn' }),
    );
    const drained = await pollQuery(`${lagSum('bici')} == 0`, hasSeries, 90_000);
    const healthy = await (await fetch(`http://127.0.0.1:${bici.metricsPort}/healthz`)).json();
    // The restarted worker serves on the port the fleet registered: scraped again as it was.
    const scraped = await pollQuery(`up{instance="127.0.0.1:${bici.metricsPort}"} == 1`, hasSeries);

    expect(stoppedCode).toBe(0);
    expect(Number(risen.result[0]?.value[1])).toBeGreaterThan(0);
    expect(othersDrained.result).toHaveLength(1);
    expect(drained.result[0]?.value[1]).toBe('0');
    expect(healthy).toMatchObject({ status: 'ready' });
    expect(scraped.result[0]?.metric).toMatchObject({ service: 'worker', sport: 'bici' });
    restarted.child.kill('SIGTERM');
    await restarted.exited;
  });
});
