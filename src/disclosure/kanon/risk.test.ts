import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generalizeRows } from './apply.ts';
import { ageHierarchy } from './builders.ts';
import { hierarchyFromRows } from './hierarchy.ts';
import { assessRisk, countPopulation } from './risk.ts';

const rows = (spec: [string, number][]) => spec.flatMap(([key, n]) => Array.from({ length: n }, () => key.split(',')));

describe('re-identification risk', () => {
  it('prosecutor risk within the extract: 1/smallest class, mean = classes / records', () => {
    const released = rows([['20-29,F', 2], ['20-29,M', 3], ['30-39,F', 5]]);
    const r = assessRisk(released);
    assert.equal(r.records, 10);
    assert.equal(r.classes, 3);
    assert.equal(r.k, 2);
    assert.deepEqual(r.prosecutor, { highest: 0.5, average: 0.3, recordsAtHighestRisk: 2 });
    assert.equal(r.journalist, undefined);
  });

  it('journalist risk against the population: 1/F of the matching population class', () => {
    const released = rows([['20-29,F', 2], ['20-29,M', 3], ['30-39,F', 5]]);
    const population = rows([['20-29,F', 4], ['20-29,M', 3], ['30-39,F', 10], ['40-49,M', 7]]);
    const j = assessRisk(released, { population }).journalist!;
    assert.equal(j.highest, 1 / 3);
    assert.equal(j.recordsAtHighestRisk, 3);
    assert.ok(Math.abs(j.average - (2 / 4 + 3 / 3 + 5 / 10) / 10) < 1e-15);
    assert.equal(j.populationRecords, 24);
    assert.equal(j.unmatchedClasses, 0);
    // A class the register does not hold: counted at risk 1 and reported.
    const k = assessRisk([...released, ['50-59', 'M']], { population }).journalist!;
    assert.equal(k.highest, 1);
    assert.equal(k.unmatchedClasses, 1);
  });

  it('takes the population as a counter (class sizes) with the same result, and not both forms at once', () => {
    const released = rows([['20-29,F', 2], ['20-29,M', 3], ['30-39,F', 5], ['50-59,M', 1]]);
    const population = rows([['20-29,F', 4], ['20-29,M', 3], ['30-39,F', 10], ['40-49,M', 7]]);
    const listed = assessRisk(released, { population });
    assert.deepEqual(assessRisk(released, { populationCounter: countPopulation(population) }), listed);
    const sizes = new Map([['20-29|F', 4], ['20-29|M', 3], ['30-39|F', 10], ['40-49|M', 7]]);
    assert.deepEqual(assessRisk(released, { populationCounter: { records: 24, sizeOf: (row) => sizes.get(row.join('|')) ?? 0 } }), listed);
    assert.throws(() => assessRisk(released, { population, populationCounter: countPopulation(population) }), RangeError);
  });

  it('distinct l-diversity of a sensitive column', () => {
    const released = rows([['a', 3], ['b', 2]]);
    assert.equal(assessRisk(released, { sensitive: ['x', 'y', 'x', 'z', 'z'] }).l, 1);
    assert.equal(assessRisk(released, { sensitive: ['x', 'y', 'x', 'z', 'w'] }).l, 2);
    assert.throws(() => assessRisk(released, { sensitive: ['x'] }), RangeError);
  });

  it('generalizes population rows with the release’s levels', () => {
    const age = ageHierarchy('age', { min: 0, max: 99, widths: [10] });
    const sex = hierarchyFromRows('sex', [['M', '*'], ['F', '*']]);
    assert.deepEqual(generalizeRows([['34', 'F'], ['71', 'M']], [age, sex], [1, 1]), [['30-39', '*'], ['70-79', '*']]);
    assert.throws(() => generalizeRows([['34', 'X']], [age, sex], [1, 0]), (e: Error) => /sex/.test(e.message) && !e.message.includes('X'));
  });
});
