import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from './dates.ts';
import { districtsOf } from './divisions.ts';
import type { Sex } from './id-number.ts';
import { checkResidentIdConsistency, makeResidentId, parseResidentId, residentIdCheckDigit } from './id-number.ts';

const TODAY = '2025-06-01';
const opts = { today: TODAY };

/** Independent reference: weights computed as 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11. */
function referenceCheckDigit(first17: string): string {
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * (2 ** (17 - i) % 11), 0);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** Replaces the digits of a valid number at positions 6..13 (birth date) and fixes the check digit. */
function withBirth(yyyymmdd: string, base = '110105194912310021'): string {
  const first17 = base.slice(0, 6) + yyyymmdd + base.slice(14, 17);
  return first17 + referenceCheckDigit(first17);
}

const KNOWN_REASONS = new Set([
  'identity number is empty',
  'identity number must be 18 characters long',
  'identity number must be 17 digits followed by a digit or X',
  'birth date is not a valid date',
  'birth date is before 1900',
  'birth date is in the future',
  'region code is not a known administrative division',
  'check digit does not match',
]);

const regionArb = fc.constantFrom(...districtsOf('11'), ...districtsOf('4403'), ...districtsOf('51'), '110000', '440300');
const birthArb = fc.integer({ min: 0, max: 45_000 }).map((n) => addDays('1900-01-01', n));
const sexArb = fc.constantFrom<Sex>('M', 'F');
const validIdArb = fc
  .tuple(regionArb, birthArb, fc.integer({ min: 0, max: 999 }), sexArb)
  .map(([r, b, s, x]) => makeResidentId(r, b, s, x));

describe('residentIdCheckDigit', () => {
  it('matches the GB 11643 examples', () => {
    assert.equal(residentIdCheckDigit('11010519491231002'), 'X');
    assert.equal(residentIdCheckDigit('44052418800101001'), '4');
  });

  it('matches values computed independently', () => {
    assert.equal(residentIdCheckDigit('11010119900307453'), '0');
    assert.equal(residentIdCheckDigit('51010719851111222'), '0');
    assert.equal(residentIdCheckDigit('31011519700101123'), '3');
    assert.equal(residentIdCheckDigit('44030520000229001'), '0');
  });

  it('agrees with the reference implementation (property)', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{17}$/), (s) => residentIdCheckDigit(s) === referenceCheckDigit(s)));
  });

  it('rejects anything but 17 digits', () => {
    for (const s of ['', '1101051949123100', '110105194912310021', '1101051949123100X']) {
      assert.throws(() => residentIdCheckDigit(s), RangeError);
    }
  });
});

describe('parseResidentId', () => {
  it('parses the GB 11643 example', () => {
    assert.deepEqual(parseResidentId('11010519491231002X', opts), {
      ok: true,
      value: { number: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'F' },
    });
  });

  it('parses other valid numbers and derives sex from the 17th digit', () => {
    const cases: [string, string, Sex][] = [
      ['110101199003074530', '1990-03-07', 'M'],
      ['510107198511112220', '1985-11-11', 'F'],
      ['310115197001011233', '1970-01-01', 'M'],
      ['440305200002290010', '2000-02-29', 'M'],
    ];
    for (const [id, birthDate, sex] of cases) {
      const r = parseResidentId(id, opts);
      assert.ok(r.ok, id);
      assert.equal(r.value.birthDate, birthDate);
      assert.equal(r.value.sex, sex);
    }
  });

  it('normalizes lowercase x, spaces and full-width digits', () => {
    for (const input of [' 11010519491231002x ', '110105 19491231 002X', '１１０１０５１９４９１２３１００２ｘ']) {
      const r = parseResidentId(input, opts);
      assert.ok(r.ok, input);
      assert.equal(r.value.number, '11010519491231002X');
    }
  });

  const failures: [string, string, string][] = [
    ['empty', '   ', 'identity number is empty'],
    ['too short', '1101051949123100', 'identity number must be 18 characters long'],
    ['too long', '11010519491231002X1', 'identity number must be 18 characters long'],
    ['letters', '11010519491231O02X', 'identity number must be 17 digits followed by a digit or X'],
    ['X in the middle', '1101051949123100X2', 'identity number must be 17 digits followed by a digit or X'],
    ['wrong check digit', '110105194912310021', 'check digit does not match'],
    ['Feb 30', withBirth('19900230'), 'birth date is not a valid date'],
    ['Feb 29 in a common year', withBirth('19000229'), 'birth date is not a valid date'],
    ['month 13', withBirth('19901301'), 'birth date is not a valid date'],
    ['year 2100', withBirth('21000101'), 'birth date is in the future'],
    ['tomorrow', withBirth('20250602'), 'birth date is in the future'],
    ['pre-1900 (GB example)', '440524188001010014', 'birth date is before 1900'],
    ['unknown region', '999999199001010010'.slice(0, 17) + referenceCheckDigit('99999919900101001'), 'region code is not a known administrative division'],
  ];
  for (const [label, input, reason] of failures) {
    it(`rejects: ${label}`, () => {
      const r = parseResidentId(input, opts);
      assert.deepEqual(r, { ok: false, reason });
    });
  }

  it('accepts a birth date of exactly today', () => {
    assert.equal(parseResidentId(withBirth('20250601'), opts).ok, true);
  });

  it('defaults "today" to the real clock', () => {
    assert.equal(parseResidentId('11010519491231002X').ok, true);
    assert.equal(parseResidentId(withBirth('21000101')).ok, false);
  });

  it('only ever returns fixed reasons, never the input (property)', () => {
    const inputArb = fc.oneof(fc.string(), fc.stringMatching(/^[0-9Xx ]{0,20}$/), validIdArb.map((id) => id.slice(0, 17) + '0'));
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = parseResidentId(input, opts);
        return r.ok || KNOWN_REASONS.has(r.reason);
      }),
    );
  });
});

describe('makeResidentId', () => {
  it('builds the GB 11643 example', () => {
    assert.equal(makeResidentId('110105', '1949-12-31', 2, 'F'), '11010519491231002X');
  });

  it('adjusts the parity of the sequence to match sex', () => {
    assert.equal(makeResidentId('110105', '1949-12-31', 2, 'M').slice(14, 17), '003');
    assert.equal(makeResidentId('110105', '1949-12-31', 3, 'F').slice(14, 17), '002');
    assert.equal(makeResidentId('110105', '1949-12-31', 999, 'F').slice(14, 17), '998');
    assert.equal(makeResidentId('110105', '1949-12-31', 0, 'M').slice(14, 17), '001');
  });

  it('rejects bad inputs without echoing them', () => {
    assert.throws(() => makeResidentId('999999', '1990-01-01', 1, 'M'), /region code is not a known/);
    assert.throws(() => makeResidentId('110105', '1990-02-30', 1, 'M'), /birth date is not a valid date/);
    assert.throws(() => makeResidentId('110105', '1899-12-31', 1, 'M'), /before 1900/);
    assert.throws(() => makeResidentId('110105', '1990-01-01', 1000, 'M'), RangeError);
    assert.throws(() => makeResidentId('110105', '1990-01-01', -1, 'M'), RangeError);
    assert.throws(() => makeResidentId('110105', '1990-01-01', 1.5, 'M'), RangeError);
  });

  it('always parses back to its inputs (property)', () => {
    fc.assert(
      fc.property(regionArb, birthArb, fc.integer({ min: 0, max: 999 }), sexArb, (region, birth, seq, sex) => {
        const id = makeResidentId(region, birth, seq, sex);
        const r = parseResidentId(id, { today: '2100-01-01' });
        return (
          r.ok &&
          r.value.number === id &&
          r.value.regionCode === region &&
          r.value.birthDate === birth &&
          r.value.sex === sex &&
          Math.abs(Number(id.slice(14, 17)) - seq) <= 1
        );
      }),
    );
  });
});

describe('error detection (properties)', () => {
  it('changing any one character breaks the check digit', () => {
    fc.assert(
      fc.property(validIdArb, fc.nat(17), fc.nat(9), (id, pos, delta) => {
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const old = alphabet.indexOf(id.charAt(pos));
        const replacement = alphabet.charAt((old + 1 + (delta % (alphabet.length - 1))) % alphabet.length);
        const mutated = id.slice(0, pos) + replacement + id.slice(pos + 1);
        assert.notEqual(mutated, id);
        assert.notEqual(residentIdCheckDigit(mutated.slice(0, 17)), mutated.charAt(17));
        assert.equal(parseResidentId(mutated, { today: '2100-01-01' }).ok, false);
      }),
    );
  });

  it('swapping two different adjacent digits breaks the check digit', () => {
    fc.assert(
      fc.property(validIdArb, fc.nat(15), (id, pos) => {
        fc.pre(id[pos] !== id[pos + 1]);
        const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
        return residentIdCheckDigit(swapped.slice(0, 17)) !== swapped.charAt(17);
      }),
    );
  });
});

describe('checkResidentIdConsistency', () => {
  const id = '11010519491231002X';

  it('returns null when stated facts agree or are absent', () => {
    assert.equal(checkResidentIdConsistency(id, {}, opts), null);
    assert.equal(checkResidentIdConsistency(id, { birthDate: '1949-12-31', sex: 'F' }, opts), null);
  });

  it('reports disagreements without echoing values', () => {
    assert.equal(checkResidentIdConsistency(id, { birthDate: '1949-12-30' }, opts), 'stated birth date does not match the identity number');
    assert.equal(checkResidentIdConsistency(id, { sex: 'M' }, opts), 'stated sex does not match the identity number');
    assert.equal(checkResidentIdConsistency(id, { birthDate: '1949-02-30' }, opts), 'stated birth date is not a valid date');
  });

  it('reports an invalid number with the parse reason', () => {
    assert.equal(checkResidentIdConsistency('110105194912310021', { sex: 'F' }, opts), 'check digit does not match');
  });

  it('agrees with generated numbers (property)', () => {
    fc.assert(
      fc.property(regionArb, birthArb, fc.integer({ min: 0, max: 999 }), sexArb, birthArb, (region, birth, seq, sex, other) => {
        const made = makeResidentId(region, birth, seq, sex);
        const future = { today: '2100-01-01' };
        const otherSex: Sex = sex === 'M' ? 'F' : 'M';
        return (
          checkResidentIdConsistency(made, { birthDate: birth, sex }, future) === null &&
          checkResidentIdConsistency(made, { sex: otherSex }, future) !== null &&
          (checkResidentIdConsistency(made, { birthDate: other }, future) === null) === (other === birth)
        );
      }),
    );
  });
});

describe('abolished and permit region codes', () => {
  it('accepts numbers from merged Beijing districts (崇文 110103) and HK permits (810000)', () => {
    for (const region of ['110103', '110104', '810000']) {
      const n = makeResidentIdUnchecked(region);
      assert.equal(parseResidentId(n).ok, true, region);
    }
  });
  it('rejects a region code under no province', () => {
    assert.equal(parseResidentId(makeResidentIdUnchecked('990101')).ok, false);
  });
});

function makeResidentIdUnchecked(region: string): string {
  const first17 = `${region}19800101123`;
  return first17 + residentIdCheckDigit(first17);
}
