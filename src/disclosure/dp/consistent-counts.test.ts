import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { consistentCounts } from './consistent-counts.ts';

/** The real-valued Euclidean projection onto {x ≥ 0, Σx = T}, by bisection on τ (reference). */
function projection(y: readonly number[], total: number): number[] {
  let lo = Math.min(0, ...y) - 1;
  let hi = Math.max(0, ...y) + 1;
  for (let i = 0; i < 200; i++) {
    const tau = (lo + hi) / 2;
    const s = y.reduce((acc, v) => acc + Math.max(0, v - tau), 0);
    if (s > total) lo = tau;
    else hi = tau;
  }
  return y.map((v) => Math.max(0, v - (lo + hi) / 2));
}

const noisy = fc.array(fc.integer({ min: -50, max: 200 }), { minLength: 1, maxLength: 20 });

describe('consistent counts (post-processing)', () => {
  it('hand-checked: negatives go to 0, positives give up the same share, the city keeps the noisy sum', () => {
    assert.deepEqual(consistentCounts([5, -3, 10]), [3, 0, 9]); // T = 12, τ = 3/2: 3.5 and 8.5, the spare unit to the larger noisy count
    assert.deepEqual(consistentCounts([4, 0, 7]), [4, 0, 7]);
    assert.deepEqual(consistentCounts([-2, -1, 1]), [0, 0, 0]);
    assert.deepEqual(consistentCounts([3, -1, 3]), [3, 0, 2]); // T = 5, τ = 1/2: 2.5 each, the spare unit to the first (list order)
    assert.deepEqual(consistentCounts([]), []);
    assert.throws(() => consistentCounts([1.5]), RangeError);
  });

  it('outputs non-negative integers that add up to max(0, Σ noisy)', () => {
    fc.assert(fc.property(noisy, (y) => {
      const x = consistentCounts(y);
      assert.equal(x.length, y.length);
      assert.ok(x.every((v) => Number.isSafeInteger(v) && v >= 0));
      assert.equal(x.reduce((s, v) => s + v, 0), Math.max(0, y.reduce((s, v) => s + v, 0)));
    }), { numRuns: 1000 });
  });

  it('leaves non-negative input unchanged, never raises a district, and keeps the order', () => {
    fc.assert(fc.property(noisy, (y) => {
      const x = consistentCounts(y);
      if (y.every((v) => v >= 0)) assert.deepEqual(x, y);
      y.forEach((v, i) => assert.ok(x[i]! <= Math.max(0, v)));
      for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) if (y[i]! > y[j]!) assert.ok(x[i]! >= x[j]!);
    }), { numRuns: 1000 });
  });

  it('stays within 1 of the real-valued least-squares projection', () => {
    fc.assert(fc.property(noisy, (y) => {
      const total = Math.max(0, y.reduce((s, v) => s + v, 0));
      const p = projection(y, total);
      consistentCounts(y).forEach((v, i) => assert.ok(Math.abs(v - p[i]!) < 1 + 1e-9, `${v} vs ${p[i]}`));
    }), { numRuns: 1000 });
  });
});
