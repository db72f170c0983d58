/**
 * `npm run bench -- sqlite-shape --rows N [--variants current,randids,seqids,ckpt20000]`
 *
 * A diagnostic for the encrypted import's database side on SQLite: N people are validated and
 * sealed in memory first (sealPerson, as the sealing worker does), then written in batches of
 * 1,000 into the application's own schema (created by openDatabase's migrations) with cached
 * multi-row prepared statements straight on better-sqlite3: the same rows into the same person
 * tables as registerPeople (subjects, subject_keys, identities, identity_documents, cases), without
 * the audit log (see `bench audit`), Kysely, the worker or validation. One JSON line per variant:
 * the insert statements' and the COMMITs' wall time per row, and the process CPU per row.
 *
 * Variants (combine with +): `current` (as shipped: subject and case ids time-ordered by their
 * batch's time, src/crypto/random.ts timeOrderedId); `randids` (those ids replaced by random ones,
 * randomId, as before time-ordered ids: every index keyed by them is written at random places);
 * `seqids` (replaced by strictly increasing ones of the same length); `ckpt<P>` (PRAGMA
 * wal_autocheckpoint = P pages); `cache<MiB>` (PRAGMA cache_size); `mmap` (PRAGMA mmap_size = 4 GiB); `batch<N>` (N rows per
 * transaction instead of 1,000; the ids keep their per-1,000 times).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { generateKey, randomId, RootKey } from '../src/crypto/index.ts';
import { validateLineListRow } from '../src/domain/line-list.ts';
import { sealPerson } from '../src/services/subject-cipher.ts';
import type { SealedPerson } from '../src/services/subject-cipher.ts';
import { openDatabase } from '../src/storage/database.ts';
import { BENCH_TODAY, MAX_ROWS, syntheticRows } from './lib/dataset.ts';
import { fmt, log } from './lib/progress.ts';
import { UsageError } from './ingest.ts';

export const SQLITE_SHAPE_USAGE = `usage: npm run bench -- sqlite-shape --rows N [--variants current,randids,seqids,ckpt20000]
  the encrypted import's SQLite writes alone (pre-sealed rows, raw prepared statements), per variant:
  current (time-ordered ids) | randids (random ids) | seqids (sequential ids) | ckpt<P> (wal_autocheckpoint) | cache<MiB> | mmap | batch<N>`;

const BATCH = 1000;

/** Replaces subject and case ids by increasing ones of the same length and prefix, or by random ones (randomId, as before time-ordered ids). */
function withOtherIds(sealed: readonly SealedPerson[], kind: 'sequential' | 'random'): SealedPerson[] {
  let n = 0;
  const next = kind === 'sequential' ? (old: string) => old[0] + (n++).toString(32).padStart(10, '0') + old.slice(11) : (old: string) => randomId(old[0]);
  return sealed.map((s) => {
    const sid = next(s.person.subject.id);
    return {
      ...s,
      person: {
        subject: { ...s.person.subject, id: sid },
        key: { ...s.person.key, subject_id: sid },
        identity: { ...s.person.identity, subject_id: sid },
        documents: s.person.documents.map((d) => ({ ...d, subject_id: sid })),
      },
      case: s.case ? { ...s.case, id: next(s.case.id), subject_id: sid } : null,
    };
  });
}

async function runVariant(variant: string, sealed: readonly SealedPerson[]): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'epivault-bench-'));
  const file = join(dir, 'shape.db');
  try {
    const migrated = await openDatabase({ engine: 'sqlite', location: file });
    await migrated.close();
    const db = new SQLite(file);
    // As src/storage/database.ts, then the variant's pragmas.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    db.pragma('cache_size = -65536');
    const ckpt = /ckpt(\d+)/.exec(variant);
    if (ckpt) db.pragma(`wal_autocheckpoint = ${Number(ckpt[1])}`);
    const cache = /cache(\d+)/.exec(variant);
    if (cache) db.pragma(`cache_size = -${Number(cache[1]) * 1024}`);
    if (variant.includes('mmap')) db.pragma('mmap_size = 4294967296');
    const rows = variant.includes('seqids') ? withOtherIds(sealed, 'sequential') : variant.includes('randids') ? withOtherIds(sealed, 'random') : sealed;

    const statements = new Map<string, SQLite.Statement>();
    const insert = (table: string, all: readonly object[]) => {
      for (let i = 0; i < all.length; i += BATCH) insertChunk(table, all.slice(i, i + BATCH));
    };
    const insertChunk = (table: string, values: readonly object[]) => {
      if (values.length === 0) return;
      const columns = Object.keys(values[0]!);
      const key = `${table}/${values.length}`;
      let st = statements.get(key);
      if (!st) {
        st = db.prepare(`insert into ${table} (${columns.join(', ')}) values ${values.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`);
        statements.set(key, st);
      }
      st.run(values.flatMap((v) => columns.map((c) => (v as Record<string, unknown>)[c] ?? null)));
    };
    let insertMs = 0;
    let commitMs = 0;
    const cpu = process.cpuUsage();
    const batchRows = Number(/batch(\d+)/.exec(variant)?.[1] ?? BATCH);
    for (let b = 0; b < rows.length; b += batchRows) {
      const batch = rows.slice(b, b + batchRows);
      const t0 = performance.now();
      db.exec('begin');
      insert('subjects', batch.map((s) => s.person.subject));
      insert('subject_keys', batch.map((s) => s.person.key));
      insert('identities', batch.map((s) => s.person.identity));
      insert('identity_documents', batch.flatMap((s) => s.person.documents));
      insert('cases', batch.flatMap((s) => (s.case ? [s.case] : [])));
      const t1 = performance.now();
      db.exec('commit');
      insertMs += t1 - t0;
      commitMs += performance.now() - t1;
    }
    const used = process.cpuUsage(cpu);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.close();
    const n = rows.length;
    return {
      bench: 'sqlite-shape', variant, rows: n,
      rows_per_s: Math.round(n / ((insertMs + commitMs) / 1000)),
      insert_us_per_row: Math.round((insertMs * 1000) / n),
      commit_us_per_row: Math.round((commitMs * 1000) / n),
      cpu_us_per_row: Math.round((used.user + used.system) / n),
      sys_us_per_row: Math.round(used.system / n),
      mib: Math.round((pages * 4096) / 2 ** 20),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runSqliteShape(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { rows: { type: 'string' }, variants: { type: 'string', default: 'current,randids,seqids,ckpt20000' } }, strict: true });
  const n = Number(values.rows);
  if (!Number.isInteger(n) || n < 1 || n > MAX_ROWS) throw new UsageError(`--rows must be an integer from 1 to ${MAX_ROWS}`);
  const variants = values.variants.split(',').map((v) => v.trim()).filter(Boolean);
  for (const v of variants) if (!/^(current|randids|seqids|ckpt\d+|cache\d+|batch\d+|mmap)(\+(randids|seqids|ckpt\d+|cache\d+|batch\d+|mmap))*$/.test(v)) throw new UsageError(`unknown variant ${v}`);

  log(`sealing ${fmt(n)} rows in memory ...`);
  const keys = { root: new RootKey(1, randomBytes(32)), documentIndex: generateKey('index'), phoneIndex: generateKey('index'), nameIndex: generateKey('index'), auditSubject: generateKey('token') };
  // One `now` per batch, a millisecond apart, as the import seals each batch at its own time
  // (the subject and case ids are time-ordered by it).
  const t0 = Date.now();
  const sealed = syntheticRows(0, n).map((row, i) => {
    const v = validateLineListRow(row, BENCH_TODAY);
    if (!v.ok) throw new Error('synthetic row did not validate');
    return sealPerson(keys, v.person, v.case, new Date(t0 + Math.floor(i / BATCH)).toISOString());
  });
  for (const variant of variants) {
    log(`variant ${variant} ...`);
    process.stdout.write(`${JSON.stringify(await runVariant(variant, sealed))}\n`);
  }
}
