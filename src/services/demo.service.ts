import type { Config } from '../config/config.ts';
import { openApp } from './app-context.ts';
import { seedCity } from './seed/seed.service.ts';
import type { SeedProgress, SeedSummary } from './seed/seed.service.ts';

/**
 * The demo city that `npm start` writes into an empty database (four weeks up to yesterday). Two
 * options depart from the defaults so that the public site has something to show: 40 venues (one
 * per 50 residents, the default ratio, without the floor of 200 that leaves a venue of this small
 * city 3–4 visitors a day), so popular venues reach the standard's 10 visitors in a window; and 4
 * imported cases a week, so that cases are still being reported in the last 14 days and their
 * exposure points have not expired. The disclosure standard is not relaxed.
 */
export const DEMO_CITY = { persons: 2000, seed: 2026, days: 28, venues: 40, importedCasesPerWeek: 4 } as const;

/** Seeds the demo city when the database holds nobody yet; returns null when it already has people. */
export async function ensureDemoCity(config: Config, onProgress?: (p: SeedProgress) => void): Promise<SeedSummary | null> {
  const ctx = await openApp(config);
  try {
    if ((await ctx.store.system.count('subjects')) > 0) return null;
    return await seedCity(ctx, { ...DEMO_CITY }, onProgress);
  } finally {
    await ctx.close();
  }
}
