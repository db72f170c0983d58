import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Notes and observations are listed by case (a case's notes page, oldest first), and were indexed
 * only by subject: a case's page scanned every note. Both engines take the same indexes.
 */
export function caseIndexesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('notes_case_created').on('notes').columns(['case_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('observations_case').on('observations').column('case_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('observations_case').execute();
      await db.schema.dropIndex('notes_case_created').execute();
    },
  };
}
