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
import { expectEqual } from './common.ts';
import type { Pipeline } from './common.ts';
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

export const openEncrypted: Pipeline = async (input) => {
  const scratch = await input.place.fresh('encrypted');
  let ctx: AppContext | null = null;
  let pool: SealPool | null = null;
  const close = async () => {
    await pool?.close();
    await ctx?.close();
    await scratch.cleanup();
  };
  try {
    const config = loadConfig({ data: scratch.dir }, {});
    createKeyFile(config.keyFile);
    const app = await openApp(config, { logger: createLogger('silent'), target: scratch.target });
    ctx = app;
    // One pool for warm-up and timed slices, so that worker start-up (a thread loading tsx and the
    // crypto modules) is not timed; ingestRows leaves a pool it was given open.
    const workers = await startedPool(app);
    pool = workers;
    const common = { pool: workers, today: input.today, batchSize: input.batchSize };
    const warm = await ingestRows(app, asRecords(input.warmup), common);
    expectEqual('encrypted warm-up rows imported', warm.imported, input.warmup.length);
    return {
      ingest: async (rows, job, onProgress) => {
        const r = await ingestRows(app, asRecords(rows), { ...common, job, onBatch: (p) => onProgress(p.imported) });
        return { created: r.imported, rejected: r.rejected };
      },
      verify: async (total) => {
        await app.store.checkpoint();
        expectEqual('encrypted subjects', await app.store.system.count('subjects'), total);
        expectEqual('encrypted identity_documents', await app.store.system.count('identity_documents'), total);
        expectEqual('encrypted cases', await app.store.system.count('cases'), total);
        expectEqual('encrypted audit_events', await app.store.system.count('audit_events'), total);
      },
      bytes: () => scratch.size(),
      extra: () => ({ workers: workers.size }),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
};
