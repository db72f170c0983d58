import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { engines, freshDatabase } from '../../../test/support/engines.ts';
import type { TestDatabase } from '../../../test/support/engines.ts';
import { auditLogHashing } from '../../audit/leaf.ts';
import { openDatabase, Store } from '../store.ts';
import { TableAccessRefused } from '../table-guard.ts';
import { PUBLIC_TABLES } from './public-data.repository.ts';

const T0 = '2026-11-29T08:00:00.000Z';
const blob = Buffer.from('sealed');
const place = (id: string, category: string) => ({ id, name: `场所${id}`, address: `地址${id}`, district_code: '110105', category, lat: 39.9, lon: 116.4 });

for (const { engine, skip } of await engines()) {
  describe(`public-data reader's table guard on ${engine}`, { skip }, () => {
    let t: TestDatabase;
    let store: Store;
    before(async () => {
      t = await freshDatabase(engine);
      store = new Store(await openDatabase(t.target), { auditHashing: auditLogHashing });
      await store.subjects.insertPeople([{
        subject: { id: 's1', jurisdiction_code: '110105', street_code: null, retention_until: '2028-11-29', created_at: T0 },
        key: { subject_id: 's1', root_version: 1, wrapped: blob },
        identity: { subject_id: 's1', sealed: blob, name_bidx: Buffer.from([1, 2]), phone_bidx: null, updated_at: T0 },
        documents: [],
      }]);
      await store.cases.insertCases([{ id: 'c1', subject_id: 's1', case_number: 'N-1', classification: 'confirmed', jurisdiction_code: '110105', report_date: '2026-11-20', confirmation_date: null, sealed: blob, created_at: T0 }]);
      await store.travel.insertPlaces([place('p1', 'restaurant'), place('p2', 'office_building'), place('p3', 'park'), place('p4', 'school')]);
      await store.releases.insertRelease({ id: 'r1', type: 'risk_areas', status: 'published', jurisdiction_code: '11', standard_version: '2026.1', recipient: null, content: '{}', risk: '{}', check_passed: 1, failures: '[]', expires_at: null, prepared_by: 'x', prepared_at: T0, published_at: T0, withdrawn_by: null, withdrawn_at: null });
      await store.releases.insertArtifact({ release_id: 'r1', public: 1, artifact: '{"id":"r1"}', signature: 'sig', key_id: 'k', published_at: T0, expires_at: null, withdrawn_at: null });
    });
    after(async () => {
      await store?.close();
      await t?.cleanup();
    });

    it('allows exactly the published artifacts and the places', () => {
      assert.deepEqual([...PUBLIC_TABLES].sort(), ['places', 'published_artifacts']);
    });

    it('reads published artifacts and public venues (no workplaces, no schools, no coordinates)', async () => {
      const live = await store.publicData.liveArtifacts('2026-12-01T00:00:00.000Z', 10);
      assert.deepEqual(live.map((a) => a.release_id), ['r1']);
      assert.equal((await store.publicData.liveArtifact('r1', '2026-12-01T00:00:00.000Z'))?.signature, 'sig');
      const venues = await store.publicData.venues(['office_building', 'school']);
      assert.deepEqual(venues.map((v) => v.id), ['p1', 'p3']);
      assert.deepEqual(Object.keys(venues[0]!).sort(), ['address', 'category', 'district_code', 'id', 'name']);
    });

    it('refuses queries on subjects, cases and audit_events before they reach the database', async () => {
      const db = store.publicData.db;
      // The same queries on the unguarded store do run (the tables exist and hold rows).
      assert.equal((await store.subjects.identitiesWithKeys(['s1'])).length, 1);
      const refused = [
        async () => db.selectFrom('subjects').selectAll().execute(),
        async () => db.selectFrom('cases').select(['id', 'subject_id']).execute(),
        async () => db.selectFrom('audit_events').selectAll().execute(),
        async () => db.selectFrom('identities').selectAll().execute(),
        async () => db.selectFrom('releases' as never).selectAll().execute(),
        async () => db.selectFrom('places').innerJoin('subjects', 'subjects.jurisdiction_code', 'places.district_code').selectAll().execute(),
        async () => db.selectFrom('places').select('id').where('id', 'in', db.selectFrom('cases').select('id')).execute(),
        async () => db.selectFrom('places').select((eb) => eb.selectFrom('audit_events').select('seq').limit(1).as('x')).execute(),
        async () => db.with('places2', (q) => q.selectFrom('cases').selectAll()).selectFrom('places2').selectAll().execute(),
        async () => sql`select * from subjects`.execute(db),
        async () => sql`select * from places`.execute(db),
        async () => db.selectFrom('places').select(sql<string>`(select name from subjects)`.as('n')).execute(),
        async () => db.insertInto('places').values(place('p9', 'park')).execute(),
        async () => db.updateTable('places').set({ name: 'x' }).execute(),
        async () => db.deleteFrom('published_artifacts' as never).execute(),
      ];
      for (const [i, q] of refused.entries()) {
        await assert.rejects(q, (e: unknown) => e instanceof TableAccessRefused, `query ${i} must be refused`);
      }
      const named = await db.selectFrom('cases').selectAll().execute().catch((e: Error) => e.message);
      assert.match(String(named), /table cases is not allowed here/);
      assert.equal((await store.travel.listPlaces()).length, 4, 'nothing was written through the guard');
    });
  });
}
