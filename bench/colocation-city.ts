/**
 * The synthetic city of the co-location bench, built once per (persons, seed, days, start date)
 * with the application's own seed service (src/services/seed) into a cached data directory, and
 * reused when present: building a city of 1,000,000 persons takes most of an hour on a loaded
 * 2-core machine. An interrupted build resumes (the seed's progress marker). Beside the sealed
 * city, the same visits are written in clear into `bench_plain_visits` (regenerated from the
 * city's pure generator, never decrypted), the plaintext baseline's table.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { loadConfig } from '../src/config/config.ts';
import { openApp } from '../src/services/app-context.ts';
import type { AppContext } from '../src/services/app-context.ts';
import { createKeyFile } from '../src/services/keys.service.ts';
import { createLogger } from '../src/services/logger.ts';
import { City } from '../src/services/seed/city-generator.ts';
import { seedCity } from '../src/services/seed/seed.service.ts';
import { openDatabase } from '../src/storage/database.ts';
import type { OpenDatabase } from '../src/storage/database.ts';
import { fmt, log } from './lib/progress.ts';

export interface CityKey {
  readonly persons: number;
  readonly seed: number;
  readonly days: number;
  readonly startDate: string;
}

export interface CityInfo extends CityKey {
  readonly dir: string;
  readonly travelRecords: number;
  readonly tokens: number;
  readonly plainVisits: number;
  readonly builtSeconds: number;
}

/** The clear baseline: one row per venue visit, as an unencrypted system would store it. */
export interface PlainVisitTable { subject: number; place_id: string; arrival: number; departure: number }
export interface PlainDb { bench_plain_visits: PlainVisitTable }

export const cityDir = (root: string, k: CityKey) => resolve(root, `n${k.persons}-s${k.seed}-d${k.days}-${k.startDate}`);
const MARKER = 'city.json';

/** Opens the application over a city directory (creating its key file on first use). */
export async function openCityApp(dir: string, sqlite: { cacheMiB?: number; mmapMiB?: number } = {}): Promise<AppContext> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = loadConfig({ data: dir }, {
    EPIVAULT_LOG_LEVEL: 'silent',
    ...(sqlite.cacheMiB !== undefined ? { EPIVAULT_SQLITE_CACHE_MIB: String(sqlite.cacheMiB) } : {}),
    ...(sqlite.mmapMiB !== undefined ? { EPIVAULT_SQLITE_MMAP_MIB: String(sqlite.mmapMiB) } : {}),
  });
  if (!existsSync(config.keyFile)) createKeyFile(config.keyFile);
  return openApp(config, { logger: createLogger('silent'), actor: { id: 'system:bench:colocation', role: 'system' } });
}

export function cityDatabaseFile(dir: string): string {
  return loadConfig({ data: dir }, {}).databaseUrl;
}

/** The cached city, built (or finished) first if needed. */
export async function ensureCity(root: string, key: CityKey): Promise<CityInfo> {
  const dir = cityDir(root, key);
  const marker = join(dir, MARKER);
  if (existsSync(marker)) {
    const info = JSON.parse(readFileSync(marker, 'utf8')) as CityInfo;
    log(`colocation: reusing the city in ${dir} (${fmt(info.persons)} persons, ${fmt(info.travelRecords)} travel records)`);
    return { ...info, dir };
  }
  const started = Date.now();
  log(`colocation: building a city of ${fmt(key.persons)} persons in ${dir} (cached for later runs)`);
  const ctx = await openCityApp(dir);
  try {
    let last = 0;
    const summary = await seedCity(ctx, { persons: key.persons, seed: key.seed, days: key.days, startDate: key.startDate }, (p) => {
      if (Date.now() - last < 10_000 && p.done < p.total) return;
      last = Date.now();
      log(`  seed: ${fmt(p.done)}/${fmt(p.total)} persons, ${Math.round((Date.now() - started) / 1000)} s`);
    });
    if (summary.status === 'interrupted') throw new Error('the seed was interrupted; run the bench again to resume it');
  } finally {
    await ctx.close();
  }
  const open = await openDatabase({ engine: 'sqlite', location: cityDatabaseFile(dir) });
  try {
    const plainVisits = await writePlainVisits(open, key);
    const db = open.db as unknown as Kysely<unknown>;
    const count = async (table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);
    const info: CityInfo = { ...key, dir, travelRecords: await count('travel_records'), tokens: await count('colocation_tokens'), plainVisits, builtSeconds: Math.round((Date.now() - started) / 1000) };
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
    writeFileSync(marker, `${JSON.stringify(info, null, 2)}\n`);
    return info;
  } finally {
    await open.close();
  }
}

/**
 * The plaintext table with its best index for the interval-overlap query: (place, arrival,
 * departure, subject) covers the query, so a visit's overlapping stays are one index range scan.
 */
async function writePlainVisits(open: OpenDatabase, key: CityKey): Promise<number> {
  const db = open.db as unknown as Kysely<PlainDb>;
  await sql`drop table if exists bench_plain_visits`.execute(db);
  await sql`create table bench_plain_visits (subject integer not null, place_id text not null, arrival integer not null, departure integer not null)`.execute(db);
  const city = new City(key);
  let n = 0;
  for (let from = 0; from < key.persons; from += 5000) {
    const rows: PlainVisitTable[] = [];
    for (const p of city.people(from, from + 5000)) {
      for (const t of p.travel) if (t.mode === 'venue_visit' && t.placeId) rows.push({ subject: p.index, place_id: t.placeId, arrival: t.arrival, departure: t.departure });
    }
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 5000) await trx.insertInto('bench_plain_visits').values(rows.slice(i, i + 5000)).execute();
    });
    n += rows.length;
    if ((from / 5000) % 20 === 0) log(`  plaintext visits: ${fmt(Math.min(from + 5000, key.persons))}/${fmt(key.persons)} persons`);
  }
  await sql`create index bench_plain_visits_overlap on bench_plain_visits (place_id, arrival, departure, subject)`.execute(db);
  await sql`analyze`.execute(db);
  return n;
}
