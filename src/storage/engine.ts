/** The two storage engines; one schema and one set of repositories serve both. */
export type Engine = 'sqlite' | 'postgres';

export interface DatabaseTarget {
  readonly engine: Engine;
  /** File path for SQLite, connection string for PostgreSQL. */
  readonly location: string;
  /** PostgreSQL schema to use (tests isolate themselves in their own schema). */
  readonly schema?: string;
}

/** Parses `--db` / `EPIVAULT_DATABASE_URL`: `postgres://…`, `sqlite:PATH`, or a bare file path. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('database URL: schema must be a lowercase identifier');
    u.searchParams.delete('schema');
    return { engine: 'postgres', location: u.toString(), ...(schema ? { schema } : {}) };
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (path.length === 0) throw new Error('database URL: empty SQLite path');
  if (/^[a-z]+:\/\//i.test(path)) throw new Error('database URL: unsupported scheme (use postgres:// or a SQLite file path)');
  return { engine: 'sqlite', location: path };
}

/** A database URL for messages and logs: the password, if any, is removed. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.engine === 'sqlite') return `sqlite:${target.location}`;
  const u = new URL(target.location);
  u.password = '';
  return `postgres://${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}${target.schema ? ` (schema ${target.schema})` : ''}`;
}
