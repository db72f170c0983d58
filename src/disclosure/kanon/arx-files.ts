/**
 * Reading data sets in ARX's file layout: `<name>.csv` (`;`-separated, header first) beside one
 * `<name>_hierarchy_<attribute>.csv` per quasi-identifier. Used for the UCI Adult validation
 * (test/vectors/adult) and for importing hierarchies prepared with ARX.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHierarchyCsv } from './hierarchy.ts';
import type { Hierarchy } from './hierarchy.ts';
import { parseTableCsv } from './table.ts';
import type { Table } from './table.ts';

export interface ArxDataset {
  readonly table: Table;
  readonly hierarchies: readonly Hierarchy[];
}

/** Reads `dir/<name>.csv` and the hierarchies of the given quasi-identifiers, in that order. */
export function readArxDataset(dir: string, name: string, quasiIdentifiers: readonly string[]): ArxDataset {
  const table = parseTableCsv(readFileSync(join(dir, `${name}.csv`), 'utf8'));
  const hierarchies = quasiIdentifiers.map((a) => parseHierarchyCsv(a, readFileSync(join(dir, `${name}_hierarchy_${a}.csv`), 'utf8')));
  return { table, hierarchies };
}
