/**
 * `npm run bench -- selfcheck [--points 100000] [--entries 200] [--venues 20000] [--runs 9] [--seed 42]`
 *
 * The public self-check's matching (web/public/selfcheck/match.ts, issue #7 item 6) in headless
 * Chromium — Debian's /usr/bin/chromium through playwright-core, launched as the browser tests do —
 * on a deterministic city: the venue registry of the seed city (bench of 1,000,000 residents:
 * 20,000 venues), exposure points as published releases carry them (whole-hour windows of 1–4
 * hours over four weeks, at venues drawn with the seed's popularity skew, every field of
 * ExposurePoint filled), and itinerary entries (15 minutes to 3 hours, a tenth of them placed on
 * a published window so that matches occur).
 *
 * The page receives the points as the shell holds them (an array of objects with ISO strings),
 * then each run builds the index and matches all entries: `ms` is that whole cost (index +
 * match), the median of the runs after one unmeasured warm-up; `firstMs` is the warm-up (a cold
 * JIT: the citizen's first check), `matchMs` the median of matching alone on a built index. The
 * number of matched entries is checked against a naive O(n·m) reference computed in Node. One
 * JSON line on stdout:
 *
 *   {"bench":"selfcheck","entries":200,"points":100000,"ms":…,"p95":…,"runs":9,"firstMs":…,
 *    "indexMs":…,"matchMs":…,"matched":…,"venues":20000,"browser":"Chromium …"}
 *
 * Progress on stderr.
 */
import { performance } from 'node:perf_hooks';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { EXPOSURE_ADVICE } from '../src/disclosure/release/exposure-points.ts';
import { Rng } from '../src/services/seed/prng.ts';
import { generateVenues } from '../src/services/seed/venues.ts';
import { launchChromium } from '../test/support/browser.ts';
import type { ExposurePoint } from '../web/public/types.ts';
import type { Stay } from '../web/public/selfcheck/match.ts';
import { UsageError } from './ingest.ts';
import { log } from './lib/progress.ts';

export const SELFCHECK_USAGE = 'usage: npm run bench -- selfcheck [--points 100000] [--entries 200] [--venues 20000] [--runs 9] [--seed 42]  (self-check matching in headless Chromium)';

const MATCH_TS = fileURLToPath(new URL('../web/public/selfcheck/match.ts', import.meta.url));

/** The page's side: keeps the data, then times index + match `n` times after one warm-up. */
const HARNESS = `
import { indexPoints, matchStays } from './match.ts';
let data;
globalThis.benchLoad = (text) => { data = JSON.parse(text); };
globalThis.benchRun = (n) => {
  const once = () => {
    const t0 = performance.now();
    const index = indexPoints(data.points);
    const t1 = performance.now();
    const matches = matchStays(index, data.stays);
    const t2 = performance.now();
    return { index: t1 - t0, match: t2 - t1, total: t2 - t0, matched: matches.length };
  };
  const warm = once();
  const out = { first: warm.total, total: [], index: [], match: [], matched: warm.matched };
  for (let i = 0; i < n; i++) {
    const r = once();
    if (r.matched !== warm.matched) throw new Error('matching is not deterministic');
    out.total.push(r.total);
    out.index.push(r.index);
    out.match.push(r.match);
  }
  return out;
};
`;
const HOUR_MS = 3_600_000;
const DAYS = 28;
/** Midnight (China Standard Time) of the first day of the four weeks. */
const START_MS = Date.parse('2025-12-01T00:00:00+08:00');

function positive(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be an integer from 1 to ${max}`);
  return n;
}

/** Exposure points over the registry: popular venues carry more; windows of a venue may overlap (several releases). */
export function generatePoints(seed: number, venueCount: number, count: number): ExposurePoint[] {
  const venues = generateVenues(seed, venueCount).places;
  const rng = new Rng(seed, 0x5e1f);
  const points: ExposurePoint[] = [];
  for (let i = 0; i < count; i++) {
    const v = venues[rng.skewed(venues.length, 1.5)]!;
    const start = START_MS + rng.int(DAYS * 24) * HOUR_MS;
    const end = start + rng.between(1, 4) * HOUR_MS;
    points.push({
      releaseId: `rel${seed}r${i % 12}`, venueId: v.id, venueName: v.name, venueAddress: v.address, venueCategory: v.category, district: v.districtCode,
      windowStart: new Date(start).toISOString(), windowEnd: new Date(end).toISOString(), expiresAt: new Date(end + 14 * 24 * HOUR_MS).toISOString(), advice: EXPOSURE_ADVICE,
    });
  }
  return points;
}

/** Itinerary entries: a tenth on a published window, the rest anywhere in the city at any time of the four weeks. */
export function generateStays(seed: number, venueCount: number, points: readonly ExposurePoint[], count: number): Stay[] {
  const venues = generateVenues(seed, venueCount).places;
  const rng = new Rng(seed, 0x57a7);
  const stays: Stay[] = [];
  for (let i = 0; i < count; i++) {
    const length = rng.between(1, 12) * 15 * 60_000;
    if (i % 10 === 0) {
      const p = points[rng.int(points.length)]!;
      const start = Date.parse(p.windowStart) + rng.int(4) * 15 * 60_000 - length / 2;
      stays.push({ venueId: p.venueId, start, end: start + length });
    } else {
      const start = START_MS + (rng.int(DAYS * 24 * 4)) * 15 * 60_000;
      stays.push({ venueId: venues[rng.skewed(venues.length, 1.5)]!.id, start, end: start + length });
    }
  }
  return stays;
}

/** Entries with at least one overlapping point, by the definition (O(n·m)). */
function naiveMatched(points: readonly ExposurePoint[], stays: readonly Stay[]): number {
  const parsed = points.map((p) => ({ v: p.venueId, s: Date.parse(p.windowStart), e: Date.parse(p.windowEnd) }));
  return stays.filter((st) => parsed.some((p) => p.v === st.venueId && p.s < st.end && st.start < p.e)).length;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const p95 = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const round = (x: number) => Math.round(x * 100) / 100;

interface PageTimes { first: number; total: number[]; index: number[]; match: number[]; matched: number }

export async function runSelfcheck(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { points: { type: 'string' }, entries: { type: 'string' }, venues: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' } }, strict: true });
  const pointCount = positive('points', values.points, 100_000, 2_000_000);
  const entryCount = positive('entries', values.entries, 200, 100_000);
  const venueCount = positive('venues', values.venues, 20_000, 1_000_000);
  const runs = positive('runs', values.runs, 9, 1000);
  const seed = positive('seed', values.seed, 42, 2 ** 31 - 1);

  let t = performance.now();
  const points = generatePoints(seed, venueCount, pointCount);
  const stays = generateStays(seed, venueCount, points, entryCount);
  log(`selfcheck: ${pointCount.toLocaleString('en-US')} exposure points at ${venueCount.toLocaleString('en-US')} venues and ${entryCount} entries generated in ${(performance.now() - t).toFixed(0)} ms (seed ${seed})`);
  t = performance.now();
  const expected = naiveMatched(points, stays);
  log(`  reference (naive O(n·m) in Node): ${expected} entries match, ${(performance.now() - t).toFixed(0)} ms`);

  // The page's script: match.ts and a timing loop, bundled by esbuild (the function handed to
  // page.evaluate stays trivial, so that nothing of the bench's own transpilation runs in the page).
  const bundle = await build({
    stdin: { contents: HARNESS, resolveDir: dirname(MATCH_TS), sourcefile: 'selfcheck-bench.ts', loader: 'ts' },
    bundle: true, write: false, format: 'iife', platform: 'browser', target: ['es2022'], minify: true, logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  log(`  match.ts and the timing loop bundled: ${script.length.toLocaleString('en-US')} bytes`);

  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"><title>selfcheck bench</title></head><body></body></html>');
    await page.addScriptTag({ content: script });
    t = performance.now();
    // The data arrives as the shell holds it: JSON parsed into plain objects with ISO strings.
    const json = JSON.stringify({ points, stays });
    await page.evaluate((text) => (globalThis as unknown as { benchLoad: (t: string) => void }).benchLoad(text), json);
    log(`  Chromium ${browser.version()}: ${(json.length / 1e6).toFixed(1)} MB of JSON handed to the page and parsed in ${(performance.now() - t).toFixed(0)} ms; ${runs} runs after one warm-up`);
    const times = await page.evaluate((n) => (globalThis as unknown as { benchRun: (n: number) => PageTimes }).benchRun(n), runs);
    times.total.forEach((ms, i) => log(`  run ${i + 1}/${runs}: ${ms.toFixed(1)} ms (index ${times.index[i]!.toFixed(1)}, match ${times.match[i]!.toFixed(2)})`));
    if (times.matched !== expected) throw new Error(`the page matched ${times.matched} entries, the reference ${expected}`);
    const ms = median(times.total);
    log(`  median ${ms.toFixed(1)} ms (target < 100 ms): ${ms < 100 ? 'met' : 'NOT met'}; ${times.matched} of ${entryCount} entries match, as the reference`);
    process.stdout.write(`${JSON.stringify({
      bench: 'selfcheck', entries: entryCount, points: pointCount, ms: round(ms), p95: round(p95(times.total)), runs,
      firstMs: round(times.first), indexMs: round(median(times.index)), matchMs: round(median(times.match)), matched: times.matched, venues: venueCount, browser: `Chromium ${browser.version()}`,
    })}\n`);
  } finally {
    await browser.close();
  }
}
