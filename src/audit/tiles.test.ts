import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { merkleLeafHash } from '../crypto/index.ts';
import { auditLogHashing, eventLeafHash, leafBytes } from './leaf.ts';
import { consistencyProof, inclusionProof, rootOf, verifyConsistency, verifyInclusion } from './merkle.ts';
import { TiledTree } from './tiles.ts';
import type { TileCache, TileSource } from './tiles.ts';

/** Tiles as the repository keeps them: level ≥ 1 tiles grown from extend()'s entries; level 0 = the leaves. */
function build(leaves: Buffer[], batches: number[]): { source: TileSource; tiles: Map<string, Buffer[]>; root: Buffer; frontier: Buffer[] } {
  const tiles = new Map<string, Buffer[]>();
  let size = 0;
  let frontier: Buffer[] = [];
  let root = rootOf([]);
  let b = 0;
  while (size < leaves.length) {
    const n = Math.min(batches[b++ % batches.length]!, leaves.length - size);
    const next = auditLogHashing.extend(size, frontier, leaves.slice(size, size + n));
    for (const e of next.tileEntries) {
      const key = `${e.level}/${Math.floor(e.index / 256)}`;
      const t = tiles.get(key) ?? [];
      assert.equal(t.length, e.index % 256, 'tile entries arrive in order');
      t.push(e.hash);
      tiles.set(key, t);
    }
    size += n;
    frontier = next.frontier;
    root = next.root;
  }
  return {
    tiles, root, frontier,
    source: {
      leafHashes: async (from, to) => leaves.slice(from, to),
      tile: async (level, idx) => {
        const t = tiles.get(`${level}/${idx}`);
        return t ? { width: t.length, hashes: Buffer.concat(t) } : undefined;
      },
    },
  };
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => merkleLeafHash(Buffer.from(`leaf ${i}`)));

describe('tiles (c2sp.org/tlog-tiles)', () => {
  it('lays out a tree of 70,000 leaves as the spec says', () => {
    const { tiles } = build(leavesOf(70_000), [1000]);
    // Level 0 (leaves) has 273 full tiles and one of width 112 (kept in the event rows).
    assert.equal(Math.floor(70_000 / 256), 273);
    assert.equal(70_000 % 256, 112);
    assert.deepEqual([...tiles.entries()].map(([k, v]) => `${k}:${v.length}`).sort(), ['1/0:256', '1/1:17', '2/0:1']);
  });

  it('a tree of 256 leaves has one full level-0 tile and a level-1 tile of width 1', () => {
    const { tiles } = build(leavesOf(256), [7]);
    assert.deepEqual([...tiles.keys()], ['1/0']);
    assert.equal(tiles.get('1/0')!.length, 1);
  });

  for (const [max, runs] of [[1_500, 100], [70_000, 8]] as const) {
  it(`gives the same roots and proofs as the in-memory tree, at any size up to ${max} and batch pattern`, async () => {
    const leaves = leavesOf(max);
    const { source, root } = build(leaves, [1, 255, 2, 4096, 3]);
    assert.deepEqual(root, rootOf(leaves));
    const cache: TileCache = new Map(); // shared by trees of every size, as the server shares it
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max }), fc.nat(), fc.nat(), fc.boolean(), async (size, a, b, withEdge) => {
      const edge = withEdge ? auditLogHashing.extend(0, [], leaves.slice(0, size)).frontier : undefined;
      const tree = new TiledTree(source, size, cache, edge);
      const r = await tree.root();
      assert.deepEqual(r, rootOf(leaves.slice(0, size)));
      const index = a % size;
      const proof = await tree.inclusionProof(index);
      assert.deepEqual(proof, inclusionProof(leaves, index, size));
      verifyInclusion(index, size, leaves[index]!, proof, r);
      const m = (b % size) + 1;
      const cproof = await tree.consistencyProof(m);
      assert.deepEqual(cproof, consistencyProof(leaves, m, size));
      verifyConsistency(m, size, cproof, rootOf(leaves.slice(0, m)), r);
    }), { numRuns: runs });
  });
  }

  it('refuses to prove from missing or short tiles', async () => {
    const leaves = leavesOf(600);
    const { source } = build(leaves, [600]);
    const missing: TileSource = { ...source, tile: async () => undefined };
    await assert.rejects(new TiledTree(missing, 600).inclusionProof(3), /tile 1\/0 is missing/);
    const short: TileSource = { ...source, leafHashes: async (from, to) => leaves.slice(from, to - 1) };
    await assert.rejects(new TiledTree(short, 600).inclusionProof(599), /incomplete/);
  });
});

describe('audit leaf serialization', () => {
  const event = { seq: 7, at: '2026-11-29T00:00:00.000Z', actor: 'system:cli:ops', actor_role: 'system', action: 'read', resource_type: 'subject', resource_id: null, subject_ref: 'ab', purpose: 'case_investigation', reason: null, outcome: 'success', request_id: null };

  it('is versioned, carries the seq, and length-prefixes every field (NULL and empty differ)', () => {
    const b = leafBytes(event);
    assert.equal(b[0], 1);
    assert.equal(b.readBigUInt64BE(1), 7n);
    assert.equal(b.subarray(9, 14).toString('hex'), '0100000018');
    assert.notDeepEqual(leafBytes({ ...event, reason: '' }), b);
    assert.notDeepEqual(leafBytes({ ...event, seq: 8 }), b);
    assert.notDeepEqual(leafBytes({ ...event, actor: 'system:cli:o', actor_role: 'psystem' }), b);
    assert.deepEqual(eventLeafHash(event), merkleLeafHash(b));
  });

  it('writes every field as its UTF-8 bytes with their length (any Unicode text)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary-ascii', maxLength: 30 }), (a, b) => {
      const bytes = leafBytes({ ...event, actor: a, reason: b });
      const fields = [event.at, a, event.actor_role, event.action, event.resource_type, null, event.subject_ref, event.purpose, b, event.outcome, null];
      const expected = Buffer.concat([Buffer.of(1), Buffer.from('0000000000000007', 'hex'), ...fields.map((f) => {
        if (f === null) return Buffer.of(0);
        const u = Buffer.from(f, 'utf8');
        const head = Buffer.alloc(5);
        head[0] = 1;
        head.writeUInt32BE(u.length, 1);
        return Buffer.concat([head, u]);
      })]);
      assert.deepEqual(bytes, expected);
    }), { numRuns: 300 });
  });

  it('refuses what it cannot serialize faithfully', () => {
    assert.throws(() => leafBytes({ ...event, seq: 0 }), /positive integer/);
    assert.throws(() => leafBytes({ ...event, actor: 'x\uD800' }), /well-formed/);
    assert.throws(() => leafBytes({ ...event, actor: '\uDC00x' }), /well-formed/);
    assert.throws(() => leafBytes({ ...event, reason: 'a\uD800\uD800' }), /well-formed/);
  });
});
