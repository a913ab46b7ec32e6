/** The counts of one run, as logged and printed at the end (or when it stops early). */
export interface RunSummary {
  runId: string;
  file: string;
  topic: string;
  encoding: string;
  delimiter: string;
  dryRun: boolean;
  /** Data records read from the file, parseable or not. */
  rowsRead: number;
  /** Messages Kafka acknowledged (records and unparseable ones). */
  published: number;
  /** Records published marked unparseable. */
  unparseable: number;
  /** Activity-type values seen, with their counts, in order of first appearance. */
  activityTypes: Record<string, number>;
  /** Things a person should know about the input or the topic. */
  notes: string[];
  interrupted: boolean;
  elapsedMs: number;
  /** Peak resident memory of the process so far. */
  peakRssBytes: number;
}

/** Counts rows as they are read. */
export class SummaryCounter {
  rowsRead = 0;
  unparseable = 0;
  firstUnparseableLine: number | undefined;
  readonly activityTypes = new Map<string, number>();
  readonly notes: string[] = [];

  countRow(activityType: string | undefined, unparseable: boolean): void {
    this.rowsRead++;
    if (unparseable) {
      this.unparseable++;
      return;
    }

    if (activityType !== undefined) {
      this.activityTypes.set(activityType, (this.activityTypes.get(activityType) ?? 0) + 1);
    }
  }
}

/** The summary as a person reads it on a terminal. */
export function formatSummary(summary: RunSummary): string {
  const seconds = summary.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(summary.rowsRead / seconds) : summary.rowsRead;
  const types = Object.entries(summary.activityTypes)
    .sort(([, a], [, b]) => b - a)
    .map(([type, count]) => `    ${type}: ${count}`);

  const lines = [
    summary.interrupted ? 'Interrupted; summary so far:' : 'Summary:',
    `  file:          ${summary.file} (${summary.encoding}, delimiter "${summary.delimiter}")`,
    `  topic:         ${summary.dryRun ? '(dry run, nothing published)' : summary.topic}`,
    `  run id:        ${summary.runId}`,
    `  rows read:     ${summary.rowsRead}`,
    `  published:     ${summary.published}`,
    `  unparseable:   ${summary.unparseable}${unparseableNote(summary)}`,
    `  time:          ${seconds.toFixed(1)} s (${rate} rows/s)`,
    `  activity types (${types.length}):`,
    ...types,
    ...summary.notes.map((note) => `  note: ${note}`),
  ];

  return `${lines.join('\n')}\n`;
}

/** `published` counts the unparseable rows too: say so where the two numbers meet. */
function unparseableNote(summary: RunSummary): string {
  if (summary.unparseable === 0 || summary.dryRun) {
    return '';
  }

  return ' (included in published, marked unparseable)';
}
