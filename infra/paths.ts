import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InfraSettings } from '../shared/config/settings.ts';
import type { ServerName } from './servers/local-server.ts';
import { VERSIONS } from './versions.ts';

/** The project's root folder, wherever it was cloned. */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Folders of the local servers: a version-keyed install cache and a per-checkout run folder. */
export interface InfraPaths {
  cacheDir: string;
  runDir: string;
  logsDir: string;
  pidsDir: string;
  dataDir: string;
  kafkaLib: string;
  versitygwBin: string;
  prometheusRoot: string;
  prometheusTargetsDir: string;
}

export function infraPaths(settings: InfraSettings): InfraPaths {
  const cacheDir = settings.INFRA_CACHE_DIR ?? join(settings.HOME, '.cache', 'strava-fleet');
  const runDir = resolve(settings.INFRA_DIR ?? join(PROJECT_ROOT, '.infra'));
  const dataDir = join(runDir, 'data');

  return {
    cacheDir,
    runDir,
    logsDir: join(runDir, 'logs'),
    pidsDir: join(runDir, 'pids'),
    dataDir,
    kafkaLib: join(cacheDir, `kafka-${VERSIONS.kafka}`, 'lib'),
    versitygwBin: join(cacheDir, `versitygw-${VERSIONS.versitygw}`, 'bin', 'versitygw'),
    prometheusRoot: join(cacheDir, `prometheus-${VERSIONS.prometheus}`),
    prometheusTargetsDir: join(runDir, 'prometheus', 'targets'),
  };
}

/**
 * What one server stores: Kafka's topics and offsets, the S3 buckets and objects,
 * Prometheus's samples. One folder each, so that `infra:reset` can delete exactly that.
 */
export function serverDataDir(paths: InfraPaths, name: ServerName): string {
  return join(paths.dataDir, name);
}
