import { COUNTED_TABLES } from '../storage/system.repository.ts';
import type { AppContext } from './app-context.ts';
import { appendAudit } from './audit.service.ts';

export interface Stats {
  engine: string;
  rootKeyVersion: number;
  counts: Record<string, number>;
  casesByClassification: Record<string, number>;
}

/** Counts only: no record, no value, nothing about any one person. */
export async function collectStats(ctx: AppContext): Promise<Stats> {
  const counts: Record<string, number> = {};
  for (const t of COUNTED_TABLES) counts[t] = await ctx.store.system.count(t);
  const casesByClassification = await ctx.store.system.casesByClassification();
  await ctx.store.transaction((repos) => appendAudit(repos, ctx.keys, ctx.actor, { action: 'stats', resourceType: 'system', purpose: 'administration', outcome: 'success' }));
  return { engine: ctx.store.engine, rootKeyVersion: ctx.keys.keyring.current().version, counts, casesByClassification };
}
