import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CryptoError, DecryptionError } from './errors.ts';
import { generateKey, rewrapKey, unwrapKey, wrapKey } from './key-wrap.ts';
import type { WrappedKeyKind } from './key-wrap.ts';
import { DataKey, IndexKey, RootKey, SigningKey, SystemKey, TokenKey } from './secret-key.ts';

const KINDS: WrappedKeyKind[] = ['subject', 'index', 'token', 'system', 'signing'];
const CLASSES = { subject: DataKey, index: IndexKey, token: TokenKey, system: SystemKey, signing: SigningKey } as const;

const rootBytes = fc.uint8Array({ minLength: 32, maxLength: 32 });
const root = fc.tuple(fc.integer({ min: 1, max: 50 }), rootBytes).map(([v, b]) => new RootKey(v, b));
const label = fc.string({ unit: 'binary', maxLength: 40 });
const kind = fc.constantFrom(...KINDS);

function isDecryptionError(e: unknown): true {
  assert.ok(e instanceof DecryptionError, `expected DecryptionError, got ${String(e)}`);
  assert.ok(e instanceof CryptoError);
  assert.equal(e.code, 'ERR_DECRYPTION_FAILED');
  assert.equal(e.message, 'decryption failed');
  return true;
}

const bytesOf = (k: { exposeBytes(): Buffer }) => k.exposeBytes();

describe('key wrapping', () => {
  it('wrap then unwrap gives back the same key, of the right class, for every kind', () => {
    fc.assert(fc.property(root, kind, label, (r, kd, l) => {
      const key = generateKey(kd);
      const wrapped = wrapKey(r, kd, l, key as never);
      assert.equal(wrapped.length, 1 + 12 + 32 + 16);
      const back = unwrapKey(r, kd, l, wrapped);
      assert.ok(back instanceof CLASSES[kd]);
      assert.deepEqual(bytesOf(back), bytesOf(key));
    }));
  });

  it('generateKey gives fresh random keys of the right class', () => {
    for (const kd of KINDS) {
      const a = generateKey(kd);
      const b = generateKey(kd);
      assert.ok(a instanceof CLASSES[kd]);
      assert.equal(bytesOf(a).length, 32);
      assert.notDeepEqual(bytesOf(a), bytesOf(b));
    }
  });

  it('a wrapped key does not contain the key bytes, and wrapping twice gives different bytes', () => {
    const r = new RootKey(1, Buffer.alloc(32, 1));
    const key = generateKey('subject');
    const w1 = wrapKey(r, 'subject', 's1', key);
    const w2 = wrapKey(r, 'subject', 's1', key);
    assert.notDeepEqual(w1, w2);
    assert.ok(!w1.includes(bytesOf(key).subarray(0, 8)));
  });

  it('unwrapping under another label throws DecryptionError (no swapping subjects or columns)', () => {
    fc.assert(fc.property(root, kind, label, label, (r, kd, l1, l2) => {
      fc.pre(l1 !== l2);
      const wrapped = wrapKey(r, kd, l1, generateKey(kd) as never);
      assert.throws(() => unwrapKey(r, kd, l2, wrapped), isDecryptionError);
    }));
  });

  it('unwrapping as another kind throws DecryptionError', () => {
    fc.assert(fc.property(root, kind, kind, label, (r, k1, k2, l) => {
      fc.pre(k1 !== k2);
      const wrapped = wrapKey(r, k1, l, generateKey(k1) as never);
      assert.throws(() => unwrapKey(r, k2, l, wrapped), isDecryptionError);
    }));
  });

  it('unwrapping under another root version throws DecryptionError, even with the same root bytes', () => {
    fc.assert(fc.property(rootBytes, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), kind, label, (b, v1, v2, kd, l) => {
      fc.pre(v1 !== v2);
      const wrapped = wrapKey(new RootKey(v1, b), kd, l, generateKey(kd) as never);
      assert.throws(() => unwrapKey(new RootKey(v2, b), kd, l, wrapped), isDecryptionError);
    }));
  });

  it('unwrapping under another root key throws DecryptionError', () => {
    fc.assert(fc.property(rootBytes, rootBytes, kind, label, (b1, b2, kd, l) => {
      fc.pre(!Buffer.from(b1).equals(Buffer.from(b2)));
      const wrapped = wrapKey(new RootKey(1, b1), kd, l, generateKey(kd) as never);
      assert.throws(() => unwrapKey(new RootKey(1, b2), kd, l, wrapped), isDecryptionError);
    }));
  });

  it('unwrapping tampered or truncated bytes throws DecryptionError', () => {
    const r = new RootKey(2, Buffer.alloc(32, 2));
    const wrapped = wrapKey(r, 'index', 'bidx/document', generateKey('index'));
    for (let bit = 0; bit < wrapped.length * 8; bit += 7) {
      const bad = Buffer.from(wrapped);
      bad[bit >> 3]! ^= 1 << (bit & 7);
      assert.throws(() => unwrapKey(r, 'index', 'bidx/document', bad), isDecryptionError);
    }
    for (let n = 0; n < wrapped.length; n++) assert.throws(() => unwrapKey(r, 'index', 'bidx/document', wrapped.subarray(0, n)), isDecryptionError);
  });

  it('rewrapKey moves a key to another root version: same key, only the new version opens it', () => {
    fc.assert(fc.property(root, root, kind, label, (from, to, kd, l) => {
      fc.pre(from.version !== to.version);
      const key = generateKey(kd);
      const old = wrapKey(from, kd, l, key as never);
      const moved = rewrapKey(from, to, kd, l, old);
      assert.deepEqual(bytesOf(unwrapKey(to, kd, l, moved)), bytesOf(key));
      assert.throws(() => unwrapKey(from, kd, l, moved), isDecryptionError);
      assert.throws(() => rewrapKey(to, from, kd, l, old), isDecryptionError);
    }));
  });

  it('does not confuse two root keys of the same version but different bytes (key-encryption-key cache)', () => {
    const a = new RootKey(1, Buffer.alloc(32, 0xaa));
    const b = new RootKey(1, Buffer.alloc(32, 0xbb));
    const key = generateKey('token');
    const wa = wrapKey(a, 'token', 't', key);
    const wb = wrapKey(b, 'token', 't', key);
    assert.deepEqual(bytesOf(unwrapKey(a, 'token', 't', wa)), bytesOf(key));
    assert.deepEqual(bytesOf(unwrapKey(b, 'token', 't', wb)), bytesOf(key));
    assert.throws(() => unwrapKey(a, 'token', 't', wb), isDecryptionError);
    // A second RootKey object with the same version and bytes (as RootKeyring.get returns) unwraps.
    assert.deepEqual(bytesOf(unwrapKey(new RootKey(1, Buffer.alloc(32, 0xaa)), 'token', 't', wa)), bytesOf(key));
  });
});
