import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ageHierarchy, dateHierarchy, districtHierarchy, isoWeek } from './builders.ts';
import { hierarchyFromRows, HierarchyError, labelAt, parseHierarchyCsv } from './hierarchy.ts';

describe('generalization hierarchies', () => {
  it('parses ARX hierarchy files (CRLF or LF) and counts the leaves each label covers', () => {
    const h = parseHierarchyCsv('workclass', 'Private;Non-Government;*\r\nFederal-gov;Government;*\r\nLocal-gov;Government;*\r\nWithout-pay;Unemployed;*\r\n');
    assert.equal(h.height, 3);
    assert.deepEqual(h.leaves, ['Private', 'Federal-gov', 'Local-gov', 'Without-pay']);
    assert.deepEqual(h.labels[1], ['Non-Government', 'Government', 'Unemployed']);
    assert.deepEqual([...h.covered[1]!], [1, 2, 1]);
    assert.deepEqual([...h.covered[2]!], [4]);
    assert.equal(labelAt(h, 2, 1), 'Government');
    assert.deepEqual([...h.up[0]!], [0, 1, 1, 2]);
  });

  it('rejects rows of unequal length, repeated leaves and labels with two parents, without echoing values', () => {
    assert.throws(() => hierarchyFromRows('a', []), HierarchyError);
    assert.throws(() => hierarchyFromRows('a', [['x', '*'], ['y']]), /row 2 has 1 levels/);
    assert.throws(() => hierarchyFromRows('a', [['secret', '*'], ['secret', '*']]), (e: Error) => e instanceof HierarchyError && !e.message.includes('secret'));
    assert.throws(() => hierarchyFromRows('a', [['x', 'G', '1'], ['y', 'G', '2']]), /not a tree/);
  });

  it('builds nested age bands', () => {
    const h = ageHierarchy('age', { min: 0, max: 99, widths: [5, 10, 20] });
    assert.equal(h.leaves.length, 100);
    const i = h.leafIndex.get('37')!;
    assert.deepEqual([1, 2, 3, 4].map((level) => labelAt(h, i, level)), ['35-39', '30-39', '20-39', '*']);
    assert.equal(h.covered[3]![h.codes[3]![i]!], 20);
    assert.throws(() => ageHierarchy('age', { min: 0, max: 99, widths: [10, 15] }), /divide/);
  });

  it('rolls districts up to city and province', () => {
    const h = districtHierarchy('district', ['110101', '110105', '120101']);
    assert.deepEqual([0, 1, 2, 3].map((level) => labelAt(h, 1, level)), ['110105', '1101', '11', '*']);
    assert.equal(h.labels[1]!.length, 2);
    assert.throws(() => districtHierarchy('district', ['1101']), HierarchyError);
  });

  it('ISO weeks follow ISO 8601 across year ends', () => {
    assert.equal(isoWeek('2021-01-03'), '2020-W53');
    assert.equal(isoWeek('2021-01-04'), '2021-W01');
    assert.equal(isoWeek('2024-12-30'), '2025-W01');
    assert.equal(isoWeek('2026-12-31'), '2026-W53');
    assert.equal(isoWeek('1970-01-01'), '1970-W01');
  });

  it('generalizes dates to week or to month and year', () => {
    const weeks = dateHierarchy('onset', { from: '2026-11-28', to: '2026-12-07', granularity: 'week' });
    assert.equal(weeks.leaves.length, 10);
    assert.deepEqual(weeks.labels[1], ['2026-W48', '2026-W49', '2026-W50']);
    const months = dateHierarchy('onset', { from: '2026-11-28', to: '2026-12-07', granularity: 'month' });
    assert.deepEqual(months.labels[1], ['2026-11', '2026-12']);
    assert.deepEqual(months.labels[2], ['2026']);
    assert.equal(months.height, 4);
  });
});
