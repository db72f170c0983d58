import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Engine } from '../engine.ts';

/**
 * The core schema, one definition for both engines; `engine` picks the few types that differ
 * (binary columns, identity columns) and the append-only triggers.
 */
export function coreMigration(engine: Engine): Migration {
  const bin = engine === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('meta').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();

      await db.schema.createTable('wrapped_keys')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('root_version', 'integer', (c) => c.notNull())
        .addColumn('wrapped', bin, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('subjects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
        .addColumn('street_code', 'text')
        .addColumn('retention_until', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('subjects_jurisdiction').on('subjects').column('jurisdiction_code').execute();

      await db.schema.createTable('subject_keys')
        .addColumn('subject_id', 'text', (c) => c.primaryKey().references('subjects.id'))
        .addColumn('root_version', 'integer', (c) => c.notNull())
        .addColumn('wrapped', bin, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('subject_keys_root_version').on('subject_keys').column('root_version').execute();

      await db.schema.createTable('identities')
        .addColumn('subject_id', 'text', (c) => c.primaryKey().references('subjects.id'))
        .addColumn('sealed', bin, (c) => c.notNull())
        .addColumn('name_bidx', bin, (c) => c.notNull())
        .addColumn('phone_bidx', bin)
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('identities_name_bidx').on('identities').column('name_bidx').execute();
      await db.schema.createIndex('identities_phone_bidx').on('identities').column('phone_bidx').execute();

      await db.schema.createTable('identity_documents')
        .addColumn('doc_bidx', bin, (c) => c.primaryKey())
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
        .addColumn('sealed', bin, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addCheckConstraint('cases_classification', sql`classification in ('suspected', 'confirmed', 'asymptomatic', 'excluded')`)
        .execute();
      await db.schema.createIndex('cases_subject').on('cases').column('subject_id').execute();
      await db.schema.createIndex('cases_jurisdiction_report').on('cases').columns(['jurisdiction_code', 'report_date']).execute();

      await db.schema.createTable('case_assignments')
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('staff_id', 'text', (c) => c.notNull())
        .addColumn('assigned_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_assignments_pk', ['case_id', 'staff_id'])
        .execute();

      for (const table of ['observations', 'notes'] as const) {
        let t = db.schema.createTable(table)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
          .addColumn('case_id', 'text', (c) => c.references('cases.id'));
        if (table === 'notes') t = t.addColumn('author', 'text', (c) => c.notNull());
        await t.addColumn('sealed', bin, (c) => c.notNull()).addColumn('created_at', 'text', (c) => c.notNull()).execute();
        await db.schema.createIndex(`${table}_subject`).on(table).column('subject_id').execute();
      }

      await db.schema.createTable('contact_links')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('contact_subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('sealed', bin, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('contact_links_pair', ['case_id', 'contact_subject_id'])
        .execute();
      await db.schema.createIndex('contact_links_contact').on('contact_links').column('contact_subject_id').execute();

      await db.schema.createTable('travel_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('sealed', bin, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('travel_records_subject').on('travel_records').column('subject_id').execute();

      // Clustered by token (WITHOUT ROWID on SQLite) so that row order says nothing about which
      // tokens were written together, i.e. by the same visit.
      let tokens = db.schema.createTable('colocation_tokens')
        .addColumn('token', bin, (c) => c.notNull())
        .addColumn('ref', bin, (c) => c.notNull())
        .addPrimaryKeyConstraint('colocation_tokens_pk', ['token', 'ref']);
      if (engine === 'sqlite') tokens = tokens.modifyEnd(sql`without rowid`);
      await tokens.execute();

      await db.schema.createTable('places')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('district_code', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('lat', 'double precision', (c) => c.notNull())
        .addColumn('lon', 'double precision', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('places_district').on('places').column('district_code').execute();

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
    },
  };
}

/** UPDATE, DELETE (and on PostgreSQL TRUNCATE) are rejected by the database itself. */
export async function appendOnly(db: Kysely<unknown>, engine: Engine, table: string): Promise<void> {
  const t = sql.table(table);
  if (engine === 'sqlite') {
    for (const op of ['update', 'delete']) {
      await sql`create trigger ${sql.raw(`${table}_no_${op}`)} before ${sql.raw(op)} on ${t}
        begin select raise(abort, ${sql.lit(`${table} is append-only`)}); end`.execute(db);
    }
    return;
  }
  await sql`create or replace function epivault_append_only() returns trigger language plpgsql as $$
    begin raise exception '% is append-only', tg_table_name; end $$`.execute(db);
  await sql`create trigger ${sql.raw(`${table}_no_change`)} before update or delete on ${t}
    for each row execute function epivault_append_only()`.execute(db);
  await sql`create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${t}
    for each statement execute function epivault_append_only()`.execute(db);
}
