import { describe, expect, it } from 'vitest';
import { SummaryCounter } from '../../../producer/summary.ts';

describe('SummaryCounter', () => {
  it('counts activity types of parsed rows and unparseable rows apart', () => {
    const counter = new SummaryCounter();

    counter.countRow('Run', false);
    counter.countRow('Natación', false);
    counter.countRow('Run', false);
    counter.countRow(undefined, true);

    expect(counter.rowsRead).toBe(4);
    expect(counter.unparseable).toBe(1);
    expect(Object.fromEntries(counter.activityTypes)).toEqual({ Run: 2, Natación: 1 });
  });
});
