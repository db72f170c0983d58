import type { AppContext } from './app-context.ts';

export interface Health {
  status: 'ok' | 'unavailable';
  database: 'ok' | 'unreachable';
}

/** Liveness and database reachability; reveals nothing else. */
export async function checkHealth(ctx: AppContext): Promise<Health> {
  try {
    await ctx.store.system.getMeta('initialized_at');
    return { status: 'ok', database: 'ok' };
  } catch {
    return { status: 'unavailable', database: 'unreachable' };
  }
}
