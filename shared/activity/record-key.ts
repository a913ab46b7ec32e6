import { v5 as uuidv5 } from 'uuid';
import { normalizeLabel } from './normalize-label.ts';

/** Fixed namespace of this project's name-based uuids; changing it renames every object. */
export const KEY_NAMESPACE = '6f1c3f0e-3a52-5b5e-9c7e-2f4d1b9a7c10';

/**
 * Normalised header names of the activity-id column in every language and generation seen:
 * legacy `id`, en `Activity ID`, es `Id. de actividad`, fr `ID de l'activité`,
 * nl `Activiteits-ID`, de `Aktivitäts-ID`.
 */
const ID_HEADERS = new Set(
  [
    'id',
    'Activity ID',
    'Id. de actividad',
    "ID de l'activité",
    'Activiteits-ID',
    'Aktivitäts-ID',
  ].map(normalizeLabel),
);

/** Index of the activity-id column in a header row, or -1 when the file has none. */
export function findIdColumn(headers: readonly string[]): number {
  return headers.findIndex((header) => ID_HEADERS.has(normalizeLabel(header)));
}

/**
 * The Kafka key of a record: its activity id where the file has one and the cell is not
 * empty; otherwise a uuid v5 of the record's values, so re-publishing the same file gives
 * the same key and the lake overwrites instead of adding.
 */
export function recordKey(headers: readonly string[], values: readonly string[]): string {
  return recordKeyAt(findIdColumn(headers), values);
}

/**
 * `recordKey` with the id column already found (-1 for none), for callers that key many
 * records of one file and should not search the header for each.
 */
export function recordKeyAt(idColumn: number, values: readonly string[]): string {
  const id = idColumn >= 0 ? values[idColumn]?.trim() : undefined;
  if (id) {
    return id;
  }

  return uuidv5(JSON.stringify(values), KEY_NAMESPACE);
}
