import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sha256Hex, slotsCovering } from '../../crypto/index.ts';
import { buildExposurePoints } from '../../disclosure/release/exposure-points.ts';
import type { CaseStay } from '../../disclosure/release/exposure-points.ts';
import { defaultStandard } from '../../disclosure/standard/index.ts';
import { clip, infectiousWindow } from '../../tracing/interval.ts';
import { DEFAULT_TRACING_SETTINGS } from '../../tracing/settings.ts';
import { DEMO_CITY } from '../demo.service.ts';
import { addDays, ageOn } from '../../domain/dates.ts';
import { BEIJING_DISTRICTS, divisionName, isWithin } from '../../domain/divisions.ts';
import { validateLineListRow } from '../../domain/line-list.ts';
import type { LineListRow } from '../../domain/line-list.ts';
import type { TravelRecord } from '../../domain/model.ts';
import { City } from './city-generator.ts';
import type { CityPerson } from './city-generator.ts';
import { Permutation } from './prng.ts';
import { venueCount } from './venues.ts';

const params = { seed: 7, persons: 600, days: 28, startDate: '2026-10-01' };
const city = new City(params);
const people = city.people(0, params.persons);

/** The line-list row a generated person corresponds to (a placeholder case for people without one). */
function rowOf(p: CityPerson): LineListRow {
  const id = p.person.identity;
  const c = p.case;
  return {
    name: id.name, id_number: id.documents[0]!.number, phone: id.phone!, address: id.address!, birth_date: id.birthDate, sex: id.sex,
    district_code: p.person.jurisdictionCode, street_code: p.person.streetCode!, occupation: id.occupation ?? '', employer: id.employer ?? '',
    classification: c?.classification ?? 'suspected', report_date: c?.reportDate ?? city.lastDate, onset_date: c?.onsetDate ?? '',
    confirmation_date: c?.confirmationDate ?? '', outcome: c?.outcome ?? '', case_number: c?.caseNumber ?? '',
  };
}

/** SHA-256 of what a city generates: residents [0, n), and the venues and outbreak plan. */
function fingerprint(c: City, n: number): { people: string; plan: string } {
  const plan = { venues: c.venues.places, cases: [...c.plan.cases], links: c.plan.links, visits: [...c.plan.visits], obs: [...c.plan.observations] };
  return { people: sha256Hex(JSON.stringify(c.people(0, n))), plan: sha256Hex(JSON.stringify(plan)) };
}

/**
 * The exposure points the standard would publish from a city's confirmed cases reported in the
 * `back` + 1 days up to the day after the period (at 10:00 that day, China time), visitors counted
 * from the plaintext visits as the tokens count them (distinct people per venue-hour). The same
 * steps as src/services/release-sources.ts, without a database: a property of the generator.
 */
function exposurePointsOf(c: City, back: number): { points: number; unexpired: number; unexpiredCases: number; recentConfirmed: number } {
  const people = c.people(0, c.params.persons);
  const now = c.startMs + c.params.days * 86_400_000 + 2 * 3_600_000;
  const to = addDays(c.lastDate, 1);
  const from = addDays(to, -back);
  const places = new Map(c.venues.places.map((p) => [p.id, p]));
  const bySlot = new Map<string, Set<number>>();
  for (const p of people) {
    for (const t of p.travel) {
      if (t.mode !== 'venue_visit') continue;
      for (const s of slotsCovering(t.arrival, t.departure)) {
        const key = `${t.placeId}@${s}`;
        (bySlot.get(key) ?? bySlot.set(key, new Set()).get(key)!).add(p.index);
      }
    }
  }
  const visitors = (venue: string, a: number, b: number) => {
    const all = new Set<number>();
    for (let s = a; s <= b; s++) for (const x of bySlot.get(`${venue}@${s}`) ?? []) all.add(x);
    return all.size;
  };
  const stays: CaseStay[] = [];
  let recentConfirmed = 0;
  for (const p of people) {
    const k = p.case;
    if (k?.classification !== 'confirmed' || k.reportDate < from || k.reportDate > to) continue;
    recentConfirmed++;
    const w = infectiousWindow({ onsetDate: k.onsetDate ?? null, reportDate: k.reportDate, confirmationDate: k.confirmationDate ?? null }, DEFAULT_TRACING_SETTINGS.discovery, now);
    for (const t of p.travel) {
      const s = t.mode === 'venue_visit' ? clip({ start: t.arrival, end: t.departure }, w) : null;
      if (s) stays.push({ caseRef: String(p.index), venue: places.get(t.placeId!)!, start: s.start, end: s.end });
    }
  }
  const built = buildExposurePoints(stays, visitors, defaultStandard().parameters.exposurePoints, (x) => x);
  const live = (built.content.items as { venueId: string; windowStart: string; windowEnd: string; expiresAt: string }[]).filter((i) => Date.parse(i.expiresAt) > now);
  const cases = new Set(live.flatMap((i) => stays.filter((s) => s.venue.id === i.venueId && s.start < Date.parse(i.windowEnd) && s.end > Date.parse(i.windowStart)).map((s) => s.caseRef)));
  return { points: built.content.items.length, unexpired: live.length, unexpiredCases: cases.size, recentConfirmed };
}

const overlaps = (a: TravelRecord, b: TravelRecord) => a.placeId === b.placeId && a.arrival < b.departure && b.arrival < a.departure;

describe('synthetic city generator', () => {
  it('is a pure function of (seed, persons, days, start date), and any chunk can be generated on its own', () => {
    const again = new City(params);
    assert.deepEqual(again.people(0, params.persons), people);
    assert.deepEqual(again.venues.places, city.venues.places);
    assert.deepEqual([...again.plan.cases], [...city.plan.cases]);
    assert.deepEqual(again.plan.links, city.plan.links);
    assert.deepEqual(new City(params).people(250, 330), people.slice(250, 330));
    const other = new City({ ...params, seed: 8 }).people(0, 50);
    assert.notDeepEqual(other.map((p) => p.person.identity.name), people.slice(0, 50).map((p) => p.person.identity.name));
    assert.notDeepEqual(other.map((p) => p.travel), people.slice(0, 50).map((p) => p.travel));
  });

  it('gives every person a valid line-list row with a unique identity number and mobile phone in Beijing', () => {
    for (const p of people) {
      const r = validateLineListRow(rowOf(p), city.lastDate);
      assert.ok(r.ok, `person ${p.index}: ${JSON.stringify(!r.ok && r.problems)}`);
      const id = p.person.identity;
      assert.match(id.name, /^\p{Script=Han}{2,4}$/u);
      assert.match(id.phone!, /^\+861[3-9]\d{9}$/);
      assert.ok(BEIJING_DISTRICTS.includes(p.person.jurisdictionCode));
      assert.ok(isWithin(p.person.streetCode!, p.person.jurisdictionCode));
      assert.ok(id.address!.startsWith(`北京市${divisionName(p.person.jurisdictionCode)}${divisionName(p.person.streetCode!)}`));
      const age = ageOn(id.birthDate, params.startDate);
      assert.ok(age >= 0 && age <= 95);
      assert.ok(id.occupation);
    }
    assert.equal(new Set(people.map((p) => p.person.identity.phone)).size, people.length);
    assert.equal(new Set(people.map((p) => p.person.identity.documents[0]!.number)).size, people.length);
    const bornInBeijing = people.filter((p) => p.person.identity.documents[0]!.number.startsWith('11')).length / people.length;
    assert.ok(bornInBeijing > 0.45 && bornInBeijing < 0.8, `born in Beijing: ${bornInBeijing}`);
    const ages = people.map((p) => ageOn(p.person.identity.birthDate, params.startDate));
    assert.ok(ages.some((a) => a < 6) && ages.some((a) => a >= 65));
  });

  it('puts households of 1-5 people at one address and several people at each workplace', () => {
    const byAddress = new Map<string, number>();
    for (const p of people) byAddress.set(p.person.identity.address!, (byAddress.get(p.person.identity.address!) ?? 0) + 1);
    assert.ok([...byAddress.values()].every((n) => n >= 1 && n <= 5));
    assert.ok([...byAddress.values()].filter((n) => n >= 3).length > 20);
    const byEmployer = new Map<string, number>();
    for (const p of people) if (p.person.identity.employer) byEmployer.set(p.person.identity.employer, (byEmployer.get(p.person.identity.employer) ?? 0) + 1);
    assert.ok([...byEmployer.values()].filter((n) => n >= 3).length >= 5);
  });

  it('gives 10-15 travel records per person, venue visits to registered venues, and no home or workplace', () => {
    const all = people.flatMap((p) => p.travel);
    const mean = all.length / people.length;
    assert.ok(mean >= 10 && mean <= 15, `mean ${mean}`);
    const visits = all.filter((t) => t.mode === 'venue_visit');
    assert.ok(visits.length / all.length > 0.7 && visits.length < all.length);
    const venueIds = new Set(city.venues.places.map((p) => p.id));
    const end = city.startMs + params.days * 86_400_000;
    for (const t of all) {
      assert.ok(t.arrival >= city.startMs && t.arrival < end && t.departure > t.arrival);
      if (t.mode === 'venue_visit') assert.ok(venueIds.has(t.placeId!));
      else assert.ok(t.placeText && !t.placeId);
    }
    for (const p of people) {
      const { address, employer } = p.person.identity;
      for (const t of p.travel) assert.ok(t.placeText === undefined || (!t.placeText.includes(address!) && (!employer || !t.placeText.includes(employer))));
    }
  });

  it('registers about one venue per 50 residents (at least 200), inside Beijing', () => {
    assert.equal(city.venues.places.length, 200);
    assert.equal(new City({ ...params, persons: 20_000 }).venues.places.length, 400);
    const categories = new Set(city.venues.places.map((p) => p.category));
    for (const c of ['supermarket', 'restaurant', 'hospital', 'metro_station', 'office_building', 'school', 'gym', 'cinema', 'market', 'park']) assert.ok(categories.has(c), c);
    for (const p of city.venues.places) {
      assert.ok(BEIJING_DISTRICTS.includes(p.districtCode));
      assert.ok(p.lat > 39.4 && p.lat < 41.1 && p.lon > 115.4 && p.lon < 117.6, `${p.lat},${p.lon}`);
      assert.ok(p.address.startsWith(`北京市${divisionName(p.districtCode)}`));
    }
  });

  it('plans an outbreak whose venue exposures are real overlapping visits in both people’s travel', () => {
    const big = new City({ ...params, persons: 3000 });
    const plan = big.plan;
    const classes = new Set([...plan.cases.values()].map((c) => c.classification));
    assert.ok(classes.has('confirmed') && classes.size >= 3, [...classes].join());
    const numbers = [...plan.cases.values()].map((c) => c.caseNumber);
    assert.equal(new Set(numbers).size, numbers.length);
    assert.ok(numbers.every((n) => /^BJ-\d{4}-\d{6}$/.test(n)));
    assert.ok(plan.cases.size < 3000 * 0.05);
    const types = new Set(plan.links.map((l) => l.exposure.exposureType));
    assert.deepEqual([...types].sort(), ['household', 'shared_venue', 'workplace']);
    for (const l of plan.links) {
      assert.ok(plan.cases.has(l.caseIndex));
      assert.equal(l.exposure.quarantineEnd, addDays(l.exposure.exposureDate, 14));
      assert.ok(l.exposure.exposureDate <= big.lastDate);
    }
    const venueLinks = plan.links.filter((l) => l.exposure.exposureType === 'shared_venue');
    for (const l of venueLinks.slice(0, 40)) {
      const [a] = big.people(l.caseIndex, l.caseIndex + 1);
      const [b] = big.people(l.contactIndex, l.contactIndex + 1);
      const pair = a!.travel.flatMap((x) => b!.travel.filter((y) => overlaps(x, y)).map((y) => [x, y] as const))[0];
      assert.ok(pair, `no shared visit for link ${l.caseIndex}→${l.contactIndex}`);
      const slots = new Set(slotsCovering(pair[0].arrival, pair[0].departure));
      assert.ok(slotsCovering(pair[1].arrival, pair[1].departure).some((s) => slots.has(s)));
    }
  });

  it('generates, with venues and imported cases left at their defaults, the very city it generated before they existed', () => {
    // Computed on the generator before the two options were added (git 0290811): a cached
    // 1,000,000-person benchmark city and its plaintext baseline depend on this (bench/colocation-city.ts).
    const small = { seed: 1, persons: 3000, days: 28, startDate: '2026-03-01' };
    const before = {
      people: '69ab91a8e2dda372e9ffff74b5d83c105589b10ebd3e15528d0cfe6e5e97bff8',
      plan: '619c81e7fa39d6d3f8ad6e7e0fbbb932b74b55df47f22f30f5b25e7739048852',
    };
    assert.deepEqual(fingerprint(new City(small), 3000), before);
    assert.deepEqual(fingerprint(new City({ ...small, venues: venueCount(3000), importedCasesPerWeek: 0 }), 3000), before);
    assert.deepEqual(fingerprint(new City({ ...small, persons: 1_000_000 }), 1000), {
      people: 'c674149a9182e479357969ec49b3c37a200adb7a548d25874e63ea5b3ab069c2',
      plan: '4be7990cb36dd7639dc7c5411876c52c44f52e45b4d36667974bc19fc9e405a2',
    });
    // And the options do change it.
    assert.notEqual(fingerprint(new City({ ...small, venues: 60 }), 3000).people, before.people);
    assert.notEqual(fingerprint(new City({ ...small, importedCasesPerWeek: 2 }), 3000).plan, before.plan);
  });

  it('registers the first `venues` venues of the seed when asked for fewer, and sends every visit to them', () => {
    const few = new City({ ...params, venues: 30 });
    assert.equal(few.venues.places.length, 30);
    assert.deepEqual(few.venues.places, city.venues.places.slice(0, 30));
    const ids = new Set(few.venues.places.map((p) => p.id));
    const visits = few.people(0, params.persons).flatMap((p) => p.travel).filter((t) => t.mode === 'venue_visit');
    assert.ok(visits.length > 0 && visits.every((t) => ids.has(t.placeId!)));
  });

  it('imports index cases all through the period, so that cases are still reported in its last two weeks', () => {
    const base = { seed: 2026, persons: 2000, days: 28, startDate: '2026-03-01' };
    const recent = (c: City) => [...c.plan.cases.values()].filter((k) => k.classification === 'confirmed' && k.reportDate > addDays(c.lastDate, -14));
    const once = new City(base);
    const ongoing = new City({ ...base, importedCasesPerWeek: 4 });
    assert.equal(recent(once).length, 0, 'the default outbreak burns out in its first two weeks');
    const imported = [...ongoing.plan.cases.values()].filter((k) => k.source?.startsWith('境外及外省市输入'));
    assert.ok(imported.length >= 8 && imported.length <= 16, `imported cases found: ${imported.length} of 16`);
    const weeks = new Set(imported.map((k) => Math.floor((Date.parse(k.reportDate) - Date.parse(base.startDate)) / (7 * 86_400_000))));
    assert.deepEqual([...weeks].sort(), [0, 1, 2, 3], 'reported in every week of the period');
    assert.ok(recent(ongoing).length >= 5, `confirmed in the last 14 days: ${recent(ongoing).length}`);
    // Imported cases infect others too: some cases name an imported case as their source.
    const importedNumbers = imported.map((k) => k.caseNumber);
    assert.ok([...ongoing.plan.cases.values()].some((k) => importedNumbers.some((n) => k.source?.includes(n))));
  });

  it('gives the demo city exposure points that the standard publishes and that have not expired', () => {
    const start = '2026-03-01';
    // The problem the options solve: with the defaults, every point of the period has expired.
    const plain = exposurePointsOf(new City({ seed: DEMO_CITY.seed, persons: DEMO_CITY.persons, days: DEMO_CITY.days, startDate: start }), DEMO_CITY.days - 1);
    assert.equal(plain.unexpired, 0);
    const demo = exposurePointsOf(new City({ ...DEMO_CITY, startDate: start }), defaultStandard().parameters.exposurePoints.expiryDays);
    assert.ok(demo.unexpired >= 5, `unexpired points: ${demo.unexpired}`);
    assert.ok(demo.unexpiredCases >= 2, `cases behind them: ${demo.unexpiredCases}`);
    assert.ok(demo.recentConfirmed >= 5);
  });

  it('has a permutation that is a bijection with its inverse', () => {
    for (const n of [1, 7, 1000, 4097]) {
      const p = new Permutation(n, 1, 2);
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) {
        const y = p.forward(i);
        assert.ok(y >= 0 && y < n);
        assert.equal(p.inverse(y), i);
        seen.add(y);
      }
      assert.equal(seen.size, n);
    }
  });
});
