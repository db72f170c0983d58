/**
 * The audit Merkle log through the services, on every engine: dense seqs, head and tiles equal to
 * the tree of the rows, checkpoints, proofs, the database's own refusal of anything but growth,
 * concurrent appenders, and the adoption of events written before the log existed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, freshDatabase } from '../../test/support/engines.ts';
import type { TestDatabase } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { rawSql } from '../../test/support/raw-sql.ts';
import { loadConfig } from '../config/config.ts';
import { eventLeafHash } from '../audit/leaf.ts';
import { rootOf, verifyInclusion } from '../audit/merkle.ts';
import { openCheckpoint } from '../audit/note.ts';
import { migrate, openDatabase } from '../storage/database.ts';
import { openApp } from './app-context.ts';
import type { AppContext } from './app-context.ts';
import { toAuditRow } from './audit.service.ts';
import {
  auditPublicKey, latestCheckpoint, logVerifier, proveEvent, scheduleCheckpoints, treeAt, verifyAuditLog, verifyProofBundle, writeCheckpoint,
} from './audit-log.service.ts';
import { createKeyFile } from './keys.service.ts';
import { createLogger } from './logger.ts';

const actor = { id: 'system:test', role: 'system' };

/** Appends `n` events in one transaction, as the bulk services do. */
async function appendEvents(ctx: AppContext, n: number, tag = 'x'): Promise<number[]> {
  const rows = Array.from({ length: n }, (_, i) => toAuditRow(ctx.keys, actor, { action: 'read', resourceType: 'subject', subjectId: `s-${tag}-${i}`, purpose: 'case_investigation', outcome: 'success', reason: i % 3 ? null : `reason ${i}` }, new Date().toISOString()));
  return ctx.store.transaction((repos) => repos.audit.appendMany(rows));
}

async function allRows(ctx: AppContext) {
  return ctx.store.audit.list(0, 1_000_000);
}

for (const { engine, skip } of await engines()) {
  describe(`audit log on ${engine}`, { skip }, () => {
    let app: TestApp;
    before(async () => { app = await testApp(engine); });
    after(async () => { await app?.cleanup(); });

    it('numbers events densely from 1 and keeps the head and tiles equal to the tree of the rows', async () => {
      const seqs: number[] = [];
      for (const n of [1, 300, 2, 397, 255, 1]) seqs.push(...(await appendEvents(app.ctx, n)));
      assert.deepEqual(seqs, Array.from({ length: 956 }, (_, i) => i + 1));
      const rows = await allRows(app.ctx);
      assert.deepEqual(rows.map((r) => r.seq), seqs);
      for (const r of rows) assert.deepEqual(r.leaf_hash, eventLeafHash(r), `leaf ${r.seq}`);
      const head = await app.ctx.store.audit.head();
      assert.equal(head.size, 956);
      assert.deepEqual(head.root, rootOf(rows.map((r) => r.leaf_hash)));
      const t = await app.ctx.store.audit.tile(1, 0);
      assert.equal(t?.width, 3, '956 leaves: three full level-0 tiles, so a level-1 tile of width 3');
      for (const idx of [0, 1, 2]) assert.deepEqual((await app.ctx.store.audit.tile(0, idx))?.hashes, Buffer.concat(rows.slice(idx * 256, idx * 256 + 256).map((r) => r.leaf_hash)));
      assert.equal(await app.ctx.store.audit.tile(0, 3), undefined, 'the partial level-0 tile stays in the event rows');
      assert.deepEqual(await app.ctx.store.transaction((repos) => treeAt(repos, 956).root()), head.root);
      const report = await verifyAuditLog(app.ctx);
      assert.deepEqual(report.problems, []);
      assert.equal(report.ok, true);
    });

    it('leaves no gap when an appending transaction rolls back', async () => {
      const before = (await app.ctx.store.audit.head()).size;
      await assert.rejects(app.ctx.store.transaction(async (repos) => {
        await repos.audit.append(toAuditRow(app.ctx.keys, actor, { action: 'read', resourceType: 'subject', purpose: 'p', outcome: 'success' }, 'now'));
        throw new Error('boom');
      }), /boom/);
      const [seq] = await appendEvents(app.ctx, 1);
      assert.equal(seq, before + 1);
      assert.equal((await verifyAuditLog(app.ctx)).ok, true);
    });

    it('serializes concurrent appenders: seqs stay dense and the tree stays whole', async () => {
      const before = (await app.ctx.store.audit.head()).size;
      const results = await Promise.all(Array.from({ length: 8 }, (_, k) => appendEvents(app.ctx, 40 + k, `c${k}`)));
      const all = results.flat().sort((a, b) => a - b);
      assert.deepEqual(all, Array.from({ length: all.length }, (_, i) => before + i + 1));
      for (const r of results) assert.deepEqual(r, Array.from({ length: r.length }, (_, i) => r[0]! + i), 'each batch is contiguous');
      const report = await verifyAuditLog(app.ctx);
      assert.deepEqual(report.problems, []);
    });

    it('signs checkpoints (one per size), and proves any event offline against one', async () => {
      const c1 = await writeCheckpoint(app.ctx);
      assert.equal(c1.created, true);
      assert.equal((await writeCheckpoint(app.ctx)).created, false, 'same size: the stored one is returned');
      const verifier = logVerifier(app.ctx.keys.auditSigning);
      assert.deepEqual(openCheckpoint(c1.note, verifier).root, c1.root);
      const key = auditPublicKey(app.ctx);
      await appendEvents(app.ctx, 5);
      for (const seq of [1, 2, 256, 257, c1.size, c1.size + 3]) {
        const bundle = await proveEvent(app.ctx, seq);
        assert.ok(bundle.tree_size >= seq);
        verifyInclusion(bundle.leaf_index, bundle.tree_size, Buffer.from(bundle.leaf_hash, 'base64'), bundle.proof.map((p) => Buffer.from(p, 'base64')), openCheckpoint(bundle.checkpoint, verifier).root);
        const check = verifyProofBundle(JSON.stringify(bundle), key);
        assert.equal(check.seq, seq);
      }
      assert.equal((await latestCheckpoint(app.ctx))?.size, c1.size + 5, 'proving an event beyond the last checkpoint wrote a new one');
      const bundle = await proveEvent(app.ctx, 3);
      assert.throws(() => verifyProofBundle(JSON.stringify({ ...bundle, event: { ...bundle.event, actor: 'mallory' } }), key), /event was altered/);
      assert.throws(() => verifyProofBundle(JSON.stringify({ ...bundle, proof: bundle.proof.slice(1) }), key), /proof does not verify/);
      const otherKey = key.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
      assert.throws(() => verifyProofBundle(JSON.stringify(bundle), otherKey), /bad verifier key/);
      await assert.rejects(proveEvent(app.ctx, 1_000_000), /no audit event/);
    });

    it('extends an earlier checkpoint, and says so with a consistency proof', async () => {
      const early = await writeCheckpoint(app.ctx);
      await appendEvents(app.ctx, 300);
      const r = await verifyAuditLog(app.ctx, { against: early.note });
      assert.equal(r.ok, true, JSON.stringify(r.problems));
      assert.match(r.against!.message, /extends the checkpoint of size \d+: consistency proof verified/);
      await assert.rejects(verifyAuditLog(app.ctx, { against: early.note.replace(/\n\n.*$/s, '\n\n\u2014 x AAAAAAAA\n') }), /not a checkpoint signed by/);
    });

    it('writes checkpoints on a schedule when the log has grown', async () => {
      await appendEvents(app.ctx, 2);
      const stop = scheduleCheckpoints(app.ctx, 1000);
      try {
        const size = (await app.ctx.store.audit.head()).size;
        for (let i = 0; i < 40 && (await latestCheckpoint(app.ctx))?.size !== size; i++) await new Promise((r) => setTimeout(r, 100));
        assert.equal((await latestCheckpoint(app.ctx))?.size, size);
      } finally {
        stop();
      }
      assert.throws(() => scheduleCheckpoints(app.ctx, 10), /at least 1000 ms/);
    });

    it('lets the database refuse edits and deletes of events and checkpoints, a shrinking head, and anything but growth of a tile', async () => {
      await appendEvents(app.ctx, 1);
      await writeCheckpoint(app.ctx);
      const raw = await rawSql(app.db);
      try {
        for (const s of ['update audit_events set actor = \'mallory\' where seq = 1', 'delete from audit_events where seq = 1', 'update audit_checkpoints set note = \'x\'', 'delete from audit_checkpoints']) {
          await assert.rejects(raw.exec(s), /append-only/, s);
        }
        await assert.rejects(raw.exec('update audit_tree_head set size = size - 1'), /only grows/);
        await assert.rejects(raw.exec('delete from audit_tree_head'), /only grows/);
        await assert.rejects(raw.exec('update audit_tiles set width = width - 1 where level = 1 and idx = 0'), /only grow/);
        await assert.rejects(raw.exec('delete from audit_tiles'), /only grow/);
        const zero = engine === 'postgres' ? "'\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea" : "zeroblob(32)";
        // Growing a partial tile is allowed only if its existing hashes stay as they were.
        const tamper = engine === 'postgres' ? `${zero} || substring(hashes from 33)` : `${zero} || substr(hashes, 33)`;
        await assert.rejects(raw.exec(`update audit_tiles set width = width + 1, hashes = ${tamper} || ${zero} where level = 1 and idx = 0`), /only grow/);
        if (engine === 'postgres') {
          for (const t of ['audit_events', 'audit_checkpoints', 'audit_tiles', 'audit_tree_head']) await assert.rejects(raw.exec(`truncate ${t}`), /append-only/, t);
        }
      } finally {
        await raw.close();
      }
      assert.equal((await verifyAuditLog(app.ctx)).ok, true);
    });
  });

  describe(`adoption of audit events written before the Merkle log on ${engine}`, { skip }, () => {
    let t: TestDatabase;
    after(async () => { await t?.cleanup(); });

    it('appends the legacy events to the log in their order, renumbered densely, and drops the old table', async () => {
      t = await freshDatabase(engine);
      const open = await openDatabase(t.target, { migrate: false });
      await migrate(open, '0001-core');
      await open.close();
      const raw = await rawSql(t);
      try {
        for (let i = 0; i < 5; i++) {
          await raw.exec(`insert into audit_events (at, actor, actor_role, action, resource_type, purpose, outcome) values ('2026-11-0${i + 1}T00:00:00Z', 'legacy', 'system', 'read', 'subject', 'p', 'success')`);
        }
        if (engine === 'postgres') { // a rolled-back insert leaves a gap in an identity column
          await raw.exec(`begin; insert into audit_events (at, actor, actor_role, action, resource_type, purpose, outcome) values ('x', 'x', 'x', 'x', 'x', 'x', 'x'); rollback`);
        } else {
          await raw.exec(`insert into audit_events (seq, at, actor, actor_role, action, resource_type, purpose, outcome) values (9, 'gap', 'legacy', 'system', 'read', 'subject', 'p', 'success')`);
        }
        await raw.exec(`insert into audit_events (at, actor, actor_role, action, resource_type, purpose, outcome) values ('2026-11-09T00:00:00Z', 'legacy', 'system', 'stats', 'system', 'administration', 'success')`);
      } finally {
        await raw.close();
      }
      const config = loadConfig({ data: t.dir, db: t.url }, {});
      createKeyFile(config.keyFile);
      const ctx = await openApp(config, { logger: createLogger('silent') });
      try {
        const rows = await allRows(ctx);
        assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: rows.length }, (_, i) => i + 1));
        assert.equal(rows.length, engine === 'postgres' ? 6 : 7);
        assert.equal(rows[0]!.at, '2026-11-01T00:00:00Z');
        assert.equal(rows[rows.length - 1]!.action, 'stats');
        assert.equal(await ctx.store.audit.legacyPending(), false);
        assert.deepEqual((await verifyAuditLog(ctx)).problems, []);
        const again = await openApp(config, { logger: createLogger('silent') });
        assert.equal((await again.store.audit.head()).size, rows.length, 'a second open adopts nothing more');
        await again.close();
      } finally {
        await ctx.close();
      }
    });
  });
}
