import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Statements kept prepared: a few insert shapes per table (insert-many.ts) and the queries of the services. */
const MAX_CACHED = 256;
/** Statements other than inserts are kept only up to this length. */
const MAX_QUERY_CHARS = 4000;

/**
 * The better-sqlite3 connection as Kysely's SQLite dialect sees it, with statements kept
 * prepared: Kysely's driver prepares every statement it runs, and compiling a multi-row insert
 * of a few thousand parameters costs about as much as running it. insertMany (insert-many.ts)
 * sends the same few statement texts batch after batch, so each is prepared once per connection
 * and reused (least recently used dropped beyond MAX_CACHED); the services' queries repeat the
 * same texts request after request (a staff read runs a dozen of them), so they are cached too.
 * A statement still being iterated (busy) is never handed out twice: a fresh one is prepared
 * instead.
 */
export function withCachedStatements(handle: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      handle.close();
    },
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = handle.prepare(sql);
      // Inserts come in a few fixed shapes; other long texts (an `in (…)` of thousands of
      // parameters) vary with their input and would only fill the cache and the memory.
      if (!cached && (sql.length <= MAX_QUERY_CHARS || /^\s*insert\s/i.test(sql))) {
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
