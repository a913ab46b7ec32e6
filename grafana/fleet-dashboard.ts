import {
  LegendDisplayMode,
  LegendPlacement,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type Dashboard,
  DashboardBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeSeriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS } from './datasource.ts';

export const FLEET_DASHBOARD_UID = 'strava-fleet';

/** A query of a panel: PromQL with Grafana's variables, and its legend. */
interface Query {
  expr: string;
  legend: string;
}

const query = (expr: string, legend: string): Query => ({ expr, legend });

const GROUP = 'consumergroup=~"$consumergroup"';
const SPORT = 'sport=~"$sport"';

/**
 * A variable over a label's values, "All" by default: a new sport or group shows up in
 * the dashboard as soon as its series exist, with no edit here.
 */
function labelVariable(name: string, metric: string, label: string) {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query(`label_values(${metric}, ${label})`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}

function targets(queries: Query[]) {
  return queries.map((q, index) =>
    new DataqueryBuilder()
      .datasource(PROMETHEUS)
      .refId(String.fromCharCode(65 + index))
      .expr(q.expr)
      .legendFormat(q.legend),
  );
}

function timeSeries(id: number, title: string, unit: string, queries: Query[]) {
  let panel = new TimeSeriesPanel()
    .id(id)
    .title(title)
    .unit(unit)
    .min(0)
    .datasource(PROMETHEUS)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .calcs(['lastNotNull']),
    );
  for (const target of targets(queries)) {
    panel = panel.withTarget(target);
  }
  return panel;
}

function stat(id: number, title: string, unit: string, queries: Query[]) {
  let panel = new StatPanel().id(id).title(title).unit(unit).datasource(PROMETHEUS);
  for (const target of targets(queries)) {
    panel = panel.withTarget(target);
  }
  return panel;
}

/** The fleet at a glance: lag per group first, then what the workers and producer do. */
export function fleetDashboard(): Dashboard {
  return new DashboardBuilder('Strava fleet')
    .uid(FLEET_DASHBOARD_UID)
    .tags(['strava-fleet', 'generated'])
    .editable()
    .refresh('10s')
    .time({ from: 'now-30m', to: 'now' })
    .timezone('browser')
    .withVariable(labelVariable('consumergroup', 'kafka_consumergroup_lag_sum', 'consumergroup'))
    .withVariable(labelVariable('sport', 'strava_worker_messages_total', 'sport'))
    .withRow(new RowBuilder('Consumer lag'))
    .withPanel(
      timeSeries(1, 'Lag per group (records)', 'short', [
        query(
          `sum by (consumergroup) (kafka_consumergroup_lag_sum{${GROUP}})`,
          '{{consumergroup}}',
        ),
      ]).gridPos({ x: 0, y: 1, w: 12, h: 8 }),
    )
    .withPanel(
      timeSeries(2, 'Lag per group (age of the oldest unread record)', 's', [
        query(
          `max by (consumergroup) (strava_consumergroup_lag_seconds{${GROUP}})`,
          '{{consumergroup}}',
        ),
      ]).gridPos({ x: 12, y: 1, w: 12, h: 8 }),
    )
    .withPanel(
      timeSeries(3, 'Lag per partition', 'short', [
        query(`kafka_consumergroup_lag{${GROUP}}`, '{{consumergroup}} p{{partition}}'),
      ]).gridPos({ x: 0, y: 9, w: 12, h: 8 }),
    )
    .withPanel(
      timeSeries(4, 'Members per group', 'short', [
        query(
          `max by (consumergroup) (kafka_consumergroup_members{${GROUP}})`,
          '{{consumergroup}}',
        ),
        query(
          `max by (consumergroup) (strava_consumergroup_members_over_partitions{${GROUP}})`,
          '{{consumergroup}} idle (over partitions)',
        ),
      ]).gridPos({ x: 12, y: 9, w: 12, h: 8 }),
    )
    .withRow(new RowBuilder('Workers'))
    .withPanel(
      timeSeries(5, 'Messages per second by sport and outcome', 'ops', [
        query(
          `sum by (sport, outcome) (rate(strava_worker_messages_total{${SPORT}}[$__rate_interval]))`,
          '{{sport}} {{outcome}}',
        ),
      ]).gridPos({ x: 0, y: 18, w: 12, h: 8 }),
    )
    .withPanel(
      timeSeries(6, 'S3 write latency', 's', [
        query(
          `histogram_quantile(0.5, sum by (sport, le) (rate(strava_worker_s3_put_seconds_bucket{${SPORT}}[$__rate_interval])))`,
          '{{sport}} p50',
        ),
        query(
          `histogram_quantile(0.95, sum by (sport, le) (rate(strava_worker_s3_put_seconds_bucket{${SPORT}}[$__rate_interval])))`,
          '{{sport}} p95',
        ),
      ]).gridPos({ x: 12, y: 18, w: 12, h: 8 }),
    )
    .withPanel(
      timeSeries(7, 'S3 retries per second and writes in flight', 'short', [
        query(
          `sum by (sport) (rate(strava_worker_s3_retries_total{${SPORT}}[$__rate_interval]))`,
          '{{sport}} retries/s',
        ),
        query(
          `sum by (sport) (strava_worker_s3_writes_in_flight{${SPORT}})`,
          '{{sport}} in flight',
        ),
      ]).gridPos({ x: 0, y: 26, w: 12, h: 8 }),
    )
    .withPanel(
      timeSeries(8, 'Time since the last offset commit', 's', [
        query(
          `time() - max by (sport) (strava_worker_last_commit_timestamp_seconds{${SPORT}})`,
          '{{sport}}',
        ),
      ]).gridPos({ x: 12, y: 26, w: 12, h: 8 }),
    )
    .withRow(new RowBuilder('Producer and processes'))
    .withPanel(
      timeSeries(9, 'Producer rows per second', 'ops', [
        query(
          'sum by (outcome) (rate(strava_producer_rows_total[$__rate_interval]))',
          '{{outcome}}',
        ),
      ]).gridPos({ x: 0, y: 35, w: 12, h: 8 }),
    )
    .withPanel(
      stat(10, 'Processes up (1) or down (0)', 'short', [
        query('up{job!="prometheus"}', '{{job}} {{instance}}'),
      ]).gridPos({ x: 12, y: 35, w: 6, h: 8 }),
    )
    .withPanel(
      timeSeries(11, 'Resident memory per process', 'bytes', [
        query(
          'max by (service, sport, instance) (process_resident_memory_bytes{service!=""})',
          '{{service}} {{sport}} {{instance}}',
        ),
      ]).gridPos({ x: 18, y: 35, w: 6, h: 8 }),
    )
    .build();
}
