/**
 * Names under which a row's values are kept. Strava repeats five header names
 * (`Elapsed Time`, `Distance`, `Max Heart Rate`, `Relative Effort`, `Commute`) with
 * different units in each copy, so a plain object would silently lose one of each.
 * The first copy keeps its name; the n-th repeat becomes `Name (n)`.
 */
export function uniqueFieldNames(headers: readonly string[]): string[] {
  const seen = new Map<string, number>();

  return headers.map((header) => {
    const count = (seen.get(header) ?? 0) + 1;
    seen.set(header, count);
    return count === 1 ? header : `${header} (${count})`;
  });
}
