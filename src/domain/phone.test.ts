import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isChineseFixedLine, isChineseMobile, maskTail, normalizePhone } from './phone.ts';

const KNOWN_REASONS = new Set([
  'phone number is empty',
  'phone number contains characters other than digits and separators',
  'phone number needs a country code (+ or 00) unless it is a Chinese mobile number',
  'phone number is not a valid international (E.164) number',
  'Chinese phone number is neither a mobile number nor a fixed line with area code',
]);

describe('normalizePhone', () => {
  const good: [string, string][] = [
    ['+86 138 1234 5678', '+8613812345678'],
    ['13812345678', '+8613812345678'],
    ['008613812345678', '+8613812345678'],
    ['+8613812345678', '+8613812345678'],
    ['  +86-138-1234-5678 ', '+8613812345678'],
    ['(+86) 199 0000 1111', '+8619900001111'],
    ['＋８６ １３８ １２３４ ５６７８', '+8613812345678'],
    ['+86 10 6552 9988', '+861065529988'],
    ['+86 (21) 6123-4567', '+862161234567'],
    ['0086 755 8123 4567', '+8675581234567'],
    ['+86 371 612 3456', '+863716123456'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['+49 30 901820', '+4930901820'],
    ['+852 2123 4567', '+85221234567'],
  ];
  for (const [input, expected] of good) {
    it(`accepts ${input}`, () => {
      assert.deepEqual(normalizePhone(input), { ok: true, value: expected });
    });
  }

  const bad: [string, string][] = [
    ['', 'phone number is empty'],
    [' - ', 'phone number is empty'],
    ['abc', 'phone number contains characters other than digits and separators'],
    ['138 1234 5678 ext 9', 'phone number contains characters other than digits and separators'],
    ['+86+13812345678', 'phone number contains characters other than digits and separators'],
    ['12812345678', 'phone number needs a country code (+ or 00) unless it is a Chinese mobile number'],
    ['1381234567', 'phone number needs a country code (+ or 00) unless it is a Chinese mobile number'],
    ['010 6552 9988', 'phone number needs a country code (+ or 00) unless it is a Chinese mobile number'],
    ['+0 123 4567', 'phone number is not a valid international (E.164) number'],
    ['+12345', 'phone number is not a valid international (E.164) number'],
    ['+1234567890123456', 'phone number is not a valid international (E.164) number'],
    ['+86 128 1234 5678', 'Chinese phone number is neither a mobile number nor a fixed line with area code'],
    ['+86 138 1234 567', 'Chinese phone number is neither a mobile number nor a fixed line with area code'],
    ['+86 138 1234 56789', 'Chinese phone number is neither a mobile number nor a fixed line with area code'],
    ['+86 010 6552 9988', 'Chinese phone number is neither a mobile number nor a fixed line with area code'],
    ['+86 21 1234 567', 'Chinese phone number is neither a mobile number nor a fixed line with area code'],
    ['+86 755 1234 56', 'Chinese phone number is neither a mobile number nor a fixed line with area code'],
    ['+86 755 1234 56789', 'Chinese phone number is neither a mobile number nor a fixed line with area code'],
  ];
  for (const [input, reason] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.deepEqual(normalizePhone(input), { ok: false, reason });
    });
  }

  it('is idempotent on its output (property)', () => {
    const mobile = fc.stringMatching(/^1[3-9]\d{9}$/);
    const spaced = mobile.map((m) => `+86 ${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`);
    const anything = fc.stringMatching(/^(\+|00)?[\d ()-]{1,20}$/);
    fc.assert(
      fc.property(fc.oneof(mobile, spaced, anything), (input) => {
        const first = normalizePhone(input);
        if (!first.ok) return true;
        const second = normalizePhone(first.value);
        return second.ok && second.value === first.value && /^\+[1-9]\d{6,14}$/.test(first.value);
      }),
    );
  });

  it('turns every bare mobile into a +86 mobile (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (m) => {
        const r = normalizePhone(m);
        return r.ok && r.value === `+86${m}` && isChineseMobile(r.value);
      }),
    );
  });

  it('only ever returns fixed reasons, never the input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+?[\d ]{0,20}$/)), (input) => {
        const r = normalizePhone(input);
        return r.ok || KNOWN_REASONS.has(r.reason);
      }),
    );
  });
});

describe('isChineseMobile / isChineseFixedLine', () => {
  it('classifies E.164 numbers', () => {
    assert.equal(isChineseMobile('+8613812345678'), true);
    assert.equal(isChineseMobile('+8612812345678'), false);
    assert.equal(isChineseMobile('13812345678'), false);
    assert.equal(isChineseMobile('+861381234567'), false);
    assert.equal(isChineseMobile('+442079460958'), false);
    assert.equal(isChineseFixedLine('+861065529988'), true);
    assert.equal(isChineseFixedLine('+8675581234567'), true);
    assert.equal(isChineseFixedLine('+8613812345678'), false);
  });
});

describe('maskTail', () => {
  it('keeps only the last n characters', () => {
    assert.equal(maskTail('+8613812345678'), '**********5678');
    assert.equal(maskTail('+8613812345678', 2), '************78');
    assert.equal(maskTail('abc', 0), '***');
    assert.equal(maskTail('abc'), 'abc');
    assert.equal(maskTail(''), '');
  });

  it('counts code points, not UTF-16 units', () => {
    assert.equal(maskTail('𠀀𠀁𠀂', 1), '**𠀂');
  });

  it('rejects invalid n', () => {
    assert.throws(() => maskTail('abc', -1), RangeError);
    assert.throws(() => maskTail('abc', 1.5), RangeError);
  });

  it('preserves length and tail (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), fc.nat(20), (s, n) => {
        const masked = maskTail(s, n);
        const keep = Math.min(n, s.length);
        return masked.length === s.length && masked.endsWith(s.slice(s.length - keep)) && /^\**$/.test(masked.slice(0, s.length - keep));
      }),
    );
  });
});
