import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { EncodedBatch, EncodeJob } from './encode-rows.task.ts';
import type { RawRecord } from './record-splitter.ts';

/**
 * Chunks handed to the thread ahead of the one being published: enough to keep it busy
 * while Kafka acknowledges, few enough that memory stays flat (a 32 KiB read is ~90 rows
 * of the real export).
 */
const LOOKAHEAD = 4;

/** `.ts` under tsx or vitest, `.js` once built: the task sits beside this module. */
const EXTENSION = extname(fileURLToPath(import.meta.url));
const TASK_FILE = new URL(`./encode-rows.task${EXTENSION}`, import.meta.url).href;

/**
 * A thread inherits neither vitest's loader nor accepts V8 flags such as the heap sizing
 * of `npm run produce` (those apply to every thread already): from source it gets tsx.
 */
const EXEC_ARGV = EXTENSION === '.ts' ? ['--import', 'tsx'] : [];

/** A chunk's encoded rows and how far into the file its records end (for the progress bar). */
export type PlacedBatch = EncodedBatch & { fileBytes: number };

/**
 * Parses and encodes the chunks in one worker thread and yields the results in file order,
 * so rows keep their order per key. Reading stops while LOOKAHEAD chunks wait, which
 * carries Kafka's back-pressure to the file reader. `filePosition` is read as each chunk
 * is cut, so a batch knows where it ends while the reader is already further on.
 */
export async function* encodedBatches(
  batches: AsyncIterable<RawRecord[]>,
  job: EncodeJob,
  filePosition: () => number,
): AsyncGenerator<PlacedBatch> {
  // One thread: the machine's other core belongs to the broker as much as to us.
  const pool = new Piscina<RawRecord[], EncodedBatch>({
    filename: TASK_FILE,
    workerData: job,
    minThreads: 1,
    maxThreads: 1,
    // Piscina's own queue lives on the main thread, which hands the thread its next chunk
    // only between two of its own steps (encoding a request takes a couple of
    // milliseconds). Posting every look-ahead chunk to the thread at once keeps it parsing
    // meanwhile: both threads sat half idle, waiting on each other, before (+20% rows/s).
    concurrentTasksPerWorker: LOOKAHEAD,
    execArgv: EXEC_ARGV,
  });
  const pending: Promise<PlacedBatch>[] = [];
  const place = async (records: RawRecord[], fileBytes: number) => ({
    ...(await pool.run(records)),
    fileBytes,
  });

  try {
    for await (const records of batches) {
      pending.push(handled(place(records, filePosition())));
      if (pending.length >= LOOKAHEAD) {
        yield await (pending.shift() as Promise<PlacedBatch>);
      }
    }

    while (pending.length > 0) {
      yield await (pending.shift() as Promise<PlacedBatch>);
    }
  } finally {
    await pool.destroy();
  }
}

/** Marks a task's rejection as handled; it is still thrown when its turn is awaited. */
function handled<T>(task: Promise<T>): Promise<T> {
  task.catch(() => {});
  return task;
}

/** Row `index`'s value, a view into the batch's bytes (kafkajs copies it when encoding). */
export function valueAt(batch: EncodedBatch, index: number): Buffer {
  const start = index === 0 ? 0 : (batch.ends[index - 1] ?? 0);
  const end = batch.ends[index] ?? start;

  return Buffer.from(batch.values.buffer, batch.values.byteOffset + start, end - start);
}
