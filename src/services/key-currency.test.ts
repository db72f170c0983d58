/**
 * A long import or seed that keeps sealing with the root key it started with, while `keys rotate`
 * (another process) makes a new version current and retires the old one: every data key it writes
 * afterwards ends up under the current version, and every person stays readable (key-currency.ts).
 * The control shows what happened before: rows written under a retired version cannot be read.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { loadConfig } from '../config/config.ts';
import { RootKeyring } from '../crypto/index.ts';
import { makeResidentId } from '../domain/id-number.ts';
import { validateLineListRow } from '../domain/line-list.ts';
import { openApp } from './app-context.ts';
import type { AppContext } from './app-context.ts';
import { importLineList } from './import.service.ts';
import { rewrapOvertaken } from './key-currency.ts';
import { rotateRootKey } from './keys.service.ts';
import { createLogger } from './logger.ts';
import { readPerson, registerPeople } from './people.service.ts';
import { SealPool } from './seal-pool.ts';
import { workerKeysOf } from './seal-tasks.ts';
import { seedCity } from './seed/seed.service.ts';
import { sealPerson } from './subject-cipher.ts';

const PURPOSE = 'case_investigation';

const row = (i: number) => ({
  name: `轮换${i}`, id_number: makeResidentId('110105', '1980-01-1' + (i % 9 + 1), i, i % 2 ? 'M' : 'F'), phone: `1390000${String(1000 + i).padStart(4, '0')}`,
  address: '北京市朝阳区某街道2号', birth_date: '1980-01-1' + (i % 9 + 1), sex: i % 2 ? 'M' : 'F', district_code: '110105',
  classification: 'confirmed', onset_date: '2026-11-01', report_date: '2026-11-03',
});

const COLUMNS = ['name', 'id_number', 'phone', 'address', 'birth_date', 'sex', 'district_code', 'classification', 'onset_date', 'report_date'] as const;

/** `keys rotate` run by another process: a second context on the same database and key file. */
async function rotateElsewhere(app: TestApp): Promise<number> {
  const other = await openApp(loadConfig({ data: app.dataDir, db: app.db.url }, {}), { logger: createLogger('silent') });
  try {
    return (await rotateRootKey(other.store, other.keys.keyring, undefined, { graceMs: 0 })).newVersion;
  } finally {
    await other.close();
  }
}

async function subjectKeyVersions(ctx: AppContext): Promise<Map<string, number>> {
  return new Map((await ctx.store.subjects.keysNotUnder(0, 100_000)).map((r) => [r.subject_id, r.root_version]));
}

for (const { engine, skip } of await engines()) {
  describe(`sealing with a root key a rotation has retired, on ${engine}`, { skip }, () => {
    const apps: TestApp[] = [];
    const pools: SealPool[] = [];
    const fresh = async () => {
      const app = await testApp(engine);
      apps.push(app);
      return app;
    };
    after(async () => {
      for (const p of pools) await p.close();
      for (const a of apps) await a.cleanup();
    });

    it('an import whose sealing pool started before the rotation writes every key under the new version', async () => {
      const app = await fresh();
      const pool = new SealPool(workerKeysOf(app.ctx.keys), 1); // started under version 1
      pools.push(pool);
      assert.equal(pool.sealingRoot.version, 1);
      assert.equal(await rotateElsewhere(app), 2);
      assert.deepEqual(RootKeyring.fromFile(app.keyFile).versions, [2], 'version 1 has left the key file');

      const file = join(app.dataDir, 'line-list.csv');
      writeFileSync(file, `${COLUMNS.join(',')}\n${Array.from({ length: 25 }, (_, i) => COLUMNS.map((c) => row(i)[c]).join(',')).join('\n')}\n`);
      const summary = await importLineList(app.ctx, file, { pool, dataDir: app.dataDir, batchSize: 10, today: '2026-11-29' });
      assert.equal(summary.imported, 25);

      const versions = await subjectKeyVersions(app.ctx);
      assert.equal(versions.size, 25);
      assert.deepEqual([...new Set(versions.values())], [2]);
      for (const id of versions.keys()) assert.match((await readPerson(app.ctx, id, PURPOSE)).identity.name, /^轮换\d+$/);
      assert.equal(await rotateElsewhere(app), 3, 'a later rotation finds nothing under a missing version');
    });

    it('a seed whose sealing pool started before the rotation writes every key under the new version (contacts included)', async () => {
      const app = await fresh();
      const pool = new SealPool(workerKeysOf(app.ctx.keys), 1);
      pools.push(pool);
      await rotateElsewhere(app);
      const summary = await seedCity(app.ctx, { persons: 120, seed: 5, days: 14, pool });
      assert.equal(summary.personsWritten, 120);
      const versions = await subjectKeyVersions(app.ctx);
      assert.equal(versions.size, 120);
      assert.deepEqual([...new Set(versions.values())], [2]);
      const some = [...versions.keys()].slice(0, 5);
      for (const id of some) assert.ok((await readPerson(app.ctx, id, 'system_seed')).identity.name.length > 0);
    });

    it('keys written under a version that a rotation made stale while the transaction ran are rewrapped before it commits', async () => {
      const app = await fresh();
      const v1 = app.ctx.keys.keyring.current();
      const sealed = [0, 1, 2].map((i) => {
        const r = validateLineListRow(row(100 + i), '2026-11-29');
        assert.ok(r.ok);
        const k = app.ctx.keys;
        return sealPerson({ root: v1, documentIndex: k.documentIndex, phoneIndex: k.phoneIndex, nameIndex: k.nameIndex, auditSubject: k.auditSubject }, r.person, r.case, new Date().toISOString());
      });
      await app.ctx.store.transaction(async (repos) => {
        await repos.subjects.insertPeople(sealed.map((s) => s.person));
        // Meanwhile a rotation (another process) makes version 2 current; its sweeps cannot see these rows yet.
        assert.equal(RootKeyring.fromFile(app.keyFile).addVersion(), 2);
        assert.equal(await rewrapOvertaken(repos, app.ctx.keys.keyring, v1, sealed.map((s) => s.person.key)), 3);
      });
      const versions = await subjectKeyVersions(app.ctx);
      assert.deepEqual([...versions.values()], [2, 2, 2]);
      for (const s of sealed) assert.equal((await readPerson(app.ctx, s.person.subject.id, PURPOSE)).identity.name.startsWith('轮换'), true);
    });

    it('control: without catching up, rows sealed under the retired version cannot be read', async () => {
      const app = await fresh();
      const v1 = app.ctx.keys.keyring.current();
      await rotateElsewhere(app);
      const r = validateLineListRow(row(200), '2026-11-29');
      assert.ok(r.ok);
      const k = app.ctx.keys;
      const late = sealPerson({ root: v1, documentIndex: k.documentIndex, phoneIndex: k.phoneIndex, nameIndex: k.nameIndex, auditSubject: k.auditSubject }, r.person, r.case, new Date().toISOString());
      await registerPeople(app.ctx, [late], { purpose: PURPOSE }); // no `sealedWith`: written as sealed
      // A server started now (its own keyring, read from the file) cannot open it.
      const restarted = await openApp(loadConfig({ data: app.dataDir, db: app.db.url }, {}), { logger: createLogger('silent') });
      try {
        await assert.rejects(readPerson(restarted, late.person.subject.id, PURPOSE), /root key version 1 is not in the key file/);
      } finally {
        await restarted.close();
      }
      // With `sealedWith`, the same late person is readable.
      const r2 = validateLineListRow(row(201), '2026-11-29');
      assert.ok(r2.ok);
      const caught = sealPerson({ root: v1, documentIndex: k.documentIndex, phoneIndex: k.phoneIndex, nameIndex: k.nameIndex, auditSubject: k.auditSubject }, r2.person, r2.case, new Date().toISOString());
      await registerPeople(app.ctx, [caught], { purpose: PURPOSE, sealedWith: v1 });
      const again = await openApp(loadConfig({ data: app.dataDir, db: app.db.url }, {}), { logger: createLogger('silent') });
      try {
        assert.equal((await readPerson(again, caught.person.subject.id, PURPOSE)).identity.name, '轮换201');
      } finally {
        await again.close();
      }
    });
  });
}
