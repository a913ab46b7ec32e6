import { describe, expect, it } from 'vitest';
import { createClassifier, findTypeColumn } from '../../../shared/sports/classify.ts';
import { SPORTS, type Sport } from '../../../shared/sports/registry.ts';

const classifier = createClassifier(SPORTS);

/** The same text as a UTF-8 file read as Windows-1252 shows it (`NataciÃ³n`). */
function asMojibake(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

const everyLabel = SPORTS.flatMap((sport) =>
  sport.activityTypes.map((label) => ({ sport: sport.id, label })),
);

const LATIN1_ACCENT = /[\u00c0-\u00ff]/;

describe('sportsOf', () => {
  it.each(everyLabel)('puts "$label" in $sport', ({ sport, label }) => {
    expect(ids(classifier.sportsOf(label))).toEqual([sport]);
  });

  it.each(everyLabel)(
    'puts "$label" in $sport whatever its case and spacing',
    ({ sport, label }) => {
      const variants = [
        label.toUpperCase(),
        label.toLowerCase(),
        `  ${label.replaceAll(' ', '\u00a0')}\u202f`,
        label.normalize('NFD'),
      ];

      const found = variants.map((variant) => ids(classifier.sportsOf(variant)));

      expect(found).toEqual(variants.map(() => [sport]));
    },
  );

  it.each(everyLabel.filter(({ label }) => LATIN1_ACCENT.test(label)))(
    'puts "$label" in $sport when it arrives as mojibake',
    ({ sport, label }) => {
      expect(ids(classifier.sportsOf(asMojibake(label)))).toEqual([sport]);
    },
  );

  it.each([
    'Walk',
    'Hike',
    'Virtual Rowing',
    'Rowing',
    'Workout',
    'Weight Training',
    'Training',
    'Entrenamiento',
    'Caminata',
    'Wandeling',
    'Marche',
    'Spaziergang',
    'Kayakken',
    'Swimrun',
    'Run Walk',
    'Rides',
    'Stand Up Paddling',
    'Alpine Ski',
    'AlpineSki',
    '',
    '   ',
    'translation missing: en-US.lib.export.portability_exporter.activities.horton_values.type',
  ])('puts "%s" in no sport', (label) => {
    expect(classifier.sportsOf(label)).toEqual([]);
  });
});

describe('findTypeColumn', () => {
  const span =
    '<span class="translation_missing" title="translation missing: en-US.lib.export.' +
    'portability_exporter.activities.horton_values.activity_type">Activity Type</span>';

  it.each([
    { header: 'type', others: ['id', 'date', 'name', 'description'] },
    { header: 'Activity Type', others: ['Activity ID', 'Activity Name'] },
    { header: 'Tipo de actividad', others: ['Id. de actividad', 'Tipo'] },
    { header: "Type d'activité", others: ["ID de l'activité"] },
    { header: 'Type d’activité', others: ["ID de l'activité"] },
    { header: 'Activiteitstype', others: ['Activiteits-ID', 'Type'] },
    { header: 'Aktivitätsart', others: ['Aktivitäts-ID', 'Art'] },
    { header: 'ACTIVITY\u00a0TYPE', others: ['Activity ID'] },
    { header: 'Tipo de actividad'.normalize('NFD'), others: [] },
    { header: asMojibake('Aktivitätsart'), others: [] },
    { header: span, others: ['Activity ID'] },
  ])('finds the activity-type column headed "$header"', ({ header, others }) => {
    const fieldNames = [...others, header];

    expect(findTypeColumn(fieldNames)).toBe(header);
  });

  it('prefers the real activity-type column over the empty `Type` column of newer exports', () => {
    const spanType =
      '<span class="translation_missing" title="translation missing: en-US.lib.export.' +
      'portability_exporter.activities.horton_values.type">Type</span>';

    const found = [
      findTypeColumn(['Activity ID', 'Type', 'Activity Type', 'Start Time']),
      findTypeColumn(['Activity ID', spanType, 'Activity Type']),
      findTypeColumn(['Activiteits-ID', 'Activiteitstype', 'Type']),
    ];

    expect(found).toEqual(['Activity Type', 'Activity Type', 'Activiteitstype']);
  });

  it('finds no column in a record without an activity-type header', () => {
    expect(findTypeColumn(['Activity ID', 'Activity Name', 'Distance'])).toBeUndefined();
  });
});

describe('classify', () => {
  it('reads the activity-type column only, never the name or description', () => {
    const fields = {
      'Activity ID': '1',
      'Activity Name': 'Swim then run',
      'Activity Type': 'Walk',
      'Activity Description': 'Ride home',
    };

    const result = classifier.classify(fields);

    expect(result).toEqual({ kind: 'typed', activityType: 'Walk', sports: [] });
  });

  it('keeps the activity type exactly as written', () => {
    const result = classifier.classify({ 'Tipo de actividad': 'Vuelta\u00a0ciclista' });

    expect(result).toMatchObject({ kind: 'typed', activityType: 'Vuelta\u00a0ciclista' });
    expect(result.kind === 'typed' && ids(result.sports)).toEqual(['bici']);
  });

  it('finds the right column when records of different exports alternate', () => {
    const local = createClassifier(SPORTS);
    const modern = { 'Activity ID': '1', 'Activity Type': 'Run', Type: '' };
    const legacy = { id: '2', type: 'Ride' };
    const dutch = { 'Activiteits-ID': '3', Type: '', Activiteitstype: 'Zwemmen' };

    const found = [modern, legacy, modern, dutch, legacy].map((fields) => local.classify(fields));

    expect(found.map((result) => result.kind === 'typed' && result.activityType)).toEqual([
      'Run',
      'Ride',
      'Run',
      'Zwemmen',
      'Ride',
    ]);
  });

  it('reports a record that has no activity-type column', () => {
    expect(classifier.classify({ name: 'Morning Swim' })).toEqual({ kind: 'no-type-column' });
  });

  it('matches a sport added to the registry, with no other change', () => {
    const walking: Sport = {
      id: 'caminata',
      label: 'Caminata',
      activityTypes: ['Walk', 'Caminata', 'Wandeling', 'Marche', 'Spaziergang'],
      prefix: 'caminata/',
    };
    const extended = createClassifier([...SPORTS, walking]);

    const found = ['Walk', 'Caminata', 'Swim'].map((label) => ids(extended.sportsOf(label)));

    expect(found).toEqual([['caminata'], ['caminata'], ['natacion']]);
  });
});

describe('the registry', () => {
  it('gives every sport a unique id and a unique prefix ending in a slash', () => {
    const idsSeen = new Set(SPORTS.map((sport) => sport.id));
    const prefixes = new Set(SPORTS.map((sport) => sport.prefix));

    expect(idsSeen.size).toBe(SPORTS.length);
    expect(prefixes.size).toBe(SPORTS.length);
    expect(SPORTS.every((sport) => /^[a-z0-9-]+\/$/.test(sport.prefix))).toBe(true);
  });

  it('puts no label in two sports', () => {
    const overlaps = everyLabel.filter(({ label }) => classifier.sportsOf(label).length !== 1);

    expect(overlaps).toEqual([]);
  });
});

function ids(sports: readonly Sport[]): string[] {
  return sports.map((sport) => sport.id);
}
