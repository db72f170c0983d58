/**
 * Runs storage tests on every engine: a fresh SQLite file and a fresh PostgreSQL schema in the
 * `test` database (EPIVAULT_TEST_PG, default postgres://postgres@127.0.0.1:5432/test). Without a
 * PostgreSQL server the PostgreSQL variants are skipped with a message, except under CI=true,
 * where a missing server is a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget, Engine } from '../../src/storage/engine.ts';

export const PG_URL = process.env.EPIVAULT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const ENGINES: Engine[] = ['sqlite', 'postgres'];

let pgAvailable: Promise<boolean> | null = null;

async function checkPostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Whether PostgreSQL answers; under CI a missing server throws instead. */
export async function postgresAvailable(): Promise<boolean> {
  pgAvailable ??= checkPostgres();
  const ok = await pgAvailable;
  if (!ok && process.env.CI === 'true') throw new Error(`PostgreSQL does not answer at ${PG_URL}; CI requires it`);
  return ok;
}

export const PG_SKIP_MESSAGE = `PostgreSQL not reachable at ${PG_URL}: PostgreSQL variant skipped (start it, or set EPIVAULT_TEST_PG)`;

export interface TestDatabase {
  readonly engine: Engine;
  readonly target: DatabaseTarget;
  /** A database URL for the CLI (`--db`). */
  readonly url: string;
  /** Scratch directory (key file, SQLite file, reports). */
  readonly dir: string;
  cleanup(): Promise<void>;
}

/** A fresh, empty database of the given engine. */
export async function freshDatabase(engine: Engine): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'epivault-test-'));
  if (engine === 'sqlite') {
    const file = join(dir, 'epivault.db');
    return { engine, target: { engine, location: file }, url: file, dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  return {
    engine,
    target: { engine, location: PG_URL, schema },
    url,
    dir,
    cleanup: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Declares `body` once per engine as a node:test suite. Usage:
 *   forEachEngine('people', (getDb) => { it('...', async () => { const t = getDb(); ... }) })
 */
export async function engines(): Promise<{ engine: Engine; skip: string | false }[]> {
  const pgOk = await postgresAvailable();
  return ENGINES.map((engine) => ({ engine, skip: engine === 'postgres' && !pgOk ? PG_SKIP_MESSAGE : false }));
}
