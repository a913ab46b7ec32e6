/**
 * The sports the fleet knows. Everything else (group id, S3 prefix, metric label, table
 * tests, the fleet's child processes) follows from this list: adding a sport is one entry
 * here plus its service in `docker-compose.yml`.
 */
export interface Sport {
  /** Lower-case id: `SPORT`, `--sport`, group `consumidor-<id>`, metric label. */
  id: string;
  /** Display name. */
  label: string;
  /**
   * Every activity-type label of the sport as Strava writes it, in any export language or
   * generation. Compared after `normalizeLabel`, so case, accents and spacing do not matter.
   */
  activityTypes: readonly string[];
  /** S3 prefix of the sport's objects, ending in `/`. */
  prefix: string;
}

export type SportRegistry = readonly Sport[];

export const SPORTS: SportRegistry = [
  {
    id: 'natacion',
    label: 'Natación',
    activityTypes: [
      'Swim',
      'Natación',
      'Natation',
      'Zwemmen',
      'Schwimmen',
      'Nuoto',
      'Natação',
      'Pływanie',
    ],
    prefix: 'natacion/',
  },
  {
    id: 'bici',
    label: 'Bici',
    activityTypes: [
      'Ride',
      'Virtual Ride',
      'VirtualRide',
      'E-Bike Ride',
      'EBikeRide',
      'E-Mountain Bike Ride',
      'EMountainBikeRide',
      'Mountain Bike Ride',
      'MountainBikeRide',
      'Gravel Ride',
      'GravelRide',
      'Velomobile',
      'Handcycle',
      'Vuelta ciclista',
      'Vuelta ciclista virtual',
      'Vuelta en bicicleta eléctrica',
      'Vuelta en bicicleta de montaña',
      'Vuelta en bicicleta de gravel',
      'Vélo',
      'Vélo virtuel',
      'Vélo électrique',
      'VTT',
      'Vélo gravel',
      'Fietsrit',
      'Virtuele fietsrit',
      'E-bikerit',
      'Mountainbikerit',
      'Gravelrit',
      'Radfahrt',
      'Virtuelle Radfahrt',
      'E-Bike-Fahrt',
      'Mountainbikefahrt',
      'Gravelbike-Fahrt',
      'Giro in bici',
      'Pedalada',
    ],
    prefix: 'bici/',
  },
  {
    id: 'carrera',
    label: 'Carrera',
    activityTypes: [
      'Run',
      'Trail Run',
      'TrailRun',
      'Virtual Run',
      'VirtualRun',
      'Carrera',
      'Carrera por montaña',
      'Carrera virtual',
      'Course à pied',
      'Trail',
      'Course à pied virtuelle',
      'Hardloopsessie',
      'Trailrunsessie',
      'Virtuele hardloopsessie',
      'Lauf',
      'Traillauf',
      'Virtueller Lauf',
      'Corsa',
      'Corrida',
    ],
    prefix: 'carrera/',
  },
];

/** Consumer group of a sport; replicas of one sport share it and split the partitions. */
export function groupIdOf(sport: Sport, prefix = 'consumidor-'): string {
  return `${prefix}${sport.id}`;
}

/** The sport with this id, or undefined. */
export function findSport(registry: SportRegistry, id: string): Sport | undefined {
  return registry.find((sport) => sport.id === id);
}
