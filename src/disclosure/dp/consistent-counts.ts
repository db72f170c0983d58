/**
 * Post-processing of noisy district counts into publishable ones: non-negative integers whose sum
 * is the city count. Post-processing of a differentially private output costs no privacy, so the
 * city figure (the sum) spends no further epsilon.
 *
 * Method. Let y be the noisy district counts of one day (integers, possibly negative) and
 * T = max(0, Σ y): the city total keeps the noisy sum, an unbiased estimate of the true total
 * (clamping each district at 0 instead would bias the city upward by about σ/2 per empty
 * district). The districts become the Euclidean projection of y onto {x ≥ 0, Σ x = T}:
 * x_i = max(0, y_i − τ) with the unique τ ≥ 0 that makes the sum T (negative districts go to 0,
 * the positive ones give up the same amount τ each). τ is a fraction with denominator ρ (the
 * number of districts left positive), so x is rounded to integers by largest remainder: every
 * x_i is floored, and the units still missing go to the largest fractional parts (ties: larger
 * noisy count first, then list order). Everything is exact integer arithmetic.
 *
 * Consequences (tested): outputs are non-negative integers adding up to T; a noisy vector that is
 * already non-negative is returned unchanged; no district ends above its noisy count (or above 0
 * if that was negative); a larger noisy count never gets a smaller output; each output is within
 * 1 of the real-valued projection.
 *
 * @module
 */

/** Non-negative integers with sum max(0, Σ noisy), closest (Euclidean, then rounded) to `noisy`. */
export function consistentCounts(noisy: readonly number[]): number[] {
  for (const y of noisy) if (!Number.isSafeInteger(y)) throw new RangeError('consistentCounts: noisy counts must be integers');
  const total = Math.max(0, noisy.reduce((s, y) => s + y, 0));
  if (noisy.every((y) => y >= 0)) return [...noisy];
  const out = new Array<number>(noisy.length).fill(0);
  if (total === 0) return out;
  // Indexes by decreasing noisy count (ties: list order).
  const order = noisy.map((_, i) => i).sort((a, b) => noisy[b]! - noisy[a]! || a - b);
  // ρ = the largest j with y_(j) − τ_j > 0, τ_j = (Σ_{i≤j} y_(i) − T) / j  (in integers: j·y_(j) > Σ − T).
  let rho = 0;
  let prefix = 0;
  let chosenPrefix = 0;
  for (let j = 1; j <= order.length; j++) {
    prefix += noisy[order[j - 1]!]!;
    if (j * noisy[order[j - 1]!]! > prefix - total) {
      rho = j;
      chosenPrefix = prefix;
    }
  }
  // x_i = y_i − τ = (ρ·y_i − (S − T)) / ρ for the ρ largest: floor, then the remainders.
  const excess = chosenPrefix - total;
  const remainders: { index: number; remainder: number }[] = [];
  let assigned = 0;
  for (let j = 0; j < rho; j++) {
    const i = order[j]!;
    const numerator = rho * noisy[i]! - excess;
    const remainder = numerator % rho;
    out[i] = (numerator - remainder) / rho;
    assigned += out[i]!;
    remainders.push({ index: j, remainder });
  }
  remainders.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let u = 0; u < total - assigned; u++) out[order[remainders[u]!.index]!]! += 1;
  return out;
}
