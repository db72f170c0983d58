import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CATALOG, RELEASE_TYPES } from './catalog.ts';
import { checkContent, DEFAULT_STANDARD_URL, defaultStandard, finestLevel, parseStandard, ruleOf, StandardError } from './standard.ts';

const raw = () => JSON.parse(readFileSync(DEFAULT_STANDARD_URL, 'utf8')) as { releaseTypes: Record<string, Record<string, unknown>>; parameters: Record<string, Record<string, unknown>> };

describe('disclosure standard: the file', () => {
  it('ships a valid default standard that names every field of every release type', () => {
    const s = defaultStandard();
    assert.match(s.version, /^\d{4}\.\d+$/);
    for (const type of RELEASE_TYPES) {
      for (const field of Object.keys(CATALOG[type])) assert.ok(s.releaseTypes[type]?.[field], `${type}.${field} is named`);
    }
  });

  it('rejects a field the release type does not have', () => {
    const f = raw();
    f.releaseTypes.exposure_points!.patientName = { rule: 'publish' };
    assert.throws(() => parseStandard(f), (e: unknown) => e instanceof StandardError && /releaseTypes\.exposure_points\.patientName: unknown field/.test(e.message));
  });

  it('rejects a level finer than allowed, an unknown level, and generalizing a plain field', () => {
    const finer = raw();
    finer.releaseTypes.research_extract!.ageBand = { rule: 'generalize', finest: 'year' };
    assert.throws(() => parseStandard(finer), /research_extract\.ageBand\.finest: is finer than allowed/);
    const minute = raw();
    minute.releaseTypes.exposure_points!.windowStart = { rule: 'generalize', finest: 'minute' };
    assert.throws(() => parseStandard(minute), /windowStart\.finest: is finer than allowed/);
    const street = raw();
    street.releaseTypes.research_extract!.district = { rule: 'generalize', finest: 'street' };
    assert.throws(() => parseStandard(street), /district\.finest: must be one of district, city, province/);
    const plain = raw();
    plain.releaseTypes.exposure_points!.venueName = { rule: 'generalize', finest: 'hour' };
    assert.throws(() => parseStandard(plain), /venueName\.finest: this field cannot be generalized/);
  });

  it('refuses "publish" of a field whose floor is above the finest rung of its ladder, naming the field', () => {
    // publish = the value as the builder produces it = the finest rung (an exact age, a day, a minute).
    for (const [type, field, floor] of [
      ['research_extract', 'ageBand', '5y'], ['research_extract', 'onsetWeek', 'week'],
      ['exposure_points', 'windowStart', 'hour'], ['exposure_points', 'windowEnd', 'hour'],
      ['risk_areas', 'windowStart', 'hour'], ['risk_areas', 'windowEnd', 'hour'],
    ] as const) {
      const f = raw();
      f.releaseTypes[type]![field] = { rule: 'publish' };
      assert.throws(() => parseStandard(f), (e: unknown) => e instanceof StandardError
        && e.message.startsWith(`disclosure standard: releaseTypes.${type}.${field}: "publish" would release it at `)
        && e.message.includes(`finer than allowed (at the finest: ${floor})`), `${type}.${field}`);
    }
    // A field whose floor is the ladder's first rung may be published: that is the floor itself.
    for (const [type, field] of [['research_extract', 'sex'], ['research_extract', 'district'], ['daily_counts', 'date']] as const) {
      const f = raw();
      f.releaseTypes[type]![field] = { rule: 'publish' };
      assert.deepEqual(ruleOf(parseStandard(f), type, field), { rule: 'publish' });
    }
  });

  it('rejects publishing a field that may only be never, an unknown release type, an unknown rule or key', () => {
    const f = raw();
    f.releaseTypes.research_extract!.birthDate = { rule: 'publish' };
    assert.throws(() => parseStandard(f), /birthDate: this field may only be "never"/);
    const t = raw();
    t.releaseTypes.case_bulletins = {};
    assert.throws(() => parseStandard(t), StandardError);
    const r = raw();
    r.releaseTypes.risk_areas!.level = { rule: 'sometimes' };
    assert.throws(() => parseStandard(r), StandardError);
    const k = raw();
    (k as Record<string, unknown>).extra = 1;
    assert.throws(() => parseStandard(k), StandardError);
    const p = raw();
    p.parameters.exposurePoints!.maxWindowHours = 0;
    assert.throws(() => parseStandard(p), /parameters\.exposurePoints\.maxWindowHours/);
  });

  it('treats a field or a release type it does not name as never', () => {
    const f = raw();
    delete f.releaseTypes.risk_areas;
    delete f.releaseTypes.exposure_points!.venueAddress;
    const s = parseStandard(f);
    assert.deepEqual(ruleOf(s, 'risk_areas', 'level'), { rule: 'never' });
    assert.deepEqual(ruleOf(s, 'exposure_points', 'venueAddress'), { rule: 'never' });
    assert.deepEqual(checkContent(s, 'risk_areas', { items: [{ level: 'high' }], meta: {} }), ['items[0].level: not published under the standard']);
  });
});

describe('disclosure standard: the content gate', () => {
  const s = defaultStandard();
  const point = { venueId: 'pl-1', venueName: 'x', windowStart: '2026-11-28T06:00:00.000Z', windowEnd: '2026-11-28T08:00:00.000Z', visitorCount: null };

  it('passes content that follows the standard', () => {
    assert.deepEqual(checkContent(s, 'exposure_points', { items: [point], meta: {} }), []);
    assert.deepEqual(checkContent(s, 'research_extract', { items: [{ ageBand: '30-39', sex: '*', district: '1101', onsetWeek: '2026-W48', classification: 'confirmed', outcome: 'recovered' }], meta: {} }), []);
  });

  it('reports fields the standard does not publish, suppressed values and values finer than allowed, without values', () => {
    const bad = [
      { ...point, caseId: 'c-1' },
      { ...point, visitorCount: 12 },
      { ...point, windowStart: '2026-11-28T06:30:00.000Z' },
      { ...point, patient: '张三' },
    ];
    assert.deepEqual(checkContent(s, 'exposure_points', { items: bad, meta: {} }), [
      'items[0].caseId: not published under the standard',
      'items[1].visitorCount: suppressed, must be null',
      'items[2].windowStart: finer than hour',
      'items[3].patient: not published under the standard',
    ]);
    const extract = checkContent(s, 'research_extract', { items: [{ ageBand: '30-34', district: '110105001', onsetWeek: '2026-11-28' }], meta: {} });
    assert.deepEqual(extract, ['items[0].ageBand: finer than 10y', 'items[0].district: not a value of the place ladder', 'items[0].onsetWeek: finer than week']);
    assert.ok(!extract.join().includes('张三'));
  });

  it('never lets a value finer than the floor through, even for "publish" in a standard that skipped the loader', () => {
    // A standard object built in code (not through parseStandard) that publishes floored fields.
    const f = raw();
    f.releaseTypes.research_extract!.ageBand = { rule: 'publish' };
    f.releaseTypes.research_extract!.onsetWeek = { rule: 'publish' };
    f.releaseTypes.exposure_points!.windowStart = { rule: 'publish' };
    const unchecked = f as unknown as ReturnType<typeof defaultStandard>;
    assert.deepEqual(checkContent(unchecked, 'research_extract', { items: [{ ageBand: '37', onsetWeek: '2026-11-28' }, { ageBand: '35-39', onsetWeek: '2026-W48' }], meta: {} }), [
      'items[0].ageBand: finer than 5y', 'items[0].onsetWeek: finer than week',
    ]);
    assert.deepEqual(checkContent(unchecked, 'exposure_points', { items: [{ ...point, windowStart: '2026-11-28T06:30:00.000Z' }], meta: {} }), ['items[0].windowStart: finer than hour']);
    // And the anonymizer's lower bound is the floor as well.
    assert.equal(finestLevel(unchecked, 'research_extract', 'ageBand'), 1);
    assert.equal(finestLevel(unchecked, 'exposure_points', 'windowStart'), 1);
    assert.equal(finestLevel(s, 'research_extract', 'ageBand'), 2);
  });
});
