import type { CaseInput, ContactExposure, Observation, PersonInput, TravelRecord } from '../../domain/model.ts';

/** What a synthetic city is a pure function of. */
export interface CityParams {
  readonly seed: number;
  readonly persons: number;
  readonly days: number;
  /** First day of the simulated period (YYYY-MM-DD, China time). */
  readonly startDate: string;
  /**
   * Venues in the public registry; default `venueCount(persons)` in venues.ts (one per 50 residents, at least 200).
   * A small city with fewer venues gets realistic crowds at each (the demo city).
   */
  readonly venues?: number;
  /**
   * Index cases imported from outside the city per week, spread over the whole period (an ongoing
   * epidemic rather than one burst at the start); default 0. Each adds to the cap on infections.
   */
  readonly importedCasesPerWeek?: number;
}

/** One generated resident in plaintext, ready to be sealed. */
export interface CityPerson {
  readonly index: number;
  readonly person: PersonInput;
  readonly case: CaseInput | null;
  readonly observations: Observation[];
  readonly travel: TravelRecord[];
}

/** A close-contact link of the outbreak: the case's person and the contact, by person index. */
export interface PlannedLink {
  readonly caseIndex: number;
  readonly contactIndex: number;
  readonly exposure: ContactExposure;
}

/**
 * Independent random streams: each generator keys its Rng with (seed words, stream, index), so
 * adding a draw to one stream never shifts the values of another.
 */
export const STREAM = {
  household: 1,
  person: 2,
  idBeijing: 3,
  idElsewhere: 4,
  phone: 5,
  employerRank: 6,
  employerSizes: 7,
  employer: 8,
  names: 9,
  travel: 10,
  outbreak: 11,
  venue: 12,
  imported: 13,
} as const;

export const MS_PER_DAY = 86_400_000;
export const MS_PER_MINUTE = 60_000;
