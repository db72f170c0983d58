/**
 * The district-day token backfill as an operator runs it (`epivault tracing backfill-tokens`,
 * docs/OPERATIONS.md, docs/TRACING.md "Risk areas"): `backfillDistrictDayTokens` with a count of
 * the people to go through for the progress display, and one audit event per run (counts only,
 * never a person, a place or a day). The job itself is resumable by its progress marker and, once
 * complete, does nothing again.
 */
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit.service.ts';
import { ServiceError } from '../errors.ts';
import { backfillDistrictDayTokens, DISTRICT_BACKFILL_JOB } from './district-backfill.ts';

export interface BackfillRun {
  /** People whose trail was indexed by this run (not those of an earlier, interrupted run). */
  readonly subjects: number;
  /** District-day tokens written by this run. */
  readonly tokens: number;
  /** True once every person has been indexed (now or by an earlier run). */
  readonly complete: boolean;
  /** An earlier run had stopped part-way; this one went on from where it stopped. */
  readonly resumed: boolean;
}

export interface BackfillOptions {
  /** People per transaction (default the job's, 2000). */
  readonly batch?: number;
  /** Stops after the current batch (the next run resumes). */
  readonly signal?: AbortSignal;
  /** Called before the first batch with the number of registered people, then after each batch with this run's counts. */
  readonly onProgress?: (p: { subjects: number; tokens: number; total: number }) => void;
}

/** Runs the backfill as the context's actor (the command line: `system:cli:<user>`) and audits the run, success or failure. */
export async function runDistrictTokenBackfill(ctx: Pick<AppContext, 'store' | 'keys' | 'actor'>, options: BackfillOptions = {}): Promise<BackfillRun> {
  if (options.batch !== undefined && (!Number.isInteger(options.batch) || options.batch < 1 || options.batch > 100_000)) {
    throw new ServiceError('ERR_VALIDATION', 'batch must be a whole number from 1 to 100000', 'batch');
  }
  const resumed = (await ctx.store.system.getProgress(DISTRICT_BACKFILL_JOB)) !== undefined;
  const total = await ctx.store.system.count('subjects');
  options.onProgress?.({ subjects: 0, tokens: 0, total });
  let run: { subjects: number; tokens: number; complete: boolean };
  try {
    run = await backfillDistrictDayTokens(ctx, {
      ...(options.batch !== undefined ? { batch: options.batch } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (subjects, tokens) => options.onProgress?.({ subjects, tokens, total }),
    });
  } catch (e) {
    await audit(ctx, 'failure', 'failed').catch(() => {});
    throw e;
  }
  await audit(ctx, 'success', `subjects:${run.subjects};tokens:${run.tokens};${run.complete ? 'complete' : 'interrupted'}${resumed && run.subjects > 0 ? ';resumed' : ''}`);
  return { ...run, resumed: resumed && run.subjects > 0 };
}

function audit(ctx: Pick<AppContext, 'store' | 'keys' | 'actor'>, outcome: 'success' | 'failure', reason: string): Promise<number> {
  return ctx.store.transaction((repos) => appendAudit(repos, ctx.keys, ctx.actor, {
    action: 'backfill', resourceType: 'district_day_tokens', resourceId: DISTRICT_BACKFILL_JOB, purpose: 'administration', reason, outcome,
  }));
}
