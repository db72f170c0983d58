import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { BLIND_INDEX_BYTES, documentIndex, nameIndex, phoneIndex } from './blind-index.ts';
import { IndexKey } from './secret-key.ts';
import { DOCUMENT_TYPES } from '../domain/model.ts';

const keyBytes = fc.uint8Array({ minLength: 32, maxLength: 32 });
const indexKey = keyBytes.map((b) => new IndexKey(b));
const value = fc.string({ unit: 'binary', maxLength: 40 });
const docType = fc.constantFrom(...DOCUMENT_TYPES);

/** The documented construction, computed independently: HMAC-SHA256(key, label 0x00 value), leftmost bytes. */
const reference = (key: Buffer, label: string, v: string, bytes: number) =>
  createHmac('sha256', key).update(Buffer.from(`${label}\u0000${v}`, 'utf8')).digest().subarray(0, bytes);

describe('blind indexes', () => {
  it('have the documented lengths', () => {
    assert.deepEqual({ ...BLIND_INDEX_BYTES }, { document: 16, phone: 16, name: 2 });
    fc.assert(fc.property(indexKey, docType, value, (k, t, v) => {
      assert.equal(documentIndex(k, t, v).length, BLIND_INDEX_BYTES.document);
      assert.equal(phoneIndex(k, v).length, BLIND_INDEX_BYTES.phone);
      assert.equal(nameIndex(k, v).length, BLIND_INDEX_BYTES.name);
    }));
  });

  it('follow the documented construction (a change would orphan every stored index)', () => {
    fc.assert(fc.property(keyBytes, docType, value, (b, t, v) => {
      const k = new IndexKey(b);
      const key = Buffer.from(b);
      assert.deepEqual(documentIndex(k, t, v), reference(key, 'epivault/bidx/v1/document', `${t}:${v}`, 16));
      assert.deepEqual(phoneIndex(k, v), reference(key, 'epivault/bidx/v1/phone', v, 16));
      assert.deepEqual(nameIndex(k, v), reference(key, 'epivault/bidx/v1/name', v, 2));
    }));
  });

  it('are deterministic (same key and value, same index, also through another key object)', () => {
    fc.assert(fc.property(keyBytes, docType, value, (b, t, v) => {
      const k1 = new IndexKey(b);
      const k2 = new IndexKey(Buffer.from(b));
      assert.deepEqual(documentIndex(k1, t, v), documentIndex(k2, t, v));
      assert.deepEqual(phoneIndex(k1, v), phoneIndex(k2, v));
      assert.deepEqual(nameIndex(k1, v), nameIndex(k2, v));
    }));
  });

  it('tell different values apart (document and phone, 128 bits)', () => {
    fc.assert(fc.property(indexKey, docType, docType, value, value, (k, t1, t2, v1, v2) => {
      fc.pre(t1 !== t2 || v1 !== v2);
      assert.notDeepEqual(documentIndex(k, t1, v1), documentIndex(k, t2, v2));
      if (v1 !== v2) assert.notDeepEqual(phoneIndex(k, v1), phoneIndex(k, v2));
    }));
  });

  it('put the document type into the index', () => {
    const k = new IndexKey(Buffer.alloc(32, 1));
    const indexes = DOCUMENT_TYPES.map((t) => documentIndex(k, t, 'E12345678').toString('hex'));
    assert.equal(new Set(indexes).size, DOCUMENT_TYPES.length);
    // `${type}:${number}` is only unambiguous because no document type contains ':'.
    for (const t of DOCUMENT_TYPES) assert.ok(!t.includes(':'), t);
  });

  it('differ across keys', () => {
    fc.assert(fc.property(keyBytes, keyBytes, docType, value, (b1, b2, t, v) => {
      fc.pre(!Buffer.from(b1).equals(Buffer.from(b2)));
      const k1 = new IndexKey(b1);
      const k2 = new IndexKey(b2);
      assert.notDeepEqual(documentIndex(k1, t, v), documentIndex(k2, t, v));
      assert.notDeepEqual(phoneIndex(k1, v), phoneIndex(k2, v));
    }));
    // The 16-bit name bucket collides by design, about 1 in 65536: over many names it must mostly differ.
    const k1 = new IndexKey(Buffer.alloc(32, 1));
    const k2 = new IndexKey(Buffer.alloc(32, 2));
    const names = Array.from({ length: 500 }, (_, i) => `name ${i}`);
    const same = names.filter((n) => nameIndex(k1, n).equals(nameIndex(k2, n))).length;
    assert.ok(same <= 2, `${same} of 500 name buckets equal under two keys`);
  });

  it('differ across columns (domain separation: same key, same text)', () => {
    fc.assert(fc.property(indexKey, docType, value, (k, t, v) => {
      const asText = `${t}:${v}`;
      assert.notDeepEqual(documentIndex(k, t, v), phoneIndex(k, asText));
    }));
    const k = new IndexKey(Buffer.alloc(32, 3));
    const values = Array.from({ length: 500 }, (_, i) => `+8613800${String(i).padStart(6, '0')}`);
    const same = values.filter((v) => phoneIndex(k, v).subarray(0, 2).equals(nameIndex(k, v))).length;
    assert.ok(same <= 2, `${same} of 500 name buckets equal the phone index prefix`);
  });

  it('spread names over the buckets (a 16-bit bucket, not a 16-bit identity)', () => {
    const k = new IndexKey(Buffer.alloc(32, 4));
    const buckets = new Set(Array.from({ length: 2000 }, (_, i) => nameIndex(k, `n${i}`).toString('hex')));
    assert.ok(buckets.size > 1900, `only ${buckets.size} distinct buckets for 2000 names`);
  });
});
