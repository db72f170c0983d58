/**
 * Staff accounts and sessions for tests. `createStaff` makes an account ready to sign in (its
 * one-time password already replaced by a permanent one, so its sessions start 'active');
 * `signIn` signs it in over HTTP and returns the cookie and CSRF token. TOTP codes are good once
 * per 30-second step (the server refuses a step at or before the last one used), so this module
 * hands out each account's steps in order: t−1 (when not near its end), t, t+1, and only then
 * waits for the clock. Three sign-ins of one account within 30 s never wait.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { hashPassword, totpCodeForStep, totpStep } from '../../src/crypto/index.ts';
import type { Role } from '../../src/domain/roles.ts';
import { TERMS_VERSION } from '../../src/domain/terms.ts';
import { createAccount } from '../../src/services/accounts.service.ts';
import type { AppContext } from '../../src/services/app-context.ts';

export interface StaffCredentials {
  readonly id: string;
  readonly username: string;
  /** The permanent password (the one-time one was replaced). */
  readonly password: string;
  readonly totpSecret: string;
  readonly role: Role;
  readonly jurisdiction: string;
}

export interface StaffSessionHandle {
  /** `ev_session=<token>`: pass as the `cookie` header. */
  readonly cookie: string;
  readonly csrfToken: string;
  readonly account: Record<string, unknown>;
}

export interface CreateStaffOptions {
  readonly role: Role;
  /** Division code (11 or 110000 = Beijing, 110105 = Chaoyang…). */
  readonly jurisdiction: string;
  readonly username?: string;
  /** Accept the current confidentiality terms at once (default false). */
  readonly termsAccepted?: boolean;
  /** Keep the one-time password and the forced change (default false): `password` is then the one-time one. */
  readonly mustChangePassword?: boolean;
}

/** A new account through the accounts service (audited like `epivault user add`). */
export async function createStaff(ctx: AppContext, options: CreateStaffOptions): Promise<StaffCredentials> {
  const username = options.username ?? `${options.role.replaceAll('_', '-')}-${randomBytes(4).toString('hex')}`;
  const { account, enrolment } = await createAccount(ctx, { username, role: options.role, jurisdiction: options.jurisdiction });
  let password = enrolment.password;
  const at = new Date().toISOString();
  if (!options.mustChangePassword) {
    password = `perm ${randomBytes(12).toString('base64url')}`;
    await ctx.store.staff.setPassword(account.id, await hashPassword(password), false, at);
  }
  if (options.termsAccepted) await ctx.store.staff.acceptTerms(account.id, TERMS_VERSION, at);
  return { id: account.id, username: account.username, password, totpSecret: enrolment.totpSecret, role: account.role, jurisdiction: account.jurisdiction };
}

const lastStep = new Map<string, number>();
const STEP_MS = 30_000;

/**
 * A TOTP code the server will accept for this account now: a step in the ±1 window after the
 * last one handed out (waiting for the clock if all three are used). Records the step as used.
 */
export async function nextTotpCode(creds: Pick<StaffCredentials, 'username' | 'totpSecret'>): Promise<string> {
  for (;;) {
    const now = Date.now();
    const current = totpStep(now);
    const key = `${creds.username}/${creds.totpSecret}`;
    const used = lastStep.get(key) ?? -Infinity;
    // t−1 only with 3 s to spare: the server must still see it inside its window.
    const candidates = (now % STEP_MS < STEP_MS - 3000 ? [current - 1] : []).concat([current, current + 1]);
    const step = candidates.find((s) => s > used);
    if (step !== undefined) {
      lastStep.set(key, step);
      return totpCodeForStep(creds.totpSecret, step);
    }
    await new Promise((r) => setTimeout(r, STEP_MS - (now % STEP_MS) + 50));
  }
}

/** The `ev_session` cookie set by a response, as a `cookie` request header value, or undefined. */
export function sessionCookieOf(headers: Record<string, unknown>): string | undefined {
  const raw = headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [String(raw)];
  const c = list.map(String).find((v) => v.startsWith('ev_session='));
  return c ? c.split(';')[0] : undefined;
}

/** Signs in over HTTP (POST /api/auth/login); fails the test unless it answers 200. */
export async function signIn(app: FastifyInstance, creds: Pick<StaffCredentials, 'username' | 'password' | 'totpSecret'>): Promise<StaffSessionHandle> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: creds.username, password: creds.password, totp: await nextTotpCode(creds) } });
  assert.equal(res.statusCode, 200, `sign-in of ${creds.username}: ${res.body}`);
  const cookie = sessionCookieOf(res.headers);
  assert.ok(cookie, 'the sign-in response sets ev_session');
  const body = res.json() as { csrfToken: string; account: Record<string, unknown> };
  return { cookie, csrfToken: body.csrfToken, account: body.account };
}

/** Headers of a signed-in request: cookie, CSRF token, and the purpose when given. */
export function staffHeaders(session: Pick<StaffSessionHandle, 'cookie' | 'csrfToken'>, purpose?: string): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken, ...(purpose ? { 'x-epivault-purpose': purpose } : {}) };
}

/** Accepts the current confidentiality terms over HTTP. */
export async function acceptTerms(app: FastifyInstance, session: Pick<StaffSessionHandle, 'cookie' | 'csrfToken'>): Promise<void> {
  const terms = await app.inject({ method: 'GET', url: '/api/terms', headers: staffHeaders(session) });
  assert.equal(terms.statusCode, 200, terms.body);
  const res = await app.inject({ method: 'POST', url: '/api/terms/accept', headers: staffHeaders(session), payload: { version: (terms.json() as { version: string }).version } });
  assert.equal(res.statusCode, 200, res.body);
}
