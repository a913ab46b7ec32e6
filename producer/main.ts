import { isAbsolute, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isTopicName, TOPIC_NAME_RULE } from '../shared/config/fields.ts';
import { ConfigError, loadConfig } from '../shared/config/load-config.ts';
import { type ProducerSettings, producerSchema } from '../shared/config/settings.ts';
import { FleetError } from '../shared/errors.ts';
import { createLogger, type Logger } from '../shared/logging/logger.ts';
import { createProducerMetrics } from '../shared/metrics/producer-metrics.ts';
import { createMetricsRegistry } from '../shared/metrics/registry.ts';
import { type Health, type MetricsServer, startMetricsServer } from '../shared/metrics/server.ts';
import { runProducer } from './run-producer.ts';
import { formatSummary } from './summary.ts';

/** Exit codes, documented in `--help`. */
const EXIT = { ok: 0, input: 1, usage: 2, kafka: 3, interrupted: 130, terminated: 143 } as const;

interface CliOptions {
  topic?: string;
  brokers?: string[];
  partitions?: number;
  rate?: number;
  encoding: 'auto' | 'utf-8' | 'windows-1252';
  delimiter: 'auto' | ',' | ';';
  dryRun: boolean;
  progress?: 'bar' | 'log' | 'none';
  metricsPort?: number;
  lingerMetrics?: number;
}

function buildCommand(): Command {
  return new Command('produce')
    .description('Publish every record of a Strava activities.csv export to a Kafka topic.')
    .argument('<file>', 'the activities.csv of a Strava bulk export (any language or generation)')
    .option(
      '--topic <name>',
      'topic to publish to (default: KAFKA_TOPIC or datos_strava)',
      parseTopic,
    )
    .option(
      '--brokers <list>',
      'comma-separated host:port list (default: KAFKA_BROKERS or localhost:9092)',
      parseBrokers,
    )
    .option(
      '--partitions <n>',
      'partitions when the topic is created (default: TOPIC_PARTITIONS or 6); an existing topic is left as it is',
      parseCount,
    )
    .option(
      '--rate <n>',
      'replay at N rows per second (default: as fast as Kafka allows)',
      parsePositive,
    )
    .addOption(
      new Option('--encoding <name>', 'file encoding; a byte-order mark always wins')
        .choices(['auto', 'utf-8', 'windows-1252'])
        .default('auto'),
    )
    .addOption(
      new Option('--delimiter <char>', 'field delimiter')
        .choices(['auto', ',', ';'])
        .default('auto'),
    )
    .option('--dry-run', 'parse and report, publish nothing (no Kafka needed)', false)
    .addOption(
      new Option('--progress <mode>', 'bar on a terminal, periodic log lines otherwise').choices([
        'bar',
        'log',
        'none',
      ]),
    )
    .option(
      '--metrics-port <n>',
      'serve /metrics and /healthz on this port while publishing, 0 picks one (default: METRICS_PORT, else not served)',
      parsePort,
    )
    .option(
      '--linger-metrics <seconds>',
      'after the run, keep serving /metrics this long so Prometheus scrapes the final counts; Ctrl-C ends it sooner (default: METRICS_LINGER_SECONDS or 0)',
      parseSeconds,
    )
    .addHelpText(
      'after',
      `
Environment: KAFKA_BROKERS, KAFKA_TOPIC, TOPIC_PARTITIONS, METRICS_PORT,
  METRICS_LINGER_SECONDS, LOG_LEVEL; flags override them.
Logs are pino JSON lines on stdout; the progress bar and the summary go to stderr.

Exit codes: 0 every record acknowledged by Kafka (or parsed, with --dry-run);
  1 the file cannot be used; 2 bad options or environment; 3 Kafka failed (the message
  says how many rows were acknowledged); 130 interrupted by Ctrl-C, 143 by SIGTERM (summary
  so far printed).`,
    );
}

function parseBrokers(value: string): string[] {
  const brokers = value.split(',').map((broker) => broker.trim());
  const bad = brokers.find((broker) => !/^[^\s:]+:\d{1,5}$/.test(broker));
  if (bad !== undefined) {
    throw new InvalidArgumentError(`expected host:port[,host:port…], found "${bad}".`);
  }

  return brokers;
}

function parseTopic(value: string): string {
  if (!isTopicName(value)) {
    throw new InvalidArgumentError(`expected ${TOPIC_NAME_RULE}, found "${value}".`);
  }

  return value;
}

function parseCount(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw new InvalidArgumentError(`expected a whole number above 0, found "${value}".`);
  }

  return number;
}

function parsePositive(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError(`expected a number above 0, found "${value}".`);
  }

  return number;
}

function parsePort(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) {
    throw new InvalidArgumentError(`expected a port from 0 to 65535, found "${value}".`);
  }

  return number;
}

function parseSeconds(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    throw new InvalidArgumentError(`expected seconds, 0 or more, found "${value}".`);
  }

  return number;
}

async function main(argv: string[]): Promise<number> {
  const command = buildCommand().exitOverride();
  command.parse(argv);
  const file = fromCallersFolder(command.args[0] as string);
  const flags = command.opts<CliOptions>();

  const config = loadConfig(producerSchema);
  const logger = createLogger('producer', config.LOG_LEVEL);
  const stop = stopOnSignals();
  const metricsPort = flags.metricsPort ?? config.METRICS_PORT;
  const served = metricsPort === undefined ? undefined : await serveMetrics(metricsPort, logger);

  try {
    return await publish(file, flags, config, logger, stop, served);
  } finally {
    await served?.linger(flags.lingerMetrics ?? config.METRICS_LINGER_SECONDS, stop.controller);
  }
}

/**
 * `npm run` starts the script in the project's folder; a relative path means the folder
 * the user typed it in, which npm passes on as INIT_CWD.
 */
function fromCallersFolder(file: string): string {
  const callersFolder = process.env.INIT_CWD;
  if (callersFolder === undefined || isAbsolute(file)) {
    return file;
  }

  const path = resolve(callersFolder, file);
  const fromProject = relative(process.cwd(), path);
  // Inside the project the short path reads better in messages; outside, the full one.
  return fromProject.startsWith('..') ? path : fromProject;
}

async function publish(
  file: string,
  flags: CliOptions,
  config: ProducerSettings,
  logger: Logger,
  stop: ReturnType<typeof stopOnSignals>,
  served: ServedMetrics | undefined,
): Promise<number> {
  try {
    const summary = await runProducer({
      file,
      topic: flags.topic ?? config.KAFKA_TOPIC,
      brokers: flags.brokers ?? config.KAFKA_BROKERS,
      partitions: flags.partitions ?? config.TOPIC_PARTITIONS,
      rate: flags.rate,
      encoding: flags.encoding,
      delimiter: flags.delimiter,
      dryRun: flags.dryRun,
      progress: flags.progress ?? (process.stderr.isTTY ? 'bar' : 'log'),
      logger,
      signal: stop.controller.signal,
      ...(served ? { metrics: served.metrics, onConnected: () => served.setHealth(READY) } : {}),
    });

    served?.setHealth({ status: 'ready', detail: `done: ${summary.published} rows published` });
    process.stderr.write(formatSummary(summary));
    // A signal while lingering after a complete run does not make the run interrupted.
    return summary.interrupted ? (stop.signal() ?? EXIT.ok) : EXIT.ok;
  } catch (error) {
    return fail(error, logger);
  }
}

const READY: Health = { status: 'ready', detail: 'publishing' };

interface ServedMetrics {
  metrics: ReturnType<typeof createProducerMetrics>;
  setHealth(health: Health): void;
  /** Keeps serving for a last scrape, then closes; an abort ends the wait. */
  linger(seconds: number, controller: AbortController): Promise<void>;
}

async function serveMetrics(port: number, logger: Logger): Promise<ServedMetrics> {
  const registry = createMetricsRegistry({ service: 'producer' });
  const metrics = createProducerMetrics(registry);
  let health: Health = { status: 'starting', detail: 'connecting to Kafka' };
  const server: MetricsServer = await startMetricsServer({
    port,
    registry,
    health: () => health,
  });
  logger.info({ port: server.port }, 'metrics listening');

  return {
    metrics,
    setHealth: (next) => {
      health = next;
    },
    async linger(seconds, controller) {
      if (seconds > 0 && !controller.signal.aborted) {
        logger.info({ seconds }, 'serving the final metrics before exiting');
        await sleep(seconds * 1000, undefined, { signal: controller.signal }).catch(() => {});
      }
      await server.close();
    },
  };
}

/** First Ctrl-C (or SIGTERM): stop reading and flush. Second: leave at once. */
function stopOnSignals() {
  const controller = new AbortController();
  let received: number | undefined;

  const onSignal = (code: number, again: string) => () => {
    if (received !== undefined) {
      process.stderr.write(
        'Quitting now: rows in flight may not be acknowledged. Publish the file again to be sure; its keys are stable, so the lake keeps one copy of each row.\n',
      );
      process.exit(code);
    }

    received = code;
    process.stderr.write(`\nStopping: flushing what is in flight (${again} to quit now)…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal(EXIT.interrupted, 'Ctrl-C again'));
  process.on('SIGTERM', onSignal(EXIT.terminated, 'a second SIGTERM'));

  return { controller, signal: () => received };
}

function fail(error: unknown, logger: Logger): number {
  const code = error instanceof FleetError ? error.code : 'UNEXPECTED';
  // A file the user got wrong needs its message, not a stack trace; Kafka and unexpected
  // failures keep the whole error, cause included, for whoever debugs them.
  const detail = isUserMistake(error) ? { reason: error.message } : { err: error };
  logger.error({ ...detail, code }, 'producer failed');
  process.stderr.write(`produce: ${error instanceof Error ? error.message : String(error)}\n`);

  if (code === 'KAFKA_FAILED') {
    return EXIT.kafka;
  }

  return error instanceof FleetError ? EXIT.input : 1;
}

function isUserMistake(error: unknown): error is FleetError {
  return error instanceof FleetError && error.code !== 'KAFKA_FAILED';
}

function exitCodeOfStartup(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`produce: ${error.message}\n`);
    return EXIT.usage;
  }

  // commander has already printed its message (or the help) to stderr/stdout.
  const commanderCode = (error as { code?: string; exitCode?: number }).code;
  if (commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version') {
    return EXIT.ok;
  }

  if (commanderCode?.startsWith('commander.')) {
    return EXIT.usage;
  }

  process.stderr.write(`produce: ${error instanceof Error ? error.stack : String(error)}\n`);
  return 1;
}

main(process.argv).then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    process.exit(exitCodeOfStartup(error));
  },
);
