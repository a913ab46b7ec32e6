import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { PROMETHEUS } from '../../../grafana/datasource.ts';
import { fleetDashboard } from '../../../grafana/fleet-dashboard.ts';
import { DASHBOARDS, dashboardJson } from '../../../grafana/generate.ts';
import { panelQueries, panelsOf } from '../../../grafana/panel-queries.ts';
import { PROJECT_ROOT } from '../../../infra/paths.ts';
import { createLagMetrics } from '../../../shared/lag/lag-metrics.ts';
import { createProducerMetrics } from '../../../shared/metrics/producer-metrics.ts';
import { createMetricsRegistry } from '../../../shared/metrics/registry.ts';
import { createWorkerMetrics } from '../../../shared/metrics/worker-metrics.ts';

const dashboard = fleetDashboard();
const queries = panelQueries(dashboard);

/** Syntax errors and the metric names a PromQL expression selects. */
function parsePromql(promql: string): { errors: number; metrics: string[] } {
  const cursor = parser.parse(promql).cursor();
  let errors = 0;
  const metrics: string[] = [];

  do {
    if (cursor.type.isError) {
      errors += 1;
    }
    if (cursor.type.name === 'Identifier' && cursor.node.parent?.type.name === 'VectorSelector') {
      metrics.push(promql.slice(cursor.from, cursor.to));
    }
  } while (cursor.next());

  return { errors, metrics };
}

/** Every series name the project's processes expose, plus what Prometheus adds itself. */
async function knownMetricNames(): Promise<Set<string>> {
  const registry = createMetricsRegistry({ service: 'all' });
  createProducerMetrics(registry);
  createWorkerMetrics(registry);
  createLagMetrics(registry);
  const names = (await registry.getMetricsAsJSON()).flatMap((metric) =>
    String(metric.type) === 'histogram'
      ? ['_bucket', '_sum', '_count'].map((suffix) => `${metric.name}${suffix}`)
      : [metric.name],
  );
  return new Set([...names, 'up']);
}

/** The SDK types a target as an opaque Dataquery; a Prometheus one has these fields. */
function targetsOf(panel: Panel) {
  return (panel.targets ?? []) as {
    refId?: string;
    datasource?: { uid?: string; type?: string };
  }[];
}

describe('grafana/dashboards', () => {
  it.each(Object.entries(DASHBOARDS))(
    'commits %s exactly as the code generates it',
    (file, build) => {
      const committed = readFileSync(join(PROJECT_ROOT, 'grafana', 'dashboards', file), 'utf8');

      const generated = dashboardJson(build);

      expect(committed, 'run `npm run dashboards` and commit the result').toBe(generated);
    },
  );
});

describe('the fleet dashboard', () => {
  it.each(queries)('$panel ($refId) parses as PromQL once Grafana has substituted it', (q) => {
    const { errors } = parsePromql(q.promql);

    expect(q.promql).not.toContain('$');
    expect(errors).toBe(0);
  });

  it('selects only metrics that some process of the project exposes', async () => {
    const known = await knownMetricNames();

    const used = queries.flatMap((q) => parsePromql(q.promql).metrics);

    expect(used.filter((name) => !known.has(name))).toEqual([]);
  });

  it('shows what DESIGN.md and the on-call person need', () => {
    const used = new Set(queries.flatMap((q) => parsePromql(q.promql).metrics));

    expect([...used]).toEqual(
      expect.arrayContaining([
        'kafka_consumergroup_lag_sum',
        'kafka_consumergroup_lag',
        'strava_consumergroup_lag_seconds',
        'kafka_consumergroup_members',
        'strava_worker_messages_total',
        'strava_worker_s3_put_seconds_bucket',
        'strava_producer_rows_total',
        'up',
      ]),
    );
  });

  it('points every panel and query at the provisioned Prometheus', () => {
    const panels = panelsOf(dashboard);

    const datasources = panels.flatMap((panel) => [
      panel.datasource,
      ...targetsOf(panel).map((target) => target.datasource),
    ]);

    expect(datasources.every((ds) => ds?.uid === PROMETHEUS.uid && ds.type === 'prometheus')).toBe(
      true,
    );
  });

  it('gives every panel a unique id and every query of a panel a unique refId', () => {
    const panels = panelsOf(dashboard);

    const ids = panels.map((panel) => panel.id);
    const refIdsUnique = panels.every((panel) => {
      const refIds = targetsOf(panel).map((target) => target.refId);
      return new Set(refIds).size === refIds.length;
    });

    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(refIdsUnique).toBe(true);
  });

  it('uses $__rate_interval in every rate, so short ranges never come out empty', () => {
    const rates = queries.filter((q) => q.expr.includes('rate('));

    expect(rates.length).toBeGreaterThan(0);
    expect(rates.every((q) => /\[\$__rate_interval\]/.test(q.expr))).toBe(true);
  });

  it('lists consumer groups and sports from the series, so a new sport needs no edit', () => {
    const variables = dashboard.templating?.list ?? [];

    const byName = Object.fromEntries(variables.map((v) => [v.name, v]));

    expect(byName.consumergroup?.query).toBe(
      'label_values(kafka_consumergroup_lag_sum, consumergroup)',
    );
    expect(byName.sport?.query).toBe('label_values(strava_worker_messages_total, sport)');
    expect(byName.consumergroup?.includeAll).toBe(true);
  });

  it('substitutes a chosen variable value the way Grafana does', () => {
    const chosen = panelQueries(dashboard, {
      rateInterval: '30s',
      variables: { sport: 'bici' },
    });

    const messages = chosen.find((q) => q.expr.includes('strava_worker_messages_total'));

    expect(messages?.promql).toBe(
      'sum by (sport, outcome) (rate(strava_worker_messages_total{sport=~"bici"}[30s]))',
    );
  });
});
