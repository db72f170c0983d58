import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkContent, defaultStandard } from '../standard/standard.ts';
import { buildExposurePoints, HOUR_MS } from './exposure-points.ts';
import type { CaseStay, ExposureParams, Venue } from './exposure-points.ts';

const P: ExposureParams = { minVisitors: 3, minCases: 2, windowHours: 1, maxWindowHours: 4, expiryDays: 14, excludedCategories: [] };
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-20T02:00:00Z');
const venue = (id: string): Venue => ({ id, name: `venue ${id}`, address: `addr ${id}`, districtCode: '110105', category: 'restaurant' });
const stay = (caseRef: string, v: Venue, dayOffset: number): CaseStay => ({ caseRef, venue: v, start: T0 + dayOffset * DAY, end: T0 + dayOffset * DAY + 30 * 60_000 });
const identity = <T,>(xs: T[]) => xs;
const enough = () => 10;

describe('exposure points: expiry at preparation', () => {
  // Venue a: window [T0, T0+1h) → expires T0+1h+14d; venue b five days later; venue c ten days later.
  const stays = [stay('c1', venue('a'), 0), stay('c2', venue('b'), 5), stay('c1', venue('c'), 10), stay('c2', venue('c'), 10)];
  const expiryA = T0 + HOUR_MS + 14 * DAY;

  it('without a time of preparation keeps every point (each with its own expiresAt)', () => {
    const r = buildExposurePoints(stays, enough, P, identity);
    assert.equal(r.content.items.length, 3);
    assert.equal(r.risk.pointsExpired, 0);
    assert.deepEqual(r.content.items.map((i) => i.expiresAt), [expiryA, expiryA + 5 * DAY, expiryA + 10 * DAY].map((t) => new Date(t).toISOString()));
    assert.equal(r.expiresAt, new Date(expiryA + 10 * DAY).toISOString());
  });

  it('leaves out points already expired when the release is prepared, and reports them', () => {
    const atExpiryOfA = buildExposurePoints(stays, enough, P, identity, expiryA);
    assert.deepEqual(atExpiryOfA.content.items.map((i) => i.venueId), ['b', 'c'], 'a point expires at its expiresAt');
    assert.equal(atExpiryOfA.risk.pointsExpired, 1);
    assert.equal(atExpiryOfA.risk.pointsPublished, 2);
    assert.deepEqual(atExpiryOfA.failures, []);
    assert.deepEqual(checkContent(defaultStandard(), 'exposure_points', atExpiryOfA.content), []);
    const justBefore = buildExposurePoints(stays, enough, P, identity, expiryA - 1);
    assert.equal(justBefore.content.items.length, 3);

    const later = buildExposurePoints(stays, enough, P, identity, expiryA + 6 * DAY);
    assert.deepEqual(later.content.items.map((i) => i.venueId), ['c']);
    assert.equal(later.risk.pointsExpired, 2);
    assert.equal(later.risk.casesContributing, 2, 'cases are counted over the points that remain');
  });

  it('fails the check when every point has expired, or when the remaining points come from too few cases', () => {
    const all = buildExposurePoints(stays, enough, P, identity, expiryA + 11 * DAY);
    assert.deepEqual(all.content.items, []);
    assert.equal(all.expiresAt, null);
    assert.deepEqual(all.failures, ['every exposure point that reaches the visitor threshold has already expired']);
    // Only venue b (case c2) is left: one case's point.
    const one = buildExposurePoints(stays.slice(0, 2), enough, P, identity, expiryA);
    assert.deepEqual(one.content.items.map((i) => i.venueId), ['b']);
    assert.match(one.failures.join(), /fewer than 2 cases/);
  });
});
