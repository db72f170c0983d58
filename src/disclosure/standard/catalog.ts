/**
 * What the standard may talk about: every field that each release type's builder can produce, and
 * for a field that can be generalized, its ladder of levels (finest first) and the floor — the
 * finest level any standard may allow. Fields marked `neverOnly` (identities, case links, raw
 * times) can only be `never`: no standard file can publish them. The standard file
 * (default-standard.json) then says, within these bounds, what is actually released.
 */
export const RELEASE_TYPES = ['exposure_points', 'risk_areas', 'research_extract', 'daily_counts'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];

/** Levels of each kind of generalizable value, finest first. */
export const LADDERS = {
  time: ['minute', 'hour', 'day'],
  age: ['year', '5y', '10y', '20y', '*'],
  sex: ['value', '*'],
  place: ['district', 'city', 'province', '*'],
  date: ['day', 'week', '*'],
} as const satisfies Record<string, readonly string[]>;
export type LadderName = keyof typeof LADDERS;

export interface FieldSpec {
  /** The ladder of a generalizable field; absent: the value is published as is or not at all. */
  readonly ladder?: LadderName;
  /** The finest level any standard may allow (default: the ladder's first). */
  readonly floor?: string;
  /** Only `never` is acceptable (personal identifiers, links to cases, exact times). */
  readonly neverOnly?: boolean;
}

const plain: FieldSpec = {};
const never: FieldSpec = { neverOnly: true };

export const CATALOG: Readonly<Record<ReleaseType, Readonly<Record<string, FieldSpec>>>> = {
  exposure_points: {
    venueId: plain, venueName: plain, venueAddress: plain, venueCategory: plain, district: plain,
    windowStart: { ladder: 'time', floor: 'hour' }, windowEnd: { ladder: 'time', floor: 'hour' },
    expiresAt: plain, advice: plain, visitorCount: plain,
    caseId: never, caseCount: never, arrival: never, departure: never,
  },
  risk_areas: {
    level: plain, kind: plain, district: plain, venueId: plain, venueName: plain,
    windowStart: { ladder: 'time', floor: 'hour' }, windowEnd: { ladder: 'time', floor: 'hour' },
    validUntil: plain, advice: plain, declaredBy: never, peopleFound: never,
  },
  research_extract: {
    ageBand: { ladder: 'age', floor: '5y' },
    sex: { ladder: 'sex' },
    district: { ladder: 'place', floor: 'district' },
    onsetWeek: { ladder: 'date', floor: 'week' },
    classification: plain, outcome: plain,
    name: never, documentNumber: never, phone: never, address: never, birthDate: never, employer: never, caseNumber: never, notes: never,
  },
  daily_counts: {
    date: { ladder: 'date', floor: 'day' },
    district: plain, count: plain, epsilon: plain, scale: plain, sensitivity: plain, mechanism: plain, postProcessing: plain,
    trueCount: never,
  },
};

/**
 * The level of a generalized value on its ladder (0 = finest), or −1 when the value is not a
 * value of that ladder at all (e.g. a time with seconds, a street code, an age band of width 3).
 */
export function levelOfValue(ladder: LadderName, value: unknown): number {
  if (typeof value !== 'string') return -1;
  switch (ladder) {
    case 'time': {
      if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 2;
      const ms = Date.parse(value);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || !Number.isFinite(ms)) return -1;
      return ms % 3_600_000 === 0 ? 1 : ms % 60_000 === 0 ? 0 : -1;
    }
    case 'age': {
      if (value === '*') return 4;
      if (/^\d{1,3}$/.test(value)) return 0;
      const m = /^(\d{1,3})-(\d{1,3})$/.exec(value);
      if (!m) return -1;
      const lo = Number(m[1]);
      const width = Number(m[2]) - lo + 1;
      const level = ({ 5: 1, 10: 2, 20: 3 } as Record<number, number>)[width];
      return level !== undefined && lo % width === 0 ? level : -1;
    }
    case 'sex': return value === '*' ? 1 : value === 'M' || value === 'F' ? 0 : -1;
    case 'place': return value === '*' ? 3 : /^\d{6}$/.test(value) ? 0 : /^\d{4}$/.test(value) ? 1 : /^\d{2}$/.test(value) ? 2 : -1;
    case 'date': return value === '*' ? 2 : /^\d{4}-W\d{2}$/.test(value) ? 1 : /^\d{4}-\d{2}-\d{2}$/.test(value) ? 0 : -1;
  }
}

/** Index of a level name on its ladder, or −1. */
export const levelIndex = (ladder: LadderName, level: string): number => (LADDERS[ladder] as readonly string[]).indexOf(level);

/** Most declared risk areas one risk-area release may name. */
export const MAX_RELEASE_AREAS = 100;
