import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKey, RootKey, unwrapKey } from '../crypto/index.ts';
import { SealPool } from './seal-pool.ts';
import type { WorkerKeys } from './seal-tasks.ts';
import { openIdentity } from './subject-cipher.ts';

const keys: WorkerKeys = {
  root: new RootKey(1, Buffer.alloc(32, 7)), documentIndex: generateKey('index'), phoneIndex: generateKey('index'), nameIndex: generateKey('index'),
  colocation: generateKey('token'), auditSubject: generateKey('token'), tokenRef: generateKey('system'),
};
const item = (i: number) => ({ person: { identity: { name: `张${i}`, documents: [{ type: 'resident_id' as const, number: `11010519491231${String(i).padStart(3, '0')}X` }], birthDate: '1949-12-31', sex: 'F' as const }, jurisdictionCode: '110105' }, case: null });

describe('seal pool', () => {
  it('seals on a worker thread what the main thread can open, with Buffers for the drivers', async () => {
    const pool = new SealPool(keys, 1);
    try {
      assert.equal(pool.size, 1);
      const [a, b] = await Promise.all([pool.run('seal-people', { now: '2026-11-29T00:00:00Z', items: [item(1), item(2)] }), pool.run('seal-people', { now: '2026-11-29T00:00:00Z', items: [item(3)] })]);
      assert.equal(a.length, 2);
      assert.equal(b.length, 1);
      for (const [s, i] of [[a[0]!, 1], [a[1]!, 2], [b[0]!, 3]] as const) {
        assert.ok(Buffer.isBuffer(s.person.identity.sealed) && Buffer.isBuffer(s.person.key.wrapped));
        const dek = unwrapKey(keys.root, 'subject', s.person.subject.id, s.person.key.wrapped);
        assert.equal(openIdentity(dek, s.person.subject.id, s.person.identity.sealed).name, `张${i}`);
      }
      // The same input gives equal blind indexes inline and on the worker.
      const inline = await new SealPool(keys, 0).run('seal-people', { now: '2026-11-29T00:00:00Z', items: [item(1)] });
      assert.deepEqual(inline[0]!.documentKeys, a[0]!.documentKeys);
    } finally {
      await pool.close();
    }
  });
});
