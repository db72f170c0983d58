/**
 * Direct SQL against a test database, bypassing the application: the tests play an attacker or
 * a fault (editing rows, dropping tables, blocking inserts) with it.
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { TestDatabase } from './engines.ts';

export interface RawSql {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function rawSql(t: TestDatabase): Promise<RawSql> {
  if (t.engine === 'sqlite') {
    const db = new SQLite(t.target.location);
    db.pragma('busy_timeout = 10000');
    return {
      exec: async (s) => { db.exec(s); },
      query: async <T>(s: string) => db.prepare(s).all() as T[],
      close: async () => { db.close(); },
    };
  }
  const client = new pg.Client({ connectionString: t.target.location, options: `-c search_path=${t.target.schema}` });
  await client.connect();
  return {
    exec: async (s) => { await client.query(s); },
    query: async <T>(s: string) => (await client.query(s)).rows as T[],
    close: async () => { await client.end(); },
  };
}

/**
 * Fault injection for fail-closed tests: a trigger that rejects every insert into audit_events
 * with "injected audit fault". Returns a function that removes it (and closes the connection).
 */
export async function injectAuditFault(t: TestDatabase): Promise<() => Promise<void>> {
  const raw = await rawSql(t);
  if (t.engine === 'sqlite') {
    await raw.exec(`create trigger audit_fault before insert on audit_events begin select raise(abort, 'injected audit fault'); end`);
  } else {
    await raw.exec(`create function audit_fault() returns trigger language plpgsql as $$ begin raise exception 'injected audit fault'; end $$;
      create trigger audit_fault before insert on audit_events for each row execute function audit_fault()`);
  }
  return async () => {
    await raw.exec(t.engine === 'sqlite' ? 'drop trigger audit_fault' : 'drop trigger audit_fault on audit_events; drop function audit_fault()');
    await raw.close();
  };
}
