/**
 * The data set of the release bench (bench/release.ts): N case records of an epidemic wave over
 * 60 days in Beijing, written into a cached data directory (data/bench/release/c<N>-…) through the
 * application's own seed path and reused by later runs.
 *
 * Why not `epivault seed`: a synthetic city has only about 1 % of its people as cases, so a
 * million cases would need a city of a hundred million. Here every person is a case. What is the
 * same as the seed (and therefore as the application stores it): the residents' identities come
 * from the seed's city model (src/services/seed: names, GB 11643 numbers, phones, addresses and
 * birth dates of Beijing households), the venue registry is the seed's, every resident is sealed
 * by the seed's `seal-city` task on the seal worker pool (per-subject data key, sealed identity,
 * document blind index, sealed case, sealed travel, co-location and district-day tokens) and
 * written by the seed's `writeBatch` (one transaction per batch with the audit events and the
 * progress marker). What differs is only the plaintext: each person gets a case (onset dates
 * drawn from an epidemic curve over the period, report 1–3 days after onset, classification,
 * outcome by age) and, instead of a month of everyday travel, 2–4 venue visits in the days of
 * their infectious window (two days before onset to the report), at venues near home, skewed
 * towards popular venues (a heavy-tailed popularity, so busy venues gather enough visitors for the
 * exposure-point threshold).
 *
 * An interrupted build resumes from the progress marker (same arguments); a finished one is
 * described by `release-cases.json` in its directory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config/config.ts';
import { addDays } from '../../src/domain/dates.ts';
import type { CaseInput, Classification, Outcome, TravelRecord } from '../../src/domain/model.ts';
import { openApp } from '../../src/services/app-context.ts';
import type { AppContext } from '../../src/services/app-context.ts';
import { createKeyFile } from '../../src/services/keys.service.ts';
import { createLogger } from '../../src/services/logger.ts';
import { SealPool } from '../../src/services/seal-pool.ts';
import { workerKeysOf } from '../../src/services/seal-tasks.ts';
import { HOME_WEIGHTS } from '../../src/services/seed/beijing.ts';
import { City } from '../../src/services/seed/city-generator.ts';
import type { CityPerson } from '../../src/services/seed/city-generator.ts';
import { Rng } from '../../src/services/seed/prng.ts';
import type { SealedResident } from '../../src/services/seed/seal-city.ts';
import { writeBatch } from '../../src/services/seed/seed-writer.ts';
import { categoryFor, visitTimes } from '../../src/services/seed/visits.ts';
import { venueId } from '../../src/services/seed/venues.ts';
import { districtsOfPlaces } from '../../src/services/tracing/district-tokens.ts';
import { fmt, log } from './progress.ts';

export interface CasesKey {
  readonly cases: number;
  readonly seed: number;
  readonly days: number;
  readonly startDate: string;
}

export interface CasesInfo extends CasesKey {
  readonly dir: string;
  readonly venues: number;
  readonly byClassification: Record<string, number>;
  readonly travelRecords: number;
  readonly tokens: number;
  /** Wall-clock seconds of the build runs that wrote it (summed over resumed runs), and load averages seen. */
  readonly buildSeconds: number;
  readonly buildLoadAvg: readonly number[];
  readonly builtAt: string;
}

export const DEFAULT_DAYS = 60;
/** Fixed, so that a cached data set stays valid whatever day the bench runs on. */
export const DEFAULT_START = '2026-09-28';
export const BATCH = 5000;
const MARKER = 'release-cases.json';
/** Random stream of the release data set (the seed's streams are 1–12). */
const STREAM_RELEASE = 0x7e1ea5e;

export const casesDir = (root: string, k: CasesKey) => resolve(root, `c${k.cases}-s${k.seed}-d${k.days}-${k.startDate}`);
export const casesJob = (k: CasesKey) => `release-bench:${k.seed}:${k.cases}:${k.days}:${k.startDate}`;

/** Opens the application over a data directory (creating its key file on first use), logging nothing. */
export async function openCasesApp(dir: string, actorId = 'system:bench:release'): Promise<AppContext> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = loadConfig({ data: dir }, { EPIVAULT_LOG_LEVEL: 'silent' });
  if (!existsSync(config.keyFile)) createKeyFile(config.keyFile);
  return openApp(config, { logger: createLogger('silent'), actor: { id: actorId, role: 'system' } });
}

/**
 * The wave: onset day weights of a skewed bell over the period (rising over the first 60 %,
 * falling after), plus a small floor of sporadic cases.
 */
function curve(days: number): number[] {
  let sum = 0;
  return Array.from({ length: days }, (_, d) => {
    const peak = days * 0.6;
    const width = d < peak ? days * 0.2 : days * 0.15;
    return (sum += Math.exp(-(((d - peak) / width) ** 2) / 2) + 0.03);
  });
}

/** Outcome of a case reported on `report` (day number) by a person of `age`, as of the last day. */
function outcomeOf(rng: Rng, report: number, last: number, age: number): Outcome {
  if (report > last - 14) return rng.chance(0.01) ? 'died' : 'under_treatment';
  const death = age >= 80 ? 0.12 : age >= 65 ? 0.04 : age >= 50 ? 0.008 : 0.001;
  return rng.chance(death) ? 'died' : rng.chance(0.97) ? 'recovered' : 'unknown';
}

/**
 * Person `i` of the data set as a case, in plaintext: the city model's identity with a case and
 * venue visits in the infectious window. A pure function of (key, i).
 */
export class CaseCity {
  readonly city: City;
  readonly #curve: number[];
  readonly #last: number;

  constructor(readonly key: CasesKey) {
    this.city = new City({ seed: key.seed, persons: key.cases, days: key.days, startDate: key.startDate });
    this.#curve = curve(key.days);
    this.#last = key.days - 1;
  }

  people(from: number, to: number): CityPerson[] {
    const { model, venues, startMs } = this.city;
    const iso = (day: number) => addDays(this.key.startDate, day);
    const identities = model.identities(from, to);
    return identities.map((person, k) => {
      const index = from + k;
      const s = model.skeleton(index);
      const rng = new Rng(...model.words, STREAM_RELEASE, index);
      const u = rng.float();
      const classification: Classification = u < 0.8 ? 'confirmed' : u < 0.93 ? 'asymptomatic' : u < 0.97 ? 'suspected' : 'excluded';
      const day = rng.weighted(this.#curve);
      const symptomatic = classification !== 'asymptomatic';
      const onset = symptomatic ? day : null;
      const report = Math.min(this.#last, day + rng.between(1, 3));
      const c: CaseInput = {
        caseNumber: `BJ-${iso(report).slice(0, 4)}-R${String(index + 1).padStart(7, '0')}`,
        classification, reportDate: iso(report),
        ...(onset !== null ? { onsetDate: iso(onset) } : {}),
        ...(classification === 'confirmed' || classification === 'asymptomatic' ? { confirmationDate: iso(Math.min(this.#last, report + rng.between(0, 1))), outcome: outcomeOf(rng, report, this.#last, s.member.age) } : {}),
        source: rng.chance(0.6) ? '密切接触者筛查' : '发热门诊就诊',
      };
      // Venue visits on the days of the infectious window (two days before onset, or before the report, to the report).
      const first = Math.max(0, (onset ?? report - 1) - 2);
      const travel: TravelRecord[] = [];
      for (let n = rng.between(2, 4); n > 0; n--) {
        const visitDay = rng.between(first, report);
        const district = rng.chance(0.75) ? s.household.district : rng.weighted(HOME_WEIGHTS);
        const local = venues.byDistrictCategory[district]![categoryFor(rng, s.member.age)]!;
        const pool = local.length > 0 ? local : venues.byDistrict[district]!;
        const v = pool[Math.min(pool.length - 1, Math.floor(pool.length * rng.float() ** 4))]!;
        travel.push({ mode: 'venue_visit', placeId: venueId(this.key.seed, v), ...visitTimes(rng, venues.category[v]!, visitDay, startMs) });
      }
      travel.sort((a, b) => a.arrival - b.arrival);
      return { index, person, case: c, observations: [], travel };
    });
  }
}

/** The cached data set, built (or finished) first if needed. */
export async function ensureCases(root: string, key: CasesKey): Promise<CasesInfo> {
  const dir = casesDir(root, key);
  const marker = join(dir, MARKER);
  if (existsSync(marker)) {
    const info = JSON.parse(readFileSync(marker, 'utf8')) as CasesInfo;
    log(`release: reusing ${fmt(info.cases)} cases in ${dir} (built in ${fmt(info.buildSeconds)} s)`);
    return { ...info, dir };
  }
  const partial = join(dir, `${MARKER}.partial`);
  const before = existsSync(partial) ? (JSON.parse(readFileSync(partial, 'utf8')) as { seconds: number; load: number[] }) : { seconds: 0, load: [] };
  const started = performance.now();
  const ctx = await openCasesApp(dir);
  const load: number[] = [...before.load];
  const { loadavg } = await import('node:os');
  try {
    const cc = new CaseCity(key);
    const job = casesJob(key);
    let cursor = Number((await ctx.store.system.getProgress(job)) ?? 0);
    log(`release: ${cursor > 0 ? 'resuming' : 'building'} ${fmt(key.cases)} cases in ${dir}${cursor > 0 ? ` from ${fmt(cursor)}` : ''} (cached for later runs)`);
    const sqlite = ctx.store.engine === 'sqlite';
    if (sqlite) await ctx.store.system.setSqliteSynchronous('OFF'); // as the seed does: a killed run loses nothing committed
    const pool = new SealPool(workerKeysOf(ctx.keys));
    let stop = false;
    const onSignal = () => { stop = true; log('release: stopping after the batch being written (run again to resume)'); };
    process.once('SIGINT', onSignal);
    try {
      await writePlaces(ctx, cc.city);
      const districts = districtsOfPlaces(cc.city.venues.places);
      const flights: { from: number; to: number; sealed: Promise<SealedResident[]> }[] = [];
      let next = cursor;
      let lastLog = 0;
      while (cursor < key.cases && !stop) {
        while (next < key.cases && flights.length < 2) {
          const from = next;
          next = Math.min(key.cases, from + BATCH);
          const sealed = pool.run('seal-city', { now: new Date().toISOString(), people: cc.people(from, next), districts });
          sealed.catch(() => {});
          flights.push({ from, to: next, sealed });
        }
        const flight = flights.shift()!;
        await writeBatch(ctx, cc.city, job, flight, await flight.sealed, [], pool.sealingRoot);
        cursor = flight.to;
        if (performance.now() - lastLog > 15_000 || cursor >= key.cases) {
          lastLog = performance.now();
          load.push(Number(loadavg()[0]!.toFixed(2)));
          const s = before.seconds + (performance.now() - started) / 1000;
          log(`  cases: ${fmt(cursor)}/${fmt(key.cases)}, ${fmt(s)} s, load ${loadavg()[0]!.toFixed(1)}`);
          writeFileSync(partial, JSON.stringify({ seconds: s, load }));
        }
      }
    } finally {
      process.off('SIGINT', onSignal);
      await pool.close();
      if (sqlite) {
        await ctx.store.system.setSqliteSynchronous('NORMAL');
        await ctx.store.checkpoint();
      }
    }
    const seconds = before.seconds + (performance.now() - started) / 1000;
    writeFileSync(partial, JSON.stringify({ seconds, load }));
    if (cursor < key.cases) throw new Error(`the build stopped at ${cursor} of ${key.cases} cases; run the bench again to resume it`);
    const count = (t: string) => ctx.store.system.count(t as never);
    const byClassification: Record<string, number> = {};
    for (const r of await ctx.store.releases.dailyCaseCounts('11', ['confirmed', 'asymptomatic', 'suspected', 'excluded'], '0000-01-01', '9999-12-31')) byClassification.all = (byClassification.all ?? 0) + r.n;
    for (const c of ['confirmed', 'asymptomatic', 'suspected', 'excluded']) {
      byClassification[c] = (await ctx.store.releases.dailyCaseCounts('11', [c], '0000-01-01', '9999-12-31')).reduce((s, r) => s + r.n, 0);
    }
    const info: CasesInfo = {
      ...key, dir, venues: cc.city.venues.places.length, byClassification,
      travelRecords: await count('travel_records'), tokens: await count('colocation_tokens'),
      buildSeconds: Math.round(seconds), buildLoadAvg: load, builtAt: new Date().toISOString(),
    };
    writeFileSync(marker, `${JSON.stringify(info, null, 2)}\n`);
    return info;
  } finally {
    await ctx.close();
  }
}

/** The venue registry (public, in clear), written once, as the seed writes it. */
async function writePlaces(ctx: AppContext, city: City): Promise<void> {
  const places = city.venues.places;
  await ctx.store.transaction(async (repos) => {
    const existing = await repos.travel.existingPlaceIds(places.map((p) => p.id));
    const missing = places.filter((p) => !existing.has(p.id));
    await repos.travel.insertPlaces(missing.map((p) => ({ id: p.id, name: p.name, address: p.address, district_code: p.districtCode, category: p.category, lat: p.lat, lon: p.lon })));
  });
}
