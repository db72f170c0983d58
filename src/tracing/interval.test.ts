import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { slotsCovering } from '../crypto/tokens.ts';
import { chinaDay, clip, dateOf, daysCovering, exposureInterval, infectiousWindow, overlapMs, startOfDay, widen } from './interval.ts';

const H = 3_600_000;
const t = (hhmm: string, date = '2026-11-20') => Date.parse(`${date}T${hhmm}:00+08:00`);

describe('intervals', () => {
  it('measures overlap of half-open intervals: touching stays do not overlap', () => {
    assert.equal(overlapMs({ start: t('10:00'), end: t('11:00') }, { start: t('10:30'), end: t('11:30') }), 30 * 60_000);
    assert.equal(overlapMs({ start: t('10:00'), end: t('11:00') }, { start: t('11:00'), end: t('11:20') }), 0);
    assert.equal(overlapMs({ start: t('10:00'), end: t('11:00') }, { start: t('12:00'), end: t('13:00') }), 0);
    assert.equal(overlapMs(widen({ start: t('10:00'), end: t('11:00') }, 30 * 60_000), { start: t('11:00'), end: t('11:20') }), 20 * 60_000);
  });

  it('keeps a stay\'s exposure inside the infectious window, after widening it by the buffer', () => {
    const window = { start: t('00:00'), end: t('00:00', '2026-11-22') };
    assert.deepEqual(exposureInterval({ start: t('10:00'), end: t('11:00') }, window, 30 * 60_000), { start: t('09:30'), end: t('11:30') });
    assert.deepEqual(exposureInterval({ start: t('23:50', '2026-11-19'), end: t('00:10') }, window, 0), { start: t('00:00'), end: t('00:10') });
    assert.equal(exposureInterval({ start: t('10:00', '2026-11-19'), end: t('11:00', '2026-11-19') }, window, 30 * 60_000), null);
    assert.equal(clip({ start: 5, end: 5 }, { start: 0, end: 10 }), null);
  });

  it('computes the infectious window from onset (or the report), in China days, never past now', () => {
    const now = Date.parse('2026-12-01T12:00:00+08:00');
    const w = infectiousWindow({ onsetDate: '2026-11-20', reportDate: '2026-11-23', confirmationDate: '2026-11-24' }, { daysBeforeOnset: 4 }, now);
    assert.deepEqual(w, { start: startOfDay('2026-11-16'), end: startOfDay('2026-11-24') });
    const noOnset = infectiousWindow({ reportDate: '2026-11-23', confirmationDate: '2026-11-22' }, { daysBeforeOnset: 4 }, now);
    assert.deepEqual(noOnset, { start: startOfDay('2026-11-18'), end: startOfDay('2026-11-23') });
    const today = infectiousWindow({ onsetDate: '2026-11-30', reportDate: '2026-12-01' }, { daysBeforeOnset: 2 }, now);
    assert.equal(today.end, now);
    assert.equal(dateOf(startOfDay('2026-11-16')), '2026-11-16');
    assert.equal(chinaDay(t('23:59')) + 1, chinaDay(t('00:00', '2026-11-21')));
    assert.deepEqual(daysCovering({ start: t('23:00'), end: t('01:00', '2026-11-21') }).length, 2);
  });

  it('property: two stays that overlap always share a venue-hour slot (so the token join misses no one)', () => {
    const stay = fc.tuple(fc.integer({ min: 0, max: 1000 * H }), fc.integer({ min: 1, max: 30 * H })).map(([s, d]) => ({ start: s, end: s + d }));
    fc.assert(fc.property(stay, stay, fc.integer({ min: 0, max: 2 * H }), (caseStay, other, buffer) => {
      const e = widen(caseStay, buffer);
      if (overlapMs(e, other) <= 0) return true;
      const mine = new Set(slotsCovering(e.start, e.end - 1));
      return slotsCovering(other.start, other.end).some((s) => mine.has(s));
    }), { numRuns: 2000 });
  });
});
