import type { WorkerSettings } from '../shared/config/settings.ts';
import { createKafka } from '../shared/kafka/client.ts';
import type { Logger } from '../shared/logging/logger.ts';
import { createS3Client } from '../shared/s3/client.ts';
import type { SportRegistry } from '../shared/sports/registry.ts';
import type { WorkerOptions } from './run-worker.ts';

/** The worker's options as the validated settings describe them. */
export function workerOptionsFrom(
  settings: WorkerSettings,
  sportId: string,
  registry: SportRegistry,
  logger: Logger,
): WorkerOptions {
  return {
    sportId,
    registry,
    kafka: createKafka({ clientId: `worker-${sportId}`, brokers: settings.KAFKA_BROKERS, logger }),
    s3: createS3Client(settings),
    topic: settings.KAFKA_TOPIC,
    bucket: settings.S3_BUCKET,
    logger,
    sessionTimeoutMs: settings.WORKER_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: settings.WORKER_HEARTBEAT_INTERVAL_MS,
    s3Concurrency: settings.WORKER_S3_CONCURRENCY,
    backoff: { initialMs: settings.WORKER_RETRY_INITIAL_MS, maxMs: settings.WORKER_RETRY_MAX_MS },
    shutdownGraceMs: settings.WORKER_SHUTDOWN_GRACE_MS,
    planThreads: settings.WORKER_PLAN_THREADS,
    groupPrefix: settings.WORKER_GROUP_PREFIX,
  };
}
