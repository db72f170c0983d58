/**
 * ARX's "Loss" information-loss measure and the discernibility measure DM*, computed exactly.
 *
 * For attribute a with |D| leaves, a record's share is (leaves covered by its generalized value)
 * / |D|, and 1 if the record is suppressed. ARX's per-attribute loss is
 *
 *   loss_a = (Σ_records share − N/|D|) / (N − N/|D|)
 *
 * and the attributes combine as (Π (loss_a + 1))^(1/n) − 1 (ARX's geometric mean). ARX's
 * generalization/suppression factor gs (default 1/2, which gives exactly the formula above)
 * weights the two: generalization counts with gF = min(1, 2 − 2·gs), a suppressed record with
 * its share plus sF = min(1, 2·gs) times the rest of it.
 *
 * All sums are kept as integers scaled by |D|·q (gs = p/q), so that loss_a + 1 equals
 * (T_a + N·(q|D| − 2·g)) / (N·(q|D| − g)) with an integer T_a and a denominator that does not
 * depend on the node: nodes are compared by the exact product of the numerators (BigInt).
 *
 * @module
 */
import { parseRational } from '../rational.ts';
import type { Classes, Groups } from './classes.ts';
import type { EncodedTable } from './table.ts';

/** The integer weights of ARX's gs factor p/q: generalization g/q, suppression s/q. */
export interface LossWeights {
  readonly q: number;
  readonly g: number;
  readonly s: number;
}

/** Weights for ARX's gs factor in [0, 1] (0.5: generalization and suppression count equally). */
export function lossWeights(gsFactor: number | string = '1/2'): LossWeights {
  const gs = parseRational(gsFactor);
  if (gs.num > gs.den) throw new RangeError('gsFactor must be in [0, 1]');
  if (gs.den > 1_000_000n) throw new RangeError('gsFactor must have a denominator of at most 10^6');
  const p = Number(gs.num);
  const q = Number(gs.den);
  return 2 * p < q ? { q, g: q, s: 2 * p } : { q, g: 2 * q - 2 * p, s: q };
}

/** Per-attribute constants of the loss for one table. */
export interface LossFrame {
  readonly weights: LossWeights;
  readonly n: number;
  /** domain[a] = |D_a|. */
  readonly domain: readonly number[];
  /** offset[a] = N·(q|D| − 2g); denominator[a] = N·(q|D| − g) (0: loss_a is 0 everywhere). */
  readonly offset: readonly number[];
  readonly denominator: readonly number[];
  /** generalized[a][level]: Σ over records of the leaves their value covers at that level. */
  readonly generalized: readonly (readonly number[])[];
}

export function lossFrame(table: EncodedTable, weights: LossWeights): LossFrame {
  const domain = table.hierarchies.map((h) => h.leaves.length);
  const generalized = table.hierarchies.map((h, a) => h.covered.map((covered, level) => {
    const codes = h.codes[level]!;
    let total = 0;
    for (let t = 0; t < table.counts.length; t++) total += table.counts[t]! * covered[codes[table.leaves[a]![t]!]!]!;
    return total;
  }));
  return {
    weights,
    n: table.n,
    domain,
    offset: domain.map((d) => table.n * (weights.q * d - 2 * weights.g)),
    denominator: domain.map((d) => table.n * (weights.q * d - weights.g)),
    generalized,
  };
}

/**
 * The exact lower bound of an attribute at a level, as a factor of the comparison key: the
 * score with no record suppressed (suppressing a record never costs less than generalizing it).
 */
export function boundFactor(frame: LossFrame, a: number, level: number): bigint {
  return frame.denominator[a]! > 0 ? BigInt(frame.weights.g * frame.generalized[a]![level]! + frame.offset[a]!) : 1n;
}

/** The measures of one node. */
export interface NodeMeasures {
  readonly suppressed: number;
  /** T_a: the scaled score of each attribute (integers). */
  readonly scores: readonly number[];
  /** Σ|class|² over kept classes + suppressed × N. */
  readonly dm: number;
  /** Number of kept (non-suppressed) classes. */
  readonly classes: number;
  /** The smallest kept class (0 when all records are suppressed). */
  readonly minClassSize: number;
}

/**
 * Measures a node from its classes over a finer node's groups: records in classes smaller than
 * k (or with fewer than l distinct sensitive values) are suppressed; the rest keep their
 * generalized values. Scores start from the all-generalized totals and correct only the
 * suppressed groups; they are skipped (empty) when `withScores` answers false for the number
 * of suppressed records.
 */
export function measureNode(table: EncodedTable, frame: LossFrame, levels: readonly number[], from: Groups, classes: Classes, criteria: { k: number; l: number }, withScores: (suppressed: number) => boolean): NodeMeasures {
  const kept = new Uint8Array(classes.count);
  let suppressed = 0;
  let dm = 0;
  let keptClasses = 0;
  let minClassSize = 0;
  for (let c = 0; c < classes.count; c++) {
    const size = classes.size[c]!;
    if (size >= criteria.k && (criteria.l <= 1 || classes.distinct[c]! >= criteria.l)) {
      kept[c] = 1;
      dm += size * size;
      keptClasses++;
      if (minClassSize === 0 || size < minClassSize) minClassSize = size;
    } else suppressed += size;
  }
  dm += suppressed * table.n;
  const scores = withScores(suppressed) ? scoresOf(table, frame, levels, from, classes, kept) : [];
  return { suppressed, scores, dm, classes: keptClasses, minClassSize };
}

function scoresOf(table: EncodedTable, frame: LossFrame, levels: readonly number[], from: Groups, classes: Classes, kept: Uint8Array): number[] {
  const { q, g, s } = frame.weights;
  const out: number[] = [];
  for (let i = 0; i < from.size; i++) if (!kept[classes.classOf[i]!]) out.push(i);
  return table.hierarchies.map((h, a) => {
    const covered = h.covered[levels[a]!]!;
    const codes = h.codes[levels[a]!]!;
    const d = frame.domain[a]!;
    const leafOf = table.leaves[a]!;
    let total = g * frame.generalized[a]![levels[a]!]!;
    for (const i of out) {
      const v = covered[codes[leafOf[from.rep[i]!]!]!]!;
      total += from.count[i]! * ((q - g) * v + s * (d - v));
    }
    return total;
  });
}

/** The exact comparison key Π (T_a + offset_a) over attributes whose loss can be non-zero. */
export function lossKey(frame: LossFrame, scores: readonly number[]): bigint {
  let key = 1n;
  for (let a = 0; a < scores.length; a++) {
    if (frame.denominator[a]! > 0) key *= BigInt(scores[a]! + frame.offset[a]!);
  }
  return key;
}

/** loss_a for each attribute (ARX's normalized per-attribute Loss). */
export function attributeLosses(frame: LossFrame, scores: readonly number[]): number[] {
  return scores.map((t, a) => {
    const den = frame.denominator[a]!;
    return den > 0 ? Math.max(0, (t - frame.weights.g * frame.n) / den) : 0;
  });
}

/** ARX's aggregate: (Π (loss_a + 1))^(1/n) − 1. */
export function combinedLoss(losses: readonly number[]): number {
  if (losses.length === 0) return 0;
  let product = 1;
  for (const x of losses) product *= Math.pow(x + 1, 1 / losses.length);
  return product - 1;
}
