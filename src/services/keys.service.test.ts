import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { loadConfig } from '../config/config.ts';
import { CryptoError, documentIndex, RootKeyring, rewrapKey } from '../crypto/index.ts';
import type { WrappedKeyKind } from '../crypto/index.ts';
import { validateLineListRow } from '../domain/line-list.ts';
import { makeResidentId } from '../domain/id-number.ts';
import { openApp } from './app-context.ts';
import type { AppContext } from './app-context.ts';
import { openKeyring, rotateRootKey } from './keys.service.ts';
import type { RotationProgress } from './keys.service.ts';
import { createLogger } from './logger.ts';
import { findByDocument, readPerson, registerPeople } from './people.service.ts';
import { sealPerson } from './subject-cipher.ts';

const COLUMN_KEYS = 10;
const PURPOSE = 'case_investigation';

const row = (i: number) => ({
  name: `测试${i}`, id_number: makeResidentId('110105', '1985-03-0' + ((i % 9) + 1), i, i % 2 ? 'M' : 'F'), phone: `1380000${String(1000 + i).padStart(4, '0')}`,
  address: '北京市朝阳区某街道1号', birth_date: '1985-03-0' + ((i % 9) + 1), sex: i % 2 ? 'M' : 'F', district_code: '110105',
  classification: 'confirmed', onset_date: '2026-11-01', report_date: '2026-11-03',
});

/** Registers people `from`..`from+n-1` through `ctx`; returns their subject ids. */
async function register(ctx: AppContext, n: number, from = 0): Promise<string[]> {
  const keys = ctx.keys;
  const sealed = Array.from({ length: n }, (_, k) => {
    const r = validateLineListRow(row(from + k), '2026-11-29');
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    return sealPerson({ root: keys.keyring.current(), documentIndex: keys.documentIndex, phoneIndex: keys.phoneIndex, nameIndex: keys.nameIndex, auditSubject: keys.auditSubject }, r.person, r.case, new Date().toISOString());
  });
  const result = await registerPeople(ctx, sealed, { purpose: PURPOSE });
  assert.equal(result.created, n);
  return result.subjectIds.map((id) => id!);
}

/** Every person reads back decrypted, and is found through the document blind index. */
async function assertReadable(ctx: AppContext, ids: readonly string[], from = 0): Promise<void> {
  for (const [k, id] of ids.entries()) {
    const view = await readPerson(ctx, id, PURPOSE);
    assert.equal(view.identity.name, `测试${from + k}`);
    assert.equal(view.cases[0]?.details.onsetDate, '2026-11-01');
    assert.deepEqual(await findByDocument(ctx, row(from + k).id_number, PURPOSE), [id]);
  }
}

/** The versions in the key file, read from a fresh keyring (not any cached one). */
const fileVersions = (keyFile: string) => RootKeyring.fromFile(keyFile).versions;

/** Every subject key row and every column key row, with its root version. */
async function allKeyVersions(ctx: AppContext): Promise<{ subjects: Map<string, number>; columns: Map<string, number> }> {
  const subjects = new Map((await ctx.store.subjects.keysNotUnder(0, 100_000)).map((r) => [r.subject_id, r.root_version]));
  const columns = new Map((await ctx.store.system.wrappedKeys()).map((r) => [r.name, r.root_version]));
  return { subjects, columns };
}

async function assertAllUnder(ctx: AppContext, version: number, subjectCount: number): Promise<void> {
  const { subjects, columns } = await allKeyVersions(ctx);
  assert.equal(subjects.size, subjectCount);
  assert.equal(columns.size, COLUMN_KEYS);
  assert.deepEqual([...new Set(subjects.values())], [version], 'every subject key is under the new root version');
  assert.deepEqual([...new Set(columns.values())], [version], 'every column key is under the new root version');
  assert.equal(await ctx.store.subjects.countKeysNotUnder(version), 0);
  assert.deepEqual(await ctx.store.subjects.keysNotUnder(version, 10), []);
}

/** Moves some keys to the keyring's current version by hand, as a rotation that crashed part-way would have. */
async function rewrapByHand(ctx: AppContext, keyring: RootKeyring, subjects: number, columns: number): Promise<void> {
  const target = keyring.current();
  const subjectRows = await ctx.store.subjects.keysNotUnder(target.version, subjects);
  const columnRows = (await ctx.store.system.wrappedKeys()).filter((r) => r.root_version !== target.version).slice(0, columns);
  await ctx.store.transaction(async (repos) => {
    for (const r of subjectRows) {
      await repos.subjects.replaceKey({ subject_id: r.subject_id, root_version: target.version, wrapped: rewrapKey(keyring.get(r.root_version), target, 'subject', r.subject_id, r.wrapped) }, r.root_version);
    }
    for (const r of columnRows) {
      await repos.system.replaceWrappedKey(r.name, r.root_version, target.version, rewrapKey(keyring.get(r.root_version), target, r.kind as WrappedKeyKind, r.name, r.wrapped));
    }
  });
}

/** Opens a second application context on the same database and key file (another process). */
async function openSecondContext(app: TestApp): Promise<AppContext> {
  return openApp(loadConfig({ data: app.dataDir, db: app.db.url }, {}), { logger: createLogger('silent') });
}

function assertProgress(progress: RotationProgress[], total: number): void {
  assert.ok(progress.length >= 2);
  assert.deepEqual(progress[0], { total, done: 0 });
  assert.deepEqual(progress.at(-1), { total, done: total });
  for (let i = 1; i < progress.length; i++) {
    assert.equal(progress[i]!.total, total);
    assert.ok(progress[i]!.done > progress[i - 1]!.done, 'progress only moves forward');
  }
}

for (const { engine, skip } of await engines()) {
  describe(`root key rotation on ${engine}`, { skip }, () => {
    const apps: TestApp[] = [];
    const extra: AppContext[] = [];
    const fresh = async () => {
      const app = await testApp(engine);
      apps.push(app);
      return app;
    };
    // Each test drops its database at its end: on PostgreSQL, Kysely's migrator looks for its
    // tables in every schema, so a second test schema alive at the same time would not be migrated.
    afterEach(async () => {
      for (const ctx of extra.splice(0)) await ctx.close();
      for (const app of apps.splice(0)) await app.cleanup();
    });

    it('rewraps every key under a new root version, retires the old one, and everything still reads', async () => {
      const app = await fresh();
      const ids = await register(app.ctx, 12);
      const before = await app.ctx.store.system.wrappedKeys();
      assert.ok(before.every((r) => r.root_version === 1));
      const indexBefore = documentIndex(app.ctx.keys.documentIndex, 'resident_id', row(3).id_number);

      const progress: RotationProgress[] = [];
      const result = await rotateRootKey(app.ctx.store, app.ctx.keys.keyring, (p) => progress.push({ ...p }), { batch: 5, graceMs: 0 });

      const total = COLUMN_KEYS + ids.length;
      assert.deepEqual(result, { newVersion: 2, rewrapped: total, retired: [1], resumed: false });
      assertProgress(progress, total);
      assert.equal(progress.length, 1 + COLUMN_KEYS + Math.ceil(ids.length / 5), 'one report per column key and per batch of subject keys');

      // The key file holds only the new version, still mode 0600; version 1 is gone.
      assert.deepEqual(fileVersions(app.keyFile), [2]);
      const file = JSON.parse(readFileSync(app.keyFile, 'utf8')) as { current: number; keys: { version: number }[] };
      assert.equal(file.current, 2);
      assert.deepEqual(file.keys.map((k) => k.version), [2]);
      assert.equal(statSync(app.keyFile).mode & 0o777, 0o600);
      assert.throws(() => RootKeyring.fromFile(app.keyFile).get(1), (e: unknown) => e instanceof CryptoError && e.code === 'ERR_KEY_UNKNOWN');

      await assertAllUnder(app.ctx, 2, ids.length);
      for (const id of ids) assert.equal((await app.ctx.store.subjects.getKey(id))?.root_version, 2);
      const afterRows = await app.ctx.store.system.wrappedKeys();
      assert.deepEqual(afterRows.map((r) => r.name), before.map((r) => r.name));
      for (const [i, r] of afterRows.entries()) assert.ok(!Buffer.from(r.wrapped).equals(Buffer.from(before[i]!.wrapped)), `${r.name} was rewrapped`);

      // Reads and blind-index searches still work, in this process ...
      await assertReadable(app.ctx, ids);
      // ... and in a process that starts after the rotation and unwraps the column keys under
      // version 2: the column keys were rewrapped, not replaced, so the stored indexes stay valid.
      const later = await openSecondContext(app);
      extra.push(later);
      assert.deepEqual(later.keys.keyring.versions, [2]);
      assert.deepEqual(documentIndex(later.keys.documentIndex, 'resident_id', row(3).id_number), indexBefore);
      await assertReadable(later, ids);
      // New registrations after the rotation are wrapped under version 2.
      const more = await register(later, 2, 100);
      for (const id of more) assert.equal((await later.store.subjects.getKey(id))?.root_version, 2);
      await assertReadable(app.ctx, more, 100);
    });

    it('resumes a rotation interrupted right after the new version was created, without making another version', async () => {
      const app = await fresh();
      const ids = await register(app.ctx, 7);
      const keyring = app.ctx.keys.keyring;
      assert.equal(keyring.addVersion(), 2); // the crash: version 2 exists, nothing is rewrapped yet
      assert.deepEqual(fileVersions(app.keyFile), [1, 2]);

      const progress: RotationProgress[] = [];
      const result = await rotateRootKey(app.ctx.store, keyring, (p) => progress.push({ ...p }), { batch: 3, graceMs: 0 });
      assert.deepEqual(result, { newVersion: 2, rewrapped: COLUMN_KEYS + ids.length, retired: [1], resumed: true });
      assertProgress(progress, COLUMN_KEYS + ids.length);
      assert.deepEqual(fileVersions(app.keyFile), [2], 'no third version was created');
      await assertAllUnder(app.ctx, 2, ids.length);
      await assertReadable(app.ctx, ids);
    });

    it('resumes a rotation interrupted part-way, rewrapping only what is left', async () => {
      const app = await fresh();
      const ids = await register(app.ctx, 9);
      const keyring = app.ctx.keys.keyring;
      keyring.addVersion();
      await rewrapByHand(app.ctx, keyring, 4, 2);

      const progress: RotationProgress[] = [];
      const result = await rotateRootKey(app.ctx.store, keyring, (p) => progress.push({ ...p }), { batch: 2, graceMs: 0 });
      const left = COLUMN_KEYS - 2 + ids.length - 4;
      assert.deepEqual(result, { newVersion: 2, rewrapped: left, retired: [1], resumed: true });
      assertProgress(progress, left);
      assert.deepEqual(fileVersions(app.keyFile), [2]);
      await assertAllUnder(app.ctx, 2, ids.length);
      await assertReadable(app.ctx, ids);
    });

    it('finishes a rotation interrupted after every key moved but before the old version was retired', async () => {
      const app = await fresh();
      const ids = await register(app.ctx, 4);
      const keyring = app.ctx.keys.keyring;
      keyring.addVersion();
      await rewrapByHand(app.ctx, keyring, 1000, 1000);
      assert.deepEqual(fileVersions(app.keyFile), [1, 2]);

      const result = await rotateRootKey(app.ctx.store, keyring, undefined, { graceMs: 0 });
      assert.deepEqual(result, { newVersion: 2, rewrapped: 0, retired: [1], resumed: true });
      assert.deepEqual(fileVersions(app.keyFile), [2], 'no third version was created');
      await assertAllUnder(app.ctx, 2, ids.length);
      await assertReadable(app.ctx, ids);
    });

    it('rewraps a key that a slow writer commits under the old version after the last sweep', async () => {
      const app = await fresh();
      const ids = await register(app.ctx, 3);
      // A writer that loaded the key file before the rotation and never re-reads it.
      const stale = RootKeyring.fromText(readFileSync(app.keyFile, 'utf8'));
      const keys = app.ctx.keys;
      const rotation = rotateRootKey(app.ctx.store, app.ctx.keys.keyring, undefined, { graceMs: 1500 });
      // The main sweep is over once the old version has left the key file; the grace period has begun.
      for (let i = 0; i < 200 && fileVersions(app.keyFile).length > 1; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(fileVersions(app.keyFile), [2], 'the rotation retired the old version');
      const r = validateLineListRow(row(90), '2026-11-29');
      assert.ok(r.ok);
      const late = sealPerson({ root: stale.current(), documentIndex: keys.documentIndex, phoneIndex: keys.phoneIndex, nameIndex: keys.nameIndex, auditSubject: keys.auditSubject }, r.person, r.case, new Date().toISOString());
      await registerPeople(app.ctx, [late], { purpose: PURPOSE });
      const result = await rotation;
      assert.deepEqual(fileVersions(app.keyFile), [2]);
      await assertAllUnder(app.ctx, 2, ids.length + 1);
      await assertReadable(app.ctx, [...ids]);
      assert.equal((await readPerson(app.ctx, late.person.subject.id, PURPOSE)).identity.name, '测试90');
      assert.equal(result.newVersion, 2);
    });

    it('a running process keeps working across a rotation done through another keyring instance', async () => {
      const app = await fresh();
      const ids = await register(app.ctx, 6);
      const first = app.ctx.keys.keyring;
      assert.deepEqual(first.versions, [1]);

      const second = openKeyring(app.keyFile, {});
      assert.notEqual(second, first);
      const result = await rotateRootKey(app.ctx.store, second, undefined, { graceMs: 0 });
      assert.equal(result.newVersion, 2);
      assert.deepEqual(fileVersions(app.keyFile), [2]);
      assert.deepEqual(first.versions, [1], 'the first keyring has not looked at the file yet');

      // Every data key is now under version 2, which the first keyring has never seen: get(2)
      // re-reads the file. The column keys it holds in memory are unchanged, so searches work.
      await assertReadable(app.ctx, ids);
      assert.deepEqual(first.versions, [2]);
      // New data from the first process goes under the new current version.
      const more = await register(app.ctx, 2, 50);
      for (const id of more) assert.equal((await app.ctx.store.subjects.getKey(id))?.root_version, 2);

      // A rotation through the first keyring after yet another one through the second: the first
      // keyring's view is stale again, and must neither lose version 3 nor leave keys behind.
      await rotateRootKey(app.ctx.store, second, undefined, { graceMs: 0 });
      assert.deepEqual(fileVersions(app.keyFile), [3]);
      assert.deepEqual(first.versions, [2]);
      const third = await rotateRootKey(app.ctx.store, first, undefined, { graceMs: 0 });
      assert.equal(third.resumed, false);
      assert.equal(third.newVersion, 4);
      assert.deepEqual(third.retired, [3]);
      assert.deepEqual(fileVersions(app.keyFile), [4]);
      await assertAllUnder(app.ctx, 4, ids.length + more.length);
      await assertReadable(app.ctx, ids);
      await assertReadable(app.ctx, more, 50);

      // And the other process's own context (its own store and keyring) reads everything too.
      const other = await openSecondContext(app);
      extra.push(other);
      await assertReadable(other, ids);
    });
  });
}
