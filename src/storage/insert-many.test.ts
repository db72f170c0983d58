import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { engines, freshDatabase } from '../../test/support/engines.ts';
import type { TestDatabase } from '../../test/support/engines.ts';
import { openDatabase } from './database.ts';
import type { OpenDatabase } from './database.ts';
import { insertMany } from './insert-many.ts';
import { withCachedStatements } from './sqlite-statements.ts';

const subject = (id: string, i: number) => ({
  id, jurisdiction_code: '110101', street_code: i % 3 === 0 ? null : `1101010${i % 10}`, retention_until: '2046-01-01', created_at: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
});

for (const { engine, skip } of await engines()) {
  describe(`insertMany on ${engine}`, { skip }, () => {
    let t: TestDatabase;
    let open: OpenDatabase;
    before(async () => {
      t = await freshDatabase(engine);
      open = await openDatabase(t.target);
    });
    after(async () => {
      await open?.close();
      await t?.cleanup();
    });

    it('inserts every row of every size, in fixed statement shapes, with the values given', async () => {
      let n = 0;
      for (const size of [1, 2, 3, 255, 511, 512, 513, 1000, 1537, 1000]) {
        const rows = Array.from({ length: size }, (_, i) => subject(`s${String(n + i).padStart(8, '0')}`, n + i));
        await open.db.transaction().execute((trx) => insertMany(trx, 'subjects', rows));
        n += size;
      }
      const stored = await open.db.selectFrom('subjects').selectAll().orderBy('id').execute();
      assert.equal(stored.length, n);
      stored.forEach((r, i) => assert.deepEqual({ ...r }, subject(`s${String(i).padStart(8, '0')}`, i)));
    });

    it('binds binary values and hostile strings as parameters', async () => {
      const names = ["'; drop table subjects; --", 'x\'); delete from audit_events; --', '名字\'"`'];
      await insertMany(open.db, 'meta', names.map((value, i) => ({ key: `inj${i}`, value })));
      const meta = await open.db.selectFrom('meta').selectAll().where('key', 'like', 'inj%').orderBy('key').execute();
      assert.deepEqual(meta.map((r) => r.value), names);
      const docs = Array.from({ length: 600 }, (_, i) => ({ doc_bidx: Buffer.from([i >> 8, i & 255, 0, 1]), subject_id: 's00000000' }));
      await insertMany(open.db, 'identity_documents', docs);
      const back = await open.db.selectFrom('identity_documents').select('doc_bidx').execute();
      assert.deepEqual(back.map((r) => Buffer.from(r.doc_bidx).toString('hex')).sort(), docs.map((d) => d.doc_bidx.toString('hex')).sort());
    });

    it('rows of mixed shapes (a column missing or undefined) go through the query builder', async () => {
      const rows = [
        { id: 'm1', jurisdiction_code: '110101', retention_until: '2046-01-01', created_at: 'x' },
        { id: 'm2', jurisdiction_code: '110101', street_code: '110101001', retention_until: '2046-01-01', created_at: 'x' },
        { id: 'm3', jurisdiction_code: '110101', street_code: undefined, retention_until: '2046-01-01', created_at: 'x' },
      ];
      await insertMany(open.db, 'subjects', rows);
      const stored = await open.db.selectFrom('subjects').select(['id', 'street_code']).where('id', 'in', ['m1', 'm2', 'm3']).orderBy('id').execute();
      assert.deepEqual(stored.map((r) => [r.id, r.street_code]), [['m1', null], ['m2', '110101001'], ['m3', null]]);
    });

    it('a failing statement fails the call (a duplicate key) and the transaction rolls back', async () => {
      const before = await open.db.selectFrom('subjects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = Array.from({ length: 700 }, (_, i) => subject(`d${i}`, i));
      rows[650] = subject('s00000001', 1);
      await assert.rejects(open.db.transaction().execute((trx) => insertMany(trx, 'subjects', rows)));
      const afterCount = await open.db.selectFrom('subjects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
    });
  });
}

describe('SQLite insert statement cache', () => {
  let dir: string;
  let handle: SQLite.Database;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'epivault-test-'));
    handle = new SQLite(join(dir, 'c.db'));
    handle.exec('create table t (a integer primary key, b text)');
  });
  after(() => {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prepares a statement once and reuses it, inserts and queries alike', () => {
    const db = withCachedStatements(handle);
    const insert = 'insert into t (a, b) values (?, ?)';
    const first = db.prepare(insert);
    first.run([1, 'x']);
    assert.equal(db.prepare(insert), first);
    db.prepare(insert).run([2, 'y']);
    assert.equal(db.prepare('select * from t'), db.prepare('select * from t'));
    // A long query (an `in` list of thousands of parameters) is not kept: such texts vary with their input.
    const long = `select * from t where a in (${Array.from({ length: 2000 }, () => '?').join(', ')})`;
    assert.notEqual(db.prepare(long), db.prepare(long));
    assert.deepEqual(db.prepare('select b from t order by a').all([]), [{ b: 'x' }, { b: 'y' }]);
  });

  it('never hands out a statement that is still being iterated', () => {
    const db = withCachedStatements(handle);
    const returning = 'insert into t (a, b) values (?, ?), (?, ?) returning a';
    const busy = db.prepare(returning);
    const it = busy.iterate([10, 'p', 11, 'q']);
    it.next();
    const other = db.prepare(returning);
    assert.notEqual(other, busy);
    assert.deepEqual(other.all([12, 'r', 13, 's']), [{ a: 12 }, { a: 13 }]);
    it.return?.();
    assert.equal(db.prepare(returning), busy);
  });
});
