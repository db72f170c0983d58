import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Migration, MigrationProvider } from 'kysely/migration';
import type { Database } from './schema.ts';
import type { DatabaseTarget, Engine } from './engine.ts';
import { coreMigration } from './migrations/0001-core.ts';
import { auditLogMigration } from './migrations/0002-audit-log.ts';
import { staffMigration } from './migrations/0003-staff.ts';
import { tracingMigration } from './migrations/0004-tracing.ts';
import { releasesMigration } from './migrations/0005-releases.ts';
import { caseIndexesMigration } from './migrations/0006-case-indexes.ts';
import { artifactRevisionsMigration } from './migrations/0007-artifact-revisions.ts';
import { withCachedStatements } from './sqlite-statements.ts';

// PostgreSQL `bigint` (the audit sequence) and `count(*)` arrive as strings; they stay far below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

export type Db = Kysely<Database>;

export interface OpenDatabase {
  readonly db: Db;
  readonly engine: Engine;
  /** SQLite file path (for WAL checkpoints and size reports), or null. */
  readonly file: string | null;
  /** PostgreSQL schema holding the tables, when not the default. */
  readonly schema?: string;
  close(): Promise<void>;
}

function migrations(engine: Engine): Record<string, Migration> {
  return { '0001-core': coreMigration(engine), '0002-audit-log': auditLogMigration(engine), '0003-staff': staffMigration(engine), '0004-tracing': tracingMigration(engine), '0005-releases': releasesMigration(engine), '0006-case-indexes': caseIndexesMigration(), '0007-artifact-revisions': artifactRevisionsMigration() };
}

/** SQLite memory settings (docs/OPERATIONS.md "Memory for a large city"). */
export interface SqliteTuning {
  /** Page cache of the connection, in MiB (default 64). */
  readonly cacheMiB?: number;
  /**
   * Bytes of the database file SQLite reads through a memory map instead of read() calls, in MiB
   * (default 0: none). Pages of a memory-mapped file that the operating system has cached cost no
   * system call and no copy; a city's token and travel indexes are looked up at random.
   */
  readonly mmapMiB?: number;
}

export const DEFAULT_SQLITE_CACHE_MIB = 64;

/** Opens a database (SQLite in WAL mode, or a PostgreSQL pool) and applies pending migrations. */
export async function openDatabase(target: DatabaseTarget, options: { migrate?: boolean; sqlite?: SqliteTuning } = {}): Promise<OpenDatabase> {
  let db: Db;
  if (target.engine === 'sqlite') {
    const handle = new SQLite(target.location);
    handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
    handle.pragma('foreign_keys = ON');
    handle.pragma('busy_timeout = 10000');
    const mib = (name: string, v: number | undefined, dflt: number) => {
      if (v === undefined) return dflt;
      if (!Number.isInteger(v) || v < 0 || v > 1024 * 1024) {
        handle.close();
        throw new RangeError(`SQLite ${name} must be a whole number of MiB from 0 to 1048576`);
      }
      return v;
    };
    const cacheMiB = mib('page cache', options.sqlite?.cacheMiB, DEFAULT_SQLITE_CACHE_MIB);
    const mmapMiB = mib('memory map', options.sqlite?.mmapMiB, 0);
    handle.pragma(`cache_size = -${cacheMiB * 1024}`);
    handle.pragma(`mmap_size = ${mmapMiB * 1024 * 1024}`);
    // Statements stay prepared: bulk inserts repeat a few fixed shapes (insert-many.ts), services the same queries.
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withCachedStatements(handle) }) });
  } else {
    const pool = new pg.Pool({
      connectionString: target.location,
      max: 4,
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    if (target.schema) await sql`create schema if not exists ${sql.id(target.schema)}`.execute(db);
  }
  const open: OpenDatabase = {
    db,
    engine: target.engine,
    file: target.engine === 'sqlite' ? target.location : null,
    ...(target.schema ? { schema: target.schema } : {}),
    close: () => db.destroy(),
  };
  if (options.migrate !== false) {
    try {
      await migrate(open);
    } catch (e) {
      await db.destroy();
      throw e;
    }
  }
  return open;
}

/** Applies every pending migration (or those up to `upTo`, for upgrade tests); throws with the migration's name if one fails. */
export async function migrate(open: OpenDatabase, upTo?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(open.engine) };
  const migrator = new Migrator({ db: open.db, provider, ...(open.schema ? { migrationTableSchema: open.schema } : {}) });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`);
  }
}
