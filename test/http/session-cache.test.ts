/**
 * The in-process session cache (src/services/session-cache.ts) must never keep a session alive
 * that has ended: every change made through this process takes effect on the very next request,
 * idle and absolute timeouts are judged exactly, and a change made by another process (the
 * `epivault user disable` command) is seen within SESSION_CACHE_TTL_MS.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.ts';
import { buildServer } from '../../src/http/app.ts';
import { disableAccount, resetAccount } from '../../src/services/accounts.service.ts';
import { openApp } from '../../src/services/app-context.ts';
import { sessionTokenHash } from '../../src/crypto/index.ts';
import { SESSION_CACHE_TTL_MS, sessionCacheOf } from '../../src/services/session-cache.ts';
import { suiteLogger, testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { engines } from '../support/engines.ts';
import { CHAOYANG, openCase, signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';
import { acceptTerms, createStaff, sessionCookieOf, signIn, staffHeaders } from '../support/staff.ts';
import type { StaffSessionHandle } from '../support/staff.ts';

const NOT_SIGNED_IN = { code: 'ERR_AUTH', message: 'not signed in' };

for (const { engine, skip } of await engines()) {
  describe(`session cache through HTTP on ${engine}`, { skip }, () => {
    let s: StaffServer;
    before(async () => { s = await staffServer(engine); });
    after(async () => { await s?.close(); });

    /** A case read with this session's cookie: status and body. */
    const read = async (session: Pick<StaffSessionHandle, 'cookie' | 'csrfToken'>, caseId: string) => {
      const r = await s.server.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: staffHeaders(session, 'case_investigation') });
      return { status: r.statusCode, body: r.json() as Record<string, unknown> };
    };
    /** An investigator with a case of their own (its creator is assigned), read once so that the session is cached. */
    const investigatorWithCase = async (): Promise<{ staff: Staff; caseId: string }> => {
      const staff = await signedInStaff(s, 'investigator', CHAOYANG);
      const { id } = await openCase(staff, CHAOYANG);
      assert.equal((await read(staff.session, id)).status, 200);
      return { staff, caseId: id };
    };
    /** Whether this session is in the server's cache (keyed by the hex SHA-256 of the token). */
    const cached = (session: Pick<StaffSessionHandle, 'cookie'>) =>
      sessionCacheOf(s.t.ctx.store).get(sessionTokenHash(session.cookie.replace(/^ev_session=/, '')).toString('hex')) !== undefined;

    it('reads within the TTL resume the session from memory', async () => {
      const { staff, caseId } = await investigatorWithCase();
      assert.ok(cached(staff.session), 'the session is in the cache after a read');
      const original = s.t.ctx.store.staff.sessionByHash.bind(s.t.ctx.store.staff);
      let lookups = 0;
      s.t.ctx.store.staff.sessionByHash = async (h) => { lookups++; return original(h); };
      try {
        for (let i = 0; i < 5; i++) assert.equal((await read(staff.session, caseId)).status, 200);
      } finally {
        s.t.ctx.store.staff.sessionByHash = original;
      }
      assert.ok(lookups <= 1, `at most one session lookup in five reads (one if the TTL ran out in between), saw ${lookups}`);
    });

    it('sign-out ends a cached session at once', async () => {
      const { staff, caseId } = await investigatorWithCase();
      assert.ok(cached(staff.session));
      const out = await s.server.inject({ method: 'POST', url: '/api/auth/logout', headers: staffHeaders(staff.session) });
      assert.equal(out.statusCode, 200);
      assert.equal(cached(staff.session), false, 'dropped from the cache');
      const r = await read(staff.session, caseId);
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, NOT_SIGNED_IN);
    });

    it('disabling the account (user disable in this process) ends every cached session of it at once, and no other', async () => {
      const { staff, caseId } = await investigatorWithCase();
      const second = await signIn(s.server, staff);
      assert.equal((await read(second, caseId)).status, 200);
      const bystander = await investigatorWithCase();
      assert.ok(cached(staff.session) && cached(second) && cached(bystander.staff.session));
      await disableAccount(s.t.ctx, staff.username);
      for (const session of [staff.session, second]) assert.deepEqual(await read(session, caseId), { status: 401, body: NOT_SIGNED_IN });
      assert.equal((await read(bystander.staff.session, bystander.caseId)).status, 200, 'another account is untouched');
    });

    it('resetting the account ends its cached sessions at once', async () => {
      const { staff, caseId } = await investigatorWithCase();
      await resetAccount(s.t.ctx, staff.username);
      assert.deepEqual(await read(staff.session, caseId), { status: 401, body: NOT_SIGNED_IN });
    });

    it('a password change ends the other cached sessions of the account at once', async () => {
      const { staff, caseId } = await investigatorWithCase();
      const other = await signIn(s.server, staff);
      assert.equal((await read(other, caseId)).status, 200);
      const changed = await s.server.inject({
        method: 'POST', url: '/api/auth/password', headers: staffHeaders(staff.session),
        payload: { currentPassword: staff.password, newPassword: 'copper lantern 58 meadow' },
      });
      assert.equal(changed.statusCode, 200, changed.body);
      for (const session of [staff.session, other]) assert.deepEqual(await read(session, caseId), { status: 401, body: NOT_SIGNED_IN });
      const fresh = { cookie: sessionCookieOf(changed.headers)!, csrfToken: (changed.json() as { csrfToken: string }).csrfToken };
      assert.equal((await read(fresh, caseId)).status, 200, 'the new session works');
    });

    it('accepting the terms takes effect on the next request', async () => {
      const owner = await investigatorWithCase();
      const creds = await createStaff(s.t.ctx, { role: 'supervisor', jurisdiction: '110000' });
      const session = await signIn(s.server, creds);
      const before = await read(session, owner.caseId);
      assert.equal(before.status, 403);
      assert.equal(before.body.code, 'ERR_TERMS_REQUIRED');
      await acceptTerms(s.server, session);
      assert.equal((await read(session, owner.caseId)).status, 200);
    });

    it('a change made by another process (its own cache) is seen within the TTL', async () => {
      const { staff, caseId } = await investigatorWithCase();
      // A second application context on the same database stands for `epivault user disable` run elsewhere.
      const cli = await openApp(loadConfig({ data: s.t.dataDir, db: s.t.db.url }, {}), { logger: suiteLogger() });
      try {
        await disableAccount(cli, staff.username);
      } finally {
        await cli.close();
      }
      await new Promise((r) => setTimeout(r, SESSION_CACHE_TTL_MS + 50));
      assert.deepEqual(await read(staff.session, caseId), { status: 401, body: NOT_SIGNED_IN });
    });
  });
}

describe('session cache: timeouts are judged exactly', () => {
  let app: TestApp;
  let offset = 0;
  before(async () => { app = await testApp('sqlite'); });
  after(async () => { await app?.cleanup(); });

  it('an idle or expired session ends at once even while it is cached', async () => {
    const server = buildServer(app.ctx, { clock: () => new Date(Date.now() + offset), session: { idleMinutes: 30, maxHours: 1 } });
    try {
      const creds = await createStaff(app.ctx, { role: 'investigator', jurisdiction: CHAOYANG, termsAccepted: true });
      const get = async (session: StaffSessionHandle) => (await server.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: session.cookie } })).statusCode;

      offset = 0;
      const idle = await signIn(server, creds);
      assert.equal(await get(idle), 200);
      offset = 29 * 60_000;
      assert.equal(await get(idle), 200, 'still within the idle timeout (and touched)');
      offset = (29 + 30) * 60_000 + 1000;
      assert.equal(await get(idle), 401, 'idle for 30 minutes and a second: ended, though cached a moment ago');

      offset = 0;
      const absolute = await signIn(server, creds);
      for (const minutes of [0, 20, 40, 59]) {
        offset = minutes * 60_000;
        assert.equal(await get(absolute), 200, `${minutes} minutes after sign-in`);
      }
      offset = 60 * 60_000;
      assert.equal(await get(absolute), 401, 'the absolute timeout, though cached a moment ago');
      offset = 0;
      assert.equal(await get(absolute), 401, 'and it stays ended');
    } finally {
      offset = 0;
      await server.close();
    }
  });
});

