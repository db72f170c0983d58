import {
  constantTimeEqualText, csrfTokenFor, dummyVerifyPassword, hashPassword, isSessionTokenShape, newSessionToken, sessionTokenHash,
  throttleKey, verifyPassword, verifyTotp,
} from '../crypto/index.ts';
import type { Role } from '../domain/roles.ts';
import { isValidUsername, normalizeUsername } from '../domain/staff-account.ts';
import { TERMS_TEXT, TERMS_VERSION } from '../domain/terms.ts';
import type { TermsText } from '../domain/terms.ts';
import type { Repositories } from '../storage/store.ts';
import type { LoginThrottleRow, StaffAccountRow, StaffSessionRow } from '../storage/staff.repository.ts';
import { assertPasswordPolicy, openTotpSecret } from './accounts.service.ts';
import type { AppContext } from './app-context.ts';
import { appendAudit } from './audit.service.ts';
import type { Actor } from './audit.service.ts';
import { ServiceError, ThrottledError } from './errors.ts';
import { forgetAccountSessions, sessionCacheOf } from './session-cache.ts';
import type { StaffActor } from './staff-context.ts';

/**
 * Staff sign-in and sessions (issue #3; docs/STAFF-API.md, docs/THREAT-MODEL.md "Staff sign-in").
 *
 * Sign-in takes username, password and a TOTP code and answers one message for every failure,
 * after the same work whether or not the username exists (an unknown name runs a dummy Argon2id
 * verification). Failures are counted per keyed MAC of the lower-cased username and per client
 * address: each failure doubles the wait before the next attempt is heard (250 ms, 500 ms, … up to
 * a minute), and the 10th failure in a row locks the username for 15 minutes. A TOTP code is good
 * once: its time step must be later than the last one accepted, set atomically with the sign-in.
 *
 * A session is a random 256-bit token in the cookie and its SHA-256 in `staff_sessions`; it ends
 * after 30 minutes without a request or 12 hours after sign-in (configurable), at sign-out, on a
 * password change (which starts a new session) and when the account is disabled or reset.
 */
export type SessionStage = 'active' | 'password_change';

export interface SessionPolicy {
  readonly idleMinutes: number;
  readonly maxHours: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 30, maxHours: 12 };

export const SIGN_IN_THROTTLE = {
  /** Wait after the first failure; doubles with each further one. */
  baseDelayMs: 250,
  maxDelayMs: 60_000,
  /** The username is locked after this many failures in a row… */
  lockAfter: 10,
  /** …for this long. */
  lockMinutes: 15,
  /** Failures older than this (since the last one) are forgotten. */
  forgetUsernameHours: 24,
  /** A client address is slowed only after this many failures (password spraying over many usernames); never locked. */
  addressFreeFailures: 20,
  forgetAddressHours: 1,
} as const;

/** Touch `last_seen_at` at most this often (one write per minute per session, not per request). */
export const TOUCH_INTERVAL_MS = 60_000;

export interface SignInInput {
  readonly username: string;
  readonly password: string;
  readonly totp: string;
  /** The client's address (throttling of password spraying); never stored in clear. */
  readonly address?: string | null;
  readonly requestId?: string | null;
}

/** A session as the HTTP layer holds it for one request. */
export interface StaffSession {
  /** The cookie value. */
  readonly token: string;
  readonly actor: StaffActor;
  readonly stage: SessionStage;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly demo: boolean;
}

const AUTHENTICATION = 'authentication';
const SIGN_IN_FAILED = () => new ServiceError('ERR_AUTH', 'sign-in failed');
const ANONYMOUS: Actor = { id: 'anonymous', role: 'anonymous' };
const addMs = (d: Date, ms: number) => new Date(d.getTime() + ms);
const actorOf = (a: StaffAccountRow): Actor => ({ id: a.id, role: a.role });

function staffActor(a: StaffAccountRow, termsAccepted: boolean): StaffActor {
  return { id: a.id, role: a.role as Role, username: a.username, jurisdiction: a.jurisdiction_code, termsAccepted };
}

/** Milliseconds until a throttled key may try again (0: now). */
export function throttleWaitMs(row: LoginThrottleRow | undefined, now: Date, kind: 'username' | 'address'): number {
  if (!row) return 0;
  const t = SIGN_IN_THROTTLE;
  const forget = (kind === 'username' ? t.forgetUsernameHours : t.forgetAddressHours) * 3_600_000;
  const last = Date.parse(row.updated_at);
  if (now.getTime() - last >= forget) return 0;
  let wait = 0;
  if (kind === 'username' && row.locked_until) wait = Date.parse(row.locked_until) - now.getTime();
  const counted = kind === 'username' ? row.failures : row.failures - t.addressFreeFailures;
  if (counted > 0) wait = Math.max(wait, last + Math.min(t.maxDelayMs, t.baseDelayMs * 2 ** Math.min(counted - 1, 30)) - now.getTime());
  return Math.max(0, wait);
}

function keysOf(ctx: AppContext, username: string, address: string | null | undefined) {
  return {
    user: throttleKey(ctx.keys.staffAuth, 'username', username),
    address: address ? throttleKey(ctx.keys.staffAuth, 'address', address) : null,
  };
}

async function throttleWait(ctx: AppContext, keys: ReturnType<typeof keysOf>, now: Date): Promise<number> {
  const user = throttleWaitMs(await ctx.store.staff.throttle(keys.user), now, 'username');
  const address = keys.address ? throttleWaitMs(await ctx.store.staff.throttle(keys.address), now, 'address') : 0;
  return Math.max(user, address);
}

async function recordFailure(repos: Repositories, keys: ReturnType<typeof keysOf>, now: Date): Promise<void> {
  const at = now.toISOString();
  const t = SIGN_IN_THROTTLE;
  const failures = await repos.staff.recordFailure(keys.user, at, addMs(now, -t.forgetUsernameHours * 3_600_000).toISOString());
  if (failures >= t.lockAfter) await repos.staff.lock(keys.user, addMs(now, t.lockMinutes * 60_000).toISOString());
  if (keys.address) await repos.staff.recordFailure(keys.address, at, addMs(now, -t.forgetAddressHours * 3_600_000).toISOString());
}

async function newSession(repos: Repositories, ctx: AppContext, account: StaffAccountRow, stage: SessionStage, now: Date, expiresAt: Date): Promise<StaffSession> {
  const token = newSessionToken();
  const at = now.toISOString();
  await repos.staff.insertSession({ id_hash: sessionTokenHash(token), account_id: account.id, stage, created_at: at, last_seen_at: at, expires_at: expiresAt.toISOString(), ended_at: null });
  const termsAccepted = await repos.staff.hasAcceptedTerms(account.id, TERMS_VERSION);
  return { token, actor: staffActor(account, termsAccepted), stage, csrfToken: csrfTokenFor(ctx.keys.staffAuth, token), createdAt: at, expiresAt: expiresAt.toISOString(), demo: account.demo === 1 };
}

type Verdict = { ok: true; step: number } | { ok: false; reason: string };

/** Password, TOTP and account state, checked with the same work for every account state. */
async function checkCredentials(ctx: AppContext, account: StaffAccountRow, input: SignInInput, now: Date): Promise<Verdict> {
  const passwordOk = await verifyPassword(account.password_hash, input.password);
  const secret = openTotpSecret(ctx.keys, account.id, account.totp_sealed);
  const step = await verifyTotp(secret, input.totp, now.getTime(), { afterStep: account.totp_last_step });
  if (!passwordOk) return { ok: false, reason: 'wrong_password' };
  if (step === null) {
    const replay = account.totp_last_step !== null && (await verifyTotp(secret, input.totp, now.getTime())) !== null;
    return { ok: false, reason: replay ? 'totp_replay' : 'wrong_totp' };
  }
  if (account.disabled_at !== null) return { ok: false, reason: 'disabled' };
  return { ok: true, step };
}

/**
 * Signs in; returns the new session. Every failure throws ERR_AUTH "sign-in failed" (or
 * ERR_THROTTLED with the seconds to wait) and writes an audit event naming the account only if it
 * exists, never the typed username or any secret.
 */
export async function signIn(ctx: AppContext, input: SignInInput, now = new Date(), policy: SessionPolicy = DEFAULT_SESSION_POLICY): Promise<StaffSession> {
  const username = normalizeUsername(String(input.username ?? ''));
  const keys = keysOf(ctx, username, input.address);
  const at = now.toISOString();
  const wait = await throttleWait(ctx, keys, now);
  const account = isValidUsername(username) ? await ctx.store.staff.accountByUsername(username) : undefined;
  const audit = (repos: Repositories, outcome: 'success' | 'failure' | 'denied', reason: string | null) =>
    appendAudit(repos, ctx.keys, account ? actorOf(account) : ANONYMOUS, { action: 'auth.login', resourceType: 'staff_account', resourceId: account?.id ?? null, purpose: AUTHENTICATION, reason, outcome, requestId: input.requestId ?? null }, at);

  if (wait > 0) {
    await ctx.store.transaction((repos) => audit(repos, 'denied', 'throttled'));
    throw new ThrottledError(Math.ceil(wait / 1000));
  }
  let verdict: Verdict = { ok: false, reason: 'unknown_account' };
  if (account) verdict = await checkCredentials(ctx, account, input, now);
  else await dummyVerifyPassword(String(input.password ?? ''));

  if (account && verdict.ok) {
    const step = verdict.step;
    const session = await ctx.store.transaction(async (repos) => {
      // Atomic with the session: of two sign-ins with the same code, one wins.
      if ((await repos.staff.advanceTotpStep(account.id, step)) !== 1) return null;
      await repos.staff.clearThrottle(keys.user);
      const s = await newSession(repos, ctx, account, account.must_change_password === 1 ? 'password_change' : 'active', now, addMs(now, policy.maxHours * 3_600_000));
      await audit(repos, 'success', null);
      return s;
    });
    if (session) return session;
    verdict = { ok: false, reason: 'totp_replay' };
  }
  const reason = verdict.ok ? 'unknown' : verdict.reason;
  await ctx.store.transaction(async (repos) => {
    await recordFailure(repos, keys, now);
    await audit(repos, 'failure', reason);
  });
  throw SIGN_IN_FAILED();
}

/**
 * The session of a cookie value, or null if there is none, it ended, it timed out (idle or
 * absolute; it is then ended) or its account is disabled. Touches `last_seen_at` at most once a
 * minute.
 *
 * The session row, its account and the terms acceptance are kept in memory for
 * SESSION_CACHE_TTL_MS (session-cache.ts): a request within that time reads nothing. Idle and
 * absolute expiry are still judged on every request, against the cached times; a session the cache
 * shows as expired is looked up again before it is ended. Changes made through this process drop
 * the cached entries at once (signOut, changePassword, acceptTerms, forgetAccountSessions).
 */
export async function resumeSession(ctx: AppContext, token: unknown, now = new Date(), policy: SessionPolicy = DEFAULT_SESSION_POLICY): Promise<StaffSession | null> {
  if (!isSessionTokenShape(token)) return null;
  const idHash = sessionTokenHash(token);
  const key = idHash.toString('hex');
  const cache = sessionCacheOf(ctx.store);
  const cached = cache.get(key);
  if (cached && cached.session.token === token && cached.termsVersion === TERMS_VERSION && isLive(cached.row, now, policy)) {
    if (now.getTime() - Date.parse(cached.row.last_seen_at) >= TOUCH_INTERVAL_MS) {
      const at = now.toISOString();
      cache.touch(key, { ...cached.row, last_seen_at: at });
      await ctx.store.staff.touchSession(idHash, at);
    }
    return cached.session;
  }
  const generation = cache.generation();
  const row = await ctx.store.staff.sessionByHash(idHash);
  if (!row || row.ended_at !== null) return null;
  const at = now.toISOString();
  const account = await ctx.store.staff.accountById(row.account_id);
  if (!isLive(row, now, policy) || !account || account.disabled_at !== null) {
    await ctx.store.staff.endSession(idHash, at);
    cache.forgetSession(key);
    return null;
  }
  let current = row;
  if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_INTERVAL_MS) {
    await ctx.store.staff.touchSession(idHash, at);
    current = { ...row, last_seen_at: at };
  }
  const termsAccepted = await ctx.store.staff.hasAcceptedTerms(account.id, TERMS_VERSION);
  const session: StaffSession = Object.freeze({
    token, actor: Object.freeze(staffActor(account, termsAccepted)), stage: row.stage === 'active' ? 'active' : 'password_change',
    csrfToken: csrfTokenFor(ctx.keys.staffAuth, token), createdAt: row.created_at, expiresAt: row.expires_at, demo: account.demo === 1,
  });
  cache.put(key, { session, row: current, termsVersion: TERMS_VERSION }, generation);
  return session;
}

/** Neither ended, nor past its absolute expiry, nor idle for longer than the policy allows, at `now`. */
function isLive(row: StaffSessionRow, now: Date, policy: SessionPolicy): boolean {
  return row.ended_at === null && now.getTime() < Date.parse(row.expires_at) && now.getTime() - Date.parse(row.last_seen_at) <= policy.idleMinutes * 60_000;
}

/** Whether a presented `x-csrf-token` is the session's (constant-time; the session's token was computed under the staff-auth key). */
export function csrfValid(session: StaffSession, presented: unknown): boolean {
  return constantTimeEqualText(session.csrfToken, presented);
}

/** Ends the session (sign-out). */
export async function signOut(ctx: AppContext, session: StaffSession, requestId: string | null = null, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await ctx.store.transaction(async (repos) => {
    await repos.staff.endSession(sessionTokenHash(session.token), at);
    await appendAudit(repos, ctx.keys, session.actor, { action: 'auth.logout', resourceType: 'staff_account', resourceId: session.actor.id, purpose: AUTHENTICATION, outcome: 'success', requestId }, at);
  });
  sessionCacheOf(ctx.store).forgetSession(sessionTokenHash(session.token).toString('hex'));
}

/**
 * Changes the password of the session's account (the forced change after `user add`/`reset`,
 * or any time). The current password must be right (a wrong one counts as a sign-in failure),
 * the new one must pass the policy and differ. Every session of the account ends, and a new
 * active one replaces this one (same absolute expiry): the caller sets the new cookie.
 */
export async function changePassword(ctx: AppContext, session: StaffSession, currentPassword: string, newPassword: string, requestId: string | null = null, now = new Date()): Promise<StaffSession> {
  const at = now.toISOString();
  const account = await ctx.store.staff.accountById(session.actor.id);
  if (!account || account.disabled_at !== null) throw new ServiceError('ERR_AUTH', 'not signed in');
  const keys = keysOf(ctx, account.username, null);
  const wait = await throttleWait(ctx, keys, now);
  if (wait > 0) throw new ThrottledError(Math.ceil(wait / 1000));
  const audit = (repos: Repositories, outcome: 'success' | 'failure', reason: string | null) =>
    appendAudit(repos, ctx.keys, session.actor, { action: 'auth.password_change', resourceType: 'staff_account', resourceId: account.id, purpose: AUTHENTICATION, reason, outcome, requestId }, at);
  if (!(await verifyPassword(account.password_hash, String(currentPassword ?? '')))) {
    await ctx.store.transaction(async (repos) => {
      await recordFailure(repos, keys, now);
      await audit(repos, 'failure', 'wrong_password');
    });
    throw new ServiceError('ERR_VALIDATION', 'the current password is not correct', 'currentPassword');
  }
  assertPasswordPolicy(newPassword, account.username, 'newPassword');
  if (newPassword.normalize('NFKC') === String(currentPassword).normalize('NFKC')) {
    throw new ServiceError('ERR_VALIDATION', 'the new password must differ from the current one', 'newPassword');
  }
  const hash = await hashPassword(newPassword);
  try {
    return await ctx.store.transaction(async (repos) => {
      await repos.staff.setPassword(account.id, hash, false, at);
      await repos.staff.endSessionsOfAccount(account.id, at);
      await repos.staff.clearThrottle(keys.user);
      const fresh = await newSession(repos, ctx, { ...account, must_change_password: 0 }, 'active', now, new Date(session.expiresAt));
      await audit(repos, 'success', null);
      return fresh;
    });
  } finally {
    forgetAccountSessions(ctx, account.id);
  }
}

export interface CurrentTerms {
  readonly version: string;
  readonly text: TermsText;
  readonly accepted: boolean;
}

/** The confidentiality terms in force, and whether this account has accepted them. */
export function currentTerms(actor: StaffActor): CurrentTerms {
  return { version: TERMS_VERSION, text: TERMS_TEXT, accepted: actor.termsAccepted };
}

/** Accepts the terms of `version`, which must be the current one (a stale page is refused). */
export async function acceptTerms(ctx: AppContext, actor: StaffActor, version: string, requestId: string | null = null, now = new Date()): Promise<CurrentTerms> {
  if (version !== TERMS_VERSION) throw new ServiceError('ERR_CONFLICT', 'these are not the current terms; read the current version and accept it', 'version');
  const at = now.toISOString();
  await ctx.store.transaction(async (repos) => {
    await repos.staff.acceptTerms(actor.id, version, at);
    await appendAudit(repos, ctx.keys, actor, { action: 'terms.accept', resourceType: 'terms', resourceId: version, purpose: AUTHENTICATION, outcome: 'success', requestId }, at);
  });
  forgetAccountSessions(ctx, actor.id);
  return { version, text: TERMS_TEXT, accepted: true };
}
