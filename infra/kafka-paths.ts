import { join } from 'node:path';
import { loadConfig } from '../shared/config/load-config.ts';
import { infraSchema } from '../shared/config/settings.ts';

const KAFKA_VERSION = '4.1.2';

/** Folder of the Kafka jars (server, clients, tools) that `npm run infra:up` caches. */
export function kafkaLibDir(): string {
  const settings = loadConfig(infraSchema);
  const cacheDir = settings.INFRA_CACHE_DIR ?? join(settings.HOME, '.cache', 'strava-fleet');

  return join(cacheDir, `kafka-${KAFKA_VERSION}`, 'lib');
}
