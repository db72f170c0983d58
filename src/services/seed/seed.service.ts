import { performance } from 'node:perf_hooks';
import { addDays, parseIsoDate, todayIsoDate } from '../../domain/dates.ts';
import { CLASSIFICATIONS } from '../../domain/model.ts';
import type { Classification } from '../../domain/model.ts';
import type { AppContext } from '../app-context.ts';
import type { RootKey } from '../../crypto/index.ts';
import { ServiceError } from '../errors.ts';
import { SealPool } from '../seal-pool.ts';
import { workerKeysOf } from '../seal-tasks.ts';
import { City } from './city-generator.ts';
import type { CityParams, PlannedLink } from './city-generator.ts';
import { MAX_PERSONS } from './people.ts';
import { venueCount } from './venues.ts';
import type { SealedResident } from './seal-city.ts';
import { writeBatch } from './seed-writer.ts';
import { districtsOfPlaces } from '../tracing/district-tokens.ts';
import type { BatchCounts } from './seed-writer.ts';

/**
 * `epivault seed`: writes a synthetic Beijing (src/services/seed) into the database. Residents are
 * generated on the main thread, sealed on the worker pool (two batches in flight, so sealing
 * overlaps the writes) and written one transaction per batch together with the job's progress
 * marker, so a killed seed re-run with the same arguments continues where it stopped.
 */
export const DEFAULT_DAYS = 28;
export const DEFAULT_BATCH_SIZE = 5000;
export const MAX_VENUES = 1_000_000;
export const MAX_IMPORTED_CASES_PER_WEEK = 1000;

export interface SeedOptions {
  persons: number;
  seed: number;
  days?: number;
  /** First simulated day (YYYY-MM-DD); default: the `days` days up to yesterday (China time). */
  startDate?: string;
  /** Venues in the public registry (default: one per 50 residents, at least 200). */
  venues?: number;
  /** Index cases imported from outside per week, all through the period (default 0: one early outbreak). */
  importedCasesPerWeek?: number;
  batchSize?: number;
  /** Stop (cleanly, after a committed batch) once this many batches were written: tests of resuming. */
  stopAfterBatches?: number;
  /** Aborting stops after the batch being written. */
  signal?: AbortSignal;
  /** A pool to use (left open); by default one is started (EPIVAULT_SEAL_WORKERS) and closed. */
  pool?: SealPool;
}

export interface SeedProgress { done: number; total: number }

export interface SeedSummary {
  job: string;
  seed: number;
  persons: number;
  days: number;
  startDate: string;
  /** Present when not the default registry size. */
  venues?: number;
  /** Present when not 0. */
  importedCasesPerWeek?: number;
  status: 'complete' | 'already_complete' | 'interrupted';
  /** The person index this run started at (0 unless it resumed). */
  resumedFrom: number;
  /** Person index up to which the city is written. */
  cursor: number;
  /** What this run wrote. */
  personsWritten: number;
  travelRecords: number;
  tokens: number;
  observations: number;
  contacts: number;
  /** Quarantine records of the contact links (one per link: ended if over before today, else active). */
  quarantines: number;
  /** Risk statuses stored for the contacts (once per batch that writes links of theirs). */
  riskStatuses: number;
  places: number;
  casesByClassification: Record<Classification, number>;
  rows: number;
  elapsedSeconds: number;
  rowsPerSecond: number;
}

/**
 * The progress marker's name: one per (seed, persons, days) and, when they are not the defaults,
 * venues and imported cases per week (so a default city keeps the name it always had).
 */
export const seedJob = (seed: number, persons: number, days: number, extra: { venues?: number; importedCasesPerWeek?: number } = {}) =>
  `seed:${seed}:${persons}:${days}${extra.venues !== undefined ? `:v${extra.venues}` : ''}${extra.importedCasesPerWeek ? `:i${extra.importedCasesPerWeek}` : ''}`;
const startDateKey = (job: string) => `${job}:start_date`;

function invalid(field: string, message: string): ServiceError {
  return new ServiceError('ERR_VALIDATION', `${field}: ${message}`, field);
}

function checkInteger(field: string, v: number | undefined, min: number, max: number): number {
  if (v === undefined || !Number.isSafeInteger(v) || v < min || v > max) throw invalid(field, `must be an integer from ${min} to ${max}`);
  return v;
}

function checkStartDate(startDate: string, days: number, today: string): void {
  if (!parseIsoDate(startDate).ok || startDate < '2000-01-01') throw invalid('startDate', 'must be a date YYYY-MM-DD from 2000-01-01');
  if (addDays(startDate, days - 1) > today) throw invalid('startDate', 'the seeded period must not end after today');
}

interface Job {
  name: string;
  params: CityParams;
  batchSize: number;
  /** The person index the progress marker points at (0 for a new job). */
  resumedFrom: number;
  isNew: boolean;
}

/** Checks the options and reads the job's marker and start date (a resumed job keeps its start date). */
async function openJob(ctx: AppContext, options: SeedOptions): Promise<Job> {
  const persons = checkInteger('persons', options.persons, 1, MAX_PERSONS);
  const seed = checkInteger('seed', options.seed, 0, Number.MAX_SAFE_INTEGER);
  const days = checkInteger('days', options.days ?? DEFAULT_DAYS, 1, 366);
  const batchSize = checkInteger('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE, 1, 100_000);
  // The defaults are left out of the city's parameters: the city of a seed stays what it was.
  const venues = options.venues === undefined ? undefined : checkInteger('venues', options.venues, 1, MAX_VENUES);
  const imported = options.importedCasesPerWeek ?? 0;
  if (!Number.isFinite(imported) || imported < 0 || imported > MAX_IMPORTED_CASES_PER_WEEK) {
    throw invalid('importedCasesPerWeek', `must be a number from 0 to ${MAX_IMPORTED_CASES_PER_WEEK}`);
  }
  const extra = { ...(venues !== undefined && venues !== venueCount(persons) ? { venues } : {}), ...(imported > 0 ? { importedCasesPerWeek: imported } : {}) };
  const name = seedJob(seed, persons, days, extra);
  const stored = await ctx.store.system.getProgress(name);
  const storedStart = await ctx.store.system.getMeta(startDateKey(name));
  if (options.startDate !== undefined && storedStart !== undefined && options.startDate !== storedStart) {
    throw new ServiceError('ERR_CONFLICT', 'startDate: this seed was started with another start date; leave it out to resume', 'startDate');
  }
  const startDate = storedStart ?? options.startDate ?? addDays(todayIsoDate(), -days);
  checkStartDate(startDate, days, todayIsoDate());
  return { name, params: { seed, persons, days, startDate, ...extra }, batchSize, resumedFrom: stored === undefined ? 0 : Number(stored), isNew: stored === undefined };
}

/** What a run wrote. */
class Totals {
  readonly counts = { personsWritten: 0, travelRecords: 0, tokens: 0, observations: 0, contacts: 0, quarantines: 0, riskStatuses: 0, places: 0, rows: 0 };
  readonly casesByClassification = Object.fromEntries(CLASSIFICATIONS.map((c) => [c, 0])) as Record<Classification, number>;
  readonly #started = performance.now();

  add(c: BatchCounts): void {
    for (const k of ['personsWritten', 'travelRecords', 'tokens', 'observations', 'contacts', 'quarantines', 'riskStatuses', 'rows'] as const) this.counts[k] += c[k];
    for (const [k, n] of Object.entries(c.cases) as [Classification, number][]) this.casesByClassification[k] += n;
  }

  summary(job: Job, status: SeedSummary['status'], cursor: number): SeedSummary {
    const elapsedSeconds = (performance.now() - this.#started) / 1000;
    return {
      job: job.name, ...job.params, status, resumedFrom: job.resumedFrom, cursor, ...this.counts, casesByClassification: this.casesByClassification,
      elapsedSeconds, rowsPerSecond: elapsedSeconds > 0 ? this.counts.rows / elapsedSeconds : 0,
    };
  }
}

/**
 * Seeds (or resumes seeding) a synthetic city of `persons` residents. Refuses a database that
 * holds people unless they are this job's own (an interrupted run of the same arguments). A
 * finished job is reported as already complete and nothing is written.
 */
export async function seedCity(ctx: AppContext, options: SeedOptions, onProgress?: (p: SeedProgress) => void): Promise<SeedSummary> {
  const totals = new Totals();
  const job = await openJob(ctx, options);
  if (job.resumedFrom >= job.params.persons) return totals.summary(job, 'already_complete', job.resumedFrom);
  if (job.isNew && (await ctx.store.system.count('subjects')) > 0) {
    throw new ServiceError('ERR_CONFLICT', 'the database already holds people: seed writes a synthetic city into an empty database (re-run an interrupted seed with the same arguments to resume it)');
  }
  const city = new City(job.params);
  const sqlite = ctx.store.engine === 'sqlite';
  // On SQLite, a checkpoint's fsync after every batch is half the write time (docs/PERFORMANCE.md):
  // the load runs with synchronous=OFF (a killed run loses nothing committed; an operating-system
  // crash or power cut during a seed can corrupt the database), and ends durable.
  if (sqlite) await ctx.store.system.setSqliteSynchronous('OFF');
  let cursor: number;
  try {
    totals.counts.places = await writePlaces(ctx, city, job.name, job.params.startDate);
    totals.counts.rows += totals.counts.places;
    cursor = await writePeople(ctx, city, job, options, totals, onProgress);
  } finally {
    if (sqlite) {
      await ctx.store.system.setSqliteSynchronous('NORMAL');
      await ctx.store.checkpoint();
    }
  }
  return totals.summary(job, cursor >= job.params.persons ? 'complete' : 'interrupted', cursor);
}

/**
 * Generates, seals and writes batches from the marker on, keeping two batches in flight so that
 * the worker seals one while this thread writes the other. Returns the new marker.
 */
async function writePeople(ctx: AppContext, city: City, job: Job, options: SeedOptions, totals: Totals, onProgress?: (p: SeedProgress) => void): Promise<number> {
  const { persons } = job.params;
  // Each link is written with the later of its two people, so both exist by then (PostgreSQL checks foreign keys at once).
  const later = (l: PlannedLink) => Math.max(l.caseIndex, l.contactIndex);
  const links = city.plan.links.filter((l) => later(l) >= job.resumedFrom).sort((a, b) => later(a) - later(b));
  const flights: { from: number; to: number; sealed: Promise<SealedResident[]>; sealedWith: RootKey }[] = [];
  const districts = districtsOfPlaces(city.venues.places);
  let pool = options.pool ?? null;
  let next = job.resumedFrom;
  let cursor = job.resumedFrom;
  onProgress?.({ done: cursor, total: persons });
  try {
    for (let written = 1; cursor < persons; written++) {
      while (next < persons && flights.length < 2) {
        const from = next;
        next = Math.min(persons, from + job.batchSize);
        pool ??= new SealPool(workerKeysOf(ctx.keys));
        const sealed = pool.run('seal-city', { now: new Date().toISOString(), people: city.people(from, next), districts });
        sealed.catch(() => {}); // awaited below; a failure after a stop must not go unhandled
        flights.push({ from, to: next, sealed, sealedWith: pool.sealingRoot });
      }
      const flight = flights.shift()!;
      const residents = await flight.sealed;
      let n = 0;
      while (n < links.length && later(links[n]!) < flight.to) n++;
      totals.add(await writeBatch(ctx, city, job.name, flight, residents, links.splice(0, n), flight.sealedWith));
      cursor = flight.to;
      onProgress?.({ done: cursor, total: persons });
      if ((options.stopAfterBatches !== undefined && written >= options.stopAfterBatches) || options.signal?.aborted) break;
    }
  } finally {
    if (!options.pool) await pool?.close();
  }
  return cursor;
}

/** The venue registry (public, in clear), written once; the start date is kept so that a resumed run generates the same city. */
async function writePlaces(ctx: AppContext, city: City, job: string, startDate: string): Promise<number> {
  const places = city.venues.places;
  return ctx.store.transaction(async (repos) => {
    await repos.system.setMeta(startDateKey(job), startDate);
    const existing = await repos.travel.existingPlaceIds(places.map((p) => p.id));
    const missing = places.filter((p) => !existing.has(p.id));
    await repos.travel.insertPlaces(missing.map((p) => ({ id: p.id, name: p.name, address: p.address, district_code: p.districtCode, category: p.category, lat: p.lat, lon: p.lon })));
    return missing.length;
  });
}
