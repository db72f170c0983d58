/**
 * `npm run bench -- ingest --rows N [--db URL] [--batch B] [--warmup W] [--slices S] [--only P,...]`
 *
 * Line-list ingest throughput of three pipelines over the same N synthetic rows (generated once,
 * in memory, before any timing): Epivault's encrypted import (`ingestRows`), the same work in
 * clear, and the same work with ciphersweet-js. The pipelines are interleaved: the rows are cut
 * into S slices and each pipeline ingests slice 1, then each slice 2, … (the order rotating), into
 * its own growing database, so that all three meet the same load of a shared machine and their
 * ratios stay fair; each pipeline's time is the sum of its slices. One JSON line per engine on
 * stdout; progress on stderr. Without --db: SQLite in a temporary file, then PostgreSQL at
 * postgres://postgres@127.0.0.1:5432/test (skipped with a message if it does not answer), each
 * pipeline in its own fresh database or schema, removed afterwards. See docs/PERFORMANCE.md.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_BATCH_SIZE } from '../src/services/import.service.ts';
import { BENCH_TODAY, MAX_ROWS, syntheticRows } from './lib/dataset.ts';
import { fmt, log, ProgressLine } from './lib/progress.ts';
import { DEFAULT_PG_URL, placeFromUrl, postgresAnswers, postgresPlace, sqlitePlace } from './lib/targets.ts';
import type { BenchPlace } from './lib/targets.ts';
import type { PipelineInput, PipelineResult } from './pipelines/common.ts';
import { BENCH_JOB, expectEqual, measure } from './pipelines/common.ts';
import type { OpenPipeline, Pipeline } from './pipelines/common.ts';
import { openCipherSweet } from './pipelines/ciphersweet.ts';
import { openEncrypted } from './pipelines/encrypted.ts';
import { openPlaintext } from './pipelines/plaintext.ts';

const PIPELINES: Readonly<Record<'encrypted' | 'plaintext' | 'ciphersweet', Pipeline>> = { encrypted: openEncrypted, plaintext: openPlaintext, ciphersweet: openCipherSweet };
type PipelineName = keyof typeof PIPELINES;

export const INGEST_USAGE = `usage: npm run bench -- ingest --rows N [--db URL] [--batch B] [--warmup W] [--slices S] [--only encrypted,plaintext,ciphersweet]
  --rows N     timed rows per pipeline (required; the targets are stated for 1000000)
  --db URL     one engine: postgres://... (fresh schemas, dropped afterwards) or a SQLite path prefix
               (files PATH.<pipeline>, removed afterwards); default: SQLite in a temporary
               directory, then PostgreSQL at ${DEFAULT_PG_URL} if it answers
  --batch B    rows per batch and transaction (default ${DEFAULT_BATCH_SIZE}, as the import)
  --warmup W   untimed rows ingested first by each pipeline (default 1% of N, 200 to 10000)
  --slices S   interleave the pipelines in S slices of the rows (default 10; 1 = one after the other)
  --only LIST  run only these pipelines (ratios need encrypted with the other)`;

interface IngestArgs { rows: number; db?: string; batch: number; warmup: number; slices: number; only: PipelineName[] }

function positiveInt(name: string, v: string | undefined, fallback?: number): number {
  if (v === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  if (!/^\d+$/.test(v.replaceAll('_', '')) || Number(v.replaceAll('_', '')) < 1) throw new UsageError(`--${name} must be a positive integer`);
  return Number(v.replaceAll('_', ''));
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseIngestArgs(argv: string[]): IngestArgs {
  const { values } = parseArgs({
    args: argv,
    options: { rows: { type: 'string' }, db: { type: 'string' }, batch: { type: 'string' }, warmup: { type: 'string' }, slices: { type: 'string' }, only: { type: 'string' } },
    strict: true,
  });
  const rows = positiveInt('rows', values.rows);
  const batch = positiveInt('batch', values.batch, DEFAULT_BATCH_SIZE);
  const warmup = values.warmup === '0' ? 0 : positiveInt('warmup', values.warmup, Math.min(10_000, Math.max(200, Math.round(rows / 100))));
  if (rows + warmup > MAX_ROWS) throw new UsageError(`--rows plus warm-up must not exceed ${MAX_ROWS}`);
  const slices = positiveInt('slices', values.slices, Math.min(10, rows));
  if (slices > rows) throw new UsageError('--slices must not exceed --rows');
  const only = (values.only ?? Object.keys(PIPELINES).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of only) if (!(p in PIPELINES)) throw new UsageError(`--only: unknown pipeline ${p}`);
  return { rows, batch, warmup, slices, only: only as PipelineName[], ...(values.db ? { db: values.db } : {}) };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

async function places(db: string | undefined): Promise<BenchPlace[]> {
  if (db) return [placeFromUrl(db)];
  const out = [sqlitePlace()];
  if (await postgresAnswers(DEFAULT_PG_URL)) out.push(postgresPlace(DEFAULT_PG_URL));
  else log(`PostgreSQL does not answer at ${DEFAULT_PG_URL}: PostgreSQL skipped (start it, or pass --db)`);
  return out;
}

export async function runIngest(argv: string[]): Promise<void> {
  const args = parseIngestArgs(argv);
  if (args.rows < 100_000) log(`note: ${fmt(args.rows)} rows; the targets (ratio >= 0.5, >= 3x ciphersweet-js on SQLite) are stated for 1,000,000 rows`);
  const targets = await places(args.db);

  log(`generating ${fmt(args.rows)} + ${fmt(args.warmup)} warm-up rows ...`);
  const t0 = Date.now();
  const rows = syntheticRows(0, args.rows);
  const warmupRows = syntheticRows(args.rows, args.warmup);
  log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  for (const place of targets) {
    log(`${place.engine}: ${place.label}`);
    const input: PipelineInput = { place, rows, warmup: warmupRows, batchSize: args.batch, today: BENCH_TODAY, label: place.engine };
    const loadBefore = loadavg()[0]!;
    const results = await interleaved(args, input);
    const enc = results.encrypted;
    const plain = results.plaintext;
    const cs = results.ciphersweet;
    const line: Record<string, unknown> = {
      bench: 'ingest',
      engine: place.engine,
      rows: args.rows,
      encrypted_rows_per_s: enc ? Math.round(enc.rowsPerSecond) : null,
      plaintext_rows_per_s: plain ? Math.round(plain.rowsPerSecond) : null,
      ratio: enc && plain ? round(enc.rowsPerSecond / plain.rowsPerSecond, 3) : null,
      ciphersweet_rows_per_s: cs ? Math.round(cs.rowsPerSecond) : null,
      ciphersweet_ratio: enc && cs ? round(enc.rowsPerSecond / cs.rowsPerSecond, 2) : null,
      batch: args.batch,
      warmup: args.warmup,
      workers: enc?.extra.workers ?? null,
      ciphersweet_crypto_share: cs?.extra.crypto_share ?? null,
      mib_on_disk: place.engine === 'sqlite'
        ? Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.bytes === null ? null : Math.round(r.bytes / 2 ** 20)]))
        : null,
      // Process CPU (all threads) per row: less sensitive than rows/s to other load on the machine.
      cpu_us_per_row: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, Math.round((r.cpuSeconds / r.rows) * 1e6)])),
      // Process CPU seconds per wall second during each timed run (2 = both cores busy).
      cpu_per_wall: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, round(r.cpuSeconds / r.seconds, 2)])),
      // 1-minute load average before and after the runs: well above 2 means something else competed for the cores.
      load_avg: [round(loadBefore, 2), round(loadavg()[0]!, 2)],
      // Slices per pipeline, interleaved (1 = one pipeline after the other).
      slices: args.slices,
      // Mean 1-minute load average at the start of each pipeline's slices: unequal loads make the ratios unequal.
      load_avg_by_pipeline: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, round(r.extra.mean_load ?? 0, 2)])),
      cpus: availableParallelism(),
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

/**
 * Opens every pipeline (fresh database, warm-up), then ingests the rows slice by slice, each slice
 * into every pipeline in turn (the order rotating from slice to slice), timing each slice.
 */
async function interleaved(args: IngestArgs, input: PipelineInput): Promise<Partial<Record<PipelineName, PipelineResult>>> {
  const open = new Map<PipelineName, OpenPipeline>();
  try {
    for (const name of args.only) {
      log(`${input.label} ${name}: fresh database, ${fmt(input.warmup.length)} warm-up rows ...`);
      open.set(name, await PIPELINES[name](input));
    }
    const acc = new Map<PipelineName, { seconds: number; cpuSeconds: number; created: number; rejected: number; load: number }>(
      args.only.map((n) => [n, { seconds: 0, cpuSeconds: 0, created: 0, rejected: 0, load: 0 }]));
    const size = Math.ceil(input.rows.length / args.slices);
    const started = Date.now();
    for (let s = 0; s < args.slices; s++) {
      const slice = input.rows.slice(s * size, (s + 1) * size);
      if (slice.length === 0) break;
      const order = args.only.map((_, i) => args.only[(i + s) % args.only.length]!);
      for (const name of order) {
        const a = acc.get(name)!;
        const base = a.created;
        const progress = new ProgressLine(`${input.label} ${name} slice ${s + 1}/${args.slices}`, input.rows.length);
        a.load += loadavg()[0]!;
        const { value: r, seconds, cpuSeconds } = await measure(() => open.get(name)!.ingest(slice, `${BENCH_JOB}:${s}`, (n) => progress.update(base + n)));
        a.seconds += seconds;
        a.cpuSeconds += cpuSeconds;
        a.created += r.created;
        a.rejected += r.rejected;
      }
      log(`${input.label}: slice ${s + 1}/${args.slices} done, ${Math.round((Date.now() - started) / 1000)} s; so far ${args.only.map((n) => `${n} ${fmt(acc.get(n)!.created / acc.get(n)!.seconds)} rows/s`).join(', ')}; load average ${loadavg()[0]!.toFixed(2)}`);
    }
    const results: Partial<Record<PipelineName, PipelineResult>> = {};
    for (const name of args.only) {
      const a = acc.get(name)!;
      const p = open.get(name)!;
      expectEqual(`${name} rows rejected`, a.rejected, 0);
      expectEqual(`${name} rows imported`, a.created, input.rows.length);
      await p.verify(input.rows.length + input.warmup.length);
      results[name] = {
        rows: a.created, seconds: a.seconds, cpuSeconds: a.cpuSeconds, rowsPerSecond: a.created / a.seconds, bytes: p.bytes(),
        extra: { ...p.extra(), mean_load: a.load / Math.ceil(input.rows.length / size) },
      };
      log(`${input.label} ${name}: ${fmt(a.created / a.seconds)} rows/s (${a.seconds.toFixed(1)} s, process CPU ${(a.cpuSeconds / a.seconds).toFixed(2)} s per s${results[name].bytes !== null ? `, ${(results[name].bytes / 2 ** 20).toFixed(0)} MiB on disk` : ''})`);
    }
    return results;
  } finally {
    for (const p of open.values()) await p.close();
  }
}
