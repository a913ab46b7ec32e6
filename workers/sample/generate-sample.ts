import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/**
 * Builds `activities-es.csv`, the sample export `npm run demo` publishes: the real
 * 103-column Spanish (es-419) header and the shapes of the es fixture's rows (dates with
 * U+202F before `p.m.`, comma decimals, multi-line descriptions), repeated with fresh ids
 * and dates. Every value is invented. Deterministic: running it again gives the same file.
 */
const TEMPLATE = fileURLToPath(
  new URL('../../test/fixtures/strava/es-419-long-103.csv', import.meta.url),
);
const OUTPUT = fileURLToPath(new URL('./activities-es.csv', import.meta.url));

const ROWS = 360;
const FIRST_ID = 15_000_000_000;
const MONTHS = [
  'ene',
  'feb',
  'mar',
  'abr',
  'may',
  'jun',
  'jul',
  'ago',
  'sept',
  'oct',
  'nov',
  'dic',
];

function main(): void {
  const [header = [], ...templates] = parse(readFileSync(TEMPLATE, 'utf8')) as string[][];
  const lines = [toCsvLine(header)];

  for (let row = 0; row < ROWS; row++) {
    const template = templates[(row * 5) % templates.length] ?? [];
    const values = [...template];
    values[0] = String(FIRST_ID + row * 9_973);
    values[1] = dateOf(row);
    lines.push(toCsvLine(values));
  }

  writeFileSync(OUTPUT, lines.join(''));
  process.stdout.write(`${OUTPUT}: ${ROWS} rows\n`);
}

/** `3 ago 2025, 1:20:32 p.m.`: the es-419 shape, one activity about every day. */
function dateOf(row: number): string {
  const day = (row % 28) + 1;
  const month = MONTHS[Math.floor(row / 28) % 12];
  const year = 2025 + Math.floor(row / (28 * 12));
  const hour = (row % 12) + 1;
  const minute = String((row * 17) % 60).padStart(2, '0');
  const half = row % 2 === 0 ? 'a.m.' : 'p.m.';
  return `${day} ${month} ${year}, ${hour}:${minute}:${minute}\u202f${half}`;
}

function toCsvLine(values: string[]): string {
  return `${values.map(quoteIfNeeded).join(',')}\n`;
}

function quoteIfNeeded(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

main();
