import { describe, expect, it } from 'vitest';
import { lagSeconds, lagSum, partitionLag, topicLag } from '../../../shared/lag/compute-lag.ts';

describe('partitionLag', () => {
  it.each([
    { case: 'caught up: committed at the log end', start: 0, end: 10, committed: 10, lag: 0 },
    { case: 'behind', start: 0, end: 10, committed: 4, lag: 6 },
    {
      case: 'never committed: counts from the log start',
      start: 0,
      end: 10,
      committed: -1,
      lag: 10,
    },
    { case: 'never committed, early records deleted', start: 7, end: 10, committed: -1, lag: 3 },
    { case: 'committed before the log start', start: 7, end: 10, committed: 2, lag: 3 },
    { case: 'empty partition, never committed', start: 0, end: 0, committed: -1, lag: 0 },
    { case: 'all deleted, never committed', start: 5, end: 5, committed: -1, lag: 0 },
  ])('$case: lag $lag', ({ start, end, committed, lag }) => {
    const range = { partition: 0, logStart: start, logEnd: end };

    const result = partitionLag(range, committed);

    expect(result.lag).toBe(lag);
    expect(result.committed).toBe(committed);
  });

  it('reads next from the log start when the group never committed', () => {
    const result = partitionLag({ partition: 3, logStart: 7, logEnd: 10 }, -1);

    expect(result).toEqual({ partition: 3, committed: -1, next: 7, logEnd: 10, lag: 3 });
  });
});

describe('topicLag', () => {
  it('treats a partition without a commit as never committed and sums the rest', () => {
    const ranges = [
      { partition: 0, logStart: 0, logEnd: 5 },
      { partition: 1, logStart: 0, logEnd: 3 },
      { partition: 2, logStart: 0, logEnd: 2 },
    ];

    const partitions = topicLag(
      ranges,
      new Map([
        [0, 2],
        [1, 3],
      ]),
    );

    expect(partitions.map((p) => p.lag)).toEqual([3, 0, 2]);
    expect(partitions[2]?.committed).toBe(-1);
    expect(lagSum(partitions)).toBe(5);
  });
});

describe('lagSeconds', () => {
  const now = 1_000_000;
  const partitions = topicLag(
    [
      { partition: 0, logStart: 0, logEnd: 5 },
      { partition: 1, logStart: 0, logEnd: 3 },
    ],
    new Map([
      [0, 2],
      [1, 3],
    ]),
  );

  it('is the age of the oldest unread record among the lagging partitions', () => {
    const timestamps = new Map([['0/2', now - 30_000]]);

    const seconds = lagSeconds(partitions, (p, o) => timestamps.get(`${p}/${o}`), now);

    expect(seconds).toBe(30);
  });

  it('is 0 when every partition is caught up, without reading any record', () => {
    const caughtUp = topicLag([{ partition: 0, logStart: 0, logEnd: 5 }], new Map([[0, 5]]));

    const seconds = lagSeconds(caughtUp, () => undefined, now);

    expect(seconds).toBe(0);
  });

  it('is unknown, not 0, when a lagging partition record could not be read', () => {
    const seconds = lagSeconds(partitions, () => undefined, now);

    expect(seconds).toBeUndefined();
  });
});
