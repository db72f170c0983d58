import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addDays,
  ageOn,
  compareIsoDate,
  daysInMonth,
  isLeapYear,
  parseIsoDate,
  parseIsoDateTime,
  todayIsoDate,
} from './dates.ts';

/** Arbitrary valid ISO date between 1900 and 2100, built through `Date` as an independent oracle. */
const isoDateArb = fc
  .integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: Date.UTC(2100, 11, 31) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

describe('parseIsoDate', () => {
  it('accepts real calendar dates', () => {
    for (const d of ['2024-02-29', '2000-02-29', '1900-01-01', '1999-12-31', '0001-01-01', '9999-12-31']) {
      assert.deepEqual(parseIsoDate(d), { ok: true, value: d });
    }
  });

  it('rejects impossible dates instead of rolling over', () => {
    for (const d of ['2023-02-29', '1900-02-29', '2024-02-30', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32']) {
      assert.equal(parseIsoDate(d).ok, false, d);
    }
  });

  it('rejects other shapes', () => {
    for (const d of ['', '2024-1-05', '20240105', ' 2024-01-05', '2024-01-05 ', '2024/01/05', '2024-01-05T00:00', '+02024-01-05', '２０２４-01-05']) {
      assert.equal(parseIsoDate(d).ok, false, JSON.stringify(d));
    }
  });

  it('never echoes the input in its reason', () => {
    const r = parseIsoDate('1985-02-30');
    assert.equal(r.ok, false);
    if (!r.ok) assert.ok(!r.reason.includes('1985') && !r.reason.includes('30'));
  });

  it('agrees with Date for every valid date (property)', () => {
    fc.assert(fc.property(isoDateArb, (d) => parseIsoDate(d).ok));
  });
});

describe('calendar helpers', () => {
  it('knows leap years and month lengths', () => {
    assert.deepEqual([1900, 2000, 2023, 2024].map(isLeapYear), [false, true, false, true]);
    assert.deepEqual([1, 2, 4, 12].map((m) => daysInMonth(2023, m)), [31, 28, 30, 31]);
    assert.equal(daysInMonth(2024, 2), 29);
  });
});

describe('compareIsoDate', () => {
  it('orders dates', () => {
    assert.equal(compareIsoDate('2024-01-01', '2024-01-02'), -1);
    assert.equal(compareIsoDate('2024-01-02', '2024-01-02'), 0);
    assert.equal(compareIsoDate('2025-01-01', '2024-12-31'), 1);
  });

  it('throws on invalid dates', () => {
    assert.throws(() => compareIsoDate('2024-02-30', '2024-01-01'), RangeError);
    assert.throws(() => compareIsoDate('2024-01-01', 'tomorrow'), RangeError);
  });

  it('matches timestamp order (property)', () => {
    fc.assert(
      fc.property(isoDateArb, isoDateArb, (a, b) => compareIsoDate(a, b) === Math.sign(Date.parse(a) - Date.parse(b))),
    );
  });
});

describe('addDays', () => {
  it('crosses month, year and leap-day boundaries', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2023-02-28', 1), '2023-03-01');
    assert.equal(addDays('2024-12-31', 1), '2025-01-01');
    assert.equal(addDays('2024-03-01', -1), '2024-02-29');
    assert.equal(addDays('1970-01-01', -1), '1969-12-31');
    assert.equal(addDays('2024-01-15', 0), '2024-01-15');
    assert.equal(addDays('2024-01-01', 366), '2025-01-01');
  });

  it('rejects bad arguments', () => {
    assert.throws(() => addDays('2024-02-30', 1), RangeError);
    assert.throws(() => addDays('2024-01-01', 1.5), RangeError);
    assert.throws(() => addDays('9999-12-31', 1), RangeError);
    assert.throws(() => addDays('0000-01-01', -1), RangeError);
  });

  it('agrees with Date arithmetic and round-trips (property)', () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: -40_000, max: 40_000 }), (d, n) => {
        const expected = new Date(Date.parse(d) + n * 86_400_000).toISOString().slice(0, 10);
        return addDays(d, n) === expected && addDays(addDays(d, n), -n) === d;
      }),
    );
  });
});

describe('ageOn', () => {
  it('counts completed years', () => {
    assert.equal(ageOn('1990-06-15', '2024-06-14'), 33);
    assert.equal(ageOn('1990-06-15', '2024-06-15'), 34);
    assert.equal(ageOn('1990-06-15', '1990-06-15'), 0);
  });

  it('treats a 29 February birthday as reached on 1 March in common years', () => {
    assert.equal(ageOn('2000-02-29', '2001-02-28'), 0);
    assert.equal(ageOn('2000-02-29', '2001-03-01'), 1);
    assert.equal(ageOn('2000-02-29', '2004-02-29'), 4);
  });

  it('rejects reference dates before birth and invalid dates', () => {
    assert.throws(() => ageOn('2000-01-02', '2000-01-01'), RangeError);
    assert.throws(() => ageOn('2000-02-30', '2020-01-01'), RangeError);
  });

  it('is non-decreasing in the reference date (property)', () => {
    fc.assert(
      fc.property(isoDateArb, fc.nat(40_000), fc.nat(400), (birth, a, b) => {
        const on = addDays(birth, a);
        return ageOn(birth, on) <= ageOn(birth, addDays(on, b)) && ageOn(birth, addDays(on, 366)) >= ageOn(birth, on) + 1;
      }),
    );
  });
});

describe('todayIsoDate', () => {
  it('uses the given offset', () => {
    const now = Date.parse('2024-03-10T17:30:00Z');
    assert.equal(todayIsoDate(0, now), '2024-03-10');
    assert.equal(todayIsoDate(480, now), '2024-03-11');
    assert.equal(todayIsoDate(undefined, now), '2024-03-11');
    assert.equal(todayIsoDate(-300, Date.parse('2024-03-10T02:00:00Z')), '2024-03-09');
  });
});

describe('parseIsoDateTime', () => {
  it('parses explicit zones', () => {
    assert.deepEqual(parseIsoDateTime('2024-01-05T14:30Z'), { ok: true, value: Date.UTC(2024, 0, 5, 14, 30) });
    assert.deepEqual(parseIsoDateTime('2024-01-05T14:30:15+08:00'), { ok: true, value: Date.UTC(2024, 0, 5, 6, 30, 15) });
    assert.deepEqual(parseIsoDateTime('2024-01-05T00:15-05:30'), { ok: true, value: Date.UTC(2024, 0, 5, 5, 45) });
    assert.deepEqual(parseIsoDateTime('2024-01-05T14:30:15.25Z'), { ok: true, value: Date.UTC(2024, 0, 5, 14, 30, 15, 250) });
  });

  it('reads a bare local time as China Standard Time unless told otherwise', () => {
    assert.deepEqual(parseIsoDateTime('2024-01-05T14:30'), { ok: true, value: Date.UTC(2024, 0, 5, 6, 30) });
    assert.deepEqual(parseIsoDateTime('2024-01-05T14:30', 0), { ok: true, value: Date.UTC(2024, 0, 5, 14, 30) });
  });

  it('rejects malformed or impossible values', () => {
    const bad = [
      '', '2024-01-05', '2024-01-05 14:30', '2024-01-05T1430', '2024-01-05T24:00', '2024-01-05T12:60',
      '2024-01-05T12:00:60', '2024-02-30T12:00Z', '2024-01-05T12:00+24:00', '2024-01-05T12:00+08:60',
      '2024-01-05T12:00+0800', '2024-01-05T12:00z', '2024-01-05t12:00Z', '2024-01-05T12:00:00.1234Z',
    ];
    for (const s of bad) assert.equal(parseIsoDateTime(s).ok, false, s);
  });

  it('agrees with Date.parse on fully specified values (property)', () => {
    const arb = fc.record({
      date: isoDateArb,
      h: fc.integer({ min: 0, max: 23 }),
      m: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      zone: fc.constantFrom('Z', '+08:00', '-05:00', '+05:45', '-12:00', '+14:00'),
    });
    const p2 = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(arb, ({ date, h, m, s, zone }) => {
        const text = `${date}T${p2(h)}:${p2(m)}:${p2(s)}${zone}`;
        const r = parseIsoDateTime(text);
        return r.ok && r.value === Date.parse(text);
      }),
    );
  });
});
