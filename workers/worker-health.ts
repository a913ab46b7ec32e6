import { describeError } from '../shared/errors.ts';
import type { Health } from '../shared/metrics/server.ts';

/**
 * What a worker's `/healthz` says. Ready only once it is connected to Kafka and holds at
 * least one partition; degraded (still 200) while its S3 writes are being retried, since
 * a restart would not make S3 answer.
 */
export class WorkerHealth {
  private kafka: Health = { status: 'starting', detail: 'making sure the bucket exists' };
  private failingWrites = 0;

  /** The bucket is there; next comes the group. */
  bucketReady(): void {
    this.kafka = { status: 'starting', detail: 'joining the consumer group' };
  }

  /** The bucket could not be checked yet: S3 unreachable at start. */
  bucketWaiting(error: unknown): void {
    this.kafka = { status: 'starting', detail: `S3: ${describeError(error)}` };
  }

  rebalancing(): void {
    this.kafka = { status: 'starting', detail: 'the group is rebalancing' };
  }

  joined(assigned: number): void {
    this.kafka =
      assigned > 0
        ? { status: 'ready', detail: `${assigned} partitions assigned` }
        : {
            status: 'starting',
            detail: 'no partition assigned: more replicas than the topic has partitions',
          };
  }

  kafkaFailed(error: unknown): void {
    this.kafka = { status: 'starting', detail: `Kafka: ${describeError(error)}; reconnecting` };
  }

  stopped(): void {
    this.kafka = { status: 'starting', detail: 'stopping' };
  }

  s3Retried(): void {
    this.failingWrites++;
  }

  s3Stored(): void {
    this.failingWrites = 0;
  }

  current(): Health {
    if (this.kafka.status !== 'ready' || this.failingWrites === 0) {
      return this.kafka;
    }

    const detail = `S3 writes failing, retrying (${this.failingWrites} failures since the last success)`;
    return { status: 'degraded', detail };
  }
}
