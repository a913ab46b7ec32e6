import { normalizeLabel } from './normalize-label.ts';

/**
 * Normalised header names of the activity-type column (column 4 of every modern export):
 * en `Activity Type`, es `Tipo de actividad`, fr `Type d'activité`, nl `Activiteitstype`,
 * de `Aktivitätsart`. Modern files also have a later `Type` column (HTML-wrapped in
 * 2021–2023), so the bare `type` of the legacy format is only a fallback.
 */
const TYPE_HEADERS = new Set(
  ['Activity Type', 'Tipo de actividad', "Type d'activité", 'Activiteitstype', 'Aktivitätsart'].map(
    normalizeLabel,
  ),
);

const LEGACY_TYPE_HEADER = 'type';

/** Index of the activity-type column in a header row, or -1 when the file has none. */
export function findActivityTypeColumn(headers: readonly string[]): number {
  const normalized = headers.map(normalizeLabel);
  const modern = normalized.findIndex((header) => TYPE_HEADERS.has(header));

  return modern >= 0 ? modern : normalized.indexOf(LEGACY_TYPE_HEADER);
}
