/**
 * Bench-only tables for the comparison pipelines (plaintext and CipherSweet). Each scratch
 * database is opened and migrated exactly as the application's (`openDatabase` from
 * src/storage/database.ts: SQLite WAL, synchronous=NORMAL, foreign keys on, 64 MiB cache;
 * PostgreSQL pool of 4), so it has the application's audit log (events, Merkle tree head and
 * tiles) and job_progress; the pipeline's own tables are created beside it through Kysely, under
 * names that do not clash with the application's (whose own tables stay empty). All three
 * pipelines thus append their audit events through the same AuditRepository.
 */
import { sql } from 'kysely';
import type { Insertable, Kysely, Transaction } from 'kysely';
import { auditLogHashing } from '../../src/audit/leaf.ts';
import { AuditRepository } from '../../src/storage/audit.repository.ts';
import type { NewAuditEvent } from '../../src/storage/audit.repository.ts';
import { IMPORT_WAL_AUTOCHECKPOINT_PAGES } from '../../src/services/import.service.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { insertMany as appInsertMany } from '../../src/storage/insert-many.ts';
import { SystemRepository } from '../../src/storage/system.repository.ts';
import type { DatabaseTarget, Engine } from '../../src/storage/engine.ts';
import type { Database } from '../../src/storage/schema.ts';

export interface JobProgressTable { job: string; cursor: string; updated_at: string }

/** Plaintext: one people table with the identity in clear, cases with the details in clear. */
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
  clear_cases: {
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
  job_progress: JobProgressTable;
}

/** CipherSweet: the encrypted path's table shape, with one CipherSweet ciphertext per field and hex blind indexes. */
export interface CipherSweetDb {
  cs_subjects: { id: string; jurisdiction_code: string; street_code: string | null; retention_until: string; created_at: string };
  cs_identities: {
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
  cs_identity_documents: { doc_bidx: string; subject_id: string };
  cs_cases: {
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
  job_progress: JobProgressTable;
}

export interface BenchDatabase<DB> {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  close(): Promise<void>;
}

/**
 * Opens and migrates a scratch database exactly as the application does, and on SQLite sets the
 * WAL auto-checkpoint threshold that the import (`ingestRows`) sets for its run.
 */
export async function openBenchDatabase<DB>(target: DatabaseTarget): Promise<BenchDatabase<DB>> {
  const open = await openDatabase(target);
  if (open.engine === 'sqlite') await new SystemRepository(open.db).setSqliteWalAutocheckpoint(IMPORT_WAL_AUTOCHECKPOINT_PAGES);
  return { db: open.db as unknown as Kysely<DB>, engine: open.engine, close: () => open.close() };
}

/** Appends audit events inside the caller's transaction through the application's audit log (Merkle tree included). */
export async function appendAudit<DB>(trx: Transaction<DB>, engine: Engine, events: readonly NewAuditEvent[]): Promise<void> {
  await new AuditRepository(trx as unknown as Transaction<Database>, engine, auditLogHashing).appendMany(events);
}

/**
 * The application's own multi-row insert (src/storage/insert-many.ts: fixed statement shapes,
 * compiled once, prepared once on SQLite), for the bench tables that the application's schema
 * type does not name: every pipeline writes through the same code.
 */
export async function insertMany<DB, T extends keyof DB & string>(db: Kysely<DB> | Transaction<DB>, table: T, rows: readonly Insertable<DB[T]>[]): Promise<void> {
  await appInsertMany(db as unknown as Transaction<Database>, table as never, rows as never);
}

export async function setProgress<DB extends { job_progress: JobProgressTable }>(db: Kysely<DB> | Transaction<DB>, job: string, cursor: string, at: string): Promise<void> {
  const d = db as unknown as Kysely<{ job_progress: JobProgressTable }>;
  await d.insertInto('job_progress').values({ job, cursor, updated_at: at })
    .onConflict((oc) => oc.column('job').doUpdateSet({ cursor, updated_at: at })).execute();
}

const classificationCheck = sql`classification in ('suspected', 'confirmed', 'asymptomatic', 'excluded')`;

/**
 * The plaintext schema: what the application would store without encryption. The same indexes,
 * over clear values: unique (document type, number), phone, name, jurisdiction; cases as in the
 * core schema with the health details in clear columns. The audit log is the application's.
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

  await db.schema.createTable('clear_cases')
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
    .addCheckConstraint('clear_cases_classification', classificationCheck)
    .execute();
  await db.schema.createIndex('clear_cases_subject').on('clear_cases').column('subject_id').execute();
  await db.schema.createIndex('clear_cases_jurisdiction_report').on('clear_cases').columns(['jurisdiction_code', 'report_date']).execute();
}

/**
 * The CipherSweet schema: the encrypted path's tables (subjects, identities, identity_documents,
 * cases; prefixed cs_) with CipherSweet's per-field ciphertexts and hex blind indexes in place of
 * Epivault's sealed documents; no subject_keys table (CipherSweet derives field keys from one
 * master key). The audit log is the application's.
 */
export async function createCipherSweetSchema(bdb: BenchDatabase<CipherSweetDb>): Promise<void> {
  const db = bdb.db as unknown as Kysely<unknown>;
  await db.schema.createTable('cs_subjects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
    .addColumn('street_code', 'text')
    .addColumn('retention_until', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cs_subjects_jurisdiction').on('cs_subjects').column('jurisdiction_code').execute();

  let identities = db.schema.createTable('cs_identities')
    .addColumn('subject_id', 'text', (c) => c.primaryKey().references('cs_subjects.id'));
  for (const field of ['name', 'id_number', 'phone', 'address', 'birth_date', 'sex']) identities = identities.addColumn(field, 'text', (c) => c.notNull());
  await identities
    .addColumn('name_bidx', 'text', (c) => c.notNull())
    .addColumn('phone_bidx', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cs_identities_name_bidx').on('cs_identities').column('name_bidx').execute();
  await db.schema.createIndex('cs_identities_phone_bidx').on('cs_identities').column('phone_bidx').execute();

  await db.schema.createTable('cs_identity_documents')
    .addColumn('doc_bidx', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('cs_subjects.id'))
    .execute();
  await db.schema.createIndex('cs_identity_documents_subject').on('cs_identity_documents').column('subject_id').execute();

  await db.schema.createTable('cs_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('cs_subjects.id'))
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
    .addColumn('report_date', 'text', (c) => c.notNull())
    .addColumn('confirmation_date', 'text')
    .addColumn('onset_date', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('cs_cases_classification', classificationCheck)
    .execute();
  await db.schema.createIndex('cs_cases_subject').on('cs_cases').column('subject_id').execute();
  await db.schema.createIndex('cs_cases_jurisdiction_report').on('cs_cases').columns(['jurisdiction_code', 'report_date']).execute();
}

/** Row count of a bench table (for the end-of-run consistency check). */
export async function countRows<DB>(db: Kysely<DB>, table: (keyof DB & string) | 'audit_events'): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
