import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { rawSql } from '../../test/support/raw-sql.ts';
import { totpCode, totpCodeForStep, totpStep } from '../crypto/index.ts';
import { TERMS_VERSION } from '../domain/terms.ts';
import type { AuditEventRow } from '../storage/store.ts';
import { createAccount, disableAccount, listAccounts, resetAccount } from './accounts.service.ts';
import type { Enrolment } from './accounts.service.ts';
import { ServiceError, ThrottledError } from './errors.ts';
import { acceptTerms, changePassword, csrfValid, resumeSession, signIn, signOut, SIGN_IN_THROTTLE } from './session.service.ts';
import type { StaffSession } from './session.service.ts';

const T0 = Date.parse('2026-12-01T08:00:05Z');
const at = (ms: number) => new Date(T0 + ms);
/** The TOTP code at T0 + offset. */
const codeAt = (secret: string, offset: number) => totpCode(secret, T0 + offset);
const MIN = 60_000;
const HOUR = 60 * MIN;
const PERMANENT = 'violet tractor 42 umbrella';

async function events(app: TestApp, from = 0): Promise<AuditEventRow[]> {
  return app.ctx.store.audit.list(from, 10_000);
}

async function rejectsWith(p: Promise<unknown>, code: string, field?: string): Promise<ServiceError> {
  let caught: unknown;
  await p.catch((e: unknown) => { caught = e; });
  assert.ok(caught instanceof ServiceError, `expected ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (field !== undefined) assert.equal(caught.field, field);
  return caught;
}

for (const { engine, skip } of await engines()) {
  describe(`staff accounts and sessions on ${engine}`, { skip }, () => {
    let app: TestApp;
    before(async () => { app = await testApp(engine); });
    after(async () => { await app?.cleanup(); });

    /** A new account, signed in once at `when` and moved past the forced password change. */
    async function activeAccount(username: string, when = at(0)): Promise<{ enrolment: Enrolment; session: StaffSession }> {
      const { enrolment } = await createAccount(app.ctx, { username, role: 'investigator', jurisdiction: '110105' });
      const first = await signIn(app.ctx, { username, password: enrolment.password, totp: await totpCode(enrolment.totpSecret, when.getTime()) }, when);
      const session = await changePassword(app.ctx, first, enrolment.password, PERMANENT, null, when);
      return { enrolment, session };
    }

    it('creates an account: one-time password and TOTP secret returned once, stored only hashed and sealed, audited', async () => {
      const before = (await events(app)).length;
      const { account, enrolment } = await createAccount(app.ctx, { username: 'Alice.Wang', role: 'supervisor', jurisdiction: '110000' });
      assert.equal(account.username, 'alice.wang');
      assert.equal(account.jurisdiction, '11', 'padded GB/T 2260 code normalized to the division-tree node');
      assert.equal(account.mustChangePassword, true);
      assert.ok(enrolment.password.length >= 16);
      assert.match(enrolment.totpSecret, /^[A-Z2-7]{32}$/);
      assert.ok(enrolment.otpauthUri.startsWith('otpauth://totp/Epivault:alice.wang?'));
      const raw = await rawSql(app.db);
      try {
        const [row] = await raw.query<Record<string, unknown>>(`select * from staff_accounts where username = 'alice.wang'`);
        const dump = JSON.stringify(row) + Buffer.from(row!.totp_sealed as Uint8Array).toString('latin1');
        assert.equal(dump.includes(enrolment.password), false, 'no clear password');
        assert.equal(dump.includes(enrolment.totpSecret), false, 'no clear TOTP secret');
        assert.match(String(row!.password_hash), /^\$argon2id\$/);
      } finally {
        await raw.close();
      }
      const e = (await events(app)).slice(before);
      assert.deepEqual(e.map((x) => [x.action, x.resource_type, x.resource_id, x.purpose, x.outcome]), [['account.create', 'staff_account', account.id, 'administration', 'success']]);
      assert.equal(JSON.stringify(e).includes(enrolment.password), false);
    });

    it('refuses bad usernames, roles, jurisdictions and duplicates, naming the field', async () => {
      await rejectsWith(createAccount(app.ctx, { username: 'a', role: 'tracer', jurisdiction: '110105' }), 'ERR_VALIDATION', 'username');
      await rejectsWith(createAccount(app.ctx, { username: "x'; drop table staff_accounts; --", role: 'tracer', jurisdiction: '110105' }), 'ERR_VALIDATION', 'username');
      await rejectsWith(createAccount(app.ctx, { username: 'bob.li', role: 'root', jurisdiction: '110105' }), 'ERR_VALIDATION', 'role');
      await rejectsWith(createAccount(app.ctx, { username: 'bob.li', role: 'tracer', jurisdiction: '999999' }), 'ERR_VALIDATION', 'jurisdiction');
      await rejectsWith(createAccount(app.ctx, { username: 'ALICE.WANG', role: 'tracer', jurisdiction: '110105' }), 'ERR_CONFLICT', 'username');
      assert.deepEqual((await listAccounts(app.ctx)).map((a) => a.username), ['alice.wang']);
    });

    it('signs in with password and TOTP into the password-change stage, then the change gives an active session', async () => {
      const { enrolment } = await createAccount(app.ctx, { username: 'carol', role: 'tracer', jurisdiction: '110105' });
      const from = (await events(app)).length;
      const s = await signIn(app.ctx, { username: 'Carol', password: enrolment.password, totp: await totpCode(enrolment.totpSecret, T0), requestId: 'req-1' }, at(0));
      assert.equal(s.stage, 'password_change');
      assert.equal(s.actor.username, 'carol');
      assert.equal(s.actor.termsAccepted, false);
      assert.ok(csrfValid(s, s.csrfToken));
      assert.equal(csrfValid(s, 'x'), false);

      for (const weak of ['too short', 'qwerty123456', 'carol is my name 2026']) {
        await rejectsWith(changePassword(app.ctx, s, enrolment.password, weak, null, at(MIN)), 'ERR_VALIDATION', 'newPassword');
      }
      await rejectsWith(changePassword(app.ctx, s, enrolment.password, enrolment.password, null, at(MIN)), 'ERR_VALIDATION', 'newPassword');
      await rejectsWith(changePassword(app.ctx, s, 'not the password', PERMANENT, null, at(MIN)), 'ERR_VALIDATION', 'currentPassword');
      // The wrong current password counted as a failed sign-in: wait out its delay.
      const fresh = await changePassword(app.ctx, s, enrolment.password, PERMANENT, 'req-2', at(2 * MIN));
      assert.equal(fresh.stage, 'active');
      assert.notEqual(fresh.token, s.token);
      assert.equal(fresh.expiresAt, s.expiresAt, 'the absolute timeout does not move');
      assert.equal(await resumeSession(app.ctx, s.token, at(2 * MIN)), null, 'the old session ended');
      assert.equal((await resumeSession(app.ctx, fresh.token, at(2 * MIN)))?.stage, 'active');

      const e = (await events(app)).slice(from);
      assert.deepEqual(e.map((x) => [x.action, x.outcome, x.reason, x.actor]), [
        ['auth.login', 'success', null, s.actor.id],
        ['auth.password_change', 'failure', 'wrong_password', s.actor.id],
        ['auth.password_change', 'success', null, s.actor.id],
      ]);
      assert.equal(e[0]!.request_id, 'req-1');
      assert.equal(e[0]!.purpose, 'authentication');
      const text = JSON.stringify(e);
      for (const secret of [enrolment.password, enrolment.totpSecret, PERMANENT]) assert.equal(text.includes(secret), false);
    });

    it('refuses a replayed TOTP code, and of two simultaneous sign-ins with one code exactly one wins', async () => {
      const { enrolment } = await activeAccount('dave');
      const later = at(HOUR);
      const code = await totpCode(enrolment.totpSecret, later.getTime());
      const [a, b] = await Promise.allSettled([
        signIn(app.ctx, { username: 'dave', password: PERMANENT, totp: code }, later),
        signIn(app.ctx, { username: 'dave', password: PERMANENT, totp: code }, later),
      ]);
      assert.deepEqual([a.status, b.status].sort(), ['fulfilled', 'rejected']);
      const failed = (a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason) as ServiceError;
      assert.equal(failed.code, 'ERR_AUTH');
      // The same code again, after any delay: refused; the previous step too; the next one works.
      await rejectsWith(signIn(app.ctx, { username: 'dave', password: PERMANENT, totp: code }, at(HOUR + 10_000)), 'ERR_AUTH');
      const step = totpStep(later.getTime());
      await rejectsWith(signIn(app.ctx, { username: 'dave', password: PERMANENT, totp: await totpCodeForStep(enrolment.totpSecret, step - 1) }, at(HOUR + 20_000)), 'ERR_AUTH');
      const ok = await signIn(app.ctx, { username: 'dave', password: PERMANENT, totp: await totpCodeForStep(enrolment.totpSecret, step + 1) }, at(HOUR + 40_000));
      assert.equal(ok.stage, 'active');
      const reasons = (await events(app)).filter((x) => x.action === 'auth.login' && x.actor === ok.actor.id && x.outcome === 'failure').map((x) => x.reason);
      assert.deepEqual(reasons, ['totp_replay', 'totp_replay', 'totp_replay']);
    });

    it('throttles failures with a growing delay and locks the username after 10, known or unknown alike', async () => {
      const { enrolment } = await activeAccount('erin', at(2 * HOUR));
      const base = 2 * HOUR + MIN;
      const attempt = (username: string, t: number, good = false) => signIn(app.ctx, {
        username, password: good ? PERMANENT : 'wrong password 123', totp: '000000',
      }, at(t));
      const from = (await events(app)).length;
      for (const username of ['erin', 'nobody-here']) {
        let t = base;
        const waits: number[] = [];
        for (let i = 1; i <= SIGN_IN_THROTTLE.lockAfter; i++) {
          const e = await rejectsWith(attempt(username, t), 'ERR_AUTH');
          assert.equal(e.message, 'sign-in failed');
          // Right away: throttled, with the seconds to wait.
          const th = await rejectsWith(attempt(username, t + 1), 'ERR_THROTTLED');
          assert.ok(th instanceof ThrottledError);
          waits.push(th.retryAfterSeconds);
          const delay = Math.min(SIGN_IN_THROTTLE.maxDelayMs, SIGN_IN_THROTTLE.baseDelayMs * 2 ** (i - 1));
          if (i < SIGN_IN_THROTTLE.lockAfter) {
            await rejectsWith(attempt(username, t + delay - 1), 'ERR_THROTTLED');
            t += delay;
          }
        }
        assert.deepEqual(waits, [1, 1, 1, 2, 4, 8, 16, 32, 60, 900], `${username}: growing delays, then a 15-minute lock`);
        // Locked: even the right password and a fresh code are not heard.
        const lockedAt = t;
        const th = await rejectsWith(signIn(app.ctx, { username, password: PERMANENT, totp: await codeAt(enrolment.totpSecret, lockedAt + 14 * MIN) }, at(lockedAt + 14 * MIN)), 'ERR_THROTTLED');
        assert.ok(th instanceof ThrottledError && th.retryAfterSeconds <= 60);
      }
      // After the lock, erin signs in again, which clears the count.
      const after = base + 20 * MIN + 5 * 60_000;
      const s = await signIn(app.ctx, { username: 'erin', password: PERMANENT, totp: await codeAt(enrolment.totpSecret, after) }, at(after));
      assert.equal(s.actor.username, 'erin');
      // Known and unknown usernames leave the same trail, and the unknown one is never named.
      const e = (await events(app)).slice(from).filter((x) => x.action === 'auth.login');
      const erin = e.filter((x) => x.actor === s.actor.id && x.outcome !== 'success');
      const anon = e.filter((x) => x.actor === 'anonymous');
      assert.deepEqual(erin.map((x) => x.outcome), anon.map((x) => x.outcome));
      assert.ok(anon.every((x) => x.resource_id === null && x.actor_role === 'anonymous' && x.reason !== null && ['unknown_account', 'throttled'].includes(x.reason)));
      assert.equal(JSON.stringify(e).includes('nobody-here'), false, 'the typed unknown username is not in the audit');
      assert.equal(JSON.stringify(e).includes('wrong password'), false, 'no typed password in the audit');
    });

    it('slows a client address that fails across many usernames (spraying), without locking it', async () => {
      let t = 3 * HOUR;
      for (let i = 0; i < SIGN_IN_THROTTLE.addressFreeFailures; i++) {
        await rejectsWith(signIn(app.ctx, { username: `spray-${i}`, password: 'wrong password 123', totp: '000000', address: '192.0.2.7' }, at(t)), 'ERR_AUTH');
        t += 10;
      }
      await rejectsWith(signIn(app.ctx, { username: 'spray-x', password: 'wrong password 123', totp: '000000', address: '192.0.2.7' }, at(t)), 'ERR_AUTH');
      await rejectsWith(signIn(app.ctx, { username: 'spray-y', password: 'wrong password 123', totp: '000000', address: '192.0.2.7' }, at(t + 10)), 'ERR_THROTTLED');
      await rejectsWith(signIn(app.ctx, { username: 'spray-y', password: 'wrong password 123', totp: '000000', address: '198.51.100.1' }, at(t + 10)), 'ERR_AUTH');
    });

    it('ends sessions after 30 idle minutes, 12 hours in all, at sign-out, and when the account is disabled', async () => {
      const start = 5 * HOUR;
      const { enrolment, session } = await activeAccount('frank', at(start));
      assert.ok(await resumeSession(app.ctx, session.token, at(start + 29 * MIN)), 'touched at 29 min');
      assert.ok(await resumeSession(app.ctx, session.token, at(start + 58 * MIN)), 'idle 29 min since the touch');
      assert.equal(await resumeSession(app.ctx, session.token, at(start + 89 * MIN)), null, 'idle 31 min');
      assert.equal(await resumeSession(app.ctx, session.token, at(start + 90 * MIN)), null, 'ended stays ended');

      let t = start + 2 * HOUR;
      const s2 = await signIn(app.ctx, { username: 'frank', password: PERMANENT, totp: await codeAt(enrolment.totpSecret, t) }, at(t));
      for (t += 20 * MIN; t < start + 2 * HOUR + 12 * HOUR; t += 20 * MIN) assert.ok(await resumeSession(app.ctx, s2.token, at(t)), `active at ${(t - start) / HOUR} h`);
      assert.equal(await resumeSession(app.ctx, s2.token, at(start + 14 * HOUR)), null, 'absolute timeout');
      assert.equal(await resumeSession(app.ctx, s2.token, at(start + 14 * HOUR - 1)), null);

      t = start + 15 * HOUR;
      const s3 = await signIn(app.ctx, { username: 'frank', password: PERMANENT, totp: await codeAt(enrolment.totpSecret, t) }, at(t));
      await signOut(app.ctx, s3, 'req-out', at(t + MIN));
      assert.equal(await resumeSession(app.ctx, s3.token, at(t + MIN)), null, 'signed out');

      t += HOUR;
      const s4 = await signIn(app.ctx, { username: 'frank', password: PERMANENT, totp: await codeAt(enrolment.totpSecret, t) }, at(t));
      const d = await disableAccount(app.ctx, 'frank', undefined, at(t + MIN));
      assert.equal(d.sessionsEnded, 1);
      assert.equal(await resumeSession(app.ctx, s4.token, at(t + MIN)), null, 'disabled account: session dies');
      await rejectsWith(disableAccount(app.ctx, 'frank', undefined, at(t + MIN)), 'ERR_CONFLICT');
      // The right credentials no longer sign in, with the same message as anything else.
      t += HOUR;
      const e = await rejectsWith(signIn(app.ctx, { username: 'frank', password: PERMANENT, totp: await codeAt(enrolment.totpSecret, t) }, at(t)), 'ERR_AUTH');
      assert.equal(e.message, 'sign-in failed');
      const mine = (await events(app)).filter((x) => x.resource_id === s4.actor.id);
      assert.ok(mine.some((x) => x.action === 'auth.logout' && x.request_id === 'req-out'));
      assert.ok(mine.some((x) => x.action === 'account.disable' && x.purpose === 'administration'));
      assert.equal(mine.at(-1)!.reason, 'disabled');
      assert.equal((await resumeSession(app.ctx, 'not a token')), null);
    });

    it('reset: new one-time password and TOTP secret, sessions ended, lockout lifted, password change required', async () => {
      const t = 20 * HOUR;
      const { enrolment, session } = await activeAccount('grace', at(t));
      for (let i = 0; i < SIGN_IN_THROTTLE.lockAfter; i++) {
        await signIn(app.ctx, { username: 'grace', password: 'wrong password 123', totp: '000000' }, at(t + i * MIN + MIN)).catch(() => {});
      }
      await rejectsWith(signIn(app.ctx, { username: 'grace', password: PERMANENT, totp: '000000' }, at(t + 11 * MIN)), 'ERR_THROTTLED');
      const r = await resetAccount(app.ctx, 'GRACE', undefined, at(t + 12 * MIN));
      assert.equal(r.sessionsEnded, 1);
      assert.notEqual(r.enrolment.password, enrolment.password);
      assert.notEqual(r.enrolment.totpSecret, enrolment.totpSecret);
      assert.equal(r.account.mustChangePassword, true);
      assert.equal(await resumeSession(app.ctx, session.token, at(t + 12 * MIN)), null);
      const t2 = t + 13 * MIN;
      await rejectsWith(signIn(app.ctx, { username: 'grace', password: PERMANENT, totp: await codeAt(r.enrolment.totpSecret, t2) }, at(t2)), 'ERR_AUTH');
      await rejectsWith(signIn(app.ctx, { username: 'grace', password: r.enrolment.password, totp: await codeAt(enrolment.totpSecret, t2 + 1000) }, at(t2 + 1000)), 'ERR_AUTH', undefined);
      const t3 = t2 + MIN;
      const s = await signIn(app.ctx, { username: 'grace', password: r.enrolment.password, totp: await codeAt(r.enrolment.totpSecret, t3) }, at(t3));
      assert.equal(s.stage, 'password_change');
      await rejectsWith(resetAccount(app.ctx, 'nobody'), 'ERR_NOT_FOUND');
    });

    it('terms: a stale version is refused; accepting the current one is audited and shows in the session', async () => {
      const t = 30 * HOUR;
      const { session } = await activeAccount('heidi', at(t));
      assert.equal(session.actor.termsAccepted, false);
      await rejectsWith(acceptTerms(app.ctx, session.actor, '2020-01-01', null, at(t)), 'ERR_CONFLICT', 'version');
      const r = await acceptTerms(app.ctx, session.actor, TERMS_VERSION, 'req-t', at(t));
      assert.equal(r.accepted, true);
      assert.equal((await resumeSession(app.ctx, session.token, at(t + MIN)))?.actor.termsAccepted, true);
      const e = (await events(app)).filter((x) => x.action === 'terms.accept');
      assert.deepEqual(e.map((x) => [x.actor, x.resource_id, x.request_id]), [[session.actor.id, TERMS_VERSION, 'req-t']]);
    });

    it('lists accounts by jurisdiction and role', async () => {
      const all = await listAccounts(app.ctx);
      assert.ok(all.length >= 6);
      assert.ok((await listAccounts(app.ctx, { jurisdiction: '110105' })).every((a) => a.jurisdiction.startsWith('110105')));
      assert.deepEqual((await listAccounts(app.ctx, { jurisdiction: '110000', role: 'supervisor' })).map((a) => a.username), ['alice.wang']);
      assert.deepEqual(await listAccounts(app.ctx, { jurisdiction: '1201' }), []);
      await rejectsWith(listAccounts(app.ctx, { jurisdiction: '99' }), 'ERR_VALIDATION', 'jurisdiction');
      await rejectsWith(listAccounts(app.ctx, { role: 'king' }), 'ERR_VALIDATION', 'role');
    });
  });
}
