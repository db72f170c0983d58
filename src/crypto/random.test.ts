import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pooledRandom, randomId, randomKeyBytes, timeOrderedId, timeOrderedIdRandomPart } from './random.ts';

const ID = /^[a-z2-7]{26}$/;
const SORTED = '234567abcdefghijklmnopqrstuvwxyz';

/** The 48-bit time field of a time-ordered id (test-side decoder; the application never decodes ids). */
function timeOf(id: string): number {
  let n = 0n;
  for (const ch of id.slice(0, 10)) n = (n << 5n) | BigInt(SORTED.indexOf(ch));
  return Number(n >> 2n); // 10 characters = 50 bits: 48 bits of time, then 2 random bits
}

describe('random ids', () => {
  it('randomId: 26 base32 characters after the prefix, all distinct', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = randomId('s');
      assert.equal(id[0], 's');
      assert.match(id.slice(1), ID);
      ids.add(id);
    }
    assert.equal(ids.size, 10_000);
  });

  it('pooledRandom never hands out the same bytes twice across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(pooledRandom(12).toString('hex'));
    assert.equal(seen.size, 20_000);
  });

  it('timeOrderedId: same alphabet and length as randomId, with the time readable in front', () => {
    const at = Date.parse('2026-11-29T17:00:00.123Z');
    const id = timeOrderedId('c', at);
    assert.equal(id[0], 'c');
    assert.match(id.slice(1), ID);
    assert.equal(timeOf(id.slice(1)), at);
    assert.equal(timeOrderedId('', '2026-11-29T17:00:00.123Z').slice(0, 9), id.slice(1, 10));
    assert.equal(timeOf(timeOrderedId('', new Date(at))), at);
    assert.equal(timeOf(timeOrderedId('', 0)), 0);
    assert.equal(timeOf(timeOrderedId('', 2 ** 48 - 1)), 2 ** 48 - 1);
  });

  it('timeOrderedId: ids of the same millisecond differ in 80 random bits', () => {
    const at = Date.now();
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId('s', at));
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(new Set(ids.map((id) => timeOrderedIdRandomPart(id))).size, ids.length);
    for (const id of ids.slice(0, 100)) {
      assert.match(timeOrderedIdRandomPart(id), /^[a-z2-7]{10}$/);
      assert.equal(id.slice(1, 10), ids[0]!.slice(1, 10)); // 45 of the 48 time bits, shared
      assert.equal(timeOrderedIdRandomPart(id), id.slice(11, 21)); // after the time field
    }
  });

  it('timeOrderedId: string order (binary collation) is time order', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 48 - 2 }), fc.integer({ min: 1, max: 2 ** 40 }), (t, d) => {
      const later = Math.min(2 ** 48 - 1, t + d);
      const a = timeOrderedId('s', t);
      const b = timeOrderedId('s', later);
      return Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
    }), { numRuns: 2000 });
    const sorted = Array.from({ length: 2000 }, (_, i) => timeOrderedId('s', 1_700_000_000_000 + i * 7));
    assert.deepEqual([...sorted].sort(), sorted);
  });

  it('timeOrderedId rejects times outside the 48-bit field and invalid dates', () => {
    for (const bad of [-1, 2 ** 48, 1.5, Number.NaN, 'not a date']) assert.throws(() => timeOrderedId('s', bad), RangeError);
  });
});

describe('random key bytes', () => {
  it('are 32 fresh bytes each, never repeated', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const k = randomKeyBytes();
      assert.equal(k.length, 32);
      seen.add(k.toString('hex'));
    }
    assert.equal(seen.size, 5000);
  });
});
