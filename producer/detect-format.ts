/**
 * Pure decisions about a file's first bytes: which encoding to decode it with and which
 * delimiter separates its fields. Kept free of I/O so every case is a table row in a test.
 */

export type EncodingChoice = 'auto' | 'utf-8' | 'windows-1252';
export type DelimiterChoice = 'auto' | ',' | ';';

/** Names iconv-lite understands. */
export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export type SampleVerdict =
  | { kind: 'text'; encoding: Encoding; bom: boolean; reason: string; doubt?: string }
  | { kind: 'archive'; format: string }
  | { kind: 'binary'; offset: number };

const BOMS: ReadonlyArray<{ bytes: number[]; encoding: Encoding }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

const ARCHIVES: ReadonlyArray<{ bytes: number[]; format: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], format: 'zip' },
  { bytes: [0x1f, 0x8b], format: 'gzip' },
];

/**
 * Decides how to decode a file from its first bytes. A byte-order mark is unambiguous and
 * wins over the `--encoding` choice; without one, `auto` picks UTF-8 when the sample is
 * valid UTF-8 and Windows-1252 otherwise (the only single-byte encoding spreadsheets on
 * Western-locale Windows write).
 */
export function classifySample(sample: Uint8Array, choice: EncodingChoice): SampleVerdict {
  const bom = BOMS.find(({ bytes }) => startsWith(sample, bytes));
  if (bom) {
    return { kind: 'text', encoding: bom.encoding, bom: true, reason: 'byte-order mark' };
  }

  const archive = ARCHIVES.find(({ bytes }) => startsWith(sample, bytes));
  if (archive) {
    return { kind: 'archive', format: archive.format };
  }

  const utf16 = guessUtf16WithoutBom(sample);
  if (utf16) {
    return { kind: 'text', encoding: utf16, bom: false, reason: 'NUL byte pattern' };
  }

  const nul = sample.indexOf(0);
  if (nul >= 0) {
    return { kind: 'binary', offset: nul };
  }

  const detected = isValidUtf8Prefix(sample) ? 'utf-8' : 'windows-1252';
  if (choice === 'auto') {
    return { kind: 'text', encoding: detected, bom: false, reason: 'detected' };
  }

  // Pure ASCII reads the same either way; otherwise a forced choice that the bytes
  // contradict turns every accented letter (Natación) into something else.
  const doubt =
    choice !== detected && !isAscii(sample)
      ? `--encoding ${choice} was asked, but the file's first 64 KiB read as ${detected}: accented letters such as the ó of Natación will come out wrong. Leave --encoding at auto unless you are sure.`
      : undefined;
  return {
    kind: 'text',
    encoding: choice,
    bom: false,
    reason: '--encoding',
    ...(doubt && { doubt }),
  };
}

function isAscii(sample: Uint8Array): boolean {
  return sample.every((byte) => byte < 0x80);
}

/**
 * A web page saved under the export's name (a login or error page instead of the file)
 * starts with its doctype or html tag; no Strava header does.
 */
export function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype\s+html|html[\s>])/i.test(text);
}

function startsWith(sample: Uint8Array, bytes: readonly number[]): boolean {
  return bytes.every((byte, index) => sample[index] === byte);
}

/**
 * ASCII text saved as UTF-16 has a NUL in every other byte. A real CSV sample of at
 * least a few characters with that pattern in over 90 % of its pairs is UTF-16.
 */
function guessUtf16WithoutBom(sample: Uint8Array): Encoding | undefined {
  const pairs = Math.floor(Math.min(sample.length, 4096) / 2);
  if (pairs < 4) {
    return undefined;
  }

  let evenNul = 0;
  let oddNul = 0;
  for (let pair = 0; pair < pairs; pair++) {
    if (sample[2 * pair] === 0 && sample[2 * pair + 1] !== 0) evenNul++;
    if (sample[2 * pair + 1] === 0 && sample[2 * pair] !== 0) oddNul++;
  }

  if (oddNul > pairs * 0.9) return 'utf-16le';
  if (evenNul > pairs * 0.9) return 'utf-16be';
  return undefined;
}

/**
 * True when the sample is valid UTF-8, allowing the sample's cut to split the last
 * character (up to three trailing bytes of an unfinished sequence).
 */
export function isValidUtf8Prefix(sample: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });

  for (let cut = 0; cut <= Math.min(3, sample.length); cut++) {
    try {
      decoder.decode(sample.subarray(0, sample.length - cut));
      return true;
    } catch {
      // A cut in the middle of a character fails too; try one byte shorter.
    }
  }

  return false;
}

/**
 * Picks `,` or `;` from the header line: whichever occurs more often outside quotes.
 * Strava writes `,`; spreadsheets in comma-decimal locales re-save with `;`.
 */
export function detectDelimiter(headerLine: string, choice: DelimiterChoice): ',' | ';' {
  if (choice !== 'auto') {
    return choice;
  }

  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === ',') commas++;
    else if (!quoted && char === ';') semicolons++;
  }

  return semicolons > commas ? ';' : ',';
}

/** The first line of a decoded sample, ignoring line breaks inside quoted header cells. */
export function firstLine(text: string): string {
  let quoted = false;

  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    if (!quoted && (char === '\n' || char === '\r')) {
      return text.slice(0, index);
    }
  }

  return text;
}
