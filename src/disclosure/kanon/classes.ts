/**
 * Equivalence classes of an encoded table at one lattice node, rolled up from a finer node.
 *
 * A node's records are summarized as groups (a representative tuple and a record count per
 * class, or per class and sensitive value when l-diversity is checked). Because hierarchies are
 * trees, the groups of any node below N (level by level not above N's) can be grouped again
 * into N's classes: evaluating N costs one pass over that finer node's groups, not over all
 * records. Keys are the generalized codes packed in mixed radix over the label counts of N's
 * levels (re-numbered densely whenever the radix would pass 2^53), counted in an
 * open-addressing hash table reused across nodes.
 *
 * @module
 */
import type { EncodedTable } from './table.ts';

const MAX_EXACT = 2 ** 53;

/** A hash table from integer keys (< 2^53) to dense ids 0..size−1, cleared in O(1). */
class DenseIds {
  #keys: Float64Array;
  #ids: Int32Array;
  #stamps: Int32Array;
  #stamp = 0;
  #mask: number;
  size = 0;

  constructor(capacityHint: number) {
    let cap = 16;
    while (cap < capacityHint * 2) cap *= 2;
    this.#keys = new Float64Array(cap);
    this.#ids = new Int32Array(cap);
    this.#stamps = new Int32Array(cap);
    this.#mask = cap - 1;
  }

  clear(): void {
    this.#stamp++;
    this.size = 0;
  }

  /** The dense id of a key, assigning the next id to a new key. */
  id(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
    h ^= h >>> 15;
    let i = h & this.#mask;
    const stamps = this.#stamps;
    const keys = this.#keys;
    for (;;) {
      if (stamps[i] !== this.#stamp) {
        stamps[i] = this.#stamp;
        keys[i] = key;
        this.#ids[i] = this.size;
        return this.size++;
      }
      if (keys[i] === key) return this.#ids[i]!;
      i = (i + 1) & this.#mask;
    }
  }
}

/** A node's records as groups: representative tuple, record count and sensitive code per group. */
export interface Groups {
  readonly levels: readonly number[];
  readonly size: number;
  readonly rep: Int32Array;
  readonly count: Int32Array;
  readonly sensitive: Int32Array;
}

/** The classes of one node over the groups of the finer node it was rolled up from. */
export interface Classes {
  /** classOf[g]: the class of group g of the finer node. */
  readonly classOf: Int32Array;
  /** Number of classes. */
  readonly count: number;
  /** size[c]: records in class c. */
  readonly size: Int32Array;
  /** distinct[c]: distinct sensitive values in class c (only when asked for, else empty). */
  readonly distinct: Int32Array;
}

/** The distinct tuples of a table as the groups of its bottom node. */
export function tupleGroups(table: EncodedTable): Groups {
  const size = table.counts.length;
  return { levels: table.hierarchies.map(() => 0), size, rep: Int32Array.from({ length: size }, (_, t) => t), count: table.counts, sensitive: table.sensitive };
}

/** Groups an encoded table's tuples into the equivalence classes of lattice nodes. */
export class ClassGrouper {
  readonly #table: EncodedTable;
  /** tupleCodes[a][level][t]: the code of tuple t's value of attribute a at that level. */
  readonly #tupleCodes: Int32Array[][];
  readonly #keys: Float64Array;
  readonly #ids: DenseIds;
  readonly #pairs: DenseIds;

  constructor(table: EncodedTable) {
    this.#table = table;
    const tuples = table.counts.length;
    this.#tupleCodes = table.hierarchies.map((h, a) => h.codes.map((codes) => Int32Array.from(table.leaves[a]!, (leaf) => codes[leaf]!)));
    this.#keys = new Float64Array(tuples);
    this.#ids = new DenseIds(tuples);
    this.#pairs = new DenseIds(tuples);
  }

  /** Code of tuple t's value of attribute a at a level. */
  code(a: number, level: number, t: number): number {
    return this.#tupleCodes[a]![level]![t]!;
  }

  /**
   * The classes at `levels`, grouped from a finer node's groups; also the node's own groups
   * (per class, or per class and sensitive value with `withDistinct`) for rolling up further.
   */
  group(levels: readonly number[], from: Groups, withDistinct: boolean): { classes: Classes; groups: Groups } {
    const { hierarchies } = this.#table;
    const n = from.size;
    const keys = this.#keys;
    keys.fill(0, 0, n);
    let radix = 1;
    for (let a = 0; a < hierarchies.length; a++) {
      const card = hierarchies[a]!.labels[levels[a]!]!.length;
      if (card === 1) continue;
      if (radix * card >= MAX_EXACT) radix = this.#densify(n);
      const codes = this.#tupleCodes[a]![levels[a]!]!;
      const rep = from.rep;
      for (let g = 0; g < n; g++) keys[g] = keys[g]! * card + codes[rep[g]!]!;
      radix *= card;
    }
    const classOf = new Int32Array(n);
    const ids = this.#ids;
    ids.clear();
    for (let g = 0; g < n; g++) classOf[g] = ids.id(keys[g]!);
    const count = ids.size;
    const size = new Int32Array(count);
    for (let g = 0; g < n; g++) size[classOf[g]!]! += from.count[g]!;
    if (!withDistinct) {
      const rep = new Int32Array(count).fill(-1);
      for (let g = 0; g < n; g++) if (rep[classOf[g]!] === -1) rep[classOf[g]!] = from.rep[g]!;
      return { classes: { classOf, count, size, distinct: new Int32Array(0) }, groups: { levels: [...levels], size: count, rep, count: size, sensitive: new Int32Array(count) } };
    }
    return this.#withDistinct(levels, from, classOf, count, size);
  }

  /** Replaces the keys by dense ids (fewer than the number of groups); returns the new radix. */
  #densify(n: number): number {
    const ids = this.#ids;
    ids.clear();
    for (let g = 0; g < n; g++) this.#keys[g] = ids.id(this.#keys[g]!);
    return Math.max(ids.size, 1);
  }

  #withDistinct(levels: readonly number[], from: Groups, classOf: Int32Array, count: number, size: Int32Array): { classes: Classes; groups: Groups } {
    const values = Math.max(this.#table.sensitiveValues.length, 1);
    const pairs = this.#pairs;
    pairs.clear();
    const distinct = new Int32Array(count);
    const pairOf = new Int32Array(from.size);
    for (let g = 0; g < from.size; g++) {
      const before = pairs.size;
      pairOf[g] = pairs.id(classOf[g]! * values + from.sensitive[g]!);
      if (pairs.size > before) distinct[classOf[g]!]! += 1;
    }
    const rep = new Int32Array(pairs.size).fill(-1);
    const pairCount = new Int32Array(pairs.size);
    const sensitive = new Int32Array(pairs.size);
    for (let g = 0; g < from.size; g++) {
      const p = pairOf[g]!;
      if (rep[p] === -1) {
        rep[p] = from.rep[g]!;
        sensitive[p] = from.sensitive[g]!;
      }
      pairCount[p]! += from.count[g]!;
    }
    return { classes: { classOf, count, size, distinct }, groups: { levels: [...levels], size: pairs.size, rep, count: pairCount, sensitive } };
  }
}
