import { describe, expect, it } from 'vitest';
import { normalizeLabel, repairMojibake } from '../../../shared/activity/normalize-label.ts';

describe('normalizeLabel', () => {
  it.each([
    { text: 'Natación', expected: 'natacion' },
    { text: 'NATACIÓN', expected: 'natacion' },
    { text: 'NataciÃ³n', expected: 'natacion' },
    { text: 'Course à pied', expected: 'course a pied' },
    { text: 'Course\u00a0à\u202fpied', expected: 'course a pied' },
    { text: '  Vuelta \t ciclista \n', expected: 'vuelta ciclista' },
    { text: 'Vélo'.normalize('NFD'), expected: 'velo' },
    { text: 'Aktivitätsart', expected: 'aktivitatsart' },
    { text: '<span class="translation_missing" title="x.type">Type</span>', expected: 'type' },
    { text: 'Virtual Ride', expected: 'virtual ride' },
    { text: '', expected: '' },
  ])('turns "$text" into "$expected"', ({ text, expected }) => {
    expect(normalizeLabel(text)).toBe(expected);
  });
});

describe('repairMojibake', () => {
  it.each([
    { text: 'NataciÃ³n', expected: 'Natación' },
    { text: 'VÃ©lo', expected: 'Vélo' },
    { text: 'DescripciÃ³n de la actividad', expected: 'Descripción de la actividad' },
  ])('repairs "$text"', ({ text, expected }) => {
    expect(repairMojibake(text)).toBe(expected);
  });

  it.each(['Natación', 'Ã', 'São Paulo', 'plain text'])(
    'leaves correct text "%s" alone',
    (text) => {
      expect(repairMojibake(text)).toBe(text);
    },
  );
});
