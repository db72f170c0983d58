import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Engine } from '../engine.ts';

/**
 * Staff accounts, sessions, sign-in throttling, confidentiality terms, reveal and break-glass
 * grants and supervision alerts (issue #3, #4 item 5). Session ids and throttle keys are stored as
 * hashes, the TOTP secret sealed; usernames, roles and jurisdictions are in clear (they are not
 * subjects' data; docs/THREAT-MODEL.md).
 */
export function staffMigration(engine: Engine): Migration {
  const bin = engine === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('staff_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('must_change_password', 'integer', (c) => c.notNull())
        .addColumn('totp_sealed', bin, (c) => c.notNull())
        .addColumn('totp_last_step', 'bigint')
        .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('disabled_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('staff_accounts_role', sql`role in ('investigator', 'tracer', 'supervisor', 'disclosure_officer', 'approver', 'auditor', 'data_protection_officer', 'administrator')`)
        .execute();
      await db.schema.createIndex('staff_accounts_jurisdiction').on('staff_accounts').columns(['jurisdiction_code', 'role']).execute();

      await db.schema.createTable('staff_sessions')
        .addColumn('id_hash', bin, (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('staff_accounts.id'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .execute();
      await db.schema.createIndex('staff_sessions_account').on('staff_sessions').column('account_id').execute();

      await db.schema.createTable('login_throttle')
        .addColumn('key', bin, (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('first_failure_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('terms_acceptances')
        .addColumn('account_id', 'text', (c) => c.notNull().references('staff_accounts.id'))
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('accepted_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('terms_acceptances_pk', ['account_id', 'version'])
        .execute();

      await db.schema.createTable('reveal_grants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('staff_accounts.id'))
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('reveal_grants_lookup').on('reveal_grants').columns(['account_id', 'resource_type', 'resource_id']).execute();

      await db.schema.createTable('break_glass_grants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('staff_accounts.id'))
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('review_status', 'text', (c) => c.notNull())
        .addColumn('reviewed_by', 'text')
        .addColumn('reviewed_at', 'text')
        .addColumn('review_note', 'text')
        .addCheckConstraint('break_glass_review_status', sql`review_status in ('pending', 'accepted', 'flagged')`)
        .execute();
      await db.schema.createIndex('break_glass_grants_lookup').on('break_glass_grants').columns(['account_id', 'case_id']).execute();
      await db.schema.createIndex('break_glass_grants_review').on('break_glass_grants').columns(['jurisdiction_code', 'review_status']).execute();

      await db.schema.createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('event_seqs', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('decision', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addCheckConstraint('alerts_status', sql`status in ('open', 'closed')`)
        .execute();
      await db.schema.createIndex('alerts_open').on('alerts').columns(['jurisdiction_code', 'status']).execute();

      // Auditor queries by actor and time, and the supervision scan's look-back by time.
      await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor', 'seq']).execute();
      await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();

      await db.schema.createIndex('case_assignments_staff').on('case_assignments').column('staff_id').execute();
    },
  };
}
