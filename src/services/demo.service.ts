import type { Config } from '../config/config.ts';
import { openApp } from './app-context.ts';
import { seedCity } from './seed/seed.service.ts';
import type { SeedProgress, SeedSummary } from './seed/seed.service.ts';

/** The demo city that `npm start` writes into an empty database (four weeks up to yesterday). */
export const DEMO_CITY = { persons: 2000, seed: 2026, days: 28 } as const;

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
