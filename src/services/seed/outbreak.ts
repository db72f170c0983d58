import { addDays } from '../../domain/dates.ts';
import type { CaseInput, Classification, ExposureType, Observation, Outcome, TravelRecord } from '../../domain/model.ts';
import { SYMPTOMS, TEST_TYPES, VENUE_CATEGORIES } from './beijing.ts';
import type { CityModel } from './people.ts';
import { Rng } from './prng.ts';
import type { PlannedLink } from './city.types.ts';
import { STREAM } from './city.types.ts';
import { visitTimes } from './visits.ts';
import { pickVenue, venueId } from './venues.ts';
import type { VenueRegistry } from './venues.ts';

/**
 * The outbreak, planned before anyone is generated: a few index cases (and, if asked, cases
 * imported from outside all through the period: `importedCasesPerWeek`), spread through
 * households, workplaces and shared venue visits, day by day. A venue exposure is real in the
 * data: both people get a visit to the same venue at overlapping times (so their co-location
 * tokens match), and those visits are part of their travel. Only a small fraction of the city
 * takes part; the plan is a handful of maps keyed by person index.
 */
export interface OutbreakPlan {
  readonly cases: ReadonlyMap<number, CaseInput>;
  readonly links: readonly PlannedLink[];
  readonly visits: ReadonlyMap<number, TravelRecord[]>;
  readonly observations: ReadonlyMap<number, Observation[]>;
}

interface Infection { day: number; source: number | null; index: boolean; imported: boolean }
interface Draft { index: number; classification: Classification; onset: number | null; report: number; confirmation: number | null; outcome?: Outcome; source: number | null; via: string }
/** A link with day numbers (0 = the start date); made into a PlannedLink at the end. */
interface LinkDraft { caseIndex: number; contactIndex: number; type: ExposureType; day: number; start: number; setting: string | undefined }

const SOCIAL = ['restaurant', 'supermarket', 'market', 'shopping_mall', 'gym', 'cinema'].map((k) => VENUE_CATEGORIES.findIndex((c) => c.key === k));
const ATTACK: Record<ExposureType, number> = { household: 0.3, workplace: 0.12, shared_venue: 0.15, transport: 0.05, healthcare: 0.05, other: 0.05 };
const SETTING: Partial<Record<ExposureType, string>> = { household: '同住家庭成员', workplace: '同一工作单位' };
const MAX_PLANNED_VISITS = 5;

export function planOutbreak(model: CityModel, venues: VenueRegistry, startMs: number): OutbreakPlan {
  return new Planner(model, venues, startMs).plan();
}

/** Spreads the outbreak day by day from the index cases; every draw comes from one stream, in a fixed order. */
class Planner {
  readonly #rng: Rng;
  readonly #last: number;
  readonly #infections = new Map<number, Infection>();
  /** Infected people by infection day (offset by 5: index cases are infected up to 5 days before the start). */
  readonly #queue: number[][];
  readonly #drafts = new Map<number, Draft>();
  readonly #links: LinkDraft[] = [];
  readonly #linked = new Set<string>();
  readonly #visits = new Map<number, TravelRecord[]>();
  readonly #maxInfected: number;
  /** How many imported index cases the period brings (0 by default: the city as it always was). */
  readonly #importCount: number;

  constructor(private readonly model: CityModel, private readonly venues: VenueRegistry, private readonly startMs: number) {
    const { persons, days } = model.params;
    this.#rng = new Rng(...model.words, STREAM.outbreak, persons, days);
    this.#last = days - 1;
    this.#queue = Array.from({ length: days + 8 }, () => []);
    this.#importCount = Math.round(((model.params.importedCasesPerWeek ?? 0) * days) / 7);
    // Local spread stops at 1% of the city; each imported case raises that cap by one.
    this.#maxInfected = Math.max(8, Math.round(persons * 0.01)) + this.#importCount;
  }

  plan(): OutbreakPlan {
    const { startDate } = this.model.params;
    const iso = (day: number) => addDays(startDate, day);
    this.#seedIndexCases();
    this.#seedImportedCases();
    for (const bucket of this.#queue) for (const x of bucket) this.#trace(x);
    suspectSomeContacts(this.#rng, this.#links, this.#drafts, this.#infections, this.#last);
    const links = this.#links.map((l): PlannedLink => ({
      caseIndex: l.caseIndex,
      contactIndex: l.contactIndex,
      exposure: { exposureType: l.type, exposureDate: iso(l.day), ...(l.setting ? { setting: l.setting } : {}), quarantineStart: iso(l.start), quarantineEnd: iso(l.day + 14) },
    }));
    return { cases: numberCases(this.#drafts, startDate), links, visits: this.#visits, observations: observe(this.#rng, this.#drafts, this.#links, this.#last, iso) };
  }

  /** A few working adults, infected in the days around the start. */
  #seedIndexCases(): void {
    const { persons } = this.model.params;
    const n = Math.max(2, Math.min(8, 1 + Math.floor(Math.log10(persons))));
    for (let tries = 0; this.#infections.size < n && tries < 1000; tries++) {
      const i = this.#rng.int(persons);
      const s = this.model.skeleton(i);
      if (s.status === 'worker' && s.member.age >= 20 && s.member.age <= 65) this.#infect(i, this.#rng.between(-5, Math.min(1, this.#last)), null);
    }
  }

  /**
   * Adults (18–75) infected outside the city, their infection days spread evenly (with jitter) from
   * five days before the start to three days before the end, so that cases keep being reported all
   * through the period. Drawn from their own stream; nothing is drawn when there are none, so
   * the default city is unchanged. Imported cases are not held back by the cap on local spread.
   */
  #seedImportedCases(): void {
    const n = this.#importCount;
    if (n === 0) return;
    const { persons, days } = this.model.params;
    const rng = new Rng(...this.model.words, STREAM.imported, persons, days);
    const span = this.#last - 3 + 5 + 1;
    for (let k = 0; k < n; k++) {
      const day = -5 + Math.floor(((k + rng.float()) * span) / n);
      for (let tries = 0; tries < 100; tries++) {
        const i = rng.int(persons);
        const age = this.model.skeleton(i).member.age;
        if (this.#infections.has(i) || age < 18 || age > 75) continue;
        this.#infect(i, day, null, true);
        break;
      }
    }
  }

  #infect(j: number, day: number, source: number | null, imported = false): void {
    if (this.#infections.has(j) || (!imported && this.#infections.size >= this.#maxInfected) || day > this.#last) return;
    this.#infections.set(j, { day, source, index: source === null, imported });
    this.#queue[Math.max(0, day + 5)]!.push(j);
  }

  /** An infected person: found (or not yet) and classified; if found, their contacts are traced. */
  #trace(x: number): void {
    const rng = this.#rng;
    const last = this.#last;
    const inf = this.#infections.get(x)!;
    const symptomatic = inf.index || rng.chance(0.75);
    const onset = symptomatic ? Math.max(0, inf.day + rng.between(2, 6)) : null;
    const sourceReport = inf.source === null ? null : this.#drafts.get(inf.source)?.report ?? null;
    const report = onset !== null ? onset + rng.between(1, 3) : sourceReport === null ? last + 1 : Math.max(inf.day + rng.between(2, 5), sourceReport + 1);
    if (report > last) return; // not (yet) found: no case, no tracing
    const s = this.model.skeleton(x);
    let confirmation: number | null = onset !== null ? report + rng.between(0, 1) : null;
    let classification: Classification = onset !== null ? 'confirmed' : 'asymptomatic';
    if (confirmation !== null && confirmation > last) [classification, confirmation] = ['suspected', null];
    const outcome: Outcome | undefined = classification === 'suspected' ? undefined
      : report <= last - 14 ? (s.member.age >= 75 && rng.chance(0.08) ? 'died' : 'recovered') : 'under_treatment';
    this.#drafts.set(x, { index: x, classification, onset, report, confirmation, ...(outcome ? { outcome } : {}), source: inf.source, via: inf.imported ? '境外及外省市输入，发热门诊就诊' : inf.index ? '发热门诊就诊' : '密切接触者筛查' });

    // Infectious from two days before onset (or the third day after infection) until isolated at the report.
    const from = Math.max(0, inf.day + 1, (onset ?? inf.day + 3) - 2);
    const to = Math.max(from, Math.min(report, last));
    for (const j of this.model.housemates(x)) this.#expose(x, j, 'household', to, report, undefined, rng.between(from, to));
    if (s.employer >= 0) {
      for (const j of this.model.employers.sampleSlots(s.employer, 10, rng)) {
        if (j !== x && this.model.skeleton(j).status === 'worker') this.#expose(x, j, 'workplace', rng.between(from, to), report);
      }
    }
    for (let k = inf.index ? 2 : rng.between(1, 2); k > 0; k--) this.#shareVenue(x, s.household.district, rng.between(from, to), report);
  }

  #expose(x: number, j: number, type: ExposureType, day: number, report: number, setting?: string, infectedOn = day): void {
    const key = `${x}:${j}`;
    if (j === x || this.#linked.has(key)) return;
    this.#linked.add(key);
    this.#links.push({ caseIndex: x, contactIndex: j, type, day, start: Math.max(day, report), setting: setting ?? SETTING[type] });
    if (this.#rng.chance(ATTACK[type])) this.#infect(j, infectedOn, x);
  }

  /** The case visits a venue near home; one to three others are there at the same time. */
  #shareVenue(x: number, district: number, day: number, report: number): void {
    const rng = this.#rng;
    const v = pickVenue(rng, this.venues, district, SOCIAL[rng.int(SOCIAL.length)]!);
    const placeId = venueId(this.model.params.seed, v);
    const own = visitTimes(rng, this.venues.category[v]!, day, this.startMs);
    this.#addVisit(x, { mode: 'venue_visit', placeId, ...own });
    for (let m = rng.between(1, 3), tries = 0; m > 0 && tries < 20; tries++) {
      const j = rng.int(this.model.params.persons);
      if (j === x || this.#linked.has(`${x}:${j}`) || (this.#visits.get(j)?.length ?? 0) >= MAX_PLANNED_VISITS || this.model.skeleton(j).member.age < 6) continue;
      // Arrives within 20 minutes of the case and overlaps the case's stay by at least 20 minutes.
      const arrival = Math.max(own.arrival - 20 * 60_000, Math.min(own.departure - 20 * 60_000, own.arrival + rng.between(-20, 20) * 60_000));
      const departure = Math.max(arrival + 20 * 60_000, own.departure + rng.between(-15, 30) * 60_000);
      this.#addVisit(j, { mode: 'venue_visit', placeId, arrival, departure });
      this.#expose(x, j, 'shared_venue', day, report, this.venues.places[v]!.name);
      m--;
    }
  }

  #addVisit(j: number, t: TravelRecord): void {
    const list = this.#visits.get(j) ?? [];
    list.push(t);
    this.#visits.set(j, list);
  }
}

/** Some uninfected contacts develop symptoms: suspected cases, most excluded after a negative test. */
function suspectSomeContacts(rng: Rng, links: readonly LinkDraft[], drafts: Map<number, Draft>, infections: ReadonlyMap<number, Infection>, last: number): void {
  for (const l of links) {
    const j = l.contactIndex;
    if (drafts.has(j) || infections.has(j) || !rng.chance(0.06)) continue;
    const onset = l.day + rng.between(1, 5);
    if (onset > last) continue;
    const report = Math.min(last, onset + rng.between(0, 1));
    drafts.set(j, { index: j, classification: report + 1 <= last ? 'excluded' : 'suspected', onset, report, confirmation: null, source: l.caseIndex, via: '密切接触者出现症状' });
  }
}

/** Case numbers BJ-<year>-<000001> in order of report date, then person index. */
function numberCases(drafts: ReadonlyMap<number, Draft>, startDate: string): Map<number, CaseInput> {
  const sorted = [...drafts.values()].sort((a, b) => a.report - b.report || a.index - b.index);
  const numbers = new Map<number, string>();
  sorted.forEach((d, k) => numbers.set(d.index, `BJ-${addDays(startDate, d.report).slice(0, 4)}-${String(k + 1).padStart(6, '0')}`));
  const out = new Map<number, CaseInput>();
  for (const d of sorted) {
    const iso = (day: number) => addDays(startDate, day);
    const source = d.source !== null && numbers.has(d.source) ? `${d.via}（${numbers.get(d.source)}）` : d.via;
    out.set(d.index, {
      caseNumber: numbers.get(d.index)!, classification: d.classification, reportDate: iso(d.report),
      ...(d.onset !== null ? { onsetDate: iso(d.onset) } : {}),
      ...(d.confirmation !== null ? { confirmationDate: iso(d.confirmation) } : {}),
      ...(d.outcome ? { outcome: d.outcome } : {}),
      source,
    });
  }
  return out;
}

/** Symptoms and tests of cases; quarantine tests of the other contacts. */
function observe(rng: Rng, drafts: ReadonlyMap<number, Draft>, links: readonly LinkDraft[], last: number, iso: (d: number) => string): Map<number, Observation[]> {
  const out = new Map<number, Observation[]>();
  const add = (j: number, o: Observation) => (out.get(j) ?? out.set(j, []).get(j)!).push(o);
  const test = (j: number, specimen: number, result: 'positive' | 'negative' | 'pending') => {
    const resultDay = result === 'pending' ? specimen : specimen + 1;
    if (resultDay <= last) add(j, { kind: 'test', date: iso(resultDay), test: { type: TEST_TYPES[0]!, specimenDate: iso(specimen), result } });
  };
  for (const d of drafts.values()) {
    if (d.onset !== null) {
      const n = rng.between(1, 3);
      add(d.index, { kind: 'symptom', date: iso(d.onset), symptoms: [...new Set(Array.from({ length: n }, () => rng.pick(SYMPTOMS)))] });
      add(d.index, { kind: 'temperature', date: iso(d.onset), temperatureC: Math.round((37.3 + rng.float() * 2.2) * 10) / 10 });
    }
    const result = d.classification === 'excluded' ? 'negative' : d.classification === 'suspected' ? 'pending' : 'positive';
    test(d.index, d.report === last && result !== 'pending' ? d.report - 1 : d.report, result);
    if (d.outcome === 'recovered') test(d.index, d.report + rng.between(10, 13), 'negative');
  }
  const tested = new Set<number>();
  for (const l of links) {
    const j = l.contactIndex;
    if (drafts.has(j) || tested.has(j)) continue;
    tested.add(j);
    test(j, l.start + 1, 'negative');
    test(j, l.start + 7, 'negative');
  }
  return out;
}
