import { describe, expect, it } from 'vitest';
import { RowPacer } from '../../../producer/publish.ts';

describe('RowPacer', () => {
  it('releases row n at n / rate seconds after the first', () => {
    const pacer = new RowPacer(20);

    const delays = [0, 0, 0, 10].map((now) => pacer.delayForNext(now));

    expect(delays).toEqual([0, 50, 100, 140]);
  });

  it('never waits without a rate', () => {
    const pacer = new RowPacer(undefined);

    expect([pacer.delayForNext(0), pacer.delayForNext(0)]).toEqual([0, 0]);
  });
});
