import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Exposure points expire one by one (issue #6 item 4, docs/DISCLOSURE-STANDARD.md "Expiry"): the
 * served artifact of a published release gets a `revision` (0 = as published) and
 * `points_expire_at`, the earliest `expiresAt` of the points it still holds (null: none, or not
 * yet computed). The public reads serve an artifact only while that time is in the future; the
 * expiry step then signs a new revision without the expired points, and keeps every superseded
 * revision (with its signature) in `published_artifact_revisions`. Both engines take the same
 * statements.
 */
export function artifactRevisionsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('published_artifacts').addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('published_artifacts').addColumn('points_expire_at', 'text').execute();
      await db.schema.createIndex('published_artifacts_points_expiry').on('published_artifacts').column('points_expire_at').execute();
      await db.schema.createTable('published_artifact_revisions')
        .addColumn('release_id', 'text', (c) => c.notNull().references('releases.id'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('artifact', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('superseded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('published_artifact_revisions_pk', ['release_id', 'revision'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('published_artifact_revisions').execute();
      await db.schema.dropIndex('published_artifacts_points_expiry').execute();
      await db.schema.alterTable('published_artifacts').dropColumn('points_expire_at').execute();
      await db.schema.alterTable('published_artifacts').dropColumn('revision').execute();
    },
  };
}
