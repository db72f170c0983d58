/**
 * Scratch databases for benchmarks: a fresh SQLite file in a temporary directory, or a fresh
 * PostgreSQL schema, one per pipeline, removed afterwards.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describeDatabase, parseDatabaseUrl } from '../../src/storage/engine.ts';
import type { DatabaseTarget, Engine } from '../../src/storage/engine.ts';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Where a bench runs: an engine and how to make a fresh database on it. */
export interface BenchPlace {
  readonly engine: Engine;
  /** For messages (no password). */
  readonly label: string;
  /** A fresh, empty database for one pipeline. */
  fresh(name: string): Promise<ScratchDatabase>;
}

export interface ScratchDatabase {
  readonly target: DatabaseTarget;
  /** A directory for the key file and other scratch files. */
  readonly dir: string;
  /** Bytes on disk (SQLite file and WAL), or null for PostgreSQL. */
  size(): number | null;
  cleanup(): Promise<void>;
}

/** Clean-ups of scratch databases not yet removed, run on SIGINT/SIGTERM so that an interrupted bench leaves nothing behind. */
const pending = new Set<() => Promise<void>>();
let handlersInstalled = false;
function track(cleanup: () => Promise<void>): () => Promise<void> {
  if (!handlersInstalled) {
    handlersInstalled = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        process.stderr.write(`${signal}: removing scratch databases\n`);
        setTimeout(() => process.exit(130), 10_000).unref();
        void Promise.allSettled([...pending].map((c) => c())).then(() => process.exit(130));
      });
    }
  }
  const once = async () => {
    if (!pending.delete(once)) return;
    await cleanup();
  };
  pending.add(once);
  return once;
}

function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'epivault-bench-'));
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/** SQLite: in a temporary directory, or next to `basePath` (`<base>.<pipeline>`; existing files are refused). */
export function sqlitePlace(basePath?: string): BenchPlace {
  return {
    engine: 'sqlite',
    label: basePath ? `sqlite:${basePath}.*` : 'sqlite (temporary file)',
    fresh: async (name) => {
      const dir = scratchDir();
      const file = basePath ? `${resolve(basePath)}.${name}` : join(dir, `${name}.db`);
      if (basePath && [file, `${file}-wal`, `${file}-shm`].some((f) => existsSync(f))) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`${file} already exists; refusing to overwrite it`);
      }
      if (basePath && !existsSync(dirname(file))) throw new Error(`directory ${dirname(file)} does not exist`);
      return {
        target: { engine: 'sqlite', location: file },
        dir,
        size: () => fileSize(file) + fileSize(`${file}-wal`),
        cleanup: track(async () => {
          for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
          rmSync(dir, { recursive: true, force: true });
        }),
      };
    },
  };
}

/** PostgreSQL: a fresh schema `bench_<random>_<pipeline>` in the given database, dropped afterwards. */
export function postgresPlace(url: string): BenchPlace {
  const target = parseDatabaseUrl(url);
  if (target.engine !== 'postgres') throw new Error('not a PostgreSQL URL');
  const run = randomBytes(4).toString('hex');
  return {
    engine: 'postgres',
    label: describeDatabase({ engine: 'postgres', location: target.location }),
    fresh: async (name) => {
      const schema = `bench_${run}_${name}`;
      const dir = scratchDir();
      return {
        target: { engine: 'postgres', location: target.location, schema },
        dir,
        size: () => null,
        cleanup: track(async () => {
          const client = new pg.Client({ connectionString: target.location });
          try {
            await client.connect();
            await client.query(`drop schema if exists ${schema} cascade`);
          } finally {
            await client.end().catch(() => {});
            rmSync(dir, { recursive: true, force: true });
          }
        }),
      };
    },
  };
}

/** Whether a PostgreSQL server answers at `url` (3 s timeout). */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: parseDatabaseUrl(url).location, connectionTimeoutMillis: 3000 });
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

/** Places from `--db`: that one database, or by default SQLite then PostgreSQL at DEFAULT_PG_URL. */
export function placeFromUrl(url: string): BenchPlace {
  const target = parseDatabaseUrl(url);
  return target.engine === 'postgres' ? postgresPlace(url) : sqlitePlace(target.location);
}
