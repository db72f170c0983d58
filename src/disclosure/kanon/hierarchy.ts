/**
 * Generalization hierarchies for full-domain generalization.
 *
 * A hierarchy lists every leaf value of an attribute's domain with its generalized label at each
 * level: level 0 is the value itself, the last level is usually `*`. It is the table ARX reads
 * from its `<data>_hierarchy_<attribute>.csv` files (one row per leaf, `value;level1;…;*`).
 * Generalization must be a tree: a label at one level determines the label at the next level,
 * so that generalizing further only ever merges groups.
 *
 * @module
 */

/** An attribute's generalization hierarchy, validated and indexed. */
export interface Hierarchy {
  readonly attribute: string;
  /** Number of levels, leaves included (level 0 .. height − 1). */
  readonly height: number;
  /** The leaf values in file order; |D| = leaves.length. */
  readonly leaves: readonly string[];
  readonly leafIndex: ReadonlyMap<string, number>;
  /** labels[level][code]: the distinct labels of a level, numbered by first appearance. */
  readonly labels: readonly (readonly string[])[];
  /** codes[level][leaf]: the code of a leaf's label at that level. */
  readonly codes: readonly Int32Array[];
  /** covered[level][code]: how many leaves the label covers (its domain share times |D|). */
  readonly covered: readonly Int32Array[];
  /** up[level][code]: the code at level + 1 of a label at `level` (last level: itself). */
  readonly up: readonly Int32Array[];
}

/** A hierarchy that cannot be used, with the reason (never a data value). */
export class HierarchyError extends Error {
  override readonly name = 'HierarchyError';
}

/**
 * Builds a hierarchy from its rows (leaf first, then one label per level).
 * @throws HierarchyError if rows are missing, of unequal length, repeat a leaf, or do not form a tree.
 */
export function hierarchyFromRows(attribute: string, rows: readonly (readonly string[])[]): Hierarchy {
  if (rows.length === 0) throw new HierarchyError(`hierarchy for ${attribute} has no rows`);
  const height = rows[0]!.length;
  if (height < 1) throw new HierarchyError(`hierarchy for ${attribute} has no levels`);
  const leaves: string[] = [];
  const leafIndex = new Map<string, number>();
  for (const [i, row] of rows.entries()) {
    if (row.length !== height) throw new HierarchyError(`hierarchy for ${attribute}: row ${i + 1} has ${row.length} levels, expected ${height}`);
    if (leafIndex.has(row[0]!)) throw new HierarchyError(`hierarchy for ${attribute}: row ${i + 1} repeats a leaf value`);
    leafIndex.set(row[0]!, i);
    leaves.push(row[0]!);
  }
  const labels: string[][] = [];
  const codes: Int32Array[] = [];
  const covered: Int32Array[] = [];
  for (let level = 0; level < height; level++) {
    const ids = new Map<string, number>();
    const levelCodes = new Int32Array(rows.length);
    const counts: number[] = [];
    for (const [i, row] of rows.entries()) {
      const label = row[level]!;
      let id = ids.get(label);
      if (id === undefined) {
        id = ids.size;
        ids.set(label, id);
        counts.push(0);
      }
      levelCodes[i] = id;
      counts[id]! += 1;
    }
    labels.push([...ids.keys()]);
    codes.push(levelCodes);
    covered.push(Int32Array.from(counts));
  }
  const up = linkLevels(attribute, rows.length, codes, labels);
  return { attribute, height, leaves, leafIndex, labels, codes, covered, up };
}

/** The code map from each level to the next; fails if a label has two parents. */
function linkLevels(attribute: string, leafCount: number, codes: readonly Int32Array[], labels: readonly string[][]): Int32Array[] {
  const up: Int32Array[] = [];
  for (let level = 0; level < codes.length; level++) {
    const map = new Int32Array(labels[level]!.length).fill(-1);
    if (level === codes.length - 1) {
      for (let c = 0; c < map.length; c++) map[c] = c;
    } else {
      for (let leaf = 0; leaf < leafCount; leaf++) {
        const from = codes[level]![leaf]!;
        const to = codes[level + 1]![leaf]!;
        if (map[from] === -1) map[from] = to;
        else if (map[from] !== to) {
          throw new HierarchyError(`hierarchy for ${attribute} is not a tree: a label at level ${level} has two different parents at level ${level + 1}`);
        }
      }
    }
    up.push(map);
  }
  return up;
}

/**
 * Parses a hierarchy file as ARX writes it: one row per leaf, fields separated by `;`
 * (or `separator`), LF or CRLF line ends, no header; blank lines are ignored.
 */
export function parseHierarchyCsv(attribute: string, text: string, separator = ';'): Hierarchy {
  const rows = text.split(/\r?\n/).filter((line) => line.length > 0).map((line) => line.split(separator));
  return hierarchyFromRows(attribute, rows);
}

/**
 * Builds a hierarchy from the leaves of a domain and one labelling function per level above 0
 * (for our own data: age bands, district → city, date → week). The functions must form a tree.
 */
export function hierarchyFromFunctions(attribute: string, leaves: readonly string[], levels: readonly ((leaf: string) => string)[]): Hierarchy {
  return hierarchyFromRows(attribute, leaves.map((leaf) => [leaf, ...levels.map((f) => f(leaf))]));
}

/** The label of a leaf (by index) at a level. */
export function labelAt(h: Hierarchy, leaf: number, level: number): string {
  return h.labels[level]![h.codes[level]![leaf]!]!;
}
