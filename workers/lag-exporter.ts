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

  const stop = async () => {
    await exporter.close();
    logger.info('lag exporter stopped');
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`lag-exporter: ${describeError(error)}`);
  process.exitCode = 1;
});
