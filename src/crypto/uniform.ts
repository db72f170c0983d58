import { randomFillSync } from 'node:crypto';

/**
 * Uniform random integers from the operating system's CSPRNG, for samplers that must not use
 * floating point (the exact discrete Laplace sampler of src/disclosure/dp). Words come from a
 * pooled buffer refilled by `randomFillSync`; every word is fresh CSPRNG output used once.
 * Rejection sampling makes each draw exactly uniform (no modulo bias).
 */
const POOL_WORDS = 4096;
const pool = new Uint32Array(POOL_WORDS);
let next = POOL_WORDS;

/** One fresh uniform 32-bit word. */
function word(): number {
  if (next === POOL_WORDS) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]!;
}

const TWO_32 = 2 ** 32;
/** The largest bound accepted: draws stay exact integers in a double. */
export const MAX_UNIFORM_BOUND = 2 ** 53;

/**
 * A uniform integer in [0, n) for an integer 1 ≤ n ≤ 2^53, from the CSPRNG.
 *
 * For n ≤ 2^32 one word is drawn and words at or above the largest multiple of n are rejected;
 * above 2^32, 53 bits from two words are drawn and rejected the same way. The expected number
 * of draws is below 2 for every n.
 * @throws RangeError if n is not an integer in [1, 2^53].
 */
export function randomBelow(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_UNIFORM_BOUND) throw new RangeError('randomBelow: bound must be an integer in [1, 2^53]');
  if (n === 1) return 0;
  if (n <= TWO_32) {
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const w = word();
      if (w < limit) return w % n;
    }
  }
  const limit = MAX_UNIFORM_BOUND - (MAX_UNIFORM_BOUND % n);
  for (;;) {
    const v = (word() >>> 11) * TWO_32 + word(); // 21 + 32 = 53 bits, exact in a double
    if (v < limit) return v % n;
  }
}

/** A uniform source backed by the CSPRNG (the default for differential-privacy noise). */
export const cryptoUniform: { readonly below: (n: number) => number } = Object.freeze({ below: randomBelow });
