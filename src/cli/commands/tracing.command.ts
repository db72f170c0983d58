import type { Command } from 'commander';
import { openApp } from '../../services/app-context.ts';
import { ServiceError } from '../../services/errors.ts';
import { runDistrictTokenBackfill } from '../../services/tracing/backfill-tokens.service.ts';
import { configFrom, out, stopAfterBatchOnSignal, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';
import { createProgress } from '../progress.ts';

interface BackfillFlags extends CommonOptions {
  batch?: string;
}

/** `epivault tracing …`: maintenance jobs of contact tracing (docs/TRACING.md, docs/OPERATIONS.md). */
export function registerTracing(program: Command): void {
  const tracing = program.command('tracing').description('contact-tracing maintenance jobs');

  withCommon(tracing.command('backfill-tokens')
    .description('write the district-day tokens of travel recorded before they existed (run once when upgrading; resumable, idempotent)'))
    .option('--batch <n>', 'persons per transaction (default 2000)')
    .action(async (opts: BackfillFlags) => {
      if (opts.batch !== undefined && (!/^\d{1,6}$/.test(opts.batch) || Number(opts.batch) < 1 || Number(opts.batch) > 100_000)) {
        throw new ServiceError('ERR_VALIDATION', '--batch must be a whole number from 1 to 100000', 'batch');
      }
      const ctx = await openApp(configFrom(opts));
      const stop = stopAfterBatchOnSignal();
      const bar = createProgress('backfill (persons)');
      let started = false;
      try {
        const r = await runDistrictTokenBackfill(ctx, {
          ...(opts.batch !== undefined ? { batch: Number(opts.batch) } : {}),
          signal: stop.signal,
          onProgress: (p) => {
            if (!started) {
              bar.start(p.total);
              started = true;
            }
            bar.update(p.subjects, Math.max(p.total, p.subjects));
          },
        });
        if (started) bar.stop();
        const counts = `${r.subjects} persons indexed, ${r.tokens} district-day tokens written`;
        if (!r.complete) out(`district-day token backfill interrupted: ${counts}; run the same command again to resume`);
        else if (r.subjects === 0) out('district-day token backfill complete: nothing left to index; nothing written');
        else out(`district-day token backfill complete${r.resumed ? ' (resumed)' : ''}: ${counts}`);
      } finally {
        stop.release();
        await ctx.close();
      }
    });
}
