import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  classifySample,
  detectDelimiter,
  type EncodingChoice,
  firstLine,
  looksLikeHtml,
} from '../../../producer/detect-format.ts';

const header = 'Activity ID,Activity Type,Descripción\n1,Natación,x\n';
const bytes = (text: string, encoding: string) => new Uint8Array(iconv.encode(text, encoding));

describe('classifySample', () => {
  it.each<[string, Uint8Array, EncodingChoice, unknown]>([
    ['plain UTF-8 is UTF-8', bytes(header, 'utf-8'), 'auto', { encoding: 'utf-8', bom: false }],
    [
      'UTF-8 with a BOM is UTF-8 with its BOM noted',
      bytes(`\ufeff${header}`, 'utf-8'),
      'auto',
      { encoding: 'utf-8', bom: true },
    ],
    [
      'bytes invalid as UTF-8 are Windows-1252',
      bytes(header, 'windows-1252'),
      'auto',
      { encoding: 'windows-1252' },
    ],
    [
      'a forced encoding applies without a BOM',
      bytes(header, 'utf-8'),
      'windows-1252',
      { encoding: 'windows-1252', reason: '--encoding' },
    ],
    [
      'a BOM wins over a forced encoding',
      bytes(`\ufeff${header}`, 'utf-8'),
      'windows-1252',
      { encoding: 'utf-8', bom: true },
    ],
    [
      'UTF-16LE with a BOM is UTF-16LE',
      bytes(`\ufeff${header}`, 'utf-16le'),
      'auto',
      { encoding: 'utf-16le', bom: true },
    ],
    [
      'UTF-16BE without a BOM is recognised by its NUL bytes',
      bytes(header, 'utf-16be'),
      'auto',
      { encoding: 'utf-16be', bom: false },
    ],
  ])('%s', (_name, sample, choice, expected) => {
    const verdict = classifySample(sample, choice);

    expect(verdict).toMatchObject({ kind: 'text', ...(expected as object) });
  });

  it('calls a zip file an archive', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]);

    expect(classifySample(zip, 'auto')).toEqual({ kind: 'archive', format: 'zip' });
  });

  it('calls bytes with a stray NUL binary and says where', () => {
    const sample = new Uint8Array([0x41, 0x42, 0x00, 0x43, 0xff, 0xfe, 0x43, 0x44, 0x45, 0x46]);

    expect(classifySample(sample, 'auto')).toEqual({ kind: 'binary', offset: 2 });
  });

  it.each<[string, Uint8Array, EncodingChoice]>([
    ['utf-8 forced on Windows-1252 bytes', bytes(header, 'windows-1252'), 'utf-8'],
    ['windows-1252 forced on UTF-8 bytes', bytes(header, 'utf-8'), 'windows-1252'],
  ])('doubts %s, naming what the bytes look like', (_name, sample, choice) => {
    const verdict = classifySample(sample, choice);

    expect(verdict).toMatchObject({ kind: 'text', encoding: choice, reason: '--encoding' });
    expect(verdict.kind === 'text' && verdict.doubt).toMatch(
      new RegExp(`--encoding ${choice} was asked, but the file's first 64 KiB read as`),
    );
  });

  it('does not doubt a forced encoding on plain ASCII, which reads the same either way', () => {
    const verdict = classifySample(bytes('Activity ID,Activity Type\n1,Run\n', 'utf-8'), 'utf-8');

    expect(verdict).toEqual({ kind: 'text', encoding: 'utf-8', bom: false, reason: '--encoding' });
  });

  it('keeps UTF-8 when the sample cuts a character in two', () => {
    const whole = bytes('Natación', 'utf-8');
    const cut = whole.subarray(0, whole.length - 3);

    expect(classifySample(cut, 'auto')).toMatchObject({ encoding: 'utf-8' });
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c', 'auto', ','],
    ['a;b;c', 'auto', ';'],
    ['"x,y";b;c', 'auto', ';'],
    ['"a;b",c,d', 'auto', ','],
    ['single', 'auto', ','],
    ['a;b;c', ',', ','],
  ] as const)('reads %j with %s as %s', (line, choice, expected) => {
    expect(detectDelimiter(line, choice)).toBe(expected);
  });
});

describe('firstLine', () => {
  it.each([
    ['a,b\r\n1,2', 'a,b'],
    ['"multi\nline",b\n1,2', '"multi\nline",b'],
    ['only', 'only'],
  ])('cuts %j to %j', (text, expected) => {
    expect(firstLine(text)).toBe(expected);
  });
});

describe('looksLikeHtml', () => {
  it.each([
    ['<!DOCTYPE html>\n<html><head>', true],
    ['  \n<html lang="en">', true],
    ['<HTML>', true],
    ['Activity ID,Activity Type\n', false],
    ['"<html>",Activity Type\n', false],
    ['<htmlish,column\n', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeHtml(text)).toBe(expected);
  });
});
