import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRational } from '../rational.ts';
import { BudgetConflictError, BudgetExceededError, chargeBudget, periodKey, planCharge, remaining, spent } from './budget-ledger.ts';
import type { BudgetCharge, BudgetLedgerStore, BudgetPolicy } from './budget-ledger.ts';

const policy: BudgetPolicy = { dataset: 'daily-cases-by-district', cap: parseRational('1'), period: 'month' };
const at = '2026-12-02T08:00:00Z';

/** An in-memory store with the optimistic check a database implementation must make. */
function memoryStore(): BudgetLedgerStore & { rows: BudgetCharge[] } {
  const rows: BudgetCharge[] = [];
  return {
    rows,
    load: async (dataset) => rows.filter((c) => c.dataset === dataset),
    append: async (dataset, charges, expected) => {
      if (rows.filter((c) => c.dataset === dataset).length !== expected) return false;
      rows.push(...charges);
      return true;
    },
  };
}

describe('privacy-budget ledger', () => {
  it('charges each period a release covers, exactly (0.1 + 0.2 + 0.7 = 1)', () => {
    let charges: BudgetCharge[] = [];
    for (const [i, eps] of ['0.1', '0.2', '0.7'].entries()) {
      charges = [...charges, ...planCharge(policy, charges, { releaseId: `r${i}`, epsilon: eps, dataDates: ['2026-11-30', '2026-12-01'], at })];
    }
    assert.equal(charges.length, 6);
    assert.deepEqual(spent(charges, policy.dataset, '2026-12'), parseRational('1'));
    assert.deepEqual(remaining(policy, charges, '2026-11'), parseRational('0'));
    assert.deepEqual(remaining(policy, charges, '2027-01'), parseRational('1'));
  });

  it('refuses a release over the cap with a clear error, and charges nothing', () => {
    const charges = planCharge(policy, [], { releaseId: 'a', epsilon: '0.75', dataDates: ['2026-12-01'], at });
    assert.throws(() => planCharge(policy, charges, { releaseId: 'b', epsilon: '0.3', dataDates: ['2026-12-05'], at }), (e: unknown) => {
      assert.ok(e instanceof BudgetExceededError);
      assert.equal(e.code, 'budget_exceeded');
      assert.equal(e.period, '2026-12');
      assert.match(e.message, /spent 3\/4 \+ requested 3\/10 > cap 1/);
      return true;
    });
    // A release about another month is a different period: allowed.
    assert.equal(planCharge(policy, charges, { releaseId: 'b', epsilon: '0.3', dataDates: ['2027-01-05'], at }).length, 1);
  });

  it('a re-run of the same release charges nothing twice; a changed one is a conflict', () => {
    const charges = planCharge(policy, [], { releaseId: 'a', epsilon: '0.5', dataDates: ['2026-12-01'], at });
    assert.deepEqual(planCharge(policy, charges, { releaseId: 'a', epsilon: '1/2', dataDates: ['2026-12-09'], at }), charges); // same period, same epsilon
    assert.deepEqual(planCharge(policy, charges, { releaseId: 'a', epsilon: '0.5', dataDates: ['2026-12-01'], at }), charges);
    assert.throws(() => planCharge(policy, charges, { releaseId: 'a', epsilon: '0.6', dataDates: ['2026-12-01'], at }), BudgetConflictError);
    assert.throws(() => planCharge(policy, [], { releaseId: 'x', epsilon: '0', dataDates: ['2026-12-01'], at }), RangeError);
    assert.throws(() => planCharge(policy, [], { releaseId: 'x', epsilon: '0.1', dataDates: [], at }), RangeError);
  });

  it('period keys: day, ISO week, month, year', () => {
    assert.equal(periodKey('2026-12-31', 'day'), '2026-12-31');
    assert.equal(periodKey('2026-12-31', 'week'), '2026-W53');
    assert.equal(periodKey('2026-12-31', 'month'), '2026-12');
    assert.equal(periodKey('2026-12-31', 'year'), '2026');
    assert.throws(() => periodKey('31/12/2026', 'day'), RangeError);
  });

  it('never lets the charges of a period exceed its cap, whatever the sequence (property)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3 })), { maxLength: 40 }), (requests) => {
      let charges: BudgetCharge[] = [];
      let accepted = 0;
      requests.forEach(([tenths, day], i) => {
        try {
          charges = [...charges, ...planCharge(policy, charges, { releaseId: `r${i}`, epsilon: `${tenths}/100`, dataDates: [`2026-12-0${day}`], at })];
          accepted += tenths;
        } catch (e) {
          assert.ok(e instanceof BudgetExceededError);
          assert.ok(accepted + tenths > 100);
        }
      });
      assert.equal(spent(charges, policy.dataset, '2026-12').num * 100n, BigInt(accepted) * spent(charges, policy.dataset, '2026-12').den);
      assert.ok(accepted <= 100);
    }), { numRuns: 300 });
  });

  it('through a store: concurrent releases cannot both pass the cap', async () => {
    const store = memoryStore();
    const results = await Promise.allSettled([
      chargeBudget(store, policy, { releaseId: 'a', epsilon: '0.6', dataDates: ['2026-12-01'], at }),
      chargeBudget(store, policy, { releaseId: 'b', epsilon: '0.6', dataDates: ['2026-12-02'], at }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.equal(store.rows.length, 1);
    const again = await chargeBudget(store, policy, { releaseId: store.rows[0]!.releaseId, epsilon: '0.6', dataDates: ['2026-12-01', '2026-12-02'], at });
    assert.equal(again.length, 1);
    assert.equal(store.rows.length, 1);
  });
});
