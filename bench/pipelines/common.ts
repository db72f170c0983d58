/** What every ingest pipeline gets and returns. */
import { performance } from 'node:perf_hooks';
import type { LineListRow } from '../../src/domain/line-list.ts';
import { normalizeDocumentNumber } from '../../src/domain/documents.ts';
import type { PersonInput } from '../../src/domain/model.ts';
import type { BenchPlace } from '../lib/targets.ts';

export interface PipelineInput {
  readonly place: BenchPlace;
  /** The timed rows. */
  readonly rows: readonly LineListRow[];
  /** Other rows ingested first, untimed (JIT, worker start, first pages of every index). */
  readonly warmup: readonly LineListRow[];
  readonly batchSize: number;
  /** "Today" for validation. */
  readonly today: string;
  /** Progress label prefix, e.g. "sqlite". */
  readonly label: string;
}

/** One slice of the timed rows, ingested by an open pipeline (the driver times it). */
export interface SliceResult {
  readonly created: number;
  readonly rejected: number;
  /** Milliseconds of the slice spent in the peer library's own crypto (ciphersweet only). */
  readonly cryptoMs?: number;
}

/**
 * A pipeline with its fresh database open and its warm-up done, ready to ingest slices of the
 * timed rows. The driver (bench/ingest.ts) interleaves the pipelines slice by slice, so that
 * every pipeline meets the same changes of load on a shared machine and the ratios stay fair.
 */
export interface OpenPipeline {
  /** Ingests one slice; `job` names its progress marker (one per slice, as one import per file). */
  ingest(rows: readonly LineListRow[], job: string, onProgress: (created: number) => void): Promise<SliceResult>;
  /** Checks that the database holds exactly `total` people (and their cases, events, …). */
  verify(total: number): Promise<void>;
  /** Bytes on disk (SQLite only). */
  bytes(): number | null;
  /** Pipeline-specific figures (all numbers). */
  extra(): Record<string, number>;
  close(): Promise<void>;
}

export type Pipeline = (input: PipelineInput) => Promise<OpenPipeline>;

export interface PipelineResult {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** CPU time of the whole process (all threads) during the timed run. */
  readonly cpuSeconds: number;
  /** Bytes on disk after the run (SQLite only). */
  readonly bytes: number | null;
  /** Pipeline-specific figures (all numbers). */
  readonly extra: Record<string, number>;
}

/** The progress-marker name for the timed run (the real import uses `import:<sha256>`). */
export const BENCH_JOB = 'bench:ingest';
export const PURPOSE = 'case_investigation';

/** The in-file de-duplication key of a person's documents, exactly as ingestRows computes it. */
export function documentKeys(person: PersonInput): string[] {
  return person.identity.documents.map((d) => `${d.type}|${normalizeDocumentNumber(d.type, d.number, d.country)}`);
}

export class BenchCheckError extends Error {
  override name = 'BenchCheckError';
}

export function expectEqual(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new BenchCheckError(`${what}: expected ${expected}, got ${actual}`);
}

/** Runs the timed part: wall-clock seconds and the process's CPU seconds (main thread and workers). */
export async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { value, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}
