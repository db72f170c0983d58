/**
 * Writes the district-day tokens of travel recorded before they existed (docs/TRACING.md "Risk
 * areas"): an indexing job, like the seed, that opens each person's own trail under their key
 * once to compute its tokens. Searches never do this. Subjects are taken in id order in batches,
 * each batch and its progress marker in one transaction, so an interrupted run resumes where it
 * stopped and never writes a token twice. Run it once, when upgrading a database whose travel was
 * recorded before the travel paths wrote district-day tokens; once complete it does nothing.
 */
import type { AppContext } from '../app-context.ts';
import { openTravel, unwrapDataKey } from '../subject-cipher.ts';
import { districtDayTokenRows } from './district-tokens.ts';
import { shuffleSecure } from '../../crypto/index.ts';

export const DISTRICT_BACKFILL_JOB = 'tracing:district-day-tokens';
const DISTRICT_BACKFILL_DONE = 'tracing:district-day-tokens:complete';

export async function backfillDistrictDayTokens(ctx: Pick<AppContext, 'store' | 'keys'>, options: { batch?: number; signal?: AbortSignal; onProgress?: (subjects: number, tokens: number) => void } = {}): Promise<{ subjects: number; tokens: number; complete: boolean }> {
  const batch = options.batch ?? 2000;
  let subjects = 0;
  let tokens = 0;
  // Once complete, never again: the travel paths write the tokens of every later visit themselves.
  if (await ctx.store.system.getMeta(DISTRICT_BACKFILL_DONE)) return { subjects, tokens, complete: true };
  for (;;) {
    if (options.signal?.aborted) return { subjects, tokens, complete: false };
    const done = await ctx.store.transaction(async (repos) => {
      const after = (await repos.system.getProgress(DISTRICT_BACKFILL_JOB)) ?? '';
      const ids = await repos.subjects.pageSubjectIds(after, batch);
      if (ids.length === 0) {
        await repos.system.setMeta(DISTRICT_BACKFILL_DONE, new Date().toISOString());
        return true;
      }
      const travel = await repos.tracing.travelOfSubjects(ids);
      const keys = new Map((await repos.tracing.keysOf(ids)).map((k) => [k.subject_id, k]));
      const opened = travel.flatMap((r) => {
        const k = keys.get(r.subject_id);
        return k ? [{ id: r.id, t: openTravel(unwrapDataKey(ctx.keys.keyring.get(k.root_version), r.subject_id, k.wrapped), r.subject_id, r.id, r.sealed) }] : [];
      });
      const districts = new Map((await repos.tracing.placesByIds(opened.flatMap((o) => (o.t.placeId ? [o.t.placeId] : [])))).map((p) => [p.id, p.district_code]));
      const rows = shuffleSecure(opened.flatMap((o) => districtDayTokenRows(ctx.keys, o.id, o.t, o.t.placeId ? districts.get(o.t.placeId) : undefined)));
      await repos.tracing.insertDistrictTokens(rows);
      await repos.system.setProgress(DISTRICT_BACKFILL_JOB, ids[ids.length - 1]!, new Date().toISOString());
      subjects += ids.length;
      tokens += rows.length;
      return false;
    });
    if (done) return { subjects, tokens, complete: true };
    options.onProgress?.(subjects, tokens);
  }
}
