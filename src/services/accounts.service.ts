import { readFileSync } from 'node:fs';
import { generateTotpSecret, hashPassword, open, randomId, randomPassword, seal, throttleKey, totpUri } from '../crypto/index.ts';
import { divisionName } from '../domain/divisions.ts';
import { jurisdictionPrefix } from '../domain/jurisdiction.ts';
import { checkPassword, parsePasswordList } from '../domain/password-policy.ts';
import { isRole } from '../domain/roles.ts';
import type { Role } from '../domain/roles.ts';
import { isValidUsername, normalizeUsername, USERNAME_RULE } from '../domain/staff-account.ts';
import type { Repositories } from '../storage/store.ts';
import type { StaffAccountRow } from '../storage/staff.repository.ts';
import type { Config } from '../config/config.ts';
import { openApp } from './app-context.ts';
import type { AppContext } from './app-context.ts';
import { appendAudit } from './audit.service.ts';
import type { Actor } from './audit.service.ts';
import { notFound, ServiceError } from './errors.ts';
import type { KeySet } from './keys.service.ts';
import { forgetAccountSessions } from './session-cache.ts';

/**
 * Staff accounts (issue #3): created, disabled and reset by an operator (`epivault user …`), each
 * change audited in its own transaction with purpose `administration`. A new or reset account gets
 * a random one-time password, which must be changed at the first sign-in, and a new TOTP secret;
 * both are returned once, to be handed over, and never stored in clear (Argon2id hash; secret
 * sealed under the staff-TOTP key, bound to the account's row).
 */
export interface AccountSummary {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  /** Canonical division-tree code (docs: src/domain/jurisdiction.ts). */
  readonly jurisdiction: string;
  readonly jurisdictionName: string | null;
  readonly disabled: boolean;
  readonly mustChangePassword: boolean;
  readonly demo: boolean;
  readonly createdAt: string;
}

/** What the new account's holder needs, shown once. */
export interface Enrolment {
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

export interface NewAccountInput {
  readonly username: string;
  readonly role: string;
  readonly jurisdiction: string;
  readonly demo?: boolean;
}

/** Fixed credentials, for the demo accounts only (services/demo-accounts.service.ts). */
export interface FixedCredentials {
  readonly password: string;
  readonly totpSecret: string;
  readonly mustChangePassword: boolean;
}

const ADMINISTRATION = 'administration';
const totpBinding = (accountId: string) => ({ keyId: 'system/staff-totp', table: 'staff_accounts', column: 'totp_sealed', rowId: accountId });

export function sealTotpSecret(keys: Pick<KeySet, 'staffTotp'>, accountId: string, secret: string): Buffer {
  return seal(keys.staffTotp, Buffer.from(secret, 'utf8'), totpBinding(accountId));
}

export function openTotpSecret(keys: Pick<KeySet, 'staffTotp'>, accountId: string, sealed: Uint8Array): string {
  return open(keys.staffTotp, sealed, totpBinding(accountId)).toString('utf8');
}

let common: ReadonlySet<string> | null = null;

/** The bundled common-password list (src/domain/data/common-passwords.txt), read once. */
export function commonPasswords(): ReadonlySet<string> {
  common ??= parsePasswordList(readFileSync(new URL('../domain/data/common-passwords.txt', import.meta.url), 'utf8'));
  return common;
}

/** Throws ERR_VALIDATION naming `field` if the password breaks the policy; never quotes it. */
export function assertPasswordPolicy(password: string, username: string, field = 'newPassword'): void {
  const check = checkPassword(password, username, commonPasswords());
  if (!check.ok) throw new ServiceError('ERR_VALIDATION', check.message, field);
}

export function summarize(row: StaffAccountRow): AccountSummary {
  return {
    id: row.id, username: row.username, role: row.role as Role, jurisdiction: row.jurisdiction_code,
    jurisdictionName: divisionName(row.jurisdiction_code) ?? null, disabled: row.disabled_at !== null,
    mustChangePassword: row.must_change_password === 1, demo: row.demo === 1, createdAt: row.created_at,
  };
}

function validated(input: NewAccountInput): { username: string; role: Role; jurisdiction: string } {
  const username = normalizeUsername(input.username);
  if (!isValidUsername(username)) throw new ServiceError('ERR_VALIDATION', USERNAME_RULE, 'username');
  if (!isRole(input.role)) throw new ServiceError('ERR_VALIDATION', 'unknown role', 'role');
  const jurisdiction = jurisdictionPrefix(String(input.jurisdiction ?? '').trim());
  if (!jurisdiction) throw new ServiceError('ERR_VALIDATION', 'the jurisdiction must be a known GB/T 2260 division code', 'jurisdiction');
  return { username, role: input.role, jurisdiction };
}

/**
 * Inserts an account and its audit event inside the caller's transaction. Random credentials
 * unless `fixed` is given (demo accounts only).
 */
export async function insertAccount(repos: Repositories, keys: KeySet, actor: Actor, input: NewAccountInput, now: Date, fixed?: FixedCredentials): Promise<{ account: AccountSummary; enrolment: Enrolment }> {
  const { username, role, jurisdiction } = validated(input);
  if (await repos.staff.accountByUsername(username)) throw new ServiceError('ERR_CONFLICT', 'an account with this username exists', 'username');
  const password = fixed?.password ?? randomPassword();
  const totpSecret = fixed?.totpSecret ?? generateTotpSecret();
  const id = randomId('st_');
  const at = now.toISOString();
  await repos.staff.insertAccount({
    id, username, role, jurisdiction_code: jurisdiction, password_hash: await hashPassword(password),
    must_change_password: fixed && !fixed.mustChangePassword ? 0 : 1, totp_sealed: sealTotpSecret(keys, id, totpSecret),
    totp_last_step: null, demo: input.demo ? 1 : 0, disabled_at: null, created_at: at, updated_at: at,
  });
  await appendAudit(repos, keys, actor, { action: 'account.create', resourceType: 'staff_account', resourceId: id, purpose: ADMINISTRATION, reason: `role ${role}, jurisdiction ${jurisdiction}`, outcome: 'success' }, at);
  const row = await repos.staff.accountById(id);
  return { account: summarize(row!), enrolment: { username, password, totpSecret, otpauthUri: totpUri(totpSecret, username) } };
}

/** `user add`: a new account with a one-time password and a new TOTP secret, returned once. */
export async function createAccount(ctx: AppContext, input: NewAccountInput, actor: Actor = ctx.actor, now = new Date()): Promise<{ account: AccountSummary; enrolment: Enrolment }> {
  return ctx.store.transaction((repos) => insertAccount(repos, ctx.keys, actor, input, now));
}

async function byUsername(repos: Repositories, username: string): Promise<StaffAccountRow> {
  const name = normalizeUsername(username);
  const row = isValidUsername(name) ? await repos.staff.accountByUsername(name) : undefined;
  if (!row) throw notFound();
  return row;
}

/** `user disable`: the account can no longer sign in and every open session of it ends now. */
export async function disableAccount(ctx: AppContext, username: string, actor: Actor = ctx.actor, now = new Date()): Promise<{ account: AccountSummary; sessionsEnded: number }> {
  const at = now.toISOString();
  const result = await ctx.store.transaction(async (repos) => {
    const row = await byUsername(repos, username);
    if ((await repos.staff.disableAccount(row.id, at)) === 0) throw new ServiceError('ERR_CONFLICT', 'the account is already disabled', 'username');
    const sessionsEnded = await repos.staff.endSessionsOfAccount(row.id, at);
    await appendAudit(repos, ctx.keys, actor, { action: 'account.disable', resourceType: 'staff_account', resourceId: row.id, purpose: ADMINISTRATION, outcome: 'success' }, at);
    return { account: summarize((await repos.staff.accountById(row.id))!), sessionsEnded };
  });
  // Sessions this process has cached end now too (another process's cache: within SESSION_CACHE_TTL_MS).
  forgetAccountSessions(ctx, result.account.id);
  return result;
}

/**
 * `user reset`: a new one-time password and a new TOTP secret (the old authenticator entry stops
 * working), a password change at the next sign-in, every session ended, any sign-in lockout of
 * the username lifted. Disabled accounts stay disabled.
 */
export async function resetAccount(ctx: AppContext, username: string, actor: Actor = ctx.actor, now = new Date()): Promise<{ account: AccountSummary; enrolment: Enrolment; sessionsEnded: number }> {
  const at = now.toISOString();
  const password = randomPassword();
  const totpSecret = generateTotpSecret();
  const passwordHash = await hashPassword(password);
  const result = await ctx.store.transaction(async (repos) => {
    const row = await byUsername(repos, username);
    await repos.staff.resetCredentials(row.id, passwordHash, sealTotpSecret(ctx.keys, row.id, totpSecret), at);
    const sessionsEnded = await repos.staff.endSessionsOfAccount(row.id, at);
    await repos.staff.clearThrottle(throttleKey(ctx.keys.staffAuth, 'username', row.username));
    await appendAudit(repos, ctx.keys, actor, { action: 'account.reset', resourceType: 'staff_account', resourceId: row.id, purpose: ADMINISTRATION, outcome: 'success' }, at);
    return {
      account: summarize((await repos.staff.accountById(row.id))!), sessionsEnded,
      enrolment: { username: row.username, password, totpSecret, otpauthUri: totpUri(totpSecret, row.username) },
    };
  });
  forgetAccountSessions(ctx, result.account.id);
  return result;
}

/** `user list`: accounts under a jurisdiction (all without one), optionally of one role. */
export async function listAccounts(ctx: AppContext, filter: { jurisdiction?: string; role?: string } = {}): Promise<AccountSummary[]> {
  let prefix = '';
  if (filter.jurisdiction !== undefined && filter.jurisdiction !== '') {
    const p = jurisdictionPrefix(filter.jurisdiction.trim());
    if (!p) throw new ServiceError('ERR_VALIDATION', 'the jurisdiction must be a known GB/T 2260 division code', 'jurisdiction');
    prefix = p;
  }
  if (filter.role !== undefined && !isRole(filter.role)) throw new ServiceError('ERR_VALIDATION', 'unknown role', 'role');
  return (await ctx.store.staff.listAccounts({ jurisdictionPrefix: prefix, ...(filter.role ? { role: filter.role } : {}) })).map(summarize);
}

/** One account by id (for the staff list of other features), or undefined. */
export async function accountById(ctx: AppContext, id: string): Promise<AccountSummary | undefined> {
  const row = await ctx.store.staff.accountById(id);
  return row ? summarize(row) : undefined;
}

/**
 * `epivault init`: the first administrator of a new data directory, with a one-time password and
 * a TOTP secret returned once. Administrators see no personal data; they add the other accounts.
 */
export async function createFirstAdministrator(config: Config, username = 'admin', jurisdiction = '11'): Promise<{ account: AccountSummary; enrolment: Enrolment }> {
  const ctx = await openApp(config);
  try {
    return await createAccount(ctx, { username, role: 'administrator', jurisdiction });
  } finally {
    await ctx.close();
  }
}
