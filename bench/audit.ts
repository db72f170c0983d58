/**
 * `npm run bench -- audit [--events N] [--batch B] [--db URL] [--proofs P]`
 *
 * The audit Merkle log (docs/AUDIT.md), one JSON line per engine on stdout, progress on stderr:
 *
 *   append_per_s        events appended with the tree maintained (leaf hash, compact range, tiles,
 *                       head), in transactions of B events as the bulk services write them
 *   plain_insert_per_s  the same events into a plain table with the same columns and append-only
 *                       triggers, no hashing and no tree (the table as it was before the log)
 *   sha256_per_s        raw SHA-256 of the same events' leaf bytes (the hashing floor)
 *   verify_per_s        events verified per second by the full `audit verify` pass
 *   proof_ms            one inclusion proof at the size reached (proof_at_size), random leaf,
 *                       full tiles cached as the server caches them; proof_cold_ms without cache
 *
 * plus append_single_per_s / plain_single_per_s (one event per transaction, as a read is audited).
 * Without --db: SQLite in a temporary file, then PostgreSQL at the default test URL if it answers.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Generated, Kysely } from 'kysely';
import { auditLogHashing, leafBytes } from '../src/audit/leaf.ts';
import { verifyInclusion } from '../src/audit/merkle.ts';
import type { TileCache } from '../src/audit/tiles.ts';
import { logOrigin, noteVerifierOf } from '../src/audit/note.ts';
import { verifyLog } from '../src/audit/verifier.ts';
import { generateKey, sha256 } from '../src/crypto/index.ts';
import { treeAt } from '../src/services/audit-log.service.ts';
import { openDatabase } from '../src/storage/database.ts';
import { appendOnly } from '../src/storage/migrations/0001-core.ts';
import { Store } from '../src/storage/store.ts';
import type { NewAuditEvent } from '../src/storage/store.ts';
import { UsageError } from './ingest.ts';
import { fmt, log } from './lib/progress.ts';
import { DEFAULT_PG_URL, placeFromUrl, postgresAnswers, postgresPlace, sqlitePlace } from './lib/targets.ts';
import type { BenchPlace } from './lib/targets.ts';

export const AUDIT_USAGE = `usage: npm run bench -- audit [--events N] [--batch B] [--db URL] [--proofs P] [--append-only]
  --events N   events appended (default 100000); proofs are timed at this size
  --batch B    events per transaction (default 1000, the import's batch)
  --db URL     one engine: postgres://... (a fresh schema, dropped afterwards) or a SQLite path
               prefix; default: SQLite in a temporary directory, then PostgreSQL at
               ${DEFAULT_PG_URL} if it answers
  --proofs P   inclusion proofs timed (default 2000)
  --append-only  for large sizes: only the appends (timed) and the proofs; the plain table, the
               single-event appends and verify are skipped (their fields are null)`;

interface Args { events: number; batch: number; proofs: number; appendOnly: boolean; db?: string }

function positive(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

function parse(argv: string[]): Args {
  const { values } = parseArgs({ args: argv, options: { events: { type: 'string' }, batch: { type: 'string' }, db: { type: 'string' }, proofs: { type: 'string' }, 'append-only': { type: 'boolean' } }, strict: true });
  return {
    events: positive('events', values.events, 100_000), batch: positive('batch', values.batch, 1000), proofs: positive('proofs', values.proofs, 2000),
    appendOnly: values['append-only'] === true, ...(values.db ? { db: values.db } : {}),
  };
}

interface PlainAudit {
  audit_events_plain: {
    seq: Generated<number>; at: string; actor: string; actor_role: string; action: string; resource_type: string; resource_id: string | null;
    subject_ref: string | null; purpose: string; reason: string | null; outcome: string; request_id: string | null;
  };
}

/** Deterministic synthetic events shaped like the services' (reads, creates, searches). */
function eventsFrom(start: number, n: number): NewAuditEvent[] {
  const actions = ['read', 'create', 'search', 'read', 'read'];
  const at = new Date(Date.UTC(2026, 10, 29)).getTime();
  return Array.from({ length: n }, (_, k) => {
    const i = start + k;
    return {
      at: new Date(at + i * 1000).toISOString(), actor: `staff:${(i * 7919) % 500}`, actor_role: 'investigator', action: actions[i % actions.length]!,
      resource_type: i % 5 === 1 ? 'case' : 'subject', resource_id: i % 5 === 1 ? `case_${i.toString(36)}` : null,
      subject_ref: sha256(Buffer.from(`subject ${i % 50_000}`)).subarray(0, 16).toString('hex'), purpose: 'case_investigation',
      reason: i % 11 === 0 ? 'follow-up call' : null, outcome: 'success', request_id: `req_${i.toString(36)}`,
    };
  });
}

async function createPlainTable(db: Kysely<PlainAudit>, engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.createTable('audit_events_plain')
    .addColumn('seq', engine === 'postgres' ? 'bigint' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'text', (c) => c.notNull()).addColumn('actor', 'text', (c) => c.notNull()).addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull()).addColumn('resource_type', 'text', (c) => c.notNull()).addColumn('resource_id', 'text')
    .addColumn('subject_ref', 'text').addColumn('purpose', 'text', (c) => c.notNull()).addColumn('reason', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull()).addColumn('request_id', 'text')
    .execute();
  // The same secondary indexes as audit_events (subject, actor and time for the auditor's queries).
  await db.schema.createIndex('audit_events_plain_subject_ref').on('audit_events_plain').column('subject_ref').execute();
  await db.schema.createIndex('audit_events_plain_actor').on('audit_events_plain').columns(['actor', 'seq']).execute();
  await db.schema.createIndex('audit_events_plain_at').on('audit_events_plain').column('at').execute();
  await appendOnly(db as Kysely<unknown>, engine, 'audit_events_plain');
}

async function insertPlain(db: Kysely<PlainAudit>, events: NewAuditEvent[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < events.length; i += 2000) await trx.insertInto('audit_events_plain').values(events.slice(i, i + 2000) as never).execute();
  });
}

const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

async function runOne(place: BenchPlace, args: Args): Promise<Record<string, unknown>> {
  const scratch = await place.fresh('audit');
  const open = await openDatabase(scratch.target);
  const store = new Store(open, { auditHashing: auditLogHashing });
  const plain = open.db as unknown as Kysely<PlainAudit>;
  try {
    await createPlainTable(plain, place.engine);
    const warm = Math.min(1000, args.batch);
    await store.transaction((r) => r.audit.appendMany(eventsFrom(0, warm)));
    await insertPlain(plain, eventsFrom(0, warm));

    // Bulk: the same batches into both, alternating so that both see the same machine load.
    let appendMs = 0;
    let plainMs = 0;
    let hashMs = 0;
    let leafMs = 0;
    let started = performance.now();
    for (let done = 0; done < args.events; done += args.batch) {
      const batch = eventsFrom(warm + done, Math.min(args.batch, args.events - done));
      let t = performance.now();
      await store.transaction((r) => r.audit.appendMany(batch));
      appendMs += performance.now() - t;
      if (args.appendOnly) {
        if (performance.now() - started > 5000) {
          started = performance.now();
          log(`  ${place.engine}: ${fmt(done + batch.length)}/${fmt(args.events)} events, append ${fmt(((done + batch.length) / appendMs) * 1000)}/s`);
        }
        continue;
      }
      t = performance.now();
      await insertPlain(plain, batch);
      plainMs += performance.now() - t;
      const records = batch.map((e, k) => ({ seq: warm + done + k + 1, ...e, resource_id: e.resource_id ?? null, subject_ref: e.subject_ref ?? null, reason: e.reason ?? null, request_id: e.request_id ?? null }));
      const bytes = records.map(leafBytes);
      t = performance.now();
      for (const b of bytes) sha256(b);
      hashMs += performance.now() - t;
      t = performance.now();
      for (const r of records) auditLogHashing.leafHash(r);
      leafMs += performance.now() - t;
      if (performance.now() - started > 5000) {
        started = performance.now();
        log(`  ${place.engine}: ${fmt(done + batch.length)}/${fmt(args.events)} events, append ${fmt(((done + batch.length) / appendMs) * 1000)}/s, plain ${fmt(((done + batch.length) / plainMs) * 1000)}/s`);
      }
    }

    // One event per transaction, as every audited read writes.
    const singles = args.appendOnly ? 0 : Math.min(2000, args.events);
    const singleEvents = eventsFrom(warm + args.events, singles);
    let t = performance.now();
    for (const e of singleEvents) await store.transaction((r) => r.audit.append(e));
    const singleMs = performance.now() - t;
    t = performance.now();
    for (const e of singleEvents) await insertPlain(plain, [e]);
    const plainSingleMs = performance.now() - t;

    const head = await store.audit.head();
    log(`  ${place.engine}: log of ${fmt(head.size)} events${args.appendOnly ? '' : '; verifying'}`);
    const key = generateKey('signing');
    const reader = {
      head: () => store.audit.head(),
      events: (after: number, limit: number) => store.audit.list(after, limit),
      tilesAfter: (level: number, idx: number, limit: number) => store.audit.tilesAfter(level, idx, limit),
      checkpoints: () => store.audit.checkpoints(),
    };
    t = performance.now();
    const report = args.appendOnly ? null : await verifyLog(reader, { verifier: noteVerifierOf(logOrigin(key), key) });
    const verifyMs = performance.now() - t;
    if (report && !report.ok) throw new Error(`verify failed: ${report.problems[0]?.message}`);

    const rnd = (n: number) => Math.floor(Math.random() * n);
    const cache: TileCache = new Map();
    for (let i = 0; i < 50; i++) await treeAt(store, head.size, cache, head.frontier).inclusionProof(rnd(head.size)); // fill the upper tiles
    t = performance.now();
    for (let i = 0; i < args.proofs; i++) await treeAt(store, head.size, cache, head.frontier).inclusionProof(rnd(head.size));
    const proofMs = (performance.now() - t) / args.proofs;
    const cold = Math.min(200, args.proofs);
    t = performance.now();
    for (let i = 0; i < cold; i++) await treeAt(store, head.size, undefined, head.frontier).inclusionProof(rnd(head.size));
    const proofColdMs = (performance.now() - t) / cold;
    const probe = rnd(head.size);
    const leaf = (await store.audit.leafHashes(probe + 1, probe + 1))[0]!.leaf_hash;
    verifyInclusion(probe, head.size, leaf, await treeAt(store, head.size).inclusionProof(probe), head.root);

    const rate = (n: number, ms: number) => (args.appendOnly ? null : round((n / ms) * 1000));
    return {
      bench: 'audit', engine: place.engine, events: args.events, batch: args.batch,
      append_per_s: round((args.events / appendMs) * 1000), plain_insert_per_s: rate(args.events, plainMs),
      append_vs_plain: args.appendOnly ? null : round(appendMs / plainMs, 2),
      sha256_per_s: rate(args.events, hashMs), leaf_hash_per_s: rate(args.events, leafMs),
      append_single_per_s: rate(singles, singleMs), plain_single_per_s: rate(singles, plainSingleMs),
      verify_per_s: report ? rate(report.events, verifyMs) : null,
      proof_ms: round(proofMs, 3), proof_cold_ms: round(proofColdMs, 3), proof_at_size: head.size,
      db_bytes: scratch.size(),
    };
  } finally {
    await store.close();
    await scratch.cleanup();
  }
}

export async function runAudit(argv: string[]): Promise<void> {
  const args = parse(argv);
  const places: BenchPlace[] = [];
  if (args.db) places.push(placeFromUrl(args.db));
  else {
    places.push(sqlitePlace());
    if (await postgresAnswers(DEFAULT_PG_URL)) places.push(postgresPlace(DEFAULT_PG_URL));
    else log(`PostgreSQL does not answer at ${DEFAULT_PG_URL}: PostgreSQL skipped`);
  }
  for (const place of places) {
    log(`audit bench on ${place.label}: ${fmt(args.events)} events in batches of ${fmt(args.batch)}`);
    process.stdout.write(`${JSON.stringify(await runOne(place, args))}\n`);
  }
}
