import { normalizeLabel } from '../activity/normalize-label.ts';
import type { Sport, SportRegistry } from './registry.ts';

/**
 * Header of the activity-type column in every language and generation seen (en, es, fr,
 * nl, de; it and pt by Strava's naming). HTML around a header (`<span …>Activity
 * Type</span>`) is removed by `normalizeLabel`.
 */
const TYPE_HEADERS = new Set(
  [
    'Activity Type',
    'Tipo de actividad',
    "Type d'activité",
    'Type d’activité',
    'Activiteitstype',
    'Aktivitätsart',
    'Tipo di attività',
    'Tipo de atividade',
  ].map(normalizeLabel),
);

/**
 * The legacy (≤ 2019) header is plain `type`. Newer exports also have a `Type` column,
 * always empty, so `type` only counts when no real activity-type header is present.
 */
const LEGACY_TYPE_HEADER = 'type';

export type Classification =
  | { kind: 'no-type-column' }
  | { kind: 'typed'; activityType: string; sports: Sport[] };

export interface Classifier {
  /** Name of the activity-type column among a record's field names, if any. */
  typeColumn(fieldNames: readonly string[]): string | undefined;
  /** Sports whose labels include this activity type (usually zero or one). */
  sportsOf(activityType: string): Sport[];
  /** Reads a record's activity-type column, and only that column, to find its sports. */
  classify(fields: Readonly<Record<string, string>>): Classification;
}

/**
 * A matcher over a registry. Header lookups and label lookups are memoised: a file has one
 * header and a few dozen labels, while a topic has millions of records.
 */
export function createClassifier(registry: SportRegistry): Classifier {
  const sportsByLabel = indexLabels(registry);
  const columnByHeader = new Map<string, string | undefined>();
  const sportsByRawLabel = new Map<string, Sport[]>();

  const sportsOf = (activityType: string): Sport[] => {
    const cached = sportsByRawLabel.get(activityType);
    if (cached) {
      return cached;
    }

    const sports = sportsByLabel.get(normalizeLabel(activityType)) ?? [];
    // Labels come from a closed vocabulary, but a hostile topic could send endless ones.
    if (sportsByRawLabel.size < 10_000) {
      sportsByRawLabel.set(activityType, sports);
    }
    return sports;
  };

  const typeColumnCached = (fieldNames: readonly string[]): string | undefined => {
    const headerKey = fieldNames.join('\u0000');
    if (columnByHeader.has(headerKey)) {
      return columnByHeader.get(headerKey);
    }

    const column = findTypeColumn(fieldNames);
    if (columnByHeader.size < 1_000) {
      columnByHeader.set(headerKey, column);
    }
    return column;
  };

  // The column found last: consecutive records nearly always come from the same file.
  let lastPrimary: string | undefined;

  const classify = (fields: Readonly<Record<string, string>>): Classification => {
    if (lastPrimary !== undefined && Object.hasOwn(fields, lastPrimary)) {
      return typed(fields, lastPrimary);
    }

    const column = typeColumnCached(Object.keys(fields));
    lastPrimary = column !== undefined && isPrimaryHeader(column) ? column : undefined;
    if (column === undefined) {
      return { kind: 'no-type-column' };
    }

    return typed(fields, column);
  };

  const typed = (fields: Readonly<Record<string, string>>, column: string): Classification => {
    const activityType = fields[column] ?? '';
    return { kind: 'typed', activityType, sports: sportsOf(activityType) };
  };

  return { typeColumn: typeColumnCached, sportsOf, classify };
}

/**
 * A real activity-type header wins over any other column, so when a record has one it is
 * the answer whatever the other columns are; this makes the shortcut above safe.
 */
function isPrimaryHeader(name: string): boolean {
  return TYPE_HEADERS.has(normalizeLabel(name));
}

/** Name of the activity-type column, found by its header; see `TYPE_HEADERS`. */
export function findTypeColumn(fieldNames: readonly string[]): string | undefined {
  const normalized = fieldNames.map(normalizeLabel);

  const current = normalized.findIndex((name) => TYPE_HEADERS.has(name));
  if (current >= 0) {
    return fieldNames[current];
  }

  const legacy = normalized.indexOf(LEGACY_TYPE_HEADER);
  return legacy >= 0 ? fieldNames[legacy] : undefined;
}

function indexLabels(registry: SportRegistry): Map<string, Sport[]> {
  const index = new Map<string, Sport[]>();

  for (const sport of registry) {
    for (const label of sport.activityTypes) {
      const key = normalizeLabel(label);
      const sports = index.get(key) ?? [];
      if (!sports.includes(sport)) {
        sports.push(sport);
      }
      index.set(key, sports);
    }
  }

  return index;
}
