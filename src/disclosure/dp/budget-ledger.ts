/**
 * The privacy-budget ledger: every differentially private release is charged its epsilon, and a
 * release that would take a period over its cap is refused.
 *
 * Accounting. Releases computed from the same people compose: their epsilons add up. Daily
 * counts put each case in one day (its report date), so releases about disjoint days touch
 * disjoint people (parallel composition). The ledger therefore charges a release's epsilon to
 * every period (day, ISO week, month or year, per policy) that the release's data dates fall
 * in, and the cap bounds the total epsilon spent on any one period's cases — the privacy loss of
 * any one case. (A calendar period of *publication* would be wrong: a case's loss does not reset
 * when the month of publishing changes.)
 *
 * This module is pure: it computes charges from the charges so far. Storage implements
 * {@link BudgetLedgerStore}, whose `append` must be atomic and check that no charge was added
 * since `load` (optimistic concurrency), so that two releases cannot both pass the same cap.
 * Amounts are exact fractions: 0.1 + 0.2 is 3/10, never 0.30000000000000004.
 *
 * @module
 */
import { isoWeek } from '../kanon/builders.ts';
import { add, compare, formatRational, parseRational, rational, subtract } from '../rational.ts';
import type { Rational } from '../rational.ts';

export type BudgetPeriod = 'day' | 'week' | 'month' | 'year';

/** The cap on epsilon per period of data for one data set (e.g. daily cases by district). */
export interface BudgetPolicy {
  readonly dataset: string;
  readonly cap: Rational;
  readonly period: BudgetPeriod;
}

/** One release's charge to one period (the stored form: plain strings). */
export interface BudgetCharge {
  readonly releaseId: string;
  readonly dataset: string;
  /** The period key: `2026-12-01`, `2026-W49`, `2026-12` or `2026`. */
  readonly period: string;
  /** The epsilon charged, as an exact fraction (`'1/10'`). */
  readonly epsilon: string;
  /** When the charge was made (ISO date-time). */
  readonly chargedAt: string;
}

export interface ChargeRequest {
  readonly releaseId: string;
  readonly epsilon: Rational | string | number;
  /** The dates the released data cover (ISO dates). */
  readonly dataDates: readonly string[];
  readonly at: string;
}

/** A release refused because a period would go over its cap. Carries figures, never data. */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  readonly code = 'budget_exceeded';
  constructor(readonly dataset: string, readonly period: string, readonly spent: string, readonly requested: string, readonly cap: string) {
    super(`privacy budget exceeded for ${dataset}, period ${period}: spent ${spent} + requested ${requested} > cap ${cap}`);
  }
}

/** The same release id charged again with a different epsilon or different periods. */
export class BudgetConflictError extends Error {
  override readonly name = 'BudgetConflictError';
  readonly code = 'budget_conflict';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period a data date falls in. */
export function periodKey(date: string, period: BudgetPeriod): string {
  if (!ISO_DATE.test(date)) throw new RangeError('data dates must be ISO dates (YYYY-MM-DD)');
  switch (period) {
    case 'day': return date;
    case 'week': return isoWeek(date);
    case 'month': return date.slice(0, 7);
    case 'year': return date.slice(0, 4);
  }
}

/** Epsilon spent so far on one period of a data set. */
export function spent(charges: readonly BudgetCharge[], dataset: string, period: string): Rational {
  return charges.filter((c) => c.dataset === dataset && c.period === period).reduce((s, c) => add(s, parseRational(c.epsilon)), rational(0));
}

/** What is left of the cap for one period. */
export function remaining(policy: BudgetPolicy, charges: readonly BudgetCharge[], period: string): Rational {
  return subtract(policy.cap, spent(charges, policy.dataset, period)) ?? rational(0);
}

/**
 * The charges a release adds (one per period its data touch), or the existing ones if this
 * release id was already charged identically (a re-run charges nothing twice).
 * @throws BudgetExceededError if any period would go over the cap; BudgetConflictError if the
 *   release id was charged differently; RangeError on a non-positive epsilon or bad dates.
 */
export function planCharge(policy: BudgetPolicy, charges: readonly BudgetCharge[], request: ChargeRequest): BudgetCharge[] {
  const epsilon = typeof request.epsilon === 'object' ? rational(request.epsilon.num, request.epsilon.den) : parseRational(request.epsilon);
  if (epsilon.num === 0n) throw new RangeError('epsilon must be positive');
  if (request.dataDates.length === 0) throw new RangeError('a release must cover at least one data date');
  const periods = [...new Set(request.dataDates.map((d) => periodKey(d, policy.period)))].sort();
  const planned = periods.map((period) => ({ releaseId: request.releaseId, dataset: policy.dataset, period, epsilon: formatRational(epsilon), chargedAt: request.at }));
  const previous = charges.filter((c) => c.releaseId === request.releaseId && c.dataset === policy.dataset);
  if (previous.length > 0) {
    const same = previous.length === planned.length && previous.every((c) => c.epsilon === planned[0]!.epsilon && periods.includes(c.period));
    if (!same) throw new BudgetConflictError(`release ${request.releaseId} was already charged with a different epsilon or periods`);
    return previous;
  }
  for (const period of periods) {
    const used = spent(charges, policy.dataset, period);
    if (compare(add(used, epsilon), policy.cap) > 0) {
      throw new BudgetExceededError(policy.dataset, period, formatRational(used), formatRational(epsilon), formatRational(policy.cap));
    }
  }
  return planned;
}

/** Persistence for the ledger (implemented by the storage layer). */
export interface BudgetLedgerStore {
  /** Every charge of a data set. */
  load(dataset: string): Promise<readonly BudgetCharge[]>;
  /**
   * Appends charges atomically if the data set still has exactly `expectedCount` charges;
   * returns false (appending nothing) if another charge came first.
   */
  append(dataset: string, charges: readonly BudgetCharge[], expectedCount: number): Promise<boolean>;
}

/**
 * Charges a release through a store: load, plan, append if nothing changed meanwhile (retrying
 * a few times on a concurrent charge). Returns the release's charges.
 */
export async function chargeBudget(store: BudgetLedgerStore, policy: BudgetPolicy, request: ChargeRequest, attempts = 3): Promise<BudgetCharge[]> {
  for (let i = 0; i < attempts; i++) {
    const charges = await store.load(policy.dataset);
    const planned = planCharge(policy, charges, request);
    if (planned.every((c) => charges.includes(c))) return planned;
    if (await store.append(policy.dataset, planned, charges.length)) return planned;
  }
  throw new BudgetConflictError('the budget ledger kept changing; try again');
}
