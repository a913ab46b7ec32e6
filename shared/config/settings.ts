import { z } from 'zod';
import { brokerList, logLevel, port, positiveInt, topicName, url } from './fields.ts';

/**
 * The variables of the running pipeline (producer, workers, tools), with the defaults
 * DESIGN.md fixes. The S3 defaults point at the local S3 server that `npm run infra:up`
 * starts; set the AWS SDK's own variables to use MinIO, AWS or any other S3.
 */
export const pipelineSchema = z.object({
  /** Comma-separated `host:port` list. Default `localhost:9092`. */
  KAFKA_BROKERS: brokerList('localhost:9092'),
  /** Topic every row goes to. Default `datos_strava`. */
  KAFKA_TOPIC: topicName('datos_strava'),
  /** Partitions of the topic when the producer creates it. Default 6. */
  TOPIC_PARTITIONS: positiveInt(6),
  /** Bucket of the lake. Default `strava-data`. */
  S3_BUCKET: z.string().min(3).default('strava-data'),
  /** S3 endpoint; path-style addressing is used with it. Default the local server. */
  AWS_ENDPOINT_URL_S3: url('http://localhost:9000'),
  /** Default `us-east-1`. */
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Default `minioadmin`, as the local server and MinIO are set up. */
  AWS_ACCESS_KEY_ID: z.string().min(1).default('minioadmin'),
  /** Default `minioadmin`, as the local server and MinIO are set up. */
  AWS_SECRET_ACCESS_KEY: z.string().min(1).default('minioadmin'),
  /** Port of `/metrics` and `/healthz`; 0 picks a free one. Default 9464. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** pino level. Default `info`. */
  LOG_LEVEL: logLevel,
});

export type PipelineSettings = z.infer<typeof pipelineSchema>;

/**
 * The producer's variables. A run is short, so it serves metrics only when asked:
 * METRICS_PORT has no default here, unlike the long-running processes.
 */
export const producerSchema = pipelineSchema.extend({
  /** Serve `/metrics` and `/healthz` on this port while publishing. Default: not served. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Seconds to keep serving after the run, for a last scrape. Default 0. */
  METRICS_LINGER_SECONDS: z.coerce.number().min(0).default(0),
});

export type ProducerSettings = z.infer<typeof producerSchema>;

/**
 * The variables of the local servers (`npm run infra:*`). Ports and folders can be moved
 * so that two checkouts, or a machine with something else on 9092, can still run.
 */
export const infraSchema = z.object({
  /** Kafka client port. Default 9092. */
  KAFKA_PORT: port(9092),
  /** Kafka KRaft controller port. Default 9093. */
  KAFKA_CONTROLLER_PORT: port(9093),
  /** S3 server port. Default 9000. */
  S3_PORT: port(9000),
  /** Prometheus port. Default 9090. */
  PROMETHEUS_PORT: port(9090),
  /** Where servers keep data, logs and pid files. Default `<project>/.infra`. */
  INFRA_DIR: z.string().min(1).optional(),
  /** Where downloaded servers are cached, by version. Default `$HOME/.cache/strava-fleet`. */
  INFRA_CACHE_DIR: z.string().min(1).optional(),
  /** Credentials the local S3 server accepts. Default `minioadmin` / `minioadmin`. */
  AWS_ACCESS_KEY_ID: z.string().min(1).default('minioadmin'),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).default('minioadmin'),
  HOME: z.string().min(1, 'expected your home folder'),
  LOG_LEVEL: logLevel,
});

export type InfraSettings = z.infer<typeof infraSchema>;

/** The variables of a sport worker (`npm run worker`), on top of the pipeline's. */
export const workerSchema = pipelineSchema.extend({
  /** Sport id from the registry; `--sport` on the command line wins. No default. */
  SPORT: z.string().min(1).optional(),
  /** Group id is this prefix + the sport id. Default `consumidor-`; tests isolate with it. */
  WORKER_GROUP_PREFIX: z.string().min(1).default('consumidor-'),
  /** Kafka session timeout: how long a silent member keeps its partitions. Default 30000. */
  WORKER_SESSION_TIMEOUT_MS: positiveInt(30_000),
  /** Heartbeat interval; well under the session timeout. Default 3000. */
  WORKER_HEARTBEAT_INTERVAL_MS: positiveInt(3_000),
  /** S3 writes in flight at once per worker. Default 32. */
  WORKER_S3_CONCURRENCY: positiveInt(32),
  /** First wait after a failed S3 write; doubles up to the maximum. Default 200. */
  WORKER_RETRY_INITIAL_MS: positiveInt(200),
  /** Longest wait between S3 retries; retries go on until S3 answers. Default 5000. */
  WORKER_RETRY_MAX_MS: positiveInt(5_000),
  /** Threads (piscina) that decode and classify; 0 does it on the consumer loop. Default 0. */
  WORKER_PLAN_THREADS: z.coerce.number().int().min(0).max(16).default(0),
  /** Wait this long for the batch in flight on SIGTERM, then abandon it. Default 5000. */
  WORKER_SHUTDOWN_GRACE_MS: positiveInt(5_000),
});

export type WorkerSettings = z.infer<typeof workerSchema>;

/** The variables of the lag exporter (`npm run lag-exporter`). */
export const lagExporterSchema = pipelineSchema
  .pick({ KAFKA_BROKERS: true, KAFKA_TOPIC: true, LOG_LEVEL: true })
  .extend({
    /** Port of `/metrics` and `/healthz`; kafka_exporter's, so it never meets a worker's. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9308),
    /** Groups whose lag is reported, as a regular expression on the id. Default `^consumidor-`. */
    LAG_GROUP_PATTERN: z
      .string()
      .default('^consumidor-')
      .refine(isRegExp, 'expected a regular expression such as ^consumidor-')
      .transform((pattern) => new RegExp(pattern)),
    /** Longest a scrape waits for a fresh read of Kafka, in ms. Default 1500. */
    LAG_SCRAPE_WAIT_MS: positiveInt(1_500),
  });

export type LagExporterSettings = z.infer<typeof lagExporterSchema>;

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
