import type { TravelMode, TravelRecord } from '../../domain/model.ts';
import { DISTRICTS, HOME_WEIGHTS, JOB_WEIGHTS, METRO_LINES, shortName, STREETS_BY_DISTRICT, TRAIN_DESTINATIONS, TRAIN_STATIONS, VENUE_CATEGORIES } from './beijing.ts';
import { cumulative } from './prng.ts';
import type { Rng } from './prng.ts';
import type { Skeleton } from './people.ts';
import { MS_PER_DAY, MS_PER_MINUTE } from './city.types.ts';
import { pickVenue, venueId } from './venues.ts';
import type { VenueRegistry } from './venues.ts';

/**
 * Travel records: public venue visits (which become co-location tokens) and trips. Home and
 * workplace are identity (address, employer), never travel records. About 10–15 records per
 * person over 28 days, scaled to the period's length.
 */
export interface TravelSetting {
  readonly seed: number;
  readonly days: number;
  /** Epoch ms of the first day's midnight, China time. */
  readonly startMs: number;
  readonly venues: VenueRegistry;
}

const category = (key: string) => VENUE_CATEGORIES.findIndex((c) => c.key === key);
// Relative weights of VENUE_CATEGORIES (restaurant, supermarket, market, shopping_mall, metro_station,
// office_building, hospital, pharmacy, school, gym, cinema, park) by age group.
const CATEGORY_WEIGHTS_BY_AGE = [
  { upTo: 11, weights: cumulative([20, 15, 5, 15, 5, 0, 8, 2, 5, 0, 10, 25]) },
  { upTo: 22, weights: cumulative([28, 10, 2, 18, 12, 0, 3, 2, 2, 8, 15, 10]) },
  { upTo: 59, weights: cumulative([28, 15, 5, 10, 10, 10, 4, 4, 3, 5, 4, 6]) },
  { upTo: 200, weights: cumulative([15, 20, 20, 6, 5, 0, 12, 10, 2, 0, 2, 25]) },
];
const TRIP_MODES: readonly TravelMode[] = ['metro', 'bus', 'taxi', 'car', 'train'];
const TRIP_WEIGHTS = cumulative([40, 25, 20, 8, 7]);
const RESTAURANT = category('restaurant');

/** Number of travel records a person has over the period. */
export function travelCount(rng: Rng, days: number): number {
  return Math.max(1, Math.round((rng.between(10, 15) * days) / 28));
}

/** A stay at a venue of `cat` on day `day`: within opening hours, lunch or dinner for restaurants. */
export function visitTimes(rng: Rng, cat: number, day: number, startMs: number): { arrival: number; departure: number } {
  const c = VENUE_CATEGORIES[cat]!;
  const stay = rng.between(c.stay[0], c.stay[1]);
  let minute: number;
  if (cat === RESTAURANT) minute = rng.chance(0.45) ? rng.between(11 * 60, 13 * 60) : rng.between(17 * 60, 20 * 60);
  else minute = rng.between(c.open * 60, Math.max(c.open * 60, c.close * 60 - stay));
  minute -= minute % 5;
  const arrival = startMs + day * MS_PER_DAY + minute * MS_PER_MINUTE;
  return { arrival, departure: arrival + stay * MS_PER_MINUTE };
}

export function categoryFor(rng: Rng, age: number): number {
  return rng.weighted(CATEGORY_WEIGHTS_BY_AGE.find((g) => age <= g.upTo)!.weights);
}

function districtFor(rng: Rng, s: Skeleton, workDistrict: number): number {
  const u = rng.float();
  if (u < 0.6) return s.household.district;
  if (u < 0.85 && workDistrict >= 0) return workDistrict;
  return rng.weighted(u < 0.85 ? HOME_WEIGHTS : JOB_WEIGHTS);
}

function stem(rng: Rng, district: number): string {
  return rng.pick(STREETS_BY_DISTRICT[district]!).stem;
}

function trip(rng: Rng, s: Skeleton, day: number, startMs: number): TravelRecord {
  let mode = TRIP_MODES[rng.weighted(TRIP_WEIGHTS)]!;
  if (mode === 'train' && s.member.age < 18) mode = 'metro';
  const from = s.household.district;
  const to = rng.weighted(JOB_WEIGHTS);
  let placeText: string;
  let minutes: number;
  switch (mode) {
    case 'metro': placeText = `地铁${rng.pick(METRO_LINES)}号线 ${stem(rng, from)}站→${stem(rng, to)}站`; minutes = rng.between(15, 70); break;
    case 'bus': placeText = `公交${rng.between(1, 999)}路 ${stem(rng, from)}→${stem(rng, to)}`; minutes = rng.between(15, 60); break;
    case 'taxi': placeText = `出租车 ${shortName(DISTRICTS[from]!)}${stem(rng, from)}→${shortName(DISTRICTS[to]!)}${stem(rng, to)}`; minutes = rng.between(10, 50); break;
    case 'car': placeText = `自驾 ${shortName(DISTRICTS[from]!)}→${shortName(DISTRICTS[to]!)}`; minutes = rng.between(20, 90); break;
    default: {
      const outbound = rng.chance(0.5);
      const station = rng.pick(TRAIN_STATIONS);
      const dest = rng.pick(TRAIN_DESTINATIONS);
      placeText = `${rng.pick(['G', 'D', 'C'])}${rng.between(1, 9999)}次 ${outbound ? station : dest}→${outbound ? dest : station}`;
      minutes = rng.between(30, 330);
    }
  }
  const minute = rng.between(6 * 60, 21 * 60);
  const arrival = startMs + day * MS_PER_DAY + (minute - (minute % 5)) * MS_PER_MINUTE;
  return { mode, placeText, arrival, departure: arrival + minutes * MS_PER_MINUTE };
}

/**
 * A person's travel over the period: the outbreak's planned visits, then random visits and trips
 * on other days until the person's count is reached; sorted by time.
 */
export function generateTravel(setting: TravelSetting, s: Skeleton, workDistrict: number, planned: readonly TravelRecord[], rng: Rng): TravelRecord[] {
  const out = [...planned];
  const busy = new Set(planned.map((t) => Math.floor((t.arrival - setting.startMs) / MS_PER_DAY)));
  const n = travelCount(rng, setting.days) - planned.length;
  for (let k = 0; k < n; k++) {
    let day = rng.int(setting.days);
    for (let tries = 0; tries < 4 && busy.has(day); tries++) day = rng.int(setting.days);
    busy.add(day);
    if (rng.chance(0.2)) {
      out.push(trip(rng, s, day, setting.startMs));
      continue;
    }
    const cat = categoryFor(rng, s.member.age);
    const v = pickVenue(rng, setting.venues, districtFor(rng, s, workDistrict), cat);
    const times = visitTimes(rng, setting.venues.category[v]!, day, setting.startMs);
    out.push({ mode: 'venue_visit', placeId: venueId(setting.seed, v), ...times });
  }
  return out.sort((a, b) => a.arrival - b.arrival);
}
