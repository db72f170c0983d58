import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { slotsCovering } from '../../crypto/index.ts';
import { addDays, ageOn } from '../../domain/dates.ts';
import { BEIJING_DISTRICTS, divisionName, isWithin } from '../../domain/divisions.ts';
import { validateLineListRow } from '../../domain/line-list.ts';
import type { LineListRow } from '../../domain/line-list.ts';
import type { TravelRecord } from '../../domain/model.ts';
import { City } from './city-generator.ts';
import type { CityPerson } from './city-generator.ts';
import { Permutation } from './prng.ts';

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
