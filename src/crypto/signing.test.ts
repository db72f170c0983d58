/**
 * Ed25519 through the functions the audit log calls: every case of the Wycheproof Ed25519 file
 * (test/vectors/wycheproof, Apache-2.0) gives the expected verdict, counts asserted; signing
 * keys wrap and unwrap like every column key; and sign → verify round-trips.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { generateKey, unwrapKey, wrapKey } from './key-wrap.ts';
import { RootKey, SigningKey } from './secret-key.ts';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from './signing.ts';
import { DecryptionError } from './errors.ts';

interface Ed25519File {
  numberOfTests: number;
  testGroups: { publicKey: { pk: string }; tests: { tcId: number; msg: string; sig: string; result: 'valid' | 'invalid' | 'acceptable' }[] }[];
}

describe('Ed25519', () => {
  it('gives the Wycheproof verdict for all 151 cases (88 valid, 63 invalid)', () => {
    const file = JSON.parse(readFileSync(new URL('../../test/vectors/wycheproof/ed25519_test.json', import.meta.url), 'utf8')) as Ed25519File;
    const counts = { valid: 0, invalid: 0, acceptable: 0 };
    const failures: number[] = [];
    for (const g of file.testGroups) {
      for (const t of g.tests) {
        counts[t.result]++;
        const ok = ed25519Verify(Buffer.from(g.publicKey.pk, 'hex'), Buffer.from(t.msg, 'hex'), Buffer.from(t.sig, 'hex'));
        if (ok !== (t.result === 'valid')) failures.push(t.tcId);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(counts.valid + counts.invalid + counts.acceptable, file.numberOfTests);
    assert.deepEqual(counts, { valid: 88, invalid: 63, acceptable: 0 });
  });

  it('signs and verifies; a changed message, key or signature fails', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 100 }), fc.nat(), (seed, msg, bit) => {
      const key = new SigningKey(seed);
      const pub = ed25519PublicKey(key);
      const sig = ed25519Sign(key, msg);
      assert.equal(sig.length, 64);
      assert.ok(ed25519Verify(pub, msg, sig));
      const bad = Buffer.from(sig);
      bad[Math.floor((bit % 512) / 8)]! ^= 1 << (bit % 8);
      assert.equal(ed25519Verify(pub, msg, bad), false);
      assert.equal(ed25519Verify(pub, Buffer.concat([msg, Buffer.of(0)]), sig), false);
      assert.equal(ed25519Verify(pub.subarray(1), msg, sig), false);
    }), { numRuns: 100 });
  });

  it('wraps a signing key under the root key, bound to its kind and name', () => {
    const root = new RootKey(1, Buffer.alloc(32, 1));
    const key = generateKey('signing');
    assert.ok(key instanceof SigningKey);
    assert.equal(String(key), '[REDACTED]');
    const wrapped = wrapKey(root, 'signing', 'signing/audit-checkpoint', key);
    assert.deepEqual(unwrapKey(root, 'signing', 'signing/audit-checkpoint', wrapped).exposeBytes(), key.exposeBytes());
    assert.throws(() => unwrapKey(root, 'system', 'signing/audit-checkpoint', wrapped), DecryptionError);
    assert.throws(() => unwrapKey(root, 'signing', 'signing/other', wrapped), DecryptionError);
  });
});
