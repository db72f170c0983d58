import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exposurePointsOf, riskAreasOf } from './listing.ts';

const NOW = Date.parse('2026-12-02T08:00:00Z');
const point = (expiresAt: string, venueId = 'pl-1') => ({
  venueId, venueName: 'v', venueAddress: 'a', venueCategory: 'market', district: '110105',
  windowStart: '2026-11-20T02:00:00.000Z', windowEnd: '2026-11-20T04:00:00.000Z', expiresAt, advice: 'x',
});

describe('public data: listing periods', () => {
  it('hides exposure points whose own listing period has ended, even inside a served release', () => {
    const items = [point('2026-12-04T04:00:00.000Z', 'pl-live'), point('2026-12-02T07:59:59.999Z', 'pl-gone'), point('2026-12-02T08:00:00.000Z', 'pl-edge'), point('not a date', 'pl-bad')];
    assert.deepEqual(exposurePointsOf('r1', items, NOW).map((p) => p.venueId), ['pl-live']);
  });

  it('hides risk areas past their validity', () => {
    const area = (validUntil: string) => ({ level: 'high', kind: 'district', district: '110105', venueId: null, venueName: null, windowStart: '2026-11-28T00:00:00.000Z', windowEnd: '2026-11-29T00:00:00.000Z', validUntil, advice: 'x' });
    const shown = riskAreasOf('r2', [area('2026-12-03T00:00:00.000Z'), area('2026-12-01T00:00:00.000Z')], NOW);
    assert.equal(shown.length, 1);
    assert.equal(shown[0]!.validUntil, '2026-12-03T00:00:00.000Z');
  });
});
