import { sql } from 'kysely';
import type { Insertable, Selectable, Transaction } from 'kysely';
import type { Database, LoginThrottleTable, StaffAccountTable, StaffSessionTable } from './schema.ts';
import type { Db } from './database.ts';

export type StaffAccountRow = Omit<Selectable<StaffAccountTable>, 'demo'> & { demo: number };
export type NewStaffAccount = Insertable<StaffAccountTable>;
export type StaffSessionRow = Selectable<StaffSessionTable>;
export type NewStaffSession = Insertable<StaffSessionTable>;
export type LoginThrottleRow = Selectable<LoginThrottleTable>;

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const account = (r: Selectable<StaffAccountTable> | undefined): StaffAccountRow | undefined =>
  r ? { ...r, must_change_password: Number(r.must_change_password), totp_last_step: n(r.totp_last_step), demo: Number(r.demo) } : undefined;
const affected = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined) => Number(r?.numUpdatedRows ?? r?.numDeletedRows ?? 0n);

/**
 * Staff accounts, their sessions, sign-in throttling and terms acceptances (migration 0003).
 * Session ids and throttle keys arrive here already hashed / MACed, the TOTP secret sealed.
 */
export class StaffRepository {
  constructor(private readonly db: Db | Transaction<Database>) {}

  // ---- accounts

  async insertAccount(row: NewStaffAccount): Promise<void> {
    await this.db.insertInto('staff_accounts').values(row).execute();
  }

  /** The account of a (lower-case) username. */
  async accountByUsername(username: string): Promise<StaffAccountRow | undefined> {
    return account(await this.db.selectFrom('staff_accounts').selectAll().where('username', '=', username).executeTakeFirst());
  }

  async accountById(id: string): Promise<StaffAccountRow | undefined> {
    return account(await this.db.selectFrom('staff_accounts').selectAll().where('id', '=', id).executeTakeFirst());
  }

  /** Accounts whose jurisdiction lies under `prefix` (a division code; '' for all), optionally of one role, by username. */
  async listAccounts(filter: { jurisdictionPrefix?: string; role?: string } = {}): Promise<StaffAccountRow[]> {
    let q = this.db.selectFrom('staff_accounts').selectAll();
    const prefix = filter.jurisdictionPrefix ?? '';
    if (prefix !== '') q = q.where(sql<string>`substr(jurisdiction_code, 1, ${prefix.length})`, '=', prefix);
    if (filter.role) q = q.where('role', '=', filter.role);
    return (await q.orderBy('username').execute()).map((r) => account(r)!);
  }

  /** Marks an account disabled; 0 if it was already disabled or does not exist. */
  async disableAccount(id: string, at: string): Promise<number> {
    return affected(await this.db.updateTable('staff_accounts').set({ disabled_at: at, updated_at: at })
      .where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst());
  }

  /** New one-time password and TOTP secret: the next sign-in must change the password; old codes count from scratch. */
  async resetCredentials(id: string, passwordHash: string, totpSealed: Buffer, at: string): Promise<number> {
    return affected(await this.db.updateTable('staff_accounts')
      .set({ password_hash: passwordHash, totp_sealed: totpSealed, totp_last_step: null, must_change_password: 1, updated_at: at })
      .where('id', '=', id).executeTakeFirst());
  }

  async setPassword(id: string, passwordHash: string, mustChange: boolean, at: string): Promise<number> {
    return affected(await this.db.updateTable('staff_accounts')
      .set({ password_hash: passwordHash, must_change_password: mustChange ? 1 : 0, updated_at: at })
      .where('id', '=', id).executeTakeFirst());
  }

  /**
   * Records `step` as the last TOTP step used, only if it is later than the one stored: returns 1
   * when it was, 0 when a step at or after it was already used (a replay, or a concurrent
   * sign-in with the same code that won). One statement, so two requests cannot both win.
   */
  async advanceTotpStep(id: string, step: number): Promise<number> {
    return affected(await this.db.updateTable('staff_accounts').set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst());
  }

  // ---- sessions

  async insertSession(row: NewStaffSession): Promise<void> {
    await this.db.insertInto('staff_sessions').values(row).execute();
  }

  async sessionByHash(idHash: Buffer): Promise<StaffSessionRow | undefined> {
    return this.db.selectFrom('staff_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  }

  async touchSession(idHash: Buffer, at: string): Promise<void> {
    await this.db.updateTable('staff_sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
  }

  /** Ends one session; 0 if it had already ended. */
  async endSession(idHash: Buffer, at: string): Promise<number> {
    return affected(await this.db.updateTable('staff_sessions').set({ ended_at: at })
      .where('id_hash', '=', idHash).where('ended_at', 'is', null).executeTakeFirst());
  }

  /** Ends every open session of an account; returns how many. */
  async endSessionsOfAccount(accountId: string, at: string): Promise<number> {
    return affected(await this.db.updateTable('staff_sessions').set({ ended_at: at })
      .where('account_id', '=', accountId).where('ended_at', 'is', null).executeTakeFirst());
  }

  async openSessionCount(accountId: string): Promise<number> {
    const r = await this.db.selectFrom('staff_sessions').select(sql<number>`count(*)`.as('n'))
      .where('account_id', '=', accountId).where('ended_at', 'is', null).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // ---- sign-in throttling

  async throttle(key: Buffer): Promise<LoginThrottleRow | undefined> {
    const r = await this.db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    return r ? { ...r, failures: Number(r.failures) } : undefined;
  }

  /**
   * Counts one more failure for `key` (starting again from 1 when the last failure was before
   * `forgetBefore`); returns the new count. One upsert, so concurrent failures all count.
   */
  async recordFailure(key: Buffer, at: string, forgetBefore: string): Promise<number> {
    const r = await this.db.insertInto('login_throttle')
      .values({ key, failures: 1, first_failure_at: at, locked_until: null, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_throttle.updated_at < ${forgetBefore} then 1 else login_throttle.failures + 1 end`,
        first_failure_at: sql<string>`case when login_throttle.updated_at < ${forgetBefore} then ${at} else login_throttle.first_failure_at end`,
        updated_at: at,
      }))
      .returning('failures').executeTakeFirstOrThrow();
    return Number(r.failures);
  }

  async lock(key: Buffer, until: string): Promise<void> {
    await this.db.updateTable('login_throttle').set({ locked_until: until }).where('key', '=', key).execute();
  }

  async clearThrottle(key: Buffer): Promise<void> {
    await this.db.deleteFrom('login_throttle').where('key', '=', key).execute();
  }

  // ---- confidentiality terms

  async acceptTerms(accountId: string, version: string, at: string): Promise<void> {
    await this.db.insertInto('terms_acceptances').values({ account_id: accountId, version, accepted_at: at })
      .onConflict((oc) => oc.columns(['account_id', 'version']).doNothing()).execute();
  }

  async hasAcceptedTerms(accountId: string, version: string): Promise<boolean> {
    return (await this.db.selectFrom('terms_acceptances').select('version').where('account_id', '=', accountId).where('version', '=', version).executeTakeFirst()) !== undefined;
  }

  // ---- demo data directory only (services/demo-accounts.service.ts)

  /** The district with the most cases, for the demo investigator and tracer. */
  async busiestCaseDistrict(): Promise<string | undefined> {
    const r = await this.db.selectFrom('cases').select(['jurisdiction_code', sql<number>`count(*)`.as('n')])
      .groupBy('jurisdiction_code').orderBy('n', 'desc').orderBy('jurisdiction_code').limit(1).executeTakeFirst();
    return r?.jurisdiction_code;
  }

  /** The earliest-reported cases of a district. */
  async caseIdsInDistrict(code: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('cases').select('id').where('jurisdiction_code', '=', code)
      .orderBy('report_date').orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  }
}
