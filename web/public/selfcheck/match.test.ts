import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { indexPoints, instant, matchStays, pointsForStay } from './match.ts';
import type { MatchablePoint, Stay } from './match.ts';

const H = 3_600_000;
const T0 = Date.parse('2024-03-01T00:00:00+08:00');
const iso = (ms: number) => new Date(ms).toISOString();
const point = (venueId: string, fromH: number, toH: number): MatchablePoint => ({ venueId, windowStart: iso(T0 + fromH * H), windowEnd: iso(T0 + toH * H) });
const stay = (venueId: string, fromH: number, toH: number): Stay => ({ venueId, start: T0 + fromH * H, end: T0 + toH * H });

/** The obvious O(n·m) definition: same venue, and each interval starts before the other ends. */
function naive(points: readonly MatchablePoint[], stays: readonly Stay[]): { stay: number; points: number[] }[] {
  const out: { stay: number; points: number[] }[] = [];
  const parsed = points.map((p) => ({ venueId: p.venueId, ps: Date.parse(p.windowStart), pe: Date.parse(p.windowEnd) }));
  stays.forEach((s, i) => {
    const hits: number[] = [];
    parsed.forEach(({ venueId, ps, pe }, j) => {
      if (venueId === s.venueId && pe > ps && s.end > s.start && ps < s.end && s.start < pe) hits.push(j);
    });
    if (hits.length > 0) out.push({ stay: i, points: hits });
  });
  return out;
}
const sorted = (ms: { stay: number; points: readonly number[] }[]) => ms.map((m) => ({ stay: m.stay, points: [...m.points].sort((a, b) => a - b) }));

describe('self-check matching', () => {
  it('matches a stay overlapping a window at the same venue, and nothing at another venue or time', () => {
    const points = [point('v1', 12, 14), point('v2', 12, 14), point('v1', 20, 21)];
    const index = indexPoints(points);
    assert.deepEqual(matchStays(index, [stay('v1', 13, 13.5)]), [{ stay: 0, points: [0] }]);
    assert.deepEqual(matchStays(index, [stay('v3', 13, 14)]), [], 'another venue');
    assert.deepEqual(matchStays(index, [stay('v1', 15, 19)]), [], 'between the windows');
    assert.deepEqual(matchStays(index, [stay('v1', 10, 22)]), [{ stay: 0, points: [0, 2] }], 'a long stay covering both windows, in window order');
  });

  it('half-open bounds: leaving when a window opens, or arriving when it closes, is no match', () => {
    const index = indexPoints([point('v', 12, 14)]);
    assert.deepEqual(pointsForStay(index, stay('v', 11, 12)), []);
    assert.deepEqual(pointsForStay(index, stay('v', 14, 15)), []);
    assert.deepEqual(pointsForStay(index, { venueId: 'v', start: T0 + 12 * H - 60_000, end: T0 + 12 * H + 1 }), [0], 'one millisecond inside');
    assert.deepEqual(pointsForStay(index, { venueId: 'v', start: T0 + 14 * H - 1, end: T0 + 15 * H }), [0]);
  });

  it('finds a short window that starts before a long window of the same venue ends (the longest-window bound)', () => {
    // Sorted by start: the 1-hour window at 20h comes after the 48-hour window at 0h; a stay at 30h
    // must still find the long window, and a stay at 20.5h both.
    const index = indexPoints([point('v', 20, 21), point('v', 0, 48), point('v', 50, 51)]);
    assert.deepEqual(pointsForStay(index, stay('v', 30, 31)), [1]);
    assert.deepEqual(pointsForStay(index, stay('v', 20.5, 20.75)), [1, 0]);
    assert.deepEqual(pointsForStay(index, stay('v', 48, 50)), []);
  });

  it('skips points with an unparsable or empty window, and ignores empty stays', () => {
    const index = indexPoints([{ venueId: 'v', windowStart: 'yesterday', windowEnd: iso(T0) }, point('v', 3, 3), point('v', 5, 4), point('v', 1, 2)]);
    assert.equal(index.skippedOf('v'), 3);
    assert.deepEqual(matchStays(index, [stay('v', 0, 10), stay('v', 1.5, 1.5), stay('v', 2, 1)]), [{ stay: 0, points: [3] }]);
  });

  it('agrees with the naive O(n·m) reference on random points and stays (property)', () => {
    const venue = fc.constantFrom('a', 'b', 'c', 'd');
    // Quarter-hour grid over three days, windows up to 30 hours: many touching and nested cases.
    const q = fc.integer({ min: 0, max: 288 });
    const len = fc.integer({ min: -2, max: 120 });
    const arbPoint = fc.tuple(venue, q, len).map(([v, s, l]) => ({ venueId: v, windowStart: iso(T0 + s * 900_000), windowEnd: iso(T0 + (s + l) * 900_000) }));
    const arbStay = fc.tuple(venue, q, len).map(([v, s, l]) => ({ venueId: v, start: T0 + s * 900_000, end: T0 + (s + l) * 900_000 }));
    fc.assert(fc.property(fc.array(arbPoint, { maxLength: 80 }), fc.array(arbStay, { maxLength: 30 }), (points, stays) => {
      assert.deepEqual(sorted(matchStays(indexPoints(points), stays)), naive(points, stays));
    }), { numRuns: 500 });
  });

  it('agrees with the reference at millisecond resolution (arbitrary instants)', () => {
    const instant = fc.integer({ min: T0, max: T0 + 4 * 86_400_000 });
    const arbPoint = fc.tuple(fc.constantFrom('x', 'y'), instant, instant).map(([v, a, b]) => ({ venueId: v, windowStart: iso(a), windowEnd: iso(b) }));
    const arbStay = fc.tuple(fc.constantFrom('x', 'y'), instant, instant).map(([v, a, b]) => ({ venueId: v, start: a, end: b }));
    fc.assert(fc.property(fc.array(arbPoint, { maxLength: 60 }), fc.array(arbStay, { maxLength: 20 }), (points, stays) => {
      assert.deepEqual(sorted(matchStays(indexPoints(points), stays)), naive(points, stays));
    }), { numRuns: 300 });
  });

  it('200 stays against 100,000 points: the index finds exactly what the naive scan finds (timing: npm run bench -- selfcheck)', () => {
    // Deterministic: 2,000 venues, 50 one-to-four-hour windows each over 30 days.
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    const points: MatchablePoint[] = [];
    for (let i = 0; i < 100_000; i++) {
      const s = T0 + Math.floor(rnd() * 30 * 24) * H;
      points.push({ venueId: `pl-${i % 2000}`, windowStart: iso(s), windowEnd: iso(s + (1 + Math.floor(rnd() * 4)) * H) });
    }
    const stays: Stay[] = [];
    for (let i = 0; i < 200; i++) {
      const s = T0 + Math.floor(rnd() * 30 * 24 * 4) * 900_000;
      stays.push({ venueId: `pl-${Math.floor(rnd() * 2000)}`, start: s, end: s + (1 + Math.floor(rnd() * 8)) * 900_000 });
    }
    // How fast is bench/selfcheck.ts's question (in Chromium), not a test's: a timed assertion fails on a loaded machine.
    const matches = matchStays(indexPoints(points), stays);
    assert.ok(matches.length > 0, 'the generated stays hit some windows');
    assert.deepEqual(sorted(matches), naive(points, stays));
  });
});

describe('instant (fast ISO 8601 reading)', () => {
  it('equals Date.parse on canonical instants, other forms and invalid input (property and examples)', () => {
    fc.assert(fc.property(fc.integer({ min: Date.parse('1900-01-01T00:00:00Z'), max: Date.parse('2199-12-31T23:59:59Z') }), (ms) => {
      const s = new Date(ms).toISOString();
      assert.equal(instant(s), ms);
    }), { numRuns: 2000 });
    for (const s of ['2024-02-29T12:00:00.000Z', '2023-02-29T12:00:00.000Z', '2024-04-31T00:00:00.000Z', '2024-13-01T00:00:00.000Z', '2024-01-01T24:00:00.000Z',
      '2024-01-01T12:00:00Z', '2024-01-01T12:00:00.000+08:00', '2024-01-01T12:0a:00.000Z', 'not a date at all, 24 chr', '']) {
      assert.deepEqual(instant(s), Date.parse(s), s);
    }
  });
});
