/**
 * Optimal full-domain generalization with a suppression limit (the search ARX performs).
 *
 * The solution space is the lattice of level vectors (one level per quasi-identifier). A node is
 * feasible when the records in classes smaller than k (or, with l, with fewer than l distinct
 * sensitive values) number at most ⌊limit × N⌋; they are suppressed. Feasibility is monotone
 * (generalizing merges classes, so a kept record stays kept), and the optimum is the feasible
 * node of least Loss (see loss.ts).
 *
 * Search: branch and bound on an exact lower bound. A node's Loss without suppression depends
 * only on its levels (Σ of leaf frequencies × covered leaves), can be computed for every node in
 * O(levels), grows up the lattice and never exceeds the node's real Loss (suppressing a record
 * costs at least as much as generalizing it). Nodes are visited in increasing bound; the search
 * stops at the first bound above the best feasible Loss found, which proves optimality.
 * Monotonicity prunes the infeasible part: below an infeasible node everything is infeasible, and
 * each infeasible node found starts a bisection up a path to the top for the highest infeasible
 * node on it. Nodes are grouped by rolling up the classes of a cached finer node (classes.ts).
 * Ties in Loss are broken by smaller DM*, then lower height, then the lexicographically smaller
 * levels, so the result does not depend on the visiting order.
 *
 * @module
 */
import { ClassGrouper, tupleGroups } from './classes.ts';
import type { Groups } from './classes.ts';
import { attributeLosses, boundFactor, combinedLoss, lossFrame, lossKey, lossWeights, measureNode } from './loss.ts';
import type { LossFrame } from './loss.ts';
import { Lattice } from './lattice.ts';
import type { EncodedTable } from './table.ts';

export interface AnonymizeOptions {
  /** Minimum class size (k ≥ 1). */
  readonly k: number;
  /** Share of records that may be suppressed, in [0, 1] (ARX: at most ⌊limit × N⌋ records). */
  readonly suppressionLimit: number;
  /** Distinct l-diversity of the table's sensitive attribute (default 1: none). */
  readonly l?: number;
  /** ARX's generalization/suppression factor (default 1/2, the Loss of issue #6). */
  readonly gsFactor?: number | string;
  /** Lowest level allowed per quasi-identifier (the disclosure standard's finest level). */
  readonly minLevels?: readonly number[];
  /** Highest level allowed per quasi-identifier (default: the hierarchy's top). */
  readonly maxLevels?: readonly number[];
  /** Evaluate every node instead of stopping at the bound (for verification). */
  readonly exhaustive?: boolean;
}

/** One evaluated lattice node. */
export interface NodeResult {
  readonly levels: readonly number[];
  readonly feasible: boolean;
  readonly suppressed: number;
  /** Kept equivalence classes and the smallest of them (the k actually reached). */
  readonly classes: number;
  readonly minClassSize: number;
  readonly loss: number;
  readonly lossByAttribute: readonly number[];
  readonly dm: number;
  /** Exact comparison key of the Loss (smaller is better). */
  readonly lossKey: bigint;
}

export interface AnonymizationResult {
  /** The optimal node, or undefined if no node is feasible. */
  readonly optimum: NodeResult | undefined;
  readonly maxSuppressed: number;
  readonly latticeSize: number;
  readonly nodesEvaluated: number;
  /** Every evaluated node, when `exhaustive` was set (lattice order); else empty. */
  readonly evaluated: readonly NodeResult[];
}

export class AnonymizeError extends Error {
  override readonly name = 'AnonymizeError';
}

interface Bounds { readonly min: number[]; readonly max: number[] }

function boundsOf(table: EncodedTable, options: AnonymizeOptions): Bounds {
  const tops = table.hierarchies.map((h) => h.height - 1);
  const min = table.hierarchies.map((_, a) => options.minLevels?.[a] ?? 0);
  const max = table.hierarchies.map((_, a) => options.maxLevels?.[a] ?? tops[a]!);
  for (const [a, h] of table.hierarchies.entries()) {
    if (!Number.isInteger(min[a]) || !Number.isInteger(max[a]) || min[a]! < 0 || max[a]! > tops[a]! || min[a]! > max[a]!) {
      throw new AnonymizeError(`levels for ${h.attribute} must satisfy 0 ≤ min ≤ max ≤ ${tops[a]}`);
    }
  }
  return { min, max };
}

function checkOptions(table: EncodedTable, options: AnonymizeOptions): void {
  if (!Number.isSafeInteger(options.k) || options.k < 1) throw new AnonymizeError('k must be an integer ≥ 1');
  if (!(options.suppressionLimit >= 0 && options.suppressionLimit <= 1)) throw new AnonymizeError('suppressionLimit must be in [0, 1]');
  const l = options.l ?? 1;
  if (!Number.isSafeInteger(l) || l < 1) throw new AnonymizeError('l must be an integer ≥ 1');
  if (l > 1 && table.sensitiveValues.length === 0) throw new AnonymizeError('l-diversity needs a sensitive attribute in the encoded table');
}

/** True if x is better than y: smaller Loss, then smaller DM*, lower height, lexicographic levels. */
function better(x: NodeResult, y: NodeResult): boolean {
  if (x.lossKey !== y.lossKey) return x.lossKey < y.lossKey;
  if (x.dm !== y.dm) return x.dm < y.dm;
  const hx = x.levels.reduce((s, v) => s + v, 0);
  const hy = y.levels.reduce((s, v) => s + v, 0);
  if (hx !== hy) return hx < hy;
  for (let a = 0; a < x.levels.length; a++) if (x.levels[a] !== y.levels[a]) return x.levels[a]! < y.levels[a]!;
  return false;
}

/** How many nodes' groups are kept for rolling up (least recently used first out). */
const CACHED_NODES = 256;

/** Evaluates single nodes of one table under fixed options (shared by the search and by callers). */
export class NodeEvaluator {
  readonly #table: EncodedTable;
  readonly #grouper: ClassGrouper;
  readonly #frame: LossFrame;
  readonly #k: number;
  readonly #l: number;
  readonly #base: Groups;
  readonly #cache = new Map<string, Groups>();
  readonly maxSuppressed: number;

  constructor(table: EncodedTable, options: AnonymizeOptions) {
    checkOptions(table, options);
    this.#table = table;
    this.#grouper = new ClassGrouper(table);
    this.#frame = lossFrame(table, lossWeights(options.gsFactor));
    this.#k = options.k;
    this.#l = options.l ?? 1;
    this.#base = tupleGroups(table);
    this.maxSuppressed = Math.floor(options.suppressionLimit * table.n);
  }

  get frame(): LossFrame {
    return this.#frame;
  }

  /** The cached node below (or at) `levels` with the fewest groups; the distinct tuples if none. */
  #finest(levels: readonly number[]): Groups {
    let best = this.#base;
    let bestKey: string | undefined;
    for (const [key, groups] of this.#cache) {
      if (groups.size < best.size && groups.levels.every((v, a) => v <= levels[a]!)) {
        best = groups;
        bestKey = key;
      }
    }
    if (bestKey !== undefined) {
      this.#cache.delete(bestKey);
      this.#cache.set(bestKey, best);
    }
    return best;
  }

  /**
   * Evaluates a node. The Loss of an infeasible node is computed only with `always` (else its
   * loss fields are NaN and its key −1): the search never needs it.
   */
  evaluate(levels: readonly number[], always = true): NodeResult {
    const from = this.#finest(levels);
    const { classes, groups } = this.#grouper.group(levels, from, this.#l > 1);
    this.#cache.set(levels.join(','), groups);
    if (this.#cache.size > CACHED_NODES) this.#cache.delete(this.#cache.keys().next().value!);
    const criteria = { k: this.#k, l: this.#l };
    const m = measureNode(this.#table, this.#frame, levels, from, classes, criteria, (suppressed) => always || suppressed <= this.maxSuppressed);
    const { suppressed } = m;
    const feasible = suppressed <= this.maxSuppressed;
    const lossByAttribute = m.scores.length > 0 ? attributeLosses(this.#frame, m.scores) : levels.map(() => NaN);
    return {
      levels: [...levels], feasible, suppressed, classes: m.classes, minClassSize: m.minClassSize,
      loss: m.scores.length > 0 ? combinedLoss(lossByAttribute) : NaN, lossByAttribute, dm: m.dm,
      lossKey: m.scores.length > 0 ? lossKey(this.#frame, m.scores) : -1n,
    };
  }
}

/**
 * Finds the feasible lattice node of least Loss.
 *
 * Nodes are taken in increasing lower bound. A node below a known infeasible node is skipped
 * (monotonicity). When a node turns out infeasible, the path from it to the top is searched by
 * bisection for its highest infeasible node, whose whole down-set is then known infeasible:
 * without suppression most low nodes are ruled out this way instead of one by one.
 * @throws AnonymizeError on invalid options.
 */
export function anonymize(table: EncodedTable, options: AnonymizeOptions): AnonymizationResult {
  const evaluator = new NodeEvaluator(table, options);
  const { min, max } = boundsOf(table, options);
  const lattice = new Lattice(min, max);
  const factors = table.hierarchies.map((h, a) => h.covered.map((_, level) => boundFactor(evaluator.frame, a, level)));
  const bound = (levels: readonly number[]) => levels.reduce((p, v, a) => p * factors[a]![v]!, 1n);
  const order = lattice.nodes().map((levels) => ({ levels, bound: bound(levels) }));
  const exhaustive = options.exhaustive === true;
  if (!exhaustive) order.sort((x, y) => (x.bound < y.bound ? -1 : x.bound > y.bound ? 1 : 0));
  let best: NodeResult | undefined;
  const evaluated: NodeResult[] = [];
  const seen = new Map<number, NodeResult>();
  const evaluate = (levels: readonly number[]): NodeResult => {
    const key = lattice.index(levels);
    let node = seen.get(key);
    if (node === undefined) {
      node = evaluator.evaluate(levels, exhaustive);
      seen.set(key, node);
      if (node.feasible && (best === undefined || better(node, best))) best = node;
      if (!node.feasible) lattice.markInfeasible(levels);
    }
    return node;
  };
  for (const { levels, bound: lower } of order) {
    if (exhaustive) {
      evaluated.push(evaluate(levels));
      continue;
    }
    if (best !== undefined && lower > best.lossKey) break;
    if (lattice.isKnownInfeasible(levels)) continue;
    if (!evaluate(levels).feasible) climb(lattice.pathUp(levels), evaluate);
  }
  return { optimum: best, maxSuppressed: evaluator.maxSuppressed, latticeSize: lattice.size, nodesEvaluated: seen.size, evaluated };
}

/** Bisects a path whose first node is infeasible for its last infeasible node (evaluating it marks its down-set). */
function climb(path: readonly number[][], evaluate: (levels: readonly number[]) => NodeResult): void {
  let lo = 0;
  let hi = path.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (evaluate(path[mid]!).feasible) hi = mid;
    else lo = mid;
  }
}
