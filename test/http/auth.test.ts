import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { acceptTerms, createStaff, nextTotpCode, sessionCookieOf, signIn, staffHeaders } from '../support/staff.ts';
import { buildServer } from '../../src/http/app.ts';
import type { ServerOptions } from '../../src/http/app.ts';
import { requireStaff, staffRequest } from '../../src/http/plugins/session.plugin.ts';
import { createAccount, disableAccount } from '../../src/services/accounts.service.ts';
import { TERMS_VERSION } from '../../src/domain/terms.ts';

/** A server with two extra routes standing in for the personal-data routes of other features. */
function server(app: TestApp, options: ServerOptions = {}): FastifyInstance {
  const s = buildServer(app.ctx, options);
  s.get('/api/test/personal', { preHandler: requireStaff({ personalData: true }) }, async (request) => {
    const r = staffRequest(request);
    return { actor: r.actor.id, purpose: r.purpose, requestId: r.requestId };
  });
  s.post('/api/test/personal', { preHandler: requireStaff({ personalData: true }) }, async () => ({ changed: true }));
  return s;
}

const login = (s: FastifyInstance, payload: Record<string, unknown>, remoteAddress = '127.0.0.1') =>
  s.inject({ method: 'POST', url: '/api/auth/login', payload, remoteAddress });

describe('staff sign-in over HTTP', () => {
  let app: TestApp;
  let s: FastifyInstance;
  before(async () => {
    app = await testApp('sqlite');
    s = server(app);
  });
  after(async () => {
    await s?.close();
    await app?.cleanup();
  });

  it('signs in: HttpOnly SameSite=Strict cookie, account and CSRF token, and no secret in the answer', async () => {
    const { account, enrolment } = await createAccount(app.ctx, { username: 'ivan', role: 'investigator', jurisdiction: '110105' });
    const res = await login(s, { username: 'ivan', password: enrolment.password, totp: await nextTotpCode({ username: 'ivan', totpSecret: enrolment.totpSecret }) });
    assert.equal(res.statusCode, 200, res.body);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /^ev_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /; HttpOnly/);
    assert.match(setCookie, /; SameSite=Strict/);
    assert.match(setCookie, /; Path=\//);
    assert.doesNotMatch(setCookie, /; Secure/, 'not over plain HTTP');
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json() as { account: Record<string, unknown>; csrfToken: string };
    assert.deepEqual(Object.keys(body).sort(), ['account', 'csrfToken']);
    assert.deepEqual(body.account, {
      id: account.id, username: 'ivan', role: 'investigator', jurisdiction: '110105', jurisdictionName: '朝阳区',
      stage: 'password_change', termsAccepted: false, demo: false, sessionExpiresAt: body.account.sessionExpiresAt,
    });
    for (const secret of [enrolment.password, enrolment.totpSecret, 'password_hash', 'totp']) assert.equal(res.body.includes(secret), false, secret);
  });

  it('a session that must change its password reaches only the password change, the session and sign-out', async () => {
    const staff = await createStaff(app.ctx, { role: 'tracer', jurisdiction: '110105', mustChangePassword: true });
    const session = await signIn(s, staff);
    const h = staffHeaders(session, 'contact_tracing');
    for (const [method, url] of [['GET', '/api/terms'], ['GET', '/api/test/personal'], ['POST', '/api/terms/accept']] as const) {
      const r = await s.inject({ method, url, headers: h, ...(method === 'POST' ? { payload: { version: TERMS_VERSION } } : {}) });
      assert.equal(r.statusCode, 403, url);
      assert.equal(r.json().code, 'ERR_PASSWORD_CHANGE_REQUIRED', url);
    }
    assert.equal((await s.inject({ method: 'GET', url: '/api/auth/session', headers: h })).json().account.stage, 'password_change');

    const weak = await s.inject({ method: 'POST', url: '/api/auth/password', headers: h, payload: { currentPassword: staff.password, newPassword: 'qwerty123456' } });
    assert.equal(weak.statusCode, 400);
    assert.deepEqual(weak.json(), { code: 'ERR_VALIDATION', message: 'the password is on the list of commonly used passwords; choose another', field: 'newPassword' });
    const noCsrf = await s.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: session.cookie }, payload: { currentPassword: staff.password, newPassword: 'violet tractor 42 umbrella' } });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().code, 'ERR_CSRF');

    const changed = await s.inject({ method: 'POST', url: '/api/auth/password', headers: h, payload: { currentPassword: staff.password, newPassword: 'violet tractor 42 umbrella' } });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().account.stage, 'active');
    const cookie = sessionCookieOf(changed.headers)!;
    assert.ok(cookie && cookie !== session.cookie, 'a new session cookie');
    assert.equal((await s.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: session.cookie } })).statusCode, 401, 'the old session ended');
    const terms = await s.inject({ method: 'GET', url: '/api/terms', headers: { cookie } });
    assert.equal(terms.statusCode, 200);
  });

  it('personal-data routes need the current terms; a stale version is refused; the purpose header is required', async () => {
    const staff = await createStaff(app.ctx, { role: 'investigator', jurisdiction: '110105' });
    const session = await signIn(s, staff);
    const h = staffHeaders(session, 'case_investigation');
    const blocked = await s.inject({ method: 'GET', url: '/api/test/personal', headers: h });
    assert.equal(blocked.statusCode, 403);
    assert.equal(blocked.json().code, 'ERR_TERMS_REQUIRED');

    const terms = await s.inject({ method: 'GET', url: '/api/terms', headers: h });
    assert.deepEqual(Object.keys(terms.json()).sort(), ['accepted', 'text', 'version']);
    assert.equal(terms.json().accepted, false);
    assert.match(terms.json().text.zh, /保密/);
    const stale = await s.inject({ method: 'POST', url: '/api/terms/accept', headers: h, payload: { version: '2020-01-01' } });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().field, 'version');
    assert.equal((await s.inject({ method: 'GET', url: '/api/test/personal', headers: h })).statusCode, 403);

    await acceptTerms(s, session);
    const ok = await s.inject({ method: 'GET', url: '/api/test/personal', headers: h });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().purpose, 'case_investigation');
    assert.equal(ok.json().actor, staff.id);
    assert.equal((await s.inject({ method: 'GET', url: '/api/auth/session', headers: h })).json().account.termsAccepted, true);

    for (const purpose of [undefined, 'curiosity']) {
      const r = await s.inject({ method: 'GET', url: '/api/test/personal', headers: { cookie: session.cookie, ...(purpose ? { 'x-epivault-purpose': purpose } : {}) } });
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().code, 'ERR_VALIDATION');
      assert.equal(r.json().field, 'x-epivault-purpose');
    }
  });

  it('CSRF: a state-changing request without the token, with a wrong one or with another session\'s is refused and changes nothing', async () => {
    const a = await createStaff(app.ctx, { role: 'investigator', jurisdiction: '110105', termsAccepted: true });
    const b = await createStaff(app.ctx, { role: 'investigator', jurisdiction: '110105', termsAccepted: true });
    const sa = await signIn(s, a);
    const sb = await signIn(s, b);
    const before = await app.ctx.store.audit.count();
    for (const token of [undefined, '', 'x'.repeat(43), sb.csrfToken]) {
      for (const url of ['/api/test/personal', '/api/auth/logout']) {
        const r = await s.inject({ method: 'POST', url, headers: { cookie: sa.cookie, 'x-epivault-purpose': 'case_investigation', ...(token === undefined ? {} : { 'x-csrf-token': token }) }, payload: {} });
        assert.equal(r.statusCode, 403, `${url} with ${token === undefined ? 'no' : 'a wrong'} token`);
        assert.deepEqual(r.json(), { code: 'ERR_CSRF', message: 'missing or wrong x-csrf-token', field: 'x-csrf-token' });
      }
    }
    assert.equal(await app.ctx.store.audit.count(), before, 'nothing written');
    assert.equal((await s.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: sa.cookie } })).statusCode, 200, 'still signed in');
    const good = await s.inject({ method: 'POST', url: '/api/test/personal', headers: staffHeaders(sa, 'case_investigation'), payload: {} });
    assert.equal(good.statusCode, 200);
  });

  it('logout ends the session and clears the cookie; without a session everything answers 401', async () => {
    const staff = await createStaff(app.ctx, { role: 'supervisor', jurisdiction: '11' });
    const session = await signIn(s, staff);
    const before = await app.ctx.store.audit.count();
    const out = await s.inject({ method: 'POST', url: '/api/auth/logout', headers: staffHeaders(session) });
    assert.equal(out.statusCode, 200);
    assert.match(String(out.headers['set-cookie']), /^ev_session=;.*Expires=Thu, 01 Jan 1970/);
    const e = await app.ctx.store.audit.list(before, 10);
    assert.deepEqual(e.map((x) => [x.action, x.actor, x.outcome]), [['auth.logout', staff.id, 'success']]);
    for (const headers of [{ cookie: session.cookie }, {}, { cookie: 'ev_session=garbage' }]) {
      const r = await s.inject({ method: 'GET', url: '/api/auth/session', headers });
      assert.equal(r.statusCode, 401);
      assert.deepEqual(r.json(), { code: 'ERR_AUTH', message: 'not signed in' });
      assert.equal((await s.inject({ method: 'GET', url: '/api/terms', headers })).statusCode, 401);
      assert.equal((await s.inject({ method: 'POST', url: '/api/terms/accept', headers, payload: { version: TERMS_VERSION } })).statusCode, 401);
    }
  });

  it('a disabled account\'s session dies at once', async () => {
    const staff = await createStaff(app.ctx, { role: 'tracer', jurisdiction: '110105' });
    const session = await signIn(s, staff);
    await disableAccount(app.ctx, staff.username);
    assert.equal((await s.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: session.cookie } })).statusCode, 401);
  });

  it('an unknown username is indistinguishable: same status, same body, same throttling', async () => {
    const staff = await createStaff(app.ctx, { role: 'tracer', jurisdiction: '110105' });
    // The clock stands still, so that a slow password check (a loaded machine) cannot outlast the delay.
    const at = new Date();
    const still = server(app, { clock: () => at });
    const answers: string[][] = [];
    try {
      for (const username of [staff.username, 'no-such-user']) {
        const seq: string[] = [];
        for (const password of ['wrong password 1', 'wrong password 2']) {
          const r = await login(still, { username, password, totp: '123456' }, '203.0.113.9');
          seq.push(`${r.statusCode} ${r.body} ${r.headers['retry-after'] ?? '-'}`);
        }
        answers.push(seq);
      }
    } finally {
      await still.close();
    }
    assert.deepEqual(answers[0], answers[1]);
    assert.equal(answers[0]![0], '401 {"code":"ERR_AUTH","message":"sign-in failed"} -');
    assert.equal(answers[0]![1], '429 {"code":"ERR_THROTTLED","message":"too many failed sign-ins; try again later"} 1');
  });

  it('validates the sign-in body, naming the field', async () => {
    const r = await login(s, { username: 'ivan', password: 'x' });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().field, 'totp');
    const extra = await login(s, { username: 'ivan', password: 'x', totp: '123456', admin: true });
    assert.equal(extra.statusCode, 400);
    assert.equal(extra.json().field, 'admin');
  });

  it('lists the sign-in routes in the OpenAPI document', async () => {
    const doc = (await s.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    for (const p of ['/api/auth/login', '/api/auth/logout', '/api/auth/session', '/api/auth/password', '/api/terms', '/api/terms/accept']) assert.ok(doc.paths[p], p);
  });
});

describe('session timeouts over HTTP (injected clock)', () => {
  let app: TestApp;
  let now = Date.now();
  let s: FastifyInstance;
  before(async () => {
    app = await testApp('sqlite');
    s = server(app, { clock: () => new Date(now), session: { idleMinutes: 30, maxHours: 12 } });
  });
  after(async () => {
    await s?.close();
    await app?.cleanup();
  });

  it('idle for 30 minutes: the session is gone; requests within keep it alive up to 12 hours', async () => {
    const staff = await createStaff(app.ctx, { role: 'investigator', jurisdiction: '110105' });
    const start = Date.now();
    now = start;
    const a = await signIn(s, staff);
    const b = await signIn(s, staff);
    const alive = (cookie: string) => s.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } }).then((r) => r.statusCode);
    now = start + 29 * 60_000;
    assert.equal(await alive(a.cookie), 200);
    now = start + 31 * 60_000;
    assert.equal(await alive(b.cookie), 401, 'b was idle 31 minutes');
    for (let t = 50; t < 12 * 60; t += 20) {
      now = start + t * 60_000;
      assert.equal(await alive(a.cookie), 200, `${t} min`);
    }
    now = start + 12 * 3_600_000;
    assert.equal(await alive(a.cookie), 401, '12 hours after sign-in');
  });
});

describe('HTTPS', () => {
  let app: TestApp;
  let dir: string;
  before(async () => {
    app = await testApp('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'epivault-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  });
  after(async () => {
    await app?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets Secure on the session cookie and sends HSTS', async () => {
    const s = buildServer(app.ctx, { https: { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) } });
    const staff = await createStaff(app.ctx, { role: 'auditor', jurisdiction: '11' });
    const address = await s.listen({ host: '127.0.0.1', port: 0 });
    try {
      assert.match(address, /^https:\/\//);
      const body = JSON.stringify({ username: staff.username, password: staff.password, totp: await nextTotpCode(staff) });
      const res = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
        const req = httpsRequest(`${address}/api/auth/login`, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
          r.resume();
          r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers }));
        });
        req.on('error', reject);
        req.end(body);
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      const cookie = String(res.headers['set-cookie']);
      assert.match(cookie, /; Secure/);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Strict/);
    } finally {
      await s.close();
    }
  });
});
