import { setTimeout as sleep } from 'node:timers/promises';
import { type Admin, type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { v4 as uuidv4 } from 'uuid';
import { HEADER } from '../shared/activity/message.ts';
import { describeError, FleetError } from '../shared/errors.ts';
import { createKafka } from '../shared/kafka/client.ts';
import type { ProducerMetrics } from '../shared/metrics/producer-metrics.ts';
import { findTypeColumn } from '../shared/sports/classify.ts';
import { type RawCsvRecords, readRawRecords } from './csv-records.ts';
import type { DelimiterChoice, EncodingChoice } from './detect-format.ts';
import type { EncodedRow } from './encode-rows.task.ts';
import { encodedBatches, type PlacedBatch, valueAt } from './encoded-batches.ts';
import { inspectSource, openDecoded, type SourceFile } from './open-source.ts';
import { createProgress, type ProgressMode, type ProgressReporter } from './progress.ts';
import { Publisher, type PublishObserver, RowPacer } from './publish.ts';
import { type RunSummary, SummaryCounter } from './summary.ts';
import { messageHeaders } from './to-message.ts';
import { ensureTopic } from './topic.ts';

export interface ProducerOptions {
  file: string;
  topic: string;
  brokers: string[];
  /** Partitions of the topic when this run creates it. */
  partitions: number;
  /** Rows per second; undefined publishes as fast as the broker allows. */
  rate?: number | undefined;
  encoding: EncodingChoice;
  delimiter: DelimiterChoice;
  /** Parse and count, publish nothing, never connect to Kafka. */
  dryRun: boolean;
  logger: Logger;
  progress?: ProgressMode;
  /** Aborting stops reading, flushes what is in flight and returns the summary so far. */
  signal?: AbortSignal;
  /** Counted as Kafka acknowledges; `createProducerMetrics` on the process's registry. */
  metrics?: ProducerMetrics;
  /** Called once connected to Kafka, when publishing starts. */
  onConnected?: () => void;
}

/** Unparseable rows logged one by one; past this only the count grows. */
const UNPARSEABLE_LOG_LIMIT = 20;

/**
 * Publishes every record of a Strava export to Kafka and returns the counts. Input
 * problems and Kafka failures are thrown as FleetError; a Kafka failure's message says
 * how many rows were acknowledged before it stopped.
 */
export async function runProducer(options: ProducerOptions): Promise<RunSummary> {
  const startedAt = performance.now();
  const runId = uuidv4();
  const logger = options.logger.child({ component: 'producer' });

  const source = await inspectSource(options.file, options);
  logger.info(
    {
      runId,
      file: source.path,
      bytes: source.bytes,
      encoding: source.encoding,
      delimiter: source.delimiter,
    },
    'source opened',
  );

  const decoded = openDecoded(source);
  const csv = await readRawRecords(decoded.text, source.delimiter, source.path);
  if (!csv) {
    throw new FleetError(
      'SOURCE_EMPTY',
      `${source.path} has only blank lines: expected a header line and one row per activity.`,
    );
  }

  const counter = new SummaryCounter();
  const run: Run = { options, source, csv, counter, logger, runId };
  noteSourceQuirks(run);

  const progress = createProgress(options.progress ?? 'none', source.bytes, logger);
  const published = await publishAll(run, progress, () => decoded.file.bytesRead).finally(() =>
    progress.stop(),
  );

  if (counter.unparseable > 0) {
    const fate = options.dryRun ? 'a real run publishes them' : 'they were published';
    counter.notes.push(
      `${source.path}: ${counter.unparseable} ${counter.unparseable === 1 ? 'row' : 'rows'} could not be parsed (first at line ${counter.firstUnparseableLine}); ${fate} marked unparseable with their raw text and reason. Fix those lines and publish again to get them routed.`,
    );
  }

  // An interrupted run may have read nothing yet; that says nothing about the file.
  if (counter.rowsRead === 0 && !options.signal?.aborted) {
    counter.notes.push(`${source.path} has a header but no rows: nothing to publish.`);
    logger.warn({ file: source.path }, 'header without rows');
  }

  const summary = summarize(run, published, startedAt);
  logger.info(summary, 'summary');
  return summary;
}

/** Only for the summary's counts: the producer routes nothing by type. */
function typeColumnOf(cells: string[]): number {
  const name = findTypeColumn(cells);
  return name === undefined ? -1 : cells.indexOf(name);
}

interface Run {
  options: ProducerOptions;
  source: SourceFile;
  csv: RawCsvRecords;
  counter: SummaryCounter;
  logger: Logger;
  runId: string;
}

/** What looks off before the first row: told in the summary's notes and logged. */
function noteSourceQuirks({ csv, source, counter, logger }: Run): void {
  if (source.encodingDoubt) {
    counter.notes.push(`${source.path}: ${source.encodingDoubt}`);
    logger.warn({ file: source.path, encoding: source.encoding }, 'forced encoding looks wrong');
  }

  if (csv.header.trailingDelimiter) {
    const note = `${source.path}:1: the header ends with a delimiter; its empty last column was dropped, and so is a matching empty last field of each row. Remove the trailing delimiter to silence this.`;
    counter.notes.push(note);
    logger.warn({ file: source.path, line: 1 }, 'header ends with a delimiter');
  }

  if (typeColumnOf(csv.header.cells) < 0) {
    const columns = csv.header.cells.length;
    counter.notes.push(
      `${source.path}:1: the header (${columns} ${columns === 1 ? 'column' : 'columns'}, delimiter "${source.delimiter}") has no activity-type column, so every worker will set these rows aside as rejected. Check that this is a Strava activities.csv and, if its fields are separated by something else, that --delimiter is right.`,
    );
    logger.warn({ file: source.path }, 'no activity-type column in header');
  }
}

/** Returns how many messages Kafka acknowledged (0 on a dry run). */
async function publishAll(
  run: Run,
  progress: ProgressReporter,
  bytesRead: () => number,
): Promise<number> {
  const job = {
    header: run.csv.header,
    delimiter: run.source.delimiter,
    fileName: run.source.name,
    runId: run.runId,
    typeColumn: typeColumnOf(run.csv.header.cells),
  };
  const batches = encodedBatches(run.csv.batches, job, bytesRead);

  try {
    if (run.options.dryRun) {
      await countRows(run, batches, progress);
      return 0;
    }

    // A header without rows publishes nothing, so it needs no Kafka at all.
    const first = await batches.next();
    if (first.done) {
      return 0;
    }

    return await publishBatches(run, startingWith(first.value, batches), progress);
  } finally {
    await batches.return(undefined);
  }
}

async function countRows(
  run: Run,
  batches: AsyncIterable<PlacedBatch>,
  progress: ProgressReporter,
): Promise<void> {
  for await (const batch of batches) {
    for (const row of batch.rows) {
      countRow(run, row);
    }
    progress.update(run.counter.rowsRead, batch.fileBytes);
  }
}

async function* startingWith<T>(first: T, rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) {
    yield next.value;
  }
}

async function publishBatches(
  run: Run,
  batches: AsyncIterable<PlacedBatch>,
  progress: ProgressReporter,
): Promise<number> {
  const { options } = run;
  const kafka = createKafka({
    clientId: 'strava-producer',
    brokers: options.brokers,
    logger: options.logger,
  });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    // Bounded so that a lost broker ends the run with a message instead of waiting forever.
    retry: { retries: 8 },
  });

  try {
    const ready = await unlessAborted(options.signal, async () => {
      await prepareTopic(run, kafka);
      await connect(run, () => producer.connect());
    });
    if (!ready) {
      // Ctrl-C while Kafka was still being reached: nothing was sent, nothing is in flight.
      return 0;
    }
    options.onConnected?.();

    return await sendAll(run, producer, batches, progress);
  } finally {
    await producer.disconnect().catch(() => {});
  }
}

/** Sends every row and waits for Kafka's acknowledgements; returns how many it gave. */
async function sendAll(
  run: Run,
  producer: Producer,
  batches: AsyncIterable<PlacedBatch>,
  progress: ProgressReporter,
): Promise<number> {
  const { metrics, topic } = run.options;
  const observer = metrics && publishObserver(metrics);
  const publisher = new Publisher(producer, topic, undefined, observer);

  try {
    await sendRows(run, { publisher, batches, progress });
    await publisher.flush();
  } catch (error) {
    throw kafkaFailure(run, publisher.acknowledged, error);
  }

  return publisher.acknowledged;
}

/**
 * Runs `step` and returns true when it is done, or false as soon as the run is aborted:
 * reaching a Kafka that does not answer takes half a minute of retries, and Ctrl-C must
 * not wait for them. A failure of the step still throws.
 */
async function unlessAborted(
  signal: AbortSignal | undefined,
  step: () => Promise<void>,
): Promise<boolean> {
  const done = step().then(() => true);
  if (!signal) {
    return done;
  }

  // Once the abort has won, a later failure of the step is of no interest.
  done.catch(() => {});
  const aborted = new Promise<boolean>((resolve) => {
    if (signal.aborted) resolve(false);
    signal.addEventListener('abort', () => resolve(false), { once: true });
  });
  return Promise.race([done, aborted]);
}

interface SendContext {
  publisher: Publisher;
  batches: AsyncIterable<PlacedBatch>;
  progress: ProgressReporter;
}

/** Rows counted by outcome only once Kafka has acknowledged them. */
function publishObserver(metrics: ProducerMetrics): PublishObserver {
  return {
    acknowledged(messages, seconds) {
      const unparseable = messages.filter(
        (message) => message.headers?.[HEADER.kind] === 'unparseable',
      ).length;
      metrics.rows.inc({ outcome: 'published' }, messages.length - unparseable);
      metrics.rows.inc({ outcome: 'unparseable' }, unparseable);
      metrics.batches.inc();
      metrics.batchSendSeconds.observe(seconds);
      metrics.lastAck.set(Date.now() / 1000);
    },
    failed: () => metrics.sendFailures.inc(),
  };
}

async function sendRows(run: Run, send: SendContext): Promise<void> {
  const { signal, metrics, rate } = run.options;
  const pacer = rate === undefined ? undefined : new RowPacer(rate);
  const file = { fileName: run.source.name, runId: run.runId };
  let batchStart = 0;

  for await (const batch of send.batches) {
    for (let index = 0; index < batch.rows.length; index++) {
      const row = batch.rows[index] as EncodedRow;
      if (signal?.aborted) {
        return;
      }

      if (pacer) {
        await pace(pacer, send.publisher);
      }
      countRow(run, row);
      if (pacer) {
        // A paced replay is slow enough to show each row, not each chunk of ~90.
        const share = (index + 1) / batch.rows.length;
        const bytes = Math.round(batchStart + share * (batch.fileBytes - batchStart));
        send.progress.update(run.counter.rowsRead, bytes);
      }

      const full = send.publisher.add({
        key: row.key,
        value: valueAt(batch, index),
        headers: messageHeaders(file, row.line, row.kind),
      });
      if (full) {
        await send.publisher.send();
      }
    }

    send.progress.update(run.counter.rowsRead, batch.fileBytes);
    metrics?.bytesRead.inc(Math.max(0, batch.fileBytes - batchStart));
    batchStart = batch.fileBytes;
  }
}

/** Rows waiting for their turn are sent first, so a paced replay trickles, not bursts. */
async function pace(pacer: RowPacer, publisher: Publisher): Promise<void> {
  const delay = pacer.delayForNext();
  if (delay <= 0) {
    return;
  }

  await publisher.send();
  await sleep(delay);
}

function countRow(run: Run, row: EncodedRow): void {
  if (row.kind === 'record') {
    run.counter.countRow(row.activityType, false);
    return;
  }

  run.counter.countRow(undefined, true);
  run.counter.firstUnparseableLine ??= row.line;
  if (run.counter.unparseable <= UNPARSEABLE_LOG_LIMIT) {
    run.logger.warn(
      { file: run.source.path, line: row.line, reason: row.reason },
      'unparseable row',
    );
  }
}

async function prepareTopic(run: Run, kafka: Kafka): Promise<void> {
  const { topic, partitions } = run.options;
  const admin: Admin = kafka.admin();
  await connect(run, () => admin.connect());

  try {
    const state = await ensureTopic(admin, topic, partitions);
    run.logger.info({ topic, ...state }, state.created ? 'topic created' : 'topic exists');

    if (state.partitions < partitions) {
      const note = `topic ${topic} exists with ${state.partitions} partitions, fewer than the ${partitions} asked; using it as it is (add partitions with kafka-topics.sh --alter if you need more parallelism).`;
      run.counter.notes.push(note);
      run.logger.warn(
        { topic, partitions: state.partitions, asked: partitions },
        'topic has fewer partitions than asked',
      );
    }
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function connect(run: Run, connectTo: () => Promise<void>): Promise<void> {
  try {
    await connectTo();
  } catch (error) {
    throw kafkaFailure(run, 0, error);
  }
}

function kafkaFailure(run: Run, acknowledged: number, error: unknown): FleetError {
  const brokers = run.options.brokers.join(',');
  const message = `Kafka at ${brokers} failed while publishing ${run.source.path} to topic ${run.options.topic} (${describeError(error)}); ${acknowledged} rows were acknowledged before it stopped, ${run.counter.rowsRead} read. Check that Kafka is running (npm run infra:up) or pass --brokers, then publish the file again: keys are stable, so the lake overwrites the rows sent twice.`;

  return new FleetError('KAFKA_FAILED', message, { cause: error, retryable: true });
}

function summarize(run: Run, published: number, startedAt: number): RunSummary {
  const { counter, source, options } = run;

  return {
    runId: run.runId,
    file: source.path,
    topic: options.topic,
    encoding: source.encoding,
    delimiter: source.delimiter,
    dryRun: options.dryRun,
    rowsRead: counter.rowsRead,
    published,
    unparseable: counter.unparseable,
    activityTypes: Object.fromEntries(counter.activityTypes),
    notes: counter.notes,
    interrupted: options.signal?.aborted ?? false,
    elapsedMs: Math.round(performance.now() - startedAt),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
