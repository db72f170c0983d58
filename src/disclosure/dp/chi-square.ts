/**
 * Pearson's chi-square goodness-of-fit test against a discrete distribution, used to check the
 * noise samplers statistically (and available to an operator's self-check). Floating point is
 * fine here: this judges samples, it draws none.
 *
 * @module
 */

/** ln Γ(z) for z > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-14). */
export function lnGamma(z: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  const x = z - 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - front * sum;
  }
  // Continued fraction (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return front * h;
}

export interface ChiSquareResult {
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  readonly bins: number;
}

/**
 * Tests integer samples against a probability mass function on the integers: one bin per value
 * whose expected count is at least `minExpected`, the two tails (below and above those values)
 * pooled into one bin each. Degrees of freedom = bins − 1 (no parameter is estimated).
 */
export function chiSquareTest(samples: readonly number[], pmf: (z: number) => number, minExpected = 5): ChiSquareResult {
  const n = samples.length;
  let lo = 0;
  let hi = 0;
  while (n * pmf(lo - 1) >= minExpected) lo--;
  while (n * pmf(hi + 1) >= minExpected) hi++;
  const width = hi - lo + 1;
  const observed = new Array<number>(width + 2).fill(0);
  for (const z of samples) observed[z < lo ? 0 : z > hi ? width + 1 : z - lo + 1]! += 1;
  const expected = new Array<number>(width + 2).fill(0);
  let inner = 0;
  for (let z = lo; z <= hi; z++) {
    expected[z - lo + 1] = n * pmf(z);
    inner += pmf(z);
  }
  // Split the remaining mass between the tails in proportion to their first terms' geometric sums.
  let below = 0;
  let above = 0;
  for (let z = lo - 1; pmf(z) > 0 && z > lo - 100_000; z--) below += pmf(z);
  for (let z = hi + 1; pmf(z) > 0 && z < hi + 100_000; z++) above += pmf(z);
  const scale = (1 - inner) / (below + above || 1);
  expected[0] = n * below * scale;
  expected[width + 1] = n * above * scale;
  let statistic = 0;
  let bins = 0;
  for (let i = 0; i < expected.length; i++) {
    if (expected[i]! <= 0) continue;
    statistic += (observed[i]! - expected[i]!) ** 2 / expected[i]!;
    bins++;
  }
  const degreesOfFreedom = bins - 1;
  return { statistic, degreesOfFreedom, pValue: gammaQ(degreesOfFreedom / 2, statistic / 2), bins };
}
