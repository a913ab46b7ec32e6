import type { Logger } from 'pino';
import { describeError } from '../errors.ts';
import { createKafka } from '../kafka/client.ts';
import { createMetricsRegistry } from '../metrics/registry.ts';
import { type Health, startMetricsServer } from '../metrics/server.ts';
import { applyLag, clearLag, createLagMetrics, type LagMetrics } from './lag-metrics.ts';
import { type LagSnapshot, readLag } from './read-lag.ts';
import { createRecordTimestamps, type RecordTimestamps } from './record-timestamps.ts';

export interface LagExporterOptions {
  brokers: string[];
  /** The pipeline's topic: a group's lag on it counts before its first commit. */
  topic: string;
  /** Groups to report. */
  groupPattern: RegExp;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /**
   * Longest a scrape waits for its fresh read before it is served the previous values
   * (Kafka down: the client retries for a minute). Under Prometheus's scrape timeout.
   */
  scrapeWaitMs: number;
  logger: Logger;
}

export interface LagExporter {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves consumer-group lag read from Kafka on each scrape, so the numbers are never
 * older than the scrape and lag keeps rising while every worker of a group is down.
 * Scrapes that arrive during a read share the next one. Kafka being unreachable at start or later
 * is not fatal: the exporter answers `/healthz` with starting or degraded, drops the lag
 * series, and tries again on the next scrape.
 */
export async function startLagExporter(options: LagExporterOptions): Promise<LagExporter> {
  const logger = options.logger.child({ component: 'lag-exporter' });
  const registry = createMetricsRegistry({ service: 'lag-exporter' });
  const metrics = createLagMetrics(registry);
  const kafka = createKafka({ clientId: 'strava-lag-exporter', brokers: options.brokers, logger });
  const admin = kafka.admin();

  const state = new ExporterState(logger, metrics);
  const connection = lazyConnection(async () => {
    await admin.connect();
    return createRecordTimestamps(kafka);
  });

  const collect = coalesced(async () => {
    try {
      const records = await connection.get();
      const snapshot = await readLag({ ...options, admin, records });
      state.succeeded(snapshot);
    } catch (error) {
      connection.reset();
      state.failed(error);
    }
  });

  void collect();
  const server = await startMetricsServer({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    registry,
    health: () => state.health,
    beforeScrape: () => withDeadline(collect(), options.scrapeWaitMs),
  });
  logger.info({ port: server.port, topic: options.topic }, 'lag exporter listening');

  return {
    port: server.port,
    async close() {
      await server.close();
      await connection.close();
      await admin.disconnect();
    },
  };
}

/** What `/healthz` says, and the log lines on changes only (a scrape comes every few s). */
class ExporterState {
  health: Health = { status: 'starting', detail: 'connecting to Kafka' };
  private idleGroups = new Set<string>();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: LagMetrics,
  ) {}

  succeeded(snapshot: LagSnapshot): void {
    applyLag(this.metrics, snapshot, Date.now());
    if (this.health.status !== 'ready') {
      this.logger.info({ groups: snapshot.groups.length }, 'reading lag from Kafka');
    }

    this.health = { status: 'ready', detail: `${snapshot.groups.length} groups` };
    this.warnAboutIdleReplicas(snapshot);
  }

  failed(error: unknown): void {
    clearLag(this.metrics);
    this.metrics.collectErrors.inc();
    if (this.health.status === 'ready') {
      this.logger.warn({ err: error }, 'lag could not be read from Kafka; retrying on each scrape');
    }

    const status = this.health.status === 'starting' ? 'starting' : 'degraded';
    this.health = { status, detail: `Kafka: ${describeError(error)}` };
  }

  private warnAboutIdleReplicas(snapshot: LagSnapshot): void {
    const idle = new Set<string>();

    for (const group of snapshot.groups) {
      for (const { topic, partitions } of group.topics) {
        if (group.members <= partitions.length) {
          continue;
        }

        idle.add(group.group);
        if (!this.idleGroups.has(group.group)) {
          const fields = { group: group.group, topic, members: group.members };
          this.logger.warn(
            { ...fields, partitions: partitions.length },
            'more replicas than partitions: the extra ones hold no partition and sit idle',
          );
        }
      }
    }

    this.idleGroups = idle;
  }
}

/** Connects on first use and again after a failure; closing is safe when never connected. */
function lazyConnection(connect: () => Promise<RecordTimestamps>) {
  let pending: Promise<RecordTimestamps> | undefined;

  return {
    get: () => {
      pending ??= connect();
      return pending;
    },
    reset: () => {
      const stale = pending;
      pending = undefined;
      void stale?.then((records) => records.close()).catch(() => {});
    },
    close: async () => {
      const records = await pending?.catch(() => undefined);
      await records?.close();
    },
  };
}

/**
 * A call made while a run is in progress waits for a run that starts after it, so what
 * it gets is never older than the call; calls made meanwhile share that one run.
 */
function coalesced(run: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  const start = () => {
    const started = run().finally(() => {
      if (current === started) {
        current = undefined;
      }
    });
    current = started;
    return started;
  };

  return () => {
    if (current === undefined) {
      return start();
    }

    next ??= current.then(() => {
      next = undefined;
      return start();
    });
    return next;
  };
}

/** Resolves when the work does or when the deadline passes, whichever is first. */
function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });

  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
