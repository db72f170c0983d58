import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { areaDistrict, areaShown, NO_FILTER, onDay, pointShown, venueDistrictsOf } from './filters.ts';
import { districtNamer } from './districts.ts';
import type { ExposurePoint, RiskArea } from './types.ts';

const CHAOYANG = '110105';
const HAIDIAN = '110108';
const en = districtNamer('en');
const zh = districtNamer('zh');

const point = (over: Partial<ExposurePoint> = {}): ExposurePoint => ({
  releaseId: 'r1', venueId: 'pl-1', venueName: '测试超市 Alpha Mart', venueAddress: '朝阳路1号', venueCategory: 'supermarket', district: CHAOYANG,
  // 2026-11-20 10:00–12:00 Beijing time.
  windowStart: '2026-11-20T02:00:00.000Z', windowEnd: '2026-11-20T04:00:00.000Z', expiresAt: '2026-12-06T04:00:00.000Z', advice: 'x', ...over,
});

const area = (over: Partial<RiskArea> = {}): RiskArea => ({
  releaseId: 'r2', level: 'high', kind: 'district', district: HAIDIAN, venueId: null, venueName: null,
  // 2026-11-27 08:00 to 2026-11-29 08:00 Beijing time: touches the 27th, 28th and 29th.
  windowStart: '2026-11-27T00:00:00.000Z', windowEnd: '2026-11-29T00:00:00.000Z', validUntil: '2026-12-10T00:00:00.000Z', advice: 'x', ...over,
});

const none = new Map<string, string>();

describe('exposures page filters', () => {
  it('a window touches the Beijing days it overlaps, its end excluded', () => {
    const late = { windowStart: '2026-11-20T15:00:00.000Z', windowEnd: '2026-11-20T16:00:00.000Z' }; // 23:00–24:00 on the 20th (Beijing)
    assert.equal(onDay(late, '2026-11-20'), true);
    assert.equal(onDay(late, '2026-11-21'), false, 'a window ending at midnight does not touch the next day');
    assert.equal(onDay(late, '2026-11-19'), false);
    assert.equal(onDay({ windowStart: 'x', windowEnd: '2026-11-20T16:00:00.000Z' }, '2026-11-20'), false, 'an unreadable window touches no day');
  });

  it('exposure points: text (name, address, district name), district and date', () => {
    const p = point();
    assert.equal(pointShown(p, NO_FILTER, en), true);
    assert.equal(pointShown(p, { ...NO_FILTER, query: 'alpha  mart' }, en), true, 'case and spaces ignored');
    assert.equal(pointShown(p, { ...NO_FILTER, query: '朝阳路' }, en), true, 'the address');
    assert.equal(pointShown(p, { ...NO_FILTER, query: 'chaoyang' }, en), true, 'the district name in the page language');
    assert.equal(pointShown(p, { ...NO_FILTER, query: 'Beta' }, en), false);
    assert.equal(pointShown(p, { ...NO_FILTER, district: CHAOYANG }, en), true);
    assert.equal(pointShown(p, { ...NO_FILTER, district: HAIDIAN }, en), false);
    assert.equal(pointShown(p, { ...NO_FILTER, day: '2026-11-20' }, en), true);
    assert.equal(pointShown(p, { ...NO_FILTER, day: '2026-11-21' }, en), false);
    assert.equal(pointShown(p, { query: 'alpha', district: CHAOYANG, day: '2026-11-21' }, en), false, 'all filters apply together');
  });

  it('a district risk area matches its district, its window and its district name', () => {
    const a = area();
    assert.equal(areaShown(a, NO_FILTER, en, none), true);
    assert.equal(areaShown(a, { ...NO_FILTER, district: HAIDIAN }, en, none), true);
    assert.equal(areaShown(a, { ...NO_FILTER, district: CHAOYANG }, en, none), false);
    for (const day of ['2026-11-27', '2026-11-28', '2026-11-29']) assert.equal(areaShown(a, { ...NO_FILTER, day }, en, none), true, day);
    for (const day of ['2026-11-26', '2026-11-30']) assert.equal(areaShown(a, { ...NO_FILTER, day }, en, none), false, day);
    assert.equal(areaShown(a, { ...NO_FILTER, query: 'haidian' }, en, none), true);
    assert.equal(areaShown(a, { ...NO_FILTER, query: '海淀' }, zh, none), true, 'in Chinese on the Chinese page');
    assert.equal(areaShown(a, { ...NO_FILTER, query: 'Alpha' }, en, none), false);
    assert.equal(areaShown(a, { query: 'haidian', district: HAIDIAN, day: '2026-11-30' }, en, none), false, 'all filters apply together');
  });

  it("a venue risk area matches its venue's district when the page knows the venue, else the district published with it", () => {
    // Published with the city's code only; the venue registry puts the venue in Chaoyang.
    const a = area({ kind: 'venue', venueId: 'pl-9', venueName: '某餐馆 Some Restaurant', district: '1101' });
    const known = venueDistrictsOf([point({ venueId: 'pl-1', district: HAIDIAN })], [{ id: 'pl-9', district: CHAOYANG }]);
    assert.equal(areaDistrict(a, known), CHAOYANG);
    assert.equal(areaShown(a, { ...NO_FILTER, district: CHAOYANG }, en, known), true);
    assert.equal(areaShown(a, { ...NO_FILTER, district: HAIDIAN }, en, known), false);
    assert.equal(areaShown(a, { ...NO_FILTER, query: 'restaurant' }, en, known), true, 'by the venue name');
    assert.equal(areaShown(a, { ...NO_FILTER, query: 'chaoyang' }, en, known), true, "by the venue's district name");
    assert.equal(areaDistrict(a, none), '1101', 'unknown venue: the published district');
    assert.equal(areaShown(a, { ...NO_FILTER, district: CHAOYANG }, en, none), false);
    // A venue known only from an exposure point.
    const fromPoint = area({ kind: 'venue', venueId: 'pl-1', venueName: 'x', district: '' });
    assert.equal(areaDistrict(fromPoint, known), HAIDIAN);
  });
});
