/**
 * The provisioned Prometheus datasource. Its uid is fixed (provisioning/datasources) so
 * the committed dashboards point at it on every Grafana, with nothing to pick on import.
 */
export const PROMETHEUS = { type: 'prometheus', uid: 'strava-prometheus' } as const;
