import { addDays, parseIsoDateTime } from '../../domain/dates.ts';
import { planOutbreak } from './outbreak.ts';
import type { OutbreakPlan } from './outbreak.ts';
import { CityModel } from './people.ts';
import { Rng } from './prng.ts';
import { STREAM } from './city.types.ts';
import type { CityParams, CityPerson, PlannedLink } from './city.types.ts';
import { generateTravel } from './visits.ts';
import type { TravelSetting } from './visits.ts';
import { generateVenues, venueCount } from './venues.ts';
import type { VenueRegistry } from './venues.ts';

export type { CityParams, CityPerson, PlannedLink };

/**
 * A synthetic Beijing: venues, an outbreak plan, and residents generated chunk by chunk. The
 * plaintext is a pure function of (seed, persons, days, start date, venues, imported cases per
 * week); the last two are optional, and left out they give the city of the same seed exactly as
 * it was before they existed (a cached benchmark city depends on it). A million residents never
 * need to be in memory at once, because `people(from, to)` builds any range on its own.
 */
export class City {
  readonly model: CityModel;
  readonly venues: VenueRegistry;
  readonly plan: OutbreakPlan;
  readonly startMs: number;
  readonly lastDate: string;
  readonly #travel: TravelSetting;

  constructor(readonly params: CityParams) {
    const start = parseIsoDateTime(`${params.startDate}T00:00`);
    if (!start.ok) throw new RangeError('start date must be YYYY-MM-DD');
    this.startMs = start.value;
    this.lastDate = addDays(params.startDate, params.days - 1);
    this.model = new CityModel(params);
    this.venues = generateVenues(params.seed, params.venues ?? venueCount(params.persons));
    this.plan = planOutbreak(this.model, this.venues, this.startMs);
    this.#travel = { seed: params.seed, days: params.days, startMs: this.startMs, venues: this.venues };
  }

  /** Residents [from, to) in plaintext. */
  people(from: number, to: number): CityPerson[] {
    const end = Math.min(to, this.params.persons);
    return this.model.identities(from, end).map((person, k) => {
      const index = from + k;
      const s = this.model.skeleton(index);
      const workDistrict = s.employer >= 0 ? this.model.employers.info(s.employer).district : -1;
      const rng = new Rng(...this.model.words, STREAM.travel, index);
      return {
        index,
        person,
        case: this.plan.cases.get(index) ?? null,
        observations: this.plan.observations.get(index) ?? [],
        travel: generateTravel(this.#travel, s, workDistrict, this.plan.visits.get(index) ?? [], rng),
      };
    });
  }

  /** The identity number of person `i` (to find an already written person by its blind index). */
  idNumber(i: number): string {
    return this.model.skeleton(i).idNumber;
  }
}
