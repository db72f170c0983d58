import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sha256File } from '../crypto/index.ts';
import { todayIsoDate } from '../domain/dates.ts';
import { normalizeDocumentNumber } from '../domain/documents.ts';
import { validateLineListRow } from '../domain/line-list.ts';
import type { LineListRow } from '../domain/line-list.ts';
import type { CaseInput, PersonInput } from '../domain/model.ts';
import type { AppContext } from './app-context.ts';
import { appendAudit } from './audit.service.ts';
import { checkFile, inputFileSize, lineListRows, resolveEncoding } from './import/csv-source.ts';
import type { Encoding, EncodingChoice, ReportProblem } from './import/csv-source.ts';
import { ImportError } from './import/errors.ts';
import { RejectionReport } from './import/report.ts';
import { registerPeople } from './people.service.ts';
import { SealPool } from './seal-pool.ts';
import { workerKeysOf } from './seal-tasks.ts';
import type { SealedPerson } from './subject-cipher.ts';

/**
 * Line-list import (docs/IMPORT.md): `importLineList` reads a CSV file (UTF-8 or GB18030), and
 * `ingestRows` validates rows, seals them on the worker pool and registers them in batches, each
 * batch in one transaction with the job's progress marker, so an interrupted import resumes where
 * it stopped and a repeated one creates nobody twice.
 */
export { ImportError };
export type { Encoding, EncodingChoice, ReportProblem };

/**
 * Rows per batch and transaction. Large batches matter on SQLite: the blind-index, document and
 * audit-reference indexes are keyed by values spread at random, so a batch touches index pages all
 * over them and writes each page once per commit; ten thousand rows per commit write far fewer
 * pages per row than a thousand (docs/PERFORMANCE.md). A re-run after a kill redoes at most one batch.
 */
export const DEFAULT_BATCH_SIZE = 10_000;
/**
 * SQLite WAL auto-checkpoint threshold while an import runs (pages of 4 KiB, 80 MiB; SQLite's
 * default is 1,000): a checkpoint copies pages into the database file and fsyncs twice, so fewer,
 * larger checkpoints write pages that several batches changed once. Restored when the import ends.
 */
export const IMPORT_WAL_AUTOCHECKPOINT_PAGES = 20_000;
export const IMPORT_PURPOSE = 'case_investigation';

/** One row for {@link ingestRows}: its record number (increasing; the file's header is record 1) and its fields. */
export interface IngestRow {
  record: number;
  row: LineListRow;
  /** Problems found before validation (e.g. a wrong number of fields): the row is rejected with these. */
  problems?: readonly ReportProblem[];
}

export interface IngestOptions {
  /**
   * Name of the progress marker (e.g. `import:<sha256 of the file>`). When set, rows up to the
   * stored cursor are validated but neither sealed nor written, and every batch stores the record
   * number of its last row with its transaction.
   */
  job?: string;
  /** Dates after this (YYYY-MM-DD) are in the future; default today in China. */
  today?: string;
  purpose?: string;
  batchSize?: number;
  /** Batches sealed ahead of the database writer (default 2: one sealing while one is written). */
  inFlight?: number;
  /** A pool to use (left open); by default one is started (EPIVAULT_SEAL_WORKERS) and closed. */
  pool?: SealPool;
  /** Called for each rejected row with its problems (the rejection report). Never given a value. */
  onReject?: (record: number, problems: readonly ReportProblem[]) => void;
  /** Called after each committed batch. */
  onBatch?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  rowsRead: number;
  imported: number;
  alreadyPresent: number;
  rejected: number;
  /** Record number of the last row committed. */
  cursor: number;
}

export interface IngestResult {
  /** Data rows seen (blank lines excluded); = imported + alreadyPresent + rejected. */
  rowsRead: number;
  /** People created by this run. */
  imported: number;
  /**
   * Valid rows whose document was already registered: by another file, by an earlier run of this
   * file, or (`skipped`) rows an interrupted earlier run of this file had committed.
   */
  alreadyPresent: number;
  /** Rows rejected (the report has one line per problem, so possibly more lines). */
  rejected: number;
  /** Report lines (problems) passed to `onReject`. */
  problems: number;
  /** Valid rows not sealed or written because the progress marker showed them committed. */
  skipped: number;
  /** The progress cursor found at the start (record number), or null. */
  resumedAfter: number | null;
  elapsedMs: number;
}

interface Pending {
  record: number;
  person: PersonInput;
  case: CaseInput | null;
  /** The row gave its own case number (which must be unique). */
  ownCaseNumber: boolean;
}

interface Flight {
  items: Pending[];
  sealed: Promise<SealedPerson[]>;
  cursor: number;
}

/**
 * Validates rows, seals the valid ones on the worker pool (keeping `inFlight` batches ahead, so
 * that sealing overlaps the database writes) and registers each batch with `registerPeople`.
 * Rows repeating an earlier row's document or case number are rejected; rows whose document is
 * already registered count as already present. Parsing stays with the caller.
 */
export async function ingestRows(ctx: AppContext, rows: AsyncIterable<IngestRow> | Iterable<IngestRow>, options: IngestOptions = {}): Promise<IngestResult> {
  const started = performance.now();
  const today = options.today ?? todayIsoDate();
  const purpose = options.purpose ?? IMPORT_PURPOSE;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const inFlight = Math.max(1, options.inFlight ?? 2);
  const job = options.job;
  const stored = job ? await ctx.store.system.getProgress(job) : undefined;
  const resumedAfter = stored !== undefined && /^\d+$/.test(stored) ? Number(stored) : null;
  const resumeCursor = resumedAfter ?? 0;

  const counts = { rowsRead: 0, imported: 0, alreadyPresent: 0, rejected: 0, problems: 0, skipped: 0 };
  const reject = (record: number, problems: readonly ReportProblem[]) => {
    counts.rejected++;
    counts.problems += problems.length;
    options.onReject?.(record, problems);
  };
  const seenDocuments = new Set<string>();
  const seenCaseNumbers = new Set<string>();

  // Started at the first batch: a run with nothing to write starts no worker.
  let pool: Promise<SealPool> | null = options.pool ? Promise.resolve(options.pool) : null;
  const flights: Flight[] = [];
  let batch: Pending[] = [];
  let lastRecord = 0;

  const launch = (cursor: number) => {
    const items = batch;
    batch = [];
    pool ??= Promise.resolve(new SealPool(workerKeysOf(ctx.keys)));
    const input = { now: new Date().toISOString(), items: items.map((p) => ({ person: p.person, case: p.case })) };
    const sealed = pool.then((p) => p.run('seal-people', input));
    sealed.catch(() => {}); // awaited in commit; a failure after an earlier error must not go unhandled
    flights.push({ items, sealed, cursor });
  };

  const commit = async (flight: Flight) => {
    let sealed = await flight.sealed;
    sealed = await dropCaseNumberConflicts(ctx, flight.items, sealed, reject);
    const sealedWith = (await pool!).sealingRoot; // the pool's root key: a rotation meanwhile is caught up with (key-currency.ts)
    const r = await registerPeople(ctx, sealed, { purpose, sealedWith, ...(job ? { progress: { job, cursor: String(flight.cursor) } } : {}) });
    counts.imported += r.created;
    counts.alreadyPresent += r.duplicates;
    options.onBatch?.({ rowsRead: counts.rowsRead, imported: counts.imported, alreadyPresent: counts.alreadyPresent, rejected: counts.rejected, cursor: flight.cursor });
  };

  const walAutocheckpoint = ctx.store.engine === 'sqlite' ? await ctx.store.system.setSqliteWalAutocheckpoint(IMPORT_WAL_AUTOCHECKPOINT_PAGES) : null;
  try {
    for await (const { record, row, problems } of rows) {
      counts.rowsRead++;
      lastRecord = record;
      if (problems && problems.length > 0) {
        reject(record, problems);
        continue;
      }
      const v = validateLineListRow(row, today);
      if (!v.ok) {
        reject(record, v.problems);
        continue;
      }
      const docKeys = v.person.identity.documents.map((d) => `${d.type}|${normalizeDocumentNumber(d.type, d.number, d.country)}`);
      if (docKeys.some((k) => seenDocuments.has(k))) {
        reject(record, [{ field: 'id_number', reason: 'duplicate document in this file' }]);
        continue;
      }
      const caseNumber = v.case?.caseNumber ?? '';
      if (caseNumber !== '' && seenCaseNumbers.has(caseNumber)) {
        reject(record, [{ field: 'case_number', reason: 'duplicate case number in this file' }]);
        continue;
      }
      docKeys.forEach((k) => seenDocuments.add(k));
      if (caseNumber !== '') seenCaseNumbers.add(caseNumber);
      if (record <= resumeCursor) {
        counts.skipped++;
        counts.alreadyPresent++;
        continue;
      }
      batch.push({ record, person: v.person, case: v.case, ownCaseNumber: caseNumber !== '' });
      if (batch.length >= batchSize) {
        launch(record);
        if (flights.length >= inFlight) await commit(flights.shift()!);
      }
    }
    if (batch.length > 0) launch(lastRecord);
    while (flights.length > 0) await commit(flights.shift()!);
  } finally {
    if (!options.pool && pool) await (await pool.catch(() => null))?.close();
    if (walAutocheckpoint !== null) await ctx.store.system.setSqliteWalAutocheckpoint(walAutocheckpoint).catch(() => {});
  }
  return { ...counts, resumedAfter, elapsedMs: performance.now() - started };
}

/**
 * Case numbers are unique. A row whose own case number is already registered is rejected unless
 * its document is registered too (then it is the same person, and registerPeople skips it).
 */
async function dropCaseNumberConflicts(ctx: AppContext, items: readonly Pending[], sealed: SealedPerson[], reject: (record: number, problems: readonly ReportProblem[]) => void): Promise<SealedPerson[]> {
  const own = items.flatMap((it, i) => (it.ownCaseNumber && sealed[i]?.case ? [i] : []));
  if (own.length === 0) return sealed;
  const taken = await ctx.store.cases.caseNumbersExisting(own.map((i) => sealed[i]!.case!.case_number));
  if (taken.size === 0) return sealed;
  const conflicting = own.filter((i) => taken.has(sealed[i]!.case!.case_number));
  const known = await ctx.store.subjects.findByDocuments(conflicting.flatMap((i) => sealed[i]!.person.documents.map((d) => d.doc_bidx)));
  const drop = new Set(conflicting.filter((i) => !sealed[i]!.documentKeys.some((k) => known.has(k))));
  for (const i of drop) reject(items[i]!.record, [{ field: 'case_number', reason: 'is already registered to another person' }]);
  return drop.size === 0 ? sealed : sealed.filter((_, i) => !drop.has(i));
}

export interface ImportOptions {
  encoding?: EncodingChoice;
  /** Where to write the rejection report; default `<dataDir>/import-reports/<name>.<yyyymmddThhmmss>.rejections.csv`. */
  report?: string;
  /** The data directory (for the default report location); default the current directory. */
  dataDir?: string;
  today?: string;
  batchSize?: number;
  pool?: SealPool;
}

export interface ImportProgress {
  /** `check`: decoding and parsing the whole file before writing anything; `import`: the import itself. */
  phase: 'check' | 'import';
  bytesRead: number;
  totalBytes: number;
  rowsRead?: number;
  imported?: number;
}

export interface ImportSummary extends IngestResult {
  file: string;
  /** SHA-256 of the file (identifies it for resuming; the progress job is `import:<sha256>`). */
  sha256: string;
  encoding: Encoding;
  reportPath: string;
  /** Whole run, from the first read of the file to the summary audit event. */
  elapsedMs: number;
  rowsPerSecond: number;
}

/**
 * Imports a line-list CSV file. The whole file is decoded and parsed, and its header checked,
 * before anything is written: a missing file, undecodable bytes, malformed CSV or a bad header is an
 * ImportError and imports nothing. Then every row is validated (rejections go to the report) and
 * the valid ones are ingested under the progress job `import:<sha256 of the file>`. A summary
 * `import` audit event closes the run.
 */
export async function importLineList(ctx: AppContext, file: string, options: ImportOptions = {}, onProgress?: (p: ImportProgress) => void): Promise<ImportSummary> {
  const started = performance.now();
  const totalBytes = inputFileSize(file);
  let bytesRead = 0;
  const phase = (name: ImportProgress['phase']) => {
    bytesRead = 0;
    onProgress?.({ phase: name, bytesRead, totalBytes });
    return (n: number) => {
      bytesRead += n;
      onProgress?.({ phase: name, bytesRead, totalBytes });
    };
  };

  const checkBytes = phase('check');
  const encoding = await resolveEncoding(file, options.encoding ?? 'auto');
  await checkFile(file, encoding, checkBytes);
  const sha256 = await sha256File(file);
  const job = `import:${sha256}`;

  const report = options.report ? RejectionReport.open(options.report) : RejectionReport.openIn(join(options.dataDir ?? '.', 'import-reports'), file);
  const importBytes = phase('import');
  let result: IngestResult;
  try {
    result = await ingestRows(ctx, lineListRows(file, encoding, importBytes), {
      job,
      ...(options.today ? { today: options.today } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.pool ? { pool: options.pool } : {}),
      onReject: (record, problems) => report.add(record, problems),
      onBatch: (p) => onProgress?.({ phase: 'import', bytesRead, totalBytes, rowsRead: p.rowsRead, imported: p.imported }),
    });
    report.close();
  } catch (e) {
    report.close();
    ctx.logger.warn({ job: job.slice(0, 23), error: (e as Error).name }, 'import stopped');
    await auditImport(ctx, sha256, 'failure').catch(() => {});
    throw e;
  }
  await auditImport(ctx, sha256, 'success');
  const elapsedMs = performance.now() - started;
  const summary: ImportSummary = {
    ...result, file, sha256, encoding, reportPath: report.path, elapsedMs,
    rowsPerSecond: elapsedMs > 0 ? Math.round((result.rowsRead / elapsedMs) * 1000) : 0,
  };
  ctx.logger.debug({ job: job.slice(0, 23), rowsRead: summary.rowsRead, imported: summary.imported, alreadyPresent: summary.alreadyPresent, rejected: summary.rejected }, 'import finished');
  return summary;
}

/** The summary audit event of an import: counts are in the report and on stdout, the event names the file by hash prefix. */
async function auditImport(ctx: AppContext, sha256: string, outcome: 'success' | 'failure'): Promise<void> {
  await ctx.store.transaction((repos) => appendAudit(repos, ctx.keys, ctx.actor, {
    action: 'import', resourceType: 'line_list', resourceId: sha256.slice(0, 16), purpose: IMPORT_PURPOSE, outcome,
  }));
}
