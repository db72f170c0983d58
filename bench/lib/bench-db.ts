/**
 * Bench-only tables for the comparison pipelines (plaintext and CipherSweet), created through
 * Kysely on a connection opened exactly as the application opens its own (src/storage/database.ts:
 * SQLite WAL, synchronous=NORMAL, foreign keys on, 64 MiB cache; PostgreSQL pool of 4), so that
 * the three pipelines differ only in what they compute and store.
 */
import { sql } from 'kysely';
import type { Generated, Insertable, Kysely, Transaction } from 'kysely';
import { openDatabase } from '../../src/storage/database.ts';
import type { DatabaseTarget, Engine } from '../../src/storage/engine.ts';
import { appendOnly } from '../../src/storage/migrations/0001-core.ts';

/** Same as AuditEventTable in src/storage/schema.ts. */
export interface BenchAuditTable {
  seq: Generated<number>;
  at: string;
  actor: string;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  subject_ref: string | null;
  purpose: string;
  reason: string | null;
  outcome: string;
  request_id: string | null;
}

export interface JobProgressTable { job: string; cursor: string; updated_at: string }

/** Plaintext: one people table with the identity in clear, cases in clear, audit. */
export interface PlainDb {
  people: {
    id: string;
    document_type: string;
    document_number: string;
    document_country: string | null;
    name: string;
    phone: string | null;
    address: string | null;
    birth_date: string;
    sex: string;
    occupation: string | null;
    employer: string | null;
    jurisdiction_code: string;
    street_code: string | null;
    retention_until: string;
    created_at: string;
    updated_at: string;
  };
  cases: {
    id: string;
    subject_id: string;
    case_number: string;
    classification: string;
    jurisdiction_code: string;
    report_date: string;
    confirmation_date: string | null;
    onset_date: string | null;
    outcome: string | null;
    source: string | null;
    created_at: string;
  };
  audit_events: BenchAuditTable;
  job_progress: JobProgressTable;
}

/** CipherSweet: the encrypted path's table shape, with one CipherSweet ciphertext per field and hex blind indexes. */
export interface CipherSweetDb {
  subjects: { id: string; jurisdiction_code: string; street_code: string | null; retention_until: string; created_at: string };
  identities: {
    subject_id: string;
    name: string;
    id_number: string;
    phone: string;
    address: string;
    birth_date: string;
    sex: string;
    name_bidx: string;
    phone_bidx: string | null;
    updated_at: string;
  };
  identity_documents: { doc_bidx: string; subject_id: string };
  cases: {
    id: string;
    subject_id: string;
    case_number: string;
    classification: string;
    jurisdiction_code: string;
    report_date: string;
    confirmation_date: string | null;
    onset_date: string;
    outcome: string;
    created_at: string;
  };
  audit_events: BenchAuditTable;
  job_progress: JobProgressTable;
}

export interface BenchDatabase<DB> {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  close(): Promise<void>;
}

/** Opens a scratch database with the application's connection settings, without its migrations. */
export async function openBenchDatabase<DB>(target: DatabaseTarget): Promise<BenchDatabase<DB>> {
  const open = await openDatabase(target, { migrate: false });
  return { db: open.db as unknown as Kysely<DB>, engine: open.engine, close: () => open.close() };
}

/** Same statement sizing as src/storage/insert-many.ts: multi-row inserts under both engines' parameter limits. */
const MAX_PARAMS = 30000;
export async function insertMany<DB, T extends keyof DB & string>(db: Kysely<DB> | Transaction<DB>, table: T, rows: readonly Insertable<DB[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length || 1;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns));
  for (let i = 0; i < rows.length; i += perStatement) {
    await (db as Kysely<Record<string, unknown>>).insertInto(table).values(rows.slice(i, i + perStatement) as never).execute();
  }
}

export async function setProgress<DB extends { job_progress: JobProgressTable }>(db: Kysely<DB> | Transaction<DB>, job: string, cursor: string, at: string): Promise<void> {
  const d = db as unknown as Kysely<{ job_progress: JobProgressTable }>;
  await d.insertInto('job_progress').values({ job, cursor, updated_at: at })
    .onConflict((oc) => oc.column('job').doUpdateSet({ cursor, updated_at: at })).execute();
}

/** audit_events and job_progress exactly as in the core migration (append-only triggers included). */
async function createAuditTables(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema.createTable('audit_events')
    .addColumn('seq', engine === 'postgres' ? 'bigint' : 'integer', (c) =>
      engine === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text')
    .addColumn('subject_ref', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('audit_events_subject_ref').on('audit_events').column('subject_ref').execute();
  await db.schema.createTable('job_progress')
    .addColumn('job', 'text', (c) => c.primaryKey())
    .addColumn('cursor', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await appendOnly(db, engine, 'audit_events');
}

const classificationCheck = sql`classification in ('suspected', 'confirmed', 'asymptomatic', 'excluded')`;

/**
 * The plaintext schema: what the application would store without encryption. The same indexes,
 * over clear values: unique (document type, number), phone, name, jurisdiction; cases as in the
 * core schema with the health details in clear columns.
 */
export async function createPlainSchema(bdb: BenchDatabase<PlainDb>): Promise<void> {
  const db = bdb.db as unknown as Kysely<unknown>;
  await db.schema.createTable('people')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('document_number', 'text', (c) => c.notNull())
    .addColumn('document_country', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('address', 'text')
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('occupation', 'text')
    .addColumn('employer', 'text')
    .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
    .addColumn('street_code', 'text')
    .addColumn('retention_until', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('people_document').unique().on('people').columns(['document_type', 'document_number']).execute();
  await db.schema.createIndex('people_phone').on('people').column('phone').execute();
  await db.schema.createIndex('people_name').on('people').column('name').execute();
  await db.schema.createIndex('people_jurisdiction').on('people').column('jurisdiction_code').execute();

  await db.schema.createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
    .addColumn('report_date', 'text', (c) => c.notNull())
    .addColumn('confirmation_date', 'text')
    .addColumn('onset_date', 'text')
    .addColumn('outcome', 'text')
    .addColumn('source', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('cases_classification', classificationCheck)
    .execute();
  await db.schema.createIndex('cases_subject').on('cases').column('subject_id').execute();
  await db.schema.createIndex('cases_jurisdiction_report').on('cases').columns(['jurisdiction_code', 'report_date']).execute();
  await createAuditTables(db, bdb.engine);
}

/**
 * The CipherSweet schema: the encrypted path's tables (subjects, identities, identity_documents,
 * cases, audit) with CipherSweet's per-field ciphertexts and hex blind indexes in place of
 * Epivault's sealed documents; no subject_keys table (CipherSweet derives field keys from one
 * master key).
 */
export async function createCipherSweetSchema(bdb: BenchDatabase<CipherSweetDb>): Promise<void> {
  const db = bdb.db as unknown as Kysely<unknown>;
  await db.schema.createTable('subjects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
    .addColumn('street_code', 'text')
    .addColumn('retention_until', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subjects_jurisdiction').on('subjects').column('jurisdiction_code').execute();

  let identities = db.schema.createTable('identities')
    .addColumn('subject_id', 'text', (c) => c.primaryKey().references('subjects.id'));
  for (const field of ['name', 'id_number', 'phone', 'address', 'birth_date', 'sex']) identities = identities.addColumn(field, 'text', (c) => c.notNull());
  await identities
    .addColumn('name_bidx', 'text', (c) => c.notNull())
    .addColumn('phone_bidx', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('identities_name_bidx').on('identities').column('name_bidx').execute();
  await db.schema.createIndex('identities_phone_bidx').on('identities').column('phone_bidx').execute();

  await db.schema.createTable('identity_documents')
    .addColumn('doc_bidx', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .execute();
  await db.schema.createIndex('identity_documents_subject').on('identity_documents').column('subject_id').execute();

  await db.schema.createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
    .addColumn('report_date', 'text', (c) => c.notNull())
    .addColumn('confirmation_date', 'text')
    .addColumn('onset_date', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('cases_classification', classificationCheck)
    .execute();
  await db.schema.createIndex('cases_subject').on('cases').column('subject_id').execute();
  await db.schema.createIndex('cases_jurisdiction_report').on('cases').columns(['jurisdiction_code', 'report_date']).execute();
  await createAuditTables(db, bdb.engine);
}

/** Row count of a bench table (for the end-of-run consistency check). */
export async function countRows<DB>(db: Kysely<DB>, table: keyof DB & string): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
