import { loadConfig } from '../shared/config/load-config.ts';
import { lagExporterSchema } from '../shared/config/settings.ts';
import { describeError } from '../shared/errors.ts';
import { startLagExporter } from '../shared/lag/run-lag-exporter.ts';
import { createLogger } from '../shared/logging/logger.ts';

/** `npm run lag-exporter`: consumer-group lag for Prometheus, independent of the workers. */
async function main(): Promise<void> {
  const settings = loadConfig(lagExporterSchema);
  const logger = createLogger('lag-exporter', settings.LOG_LEVEL);

  const exporter = await startLagExporter({
    brokers: settings.KAFKA_BROKERS,
    topic: settings.KAFKA_TOPIC,
    groupPattern: settings.LAG_GROUP_PATTERN,
    port: settings.METRICS_PORT,
    scrapeWaitMs: settings.LAG_SCRAPE_WAIT_MS,
    logger,
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) {
      process.exit(0);
    }
    stopping = true;

    // It keeps no state: a Kafka request stuck in its client's retries (a topic just
    // created, a broker gone) must not hold the fleet's Ctrl-C for a minute.
    setTimeout(() => {
      logger.warn({ afterMs: CLOSE_DEADLINE_MS }, 'lag exporter stopped without closing');
      process.exit(0);
    }, CLOSE_DEADLINE_MS).unref();

    await exporter.close();
    logger.info('lag exporter stopped');
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

/** Longest a stop waits for the Kafka connections to close. */
const CLOSE_DEADLINE_MS = 3_000;

main().catch((error: unknown) => {
  console.error(`lag-exporter: ${describeError(error)}`);
  process.exitCode = 1;
});
