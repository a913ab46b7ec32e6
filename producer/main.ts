import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from '../shared/config/load-config.ts';
import { pipelineSchema } from '../shared/config/settings.ts';
import { FleetError } from '../shared/errors.ts';
import { createLogger, type Logger } from '../shared/logging/logger.ts';
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
}

function buildCommand(): Command {
  return new Command('produce')
    .description('Publish every record of a Strava activities.csv export to a Kafka topic.')
    .argument('<file>', 'the activities.csv of a Strava bulk export (any language or generation)')
    .option('--topic <name>', 'topic to publish to (default: KAFKA_TOPIC or datos_strava)')
    .option(
      '--brokers <list>',
      'comma-separated host:port list (default: KAFKA_BROKERS or localhost:9092)',
      parseBrokers,
    )
    .option(
      '--partitions <n>',
      'partitions when the topic is created (default: TOPIC_PARTITIONS or 6); an existing topic is left as it is',
      parsePositive,
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
    .addHelpText(
      'after',
      `
Environment: KAFKA_BROKERS, KAFKA_TOPIC, TOPIC_PARTITIONS, LOG_LEVEL; flags override them.
Logs are pino JSON lines on stdout; the progress bar and the summary go to stderr.

Exit codes: 0 every record acknowledged by Kafka (or parsed, with --dry-run);
  1 the file cannot be used; 2 bad options or environment; 3 Kafka failed (the message
  says how many rows were acknowledged); 130 interrupted by Ctrl-C (summary so far printed).`,
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

function parsePositive(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError(`expected a number above 0, found "${value}".`);
  }

  return number;
}

async function main(argv: string[]): Promise<number> {
  const command = buildCommand().exitOverride();
  command.parse(argv);
  const [file] = command.args as [string];
  const flags = command.opts<CliOptions>();

  const config = loadConfig(pipelineSchema);
  const logger = createLogger('producer', config.LOG_LEVEL);
  const stop = stopOnSignals();

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
    });

    process.stderr.write(formatSummary(summary));
    return stop.signal() ?? EXIT.ok;
  } catch (error) {
    return fail(error, logger);
  }
}

/** First Ctrl-C: stop reading and flush. Second: leave at once. */
function stopOnSignals() {
  const controller = new AbortController();
  let received: number | undefined;

  const onSignal = (code: number) => () => {
    if (received !== undefined) {
      process.exit(code);
    }

    received = code;
    process.stderr.write('\nStopping: flushing what is in flight (Ctrl-C again to quit now)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal(EXIT.interrupted));
  process.on('SIGTERM', onSignal(EXIT.terminated));

  return { controller, signal: () => received };
}

function fail(error: unknown, logger: Logger): number {
  const code = error instanceof FleetError ? error.code : 'UNEXPECTED';
  logger.error({ err: error, code }, 'producer failed');
  process.stderr.write(`produce: ${error instanceof Error ? error.message : String(error)}\n`);

  if (code === 'KAFKA_FAILED') {
    return EXIT.kafka;
  }

  return error instanceof FleetError ? EXIT.input : 1;
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
