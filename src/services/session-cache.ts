import type { StaffSessionRow } from '../storage/staff.repository.ts';
import type { StaffSession } from './session.service.ts';

/**
 * How long a resumed session (its row, account and terms acceptance) is reused without reading the
 * database again. Changes made in this process (sign-out, password change, terms acceptance, a
 * disabled or reset account) drop the cached entries at once; a change made by another process
 * (`epivault user disable` or `reset` from the command line, another server on the same database)
 * is seen within this time. Idle and absolute expiry are judged exactly on every request.
 */
export const SESSION_CACHE_TTL_MS = 2_000;

/** At most this many sessions are kept; the oldest entries go first. */
export const SESSION_CACHE_MAX = 10_000;

/** One resumed session as the cache holds it. */
export interface CachedSession {
  readonly session: StaffSession;
  /** The row as last read or written by this process (`last_seen_at` is kept current here). */
  readonly row: StaffSessionRow;
  /** `performance.now()` when the database was read. */
  readonly loadedAt: number;
  /** The confidentiality terms version `session.actor.termsAccepted` was judged against. */
  readonly termsVersion: string;
}

/**
 * The in-process cache of resumed staff sessions, keyed by the hex SHA-256 of the session token
 * (the value `staff_sessions.id_hash` holds; the token itself is never a key).
 *
 * A load that races with a change must not put the old state back: `generation()` is read before
 * the database is, `put` stores only if no invalidation happened in between, and every
 * invalidation is made after the change has committed.
 */
export class SessionCache {
  readonly #entries = new Map<string, CachedSession>();
  #generation = 0;

  constructor(
    readonly ttlMs: number = SESSION_CACHE_TTL_MS,
    private readonly max: number = SESSION_CACHE_MAX,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The current generation: pass it to `put` after loading. */
  generation(): number {
    return this.#generation;
  }

  /** The entry of a session if it was loaded less than the TTL ago. */
  get(key: string): CachedSession | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.clock() - entry.loadedAt >= this.ttlMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Stores a freshly loaded session, unless an invalidation happened since `generation` was read. */
  put(key: string, entry: Omit<CachedSession, 'loadedAt'>, generation: number, loadedAt = this.clock()): void {
    if (generation !== this.#generation) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.max) this.evict();
    this.#entries.set(key, { ...entry, loadedAt });
  }

  /** Replaces an entry's row (a touch of `last_seen_at`), keeping its load time. */
  touch(key: string, row: StaffSessionRow): void {
    const entry = this.#entries.get(key);
    if (entry) this.#entries.set(key, { ...entry, row });
  }

  /** Drops one session (sign-out, expiry). */
  forgetSession(key: string): void {
    this.#generation++;
    this.#entries.delete(key);
  }

  /** Drops every session of an account (password change, terms accepted, account disabled or reset). */
  forgetAccount(accountId: string): void {
    this.#generation++;
    for (const [key, entry] of this.#entries) if (entry.session.actor.id === accountId) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Drops expired entries, and the oldest ones if that is not enough. */
  private evict(): void {
    const now = this.clock();
    for (const [key, entry] of this.#entries) if (now - entry.loadedAt >= this.ttlMs) this.#entries.delete(key);
    while (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

const caches = new WeakMap<object, SessionCache>();

/** The session cache of one database (one per Store object, so two contexts on two databases never share one). */
export function sessionCacheOf(store: object): SessionCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = new SessionCache();
    caches.set(store, cache);
  }
  return cache;
}

/**
 * Drops the cached sessions of an account, at once: call it after a change to the account (disabled,
 * reset, password changed, terms accepted) has committed.
 */
export function forgetAccountSessions(ctx: { readonly store: object }, accountId: string): void {
  sessionCacheOf(ctx.store).forgetAccount(accountId);
}
