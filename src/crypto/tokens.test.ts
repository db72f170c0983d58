import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { colocationToken, DEFAULT_SLOT_MS, slotsCovering, subjectReference, TOKEN_BYTES } from './tokens.ts';
import { TokenKey } from './secret-key.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const keyBytes = fc.uint8Array({ minLength: 32, maxLength: 32 });
const tokenKey = keyBytes.map((b) => new TokenKey(b));

/** Brute force: every minute of the stay, plus its last instant, mapped to its slot. */
function slotsByScan(arrival: number, departure: number, slotMs: number): number[] {
  const out = new Set<number>();
  for (let t = arrival; t <= departure; t += MINUTE) out.add(Math.floor(t / slotMs));
  out.add(Math.floor(departure / slotMs));
  return [...out].sort((a, b) => a - b);
}

// Instants around the present (and a few before 1970), at millisecond precision.
const instant = fc.integer({ min: -3 * 24 * HOUR, max: 2_000_000_000_000 });
const stayMs = fc.oneof(fc.integer({ min: 0, max: 3 * HOUR }), fc.integer({ min: 0, max: 3 * 24 * HOUR }));
const slotMs = fc.constantFrom(15 * MINUTE, 30 * MINUTE, HOUR);

describe('slotsCovering', () => {
  it('covers exactly the slots a stay touches (against a minute-by-minute scan)', () => {
    fc.assert(fc.property(instant, stayMs, slotMs, (arrival, length, slot) => {
      assert.deepEqual(slotsCovering(arrival, arrival + length, slot), slotsByScan(arrival, arrival + length, slot));
    }), { numRuns: 300 });
  });

  it('uses one-hour slots by default', () => {
    assert.equal(DEFAULT_SLOT_MS, HOUR);
    fc.assert(fc.property(instant, stayMs, (arrival, length) => {
      assert.deepEqual(slotsCovering(arrival, arrival + length), slotsByScan(arrival, arrival + length, HOUR));
    }));
  });

  it('treats the stay as a closed interval: the hours touched at both ends count', () => {
    const t0 = Date.UTC(2026, 10, 3, 10, 0, 0);
    const s0 = t0 / HOUR;
    assert.deepEqual(slotsCovering(t0, t0), [s0]);
    assert.deepEqual(slotsCovering(t0, t0 + HOUR - 1), [s0]);
    assert.deepEqual(slotsCovering(t0, t0 + HOUR), [s0, s0 + 1]);
    assert.deepEqual(slotsCovering(t0 - 1, t0), [s0 - 1, s0]);
    assert.deepEqual(slotsCovering(t0 + 59 * MINUTE, t0 + 61 * MINUTE), [s0, s0 + 1]);
  });

  it('rejects reversed stays and non-finite times', () => {
    fc.assert(fc.property(instant, fc.integer({ min: 1, max: 10 * 24 * HOUR }), (arrival, back) => {
      assert.throws(() => slotsCovering(arrival, arrival - back), RangeError);
    }));
    for (const [a, d] of [[Number.NaN, 0], [0, Number.NaN], [0, Infinity], [-Infinity, 0]] as const) {
      assert.throws(() => slotsCovering(a, d), RangeError);
    }
  });

  it('rejects stays longer than 31 days, accepts 31 days', () => {
    const t0 = Date.UTC(2026, 0, 1);
    assert.equal(slotsCovering(t0, t0 + 31 * 24 * HOUR).length, 31 * 24 + 1);
    assert.throws(() => slotsCovering(t0, t0 + 31 * 24 * HOUR + HOUR), RangeError);
  });
});

describe('colocationToken', () => {
  it('is equal exactly when venue and slot are equal', () => {
    const k = new TokenKey(Buffer.alloc(32, 1));
    const venue = fc.constantFrom('p1', 'p2', 'p10', 'p1\u0000', '', 'p\u00001');
    const slot = fc.integer({ min: 490_000, max: 490_004 });
    fc.assert(fc.property(venue, slot, venue, slot, (v1, s1, v2, s2) => {
      const same = v1 === v2 && s1 === s2;
      assert.equal(colocationToken(k, v1, s1).equals(colocationToken(k, v2, s2)), same);
    }), { numRuns: 1000 });
    fc.assert(fc.property(tokenKey, fc.string({ unit: 'binary' }), fc.integer(), fc.string({ unit: 'binary' }), fc.integer(), (key, v1, s1, v2, s2) => {
      assert.equal(colocationToken(key, v1, s1).equals(colocationToken(key, v2, s2)), v1 === v2 && s1 === s2);
    }));
  });

  it('is 128 bits, keyed, and depends on the slot length', () => {
    fc.assert(fc.property(keyBytes, keyBytes, fc.string({ unit: 'binary' }), fc.integer(), (b1, b2, v, s) => {
      const t = colocationToken(new TokenKey(b1), v, s);
      assert.equal(t.length, TOKEN_BYTES);
      assert.equal(TOKEN_BYTES, 16);
      assert.deepEqual(colocationToken(new TokenKey(Buffer.from(b1)), v, s), t);
      if (!Buffer.from(b1).equals(Buffer.from(b2))) assert.notDeepEqual(colocationToken(new TokenKey(b2), v, s), t);
      assert.notDeepEqual(colocationToken(new TokenKey(b1), v, s, 30 * MINUTE), t);
    }));
  });

  it('follows the documented construction', () => {
    const b = Buffer.alloc(32, 9);
    const expected = createHmac('sha256', b).update(Buffer.from(`epivault/coloc/v1\u0000venue-1\u0000${HOUR}\u0000493000`, 'utf8')).digest().subarray(0, 16);
    assert.deepEqual(colocationToken(new TokenKey(b), 'venue-1', 493000), expected);
  });

  it('makes contact discovery an equality join: two stays at a venue share a token iff they touch a common slot', () => {
    const k = new TokenKey(Buffer.alloc(32, 2));
    const base = Date.UTC(2026, 10, 3);
    const stay = fc.tuple(fc.integer({ min: 0, max: 48 * HOUR }), fc.integer({ min: 0, max: 6 * HOUR }));
    fc.assert(fc.property(stay, stay, fc.boolean(), ([a1, l1], [a2, l2], sameVenue) => {
      const s1 = slotsCovering(base + a1, base + a1 + l1);
      const s2 = slotsCovering(base + a2, base + a2 + l2);
      const t1 = new Set(s1.map((s) => colocationToken(k, 'venue-a', s).toString('hex')));
      const t2 = s2.map((s) => colocationToken(k, sameVenue ? 'venue-a' : 'venue-b', s).toString('hex'));
      const shareSlot = s1.some((s) => s2.includes(s));
      assert.equal(t2.some((t) => t1.has(t)), sameVenue && shareSlot);
    }));
  });
});

describe('subjectReference', () => {
  it('is 32 lowercase hex characters, deterministic and keyed', () => {
    fc.assert(fc.property(keyBytes, keyBytes, fc.string({ unit: 'binary', maxLength: 40 }), (b1, b2, id) => {
      const r = subjectReference(new TokenKey(b1), id);
      assert.match(r, /^[0-9a-f]{32}$/);
      assert.equal(subjectReference(new TokenKey(Buffer.from(b1)), id), r);
      if (!Buffer.from(b1).equals(Buffer.from(b2))) assert.notEqual(subjectReference(new TokenKey(b2), id), r);
    }));
  });

  it('differs between subjects', () => {
    fc.assert(fc.property(tokenKey, fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (k, a, b) => {
      fc.pre(a !== b);
      assert.notEqual(subjectReference(k, a), subjectReference(k, b));
    }));
  });

  it('is not the co-location token of the same text (domain separation)', () => {
    const k = new TokenKey(Buffer.alloc(32, 3));
    assert.notEqual(subjectReference(k, 'sabc'), colocationToken(k, 'sabc', 0).toString('hex'));
  });
});
