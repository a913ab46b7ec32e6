import { collectDefaultMetrics, Registry } from 'prom-client';

export interface RegistryLabels {
  /** What the process is: `producer`, `worker`, `lag-exporter`. */
  service: string;
  /** The worker's sport; absent for processes that serve every sport. */
  sport?: string | undefined;
}

/**
 * The one registry of a process, with Node's default process metrics and default labels
 * on every series, so two replicas or two sports never collide in Prometheus. Never the
 * global registry: tests and in-process tools each build their own.
 */
export function createMetricsRegistry(labels: RegistryLabels): Registry {
  const registry = new Registry();
  const defaults: Record<string, string> = { service: labels.service };
  if (labels.sport !== undefined) {
    defaults.sport = labels.sport;
  }

  registry.setDefaultLabels(defaults);
  collectDefaultMetrics({ register: registry });
  return registry;
}
