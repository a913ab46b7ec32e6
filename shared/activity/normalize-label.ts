/**
 * Puts a header cell or an activity-type label into a comparable form: HTML tags removed
 * (2021–2023 exports wrap headers in `<span class="translation_missing">`), mojibake from a
 * UTF-8 file read as Windows-1252 repaired (`NataciÃ³n`), accents dropped, every kind of
 * space (including U+00A0 and U+202F) folded into one, case folded.
 */
export function normalizeLabel(text: string): string {
  const withoutHtml = text.replace(/<[^>]*>/g, ' ');
  const repaired = repairMojibake(withoutHtml);

  return repaired
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[\s\u00a0\u202f\u2007\u2009\u200b]+/gu, ' ')
    .trim()
    .toLowerCase();
}

const MOJIBAKE_HINT =
  /[ÃÂâ][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]/;

/**
 * Undoes one round of "UTF-8 bytes decoded as Windows-1252". Only applied when the text
 * shows the tell-tale pairs and the repaired bytes are valid UTF-8, so correct text that
 * happens to contain `Ã` is left alone.
 */
export function repairMojibake(text: string): string {
  if (!MOJIBAKE_HINT.test(text)) {
    return text;
  }

  const bytes: number[] = [];
  for (const char of text) {
    const byte = WINDOWS_1252_BYTE.get(char) ?? char.codePointAt(0) ?? 0;
    if (byte > 0xff) {
      return text;
    }
    bytes.push(byte);
  }

  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return text;
  }
}

/** The characters Windows-1252 puts at bytes 0x80–0x9F, where Latin-1 has controls. */
const WINDOWS_1252_BYTE = new Map<string, number>(
  [
    [0x80, 0x20ac],
    [0x82, 0x201a],
    [0x83, 0x0192],
    [0x84, 0x201e],
    [0x85, 0x2026],
    [0x86, 0x2020],
    [0x87, 0x2021],
    [0x88, 0x02c6],
    [0x89, 0x2030],
    [0x8a, 0x0160],
    [0x8b, 0x2039],
    [0x8c, 0x0152],
    [0x8e, 0x017d],
    [0x91, 0x2018],
    [0x92, 0x2019],
    [0x93, 0x201c],
    [0x94, 0x201d],
    [0x95, 0x2022],
    [0x96, 0x2013],
    [0x97, 0x2014],
    [0x98, 0x02dc],
    [0x99, 0x2122],
    [0x9a, 0x0161],
    [0x9b, 0x203a],
    [0x9c, 0x0153],
    [0x9e, 0x017e],
    [0x9f, 0x0178],
  ].map(([byte, codePoint]) => [String.fromCodePoint(codePoint as number), byte as number]),
);
