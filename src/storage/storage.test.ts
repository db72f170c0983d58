import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { engines, freshDatabase } from '../../test/support/engines.ts';
import type { TestDatabase } from '../../test/support/engines.ts';
import { rawSql } from '../../test/support/raw-sql.ts';
import type { RawSql } from '../../test/support/raw-sql.ts';
import { openDatabase, Store } from './store.ts';
import { auditLogHashing } from '../audit/leaf.ts';
import { describeDatabase, parseDatabaseUrl } from './engine.ts';

const INJECTIONS = ["'; drop table subjects; --", "\" or 1=1 --", "x'); delete from audit_events; --", "\\'; select pg_sleep(1); --", '\u0000nul', '名字\'"`'];

describe('database URLs', () => {
  it('parses SQLite paths and PostgreSQL URLs, and never prints a password', () => {
    assert.deepEqual(parseDatabaseUrl('data/x.db'), { engine: 'sqlite', location: 'data/x.db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:/tmp/a.db'), { engine: 'sqlite', location: '/tmp/a.db' });
    const pgt = parseDatabaseUrl('postgres://u:secret@h:5432/db?schema=abc');
    assert.equal(pgt.engine, 'postgres');
    assert.equal(pgt.schema, 'abc');
    assert.ok(!describeDatabase(pgt).includes('secret'));
    assert.throws(() => parseDatabaseUrl('mysql://x'), /unsupported scheme/);
    assert.throws(() => parseDatabaseUrl('postgres://h/db?schema=Bad;drop'), /schema must be/);
  });
});

describe('SQLite memory settings', () => {
  it('sets the page cache and the memory map it is given, and refuses a bad size before touching the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epivault-sqlite-'));
    try {
      const file = join(dir, 'x.db');
      const pragma = async (o: Awaited<ReturnType<typeof openDatabase>>, name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(o.db)).rows[0] as object)[0];
      const plain = await openDatabase({ engine: 'sqlite', location: file });
      assert.deepEqual([await pragma(plain, 'cache_size'), await pragma(plain, 'mmap_size')], [-65536, 0]);
      await plain.close();
      const tuned = await openDatabase({ engine: 'sqlite', location: file }, { sqlite: { cacheMiB: 256, mmapMiB: 64 } });
      assert.deepEqual([await pragma(tuned, 'cache_size'), await pragma(tuned, 'mmap_size')], [-256 * 1024, 64 * 1024 * 1024]);
      await tuned.close();
      const before = readFileSync(file);
      await assert.rejects(openDatabase({ engine: 'sqlite', location: file }, { sqlite: { mmapMiB: -1 } }), /memory map must be a whole number of MiB/);
      await assert.rejects(openDatabase({ engine: 'sqlite', location: file }, { sqlite: { cacheMiB: 1.5 } }), /page cache must be a whole number of MiB/);
      assert.ok(readFileSync(file).equals(before));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const { engine, skip } of await engines()) {
  describe(`storage on ${engine}`, { skip }, () => {
    let t: TestDatabase;
    let store: Store;
    let raw: RawSql;
    before(async () => {
      t = await freshDatabase(engine);
      store = new Store(await openDatabase(t.target), { auditHashing: auditLogHashing });
      raw = await rawSql(t);
    });
    after(async () => {
      await raw?.close();
      await store?.close();
      await t?.cleanup();
    });

    it('migrates idempotently (a second open applies nothing and keeps data)', async () => {
      await store.system.setMeta('probe', 'kept');
      const again = new Store(await openDatabase(t.target));
      assert.equal(await again.system.getMeta('probe'), 'kept');
      await again.close();
    });

    it('lists a case\'s notes and observations through an index on the case (migration 0006)', async () => {
      const names = engine === 'sqlite'
        ? (await raw.query<{ name: string }>(`select name from sqlite_master where type = 'index' and name in ('notes_case_created', 'observations_case')`)).map((r) => r.name)
        : (await raw.query<{ name: string }>(`select indexname as name from pg_indexes where schemaname = current_schema() and indexname in ('notes_case_created', 'observations_case')`)).map((r) => r.name);
      assert.deepEqual(names.sort(), ['notes_case_created', 'observations_case']);
      if (engine === 'sqlite') {
        const plan = await raw.query<{ detail: string }>(`explain query plan select * from notes where case_id = 'c' and created_at > '2026' order by created_at, id limit 50`);
        assert.match(plan.map((r) => r.detail).join(' | '), /USING INDEX notes_case_created/);
        assert.doesNotMatch(plan.map((r) => r.detail).join(' | '), /TEMP B-TREE/, 'the page comes out of the index in order');
      }
    });

    it('keeps the audit table append-only in the database itself', async () => {
      await store.audit.append({ at: '2026-11-29T00:00:00Z', actor: 'a', actor_role: 'system', action: 'x', resource_type: 'r', purpose: 'p', outcome: 'success' });
      await assert.rejects(raw.exec(`update audit_events set actor = 'mallory'`), /append-only/);
      await assert.rejects(raw.exec(`delete from audit_events`), /append-only/);
      if (engine === 'postgres') await assert.rejects(raw.exec(`truncate audit_events`), /append-only/);
      const rows = await raw.query<{ actor: string }>(`select actor from audit_events`);
      assert.deepEqual(rows.map((r) => r.actor), ['a']);
    });

    it('stores injection strings literally (parameters, never concatenation)', async () => {
      for (const [i, s] of INJECTIONS.entries()) {
        const value = s.replace('\u0000', '');
        await store.system.setMeta(`inj${i}`, value);
        assert.equal(await store.system.getMeta(`inj${i}`), value);
        assert.equal(await store.system.getMeta(value), undefined);
      }
      assert.equal(await store.system.count('subjects'), 0);
      assert.equal((await raw.query(`select * from subjects`)).length, 0);
    });

    it('rolls a failed transaction back completely', async () => {
      const before = await store.audit.count();
      await assert.rejects(store.transaction(async (repos) => {
        await repos.audit.append({ at: 'now', actor: 'a', actor_role: 'system', action: 'y', resource_type: 'r', purpose: 'p', outcome: 'success' });
        throw new Error('boom');
      }), /boom/);
      assert.equal(await store.audit.count(), before);
    });

    it('refuses a case classification outside the model', async () => {
      await assert.rejects(raw.exec(`insert into subjects (id, jurisdiction_code, retention_until, created_at) values ('s1','110105','2030-01-01','now');
        insert into cases (id, subject_id, case_number, classification, jurisdiction_code, report_date, sealed, created_at) values ('c1','s1','N1','cured','110105','2026-01-01', ${engine === 'postgres' ? "'\\x00'::bytea" : "x'00'"}, 'now')`));
    });
  });
}
