/**
 * Project Wycheproof vectors (C2SP/wycheproof testvectors_v1, Apache-2.0; see test/vectors/README.md)
 * run through the functions the project actually calls. Every case of every file is accounted
 * for: it either runs in full, or is asserted to be rejected by our functions, with a counted
 * reason. The per-file counts are asserted so that the tests cannot pass vacuously.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { aesGcmDecrypt, aesGcmEncrypt } from './aead.ts';
import { DecryptionError } from './errors.ts';
import { hkdfSha256, hmacSha256 } from './mac.ts';

type Result = 'valid' | 'invalid' | 'acceptable';

interface VectorFile<G> {
  algorithm: string;
  numberOfTests: number;
  testGroups: G[];
}

interface AeadGroup {
  keySize: number;
  ivSize: number;
  tagSize: number;
  tests: { tcId: number; comment: string; flags: string[]; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: Result }[];
}

interface HkdfGroup {
  keySize: number;
  tests: { tcId: number; comment: string; flags: string[]; ikm: string; salt: string; info: string; size: number; okm: string; result: Result }[];
}

interface MacGroup {
  keySize: number;
  tagSize: number;
  tests: { tcId: number; comment: string; flags: string[]; key: string; msg: string; tag: string; result: Result }[];
}

function load<G>(name: string): VectorFile<G> {
  const url = new URL(`../../test/vectors/wycheproof/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as VectorFile<G>;
}

const hex = (s: string) => Buffer.from(s, 'hex');

/** Tallies per outcome, and the failures (tcId and what went wrong), reported all at once. */
class Tally {
  readonly counts = new Map<string, number>();
  readonly failures: string[] = [];
  total = 0;

  count(what: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }

  check(tcId: number, ok: boolean, what: string): void {
    if (!ok) this.failures.push(`tcId ${tcId}: ${what}`);
  }

  get(what: string): number {
    return this.counts.get(what) ?? 0;
  }

  assertNoFailures(): void {
    assert.deepEqual(this.failures, [], `${this.failures.length} Wycheproof case(s) failed`);
  }
}

function throwsDecryptionError(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (e) {
    return e instanceof DecryptionError && e.code === 'ERR_DECRYPTION_FAILED' && e.message === 'decryption failed';
  }
}

function throwsAny(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}

describe('Wycheproof AES-GCM (aes_gcm_test.json) through aesGcmEncrypt / aesGcmDecrypt', () => {
  const file = load<AeadGroup>('aes_gcm_test.json');

  it('runs every case: 256-bit key / 96-bit IV / 128-bit tag in full, every other size is rejected', () => {
    const t = new Tally();
    for (const g of file.testGroups) {
      const supported = g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128;
      for (const c of g.tests) {
        t.total++;
        const key = hex(c.key);
        const iv = hex(c.iv);
        const aad = hex(c.aad);
        const msg = hex(c.msg);
        const sealed = Buffer.concat([hex(c.ct), hex(c.tag)]);
        assert.equal(key.length * 8, g.keySize, `tcId ${c.tcId}: key size`);
        assert.equal(iv.length * 8, g.ivSize, `tcId ${c.tcId}: iv size`);

        if (!supported) {
          // The project uses only AES-256 with 96-bit nonces and 128-bit tags. Other sizes must be
          // refused by both functions (not silently accepted with some other meaning).
          const reason = g.keySize !== 256 ? `rejected: ${g.keySize}-bit key` : g.ivSize !== 96 ? `rejected: ${g.ivSize}-bit IV` : `rejected: ${g.tagSize}-bit tag`;
          t.count(reason);
          t.count('rejected');
          if (g.tagSize === 128) {
            t.check(c.tcId, throwsAny(() => aesGcmEncrypt(key, iv, msg, aad)), `${reason}: aesGcmEncrypt accepted it`);
          } else {
            // A shorter tag cannot be produced by aesGcmEncrypt (it always appends 16 bytes).
            t.check(c.tcId, throwsAny(() => aesGcmEncrypt(key, iv, msg, aad)) || !aesGcmEncrypt(key, iv, msg, aad).equals(sealed), `${reason}: aesGcmEncrypt produced the truncated-tag output`);
          }
          t.check(c.tcId, throwsDecryptionError(() => aesGcmDecrypt(key, iv, sealed, aad)), `${reason}: aesGcmDecrypt did not throw DecryptionError`);
          continue;
        }

        t.count(`ran: ${c.result}`);
        if (c.result === 'valid') {
          let out: Buffer | null = null;
          try {
            out = aesGcmEncrypt(key, iv, msg, aad);
          } catch (e) {
            t.check(c.tcId, false, `encrypt threw ${(e as Error).message}`);
          }
          if (out) t.check(c.tcId, out.equals(sealed), `encrypt gave ${out.toString('hex')}, expected ct||tag ${sealed.toString('hex')}`);
          try {
            const back = aesGcmDecrypt(key, iv, sealed, aad);
            t.check(c.tcId, back.equals(msg), 'decrypt did not give the message back');
          } catch (e) {
            t.check(c.tcId, false, `decrypt of a valid case threw ${(e as Error).message}`);
          }
        } else if (c.result === 'invalid') {
          t.check(c.tcId, throwsDecryptionError(() => aesGcmDecrypt(key, iv, sealed, aad)), `invalid case (${c.flags.join(',')}: ${c.comment}) did not throw DecryptionError`);
          // And encrypting the message never yields the tampered ciphertext.
          t.check(c.tcId, throwsAny(() => aesGcmEncrypt(key, iv, msg, aad)) || !aesGcmEncrypt(key, iv, msg, aad).equals(sealed), 'encrypt produced the invalid ciphertext');
        } else {
          // Acceptable (Wycheproof: legal but discouraged): either outcome is allowed, but a
          // successful decryption must give the message, and a failure must be DecryptionError.
          let back: Buffer | null = null;
          let error: unknown = null;
          try {
            back = aesGcmDecrypt(key, iv, sealed, aad);
          } catch (e) {
            error = e;
          }
          t.check(c.tcId, back ? back.equals(msg) : error instanceof DecryptionError, 'acceptable case: wrong plaintext or wrong error');
        }
      }
    }
    t.assertNoFailures();
    assert.equal(t.total, file.numberOfTests);
    assert.equal(t.total, 316);
    assert.equal(t.get('ran: valid'), 39);
    assert.equal(t.get('ran: invalid'), 27);
    assert.equal(t.get('ran: acceptable'), 0);
    assert.equal(t.get('rejected'), 250);
    assert.equal(t.get('rejected: 128-bit key'), 108);
    assert.equal(t.get('rejected: 192-bit key'), 103);
    // 256-bit keys with other IV sizes: 128 bits (19 cases); 120, 160, 256, 512, 1024, 2056 (1 each);
    // 8, 16, 32, 48, 64, 80 (2 each); and the zero-length IV (2, both invalid).
    const ivRejections = Object.fromEntries([...t.counts].filter(([k]) => k.endsWith('-bit IV')));
    assert.deepEqual(ivRejections, {
      'rejected: 128-bit IV': 19, 'rejected: 120-bit IV': 1, 'rejected: 160-bit IV': 1, 'rejected: 256-bit IV': 1, 'rejected: 512-bit IV': 1,
      'rejected: 1024-bit IV': 1, 'rejected: 2056-bit IV': 1, 'rejected: 8-bit IV': 2, 'rejected: 16-bit IV': 2, 'rejected: 32-bit IV': 2,
      'rejected: 48-bit IV': 2, 'rejected: 64-bit IV': 2, 'rejected: 80-bit IV': 2, 'rejected: 0-bit IV': 2,
    });
    assert.equal(Object.values(ivRejections).reduce((a, b) => a + b, 0), 39);
    assert.deepEqual([...t.counts.keys()].filter((k) => k.endsWith('-bit tag')), [], 'every group of this file has 128-bit tags');
    assert.equal(t.get('ran: valid') + t.get('ran: invalid') + t.get('ran: acceptable') + t.get('rejected'), 316);
  });
});

describe('Wycheproof HKDF-SHA-256 (hkdf_sha256_test.json) through hkdfSha256', () => {
  const file = load<HkdfGroup>('hkdf_sha256_test.json');

  it('derives exactly the expected output for every valid case and throws for every invalid one', () => {
    const t = new Tally();
    for (const g of file.testGroups) {
      for (const c of g.tests) {
        t.total++;
        t.count(c.result);
        if (c.result === 'valid') {
          try {
            const okm = hkdfSha256(hex(c.ikm), hex(c.salt), hex(c.info), c.size);
            t.check(c.tcId, okm.length === c.size && okm.toString('hex') === c.okm, 'wrong okm');
          } catch (e) {
            t.check(c.tcId, false, `valid case threw ${(e as Error).message}`);
          }
        } else if (c.result === 'invalid') {
          t.check(c.tcId, throwsAny(() => hkdfSha256(hex(c.ikm), hex(c.salt), hex(c.info), c.size)), `invalid case (${c.flags.join(',')}: ${c.comment}) did not throw`);
        } else {
          t.check(c.tcId, false, 'unexpected acceptable case: decide and document how to treat it');
        }
      }
    }
    t.assertNoFailures();
    assert.equal(t.total, file.numberOfTests);
    assert.equal(t.total, 86);
    assert.equal(t.get('valid'), 83);
    assert.equal(t.get('invalid'), 3);
  });

  it('rejects output lengths outside 1..255*32 bytes', () => {
    assert.throws(() => hkdfSha256(Buffer.alloc(32), Buffer.alloc(0), Buffer.alloc(0), 0), RangeError);
    assert.throws(() => hkdfSha256(Buffer.alloc(32), Buffer.alloc(0), Buffer.alloc(0), 255 * 32 + 1), RangeError);
    assert.equal(hkdfSha256(Buffer.alloc(32), Buffer.alloc(0), Buffer.alloc(0), 255 * 32).length, 255 * 32);
  });
});

describe('Wycheproof HMAC-SHA-256 (hmac_sha256_test.json) through hmacSha256', () => {
  const file = load<MacGroup>('hmac_sha256_test.json');

  it('computes the (truncated) tag of every valid case, and a different tag for every invalid one', () => {
    const t = new Tally();
    for (const g of file.testGroups) {
      assert.equal(g.tagSize % 8, 0);
      const bytes = g.tagSize / 8;
      for (const c of g.tests) {
        t.total++;
        t.count(c.result);
        t.count(`tag ${g.tagSize}`);
        const tag = hmacSha256(hex(c.key), hex(c.msg), bytes);
        t.check(c.tcId, tag.length === bytes, `tag has ${tag.length} bytes, expected ${bytes}`);
        if (c.result === 'valid') {
          t.check(c.tcId, tag.toString('hex') === c.tag, `tag ${tag.toString('hex')}, expected ${c.tag}`);
          // Truncation keeps the leftmost bytes of the full tag (RFC 2104 §5).
          t.check(c.tcId, hmacSha256(hex(c.key), hex(c.msg)).subarray(0, bytes).equals(tag), 'truncated tag is not a prefix of the full tag');
        } else if (c.result === 'invalid') {
          t.check(c.tcId, tag.toString('hex') !== c.tag, `invalid case (${c.flags.join(',')}: ${c.comment}) matched the computed tag`);
        } else {
          t.check(c.tcId, false, 'unexpected acceptable case: decide and document how to treat it');
        }
      }
    }
    t.assertNoFailures();
    assert.equal(t.total, file.numberOfTests);
    assert.equal(t.total, 174);
    assert.equal(t.get('valid'), 66);
    assert.equal(t.get('invalid'), 108);
    assert.equal(t.get('tag 256'), 87);
    assert.equal(t.get('tag 128'), 87);
  });

  it('rejects truncation lengths outside 1..32 bytes', () => {
    assert.throws(() => hmacSha256(Buffer.alloc(32), Buffer.alloc(0), 0), RangeError);
    assert.throws(() => hmacSha256(Buffer.alloc(32), Buffer.alloc(0), 33), RangeError);
  });
});
