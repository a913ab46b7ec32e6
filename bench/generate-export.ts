import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/**
 * Writes an N-row export in the real 103-column English shape: the header and the rows of
 * the en-us fixture (quoted dates, thousands commas, multi-line and emoji descriptions),
 * repeated with fresh activity ids so that every row has its own key.
 */
const TEMPLATE = fileURLToPath(
  new URL('../test/fixtures/strava/en-us-long-103.csv', import.meta.url),
);

const FIRST_ID = 10_000_000_000;

export async function generateExport(path: string, rows: number): Promise<number> {
  const [header = [], ...templates] = parse(readFileSync(TEMPLATE, 'utf-8')) as string[][];
  const out = createWriteStream(path);
  let bytes = 0;

  const write = async (line: string) => {
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) {
      await once(out, 'drain');
    }
  };

  await write(toCsvLine(header));
  for (let row = 0; row < rows; row++) {
    const template = templates[row % templates.length] ?? [];
    await write(toCsvLine([String(FIRST_ID + row), ...template.slice(1)]));
  }

  out.end();
  await once(out, 'finish');
  return bytes;
}

/** Rows needed for a file of about `bytes` bytes. */
export function rowsForBytes(bytes: number): number {
  const [, ...templates] = readFileSync(TEMPLATE, 'utf-8').split('\n');
  const average = Buffer.byteLength(templates.join('\n')) / 18;
  return Math.ceil(bytes / average);
}

function toCsvLine(values: string[]): string {
  return `${values.map(quoteIfNeeded).join(',')}\n`;
}

function quoteIfNeeded(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, rows] = process.argv.slice(2);
  if (!path || !rows) {
    process.stderr.write('usage: tsx bench/generate-export.ts OUT.csv ROWS\n');
    process.exit(2);
  }

  const bytes = await generateExport(path, Number(rows));
  process.stdout.write(`${path}: ${rows} rows, ${bytes} bytes\n`);
}
