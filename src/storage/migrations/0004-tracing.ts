import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Engine } from '../engine.ts';

/**
 * Contact tracing (issue #5, docs/TRACING.md): discovery candidates and their dismissals,
 * quarantines with their daily follow-up entries, secondary contacts, hand-overs between
 * jurisdictions, risk areas, each subject's risk status, and district-day tokens. Everything
 * about a person beyond pseudonymous ids, states and division codes is sealed under that person's
 * data key; the clear columns are listed in docs/TRACING.md "What is stored in clear".
 */
export function tracingMigration(engine: Engine): Migration {
  const bin = engine === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('discovery_candidates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('sealed', bin, (c) => c.notNull())
        .addColumn('contact_link_id', 'text', (c) => c.references('contact_links.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('discovery_candidates_pair', ['case_id', 'subject_id'])
        .addCheckConstraint('discovery_candidates_status', sql`status in ('open', 'confirmed', 'dismissed')`)
        .execute();

      await db.schema.createTable('discovery_dismissals')
        .addColumn('candidate_id', 'text', (c) => c.primaryKey().references('discovery_candidates.id'))
        .addColumn('reason_code', 'text', (c) => c.notNull())
        .addColumn('sealed', bin)
        .addColumn('dismissed_by', 'text', (c) => c.notNull())
        .addColumn('dismissed_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('quarantines')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('contact_link_id', 'text', (c) => c.notNull().unique().references('contact_links.id'))
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
        .addColumn('assigned_to', 'text')
        .addColumn('sealed', bin, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('quarantines_status', sql`status in ('active', 'ended', 'converted')`)
        .execute();
      await db.schema.createIndex('quarantines_subject').on('quarantines').column('subject_id').execute();
      await db.schema.createIndex('quarantines_jurisdiction').on('quarantines').columns(['jurisdiction_code', 'status']).execute();

      await db.schema.createTable('followup_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('quarantine_id', 'text', (c) => c.notNull().references('quarantines.id'))
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('sealed', bin, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('followup_entries_quarantine').on('followup_entries').column('quarantine_id').execute();

      await db.schema.createTable('secondary_contacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('contact_link_id', 'text', (c) => c.notNull().references('contact_links.id'))
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('sealed', bin, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('secondary_contacts_pair', ['contact_link_id', 'subject_id'])
        .execute();
      await db.schema.createIndex('secondary_contacts_subject').on('secondary_contacts').column('subject_id').execute();

      await db.schema.createTable('handovers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('contact_link_id', 'text', (c) => c.notNull().references('contact_links.id'))
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('from_jurisdiction', 'text', (c) => c.notNull())
        .addColumn('to_jurisdiction', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addCheckConstraint('handovers_status', sql`status in ('pending', 'accepted', 'declined')`)
        .execute();
      await db.schema.createIndex('handovers_to').on('handovers').columns(['to_jurisdiction', 'status']).execute();
      await db.schema.createIndex('handovers_link').on('handovers').column('contact_link_id').execute();

      await db.schema.createTable('risk_areas')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('district_code', 'text', (c) => c.notNull())
        .addColumn('place_id', 'text', (c) => c.references('places.id'))
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('window_end', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'text', (c) => c.notNull())
        .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
        .addColumn('declared_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_by', 'text')
        .addColumn('revoked_at', 'text')
        .addCheckConstraint('risk_areas_level', sql`level in ('high', 'medium')`)
        .addCheckConstraint('risk_areas_kind', sql`kind in ('district', 'venue')`)
        .execute();
      await db.schema.createIndex('risk_areas_validity').on('risk_areas').columns(['valid_until', 'valid_from']).execute();

      await db.schema.createTable('risk_status')
        .addColumn('subject_id', 'text', (c) => c.primaryKey().references('subjects.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .addCheckConstraint('risk_status_status', sql`status in ('green', 'yellow', 'red')`)
        .execute();

      // Like colocation_tokens: clustered by token, no subject, place or time in clear.
      let tokens = db.schema.createTable('district_day_tokens')
        .addColumn('token', bin, (c) => c.notNull())
        .addColumn('ref', bin, (c) => c.notNull())
        .addPrimaryKeyConstraint('district_day_tokens_pk', ['token', 'ref']);
      if (engine === 'sqlite') tokens = tokens.modifyEnd(sql`without rowid`);
      await tokens.execute();
    },
  };
}
