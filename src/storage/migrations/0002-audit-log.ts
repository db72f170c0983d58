import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Engine } from '../engine.ts';
import { appendOnly } from './0001-core.ts';

/** SHA-256 of the empty string: the root of the empty tree (RFC 6962), the head's starting root. */
const EMPTY_ROOT = Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex');

/**
 * The audit Merkle log (docs/AUDIT.md):
 *
 * - `audit_events` is rebuilt with an application-assigned `seq` (dense from 1, the leaf index + 1;
 *   PostgreSQL identity columns skip numbers on rollback) and a `leaf_hash` column. Events written
 *   before this migration are kept in `audit_events_legacy` until the application, which alone can
 *   hash, appends them to the log in their order (AuditRepository.adoptLegacy) and drops it.
 * - `audit_tree_head`: one row, the tree size, root and compact range; it can only grow.
 * - `audit_tiles`: C2SP tlog-tiles: full level-0 tiles (copies of 256 leaf hashes, so that a proof
 *   reads one row, not 256) and every tile of level ≥ 1; a row may only grow (partial to full),
 *   keeping its prefix.
 * - `audit_checkpoints`: signed checkpoints (with the compact range at their size), append-only.
 *
 * UPDATE and DELETE of events and checkpoints are rejected by the database (triggers), as before.
 */
export function auditLogMigration(engine: Engine): Migration {
  const bin = engine === 'postgres' ? 'bytea' : 'blob';
  const big = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const legacy = await sql<{ n: number | string }>`select count(*) as n from audit_events`.execute(db);
      const hasLegacy = Number(legacy.rows[0]?.n ?? 0) > 0;
      if (engine === 'sqlite') {
        for (const t of ['audit_events_no_update', 'audit_events_no_delete']) await sql`drop trigger if exists ${sql.id(t)}`.execute(db);
      }
      await sql`drop index if exists audit_events_subject_ref`.execute(db);
      if (hasLegacy) {
        await sql`alter table audit_events rename to audit_events_legacy`.execute(db);
        if (engine === 'postgres') await sql`alter index audit_events_pkey rename to audit_events_legacy_pkey`.execute(db);
        else await appendOnly(db, engine, 'audit_events_legacy');
        await sql`insert into meta (key, value) values ('audit_legacy_pending', '1')`.execute(db);
      } else {
        await sql`drop table audit_events`.execute(db);
      }

      await db.schema.createTable('audit_events')
        .addColumn('seq', big, (c) => c.primaryKey().check(sql`seq >= 1`))
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
        .addColumn('leaf_hash', bin, (c) => c.notNull().check(sql`length(leaf_hash) = 32`))
        .execute();
      await db.schema.createIndex('audit_events_subject_ref').on('audit_events').column('subject_ref').execute();
      await appendOnly(db, engine, 'audit_events');

      await db.schema.createTable('audit_tree_head')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('size', big, (c) => c.notNull().check(sql`size >= 0`))
        .addColumn('root', bin, (c) => c.notNull().check(sql`length(root) = 32`))
        .addColumn('frontier', bin, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into audit_tree_head (id, size, root, frontier, updated_at) values (1, 0, ${EMPTY_ROOT}, ${Buffer.alloc(0)}, ${new Date().toISOString()})`.execute(db);

      await db.schema.createTable('audit_tiles')
        .addColumn('level', 'integer', (c) => c.notNull().check(sql`level >= 0 and level <= 63`))
        .addColumn('idx', big, (c) => c.notNull().check(sql`idx >= 0`))
        .addColumn('width', 'integer', (c) => c.notNull().check(sql`width >= 1 and width <= 256`))
        .addColumn('hashes', bin, (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_tiles_pk', ['level', 'idx'])
        .addCheckConstraint('audit_tiles_length', sql`length(hashes) = 32 * width`)
        .addCheckConstraint('audit_tiles_level0_full', sql`level > 0 or width = 256`)
        .execute();

      await db.schema.createTable('audit_checkpoints')
        .addColumn('size', big, (c) => c.primaryKey().check(sql`size >= 0`))
        .addColumn('root', bin, (c) => c.notNull().check(sql`length(root) = 32`))
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('frontier', bin, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await appendOnly(db, engine, 'audit_checkpoints');

      await guardedGrowth(db, engine);
    },
  };
}

/**
 * The tree head and the tiles are derived data that must change as the log grows, so they are not
 * append-only; the database still refuses everything but growth: the head's size never shrinks
 * and it is never deleted; a tile only grows (partial to full) with its existing hashes unchanged.
 */
async function guardedGrowth(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const tileGrows = sql`new.level = old.level and new.idx = old.idx and old.width < 256 and new.width > old.width and new.width <= 256
    and length(new.hashes) = 32 * new.width`;
  if (engine === 'sqlite') {
    await sql`create trigger audit_tree_head_grow before update on audit_tree_head when new.id <> old.id or new.size < old.size
      begin select raise(abort, 'audit_tree_head only grows'); end`.execute(db);
    await sql`create trigger audit_tree_head_no_delete before delete on audit_tree_head
      begin select raise(abort, 'audit_tree_head only grows'); end`.execute(db);
    await sql`create trigger audit_tiles_grow before update on audit_tiles
      when not (${tileGrows} and substr(new.hashes, 1, length(old.hashes)) = old.hashes)
      begin select raise(abort, 'audit_tiles only grow from partial to full'); end`.execute(db);
    await sql`create trigger audit_tiles_no_delete before delete on audit_tiles
      begin select raise(abort, 'audit_tiles only grow from partial to full'); end`.execute(db);
    return;
  }
  await sql`create or replace function epivault_audit_head_grows() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and new.id = old.id and new.size >= old.size then return new; end if;
      raise exception 'audit_tree_head only grows';
    end $$`.execute(db);
  await sql`create trigger audit_tree_head_grow before update or delete on audit_tree_head for each row execute function epivault_audit_head_grows()`.execute(db);
  await sql`create trigger audit_tree_head_no_truncate before truncate on audit_tree_head for each statement execute function epivault_append_only()`.execute(db);
  await sql`create or replace function epivault_audit_tile_grows() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and ${tileGrows} and substring(new.hashes from 1 for length(old.hashes)) = old.hashes then return new; end if;
      raise exception 'audit_tiles only grow from partial to full';
    end $$`.execute(db);
  await sql`create trigger audit_tiles_grow before update or delete on audit_tiles for each row execute function epivault_audit_tile_grows()`.execute(db);
  await sql`create trigger audit_tiles_no_truncate before truncate on audit_tiles for each statement execute function epivault_append_only()`.execute(db);
}
