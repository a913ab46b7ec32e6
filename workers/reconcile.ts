import type { S3Client } from '@aws-sdk/client-s3';
import { listKeys } from '../shared/s3/list-keys.ts';
import { createClassifier } from '../shared/sports/classify.ts';
import type { Sport, SportRegistry } from '../shared/sports/registry.ts';
import { objectKey } from './object-key.ts';
import { readExport } from './read-export.ts';

export interface SportBalance {
  sport: string;
  /** Rows of the file whose activity type belongs to the sport. */
  rowsExpected: number;
  /** Objects under the sport's prefix. */
  objectsPresent: number;
  /** Expected object names not in the lake. */
  missing: string[];
  /** Objects in the lake that no row of the file accounts for. */
  unexpected: string[];
}

export interface ReconcileReport {
  file: string;
  sports: SportBalance[];
  /** Rows the producer publishes as unparseable; they belong in `_rejected/`. */
  unparseableRows: number;
  rejectedObjects: number;
  balanced: boolean;
}

/**
 * Compares one export with the lake, per sport: every row that belongs to a sport must
 * have its object, and every object must come from a row. Meant for a lake fed by that
 * export; objects of other exports show up as unexpected.
 */
export async function reconcile(options: {
  file: string;
  bucket: string;
  s3: S3Client;
  registry: SportRegistry;
}): Promise<ReconcileReport> {
  const expected = await expectedObjects(options.file, options.registry);
  const sports: SportBalance[] = [];

  for (const sport of options.registry) {
    const present = new Set(await listKeys(options.s3, options.bucket, sport.prefix));
    sports.push(balance(sport, expected.bySport.get(sport.id) ?? [], present));
  }

  const rejected = await listKeys(options.s3, options.bucket, '_rejected/');
  const balanced = sports.every((s) => s.missing.length === 0 && s.unexpected.length === 0);

  return {
    file: options.file,
    sports,
    unparseableRows: expected.unparseable,
    rejectedObjects: rejected.length,
    balanced,
  };
}

function balance(sport: Sport, rowKeys: string[], present: Set<string>): SportBalance {
  const wanted = new Set(rowKeys);

  return {
    sport: sport.id,
    rowsExpected: rowKeys.length,
    objectsPresent: present.size,
    missing: [...wanted].filter((key) => !present.has(key)),
    unexpected: [...present].filter((key) => !wanted.has(key)),
  };
}

async function expectedObjects(file: string, registry: SportRegistry) {
  const classifier = createClassifier(registry);
  const bySport = new Map<string, string[]>();
  let unparseable = 0;

  for await (const row of readExport(file)) {
    if (row.kind === 'unparseable') {
      unparseable++;
      continue;
    }

    const classification = classifier.classify(row.message.fields);
    const sports = classification.kind === 'typed' ? classification.sports : [];
    for (const sport of sports) {
      const keys = bySport.get(sport.id) ?? [];
      keys.push(objectKey(sport.prefix, row.key));
      bySport.set(sport.id, keys);
    }
  }

  return { bySport, unparseable };
}

/** The report as the command prints it: one line per sport, then the verdict. */
export function formatReport(report: ReconcileReport): string {
  const lines = [`reconcile ${report.file}`];

  for (const s of report.sports) {
    lines.push(
      `  ${s.sport.padEnd(12)} rows expected ${s.rowsExpected}, objects present ${s.objectsPresent}, ` +
        `missing ${s.missing.length}, unexpected ${s.unexpected.length}`,
    );
    lines.push(...sampleKeys('missing', s.missing), ...sampleKeys('unexpected', s.unexpected));
  }

  lines.push(
    `  rejected     unparseable rows ${report.unparseableRows}, objects in _rejected/ ${report.rejectedObjects}`,
  );
  lines.push(report.balanced ? 'balanced' : `NOT balanced\n${HINT}`);
  return lines.join('\n');
}

const SHOWN_KEYS = 5;

const HINT = [
  'missing: rows of the file with no object yet (not published to KAFKA_TOPIC, or a worker',
  'still behind or down); unexpected: objects the file does not explain (another export',
  'published into the same lake, or an object written by hand).',
].join('\n');

/** The first few keys of a list, and how many more there are. */
function sampleKeys(label: 'missing' | 'unexpected', keys: string[]): string[] {
  const shown = keys.slice(0, SHOWN_KEYS).map((key) => `    ${label.padEnd(10)} ${key}`);
  const more = keys.length - shown.length;
  return more > 0 ? [...shown, `    … and ${more} more ${label}`] : shown;
}
