import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Engine } from '../engine.ts';

/**
 * Disclosure releases (issue #6, docs/DISCLOSURE-STANDARD.md "Workflow"): each release with its
 * public content and risk report (de-identified by construction: generalized, thresholded or
 * noised, checked against the standard), the approvals of a second person, the signed artifacts
 * served by the public API, and the privacy-budget ledger of the differentially private counts.
 * Nothing here names a subject or a case.
 */
export function releasesMigration(_engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('releases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
        .addColumn('standard_version', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text')
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('risk', 'text', (c) => c.notNull())
        .addColumn('check_passed', 'integer', (c) => c.notNull())
        .addColumn('failures', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('prepared_by', 'text', (c) => c.notNull())
        .addColumn('prepared_at', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text')
        .addColumn('withdrawn_by', 'text')
        .addColumn('withdrawn_at', 'text')
        .addCheckConstraint('releases_status', sql`status in ('prepared', 'approved', 'published', 'withdrawn')`)
        .addCheckConstraint('releases_type', sql`type in ('exposure_points', 'risk_areas', 'research_extract', 'daily_counts')`)
        .execute();
      await db.schema.createIndex('releases_status').on('releases').columns(['status', 'prepared_at']).execute();

      await db.schema.createTable('release_approvals')
        .addColumn('release_id', 'text', (c) => c.notNull().references('releases.id'))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('release_approvals_pk', ['release_id', 'account_id'])
        .execute();

      await db.schema.createTable('published_artifacts')
        .addColumn('release_id', 'text', (c) => c.primaryKey().references('releases.id'))
        .addColumn('public', 'integer', (c) => c.notNull())
        .addColumn('artifact', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('withdrawn_at', 'text')
        .execute();
      await db.schema.createIndex('published_artifacts_live').on('published_artifacts').columns(['public', 'withdrawn_at', 'expires_at']).execute();

      await db.schema.createTable('privacy_budget_ledger')
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('release_id', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('epsilon', 'text', (c) => c.notNull())
        .addColumn('charged_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('privacy_budget_ledger_pk', ['dataset', 'idx'])
        .execute();
    },
  };
}
