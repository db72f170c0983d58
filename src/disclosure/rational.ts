/**
 * Exact non-negative rationals on BigInt, for privacy parameters (epsilon, noise scale, the
 * budget ledger) and metric weights: `0.1 + 0.2` must add up to exactly `3/10` when a budget
 * cap is checked, and a noise scale must reach the sampler without a floating-point detour.
 *
 * @module
 */

/** A rational num/den in lowest terms, den > 0, num ≥ 0. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

export class RationalError extends Error {
  override readonly name = 'RationalError';
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** num/den in lowest terms. @throws RationalError if den is 0 or the value is negative. */
export function rational(num: bigint | number, den: bigint | number = 1n): Rational {
  const n = BigInt(num);
  const d = BigInt(den);
  if (d === 0n) throw new RationalError('denominator must not be 0');
  if ((n < 0n) !== (d < 0n) && n !== 0n) throw new RationalError('value must not be negative');
  const g = gcd(n, d) || 1n;
  return { num: (n < 0n ? -n : n) / g, den: (d < 0n ? -d : d) / g };
}

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const FRACTION = /^(\d+)\/(\d+)$/;

/**
 * Parses a non-negative decimal (`'0.1'`, `'2'`, `'1e-3'`), a fraction (`'1/3'`), or a finite
 * number through its shortest decimal form (`0.1` → 1/10, not the binary double's value).
 * @throws RationalError on anything else.
 */
export function parseRational(value: string | number): Rational {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RationalError('value must be a finite non-negative number');
    return parseRational(String(value));
  }
  const f = FRACTION.exec(value);
  if (f) return rational(BigInt(f[1]!), BigInt(f[2]!));
  const m = DECIMAL.exec(value);
  if (!m) throw new RationalError('value must be a non-negative decimal or fraction');
  const digits = BigInt(`${m[1]}${m[2] ?? ''}`);
  const exponent = Number(m[3] ?? '0') - (m[2]?.length ?? 0);
  if (Math.abs(exponent) > 400) throw new RationalError('exponent out of range');
  return exponent >= 0 ? rational(digits * 10n ** BigInt(exponent)) : rational(digits, 10n ** BigInt(-exponent));
}

export const add = (a: Rational, b: Rational): Rational => rational(a.num * b.den + b.num * a.den, a.den * b.den);
export const multiply = (a: Rational, b: Rational): Rational => rational(a.num * b.num, a.den * b.den);
/** a / b. @throws RationalError if b is 0. */
export const divide = (a: Rational, b: Rational): Rational => rational(a.num * b.den, a.den * b.num);
/** -1, 0 or 1. */
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}
/** a − b, or undefined when b > a (the result would be negative). */
export function subtract(a: Rational, b: Rational): Rational | undefined {
  return compare(a, b) < 0 ? undefined : rational(a.num * b.den - b.num * a.den, a.den * b.den);
}
export const isZero = (a: Rational): boolean => a.num === 0n;
/** `'3/10'`, or `'2'` for integers: the storage and publication form. */
export const formatRational = (a: Rational): string => (a.den === 1n ? `${a.num}` : `${a.num}/${a.den}`);
/** A double close to the value, for display only. */
export const toNumber = (a: Rational): number => Number(a.num) / Number(a.den);
