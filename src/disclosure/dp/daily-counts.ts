/**
 * Differentially private daily new-case counts by district and for the city.
 *
 * Every (day, district) cell of the released grid gets independent discrete Laplace noise of
 * scale σ = Δ/ε; each day's districts are then post-processed (consistent-counts.ts) into
 * non-negative integers and the city count is their sum. Under add/remove-one-case adjacency a
 * case is counted in exactly one cell (its report date and district), so the whole grid has L1
 * sensitivity Δ = 1 and the release is ε-differentially private; the city figures, being sums of
 * released numbers, cost nothing more. A grid where one person can count more than once (for
 * example re-infections counted again) must pass that multiplicity as `sensitivity`.
 *
 * The grid is every listed day × every listed district — the public domain — whatever the data
 * hold: a district or day left out because it had no case would itself leak that fact.
 *
 * @module
 */
import { divide, formatRational, parseRational, rational } from '../rational.ts';
import type { Rational } from '../rational.ts';
import { consistentCounts } from './consistent-counts.ts';
import { sampleDiscreteLaplace } from './discrete-laplace.ts';
import type { UniformSource } from './discrete-laplace.ts';

export interface DailyCountsInput {
  /** The released days (ISO dates) and districts (codes): the grid, fixed in advance. */
  readonly days: readonly string[];
  readonly districts: readonly string[];
  /** True counts: day → district → new cases (cells not given are 0). */
  readonly counts: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export interface DailyCountsRelease {
  readonly mechanism: 'discrete-laplace';
  /** Epsilon and the noise scale σ = sensitivity / epsilon, as exact fractions (`'1/2'`). */
  readonly epsilon: string;
  readonly sensitivity: number;
  readonly scale: string;
  readonly postProcessing: 'non-negative projection, largest-remainder rounding; city = sum of districts';
  readonly days: readonly { readonly date: string; readonly city: number; readonly districts: Readonly<Record<string, number>> }[];
}

export class DailyCountsError extends Error {
  override readonly name = 'DailyCountsError';
}

function check(input: DailyCountsInput): void {
  if (new Set(input.days).size !== input.days.length || new Set(input.districts).size !== input.districts.length) throw new DailyCountsError('days and districts must not repeat');
  const days = new Set(input.days);
  const districts = new Set(input.districts);
  for (const [day, byDistrict] of input.counts) {
    if (!days.has(day)) throw new DailyCountsError('counts hold a day outside the released days');
    for (const [district, n] of byDistrict) {
      if (!districts.has(district)) throw new DailyCountsError('counts hold a district outside the released districts');
      if (!Number.isSafeInteger(n) || n < 0) throw new DailyCountsError('counts must be non-negative integers');
    }
  }
}

/**
 * Releases the grid with ε-differential privacy. `epsilon` is exact (`'0.5'`, `'1/2'`, or a
 * number read through its decimal form).
 * @throws DailyCountsError on a malformed grid; RangeError on a bad epsilon or sensitivity.
 */
export function releaseDailyCounts(input: DailyCountsInput, params: { epsilon: Rational | string | number; sensitivity?: number }, rng?: UniformSource): DailyCountsRelease {
  check(input);
  const epsilon = typeof params.epsilon === 'object' ? params.epsilon : parseRational(params.epsilon);
  const sensitivity = params.sensitivity ?? 1;
  if (epsilon.num === 0n) throw new RangeError('epsilon must be positive');
  if (!Number.isSafeInteger(sensitivity) || sensitivity < 1) throw new RangeError('sensitivity must be a positive integer');
  const scale = divide(rational(sensitivity), epsilon);
  const days = input.days.map((date) => {
    const byDistrict = input.counts.get(date);
    const noisy = input.districts.map((d) => (byDistrict?.get(d) ?? 0) + sampleDiscreteLaplace(scale, rng));
    const published = consistentCounts(noisy);
    return {
      date,
      city: published.reduce((s, x) => s + x, 0),
      districts: Object.fromEntries(input.districts.map((d, i) => [d, published[i]!])),
    };
  });
  return {
    mechanism: 'discrete-laplace', epsilon: formatRational(epsilon), sensitivity, scale: formatRational(scale),
    postProcessing: 'non-negative projection, largest-remainder rounding; city = sum of districts', days,
  };
}
