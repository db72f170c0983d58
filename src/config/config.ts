import { join, resolve } from 'node:path';
import { z } from 'zod';
import { TRACING_SETTING_ENV, TracingSettingsSchema } from '../tracing/settings.ts';
import type { TracingSettingPath, TracingSettings } from '../tracing/settings.ts';

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
  /** How long a reveal grant shows one field of one record in clear (EPIVAULT_REVEAL_MINUTES, default 15). */
  readonly revealMinutes: number;
  /** How long a break-glass grant opens an unassigned case (EPIVAULT_BREAK_GLASS_HOURS, default 4). */
  readonly breakGlassHours: number;
  /** Staff sessions end after this long without a request (EPIVAULT_SESSION_IDLE_MINUTES, default 30). */
  readonly sessionIdleMinutes: number;
  /** Staff sessions end this long after sign-in whatever happens (EPIVAULT_SESSION_MAX_HOURS, default 12). */
  readonly sessionMaxHours: number;
  /** PEM certificate and key files for HTTPS (EPIVAULT_TLS_CERT / EPIVAULT_TLS_KEY, or --tls-cert/--tls-key). */
  readonly tlsCert: string | null;
  readonly tlsKey: string | null;
  /** SQLite page cache per connection, MiB (EPIVAULT_SQLITE_CACHE_MIB, default 64). */
  readonly sqliteCacheMiB: number;
  /** SQLite memory map of the database file, MiB (EPIVAULT_SQLITE_MMAP_MIB, default 0: none). */
  readonly sqliteMmapMiB: number;
  /**
   * Contact tracing: the discovery window and the quarantine length (src/tracing/settings.ts), each
   * from its EPIVAULT_DISCOVERY_* / EPIVAULT_QUARANTINE_* variable (TRACING_SETTING_ENV), else its default.
   */
  readonly tracing: TracingSettings;
  /** How often the server recomputes the risk statuses time alone may change (EPIVAULT_RISK_REFRESH_MINUTES, default 60). */
  readonly riskRefreshMinutes: number;
}

const schema = z.object({
  dataDir: z.string().min(1, 'data directory must not be empty'),
  databaseUrl: z.string().min(1).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  checkpointIntervalMinutes: z.coerce.number().min(0.1).max(24 * 60).default(10),
  revealMinutes: z.coerce.number().min(1).max(24 * 60).default(15),
  breakGlassHours: z.coerce.number().min(0.1).max(72).default(4),
  sessionIdleMinutes: z.coerce.number().min(1).max(24 * 60).default(30),
  sessionMaxHours: z.coerce.number().min(0.1).max(7 * 24).default(12),
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  sqliteCacheMiB: z.coerce.number().int().min(2).max(1024 * 1024).default(64),
  sqliteMmapMiB: z.coerce.number().int().min(0).max(1024 * 1024).default(0),
  riskRefreshMinutes: z.coerce.number().min(1).max(24 * 60).default(60),
});

export interface ConfigInput {
  data?: string;
  db?: string;
  host?: string;
  port?: string | number;
  tlsCert?: string;
  tlsKey?: string;
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
    revealMinutes: env.EPIVAULT_REVEAL_MINUTES ?? undefined,
    breakGlassHours: env.EPIVAULT_BREAK_GLASS_HOURS ?? undefined,
    sessionIdleMinutes: env.EPIVAULT_SESSION_IDLE_MINUTES ?? undefined,
    sessionMaxHours: env.EPIVAULT_SESSION_MAX_HOURS ?? undefined,
    tlsCert: input.tlsCert ?? env.EPIVAULT_TLS_CERT ?? undefined,
    tlsKey: input.tlsKey ?? env.EPIVAULT_TLS_KEY ?? undefined,
    sqliteCacheMiB: env.EPIVAULT_SQLITE_CACHE_MIB ?? undefined,
    sqliteMmapMiB: env.EPIVAULT_SQLITE_MMAP_MIB ?? undefined,
    riskRefreshMinutes: env.EPIVAULT_RISK_REFRESH_MINUTES ?? undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  if (Boolean(parsed.data.tlsCert) !== Boolean(parsed.data.tlsKey)) {
    throw new ConfigError('invalid setting tls: give both a certificate (EPIVAULT_TLS_CERT or --tls-cert) and its key (EPIVAULT_TLS_KEY or --tls-key)');
  }
  const tracing = tracingFromEnv(env);
  const dataDir = resolve(parsed.data.dataDir);
  return {
    dataDir,
    databaseUrl: parsed.data.databaseUrl ?? join(dataDir, 'epivault.db'),
    keyFile: env.EPIVAULT_ROOT_KEY_FILE ? resolve(env.EPIVAULT_ROOT_KEY_FILE) : join(dataDir, 'root.key'),
    logLevel: parsed.data.logLevel,
    host: parsed.data.host,
    port: parsed.data.port,
    checkpointIntervalMinutes: parsed.data.checkpointIntervalMinutes,
    revealMinutes: parsed.data.revealMinutes,
    breakGlassHours: parsed.data.breakGlassHours,
    sessionIdleMinutes: parsed.data.sessionIdleMinutes,
    sessionMaxHours: parsed.data.sessionMaxHours,
    tlsCert: parsed.data.tlsCert ? resolve(parsed.data.tlsCert) : null,
    tlsKey: parsed.data.tlsKey ? resolve(parsed.data.tlsKey) : null,
    sqliteCacheMiB: parsed.data.sqliteCacheMiB,
    sqliteMmapMiB: parsed.data.sqliteMmapMiB,
    tracing,
    riskRefreshMinutes: parsed.data.riskRefreshMinutes,
  };
}

/**
 * The tracing settings from their variables (unset ones take the defaults), validated by the
 * settings' own schema; a bad value throws a ConfigError naming the variable and the setting.
 */
function tracingFromEnv(env: NodeJS.ProcessEnv): TracingSettings {
  const overrides: Record<string, Record<string, unknown>> = {};
  for (const [path, name] of Object.entries(TRACING_SETTING_ENV) as [TracingSettingPath, string][]) {
    const raw = env[name];
    if (raw === undefined) continue;
    const [group, key] = path.split('.') as [string, string];
    // A number written as digits only: "", "7d" or "0x10" stay strings and are refused as not numbers.
    (overrides[group] ??= {})[key] = /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  }
  const parsed = TracingSettingsSchema.safeParse(overrides);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).join('.');
    const name = TRACING_SETTING_ENV[path as TracingSettingPath];
    throw new ConfigError(`invalid setting ${name ?? 'tracing'} (tracing.${path}): ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
