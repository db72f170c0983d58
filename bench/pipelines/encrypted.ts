/**
 * The encrypted pipeline: Epivault's own import path, `ingestRows` (src/services/import.service.ts)
 * into a freshly initialized store. Per row: validation, in-file de-duplication, then on the
 * sealing worker a fresh subject id and data key (wrapped under the root key), the identity
 * sealed as one AES-256-GCM document, the case details sealed, blind indexes of document, phone
 * and name, the audit subject reference; then on the main thread, per batch and in one
 * transaction, de-duplication against the database, inserts into subjects, subject_keys,
 * identities, identity_documents, cases and audit_events, and the progress marker.
 */
import { loadConfig } from '../../src/config/config.ts';
import { openApp } from '../../src/services/app-context.ts';
import { ingestRows } from '../../src/services/import.service.ts';
import { createKeyFile } from '../../src/services/keys.service.ts';
import { createLogger } from '../../src/services/logger.ts';
import { SealPool } from '../../src/services/seal-pool.ts';
import { workerKeysOf } from '../../src/services/seal-tasks.ts';
import { asRecords } from '../lib/dataset.ts';
import { ProgressLine } from '../lib/progress.ts';
import { BENCH_JOB, expectEqual, measure } from './common.ts';
import type { PipelineInput, PipelineResult } from './common.ts';
import type { AppContext } from '../../src/services/app-context.ts';

/**
 * A SealPool as ingestRows starts one (default size, EPIVAULT_SEAL_WORKERS), started before the
 * timer: an empty task waits until every worker has loaded (tsx, the crypto modules) and answers.
 */
async function startedPool(ctx: AppContext): Promise<SealPool> {
  const pool = new SealPool(workerKeysOf(ctx.keys));
  try {
    for (let i = 0; i < Math.max(1, pool.size); i++) await withTimeout(pool.run('seal-people', { now: new Date().toISOString(), items: [] }), 60_000);
    return pool;
  } catch (e) {
    await pool.close();
    throw new Error(`sealing workers did not start: ${(e as Error).message}`, { cause: e });
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runEncrypted(input: PipelineInput): Promise<PipelineResult> {
  const scratch = await input.place.fresh('encrypted');
  try {
    const config = loadConfig({ data: scratch.dir }, {});
    createKeyFile(config.keyFile);
    const ctx = await openApp(config, { logger: createLogger('silent'), target: scratch.target });
    // One pool for warm-up and timed run, so that worker start-up (a thread loading tsx and the
    // crypto modules) is not timed; ingestRows leaves a pool it was given open.
    const pool = await startedPool(ctx).catch(async (e) => {
      await ctx.close();
      throw e;
    });
    try {
      const common = { pool, today: input.today, batchSize: input.batchSize };
      const warm = await ingestRows(ctx, asRecords(input.warmup), common);
      expectEqual('encrypted warm-up rows imported', warm.imported, input.warmup.length);

      const progress = new ProgressLine(`${input.label} encrypted`, input.rows.length);
      const { value: r, seconds, cpuSeconds } = await measure(() => ingestRows(ctx, asRecords(input.rows), { ...common, job: BENCH_JOB, onBatch: (p) => progress.update(p.imported) }));

      expectEqual('encrypted rows rejected', r.rejected, 0);
      expectEqual('encrypted rows imported', r.imported, input.rows.length);
      const total = input.rows.length + input.warmup.length;
      await ctx.store.checkpoint();
      expectEqual('encrypted subjects', await ctx.store.system.count('subjects'), total);
      expectEqual('encrypted identity_documents', await ctx.store.system.count('identity_documents'), total);
      expectEqual('encrypted cases', await ctx.store.system.count('cases'), total);
      expectEqual('encrypted audit_events', await ctx.store.system.count('audit_events'), total);
      return { rows: input.rows.length, seconds, cpuSeconds, rowsPerSecond: input.rows.length / seconds, bytes: scratch.size(), extra: { workers: pool.size } };
    } finally {
      await pool.close();
      await ctx.close();
    }
  } finally {
    await scratch.cleanup();
  }
}
