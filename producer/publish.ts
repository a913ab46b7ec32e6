import type { Message, Producer } from 'kafkajs';

export interface PublisherLimits {
  /** Messages per produce request. */
  batchMessages: number;
  /** Approximate bytes of values per produce request. */
  batchBytes: number;
}

const DEFAULT_LIMITS: PublisherLimits = { batchMessages: 1000, batchBytes: 192 * 1024 };

/** Told of each produce request's outcome, for the producer's metrics. */
export interface PublishObserver {
  acknowledged(messages: readonly Message[], seconds: number): void;
  failed(): void;
}

/**
 * Groups messages into produce requests with one request in flight while the next fills.
 * `add` says when the batch is full; the caller then awaits `send`, which waits for the
 * request in flight, so a slow broker slows the file reader (back-pressure) instead of
 * growing memory. The idempotent producer numbers
 * batches per partition, and kafkajs holds one lock per broker while a request is out, so
 * a second send could not overlap anyway; the overlap is between parsing and sending.
 * 192 KiB requests (about 80 rows of the real export) publish as fast as 1 MiB ones
 * since kafkajs is patched (shared/kafka/patches), and keep each request's buffers under
 * the 256 KiB above which `npm run produce` has malloc map fresh pages
 * (MALLOC_MMAP_THRESHOLD_): at 256 KiB every request paid page faults on each copy.
 */
export class Publisher {
  private batch: Message[] = [];
  private batchBytes = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown;
  private acknowledgedCount = 0;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly limits: PublisherLimits = DEFAULT_LIMITS,
    private readonly observer?: PublishObserver,
  ) {}

  /** Messages Kafka has acknowledged (all in-sync replicas). */
  get acknowledged(): number {
    return this.acknowledgedCount;
  }

  /**
   * Adds a message to the batch being filled and returns true when the batch is full: then
   * await `send` before adding more. No promise per message: rows are many and cheap.
   */
  add(message: Message): boolean {
    this.batch.push(message);
    this.batchBytes += message.value?.length ?? 0;

    return (
      this.batch.length >= this.limits.batchMessages || this.batchBytes >= this.limits.batchBytes
    );
  }

  /** Hands the current batch to Kafka once the previous request is acknowledged. */
  async send(): Promise<void> {
    await this.settled();
    if (this.batch.length === 0) {
      return;
    }

    const messages = this.batch;
    this.batch = [];
    this.batchBytes = 0;

    // The rejection is kept and rethrown by the next call, never left unhandled.
    this.inFlight = this.sendNow(messages).catch((error: unknown) => {
      this.failure = error;
    });
  }

  /** Sends what is pending and waits until every message is acknowledged. */
  async flush(): Promise<void> {
    await this.send();
    await this.settled();
  }

  private async settled(): Promise<void> {
    await this.inFlight;
    if (this.failure !== undefined) {
      throw this.failure;
    }
  }

  private async sendNow(messages: Message[]): Promise<void> {
    const started = performance.now();
    try {
      await this.producer.send({ topic: this.topic, messages, acks: -1 });
    } catch (error) {
      this.observer?.failed();
      throw error;
    }

    this.acknowledgedCount += messages.length;
    this.observer?.acknowledged(messages, (performance.now() - started) / 1000);
  }
}

/**
 * Paces rows to `rowsPerSecond`: row n (from 0) is released n / rate seconds after the
 * first. Without a rate every row is released at once.
 */
export class RowPacer {
  private startedAt: number | undefined;
  private released = 0;

  constructor(private readonly rowsPerSecond: number | undefined) {}

  /** Milliseconds to wait before the next row may go, 0 when it may go now. */
  delayForNext(now = performance.now()): number {
    if (this.rowsPerSecond === undefined) {
      return 0;
    }

    this.startedAt ??= now;
    const due = this.startedAt + (this.released * 1000) / this.rowsPerSecond;
    this.released++;
    return Math.max(0, due - now);
  }
}
