import { HASH_BYTES, merkleNodeHash } from '../crypto/index.ts';
import { consistencyRanges, foldRight, inclusionRanges, perfectSubtrees } from './merkle.ts';
import { TILE_HEIGHT } from './leaf.ts';

/**
 * Proofs from C2SP tlog-tiles (docs/AUDIT.md). A tile of level L and index N holds up to 256
 * consecutive hashes of tree height 8·L; level 0 is the leaf hashes (full level-0 tiles are also
 * stored as tiles; the partial one is read from the event rows), levels ≥ 1 are stored tiles. Any perfect subtree of height h is the root of an aligned run of
 * 2^(h mod 8) hashes inside one tile of level ⌊h/8⌋, so a proof reads one tile per level:
 * O(log n) reads of at most 8 KiB, and at most 255 hashes per tile.
 */
export const TILE_WIDTH = 2 ** TILE_HEIGHT;

export interface TileSource {
  /** Leaf hashes of leaf indexes [from, to), in order. */
  leafHashes(from: number, to: number): Promise<Buffer[]>;
  /** A stored tile (full tiles of level 0, any tile of level ≥ 1): `width` hashes of 32 bytes. */
  tile(level: number, idx: number): Promise<{ width: number; hashes: Buffer } | undefined>;
}

export class TileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TileError';
  }
}

/** The inner levels of one tile: levels[j][i] is the root of the aligned run of 2^j hashes starting at i·2^j. */
function tileTree(entries: Buffer[]): Buffer[][] {
  const levels: Buffer[][] = [entries];
  while (levels[levels.length - 1]!.length > 1) {
    const below = levels[levels.length - 1]!;
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) next.push(merkleNodeHash(below[i]!, below[i + 1]!));
    levels.push(next);
  }
  return levels;
}

const splitHashes = (b: Buffer, width: number): Buffer[] => Array.from({ length: width }, (_, i) => b.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));

/** Inner trees of tiles kept between proofs: a tile only grows, so a wider copy serves any narrower need. */
export type TileCache = Map<string, { width: number; levels: Buffer[][] }>;

/**
 * Bounds on the cache (an inner tree is 511 hashes, about 60 KiB of Buffers): tiles of level ≥ 1
 * are few (n / 65,536) and on every proof's path, so they are kept; level-0 tiles, one per 256
 * events, are kept only for the most recently read few.
 */
const MAX_CACHED_TILES = 4096;
const MAX_CACHED_LEAF_TILES = 256;

/**
 * The tree of `size` leaves as its tiles show it. `edge`, when known (the tree head's or a
 * checkpoint's compact range at exactly `size`), gives the right edge's perfect subtrees without
 * reading the partial tiles. Tiles only grow (the database allows nothing else), so their inner
 * trees may be kept in `cache` across proofs; a proof that used a stale cache would fail its
 * own verification, which every caller performs before handing a proof out.
 */
export class TiledTree {
  readonly #tiles = new Map<string, Promise<Buffer[][]>>();
  readonly #edge = new Map<string, Buffer>();

  constructor(private readonly source: TileSource, readonly size: number, private readonly cache?: TileCache, edge?: readonly Buffer[]) {
    if (edge) {
      const subtrees = perfectSubtrees(0, size);
      if (edge.length !== subtrees.length) throw new TileError(`a compact range of size ${size} has ${subtrees.length} hashes, not ${edge.length}`);
      subtrees.forEach((t, i) => this.#edge.set(`${t.start}/${t.height}`, edge[i]!));
    }
  }

  /** The width a tile of `level` and index `idx` has in the tree of `size` leaves. */
  private widthOf(level: number, idx: number): number {
    return Math.min(TILE_WIDTH, Math.floor(this.size / TILE_WIDTH ** level) - idx * TILE_WIDTH);
  }

  /** Inner tree of a tile of `level` with index `idx`, as far as the tree of `size` leaves has it. */
  private tileLevels(level: number, idx: number): Promise<Buffer[][]> {
    const key = `${level}/${idx}`;
    const width = this.widthOf(level, idx);
    const cached = this.cache?.get(key);
    if (cached && cached.width >= width) return Promise.resolve(cached.levels);
    let p = this.#tiles.get(key);
    if (!p) {
      p = this.readTile(level, idx, width);
      this.#tiles.set(key, p);
    }
    return p;
  }

  private async readTile(level: number, idx: number, width: number): Promise<Buffer[][]> {
    if (width <= 0) throw new TileError(`tile ${level}/${idx} is beyond the tree of size ${this.size}`);
    let entries: Buffer[];
    const full = level === 0 && width === TILE_WIDTH ? await this.source.tile(0, idx) : undefined;
    if (full && full.width === TILE_WIDTH) {
      entries = splitHashes(full.hashes, TILE_WIDTH);
    } else if (level === 0) {
      // The partial tile at the right edge (or a full one not stored as a tile): the leaf hashes themselves.
      entries = await this.source.leafHashes(idx * TILE_WIDTH, idx * TILE_WIDTH + width);
      if (entries.length !== width) throw new TileError(`leaf hashes ${idx * TILE_WIDTH + 1}..${idx * TILE_WIDTH + width} are incomplete`);
    } else {
      const t = await this.source.tile(level, idx);
      if (!t || t.width < width) throw new TileError(`tile ${level}/${idx} is missing or shorter than the tree of size ${this.size} needs`);
      entries = splitHashes(t.hashes, width);
    }
    const levels = tileTree(entries);
    if (this.cache) {
      const key = `${level}/${idx}`;
      if (!this.cache.has(key)) {
        const keys = [...this.cache.keys()];
        const leafKeys = keys.filter((k) => k.startsWith('0/'));
        if (level === 0 && leafKeys.length >= MAX_CACHED_LEAF_TILES) this.cache.delete(leafKeys[0]!);
        else if (this.cache.size >= MAX_CACHED_TILES) this.cache.delete(leafKeys[0] ?? keys[0]!);
      }
      if ((this.cache.get(key)?.width ?? 0) < width) this.cache.set(key, { width, levels });
    }
    return levels;
  }

  /** The root of the perfect subtree of `height` starting at leaf `start`. */
  async perfectHash(start: number, height: number): Promise<Buffer> {
    const known = this.#edge.get(`${start}/${height}`);
    if (known) return known;
    const level = Math.floor(height / TILE_HEIGHT);
    const inner = height - level * TILE_HEIGHT;
    const entry = start / TILE_WIDTH ** level; // the first hash of tile level `level` under this subtree
    const idx = Math.floor(entry / TILE_WIDTH);
    const levels = await this.tileLevels(level, idx);
    const h = levels[inner]?.[(entry % TILE_WIDTH) / 2 ** inner];
    if (!h) throw new TileError(`tile ${level}/${idx} lacks the subtree at leaf ${start} of height ${height}`);
    return h;
  }

  /** MTH(D[lo:hi]) for a range a proof asks for. */
  async rangeHash(lo: number, hi: number): Promise<Buffer> {
    const parts = await Promise.all(perfectSubtrees(lo, hi).map((p) => this.perfectHash(p.start, p.height)));
    return foldRight(parts);
  }

  root(): Promise<Buffer> {
    return this.rangeHash(0, this.size);
  }

  inclusionProof(index: number): Promise<Buffer[]> {
    return Promise.all(inclusionRanges(index, this.size).map(([lo, hi]) => this.rangeHash(lo, hi)));
  }

  consistencyProof(oldSize: number): Promise<Buffer[]> {
    return Promise.all(consistencyRanges(oldSize, this.size).map(([lo, hi]) => this.rangeHash(lo, hi)));
  }
}
