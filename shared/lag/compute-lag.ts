/** The offsets a topic partition has now. */
export interface PartitionRange {
  partition: number;
  /** First offset still in the log (log start). */
  logStart: number;
  /** Offset the next produced record gets (high watermark). */
  logEnd: number;
}

/** One partition of one group: where it is and how far behind. */
export interface PartitionLag {
  partition: number;
  /** Committed offset (the next one to read), or -1 when the group never committed here. */
  committed: number;
  /** Offset the group reads next: the committed one, or the log start when there is none. */
  next: number;
  logEnd: number;
  lag: number;
}

/**
 * Lag of one partition. A committed offset is the next record to read, so a group that
 * has read everything sits at the log end with lag 0. A group that never committed
 * (-1) will start at the log start (groups read from the earliest offset), not at 0: on a
 * topic whose early records were deleted those would never be read, and are not lag.
 */
export function partitionLag(range: PartitionRange, committed: number): PartitionLag {
  const start = committed < 0 ? range.logStart : committed;
  const next = Math.max(start, range.logStart);
  const lag = Math.max(0, range.logEnd - next);

  return { partition: range.partition, committed, next, logEnd: range.logEnd, lag };
}

/** Lag of every partition of a topic; a partition missing from `committed` never committed. */
export function topicLag(
  ranges: readonly PartitionRange[],
  committed: ReadonlyMap<number, number>,
): PartitionLag[] {
  return ranges.map((range) => partitionLag(range, committed.get(range.partition) ?? -1));
}

export function lagSum(partitions: readonly PartitionLag[]): number {
  return partitions.reduce((sum, partition) => sum + partition.lag, 0);
}

/**
 * Seconds since the oldest record a group has not read was written: the largest age among
 * the first unread record of each lagging partition. 0 when the group is caught up, and
 * undefined when a lagging partition's record could not be read (unknown, not zero).
 */
export function lagSeconds(
  partitions: readonly PartitionLag[],
  timestampOf: (partition: number, offset: number) => number | undefined,
  nowMs: number,
): number | undefined {
  let oldest = 0;

  for (const partition of partitions) {
    if (partition.lag === 0) {
      continue;
    }

    const timestamp = timestampOf(partition.partition, partition.next);
    if (timestamp === undefined) {
      return undefined;
    }
    oldest = Math.max(oldest, (nowMs - timestamp) / 1000);
  }

  return oldest;
}
