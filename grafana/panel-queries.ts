import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

/** One query of one panel, as written and as Prometheus would receive it from Grafana. */
export interface PanelQuery {
  panel: string;
  refId: string;
  /** As committed, with Grafana's variables. */
  expr: string;
  /** With the variables and `$__rate_interval` replaced, ready for Prometheus's HTTP API. */
  promql: string;
}

export interface Substitutions {
  /** What Grafana puts for `$__rate_interval`: four scrape intervals at least. Default `1m`. */
  rateInterval?: string;
  /** Values of the template variables; default each variable's "All" value (`.*`). */
  variables?: Record<string, string>;
}

/** Every query of every panel, with the substitutions Grafana would make applied. */
export function panelQueries(
  dashboard: Dashboard,
  substitutions: Substitutions = {},
): PanelQuery[] {
  const values = { ...allValues(dashboard), ...substitutions.variables };
  const rateInterval = substitutions.rateInterval ?? '1m';

  return panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => {
      const { refId, expr } = target as { refId?: string; expr?: string };
      const written = expr ?? '';
      return {
        panel: panel.title ?? `panel ${panel.id}`,
        refId: refId ?? '',
        expr: written,
        promql: substitute(written, rateInterval, values),
      };
    }),
  );
}

/** Panels at the top level and inside collapsed rows. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).flatMap((item) =>
    item.type === 'row' ? ((item as RowPanel).panels ?? []) : [item as Panel],
  );
}

function allValues(dashboard: Dashboard): Record<string, string> {
  const variables = dashboard.templating?.list ?? [];
  return Object.fromEntries(variables.map((v) => [v.name, v.allValue ?? '.*']));
}

/** `$name`, `${name}` and `${name:format}`, as Grafana writes them. */
function substitute(expr: string, rateInterval: string, values: Record<string, string>): string {
  return expr
    .replaceAll('$__rate_interval', rateInterval)
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      return values[name] ?? whole;
    });
}
