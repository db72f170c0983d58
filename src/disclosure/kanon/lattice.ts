/**
 * The generalization lattice: every vector of levels between per-attribute bounds, numbered in
 * mixed radix (first attribute slowest), with what monotonicity lets the search know without
 * evaluating: a node below an infeasible node is infeasible.
 *
 * @module
 */

export class Lattice {
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly size: number;
  readonly #stride: number[];
  /** 1 where a node is known infeasible (itself evaluated, or below one that was). */
  readonly #infeasible: Uint8Array;

  constructor(min: readonly number[], max: readonly number[]) {
    this.min = min;
    this.max = max;
    this.#stride = new Array<number>(min.length);
    let size = 1;
    for (let a = min.length - 1; a >= 0; a--) {
      this.#stride[a] = size;
      size *= max[a]! - min[a]! + 1;
    }
    this.size = size;
    this.#infeasible = new Uint8Array(size);
  }

  index(levels: readonly number[]): number {
    let i = 0;
    for (let a = 0; a < levels.length; a++) i += (levels[a]! - this.min[a]!) * this.#stride[a]!;
    return i;
  }

  levelsOf(index: number): number[] {
    return this.min.map((lo, a) => lo + Math.floor(index / this.#stride[a]!) % (this.max[a]! - lo + 1));
  }

  /** Every node, in index order. */
  nodes(): number[][] {
    return Array.from({ length: this.size }, (_, i) => this.levelsOf(i));
  }

  isKnownInfeasible(levels: readonly number[]): boolean {
    return this.#infeasible[this.index(levels)] === 1;
  }

  /** Records that a node is infeasible, and with it every node below it. */
  markInfeasible(levels: readonly number[]): void {
    const stack = [this.index(levels)];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (this.#infeasible[i] === 1) continue;
      this.#infeasible[i] = 1;
      for (let a = 0; a < this.min.length; a++) {
        const level = this.min[a]! + Math.floor(i / this.#stride[a]!) % (this.max[a]! - this.min[a]! + 1);
        if (level > this.min[a]! && this.#infeasible[i - this.#stride[a]!] === 0) stack.push(i - this.#stride[a]!);
      }
    }
  }

  /**
   * The path from a node to the top, raising one attribute per step in turn (round robin), so
   * that the path's nodes stay balanced and have large down-sets.
   */
  pathUp(levels: readonly number[]): number[][] {
    const path = [[...levels]];
    let current = [...levels];
    for (;;) {
      let moved = false;
      for (let a = 0; a < current.length; a++) {
        if (current[a]! < this.max[a]!) {
          current = current.map((v, b) => (b === a ? v + 1 : v));
          path.push(current);
          moved = true;
        }
      }
      if (!moved) return path;
    }
  }
}
