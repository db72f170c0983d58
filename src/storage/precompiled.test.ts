import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, freshDatabase } from '../../test/support/engines.ts';
import type { TestDatabase } from '../../test/support/engines.ts';
import { auditLogHashing } from '../audit/leaf.ts';
import { precompiled } from './precompiled.ts';
import { openDatabase, Store } from './store.ts';
import type { OpenDatabase } from './database.ts';

const T0 = '2026-11-29T08:00:00.000Z';

// One placeholder used twice, one constant the builder wrote itself, and an ordering.
const casesOf = precompiled(2, (db, subjectId, after) => db.selectFrom('cases').select(['id', 'classification'])
  .where((eb) => eb.or([eb('subject_id', '=', subjectId), eb('case_number', '=', subjectId)]))
  .where('classification', '!=', 'excluded').where('id', '>', after).orderBy('id'));

for (const { engine, skip } of await engines()) {
  describe(`precompiled queries and the case read on ${engine}`, { skip }, () => {
    let t: TestDatabase;
    let open: OpenDatabase;
    let store: Store;
    before(async () => {
      t = await freshDatabase(engine);
      open = await openDatabase(t.target);
      store = new Store(open, { auditHashing: auditLogHashing });
      for (const [id, jurisdiction] of [['s1', '110105'], ['s2', '110108']] as const) {
        await store.subjects.insertPeople([{
          subject: { id, jurisdiction_code: jurisdiction, street_code: id === 's1' ? '110105001' : null, retention_until: '2028-11-29', created_at: T0 },
          key: { subject_id: id, root_version: 3, wrapped: Buffer.from(`wrapped ${id}`) },
          identity: { subject_id: id, sealed: Buffer.from(`sealed identity ${id}`), name_bidx: Buffer.from([1]), phone_bidx: null, updated_at: T0 },
          documents: [],
        }]);
      }
      const kase = (id: string, subject: string, classification: string) => ({
        id, subject_id: subject, case_number: `N-${id}`, classification, jurisdiction_code: '110105', report_date: '2026-11-20',
        confirmation_date: null, sealed: Buffer.from(`sealed case ${id}`), created_at: T0,
      });
      await store.cases.insertCases([kase('c1', 's1', 'confirmed'), kase('c2', 's1', 'excluded'), kase('c3', 's1', 'suspected'), kase('c4', 's2', 'confirmed')]);
      await store.cases.insertContactLinks([
        { id: 'l1', case_id: 'c1', contact_subject_id: 's2', sealed: Buffer.from('x'), created_at: T0 },
      ]);
    });
    after(async () => {
      await store?.close();
      await t?.cleanup();
    });

    it('binds new values to one compiled text, keeps the builder\'s constants, and works inside transactions', async () => {
      const ids = async (...p: [string, string]) => (await casesOf.run(open.db, ...p)).map((r) => r.id);
      assert.deepEqual(await ids('s1', ''), ['c1', 'c3'], 'excluded stays excluded: the constant was kept');
      assert.deepEqual(await ids('s1', 'c1'), ['c3']);
      assert.deepEqual(await ids('N-c4', ''), ['c4'], 'the placeholder used twice is bound twice');
      assert.deepEqual(await ids("s1' or 1=1 --", ''), [], 'values are bound, never spliced');
      const text = casesOf.sql(open.db);
      assert.match(text, engine === 'postgres' ? /\$1.*\$2.*\$3.*\$4/s : /\?.*\?.*\?.*\?/s, text);
      assert.equal(text.includes('s1'), false);
      await store.transaction(async () => {
        // A transaction shares its dialect: same text.
        assert.equal(casesOf.sql(open.db), text);
      });
      await open.db.transaction().execute(async (trx) => {
        assert.deepEqual((await casesOf.run(trx, 's2', '')).map((r) => r.id), ['c4']);
      });
      await assert.rejects(casesOf.run(open.db, 's1'), /takes 2 parameters, not 1/);
      const unused = precompiled(2, (db, a) => db.selectFrom('cases').select('id').where('id', '=', a));
      await assert.rejects(unused.run(open.db, 'c1', 'x'), /uses 1 of its 2 parameters/);
    });

    it('reads a case with its subject\'s district, sealed identity, wrapped key and contact count in one row', async () => {
      const r = await store.cases.caseForRead('c1');
      assert.ok(r);
      assert.equal(r.subject_id, 's1');
      assert.equal(r.case_number, 'N-c1');
      assert.equal(r.subject_jurisdiction_code, '110105');
      assert.equal(r.subject_street_code, '110105001');
      assert.deepEqual(Buffer.from(r.identity_sealed!), Buffer.from('sealed identity s1'));
      assert.deepEqual(Buffer.from(r.key_wrapped!), Buffer.from('wrapped s1'));
      assert.equal(r.key_root_version, 3);
      assert.deepEqual(Buffer.from(r.sealed), Buffer.from('sealed case c1'));
      assert.equal(r.contact_count, 1);
      const c4 = await store.cases.caseForRead('c4');
      assert.equal(c4?.contact_count, 0);
      assert.equal(c4?.subject_street_code, null);
      assert.equal(await store.cases.caseForRead('nope'), undefined);
    });
  });
}
