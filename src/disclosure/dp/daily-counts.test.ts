import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DailyCountsError, releaseDailyCounts } from './daily-counts.ts';
import type { UniformSource } from './discrete-laplace.ts';

const districts = ['110101', '110102', '110105'];
const days = ['2026-12-01', '2026-12-02'];
const counts = new Map([['2026-12-01', new Map([['110105', 12], ['110101', 1]])]]);

/** A seeded source (xorshift) so that a property run is reproducible; the sampler's own tests use the CSPRNG. */
function seeded(seed: number): UniformSource {
  let s = seed | 1;
  return {
    below(n) {
      s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
      return Math.floor(((s >>> 0) / 2 ** 32) * n);
    },
  };
}

describe('differentially private daily counts', () => {
  it('publishes the whole grid with epsilon and scale, districts non-negative and adding up to the city', () => {
    const r = releaseDailyCounts({ days, districts, counts }, { epsilon: '0.5' });
    assert.equal(r.mechanism, 'discrete-laplace');
    assert.equal(r.epsilon, '1/2');
    assert.equal(r.scale, '2');
    assert.deepEqual(r.days.map((d) => d.date), days);
    for (const d of r.days) {
      assert.deepEqual(Object.keys(d.districts), districts);
      assert.ok(Object.values(d.districts).every((v) => Number.isSafeInteger(v) && v >= 0));
      assert.equal(d.city, Object.values(d.districts).reduce((s, v) => s + v, 0));
    }
  });

  it('holds for any grid, epsilon and noise (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.array(fc.nat(30), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
      fc.constantFrom('0.1', '0.5', '1', '2', '1/3'),
      fc.integer(),
      (grid, epsilon, seed) => {
        const ds = grid.map((_, i) => `2026-12-${String(i + 1).padStart(2, '0')}`);
        const input = { days: ds, districts, counts: new Map(grid.map((row, i) => [ds[i]!, new Map(row.map((n, j) => [districts[j]!, n]))])) };
        const r = releaseDailyCounts(input, { epsilon }, seeded(seed));
        for (const d of r.days) {
          assert.ok(Object.values(d.districts).every((v) => Number.isSafeInteger(v) && v >= 0));
          assert.equal(d.city, Object.values(d.districts).reduce((s, v) => s + v, 0));
        }
      },
    ), { numRuns: 300 });
  });

  it('the noise is centred: averaged over many releases the city count is unbiased', () => {
    const big = new Map([['2026-12-01', new Map([['110101', 40], ['110102', 25], ['110105', 60]])]]);
    let sum = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) sum += releaseDailyCounts({ days: ['2026-12-01'], districts, counts: big }, { epsilon: 1 }).days[0]!.city;
    // Var(city) ≈ 3 · 2e^(-1)/(1 − e^(-1))² ≈ 5.5 per release; 5 standard errors ≈ 0.26.
    assert.ok(Math.abs(sum / runs - 125) < 0.3, `mean city ${sum / runs}`);
  });

  it('rejects cells outside the grid, negative counts and a zero epsilon, naming no value', () => {
    const outside = new Map([['2026-12-01', new Map([['999999', 1]])]]);
    assert.throws(() => releaseDailyCounts({ days, districts, counts: outside }, { epsilon: 1 }), (e: Error) => e instanceof DailyCountsError && !e.message.includes('999999'));
    assert.throws(() => releaseDailyCounts({ days: ['2026-11-30'], districts, counts }, { epsilon: 1 }), DailyCountsError);
    assert.throws(() => releaseDailyCounts({ days, districts, counts: new Map([['2026-12-01', new Map([['110101', -1]])]]) }, { epsilon: 1 }), DailyCountsError);
    assert.throws(() => releaseDailyCounts({ days, districts, counts }, { epsilon: 0 }), RangeError);
    assert.throws(() => releaseDailyCounts({ days, districts, counts }, { epsilon: 1, sensitivity: 0 }), RangeError);
  });
});
