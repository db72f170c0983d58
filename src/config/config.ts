import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Configuration, parsed and validated at start (flags win over the environment). */
export interface Config {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly keyFile: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly host: string;
  readonly port: number;
  /** How often the server writes a signed audit checkpoint when the log has grown. */
  readonly checkpointIntervalMinutes: number;
}

const schema = z.object({
  dataDir: z.string().min(1, 'data directory must not be empty'),
  databaseUrl: z.string().min(1).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  checkpointIntervalMinutes: z.coerce.number().min(0.1).max(24 * 60).default(10),
});

export interface ConfigInput {
  data?: string;
  db?: string;
  host?: string;
  port?: string | number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads flags and `EPIVAULT_*` variables; throws ConfigError naming the bad setting. */
export function loadConfig(input: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse({
    dataDir: input.data ?? env.EPIVAULT_DATA_DIR ?? './data',
    databaseUrl: input.db ?? env.EPIVAULT_DATABASE_URL,
    logLevel: env.EPIVAULT_LOG_LEVEL ?? undefined,
    host: input.host ?? env.EPIVAULT_HOST ?? undefined,
    port: input.port ?? env.EPIVAULT_PORT ?? undefined,
    checkpointIntervalMinutes: env.EPIVAULT_CHECKPOINT_MINUTES ?? undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const dataDir = resolve(parsed.data.dataDir);
  return {
    dataDir,
    databaseUrl: parsed.data.databaseUrl ?? join(dataDir, 'epivault.db'),
    keyFile: env.EPIVAULT_ROOT_KEY_FILE ? resolve(env.EPIVAULT_ROOT_KEY_FILE) : join(dataDir, 'root.key'),
    logLevel: parsed.data.logLevel,
    host: parsed.data.host,
    port: parsed.data.port,
    checkpointIntervalMinutes: parsed.data.checkpointIntervalMinutes,
  };
}
