/**
 * The Merkle tree against the transparency-dev/merkle test suite (test/vectors/merkle, Apache-2.0):
 * every good case verifies and every bad case is rejected, with the counts asserted so that the
 * test cannot pass vacuously; then property tests over random trees.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { MERKLE_EMPTY_ROOT, merkleLeafHash, merkleNodeHash } from '../crypto/index.ts';
import {
  CompactRange, consistencyProof, consistencyRanges, inclusionProof, inclusionRanges, ProofError, rangeHash, rootOf, verifyConsistency, verifyInclusion,
} from './merkle.ts';

const VECTORS = fileURLToPath(new URL('../../test/vectors/merkle/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.json') ? [p] : [];
  }).sort();
}

/** JSON with the u64 fields read exactly (some cases use 2^64 − 1, beyond a double's precision). */
function load(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8').replace(/"(leafIdx|treeSize|size1|size2)": (\d+)/g, '"$1": "$2"')) as Record<string, unknown>;
}

const b64 = (s: unknown) => Buffer.from(String(s ?? ''), 'base64');
const proofOf = (p: unknown) => ((p as string[] | null) ?? []).map(b64);

interface Outcome { good: number; bad: number; failures: string[] }

function run(kind: 'inclusion' | 'consistency'): Outcome {
  const out: Outcome = { good: 0, bad: 0, failures: [] };
  for (const path of files(join(VECTORS, kind))) {
    const v = load(path);
    let error: unknown = null;
    try {
      if (kind === 'inclusion') verifyInclusion(BigInt(v.leafIdx as string), BigInt(v.treeSize as string), b64(v.leafHash), proofOf(v.proof), b64(v.root));
      else verifyConsistency(BigInt(v.size1 as string), BigInt(v.size2 as string), proofOf(v.proof), b64(v.root1), b64(v.root2));
    } catch (e) {
      error = e;
    }
    const name = relative(VECTORS, path);
    if (error !== null && !(error instanceof ProofError)) out.failures.push(`${name}: threw ${String(error)} instead of a ProofError`);
    if (v.wantErr === true) {
      out.bad++;
      if (error === null) out.failures.push(`${name}: accepted a bad proof (${String(v.desc)})`);
    } else {
      out.good++;
      if (error !== null) out.failures.push(`${name}: rejected a good proof: ${(error as Error).message}`);
    }
  }
  return out;
}

describe('Merkle proofs against the transparency-dev/merkle vectors', () => {
  it('inclusion: 6 good cases verify, 92 bad cases are rejected (additional/ and single-entry/ included)', () => {
    const r = run('inclusion');
    assert.deepEqual(r.failures, []);
    assert.deepEqual({ good: r.good, bad: r.bad }, { good: 6, bad: 92 });
  });

  it('consistency: 6 good cases verify, 92 bad cases are rejected (additional/ included)', () => {
    const r = run('consistency');
    assert.deepEqual(r.failures, []);
    assert.deepEqual({ good: r.good, bad: r.bad }, { good: 6, bad: 92 });
  });

  it('the happy-path proofs are the ones this code generates for the RFC 6962 reference tree', () => {
    // The suite's tree: the eight leaves of the RFC 6962 / certificate-transparency reference tests.
    const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const leaves = inputs.map((h) => merkleLeafHash(Buffer.from(h, 'hex')));
    for (const path of files(VECTORS).filter((p) => p.endsWith('happy-path.json'))) {
      const v = load(path);
      if ('leafIdx' in v) {
        const size = Number(v.treeSize);
        assert.deepEqual(inclusionProof(leaves, Number(v.leafIdx), size).map((b) => b.toString('base64')), ((v.proof as string[] | null) ?? []), path);
        assert.equal(rootOf(leaves.slice(0, size)).toString('base64'), v.root, path);
      } else if (Number(v.size1) !== Number(v.size2)) {
        assert.deepEqual(consistencyProof(leaves, Number(v.size1), Number(v.size2)).map((b) => b.toString('base64')), v.proof, path);
      }
    }
  });
});

describe('Merkle tree basics', () => {
  it('has the RFC 6962 empty root and single-leaf root', () => {
    assert.equal(MERKLE_EMPTY_ROOT.toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(rootOf([]).toString('hex'), MERKLE_EMPTY_ROOT.toString('hex'));
    const l = merkleLeafHash(Buffer.alloc(0));
    assert.equal(l.toString('hex'), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    assert.deepEqual(rootOf([l]), l);
  });

  it('builds the same root incrementally as recursively, and reports every completed node', () => {
    const leaves = Array.from({ length: 300 }, (_, i) => merkleLeafHash(Buffer.from(String(i))));
    const cr = new CompactRange();
    const nodes = new Map<string, Buffer>();
    for (const [i, l] of leaves.entries()) {
      cr.push(l, (n) => nodes.set(`${n.height}/${n.index}`, n.hash));
      assert.deepEqual(cr.root(), rangeHash(leaves, 0, i + 1));
      const again = new CompactRange(cr.size, cr.hashes);
      assert.deepEqual(again.root(), cr.root());
    }
    assert.deepEqual(nodes.get('8/0'), rangeHash(leaves, 0, 256));
    assert.deepEqual(nodes.get('1/149'), merkleNodeHash(leaves[298]!, leaves[299]!));
    assert.equal(nodes.size, 300 - 4, 'n leaves make n − popcount(n) inner nodes');
    assert.throws(() => new CompactRange(5, []), /has 2 hashes/);
  });

  it('refuses proofs for impossible positions', () => {
    assert.throws(() => inclusionRanges(3, 3), /not in a tree/);
    assert.throws(() => consistencyRanges(0, 3), /no consistency proof/);
    assert.throws(() => consistencyRanges(4, 3), /no consistency proof/);
    assert.deepEqual(consistencyRanges(3, 3), []);
  });
});

/** A tree of 1..300 random, distinct leaves (each prefixed with its index) and positions inside it. */
const tree = fc.integer({ min: 1, max: 300 }).chain((n) => fc.record({
  leaves: fc.array(fc.uint8Array({ minLength: 0, maxLength: 8 }), { minLength: n, maxLength: n })
    .map((xs) => xs.map((x, i) => merkleLeafHash(Buffer.concat([Buffer.from(`${i}:`), x])))),
  a: fc.nat({ max: n - 1 }),
  b: fc.nat({ max: n - 1 }),
  bit: fc.nat(),
}));

function flipBit(hashes: Buffer[], bit: number): Buffer[] {
  const total = hashes.length * 256;
  const at = bit % total;
  return hashes.map((h, i) => {
    if (i !== Math.floor(at / 256)) return h;
    const c = Buffer.from(h);
    c[Math.floor((at % 256) / 8)]! ^= 1 << (at % 8);
    return c;
  });
}

describe('Merkle proof properties', () => {
  it('every inclusion proof verifies; any single-bit change of proof, leaf or root fails', () => {
    fc.assert(fc.property(tree, ({ leaves, a, b, bit }) => {
      const size = Math.max(a, b) + 1;
      const index = Math.min(a, b);
      const root = rootOf(leaves.slice(0, size));
      const proof = inclusionProof(leaves, index, size);
      verifyInclusion(index, size, leaves[index]!, proof, root);
      const parts = [leaves[index]!, root, ...proof];
      const flipped = flipBit(parts, bit);
      assert.throws(() => verifyInclusion(index, size, flipped[0]!, flipped.slice(2), flipped[1]!), ProofError);
    }), { numRuns: 300 });
  });

  it('every consistency proof verifies; any single-bit change of proof or either root fails', () => {
    fc.assert(fc.property(tree, ({ leaves, a, b, bit }) => {
      const m = Math.min(a, b) + 1;
      const n = Math.max(a, b) + 1;
      const r1 = rootOf(leaves.slice(0, m));
      const r2 = rootOf(leaves.slice(0, n));
      const proof = consistencyProof(leaves, m, n);
      verifyConsistency(m, n, proof, r1, r2);
      const flipped = flipBit([r1, r2, ...proof], bit);
      assert.throws(() => verifyConsistency(m, n, flipped.slice(2), flipped[0]!, flipped[1]!), ProofError);
    }), { numRuns: 300 });
  });
});
