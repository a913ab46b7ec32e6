import { describe, expect, it } from 'vitest';
import { formatSummary, type RunSummary, SummaryCounter } from '../../../producer/summary.ts';

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

describe('formatSummary', () => {
  const summary: RunSummary = {
    runId: 'run',
    file: 'activities.csv',
    topic: 'datos_strava',
    encoding: 'utf-8',
    delimiter: ',',
    dryRun: false,
    rowsRead: 3,
    published: 3,
    unparseable: 1,
    activityTypes: { Run: 2 },
    notes: [],
    interrupted: false,
    elapsedMs: 1000,
    peakRssBytes: 0,
  };

  it('says that published counts the unparseable rows too', () => {
    expect(formatSummary(summary)).toMatch(
      /published: +3\n {2}unparseable: +1 \(included in published, marked unparseable\)\n/,
    );
  });

  it('says nothing of the kind on a dry run, where nothing is published', () => {
    const text = formatSummary({ ...summary, dryRun: true, published: 0 });

    expect(text).toMatch(/unparseable: +1\n/);
    expect(text).toContain('(dry run, nothing published)');
  });
});
