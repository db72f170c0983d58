import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { aesGcmDecrypt, aesGcmEncrypt, bindingBytes, ENVELOPE_VERSION, open, openJson, seal, sealJson } from './aead.ts';
import type { Binding } from './aead.ts';
import { CryptoError, DecryptionError } from './errors.ts';
import { DataKey, RootKey, SystemKey } from './secret-key.ts';
import type { AeadKey } from './secret-key.ts';

const OVERHEAD = 1 + 12 + 16;

/** The one error every failed opening must raise, whatever the cause. */
function isGenericDecryptionError(e: unknown): true {
  assert.ok(e instanceof DecryptionError, `expected DecryptionError, got ${String(e)}`);
  assert.ok(e instanceof CryptoError);
  assert.equal(e.code, 'ERR_DECRYPTION_FAILED');
  assert.equal(e.message, 'decryption failed');
  assert.equal(e.name, 'DecryptionError');
  return true;
}

function assertFailsToOpen(fn: () => unknown): void {
  assert.throws(fn, isGenericDecryptionError);
}

const keyBytes = fc.uint8Array({ minLength: 32, maxLength: 32 });
const aeadKey: fc.Arbitrary<AeadKey> = fc.oneof(
  keyBytes.map((b) => new DataKey(b)),
  keyBytes.map((b) => new SystemKey(b)),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), keyBytes).map(([v, b]) => new RootKey(v, b)),
);
const part = fc.string({ unit: 'binary', maxLength: 24 });
const binding: fc.Arbitrary<Binding> = fc.record({ keyId: part, table: part, column: part, rowId: part });
const plaintext = fc.uint8Array({ maxLength: 300 });
const FIELDS = ['keyId', 'table', 'column', 'rowId'] as const;

describe('seal / open', () => {
  it('round-trips any bytes under any binding, with the documented envelope layout', () => {
    fc.assert(fc.property(aeadKey, plaintext, binding, (key, pt, b) => {
      const env = seal(key, pt, b);
      assert.equal(env.length, pt.length + OVERHEAD);
      assert.equal(env[0], ENVELOPE_VERSION);
      assert.deepEqual(open(key, env, b), Buffer.from(pt));
    }));
  });

  it('uses a fresh nonce for every seal', () => {
    fc.assert(fc.property(aeadKey, plaintext, binding, (key, pt, b) => {
      const a = seal(key, pt, b);
      const c = seal(key, pt, b);
      assert.notDeepEqual(a.subarray(1, 13), c.subarray(1, 13));
      assert.notDeepEqual(a, c);
    }));
  });

  it('fails with the one generic error under any other binding (row, column, table or key id)', () => {
    fc.assert(fc.property(aeadKey, plaintext, binding, fc.constantFrom(...FIELDS), part, (key, pt, b, field, other) => {
      fc.pre(other !== b[field]);
      const env = seal(key, pt, b);
      assertFailsToOpen(() => open(key, env, { ...b, [field]: other }));
    }));
  });

  it('fails when a ciphertext is moved to another row, column, table or subject', () => {
    const key = new DataKey(Buffer.alloc(32, 7));
    const home: Binding = { keyId: 'dek/s1', table: 'identities', column: 'sealed', rowId: 's1' };
    const env = seal(key, Buffer.from('{"name":"x"}'), home);
    assert.equal(open(key, env, home).toString(), '{"name":"x"}');
    assertFailsToOpen(() => open(key, env, { ...home, rowId: 's2' }));
    assertFailsToOpen(() => open(key, env, { ...home, column: 'other' }));
    assertFailsToOpen(() => open(key, env, { ...home, table: 'cases' }));
    assertFailsToOpen(() => open(key, env, { ...home, keyId: 'dek/s2' }));
    assertFailsToOpen(() => open(key, env, { keyId: 'dek/s2', table: 'identities', column: 'sealed', rowId: 's2' }));
  });

  it('fails with the one generic error under any other key', () => {
    fc.assert(fc.property(keyBytes, keyBytes, plaintext, binding, (k1, k2, pt, b) => {
      fc.pre(!Buffer.from(k1).equals(Buffer.from(k2)));
      const env = seal(new DataKey(k1), pt, b);
      assertFailsToOpen(() => open(new DataKey(k2), env, b));
      // A key of another role with the same bytes opens it: roles are a type-level guard only.
      assert.deepEqual(open(new SystemKey(k1), env, b), Buffer.from(pt));
    }));
  });

  it('fails with the one generic error when truncated at any length', () => {
    fc.assert(fc.property(aeadKey, plaintext, binding, fc.nat(), (key, pt, b, n) => {
      const env = seal(key, pt, b);
      const cut = n % env.length;
      assertFailsToOpen(() => open(key, env.subarray(0, cut), b));
    }));
  });

  it('fails at every truncation length of one envelope (exhaustive)', () => {
    const key = new DataKey(Buffer.alloc(32, 1));
    const b: Binding = { keyId: 'k', table: 't', column: 'c', rowId: 'r' };
    const env = seal(key, Buffer.from('0123456789abcdef0123'), b);
    for (let cut = 0; cut < env.length; cut++) assertFailsToOpen(() => open(key, env.subarray(0, cut), b));
  });

  it('fails with the one generic error when extended by any bytes', () => {
    fc.assert(fc.property(aeadKey, plaintext, binding, fc.uint8Array({ minLength: 1, maxLength: 32 }), (key, pt, b, extra) => {
      const env = seal(key, pt, b);
      assertFailsToOpen(() => open(key, Buffer.concat([env, extra]), b));
    }));
  });

  it('fails with the one generic error when any single bit is flipped', () => {
    fc.assert(fc.property(aeadKey, plaintext, binding, fc.nat(), (key, pt, b, n) => {
      const env = seal(key, pt, b);
      const bit = n % (env.length * 8);
      const bad = Buffer.from(env);
      bad[bit >> 3]! ^= 1 << (bit & 7);
      assertFailsToOpen(() => open(key, bad, b));
    }));
  });

  it('fails at every single-bit flip of one envelope (exhaustive)', () => {
    const key = new SystemKey(Buffer.alloc(32, 2));
    const b: Binding = { keyId: 'k', table: 't', column: 'c', rowId: 'r' };
    const env = seal(key, Buffer.from('hello'), b);
    for (let bit = 0; bit < env.length * 8; bit++) {
      const bad = Buffer.from(env);
      bad[bit >> 3]! ^= 1 << (bit & 7);
      assertFailsToOpen(() => open(key, bad, b));
    }
  });

  it('fails with the one generic error when the version byte is changed', () => {
    fc.assert(fc.property(aeadKey, plaintext, binding, fc.integer({ min: 0, max: 255 }), (key, pt, b, v) => {
      fc.pre(v !== ENVELOPE_VERSION);
      const env = Buffer.from(seal(key, pt, b));
      env[0] = v;
      assertFailsToOpen(() => open(key, env, b));
    }));
  });

  it('fails with the one generic error on input that is not an envelope at all', () => {
    const key = new DataKey(Buffer.alloc(32, 3));
    const b: Binding = { keyId: 'k', table: 't', column: 'c', rowId: 'r' };
    assertFailsToOpen(() => open(key, 'not bytes' as unknown as Uint8Array, b));
    assertFailsToOpen(() => open(key, Buffer.alloc(0), b));
    assertFailsToOpen(() => open(key, Buffer.alloc(OVERHEAD), b));
    assertFailsToOpen(() => open(key, Buffer.concat([Buffer.from([ENVELOPE_VERSION]), Buffer.alloc(OVERHEAD - 1)]), b));
  });
});

describe('aesGcmEncrypt / aesGcmDecrypt parameter checks', () => {
  const key = Buffer.alloc(32, 9);
  it('only accepts 96-bit nonces, both ways', () => {
    for (const n of [0, 8, 11, 13, 16]) {
      assert.throws(() => aesGcmEncrypt(key, Buffer.alloc(n), Buffer.from('x'), Buffer.alloc(0)), RangeError);
      assertFailsToOpen(() => aesGcmDecrypt(key, Buffer.alloc(n), Buffer.alloc(17), Buffer.alloc(0)));
    }
  });

  it('only accepts 256-bit keys, both ways', () => {
    for (const n of [16, 24, 31, 33]) {
      assert.throws(() => aesGcmEncrypt(Buffer.alloc(n), Buffer.alloc(12), Buffer.from('x'), Buffer.alloc(0)));
      assertFailsToOpen(() => aesGcmDecrypt(Buffer.alloc(n), Buffer.alloc(12), Buffer.alloc(17), Buffer.alloc(0)));
    }
  });

  it('refuses input shorter than a tag', () => {
    for (let n = 0; n < 16; n++) assertFailsToOpen(() => aesGcmDecrypt(key, Buffer.alloc(12), Buffer.alloc(n), Buffer.alloc(0)));
  });
});

describe('bindingBytes', () => {
  it('tells apart the ambiguous splits ("a|bc" vs "ab|c")', () => {
    const base = { column: 'c', rowId: 'r' };
    assert.notDeepEqual(bindingBytes({ keyId: 'a', table: 'bc', ...base }), bindingBytes({ keyId: 'ab', table: 'c', ...base }));
    assert.notDeepEqual(bindingBytes({ keyId: 'a|b', table: 'c', column: 'd', rowId: 'e' }), bindingBytes({ keyId: 'a', table: 'b|c', column: 'd', rowId: 'e' }));
    assert.notDeepEqual(bindingBytes({ keyId: '', table: '', column: '', rowId: 'abc' }), bindingBytes({ keyId: 'abc', table: '', column: '', rowId: '' }));
  });

  it('gives a distinct encoding to every way of cutting a string into the four parts (exhaustive)', () => {
    for (const s of ['', 'a', 'ab', 'abc', 'a\u0000b\u0001c', 'ééé', 'x'.repeat(8)]) {
      const seen = new Set<string>();
      let splits = 0;
      for (let i = 0; i <= s.length; i++) {
        for (let j = i; j <= s.length; j++) {
          for (let k = j; k <= s.length; k++) {
            splits++;
            seen.add(bindingBytes({ keyId: s.slice(0, i), table: s.slice(i, j), column: s.slice(j, k), rowId: s.slice(k) }).toString('hex'));
          }
        }
      }
      assert.equal(seen.size, splits, `collision among the splits of ${JSON.stringify(s)}`);
    }
  });

  it('is injective: equal encodings exactly when every part is equal', () => {
    // A tiny alphabet (with separators and multi-byte characters) so that near-collisions are common.
    const small = fc.string({ unit: fc.constantFrom('a', 'b', '|', '/', '\u0000', '\u0001', 'é', '€'), maxLength: 4 });
    const b = fc.record({ keyId: small, table: small, column: small, rowId: small });
    fc.assert(fc.property(b, b, (x, y) => {
      const same = FIELDS.every((f) => x[f] === y[f]);
      assert.equal(bindingBytes(x).equals(bindingBytes(y)), same);
    }), { numRuns: 2000 });
  });

  it('is injective for arbitrary Unicode parts', () => {
    fc.assert(fc.property(binding, binding, (x, y) => {
      const same = FIELDS.every((f) => x[f] === y[f]);
      assert.equal(bindingBytes(x).equals(bindingBytes(y)), same);
    }));
  });

  it('refuses parts that UTF-8 cannot encode faithfully (lone surrogates), which would otherwise collide', () => {
    // '\uD800' and '\uDBFF' would both encode as U+FFFD.
    const b = { keyId: 'k', table: 't', column: 'c' };
    assert.throws(() => bindingBytes({ ...b, rowId: '\uD800' }), TypeError);
    assert.throws(() => bindingBytes({ ...b, rowId: 'x\uDC00y' }), TypeError);
    assert.throws(() => bindingBytes({ ...b, keyId: '\uDBFF', rowId: 'r' }), TypeError);
    assert.doesNotThrow(() => bindingBytes({ ...b, rowId: '\uFFFD\u{1F600}' }));
  });

  it('refuses a part longer than its 16-bit length prefix', () => {
    const b = { keyId: 'k', table: 't', column: 'c' };
    assert.doesNotThrow(() => bindingBytes({ ...b, rowId: 'a'.repeat(0xffff) }));
    assert.throws(() => bindingBytes({ ...b, rowId: 'a'.repeat(0x10000) }), TypeError);
    assert.throws(() => bindingBytes({ ...b, rowId: 'é'.repeat(0x8000) }), TypeError);
  });

  it('starts with the label and the format version', () => {
    const bytes = bindingBytes({ keyId: '', table: '', column: '', rowId: '' });
    assert.equal(bytes.subarray(0, 16).toString('utf8'), 'epivault/aead/v1');
    assert.equal(bytes[16], ENVELOPE_VERSION);
    assert.equal(bytes.length, 16 + 1 + 4 * 2);
  });
});

describe('sealJson / openJson', () => {
  it('round-trips any JSON value', () => {
    fc.assert(fc.property(aeadKey, fc.jsonValue(), binding, (key, value, b) => {
      const env = sealJson(key, value, b);
      assert.deepEqual(openJson(key, env, b), JSON.parse(JSON.stringify(value)));
    }));
  });

  it('round-trips the kinds of records the services seal', () => {
    const key = new DataKey(Buffer.alloc(32, 4));
    const b: Binding = { keyId: 'dek/s1', table: 'identities', column: 'sealed', rowId: 's1' };
    const identity = { name: '张三', documents: [{ type: 'resident_id', number: '11010519850301001X' }], phone: '+8613800001000', birthDate: '1985-03-01', notes: null };
    assert.deepEqual(openJson(key, sealJson(key, identity, b), b), identity);
  });

  it('fails with the one generic error under another binding or key', () => {
    fc.assert(fc.property(keyBytes, fc.jsonValue(), binding, fc.constantFrom(...FIELDS), part, (k, value, b, field, other) => {
      fc.pre(other !== b[field]);
      const key = new DataKey(k);
      const env = sealJson(key, value, b);
      assertFailsToOpen(() => openJson(key, env, { ...b, [field]: other }));
      const otherKey = Buffer.from(k);
      otherKey[0]! ^= 1;
      assertFailsToOpen(() => openJson(new DataKey(otherKey), env, b));
    }));
  });

  it('fails with the one generic error (not a SyntaxError) when the authentic content is not JSON', () => {
    const key = new DataKey(Buffer.alloc(32, 5));
    const b: Binding = { keyId: 'k', table: 't', column: 'c', rowId: 'r' };
    for (const raw of [Buffer.alloc(0), Buffer.from('{'), Buffer.from([0xff, 0xfe]), Buffer.from('undefined')]) {
      assertFailsToOpen(() => openJson(key, seal(key, raw, b), b));
    }
  });
});
