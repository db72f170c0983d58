import { HASH_BYTES, sha256 } from '../crypto/index.ts';
import { eventLeafHash, TILE_HEIGHT } from './leaf.ts';
import type { AuditEventFields } from './leaf.ts';
import { CompactRange, perfectSubtrees } from './merkle.ts';
import { NoteError, openCheckpoint } from './note.ts';
import type { NoteVerifier } from './note.ts';
import { TILE_WIDTH } from './tiles.ts';

/**
 * Full verification of the audit log (docs/AUDIT.md, "What verify reports"): every leaf is
 * recomputed from its row, the tree from those leaves, and the result compared with the stored
 * leaf hashes, tiles, tree head and every stored checkpoint (whose signatures are checked). The
 * reader is given by the service; nothing here touches the database.
 */
export interface StoredEvent extends AuditEventFields {
  leaf_hash: Buffer;
}

export interface LogReader {
  head(): Promise<{ size: number; root: Buffer; frontier: Buffer[] }>;
  /** Events with seq > afterSeq in seq order. */
  events(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** Stored tiles after (level, idx), in (level, idx) order. */
  tilesAfter(level: number, idx: number, limit: number): Promise<{ level: number; idx: number; width: number; hashes: Buffer }[]>;
  checkpoints(): Promise<{ size: number; root: Buffer; note: string; created_at: string }[]>;
}

export type ProblemKind = 'edited' | 'deleted' | 'reordered' | 'inserted' | 'tile' | 'head' | 'checkpoint';

export interface Problem {
  /** The first event concerned, or null when no single event can be named. */
  readonly seq: number | null;
  readonly kind: ProblemKind;
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Events read from the table. */
  readonly events: number;
  /** The tree head's size and the root recomputed from the rows (over the first `size` events). */
  readonly size: number;
  readonly root: Buffer;
  readonly tiles: number;
  readonly checkpoints: number;
  /** Problems, first bad entry first. */
  readonly problems: Problem[];
  /** Roots recomputed from the rows at the requested sizes (checkpoints, --against). */
  readonly rootsAt: ReadonlyMap<number, Buffer>;
}

export interface VerifyOptions {
  readonly verifier: NoteVerifier;
  /** Extra sizes whose recomputed roots the caller wants (an external checkpoint). */
  readonly sizes?: readonly number[];
  readonly pageSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** At most this many problems are reported (the first ones). */
  readonly maxProblems?: number;
}

const MAX_MISMATCHES = 10_000;
/** Mismatched rows examined for a move (each against up to 2·WINDOW + 2 positions); the rest are reported as edited. */
const CLASSIFIED = 1000;
const WINDOW = 50;

function safeLeafHash(e: AuditEventFields): Buffer | null {
  try {
    return eventLeafHash(e);
  } catch {
    return null;
  }
}

export async function verifyLog(reader: LogReader, options: VerifyOptions): Promise<VerifyReport> {
  const pageSize = options.pageSize ?? 5000;
  const problems: Problem[] = [];
  const add = (p: Problem) => problems.push(p);
  const head = await reader.head();
  const checkpoints = await reader.checkpoints();
  const wanted = new Set<number>([head.size, ...checkpoints.map((c) => c.size), ...(options.sizes ?? [])]);
  const rootsAt = new Map<number, Buffer>();
  if (wanted.has(0)) rootsAt.set(0, new CompactRange().root());

  // 1. Rows: each recomputed leaf against its stored leaf hash; seqs dense from 1 up to the head.
  const range = new CompactRange();
  const computedTiles = new Map<string, Buffer[]>();
  const mismatches: { seq: number; event: StoredEvent; computed: Buffer | null }[] = [];
  let frontierAtHead: Buffer[] = [];
  const leafTiles = new Map<number, Buffer>();
  let leafBlock: Buffer[] = [];
  let expected = 1;
  let events = 0;
  let after = -Number.MAX_SAFE_INTEGER;
  const total = head.size;
  options.onProgress?.(0, total);
  for (;;) {
    const page = await reader.events(after, pageSize);
    if (page.length === 0) break;
    for (const e of page) {
      events++;
      after = e.seq;
      if (e.seq > expected) {
        add({ seq: expected, kind: 'deleted', message: e.seq - expected === 1 ? `seq ${expected} is missing: the row was deleted` : `seqs ${expected}..${e.seq - 1} are missing: ${e.seq - expected} rows were deleted` });
        expected = e.seq;
      } else if (e.seq < expected) {
        add({ seq: e.seq, kind: 'inserted', message: `seq ${e.seq} is out of sequence (expected ${expected}): a row was inserted` });
      }
      expected = Math.max(expected, e.seq + 1);
      if (e.seq > head.size) add({ seq: e.seq, kind: 'inserted', message: `seq ${e.seq} is beyond the tree head (size ${head.size}): a row was inserted outside the log` });
      const computed = safeLeafHash(e);
      if (!computed || !Buffer.isBuffer(e.leaf_hash) || !computed.equals(e.leaf_hash)) {
        if (mismatches.length < MAX_MISMATCHES) mismatches.push({ seq: e.seq, event: e, computed });
      }
      const leaf = computed ?? Buffer.alloc(HASH_BYTES);
      const position = range.size;
      if (position < head.size) {
        // Full level-0 tiles are stored too: keep a digest of each as the rows give it.
        leafBlock.push(leaf);
        if (leafBlock.length === TILE_WIDTH) {
          leafTiles.set(Math.floor(position / TILE_WIDTH), sha256(Buffer.concat(leafBlock)));
          leafBlock = [];
        }
      }
      range.push(leaf, position < head.size ? (n) => {
        if (n.height % TILE_HEIGHT !== 0) return;
        const level = n.height / TILE_HEIGHT;
        const key = `${level}/${Math.floor(n.index / TILE_WIDTH)}`;
        const list = computedTiles.get(key) ?? [];
        list.push(n.hash);
        computedTiles.set(key, list);
      } : undefined);
      if (wanted.has(range.size)) rootsAt.set(range.size, range.root());
      if (range.size === head.size) frontierAtHead = range.hashes.slice();
    }
    options.onProgress?.(Math.min(events, total), total);
  }
  if (expected <= head.size) {
    add({ seq: expected, kind: 'deleted', message: expected === head.size ? `seq ${expected} is missing: the last row was deleted` : `seqs ${expected}..${head.size} are missing: the last ${head.size - expected + 1} rows were deleted` });
  }
  classifyMismatches(mismatches, add);

  // 2. The tree head: size, root and compact range.
  const root = rootsAt.get(head.size) ?? range.root();
  if (!root.equals(head.root)) {
    // Name the first perfect subtree of the head that the rows no longer give (rows replaced
    // together with their leaf hashes leave only this trace, short of a checkpoint).
    const subtrees = perfectSubtrees(0, head.size);
    const i = subtrees.findIndex((_t, k) => !frontierAtHead[k]?.equals(head.frontier[k] ?? Buffer.alloc(0)));
    const t = subtrees[i];
    add(t && frontierAtHead.length === subtrees.length
      ? { seq: t.start + 1, kind: 'head', message: `events ${t.start + 1}..${t.start + 2 ** t.height} no longer hash to the tree head (its subtree ${i + 1} of ${subtrees.length}): a row there was replaced or its leaf hash rewritten` }
      : { seq: null, kind: 'head', message: `the tree head's root does not match the root recomputed from the rows (size ${head.size})` });
  } else if (head.frontier.length !== frontierAtHead.length || head.frontier.some((h, k) => !h.equals(frontierAtHead[k]!))) {
    add({ seq: null, kind: 'head', message: 'the tree head\'s compact range does not match the rows' });
  }

  // 3. Tiles: every stored tile equals the one recomputed from the rows; none missing, none extra.
  let tiles = 0;
  const seen = new Set<string>();
  for (let level = 0, idx = -1; ;) {
    const page = await reader.tilesAfter(level, idx, 200);
    if (page.length === 0) break;
    for (const t of page) {
      tiles++;
      level = t.level;
      idx = t.idx;
      const key = `${t.level}/${t.idx}`;
      seen.add(key);
      const want = computedTiles.get(key);
      const firstSeq = t.idx * TILE_WIDTH * TILE_WIDTH ** t.level + 1;
      if (t.level === 0) {
        const digest = leafTiles.get(t.idx);
        if (!digest) add({ seq: firstSeq, kind: 'tile', message: `tile ${key} is stored but the log of ${head.size} events has no such full tile` });
        else if (t.width !== TILE_WIDTH || !sha256(t.hashes).equals(digest)) add({ seq: firstSeq, kind: 'tile', message: `tile ${key} does not match the leaf hashes of events ${firstSeq}..${firstSeq + TILE_WIDTH - 1}` });
        continue;
      }
      if (!want) {
        add({ seq: firstSeq, kind: 'tile', message: `tile ${key} is stored but the log of ${head.size} events has no such tile` });
      } else if (t.width !== want.length || !t.hashes.equals(Buffer.concat(want))) {
        const diff = want.findIndex((h, i) => !t.hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES).equals(h));
        const at = diff < 0 ? Math.min(t.width, want.length) : diff;
        add({ seq: firstSeq + at * TILE_WIDTH ** t.level, kind: 'tile', message: `tile ${key} does not match the rows (width ${t.width}, expected ${want.length}; first difference at hash ${at})` });
      }
    }
  }
  for (const idx of leafTiles.keys()) {
    if (!seen.has(`0/${idx}`)) add({ seq: idx * TILE_WIDTH + 1, kind: 'tile', message: `tile 0/${idx} is missing` });
  }
  for (const key of computedTiles.keys()) {
    if (!seen.has(key)) {
      const [level, idx] = key.split('/').map(Number) as [number, number];
      add({ seq: idx * TILE_WIDTH * TILE_WIDTH ** level + 1, kind: 'tile', message: `tile ${key} is missing` });
    }
  }

  // 4. Checkpoints: each signed by the log, its columns equal to its note, its root equal to the rows'.
  for (const c of checkpoints) {
    let parsed: { size: number; root: Buffer };
    try {
      parsed = openCheckpoint(c.note, options.verifier);
    } catch (e) {
      add({ seq: null, kind: 'checkpoint', message: `checkpoint at size ${c.size} (${c.created_at}): ${e instanceof NoteError ? e.message : 'unreadable'}` });
      continue;
    }
    if (parsed.size !== c.size || !parsed.root.equals(c.root)) {
      add({ seq: null, kind: 'checkpoint', message: `checkpoint at size ${c.size} (${c.created_at}): its size or root column differs from its signed note` });
    }
    const r = rootsAt.get(parsed.size);
    if (!r) {
      add({ seq: Math.min(range.size + 1, parsed.size), kind: 'checkpoint', message: `checkpoint at size ${parsed.size} (${c.created_at}) is beyond the log's ${range.size} events: rows were deleted` });
    } else if (!r.equals(parsed.root)) {
      add({ seq: null, kind: 'checkpoint', message: `checkpoint at size ${parsed.size} (${c.created_at}) does not match the rows: events 1..${parsed.size} were changed after it was signed` });
    }
  }

  // Row problems name the first bad entry; tile, head and checkpoint mismatches follow from them.
  const rank = (k: ProblemKind) => (k === 'edited' || k === 'deleted' || k === 'reordered' || k === 'inserted' ? 0 : k === 'checkpoint' ? 1 : k === 'head' ? 2 : 3);
  problems.sort((a, b) => rank(a.kind) - rank(b.kind) || (a.seq ?? Infinity) - (b.seq ?? Infinity));
  return { ok: problems.length === 0, events, size: head.size, root, tiles, checkpoints: checkpoints.length, problems: problems.slice(0, options.maxProblems ?? 100), rootsAt };
}

/**
 * A row whose content no longer hashes to its leaf hash was edited — unless its content, hashed
 * at another seq, is what that position (or its own stored leaf hash) expects: then rows were
 * swapped or renumbered (reordered), or shifted to make room for an inserted row.
 */
function classifyMismatches(mismatches: { seq: number; event: StoredEvent; computed: Buffer | null }[], add: (p: Problem) => void): void {
  const storedAt = new Map(mismatches.map((m) => [m.seq, m.event.leaf_hash]));
  for (const [i, m] of mismatches.entries()) {
    if (!m.computed) {
      add({ seq: m.seq, kind: 'edited', message: `seq ${m.seq}: the row cannot be serialized (a field is missing or malformed): it was edited` });
      continue;
    }
    if (i >= CLASSIFIED) {
      add({ seq: m.seq, kind: 'edited', message: `seq ${m.seq}: leaf hash mismatch: the row was edited or moved` });
      continue;
    }
    // Where the row may have come from: nearby mismatched rows (a swap) and its neighbours (a shift).
    const near = mismatches.slice(Math.max(0, i - WINDOW), i + WINDOW + 1).map((n) => n.seq);
    const candidates = new Set<number>([...near, m.seq - 1, m.seq + 1]);
    candidates.delete(m.seq);
    let origin: number | null = null;
    for (const t of candidates) {
      if (t < 1) continue;
      const h = safeLeafHash({ ...m.event, seq: t });
      if (h && (h.equals(m.event.leaf_hash) || storedAt.get(t)?.equals(h))) {
        origin = t;
        break;
      }
    }
    if (origin !== null) {
      add({ seq: m.seq, kind: 'reordered', message: `seq ${m.seq}: the row holds the event logged at seq ${origin}: rows were reordered (or renumbered around an inserted row)` });
    } else {
      add({ seq: m.seq, kind: 'edited', message: `seq ${m.seq}: leaf hash mismatch: the row was edited after it was logged` });
    }
  }
}
