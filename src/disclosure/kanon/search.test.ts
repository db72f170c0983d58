import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyNode } from './apply.ts';
import { hierarchyFromRows } from './hierarchy.ts';
import type { Hierarchy } from './hierarchy.ts';
import { assessRisk } from './risk.ts';
import { AnonymizeError, anonymize } from './search.ts';
import { encodeTable } from './table.ts';
import type { Table } from './table.ts';

const age = hierarchyFromRows('age', [['21', '21-22', '*'], ['22', '21-22', '*'], ['23', '23-24', '*'], ['24', '23-24', '*']]);
const sex = hierarchyFromRows('sex', [['M', '*'], ['F', '*']]);
const tableOf = (rows: string[][]): Table => ({ header: ['age', 'sex', 'outcome'], rows });

describe('optimal full-domain generalization (hand-checked)', () => {
  it('without suppression: generalizes age to bands, keeps sex', () => {
    // [1,0]: (21-22,M)×2, (23-24,F)×2; age shares 2/4 → (4·½ − 1)/(4 − 1) = 1/3; sex 0; √(4/3) − 1.
    const enc = encodeTable(tableOf([['21', 'M', 'a'], ['22', 'M', 'a'], ['23', 'F', 'b'], ['24', 'F', 'a']]), [age, sex]);
    const { optimum, latticeSize } = anonymize(enc, { k: 2, suppressionLimit: 0 });
    assert.equal(latticeSize, 6);
    assert.deepEqual(optimum?.levels, [1, 0]);
    assert.equal(optimum.suppressed, 0);
    assert.ok(Math.abs(optimum.loss - (Math.sqrt(4 / 3) - 1)) < 1e-12);
    assert.deepEqual(optimum.lossByAttribute.map((x) => +x.toFixed(12)), [+(1 / 3).toFixed(12), 0]);
    assert.equal(optimum.dm, 8);
  });

  it('with a suppression limit: suppresses the outlier instead of generalizing', () => {
    const rows = [['21', 'M', 'a'], ['21', 'M', 'a'], ['23', 'F', 'b'], ['23', 'F', 'a'], ['24', 'M', 'a']];
    const enc = encodeTable(tableOf(rows), [age, sex]);
    // 20 % of 5 = 1 record: [0,0] suppresses (24,M); age (4·¼ + 1 − 5/4)/(5 − 5/4) = 0.2, sex (4·½ + 1 − 5/2)/(5 − 5/2) = 0.2.
    const a = anonymize(enc, { k: 2, suppressionLimit: 0.2 });
    assert.deepEqual(a.optimum?.levels, [0, 0]);
    assert.equal(a.optimum.suppressed, 1);
    assert.ok(Math.abs(a.optimum.loss - 0.2) < 1e-12);
    assert.equal(a.optimum.dm, 4 + 4 + 1 * 5);
    // No suppression allowed: [2,0] (age to *, loss 1; sex 0) beats [1,1] (1/3 and 1).
    const b = anonymize(enc, { k: 2, suppressionLimit: 0 });
    assert.deepEqual(b.optimum?.levels, [2, 0]);
    assert.ok(Math.abs(b.optimum.loss - (Math.SQRT2 - 1)) < 1e-12);
    assert.equal(b.optimum.dm, 9 + 4);
    // Distinct 2-diversity of the outcome: the (23,F) pair has a and b, (21,M) only a.
    const enc2 = encodeTable(tableOf(rows), [age, sex], 'outcome');
    const c = anonymize(enc2, { k: 2, l: 2, suppressionLimit: 0 });
    assert.deepEqual(c.optimum?.levels, [2, 1]);
    assert.equal(anonymize(enc2, { k: 2, l: 3, suppressionLimit: 0 }).optimum, undefined);
  });

  it('respects the finest levels the standard allows and validates its options', () => {
    const enc = encodeTable(tableOf([['21', 'M', 'a'], ['22', 'M', 'a'], ['23', 'F', 'b'], ['24', 'F', 'a']]), [age, sex]);
    assert.deepEqual(anonymize(enc, { k: 2, suppressionLimit: 0, minLevels: [0, 1] }).optimum?.levels, [1, 1]);
    assert.throws(() => anonymize(enc, { k: 0, suppressionLimit: 0 }), AnonymizeError);
    assert.throws(() => anonymize(enc, { k: 2, suppressionLimit: 1.5 }), AnonymizeError);
    assert.throws(() => anonymize(enc, { k: 2, suppressionLimit: 0, minLevels: [3, 0] }), AnonymizeError);
    assert.throws(() => anonymize(enc, { k: 2, l: 2, suppressionLimit: 0 }), /sensitive/);
    assert.equal(anonymize(enc, { k: 5, suppressionLimit: 0 }).optimum, undefined);
  });
});

// ---- Brute force on small random instances -------------------------------------------------

/** A random tree hierarchy: each label of a level gets a parent among ⌈m/2⌉ labels of the next. */
function randomHierarchy(attribute: string, leafCount: number, seeds: readonly (readonly number[])[]): Hierarchy {
  const rows = Array.from({ length: leafCount }, (_, i) => [`${attribute}${i}`]);
  let labels = rows.map((r) => r[0]!);
  seeds.forEach((levelSeeds, li) => {
    const distinct = [...new Set(labels)];
    const m = Math.max(1, Math.ceil(distinct.length / 2));
    const parent = new Map(distinct.map((label, j) => [label, `${attribute}L${li + 1}g${levelSeeds[j % levelSeeds.length]! % m}`]));
    labels = labels.map((label) => parent.get(label)!);
    rows.forEach((row, i) => row.push(labels[i]!));
  });
  return hierarchyFromRows(attribute, rows);
}

/** The definition, evaluated naively on strings for every node (the reference). */
function bruteForce(table: Table, hierarchies: readonly Hierarchy[], k: number, l: number, limit: number) {
  const n = table.rows.length;
  const results: { levels: number[]; loss: number; suppressed: number; feasible: boolean }[] = [];
  const visit = (prefix: number[]) => {
    if (prefix.length < hierarchies.length) {
      for (let v = 0; v < hierarchies[prefix.length]!.height; v++) visit([...prefix, v]);
      return;
    }
    const gen = table.rows.map((row) => hierarchies.map((h, a) => h.labels[prefix[a]!]![h.codes[prefix[a]!]![h.leafIndex.get(row[a]!)!]!]!));
    const size = new Map<string, number>();
    const values = new Map<string, Set<string>>();
    gen.forEach((g, r) => {
      const key = g.join('|');
      size.set(key, (size.get(key) ?? 0) + 1);
      values.set(key, (values.get(key) ?? new Set()).add(table.rows[r]![hierarchies.length]!));
    });
    const out = gen.map((g) => size.get(g.join('|'))! < k || values.get(g.join('|'))!.size < l);
    const suppressed = out.filter(Boolean).length;
    const losses = hierarchies.map((h, a) => {
      const d = h.leaves.length;
      if (d === 1) return 0;
      const covered = (label: string) => h.leaves.filter((_, leaf) => h.labels[prefix[a]!]![h.codes[prefix[a]!]![leaf]!] === label).length;
      const sum = gen.reduce((s, g, r) => s + (out[r] ? 1 : covered(g[a]!) / d), 0);
      return (sum - n / d) / (n - n / d);
    });
    const loss = losses.reduce((p, x) => p * Math.pow(x + 1, 1 / losses.length), 1) - 1;
    results.push({ levels: prefix, loss, suppressed, feasible: suppressed <= Math.floor(limit * n) });
  };
  visit([]);
  return results;
}

const instance = fc.record({
  attributes: fc.array(fc.record({ leaves: fc.integer({ min: 1, max: 5 }), seeds: fc.array(fc.array(fc.nat(7), { minLength: 1, maxLength: 5 }), { maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
  records: fc.array(fc.tuple(fc.array(fc.nat(9), { minLength: 3, maxLength: 3 }), fc.nat(2)), { minLength: 1, maxLength: 40 }),
  k: fc.integer({ min: 1, max: 4 }),
  l: fc.integer({ min: 1, max: 2 }),
  limit: fc.constantFrom(0, 0.1, 0.25, 0.5, 1),
});

interface Instance { attributes: { leaves: number; seeds: number[][] }[]; records: [number[], number][] }

function build(x: Instance) {
  const hierarchies = x.attributes.map((a, i) => randomHierarchy(`q${i}`, a.leaves, a.seeds));
  const table: Table = {
    header: [...hierarchies.map((h) => h.attribute), 'sensitive'],
    rows: x.records.map(([values, s]) => [...hierarchies.map((h, a) => h.leaves[values[a]! % h.leaves.length]!), `s${s}`]),
  };
  return { hierarchies, table };
}

describe('optimal full-domain generalization (properties against brute force)', () => {
  it('finds a feasible node of least Loss, exactly when one exists', () => {
    fc.assert(fc.property(instance, (x) => {
      const { hierarchies, table } = build(x);
      const reference = bruteForce(table, hierarchies, x.k, x.l, x.limit).filter((r) => r.feasible);
      const { optimum, maxSuppressed } = anonymize(encodeTable(table, hierarchies, 'sensitive'), { k: x.k, l: x.l, suppressionLimit: x.limit });
      if (reference.length === 0) return optimum === undefined;
      assert.ok(optimum !== undefined);
      const min = Math.min(...reference.map((r) => r.loss));
      assert.ok(Math.abs(optimum.loss - min) < 1e-9, `loss ${optimum.loss} vs brute force ${min}`);
      assert.ok(reference.some((r) => r.levels.join() === optimum.levels.join()));
      assert.ok(optimum.suppressed <= maxSuppressed && maxSuppressed === Math.floor(x.limit * table.rows.length));
      return true;
    }), { numRuns: 300 });
  });

  it('the released table is k-anonymous and l-diverse, and suppresses what the optimum says', () => {
    fc.assert(fc.property(instance, (x) => {
      const { hierarchies, table } = build(x);
      const enc = encodeTable(table, hierarchies, 'sensitive');
      const { optimum } = anonymize(enc, { k: x.k, l: x.l, suppressionLimit: x.limit });
      if (optimum === undefined) return true;
      const applied = applyNode(table, enc, optimum.levels, { k: x.k, l: x.l });
      assert.equal(applied.suppressed.length, optimum.suppressed);
      assert.equal(applied.rows.length + applied.suppressed.length, table.rows.length);
      if (applied.rows.length === 0) return true;
      const q = hierarchies.length;
      const risk = assessRisk(applied.rows.map((r) => r.slice(0, q)), { sensitive: applied.rows.map((r) => r[q]!) });
      assert.ok(risk.k >= x.k && risk.l! >= x.l);
      assert.equal(risk.k, optimum.minClassSize);
      assert.equal(risk.classes, optimum.classes);
      return true;
    }), { numRuns: 200 });
  });

  it('branch and bound returns the same node as exhaustive evaluation', () => {
    fc.assert(fc.property(instance, (x) => {
      const { hierarchies, table } = build(x);
      const enc = encodeTable(table, hierarchies, 'sensitive');
      const fast = anonymize(enc, { k: x.k, l: x.l, suppressionLimit: x.limit });
      const full = anonymize(enc, { k: x.k, l: x.l, suppressionLimit: x.limit, exhaustive: true });
      assert.equal(full.nodesEvaluated, full.latticeSize);
      assert.deepEqual(fast.optimum?.levels, full.optimum?.levels);
      return true;
    }), { numRuns: 200 });
  });
});
