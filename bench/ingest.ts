/**
 * `npm run bench -- ingest --rows N [--db URL] [--batch B] [--warmup W] [--only P,...]`
 *
 * Line-list ingest throughput of three pipelines over the same N synthetic rows (generated once,
 * in memory, before any timing): Epivault's encrypted import (`ingestRows`), the same work in
 * clear, and the same work with ciphersweet-js. One JSON line per engine on stdout; progress on
 * stderr. Without --db: SQLite in a temporary file, then PostgreSQL at
 * postgres://postgres@127.0.0.1:5432/test (skipped with a message if it does not answer), each
 * pipeline in its own fresh database or schema, removed afterwards. See docs/PERFORMANCE.md.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_BATCH_SIZE } from '../src/services/import.service.ts';
import { BENCH_TODAY, MAX_ROWS, syntheticRows } from './lib/dataset.ts';
import { fmt, log } from './lib/progress.ts';
import { DEFAULT_PG_URL, placeFromUrl, postgresAnswers, postgresPlace, sqlitePlace } from './lib/targets.ts';
import type { BenchPlace } from './lib/targets.ts';
import type { PipelineInput, PipelineResult } from './pipelines/common.ts';
import { runCipherSweet } from './pipelines/ciphersweet.ts';
import { runEncrypted } from './pipelines/encrypted.ts';
import { runPlaintext } from './pipelines/plaintext.ts';

const PIPELINES = { encrypted: runEncrypted, plaintext: runPlaintext, ciphersweet: runCipherSweet } as const;
type PipelineName = keyof typeof PIPELINES;

export const INGEST_USAGE = `usage: npm run bench -- ingest --rows N [--db URL] [--batch B] [--warmup W] [--only encrypted,plaintext,ciphersweet]
  --rows N     timed rows per pipeline (required; the targets are stated for 1000000)
  --db URL     one engine: postgres://... (fresh schemas, dropped afterwards) or a SQLite path prefix
               (files PATH.<pipeline>, removed afterwards); default: SQLite in a temporary
               directory, then PostgreSQL at ${DEFAULT_PG_URL} if it answers
  --batch B    rows per batch and transaction (default ${DEFAULT_BATCH_SIZE}, as the import)
  --warmup W   untimed rows ingested first by each pipeline (default 1% of N, 200 to 10000)
  --only LIST  run only these pipelines (ratios need encrypted with the other)`;

interface IngestArgs { rows: number; db?: string; batch: number; warmup: number; only: PipelineName[] }

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
    options: { rows: { type: 'string' }, db: { type: 'string' }, batch: { type: 'string' }, warmup: { type: 'string' }, only: { type: 'string' } },
    strict: true,
  });
  const rows = positiveInt('rows', values.rows);
  const batch = positiveInt('batch', values.batch, DEFAULT_BATCH_SIZE);
  const warmup = values.warmup === '0' ? 0 : positiveInt('warmup', values.warmup, Math.min(10_000, Math.max(200, Math.round(rows / 100))));
  if (rows + warmup > MAX_ROWS) throw new UsageError(`--rows plus warm-up must not exceed ${MAX_ROWS}`);
  const only = (values.only ?? Object.keys(PIPELINES).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of only) if (!(p in PIPELINES)) throw new UsageError(`--only: unknown pipeline ${p}`);
  return { rows, batch, warmup, only: only as PipelineName[], ...(values.db ? { db: values.db } : {}) };
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
    const results: Partial<Record<PipelineName, PipelineResult>> = {};
    const loadBefore = loadavg()[0]!;
    const loadByPipeline: Partial<Record<PipelineName, [number, number]>> = {};
    for (const name of args.only) {
      log(`${place.engine} ${name}: ${fmt(args.rows)} rows in batches of ${fmt(args.batch)} ...`);
      const before = loadavg()[0]!;
      const r = await PIPELINES[name](input);
      results[name] = r;
      loadByPipeline[name] = [round(before, 2), round(loadavg()[0]!, 2)];
      log(`${place.engine} ${name}: ${fmt(r.rowsPerSecond)} rows/s (${r.seconds.toFixed(1)} s, process CPU ${(r.cpuSeconds / r.seconds).toFixed(2)} s per s${r.bytes !== null ? `, ${(r.bytes / 2 ** 20).toFixed(0)} MiB on disk` : ''}; load average ${loadavg()[0]!.toFixed(2)})`);
    }
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
      // The same before and after each pipeline (they run one after the other): unequal loads make the ratios unequal.
      load_avg_by_pipeline: loadByPipeline,
      cpus: availableParallelism(),
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
