import { Command } from 'commander';
import { loadConfig } from '../shared/config/load-config.ts';
import { workerSchema } from '../shared/config/settings.ts';
import { describeError } from '../shared/errors.ts';
import { createLogger } from '../shared/logging/logger.ts';
import { createMetricsRegistry } from '../shared/metrics/registry.ts';
import { startMetricsServer } from '../shared/metrics/server.ts';
import { findSport, SPORTS } from '../shared/sports/registry.ts';
import { runWorker } from './run-worker.ts';
import { WorkerHealth } from './worker-health.ts';
import { workerOptionsFrom } from './worker-options.ts';

/**
 * `npm run worker -- --sport ID`: one member of one sport's consumer group, serving
 * `/metrics` and `/healthz` on METRICS_PORT from the start (before Kafka and S3 answer).
 */
async function main(): Promise<void> {
  const settings = loadConfig(workerSchema);
  const sportId = parseSport(process.argv, settings.SPORT);
  const logger = createLogger(`worker-${sportId}`, settings.LOG_LEVEL);

  const metricsRegistry = createMetricsRegistry({ service: 'worker', sport: sportId });
  const health = new WorkerHealth();
  const server = await startMetricsServer({
    port: settings.METRICS_PORT,
    registry: metricsRegistry,
    health: () => health.current(),
  });
  logger.info({ port: server.port }, 'metrics listening');

  // Until the worker has joined its group (waiting for S3 or for the topic) nothing is in
  // flight and nothing is committed: a stop signal can end the process at once, cleanly.
  const exitWhileWaiting = () => process.exit(0);
  process.once('SIGTERM', exitWhileWaiting);
  process.once('SIGINT', exitWhileWaiting);

  const options = workerOptionsFrom(settings, sportId, SPORTS, logger);
  const worker = await runWorker({ ...options, metricsRegistry, health }).catch(
    async (error: unknown) => {
      await server.close();
      throw error;
    },
  );
  process.off('SIGTERM', exitWhileWaiting);
  process.off('SIGINT', exitWhileWaiting);
  stopOnSignals(() => worker.stop());

  try {
    await worker.done;
  } catch (error) {
    logger.fatal({ err: error }, 'worker failed');
    process.exitCode = 1;
  } finally {
    await server.close();
  }
}

function parseSport(argv: string[], fromEnv: string | undefined): string {
  const known = SPORTS.map((sport) => sport.id).join(', ');
  const program = new Command('worker')
    .description('Consume the topic as one sport and write its activities to the lake')
    .option('--sport <id>', `sport to keep: ${known} (or SPORT)`)
    .parse(argv);

  const sportId = program.opts<{ sport?: string }>().sport ?? fromEnv;
  if (sportId && findSport(SPORTS, sportId)) {
    return sportId;
  }

  const found = sportId ? `unknown sport "${sportId}"` : 'no sport given';
  return program.error(`${found}: pass --sport ID or set SPORT, with ID one of ${known}`);
}

/** The first signal stops cleanly; a second one gives up waiting. */
function stopOnSignals(stop: () => Promise<void>): void {
  let signalled = false;

  const onSignal = () => {
    if (signalled) {
      process.exit(1);
    }
    signalled = true;
    void stop();
  };

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  console.error(`worker: ${describeError(error)}`);
  process.exitCode = 1;
});
