/**
 * Applying a lattice node to a table: every quasi-identifier value replaced by its label at the
 * node's level, and the records of classes that fail k (or distinct l) removed, as a release
 * would publish them.
 *
 * @module
 */
import { ClassGrouper, tupleGroups } from './classes.ts';
import type { Hierarchy } from './hierarchy.ts';
import { TableError } from './table.ts';
import type { EncodedTable, Table } from './table.ts';

export interface AppliedTable {
  /** The table's rows that are kept, with quasi-identifiers generalized (all columns, same order). */
  readonly rows: readonly (readonly string[])[];
  /** Row numbers (0-based, input order) of the kept and of the suppressed records. */
  readonly kept: readonly number[];
  readonly suppressed: readonly number[];
}

/**
 * Generalizes and suppresses `table` (which `encoded` encodes) at `levels`.
 * Records in classes smaller than k, or with fewer than l distinct sensitive values, are removed.
 */
export function applyNode(table: Table, encoded: EncodedTable, levels: readonly number[], criteria: { k: number; l?: number }): AppliedTable {
  const grouper = new ClassGrouper(encoded);
  const l = criteria.l ?? 1;
  const { classes } = grouper.group(levels, tupleGroups(encoded), l > 1);
  const columns = encoded.hierarchies.map((h) => table.header.indexOf(h.attribute));
  const rows: string[][] = [];
  const kept: number[] = [];
  const suppressed: number[] = [];
  table.rows.forEach((row, r) => {
    const t = encoded.tupleOf[r]!;
    const c = classes.classOf[t]!;
    if (classes.size[c]! < criteria.k || (l > 1 && classes.distinct[c]! < l)) {
      suppressed.push(r);
      return;
    }
    const out = [...row];
    encoded.hierarchies.forEach((h, a) => {
      out[columns[a]!] = h.labels[levels[a]!]![h.codes[levels[a]!]![encoded.leaves[a]![t]!]!]!;
    });
    rows.push(out);
    kept.push(r);
  });
  return { rows, kept, suppressed };
}

/**
 * The quasi-identifier tuples of raw rows generalized at `levels` (one hierarchy per column of
 * `rows`, in order): for matching a population register against a release.
 * @throws TableError if a value is not a leaf of its hierarchy.
 */
export function generalizeRows(rows: readonly (readonly string[])[], hierarchies: readonly Hierarchy[], levels: readonly number[]): string[][] {
  return rows.map((row, r) => hierarchies.map((h, a) => {
    const leaf = h.leafIndex.get(row[a]!);
    if (leaf === undefined) throw new TableError(`row ${r + 1}: the value of ${h.attribute} is not in its hierarchy`);
    return h.labels[levels[a]!]![h.codes[levels[a]!]![leaf]!]!;
  }));
}
