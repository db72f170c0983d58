import { HASH_BYTES, MERKLE_EMPTY_ROOT, merkleNodeHash } from '../crypto/index.ts';

/**
 * The RFC 6962 / RFC 9162 Merkle tree (docs/AUDIT.md): which subtree hashes make up an inclusion
 * or consistency proof (§2.1.3.1, §2.1.4.1), how a proof is verified (§2.1.3.2, §2.1.4.2), and a
 * compact range (the hashes of the perfect subtrees along the right edge) that a log extends one
 * leaf at a time. Leaf and node hashes come from src/crypto.
 *
 * Proof generation works on half-open leaf ranges [lo, hi): a proof is the list of MTH(D[lo:hi])
 * for the ranges below, and whoever holds the tree (memory, or tiles in the database) hashes them.
 */
export type Range = readonly [lo: number, hi: number];

export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProofError';
  }
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function checkSize(what: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer`);
}

/** RFC 9162 §2.1.3.1 PATH(m, D[0:n]): the ranges whose hashes form the inclusion proof of leaf m, from the leaf up. */
export function inclusionRanges(index: number, size: number): Range[] {
  checkSize('leaf index', index);
  checkSize('tree size', size);
  if (index >= size) throw new RangeError(`leaf index ${index} is not in a tree of size ${size}`);
  const out: Range[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      out.push([lo + k, hi]);
      hi = lo + k;
    } else {
      out.push([lo, lo + k]);
      lo += k;
    }
  }
  return out.reverse();
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]): the ranges whose hashes form the consistency proof from size m to size n. */
export function consistencyRanges(m: number, n: number): Range[] {
  checkSize('old size', m);
  checkSize('new size', n);
  if (m < 1 || m > n) throw new RangeError(`no consistency proof from size ${m} to size ${n}`);
  const out: Range[] = [];
  let lo = 0;
  let hi = n;
  let rel = m; // m relative to lo
  let complete = true; // SUBPROOF's b flag
  while (rel !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (rel <= k) {
      out.push([lo + k, hi]);
      hi = lo + k;
    } else {
      out.push([lo, lo + k]);
      lo += k;
      rel -= k;
      complete = false;
    }
  }
  if (!complete) out.push([lo, hi]);
  return out.reverse();
}

/**
 * The perfect subtrees that make up [lo, hi), left to right: aligned power-of-two blocks, each as
 * large as possible. For every range a proof asks for, MTH(D[lo:hi]) is these folded from the right.
 */
export function perfectSubtrees(lo: number, hi: number): { start: number; height: number }[] {
  const out: { start: number; height: number }[] = [];
  while (lo < hi) {
    let height = 0;
    while ((lo % 2 ** (height + 1)) === 0 && lo + 2 ** (height + 1) <= hi) height++;
    out.push({ start: lo, height });
    lo += 2 ** height;
  }
  return out;
}

/** Folds subtree hashes from the right: node(h0, node(h1, … node(h_{k-2}, h_{k-1}))). */
export function foldRight(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return MERKLE_EMPTY_ROOT;
  let h = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) h = merkleNodeHash(hashes[i]!, h);
  return h;
}

/** MTH of a perfect (power-of-two) run of hashes, computed level by level. */
export function perfectRoot(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0 || (hashes.length & (hashes.length - 1)) !== 0) throw new RangeError('perfectRoot needs a power-of-two number of hashes');
  let level = hashes.slice();
  while (level.length > 1) {
    const next: Buffer[] = new Array(level.length / 2);
    for (let i = 0; i < next.length; i++) next[i] = merkleNodeHash(level[2 * i]!, level[2 * i + 1]!);
    level = next;
  }
  return level[0]!;
}

/** MTH(D[lo:hi]) over leaf hashes held in memory. */
export function rangeHash(leaves: readonly Buffer[], lo: number, hi: number): Buffer {
  if (lo === hi) return MERKLE_EMPTY_ROOT;
  return foldRight(perfectSubtrees(lo, hi).map((p) => perfectRoot(leaves.slice(p.start, p.start + 2 ** p.height))));
}

/** The tree head (root) over leaf hashes held in memory. */
export function rootOf(leaves: readonly Buffer[]): Buffer {
  const b = new CompactRange();
  for (const l of leaves) b.push(l);
  return b.root();
}

/** Inclusion proof for leaf `index` in the first `size` leaves held in memory. */
export function inclusionProof(leaves: readonly Buffer[], index: number, size: number): Buffer[] {
  return inclusionRanges(index, size).map(([lo, hi]) => rangeHash(leaves, lo, hi));
}

/** Consistency proof from size m to size n over leaves held in memory. */
export function consistencyProof(leaves: readonly Buffer[], m: number, n: number): Buffer[] {
  return consistencyRanges(m, n).map(([lo, hi]) => rangeHash(leaves, lo, hi));
}

const toBig = (what: string, v: number | bigint): bigint => {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new ProofError(`${what} is not an integer`);
  const b = BigInt(v);
  if (b < 0n || b >= 1n << 64n) throw new ProofError(`${what} is out of range`);
  return b;
};

function checkHash(what: string, h: Uint8Array): void {
  if (!(h instanceof Uint8Array) || h.length !== HASH_BYTES) throw new ProofError(`${what} is not a 32-byte hash`);
}

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

/**
 * RFC 9162 §2.1.3.2: checks that `leafHash` is leaf `index` of the tree of `size` leaves whose
 * root is `root`. Throws ProofError saying what is wrong; returns normally when the proof holds.
 */
export function verifyInclusion(index: number | bigint, size: number | bigint, leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  const idx = toBig('leaf index', index);
  const n = toBig('tree size', size);
  if (idx >= n) throw new ProofError(`leaf index ${idx} is not in a tree of size ${n}`);
  checkHash('leaf hash', leafHash);
  checkHash('root', root);
  proof.forEach((p, i) => checkHash(`proof hash ${i}`, p));
  let fn = idx;
  let sn = n - 1n;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0n) throw new ProofError('inclusion proof is too long');
    if ((fn & 1n) === 1n || fn === sn) {
      r = merkleNodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = merkleNodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new ProofError('inclusion proof is too short');
  if (!equalBytes(r, root)) throw new ProofError('inclusion proof does not lead to the root');
}

/**
 * RFC 9162 §2.1.4.2: checks that the tree of `size2` leaves with root `root2` extends the tree of
 * `size1` leaves with root `root1`. Equal sizes need an empty proof and equal roots; a proof from
 * the empty tree proves nothing and is refused, as is an empty proof between different sizes.
 */
export function verifyConsistency(size1: number | bigint, size2: number | bigint, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): void {
  const m = toBig('old size', size1);
  const n = toBig('new size', size2);
  if (n < m) throw new ProofError(`the new size ${n} is smaller than the old size ${m}`);
  if (m === 0n) throw new ProofError('a consistency proof from the empty tree proves nothing');
  if (m === n) {
    if (proof.length > 0) throw new ProofError('equal sizes need an empty consistency proof');
    if (!equalBytes(root1, root2)) throw new ProofError('equal sizes but different roots');
    return;
  }
  if (proof.length === 0) throw new ProofError('empty consistency proof');
  checkHash('old root', root1);
  checkHash('new root', root2);
  proof.forEach((p, i) => checkHash(`proof hash ${i}`, p));
  const path: Uint8Array[] = [...proof];
  if ((m & (m - 1n)) === 0n) path.unshift(root1);
  let fn = m - 1n;
  let sn = n - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0n) throw new ProofError('consistency proof is too long');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = merkleNodeHash(c, fr);
      sr = merkleNodeHash(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = merkleNodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new ProofError('consistency proof is too short');
  if (!equalBytes(fr, root1)) throw new ProofError('consistency proof does not lead to the old root');
  if (!equalBytes(sr, root2)) throw new ProofError('consistency proof does not lead to the new root');
}

/** A perfect subtree completed while extending: its height and index at that height. */
export interface CompletedNode {
  readonly height: number;
  readonly index: number;
  readonly hash: Buffer;
}

/**
 * The compact range [0, size): the roots of the perfect subtrees along the right edge, largest
 * first (one per set bit of size). Appending a leaf merges equal-height subtrees, as binary
 * addition carries; every merge is reported to `onNode`, so the caller can keep tiles.
 */
export class CompactRange {
  #size = 0;
  #hashes: Buffer[] = [];

  constructor(size = 0, hashes: readonly Buffer[] = []) {
    checkSize('tree size', size);
    if (hashes.length !== popcount(size)) throw new RangeError(`a compact range of size ${size} has ${popcount(size)} hashes, not ${hashes.length}`);
    this.#size = size;
    this.#hashes = hashes.slice();
  }

  get size(): number {
    return this.#size;
  }

  get hashes(): readonly Buffer[] {
    return this.#hashes;
  }

  /** Appends one leaf hash; `onNode` sees every perfect subtree (height ≥ 1) it completes. */
  push(leafHash: Buffer, onNode?: (node: CompletedNode) => void): void {
    let h = leafHash;
    let height = 0;
    let index = this.#size;
    while (Math.floor(this.#size / 2 ** height) % 2 === 1) {
      const left = this.#hashes.pop()!;
      h = merkleNodeHash(left, h);
      height++;
      index = Math.floor(index / 2);
      onNode?.({ height, index, hash: h });
    }
    this.#hashes.push(h);
    this.#size++;
  }

  /** The root of [0, size): the compact range folded from the right. */
  root(): Buffer {
    return foldRight(this.#hashes);
  }
}

export function popcount(n: number): number {
  let c = 0;
  while (n > 0) {
    c += n % 2;
    n = Math.floor(n / 2);
  }
  return c;
}
