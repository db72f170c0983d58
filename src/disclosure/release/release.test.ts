import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultStandard, checkContent, ruleOf } from '../standard/standard.ts';
import type { ReleaseContent } from '../standard/standard.ts';
import type { ReleaseType } from '../standard/catalog.ts';
import { buildExposurePoints, HOUR_MS, slotsToCount } from './exposure-points.ts';
import type { CaseStay, ExposureParams, Venue } from './exposure-points.ts';
import { buildResearchExtract } from './research-extract.ts';
import type { ExtractRecord } from './research-extract.ts';
import { buildRiskAreas } from './risk-areas.ts';
import { buildDailyCounts } from './daily-counts.ts';
import { artifactBytes, canonicalJson, noticeFor } from './artifact.ts';

const standard = defaultStandard();
const P: ExposureParams = { minVisitors: 3, minCases: 2, windowHours: 1, maxWindowHours: 4, expiryDays: 14, excludedCategories: ['office_building'] };
const T0 = Date.parse('2026-11-20T02:00:00Z');
const venue = (id: string, category = 'restaurant'): Venue => ({ id, name: `venue ${id}`, address: `addr ${id}`, districtCode: '110105', category });
const stay = (caseRef: string, v: Venue, startH: number, minutes: number): CaseStay => ({ caseRef, venue: v, start: T0 + startH * HOUR_MS, end: T0 + startH * HOUR_MS + minutes * 60_000 });
const identity = <T,>(xs: T[]) => xs;

/** Visitors: a fixed count per venue and hour slot (each visitor distinct). */
function counter(perSlot: Record<string, Record<number, number>>) {
  return (venueId: string, from: number, to: number) => {
    let n = 0;
    for (let s = from; s <= to; s++) n += perSlot[venueId]?.[s] ?? 0;
    return n;
  };
}
const slot0 = T0 / HOUR_MS;

/** Every key of published content is one the standard publishes, generalizes or suppresses. */
function onlyStandardFields(type: ReleaseType, content: ReleaseContent): boolean {
  const ok = (k: string) => ruleOf(standard, type, k).rule !== 'never';
  return content.items.every((i) => Object.keys(i).every(ok)) && Object.keys(content.meta).every(ok);
}

describe('exposure points', () => {
  it('publishes a window only with enough visitors, widening it up to the limit, and withholds the rest', () => {
    const a = venue('a'), b = venue('b'), c = venue('c');
    const visitors = counter({ a: { [slot0]: 5 }, b: { [slot0 - 1]: 1, [slot0]: 1, [slot0 + 1]: 1 }, c: { [slot0]: 1 } });
    const r = buildExposurePoints([stay('c1', a, 0, 30), stay('c2', b, 0, 30), stay('c1', c, 0, 30)], visitors, P, identity);
    const byVenue = new Map(r.content.items.map((i) => [i.venueId, i]));
    assert.deepEqual([...byVenue.keys()].sort(), ['a', 'b']);
    assert.equal(byVenue.get('a')!.windowStart, new Date(T0).toISOString());
    assert.equal(byVenue.get('a')!.windowEnd, new Date(T0 + HOUR_MS).toISOString());
    assert.equal(byVenue.get('b')!.windowStart, new Date(T0 - HOUR_MS).toISOString(), 'widened one hour earlier');
    assert.equal(byVenue.get('b')!.windowEnd, new Date(T0 + 2 * HOUR_MS).toISOString(), 'and one hour later');
    assert.equal(r.risk.windowsWithheld, 1);
    assert.equal(r.risk.minVisitorsOfPublished, 3);
    assert.deepEqual(r.failures, []);
    assert.deepEqual(checkContent(standard, 'exposure_points', r.content), []);
    assert.equal(byVenue.get('a')!.visitorCount, null, 'the visitor count is suppressed');
  });

  it('merges the windows of several cases at one venue, excludes workplaces, and carries no case reference', () => {
    const a = venue('a'), office = venue('o', 'office_building');
    const visitors = counter({ a: { [slot0]: 10, [slot0 + 1]: 10 }, o: { [slot0]: 50 } });
    const r = buildExposurePoints([stay('c1', a, 0, 50), stay('c2', a, 1, 20), stay('c1', office, 0, 60)], visitors, P, identity);
    assert.equal(r.content.items.length, 1);
    assert.equal(r.risk.staysExcludedByCategory, 1);
    assert.equal(r.risk.casesContributing, 2);
    const text = JSON.stringify(r.content);
    assert.ok(!text.includes('c1') && !text.includes('c2'));
  });

  it('fails its check when the points would come from a single case', () => {
    const a = venue('a'), b = venue('b');
    const r = buildExposurePoints([stay('c1', a, 0, 30), stay('c1', b, 5, 30)], counter({ a: { [slot0]: 9 }, b: { [slot0 + 5]: 9 } }), P, identity);
    assert.match(r.failures.join(), /fewer than 2 cases/);
  });

  it('shuffles the points with the given shuffle', () => {
    const vs = ['a', 'b', 'c', 'd'].map((id) => venue(id));
    let called = 0;
    const r = buildExposurePoints(vs.map((v, i) => stay(`c${i}`, v, i, 30)), () => 10, P, (xs) => {
      called++;
      return [...xs].reverse();
    });
    assert.equal(called, 1);
    assert.equal(r.content.items.length, 4);
  });
});

describe('exposure points at scale', () => {
  it('asks the visitor counter only about the slots slotsToCount names (the tokens a caller computes)', () => {
    const venues = ['a', 'b', 'c'].map((id) => venue(id));
    const arbStay = fc.record({ v: fc.integer({ min: 0, max: 2 }), h: fc.integer({ min: 0, max: 40 }), minutes: fc.integer({ min: 1, max: 300 }), c: fc.integer({ min: 0, max: 5 }) });
    fc.assert(fc.property(fc.array(arbStay, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 12 }), (raw, minVisitors, maxWindowHours) => {
      const p = { ...P, minVisitors, maxWindowHours };
      const stays = raw.map((r) => stay(`c${r.c}`, venues[r.v]!, r.h, r.minutes));
      const allowed = slotsToCount(stays, p);
      let outside = 0;
      buildExposurePoints(stays, (venueId, from, to) => {
        for (let s = from; s <= to; s++) if (!(allowed.get(venueId) ?? []).some((r) => s >= r.from && s <= r.to)) outside++;
        return (to - from + 1) * 2; // some visitors per slot, so that some windows pass and some widen
      }, p, identity);
      return outside === 0;
    }), { numRuns: 200 });
  });

  it('builds 200,000 points (no spread of huge arrays) with every point at or above the threshold', () => {
    const stays: CaseStay[] = [];
    for (let i = 0; i < 200_000; i++) stays.push(stay(`c${i % 7}`, venue(`v${i}`), i % 50, 60));
    const r = buildExposurePoints(stays, () => P.minVisitors, P, identity);
    assert.equal(r.content.items.length, 200_000);
    assert.equal(r.risk.minVisitorsOfPublished, P.minVisitors);
    assert.ok(r.expiresAt);
  });
});

describe('research extract', () => {
  const domain = { districts: ['110105', '110108'], from: '2026-11-02', to: '2026-11-29' };
  const rec = (i: number): ExtractRecord => ({ age: 20 + (i % 40), sex: i % 2 ? 'M' : 'F', district: i % 3 ? '110105' : '110108', onsetDate: `2026-11-${String(2 + (i % 27)).padStart(2, '0')}`, classification: 'confirmed', outcome: ['recovered', 'under_treatment', 'died'][i % 3]! });

  it('reaches k and l no finer than the standard, and reports the risk', () => {
    const r = buildResearchExtract(Array.from({ length: 200 }, (_, i) => rec(i)), domain, standard);
    assert.deepEqual(r.failures, []);
    assert.ok(r.risk.report!.k >= standard.parameters.researchExtract.k);
    assert.ok(r.risk.report!.l! >= standard.parameters.researchExtract.l);
    assert.ok(r.risk.levels!.ageBand! >= 2, 'age at 10-year bands or coarser');
    assert.deepEqual(checkContent(standard, 'research_extract', r.content), []);
    assert.ok(onlyStandardFields('research_extract', r.content));
  });

  it('fails its check when no generalization reaches k (too few records)', () => {
    const r = buildResearchExtract([rec(1), rec(2), rec(3)], domain, standard);
    assert.equal(r.content.items.length, 0);
    assert.match(r.failures.join(), /no generalization allowed by the standard reaches k = 5/);
  });

  it('reports the journalist risk against a register', () => {
    const records = Array.from({ length: 100 }, (_, i) => rec(i));
    const register = Array.from({ length: 2000 }, (_, i) => ({ age: i % 90, sex: (i % 2 ? 'M' : 'F') as 'M' | 'F', district: i % 3 ? '110105' : '110108' }));
    const r = buildResearchExtract(records, domain, standard, register);
    const j = r.risk.report!.journalist!;
    assert.ok(j.highest <= r.risk.report!.prosecutor.highest);
    assert.equal(j.populationRecords, 2000, 'every registered person of the domain, counted once');
    // By hand: a released class's F is the number of registered people with its age band, sex and district.
    const levels = r.risk.levels!;
    assert.ok(levels.ageBand! >= 1, 'age at least in 5-year bands (the standard)');
    const width = [1, 5, 10, 20, 121][levels.ageBand!]!;
    const bandOf = (age: number) => Math.floor(age / width);
    let expected = 0;
    for (const item of r.content.items as { ageBand: string; sex: string; district: string }[]) {
      const lo = Number(item.ageBand.split('-')[0]);
      const f = register.filter((p) => bandOf(p.age) === bandOf(lo) && (item.sex === '*' || p.sex === item.sex) && (item.district === p.district || !/^\d{6}$/.test(item.district))).length;
      expected = Math.max(expected, 1 / f);
    }
    assert.ok(Math.abs(j.highest - expected) < 1e-12, `highest journalist risk ${j.highest}, by hand ${expected}`);
    // The same register given as counted tuples gives the same report.
    const tuples = new Map<string, { age: number; sex: 'M' | 'F'; district: string; count: number }>();
    for (const p of register) {
      const key = `${p.age}|${p.sex}|${p.district}`;
      const t = tuples.get(key);
      if (t) t.count++;
      else tuples.set(key, { ...p, count: 1 });
    }
    assert.ok(tuples.size < register.length);
    assert.deepEqual(buildResearchExtract(records, domain, standard, [...tuples.values()]).risk.report, r.risk.report);
  });
});

describe('every release type publishes only what the standard names (generated releases)', () => {
  const arbVenue = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd'), name: fc.string(), address: fc.string(), districtCode: fc.constantFrom('110105', '110108'), category: fc.constantFrom('restaurant', 'park', 'office_building', 'school') });
  const arbStay = fc.record({ caseRef: fc.constantFrom('c1', 'c2', 'c3'), venue: arbVenue, start: fc.integer({ min: 0, max: 200 }).map((h) => T0 + h * 600_000), end: fc.constant(0) }).map((s) => ({ ...s, end: s.start + 3_600_000 }));

  it('exposure points', () => {
    fc.assert(fc.property(fc.array(arbStay, { maxLength: 20 }), fc.integer({ min: 0, max: 6 }), (stays, k) => {
      const r = buildExposurePoints(stays, () => k, P);
      return checkContent(standard, 'exposure_points', r.content).length === 0 && onlyStandardFields('exposure_points', r.content);
    }), { numRuns: 300 });
  });

  it('risk areas', () => {
    const arbArea = fc.record({
      level: fc.constantFrom('high' as const, 'medium' as const), kind: fc.constantFrom('district' as const, 'venue' as const), districtCode: fc.constantFrom('110105', '110108'),
      venueId: fc.option(fc.constant('pl-1'), { nil: null }), venueName: fc.option(fc.string(), { nil: null }),
      windowStart: fc.integer({ min: T0, max: T0 + 86_400_000 }), windowEnd: fc.integer({ min: T0 + 86_400_000, max: T0 + 3 * 86_400_000 }),
      validUntil: fc.integer({ min: T0, max: T0 + 30 * 86_400_000 }).map((ms) => new Date(ms).toISOString()),
    });
    fc.assert(fc.property(fc.array(arbArea, { maxLength: 10 }), (areas) => {
      const r = buildRiskAreas(areas, T0);
      return checkContent(standard, 'risk_areas', r.content).length === 0 && onlyStandardFields('risk_areas', r.content);
    }), { numRuns: 300 });
  });

  it('daily counts', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 6, maxLength: 6 }), (ns) => {
      const counts = new Map([['2026-11-27', new Map([['110105', ns[0]!], ['110108', ns[1]!]])], ['2026-11-28', new Map([['110105', ns[2]!]])]]);
      const r = buildDailyCounts({ days: ['2026-11-27', '2026-11-28'], districts: ['110105', '110108'], cityCode: '1101', counts }, '1/2');
      return checkContent(standard, 'daily_counts', r.content).length === 0 && onlyStandardFields('daily_counts', r.content);
    }), { numRuns: 100 });
  });

  it('research extracts', () => {
    const arbRec = fc.record({
      age: fc.integer({ min: 0, max: 120 }), sex: fc.constantFrom('M' as const, 'F' as const), district: fc.constantFrom('110105', '110108'),
      onsetDate: fc.integer({ min: 2, max: 29 }).map((d) => `2026-11-${String(d).padStart(2, '0')}`), classification: fc.constantFrom('confirmed', 'asymptomatic'), outcome: fc.constantFrom('recovered', 'died', 'unknown'),
    });
    fc.assert(fc.property(fc.array(arbRec, { maxLength: 60 }), (records) => {
      const r = buildResearchExtract(records, { districts: ['110105', '110108'], from: '2026-11-02', to: '2026-11-29' }, standard);
      return checkContent(standard, 'research_extract', r.content).length === 0 && onlyStandardFields('research_extract', r.content);
    }), { numRuns: 60 });
  });
});

describe('artifact', () => {
  it('canonical JSON sorts keys at every depth and is stable', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ y: null, x: '中' }], c: undefined }), '{"a":[{"x":"中","y":null}],"b":1}');
    const a = { format: 'epivault-release/v1' as const, id: 'r1', type: 'risk_areas' as const, standardVersion: '2026.1', publishedAt: 'x', expiresAt: null, notice: { zh: '', en: '' }, content: { items: [], meta: {} } };
    assert.deepEqual(artifactBytes(a), artifactBytes(JSON.parse(JSON.stringify({ ...a, content: a.content, id: 'r1' }))));
  });

  it('the notice says how many entries and the epsilon of counts', () => {
    const n = noticeFor('daily_counts', { items: [{}, {}], meta: { epsilon: '1/2' } }, '2026.1', null);
    assert.match(n.en, /2 daily new cases/);
    assert.match(n.zh, /ε = 1\/2/);
  });
});
