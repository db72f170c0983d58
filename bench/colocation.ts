/**
 * `npm run bench -- colocation [--persons N] [--seed S] [--cases C] [--batch B] [--data DIR]`
 *
 * Contact discovery on a synthetic city (issue #5 item 7, docs/TRACING.md): for one case, the time
 * of the application's discovery engine (src/services/tracing/discovery-engine.ts: open the case's
 * own trail, compute its co-location tokens, one token query, open the matching token references,
 * fetch and open only the matching travel records, confirm the exact overlaps, rank), p50 and p99
 * over C cases; then one batch of B cases; against the plain interval-overlap SQL over
 * (place, arrival, departure) in clear, with its best index (bench/colocation-city.ts), on the
 * same SQLite database, same process, same cases, interleaved case by case.
 *
 * A "case" is a resident of the city taken as if just confirmed: onset the day after one of their
 * venue visits, reported 3 days later, so that the infectious window (4 days before onset to the
 * report day, the defaults) holds that visit; 8 days in all.
 *
 * Prints one JSON line: {"bench":"colocation","persons":…,"travel_records":…,"one_case_p50_ms":…,
 * "one_case_p99_ms":…,"batch_1000_s":…,"plaintext_p99_ms":…, …}: wall-clock times, and beside them
 * the process's CPU time for the same work (`*_cpu_*`), which a loaded machine inflates far less.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { documentIndex } from '../src/crypto/index.ts';
import { addDays } from '../src/domain/dates.ts';
import { normalizeDocumentNumber } from '../src/domain/documents.ts';
import type { AppContext } from '../src/services/app-context.ts';
import { City } from '../src/services/seed/city-generator.ts';
import { Rng } from '../src/services/seed/prng.ts';
import { discoverForTrails, loadCaseTrails } from '../src/services/tracing/discovery-engine.ts';
import { openDatabase } from '../src/storage/database.ts';
import { dateOf, exposureInterval, infectiousWindow } from '../src/tracing/interval.ts';
import type { Interval } from '../src/tracing/interval.ts';
import { confirmOverlaps, rankCandidates } from '../src/tracing/ranking.ts';
import type { RankedCandidate } from '../src/tracing/ranking.ts';
import { DEFAULT_TRACING_SETTINGS } from '../src/tracing/settings.ts';
import { cityDatabaseFile, ensureCity, openCityApp } from './colocation-city.ts';
import type { CityInfo, PlainDb } from './colocation-city.ts';
import { UsageError } from './ingest.ts';
import { fmt, log } from './lib/progress.ts';

export const COLOCATION_USAGE = `usage: npm run bench -- colocation [--persons N] [--seed S] [--cases C] [--batch B] [--data DIR] [--warm] [--cache-mib M] [--mmap-mib M]
  contact discovery on co-location tokens (one case p50/p99 over C cases, one batch of B cases) vs the plain
  interval-overlap SQL in clear, SQLite; the city is built once per (N, seed) into DIR and reused
  (defaults: 1,000,000 persons as the issue sets the bench (the first run builds that city: about 22 minutes
  and 8 GB of disk), seed 1, 100 cases, batch 1,000, data/bench/colocation; --persons 100000 for a quick run)
  --warm  first read the token, travel, key and plaintext tables once, so that both paths are
          measured with the database in the operating system's page cache, as on a server that
          has been answering; without it, what is cached depends on what ran before
  --cache-mib, --mmap-mib  the SQLite page cache and memory map of the discovery connection, as
          EPIVAULT_SQLITE_CACHE_MIB and EPIVAULT_SQLITE_MMAP_MIB set them for the server (64 and 0)`;

interface Args { persons: number; seed: number; cases: number; batch: number; data: string; warm: boolean; cacheMiB: number; mmapMiB: number }

function parse(argv: string[]): Args {
  const { values } = parseArgs({ args: argv, options: { persons: { type: 'string' }, seed: { type: 'string' }, cases: { type: 'string' }, batch: { type: 'string' }, data: { type: 'string' }, warm: { type: 'boolean' }, 'cache-mib': { type: 'string' }, 'mmap-mib': { type: 'string' } }, strict: true });
  const int = (name: string, v: string | undefined, dflt: number, min: number, max: number) => {
    if (v === undefined) return dflt;
    const n = Number(v.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  return {
    persons: int('persons', values.persons, 1_000_000, 1000, 2_000_000), seed: int('seed', values.seed, 1, 0, 1e9),
    cases: int('cases', values.cases, 100, 1, 10_000), batch: int('batch', values.batch, 1000, 1, 100_000), data: values.data ?? 'data/bench/colocation',
    warm: values.warm === true, cacheMiB: int('cache-mib', values['cache-mib'], 64, 2, 1024 * 1024), mmapMiB: int('mmap-mib', values['mmap-mib'], 0, 0, 1024 * 1024),
  };
}

/** One sampled case: the city's person, their subject id in the sealed city, and the window. */
interface BenchCase { index: number; subjectId: string; window: Interval }

const DAYS = 28;
const START = '2026-10-01';
const settings = DEFAULT_TRACING_SETTINGS.discovery;

/** Persons with at least one venue visit, each with a window around one of them; subject ids found by their document's blind index. */
async function sampleCases(ctx: AppContext, city: City, n: number, seed: number): Promise<BenchCase[]> {
  const rng = new Rng(seed, 0xc01c);
  const picked: { index: number; window: Interval }[] = [];
  for (let tries = 0; picked.length < n && tries < n * 50; tries++) {
    const index = rng.int(city.params.persons);
    const visits = city.people(index, index + 1)[0]!.travel.filter((t) => t.mode === 'venue_visit');
    if (visits.length === 0) continue;
    const onset = addDays(dateOf(visits[rng.int(visits.length)]!.arrival), 1);
    picked.push({ index, window: infectiousWindow({ onsetDate: onset, reportDate: addDays(onset, 3) }, settings, Date.now()) });
  }
  const bidx = picked.map((p) => documentIndex(ctx.keys.documentIndex, 'resident_id', normalizeDocumentNumber('resident_id', city.idNumber(p.index))));
  const found = await ctx.store.subjects.findByDocuments(bidx);
  return picked.map((p, k) => ({ ...p, subjectId: found.get(bidx[k]!.toString('hex'))! })).filter((c) => c.subjectId !== undefined);
}

/** The plaintext path for one case: the case's visits, then one OR-of-ranges overlap query over the covering index. */
async function plainDiscover(db: Kysely<PlainDb>, c: BenchCase, maxStayMs: number): Promise<RankedCandidate[]> {
  const own = await db.selectFrom('bench_plain_visits').selectAll().where('subject', '=', c.index).execute();
  const bufferMs = settings.bufferMinutes * 60_000;
  const stays = own.filter((v) => v.departure > c.window.start && v.arrival < c.window.end)
    .map((v) => ({ travelId: `${v.place_id}:${v.arrival}`, placeId: v.place_id, stay: { start: v.arrival, end: v.departure } }));
  const ranges = stays.map((s) => ({ s, e: exposureInterval(s.stay, c.window, bufferMs) })).filter((x) => x.e !== null);
  if (ranges.length === 0) return [];
  const rows = await db.selectFrom('bench_plain_visits').selectAll()
    .where((eb) => eb.or(ranges.map(({ s, e }) => eb.and([eb('place_id', '=', s.placeId), eb('arrival', '<', e!.end), eb('arrival', '>', e!.start - maxStayMs), eb('departure', '>', e!.start)]))))
    .execute();
  const matched = rows.map((r) => ({ subjectId: String(r.subject), travelId: `${r.subject}:${r.place_id}:${r.arrival}`, placeId: r.place_id, stay: { start: r.arrival, end: r.departure } }));
  return rankCandidates(confirmOverlaps(stays, matched, { window: c.window, bufferMs, minOverlapMs: settings.minOverlapMinutes * 60_000 }, String(c.index)));
}

/** CPU time (user + system) of this process in a `process.cpuUsage(previous)` difference: what the work cost, whatever the machine's load. */
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const percentile = (xs: readonly number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * xs.length) - 1)]!;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
/** What both paths must agree on for a case: how many candidates, and their overlaps (ids differ between the two). */
const shape = (cs: readonly RankedCandidate[]) => cs.map((c) => `${c.totalOverlapMs}/${c.overlaps.length}`).sort().join(',');

export async function runColocation(argv: string[]): Promise<void> {
  const args = parse(argv);
  const info: CityInfo = await ensureCity(args.data, { persons: args.persons, seed: args.seed, days: DAYS, startDate: START });
  const ctx = await openCityApp(info.dir, { cacheMiB: args.cacheMiB, mmapMiB: args.mmapMiB });
  const plain = await openDatabase({ engine: 'sqlite', location: cityDatabaseFile(info.dir) }, { migrate: false });
  try {
    const db = plain.db as unknown as Kysely<PlainDb>;
    await sql`create index if not exists bench_plain_visits_subject on bench_plain_visits (subject)`.execute(db);
    const maxStayMs = Number((await sql<{ m: number }>`select max(departure - arrival) as m from bench_plain_visits`.execute(db)).rows[0]!.m);
    if (args.warm) {
      // Every page of what the two paths read, once: the token table (WITHOUT ROWID, its rows are its
      // index), travel records and their subject index, the data keys, and the plaintext covering index.
      const t0 = performance.now();
      for (const q of [
        sql`select sum(length(ref)) as n from colocation_tokens`, sql`select sum(length(sealed)) as n from travel_records`,
        sql`select count(*) as n from travel_records indexed by travel_records_subject`, sql`select count(*) as n from travel_records where id > ''`,
        sql`select sum(length(wrapped)) as n from subject_keys`,
        sql`select count(*) as n from bench_plain_visits indexed by bench_plain_visits_overlap where place_id > ''`,
      ]) await q.execute(db);
      log(`colocation: tables read once into the page cache in ${((performance.now() - t0) / 1000).toFixed(1)} s (--warm)`);
    }
    const city = new City({ seed: args.seed, persons: args.persons, days: DAYS, startDate: START });
    const cases = await sampleCases(ctx, city, args.cases + args.batch + 10, args.seed);
    const keys = ctx.keys;
    const one = async (c: BenchCase) => {
      const trails = await loadCaseTrails(keys, ctx.store, [c]);
      return discoverForTrails(keys, ctx.store, trails, settings);
    };
    for (const c of cases.slice(0, 10)) { await one(c); await plainDiscover(db, c, maxStayMs); } // warm-up
    log(`colocation: ${args.cases} single cases, interleaved with the plaintext query`);
    const encMs: number[] = [];
    const encCpuMs: number[] = [];
    const plainMs: number[] = [];
    let mismatches = 0;
    let candidates = 0;
    let tokenRows = 0;
    let opened = 0;
    const perCase: { ms: number; cpuMs: number; tokens: number; tokenRows: number; opened: number; candidates: number }[] = [];
    for (const c of cases.slice(10, 10 + args.cases)) {
      let t = performance.now();
      const cpu = process.cpuUsage();
      const r = await one(c);
      encMs.push(performance.now() - t);
      encCpuMs.push(cpuMs(process.cpuUsage(cpu)));
      t = performance.now();
      const p = await plainDiscover(db, c, maxStayMs);
      plainMs.push(performance.now() - t);
      if (shape(r.candidates[0]!) !== shape(p)) mismatches++;
      candidates += p.length;
      tokenRows += r.stats.tokenRows;
      opened += r.stats.recordsOpened;
      perCase.push({ ms: encMs.at(-1)!, cpuMs: encCpuMs.at(-1)!, tokens: r.stats.tokens, tokenRows: r.stats.tokenRows, opened: r.stats.recordsOpened, candidates: p.length });
    }
    for (const c of [...perCase].sort((a, b) => b.ms - a.ms).slice(0, 3)) {
      log(`colocation: slow case ${round(c.ms)} ms (CPU ${round(c.cpuMs)} ms): ${c.tokens} tokens, ${c.tokenRows} token rows, ${c.opened} records opened, ${c.candidates} candidates`);
    }
    const batch = cases.slice(10 + args.cases, 10 + args.cases + args.batch);
    log(`colocation: one batch of ${batch.length} cases`);
    let t = performance.now();
    let cpu = process.cpuUsage();
    const trails = await loadCaseTrails(keys, ctx.store, batch);
    const batchResult = await discoverForTrails(keys, ctx.store, trails, settings);
    const batchS = (performance.now() - t) / 1000;
    const batchCpuS = cpuMs(process.cpuUsage(cpu)) / 1000;
    t = performance.now();
    cpu = process.cpuUsage();
    for (const c of batch) await plainDiscover(db, c, maxStayMs);
    const plainBatchS = (performance.now() - t) / 1000;
    const plainBatchCpuS = cpuMs(process.cpuUsage(cpu)) / 1000;
    const n = encMs.length;
    process.stdout.write(`${JSON.stringify({
      bench: 'colocation', persons: info.persons, travel_records: info.travelRecords,
      one_case_p50_ms: round(percentile(encMs, 0.5)), one_case_p99_ms: round(percentile(encMs, 0.99)), batch_1000_s: round(batchS, 3),
      plaintext_p99_ms: round(percentile(plainMs, 0.99)), plaintext_p50_ms: round(percentile(plainMs, 0.5)), plaintext_batch_s: round(plainBatchS, 3),
      ratio_p99: round(percentile(encMs, 0.99) / percentile(plainMs, 0.99)), ratio_batch: round(batchS / plainBatchS),
      one_case_cpu_p50_ms: round(percentile(encCpuMs, 0.5)), one_case_cpu_p99_ms: round(percentile(encCpuMs, 0.99)), batch_1000_cpu_s: round(batchCpuS, 3), plaintext_batch_cpu_s: round(plainBatchCpuS, 3),
      batch_cases: batch.length, cases: n, colocation_tokens: info.tokens, plain_visits: info.plainVisits,
      mean_candidates: round(candidates / n, 1), mean_token_rows: round(tokenRows / n, 1), mean_records_opened: round(opened / n, 1),
      batch_records_opened: batchResult.stats.recordsOpened, results_differ: mismatches, window_days: 8, buffer_minutes: settings.bufferMinutes,
      warm: args.warm, sqlite_cache_mib: args.cacheMiB, sqlite_mmap_mib: args.mmapMiB, engine: 'sqlite', load_avg: loadavg().slice(0, 2).map((x) => round(x)), node: process.version, date: new Date().toISOString().slice(0, 10),
    })}\n`);
    log(`colocation: ${fmt(n)} cases; encrypted p50 ${round(percentile(encMs, 0.5))} ms, plaintext p50 ${round(percentile(plainMs, 0.5))} ms`);
  } finally {
    await plain.close();
    await ctx.close();
  }
}
