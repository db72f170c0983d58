/**
 * Tables of records and their integer encoding for the anonymizer.
 *
 * Records are encoded once: each quasi-identifier value becomes its leaf index in the
 * attribute's hierarchy, and identical records (same leaves, same sensitive value) are merged
 * into one tuple with a count. Every lattice node is then evaluated on the distinct tuples only.
 *
 * @module
 */
import type { Hierarchy } from './hierarchy.ts';

/** Rows of string values under a header. */
export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A value that the table cannot use; names the attribute and row, never the value. */
export class TableError extends Error {
  override readonly name = 'TableError';
}

/**
 * Parses a CSV as ARX reads its example data: first line the header, fields separated by `;`
 * (or `separator`), LF or CRLF line ends, no quoting; blank lines are ignored.
 * @throws TableError if a row has a different number of fields than the header.
 */
export function parseTableCsv(text: string, separator = ';'): Table {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines.length === 0) throw new TableError('table has no header');
  const header = lines[0]!.split(separator);
  const rows = lines.slice(1).map((line, i) => {
    const row = line.split(separator);
    if (row.length !== header.length) throw new TableError(`row ${i + 1} has ${row.length} fields, expected ${header.length}`);
    return row;
  });
  return { header, rows };
}

/** A table encoded for the anonymizer. */
export interface EncodedTable {
  /** Number of records. */
  readonly n: number;
  /** The quasi-identifiers' hierarchies, in the order given. */
  readonly hierarchies: readonly Hierarchy[];
  /** leaves[a][t]: the leaf index of tuple t for quasi-identifier a. */
  readonly leaves: readonly Int32Array[];
  /** counts[t]: how many records tuple t stands for. */
  readonly counts: Int32Array;
  /** sensitive[t]: the code of tuple t's sensitive value (all 0 when there is none). */
  readonly sensitive: Int32Array;
  /** The sensitive attribute's distinct values, by code (empty when there is none). */
  readonly sensitiveValues: readonly string[];
  /** tupleOf[r]: the tuple of record r (row order). */
  readonly tupleOf: Int32Array;
}

function columnOf(table: Table, attribute: string): number {
  const i = table.header.indexOf(attribute);
  if (i < 0) throw new TableError(`table has no column ${attribute}`);
  return i;
}

/**
 * Encodes a table's quasi-identifiers (one hierarchy each, named by its attribute) and an
 * optional sensitive attribute.
 * @throws TableError if a column is missing or a value is not a leaf of its hierarchy.
 */
export function encodeTable(table: Table, hierarchies: readonly Hierarchy[], sensitiveAttribute?: string): EncodedTable {
  const columns = hierarchies.map((h) => columnOf(table, h.attribute));
  const sensitiveColumn = sensitiveAttribute === undefined ? -1 : columnOf(table, sensitiveAttribute);
  const sensitiveIds = new Map<string, number>();
  const tupleIds = new Map<string, number>();
  const tupleOf = new Int32Array(table.rows.length);
  const leafRows: number[][] = [];
  const counts: number[] = [];
  const sensitive: number[] = [];
  for (const [r, row] of table.rows.entries()) {
    const leaves = hierarchies.map((h, a) => {
      const leaf = h.leafIndex.get(row[columns[a]!]!);
      if (leaf === undefined) throw new TableError(`row ${r + 1}: the value of ${h.attribute} is not in its hierarchy`);
      return leaf;
    });
    let s = 0;
    if (sensitiveColumn >= 0) {
      const value = row[sensitiveColumn]!;
      s = sensitiveIds.get(value) ?? sensitiveIds.size;
      if (s === sensitiveIds.size) sensitiveIds.set(value, s);
    }
    const key = `${leaves.join(',')}|${s}`;
    let t = tupleIds.get(key);
    if (t === undefined) {
      t = tupleIds.size;
      tupleIds.set(key, t);
      leafRows.push(leaves);
      counts.push(0);
      sensitive.push(s);
    }
    counts[t]! += 1;
    tupleOf[r] = t;
  }
  return {
    n: table.rows.length,
    hierarchies,
    leaves: hierarchies.map((_, a) => Int32Array.from(leafRows, (leaves) => leaves[a]!)),
    counts: Int32Array.from(counts),
    sensitive: Int32Array.from(sensitive),
    sensitiveValues: [...sensitiveIds.keys()],
    tupleOf,
  };
}
