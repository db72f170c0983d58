/**
 * Exact sampling from the discrete Laplace (two-sided geometric) distribution,
 *
 *   P[Z = z] = (1 − e^(−1/σ)) / (1 + e^(−1/σ)) · e^(−|z|/σ)   for every integer z,
 *
 * with a rational scale σ, following Canonne, Kamath and Steinke, "The Discrete Gaussian for
 * Differential Privacy" (NeurIPS 2020), Algorithms 1 and 2. The sampling path uses only integer
 * comparisons, additions, multiplications and exact integer division on values below 2^53, and
 * uniform integers from a {@link UniformSource} (the CSPRNG by default): no floating-point exp
 * or log, so the output distribution is exactly the one above (the attacks of Mironov 2012 on
 * floating-point Laplace noise do not apply). Releasing a count plus Z is ε-differentially
 * private for sensitivity Δ when σ = Δ/ε.
 *
 * The running time depends on the random draws (not on the data); it is not constant-time.
 *
 * @module
 */
import { cryptoUniform } from '../../crypto/index.ts';
import type { Rational } from '../rational.ts';

/** A source of uniform integers: `below(n)` is uniform on [0, n) for integers 1 ≤ n ≤ 2^53. */
export interface UniformSource {
  below(n: number): number;
}

const MAX_PART = 2 ** 32;
const MAX_EXACT = 2 ** 53;

/** Bernoulli(n/d) for integers 0 ≤ n ≤ d, 1 ≤ d ≤ 2^53: one uniform draw below d. */
export function bernoulli(n: number, d: number, rng: UniformSource): boolean {
  return rng.below(d) < n;
}

/** Bernoulli(exp(−n/d)) for 0 ≤ n/d ≤ 1 (CKS Algorithm 1, first case). */
function bernoulliExpUnit(n: number, d: number, rng: UniformSource): boolean {
  let k = 1;
  for (;;) {
    if (d * k > MAX_EXACT) throw new RangeError('bernoulliExp: denominator out of range');
    if (!bernoulli(n, d * k, rng)) break;
    k++;
  }
  return k % 2 === 1;
}

/**
 * Bernoulli(exp(−n/d)) for integers n ≥ 0, 1 ≤ d ≤ 2^32 (CKS Algorithm 1): ⌊n/d⌋ independent
 * Bernoulli(e^(−1)) trials must all succeed, then one Bernoulli(exp(−(n mod d)/d)).
 */
export function bernoulliExp(n: number, d: number, rng: UniformSource): boolean {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || n < 0 || d < 1 || d > MAX_PART) throw new RangeError('bernoulliExp: need integers n ≥ 0 and 1 ≤ d ≤ 2^32');
  const whole = (n - (n % d)) / d;
  for (let i = 0; i < whole; i++) if (!bernoulliExpUnit(1, 1, rng)) return false;
  return bernoulliExpUnit(n % d, d, rng);
}

/** The scale σ = t/s as the integers of CKS Algorithm 2. @throws RangeError outside (0, 2^32] parts. */
function scaleParts(scale: Rational): { t: number; s: number } {
  if (scale.num <= 0n || scale.num > BigInt(MAX_PART) || scale.den > BigInt(MAX_PART)) {
    throw new RangeError('discrete Laplace: the scale must be a positive fraction with numerator and denominator at most 2^32');
  }
  return { t: Number(scale.num), s: Number(scale.den) };
}

/**
 * One sample of the discrete Laplace distribution with scale σ = `scale` (CKS Algorithm 2).
 * Expected uniform draws per sample are a small constant for every scale.
 */
export function sampleDiscreteLaplace(scale: Rational, rng: UniformSource = cryptoUniform): number {
  const { t, s } = scaleParts(scale);
  for (;;) {
    const u = rng.below(t);
    if (!bernoulliExp(u, t, rng)) continue;
    let v = 0;
    while (bernoulliExp(1, 1, rng)) v++;
    const x = u + t * v;
    const y = (x - (x % s)) / s;
    const negative = bernoulli(1, 2, rng);
    if (negative && y === 0) continue;
    return negative ? -y : y;
  }
}

/** The probability mass at z (floating point: for tests and documentation, never for sampling). */
export function discreteLaplacePmf(z: number, sigma: number): number {
  const r = Math.exp(-1 / sigma);
  return ((1 - r) / (1 + r)) * Math.pow(r, Math.abs(z));
}

/** The variance 2e^(−1/σ) / (1 − e^(−1/σ))² (floating point, for documentation and tests). */
export function discreteLaplaceVariance(sigma: number): number {
  const r = Math.exp(-1 / sigma);
  return (2 * r) / ((1 - r) * (1 - r));
}
