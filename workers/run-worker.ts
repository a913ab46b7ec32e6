import type { S3Client } from '@aws-sdk/client-s3';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';
import { describeError, FleetError } from '../shared/errors.ts';
import type { Logger } from '../shared/logging/logger.ts';
import {
  createWorkerMetrics,
  type WorkerOutcome as Outcome,
  type WorkerMetrics,
} from '../shared/metrics/worker-metrics.ts';
import { type Classifier, createClassifier } from '../shared/sports/classify.ts';
import { findSport, groupIdOf, type Sport, type SportRegistry } from '../shared/sports/registry.ts';
import type { Backoff } from './backoff.ts';
import { ensureBucket } from './ensure-bucket.ts';
import { LakeWriter } from './lake-writer.ts';
import { createPlanner, type Planner } from './planner.ts';
import { waitForTopic } from './wait-for-topic.ts';
import { WorkerHealth } from './worker-health.ts';

/** Messages planned and written together; offsets are resolved after each slice. */
const SLICE_SIZE = 500;

/** Commit at least this often while behind; a caught-up partition commits at once. */
const COMMIT_INTERVAL_MS = 1_000;

export interface WorkerOptions {
  sportId: string;
  /** The sports known; a test can pass an extended list. */
  registry: SportRegistry;
  kafka: Kafka;
  s3: S3Client;
  topic: string;
  bucket: string;
  logger: Logger;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  s3Concurrency: number;
  backoff: Backoff;
  /** Threads that decode and classify (piscina); 0 plans on the consumer loop. */
  planThreads?: number;
  /** How long `stop()` lets the batch in flight finish before abandoning it. */
  shutdownGraceMs: number;
  /** Group id prefix, default `consumidor-`; tests use unique ones. */
  groupPrefix?: string;
  /** Default a registry of its own. */
  metricsRegistry?: Registry;
  /** What `/healthz` reports; pass one to serve it before the worker has started. */
  health?: WorkerHealth;
}

export interface RunningWorker {
  sport: Sport;
  groupId: string;
  /** Messages handled so far by this process, by outcome. */
  counts: Readonly<Record<Outcome, number>>;
  /** Times this member joined its group: 1 unless a rebalance or a restart happened. */
  readonly groupJoins: number;
  /** Connected, assigned, S3 answering: what `/healthz` serves. */
  health: WorkerHealth;
  /** Resolves once stopped by `stop()`; rejects when the worker died of an error. */
  done: Promise<void>;
  /** Stops fetching, finishes or abandons the batch in flight, leaves the group. */
  stop(): Promise<void>;
}

/**
 * Consumes the topic as one member of the sport's group: classify → write to the lake →
 * commit. Offsets move only after every kept record of a slice is durably in S3, so a
 * crash at any moment replays at most the slices in flight, and the deterministic object
 * names turn the replay into overwrites.
 */
export async function runWorker(options: WorkerOptions): Promise<RunningWorker> {
  const sport = sportOrThrow(options.registry, options.sportId);
  const groupId = groupIdOf(sport, options.groupPrefix);
  const logger = options.logger.child({ component: 'worker', sport: sport.id, groupId });
  const metrics = createWorkerMetrics(options.metricsRegistry ?? new Registry(), sport.id);
  const health = options.health ?? new WorkerHealth();
  const shutdown = new AbortController();

  await ensureBucket(options.s3, options.bucket, {
    backoff: options.backoff,
    signal: shutdown.signal,
    logger,
    onRetry: (error) => health.bucketWaiting(error),
  });
  health.bucketReady();
  await waitForTopic(options.kafka, options.topic, {
    backoff: options.backoff,
    signal: shutdown.signal,
    logger,
  });

  const worker = new Worker(options, sport, groupId, logger, metrics, health, shutdown);
  await worker.start();
  return worker;
}

function sportOrThrow(registry: SportRegistry, id: string): Sport {
  const sport = findSport(registry, id);
  if (sport) {
    return sport;
  }

  const known = registry.map((entry) => entry.id).join(', ');
  throw new FleetError(
    'UNKNOWN_SPORT',
    `Unknown sport "${id}": expected one of ${known} (set --sport or SPORT)`,
  );
}

class Worker implements RunningWorker {
  readonly counts: Record<Outcome, number> = { stored: 0, skipped: 0, rejected: 0 };
  readonly done: Promise<void>;
  groupJoins = 0;

  private readonly consumer: Consumer;
  private readonly classifier: Classifier;
  private readonly writer: LakeWriter;
  private readonly planner: Planner;
  private stopping: Promise<void> | undefined;
  private settle!: { resolve: () => void; reject: (error: Error) => void };

  constructor(
    private readonly options: WorkerOptions,
    readonly sport: Sport,
    readonly groupId: string,
    private readonly logger: Logger,
    private readonly metrics: WorkerMetrics,
    readonly health: WorkerHealth,
    private readonly shutdown: AbortController,
  ) {
    this.classifier = createClassifier(options.registry);
    this.planner = createPlanner({
      threads: options.planThreads ?? 0,
      registry: options.registry,
      sport,
      classifier: this.classifier,
    });
    this.consumer = this.createConsumer();
    this.writer = new LakeWriter({
      s3: options.s3,
      bucket: options.bucket,
      concurrency: options.s3Concurrency,
      backoff: options.backoff,
      logger,
      observer: {
        inFlight: (delta) => metrics.s3InFlight.inc({ sport: sport.id }, delta),
        stored: (seconds) => {
          metrics.s3PutSeconds.observe({ sport: sport.id }, seconds);
          health.s3Stored();
        },
        retried: () => {
          metrics.s3Retries.inc({ sport: sport.id });
          health.s3Retried();
        },
      },
    });
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // A caller that only awaits stop() must not see an unhandled rejection.
    this.done.catch(() => {});
  }

  async start(): Promise<void> {
    this.watchCrashes();
    this.watchGroup();

    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
      await this.consumer.run({
        eachBatchAutoResolve: false,
        // Only durable offsets are ever resolved, so any commit kafkajs makes is safe.
        autoCommitInterval: COMMIT_INTERVAL_MS,
        partitionsConsumedConcurrently: 3,
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (error) {
      // A connected client would keep the process alive after the failure is reported.
      await this.consumer.disconnect().catch(() => {});
      throw error;
    }

    this.logger.info({ topic: this.options.topic }, 'worker started');
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutDown().then(() => this.settle.resolve());
    return this.stopping;
  }

  private createConsumer(): Consumer {
    return this.options.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: this.options.sessionTimeoutMs,
      // Bigger fetches, fewer round trips: a Strava record is about 2.5 KB.
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      heartbeatInterval: this.options.heartbeatIntervalMs,
      rebalanceTimeout: Math.max(60_000, this.options.sessionTimeoutMs),
      retry: { restartOnFailure: async () => !this.shutdown.signal.aborted },
    });
  }

  private watchGroup(): void {
    const labels = { sport: this.sport.id };
    const { GROUP_JOIN, COMMIT_OFFSETS, REBALANCING } = this.consumer.events;

    this.consumer.on(GROUP_JOIN, ({ payload }) => {
      const assigned = Object.values(payload.memberAssignment).flat().length;
      this.groupJoins++;
      this.metrics.assignedPartitions.set(labels, assigned);
      this.metrics.idleReplica.set(labels, assigned === 0 ? 1 : 0);
      this.health.joined(assigned);
      this.logger.info({ memberId: payload.memberId, assigned }, 'joined group');

      if (assigned === 0) {
        this.logger.warn(
          { memberId: payload.memberId, topic: this.options.topic },
          'no partition assigned: the sport runs more replicas than the topic has partitions, this one sits idle',
        );
      }
    });

    this.consumer.on(REBALANCING, () => this.health.rebalancing());

    this.consumer.on(COMMIT_OFFSETS, () => this.metrics.lastCommit.set(labels, Date.now() / 1000));
  }

  /** kafkajs restarts after Kafka trouble; a crash it will not restart ends the worker. */
  private watchCrashes(): void {
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) {
        this.health.kafkaFailed(payload.error);
        this.logger.warn({ err: payload.error }, 'consumer crashed, restarting');
        return;
      }
      this.fail(payload.error);
    });
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale } = payload;
    const log = this.logger.child({ topic: batch.topic, partition: batch.partition });
    const started = performance.now();

    for (let start = 0; start < batch.messages.length; start += SLICE_SIZE) {
      if (!isRunning() || isStale() || this.shutdown.signal.aborted) {
        return;
      }

      const slice = batch.messages.slice(start, start + SLICE_SIZE);
      const written = await this.writeSlice(slice, payload, log);
      if (!written) {
        return;
      }
    }

    await this.commit(payload);

    const labels = { sport: this.sport.id };
    this.metrics.batches.inc(labels);
    this.metrics.batchSeconds.observe(labels, (performance.now() - started) / 1000);
  }

  /**
   * Commits what is resolved (and so durable). Behind the end of the partition, once a
   * second is enough; at the end, at once, so that an idle group shows a lag of exactly 0.
   */
  private async commit(payload: EachBatchPayload): Promise<void> {
    if (payload.batch.offsetLag() !== '0') {
      await payload.commitOffsetsIfNecessary();
      return;
    }

    await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
  }

  /** Writes a slice and resolves its offsets; false when it was abandoned unresolved. */
  private async writeSlice(
    slice: KafkaMessage[],
    payload: EachBatchPayload,
    log: Logger,
  ): Promise<boolean> {
    const { batch, heartbeat } = payload;
    const plan = await this.planner.plan(slice, batch.topic, batch.partition);

    try {
      await this.writer.writeAll(plan.objects, {
        signal: this.shutdown.signal,
        whileWaiting: heartbeat,
      });
    } catch (error) {
      return this.onWriteFailure(error);
    }

    const last = slice[slice.length - 1] as KafkaMessage;
    payload.resolveOffset(last.offset);
    await heartbeat();

    this.count(plan.counts);
    log.debug({ offset: last.offset, ...plan.counts }, 'slice stored');
    return true;
  }

  private onWriteFailure(error: unknown): false {
    if (this.shutdown.signal.aborted) {
      // Shutdown or a fatal error elsewhere: leave the slice uncommitted for a replay.
      return false;
    }

    if (error instanceof FleetError && !error.retryable) {
      this.fail(error);
      return false;
    }

    // Anything else (a rebalance seen by heartbeat) is kafkajs's to handle.
    throw error;
  }

  private count(counts: Record<Outcome, number>): void {
    for (const outcome of ['stored', 'skipped', 'rejected'] as const) {
      this.counts[outcome] += counts[outcome];
      this.metrics.messages.inc({ sport: this.sport.id, outcome }, counts[outcome]);
    }
  }

  private async shutDown(): Promise<void> {
    this.health.stopped();
    const grace = setTimeout(
      () => this.shutdown.abort(new FleetError('SHUTDOWN', 'worker stopping')),
      this.options.shutdownGraceMs,
    );

    try {
      await this.consumer.disconnect();
    } finally {
      clearTimeout(grace);
      await this.planner.close();
      this.shutdown.abort(new FleetError('SHUTDOWN', 'worker stopped'));
    }

    this.logger.info({ ...this.counts }, 'worker stopped');
  }

  /** An error that will not heal: stop consuming and let the process end with it. */
  private fail(error: unknown): void {
    const failure =
      error instanceof Error ? error : new FleetError('WORKER_FAILED', describeError(error));

    this.shutdown.abort(failure);
    this.stopping ??= this.consumer.disconnect().catch(() => {});
    void this.stopping.then(() => this.settle.reject(failure));
  }
}
