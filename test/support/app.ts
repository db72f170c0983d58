import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { openApp } from '../../src/services/app-context.ts';
import type { AppContext } from '../../src/services/app-context.ts';
import { createKeyFile } from '../../src/services/keys.service.ts';
import { createLogger } from '../../src/services/logger.ts';
import { freshDatabase } from './engines.ts';
import type { TestDatabase } from './engines.ts';
import type { Engine } from '../../src/storage/engine.ts';

export interface TestApp {
  readonly ctx: AppContext;
  readonly db: TestDatabase;
  readonly keyFile: string;
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

/** A fresh database, a fresh root key file, and an open application context. */
export async function testApp(engine: Engine): Promise<TestApp> {
  const db = await freshDatabase(engine);
  const dataDir = db.dir;
  const config = loadConfig({ data: dataDir, db: db.url }, {});
  createKeyFile(config.keyFile);
  const ctx = await openApp(config, { logger: suiteLogger() });
  return {
    ctx, db, keyFile: config.keyFile, dataDir,
    cleanup: async () => {
      await ctx.close();
      await db.cleanup();
    },
  };
}

/**
 * The logger of test applications: under scripts/run-tests.mjs (EPIVAULT_TEST_LOG_DIR set) every
 * line at trace level goes to a file per test process, which the server-log canary test scans at
 * the end of the suite; otherwise silent.
 */
export function suiteLogger() {
  const dir = process.env.EPIVAULT_TEST_LOG_DIR;
  return dir ? createLogger('trace', join(dir, `${process.pid}.log`)) : createLogger('silent');
}

export const keyFileIn = (dir: string) => join(dir, 'root.key');
