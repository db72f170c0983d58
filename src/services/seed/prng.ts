/**
 * Small, fast, seeded randomness for the synthetic city. Not for secrets: subject ids, keys and
 * nonces come from src/crypto. Everything here is a pure function of its key, so person i of a
 * seed can be generated on its own, in any order, on any thread, with the same result.
 */

/** A 32-bit integer hash with good avalanche (Chris Wellons' lowbias32). */
export function hash32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Folds several integers (each taken modulo 2^32) into one 32-bit key. */
export function mixKey(parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) h = hash32(h ^ hash32((p >>> 0) + 0x9e3779b9));
  return h;
}

/** A seed of up to 2^53 as two 32-bit words, so that seeds 1 and 2^32 + 1 differ. */
export function seedWords(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 0x1_0000_0000) >>> 0];
}

/**
 * sfc32 (Chris Doty-Humphrey's small fast chaotic generator), seeded through splitmix32 from a
 * key of integers: `new Rng(seedLo, seedHi, STREAM, index)`.
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(...key: number[]) {
    let s = mixKey(key);
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.#a = splitmix();
    this.#b = splitmix();
    this.#c = splitmix();
    this.#d = splitmix();
    for (let i = 0; i < 8; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** An index drawn with the given weights (cumulative sums, see {@link cumulative}). */
  weighted(cum: readonly number[]): number {
    const x = this.float() * cum[cum.length - 1]!;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** An index in [0, n) skewed towards 0 (popular venues and employers come first). */
  skewed(n: number, power = 2): number {
    return Math.min(n - 1, Math.floor(n * this.float() ** power));
  }
}

/** Cumulative sums of weights, for {@link Rng.weighted}. */
export function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

/**
 * A keyed pseudo-random permutation of [0, n) (n ≤ 2^30): a balanced four-round Feistel network
 * over the next even power of two, with cycle walking to stay inside [0, n). Distinct inputs
 * give distinct outputs, which is how identity and phone numbers are made unique without
 * remembering the ones already handed out, and the inverse finds the people of an employer.
 */
export class Permutation {
  readonly #n: number;
  readonly #half: number;
  readonly #mask: number;
  readonly #keys: number[];

  constructor(n: number, ...key: number[]) {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 30) throw new RangeError('permutation size must be 1..2^30');
    let bits = Math.max(2, Math.ceil(Math.log2(n)));
    if (bits % 2 === 1) bits++;
    this.#n = n;
    this.#half = bits / 2;
    this.#mask = (1 << this.#half) - 1;
    this.#keys = [0, 1, 2, 3].map((r) => mixKey([...key, r]));
  }

  get size(): number {
    return this.#n;
  }

  #encrypt(x: number): number {
    let l = x >>> this.#half;
    let r = x & this.#mask;
    for (const k of this.#keys) {
      const t = l ^ (hash32(r ^ k) & this.#mask);
      l = r;
      r = t;
    }
    return ((l << this.#half) | r) >>> 0;
  }

  #decrypt(y: number): number {
    let l = y >>> this.#half;
    let r = y & this.#mask;
    for (let i = this.#keys.length - 1; i >= 0; i--) {
      const t = r ^ (hash32(l ^ this.#keys[i]!) & this.#mask);
      r = l;
      l = t;
    }
    return ((l << this.#half) | r) >>> 0;
  }

  forward(x: number): number {
    let y = this.#encrypt(x);
    while (y >= this.#n) y = this.#encrypt(y);
    return y;
  }

  inverse(y: number): number {
    let x = this.#decrypt(y);
    while (x >= this.#n) x = this.#decrypt(x);
    return x;
  }
}
