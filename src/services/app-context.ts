import { userInfo } from 'node:os';
import type { Config } from '../config/config.ts';
import { auditLogHashing } from '../audit/leaf.ts';
import type { TracingSettings } from '../tracing/settings.ts';
import { openDatabase, parseDatabaseUrl, Store } from '../storage/store.ts';
import type { DatabaseTarget } from '../storage/store.ts';
import { AuditGroupWriter } from './audit.service.ts';
import type { Actor } from './audit.service.ts';
import { adoptLegacyAuditEvents } from './audit-log.service.ts';
import { loadKeySet, openKeyring } from './keys.service.ts';
import type { KeySet } from './keys.service.ts';
import { createLogger } from './logger.ts';
import type { Logger } from './logger.ts';

/** Settings of the deployment the services read (from the configuration, src/config/config.ts). */
export interface AppSettings {
  /** Discovery window and quarantine length (EPIVAULT_DISCOVERY_* / EPIVAULT_QUARANTINE_*). */
  readonly tracing: TracingSettings;
  /** How long a reveal grant shows a field (EPIVAULT_REVEAL_MINUTES): also the call reveal of a quarantine. */
  readonly revealMinutes: number;
}

/** What every service call needs: the store, the unwrapped column keys, who is acting, a logger, the settings. */
export interface AppContext {
  readonly store: Store;
  readonly keys: KeySet;
  readonly actor: Actor;
  readonly logger: Logger;
  /** Group-committing audit writer for the events of reads (services/audit.service.ts). */
  readonly auditWriter: AuditGroupWriter;
  readonly settings: AppSettings;
  close(): Promise<void>;
}

/** The command line acts as `system:cli:<operating-system user>`. */
export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return { id: `system:cli:${user}`, role: 'system' };
}

export interface OpenOptions {
  readonly actor?: Actor;
  readonly logger?: Logger;
  readonly target?: DatabaseTarget;
}

/** Opens the database (migrating it), the root keyring and the column keys. */
export async function openApp(config: Config, options: OpenOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const keyring = openKeyring(config.keyFile);
  const target = options.target ?? parseDatabaseUrl(config.databaseUrl);
  const store = new Store(await openDatabase(target, { sqlite: { cacheMiB: config.sqliteCacheMiB, mmapMiB: config.sqliteMmapMiB } }), { auditHashing: auditLogHashing });
  try {
    const keys = await loadKeySet(store, keyring);
    await adoptLegacyAuditEvents(store);
    return { store, keys, actor: options.actor ?? cliActor(), logger, auditWriter: new AuditGroupWriter(store, keys),
      settings: { tracing: config.tracing, revealMinutes: config.revealMinutes }, close: () => store.close() };
  } catch (e) {
    await store.close();
    throw e;
  }
}
