/**
 * Attacks on the audit log by someone with the database (docs/AUDIT.md, "What verify reports"):
 * the attacker drops the append-only triggers, as anyone with the database can, then edits,
 * deletes, reorders or inserts rows; `audit verify` names each. The strong attacker also
 * recomputes every leaf hash, tile and the head and re-signs a checkpoint with the server's own
 * key: `verify` alone then passes, but `verify --against` a checkpoint kept outside the database
 * fails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engines } from '../support/engines.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { rawSql } from '../support/raw-sql.ts';
import type { RawSql } from '../support/raw-sql.ts';
import { runCli } from '../support/cli.ts';
import { auditLogHashing, eventLeafHash } from '../../src/audit/leaf.ts';
import type { AuditEventFields } from '../../src/audit/leaf.ts';
import { logOrigin, signCheckpoint } from '../../src/audit/note.ts';
import { validateLineListRow } from '../../src/domain/line-list.ts';
import { makeResidentId } from '../../src/domain/id-number.ts';
import { collectStats } from '../../src/services/stats.service.ts';
import { findByDocument, readPerson, registerPeople } from '../../src/services/people.service.ts';
import { sealPerson } from '../../src/services/subject-cipher.ts';
import { workerKeysOf } from '../../src/services/seal-tasks.ts';
import { proveEvent, verifyAuditLog, writeCheckpoint } from '../../src/services/audit-log.service.ts';
import type { Engine } from '../../src/storage/engine.ts';

const PURPOSE = 'case_investigation';
const COLUMNS = ['at', 'actor', 'actor_role', 'action', 'resource_type', 'resource_id', 'subject_ref', 'purpose', 'reason', 'outcome', 'request_id', 'leaf_hash'] as const;

const row = (i: number) => ({
  name: `审计${i}`, id_number: makeResidentId('110102', '1979-05-05', 301 + 2 * i, 'M'), phone: `1370000${String(i).padStart(4, '0')}`,
  address: '北京市西城区某街道2号', birth_date: '1979-05-05', sex: 'M', district_code: '110102',
  classification: 'confirmed', onset_date: '2026-11-20', report_date: '2026-11-22',
});

/** A log of 300 + a few events written by the services: creates, reads, searches, stats; a checkpoint kept in a file. */
async function loggedApp(engine: Engine): Promise<{ app: TestApp; checkpointFile: string; size: number }> {
  const app = await testApp(engine);
  const sealed = Array.from({ length: 4 }, (_, i) => {
    const r = validateLineListRow(row(i), '2026-11-29');
    assert.ok(r.ok);
    return sealPerson(workerKeysOf(app.ctx.keys), r.person, r.case, new Date().toISOString());
  });
  const { subjectIds } = await registerPeople(app.ctx, sealed, { purpose: PURPOSE });
  for (const id of subjectIds) await readPerson(app.ctx, id!, PURPOSE, 'call back about symptoms');
  await findByDocument(app.ctx, row(1).id_number, PURPOSE);
  for (let i = 0; i < 300; i++) await collectStats(app.ctx);
  const cp = await writeCheckpoint(app.ctx);
  const checkpointFile = join(app.dataDir, 'kept-by-the-auditor.checkpoint');
  writeFileSync(checkpointFile, cp.note);
  return { app, checkpointFile, size: cp.size };
}

/** What an attacker with the database does first: drop every trigger that protects the log. */
async function dropTriggers(raw: RawSql, engine: Engine): Promise<void> {
  if (engine === 'sqlite') {
    for (const t of ['audit_events_no_update', 'audit_events_no_delete', 'audit_checkpoints_no_update', 'audit_checkpoints_no_delete', 'audit_tiles_grow', 'audit_tiles_no_delete', 'audit_tree_head_grow', 'audit_tree_head_no_delete']) {
      await raw.exec(`drop trigger ${t}`);
    }
  } else {
    for (const [t, table] of [['audit_events_no_change', 'audit_events'], ['audit_checkpoints_no_change', 'audit_checkpoints'], ['audit_tiles_grow', 'audit_tiles'], ['audit_tree_head_grow', 'audit_tree_head']]) {
      await raw.exec(`drop trigger ${t} on ${table}`);
    }
  }
}

const bytes = (engine: Engine, b: Buffer) => (engine === 'postgres' ? `'\\x${b.toString('hex')}'::bytea` : `x'${b.toString('hex')}'`);
const text = (s: string | null) => (s === null ? 'null' : `'${s.replaceAll("'", "''")}'`);

async function readRows(raw: RawSql): Promise<(AuditEventFields & { leaf_hash: Buffer })[]> {
  const rows = await raw.query<AuditEventFields & { leaf_hash: Buffer }>('select * from audit_events order by seq');
  return rows.map((r) => ({ ...r, seq: Number(r.seq), leaf_hash: Buffer.from(r.leaf_hash) }));
}

for (const { engine, skip } of await engines()) {
  describe(`audit log attacks on ${engine}`, { skip }, () => {
    let app: TestApp;
    let raw: RawSql;
    let checkpointFile: string;
    let size: number;
    before(async () => {
      ({ app, checkpointFile, size } = await loggedApp(engine));
      raw = await rawSql(app.db);
      await dropTriggers(raw, engine);
    });
    after(async () => {
      await raw?.close();
      await app?.cleanup();
    });

    /** Runs one attack, checks what verify reports, then undoes it (the attacker's SQL in reverse). */
    async function attack(doIt: string[], undo: string[], check: (r: Awaited<ReturnType<typeof verifyAuditLog>>) => void | Promise<void>): Promise<void> {
      assert.equal((await verifyAuditLog(app.ctx)).ok, true, 'the log is intact before the attack');
      for (const s of doIt) await raw.exec(s);
      try {
        const r = await verifyAuditLog(app.ctx);
        assert.equal(r.ok, false);
        await check(r);
      } finally {
        for (const s of undo) await raw.exec(s);
      }
      assert.deepEqual((await verifyAuditLog(app.ctx)).problems, [], 'undoing the attack restores the log');
    }

    it('names an edited row (and the command line says so, exit code 1)', async () => {
      const [victim] = (await readRows(raw)).filter((r) => r.action === 'read');
      const s = victim!.seq;
      await attack([`update audit_events set purpose = 'curiosity' where seq = ${s}`], [`update audit_events set purpose = ${text(victim!.purpose)} where seq = ${s}`], (r) => {
        assert.equal(r.problems[0]!.kind, 'edited');
        assert.equal(r.problems[0]!.seq, s);
        assert.match(r.problems[0]!.message, new RegExp(`^seq ${s}: leaf hash mismatch: the row was edited`));
        assert.ok(r.problems.some((p) => p.kind === 'checkpoint'), 'the stored checkpoint no longer matches either');
      });
      await raw.exec(`update audit_events set actor = 'someone-else' where seq = 2`);
      try {
        const cli = await runCli(['audit', 'verify', '--data', app.dataDir, '--db', app.db.url]);
        assert.equal(cli.code, 1, cli.stderr);
        assert.match(cli.stdout, /audit log verification FAILED\n {2}first bad entry: seq 2: leaf hash mismatch: the row was edited after it was logged/);
      } finally {
        const original = (await readRows(raw))[1]!;
        await raw.exec(`update audit_events set actor = ${text(app.ctx.actor.id)} where seq = 2`);
        assert.equal(eventLeafHash({ ...original, actor: app.ctx.actor.id }).equals(original.leaf_hash), true);
      }
    });

    it('names a deleted row', async () => {
      const rows = await readRows(raw);
      const victim = rows[6]!;
      const values = `${victim.seq}, ${COLUMNS.map((c) => (c === 'leaf_hash' ? bytes(engine, victim.leaf_hash) : text(victim[c]))).join(', ')}`;
      await attack([`delete from audit_events where seq = ${victim.seq}`], [`insert into audit_events (seq, ${COLUMNS.join(', ')}) values (${values})`], (r) => {
        assert.deepEqual(r.problems[0], { seq: victim.seq, kind: 'deleted', message: `seq ${victim.seq} is missing: the row was deleted` });
      });
      // The last row, too: the tree head still counts it.
      const last = rows[rows.length - 1]!;
      const lastValues = `${last.seq}, ${COLUMNS.map((c) => (c === 'leaf_hash' ? bytes(engine, last.leaf_hash) : text(last[c]))).join(', ')}`;
      await attack([`delete from audit_events where seq = ${last.seq}`], [`insert into audit_events (seq, ${COLUMNS.join(', ')}) values (${lastValues})`], (r) => {
        assert.equal(r.problems[0]!.kind, 'deleted');
        assert.match(r.problems[0]!.message, new RegExp(`^seq ${last.seq} is missing: the last row was deleted`));
      });
    });

    it('names reordered rows (contents swapped, with or without their leaf hashes)', async () => {
      const rows = await readRows(raw);
      const [a, b] = [rows[3]!, rows[8]!];
      const set = (to: typeof a, from: typeof a, withLeaf: boolean) =>
        `update audit_events set ${COLUMNS.filter((c) => withLeaf || c !== 'leaf_hash').map((c) => `${c} = ${c === 'leaf_hash' ? bytes(engine, from.leaf_hash) : text(from[c])}`).join(', ')} where seq = ${to.seq}`;
      for (const withLeaf of [true, false]) {
        await attack([set(a, b, withLeaf), set(b, a, withLeaf)], [set(a, a, true), set(b, b, true)], (r) => {
          assert.deepEqual(r.problems.slice(0, 2).map((p) => [p.seq, p.kind]), [[a.seq, 'reordered'], [b.seq, 'reordered']]);
          assert.match(r.problems[0]!.message, new RegExp(`^seq ${a.seq}: the row holds the event logged at seq ${b.seq}: rows were reordered`));
        });
      }
    });

    it('names an inserted row, at the end or in place of another', async () => {
      const rows = await readRows(raw);
      const forged: AuditEventFields = { ...rows[0]!, seq: rows.length + 1, actor: 'system:cli:nobody', action: 'read', purpose: 'case_investigation' };
      const values = (e: AuditEventFields) => `${e.seq}, ${COLUMNS.map((c) => (c === 'leaf_hash' ? bytes(engine, eventLeafHash(e)) : text(e[c]))).join(', ')}`;
      await attack([`insert into audit_events (seq, ${COLUMNS.join(', ')}) values (${values(forged)})`], [`delete from audit_events where seq = ${forged.seq}`], (r) => {
        assert.deepEqual(r.problems[0], { seq: forged.seq, kind: 'inserted', message: `seq ${forged.seq} is beyond the tree head (size ${rows.length}): a row was inserted outside the log` });
      });
      // A forged row in place of a real one, with a correctly computed leaf hash: only the tree gives it away.
      const victim = rows[4]!;
      const replacement = { ...victim, actor: 'system:cli:nobody' };
      await attack([`delete from audit_events where seq = ${victim.seq}`, `insert into audit_events (seq, ${COLUMNS.join(', ')}) values (${values(replacement)})`],
        [`delete from audit_events where seq = ${victim.seq}`, `insert into audit_events (seq, ${COLUMNS.join(', ')}) values (${values(victim)})`], (r) => {
          const first = r.problems[0]!;
          assert.equal(first.kind, 'checkpoint');
          assert.match(first.message, /does not match the rows: events 1\.\.\d+ were changed after it was signed/);
          const head = r.problems.find((p) => p.kind === 'head')!;
          assert.ok(head.seq! <= victim.seq, 'the head names the subtree that holds the forged row');
          assert.match(head.message, /no longer hash to the tree head/);
        });
    });

    it('names a tampered tile, and refuses to hand out a proof through it', async () => {
      const zero = bytes(engine, Buffer.alloc(32 * 256));
      const [tile] = await raw.query<{ hashes: Buffer }>('select hashes from audit_tiles where level = 0 and idx = 0');
      await attack([`update audit_tiles set hashes = ${zero} where level = 0 and idx = 0`], [`update audit_tiles set hashes = ${bytes(engine, Buffer.from(tile!.hashes))} where level = 0 and idx = 0`], async (r) => {
        assert.deepEqual(r.problems.map((p) => [p.kind, p.seq]), [['tile', 1]]);
        assert.match(r.problems[0]!.message, /^tile 0\/0 does not match the leaf hashes of events 1\.\.256/);
        await assert.rejects(proveEvent(app.ctx, 5), /the stored tree gives no valid proof of event 5 \(inclusion proof does not lead to the root\); run `epivault audit verify`/);
      });
    });

    it('the strong attacker (rows, leaf hashes, tiles, head and a re-signed checkpoint) passes verify but not verify --against', async () => {
      const rows = await readRows(raw);
      const victim = rows.find((r) => r.action === 'read')!;
      const rewritten = rows.map((r) => (r.seq === victim.seq ? { ...r, purpose: 'curiosity', reason: 'nothing to see' } : r));
      const leaves = rewritten.map((r) => eventLeafHash(r));
      const tree = auditLogHashing.extend(0, [], leaves);
      const tiles = new Map<string, Buffer[]>();
      for (let t = 0; (t + 1) * 256 <= leaves.length; t++) tiles.set(`0/${t}`, leaves.slice(t * 256, (t + 1) * 256));
      for (const e of tree.tileEntries) {
        const k = `${e.level}/${Math.floor(e.index / 256)}`;
        tiles.set(k, [...(tiles.get(k) ?? []), e.hash]);
      }
      const key = app.ctx.keys.auditSigning; // the server's own key, stolen with the database
      const note = signCheckpoint({ origin: logOrigin(key), size: rows.length, root: tree.root }, key);
      await raw.exec(`update audit_events set purpose = 'curiosity', reason = 'nothing to see', leaf_hash = ${bytes(engine, leaves[victim.seq - 1]!)} where seq = ${victim.seq}`);
      await raw.exec('delete from audit_tiles');
      for (const [k, hashes] of tiles) {
        const [level, idx] = k.split('/');
        await raw.exec(`insert into audit_tiles (level, idx, width, hashes) values (${level}, ${idx}, ${hashes.length}, ${bytes(engine, Buffer.concat(hashes))})`);
      }
      await raw.exec(`update audit_tree_head set size = ${rows.length}, root = ${bytes(engine, tree.root)}, frontier = ${bytes(engine, Buffer.concat(tree.frontier))}`);
      await raw.exec('delete from audit_checkpoints');
      await raw.exec(`insert into audit_checkpoints (size, root, note, frontier, created_at) values (${rows.length}, ${bytes(engine, tree.root)}, ${text(note)}, ${bytes(engine, Buffer.concat(tree.frontier))}, '2026-11-29T00:00:00Z')`);

      const alone = await verifyAuditLog(app.ctx);
      assert.deepEqual(alone.problems, [], 'everything stored is consistent: verify alone cannot tell');
      const against = await verifyAuditLog(app.ctx, { against: readFileSync(checkpointFile, 'utf8') });
      assert.equal(against.ok, false);
      assert.match(against.against!.message, new RegExp(`^the log \\(size ${rows.length}\\) does not extend the checkpoint of size ${size}: the consistency proof from size ${size} to ${rows.length} fails`));

      const cliAlone = await runCli(['audit', 'verify', '--data', app.dataDir, '--db', app.db.url]);
      assert.equal(cliAlone.code, 0, cliAlone.stdout + cliAlone.stderr);
      const cli = await runCli(['audit', 'verify', '--data', app.dataDir, '--db', app.db.url, '--against', checkpointFile]);
      assert.equal(cli.code, 1, cli.stderr);
      assert.match(cli.stdout, /against checkpoint: the log \(size \d+\) does not extend the checkpoint of size \d+: the consistency proof .* fails .*: the log was rewritten after that checkpoint was signed/);
    });
  });
}
