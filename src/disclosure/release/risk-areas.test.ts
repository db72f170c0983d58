import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AREA_ADVICE, buildRiskAreas } from './risk-areas.ts';
import type { DeclaredArea } from './risk-areas.ts';

const T0 = Date.parse('2026-11-28T06:00:00Z');
const H = 3_600_000;
const base: DeclaredArea = { level: 'high', kind: 'district', districtCode: '110105', venueId: null, venueName: null, windowStart: T0 - 5 * H - 60_000, windowEnd: T0 - H - 60_000, validUntil: '2026-12-05T00:00:00Z' };

describe('buildRiskAreas', () => {
  it('publishes the declaration, windows widened to whole hours, and nothing else', () => {
    const venue: DeclaredArea = { ...base, kind: 'venue', venueId: 'pl-1', venueName: '登记名' };
    const r = buildRiskAreas([base, venue], T0);
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.content.items, [
      { level: 'high', kind: 'district', district: '110105', windowStart: '2026-11-28T00:00:00.000Z', windowEnd: '2026-11-28T05:00:00.000Z', validUntil: '2026-12-05T00:00:00.000Z', advice: AREA_ADVICE.high },
      { level: 'high', kind: 'venue', district: '110105', venueId: 'pl-1', venueName: '登记名', windowStart: '2026-11-28T00:00:00.000Z', windowEnd: '2026-11-28T05:00:00.000Z', validUntil: '2026-12-05T00:00:00.000Z', advice: AREA_ADVICE.high },
    ]);
    assert.equal(r.expiresAt, '2026-12-05T00:00:00.000Z');
  });

  it('a venue area without its registry name is not published, and the check fails: nothing stands in for the name', () => {
    const r = buildRiskAreas([base, { ...base, kind: 'venue', venueId: 'pl-1', venueName: null }], T0);
    assert.equal(r.content.items.length, 1);
    assert.ok(!r.content.items.some((i) => i.kind === 'venue'));
    assert.match(r.failures.join(), /without a venue of the public registry/);
    assert.match(buildRiskAreas([{ ...base, kind: 'venue', venueId: null, venueName: '某名' }], T0).failures.join(), /public registry/);
  });

  it('an area no longer valid is left out; none left fails the check', () => {
    const r = buildRiskAreas([{ ...base, validUntil: new Date(T0 - 1).toISOString() }], T0);
    assert.deepEqual(r.content.items, []);
    assert.deepEqual(r.failures, ['no risk area is still valid']);
    assert.equal(r.expiresAt, null);
  });
});
