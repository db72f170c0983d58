import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import type { Config } from '../config/config.ts';
import { openApp } from './app-context.ts';
import type { OpenOptions } from './app-context.ts';
import { appendAudit } from './audit.service.ts';
import { ServiceError } from './errors.ts';
import { createKeyFile } from './keys.service.ts';

export interface InitResult {
  dataDir: string;
  keyFile: string;
  database: string;
}

/**
 * `epivault init`: creates the data directory (mode 0700), the root key file (mode 0600; an
 * existing one is never overwritten), the database schema and the wrapped column keys.
 */
export async function initDataDir(config: Config, options: OpenOptions = {}): Promise<InitResult> {
  if (existsSync(config.keyFile)) {
    throw new ServiceError('ERR_CONFLICT', `a root key file already exists at ${config.keyFile}; refusing to overwrite it`);
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(config.dataDir, 0o700);
  createKeyFile(config.keyFile);
  const ctx = await openApp(config, options);
  try {
    await ctx.store.transaction(async (repos) => {
      await repos.system.setMeta('initialized_at', new Date().toISOString());
      await appendAudit(repos, ctx.keys, ctx.actor, { action: 'init', resourceType: 'system', purpose: 'administration', outcome: 'success' });
    });
  } finally {
    await ctx.close();
  }
  return { dataDir: config.dataDir, keyFile: config.keyFile, database: config.databaseUrl };
}

/** Whether `init` has run for this configuration. */
export function isInitialized(config: Config): boolean {
  return existsSync(config.keyFile) || Boolean(process.env.EPIVAULT_ROOT_KEY);
}
