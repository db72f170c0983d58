/**
 * Supervision alerts, activity reports, the auditor's queries and the public checkpoint, end to
 * end through the HTTP API with real sign-in, on both engines.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { createStaff, signIn, staffHeaders } from '../support/staff.ts';
import type { StaffCredentials, StaffSessionHandle } from '../support/staff.ts';
import { buildServer } from '../../src/http/app.ts';
import { validateLineListRow } from '../../src/domain/line-list.ts';
import { makeResidentId } from '../../src/domain/id-number.ts';
import { appendAudit } from '../../src/services/audit.service.ts';
import { writeCheckpoint } from '../../src/services/audit-log.service.ts';
import { openCheckpoint, parseVerifierKey } from '../../src/audit/note.ts';
import { registerPeople } from '../../src/services/people.service.ts';
import { sealPerson } from '../../src/services/subject-cipher.ts';
import { workerKeysOf } from '../../src/services/seal-tasks.ts';
import { scanSupervision } from '../../src/services/supervision.service.ts';
import { DEFAULT_THRESHOLDS } from '../../src/audit/supervision.ts';

for (const { engine, skip } of await engines()) {
  describe(`supervision and audit API on ${engine}`, { skip }, () => {
    let app: TestApp;
    let s: FastifyInstance;
    const creds: Record<string, StaffCredentials> = {};
    const sessions: Record<string, StaffSessionHandle> = {};
    const idNumber = makeResidentId('110105', '1975-06-07', 11, 'M');
    let subjectId = '';

    before(async () => {
      app = await testApp(engine);
      s = buildServer(app.ctx);
      for (const [name, role, jurisdiction] of [['sup', 'supervisor', '110105'], ['sup2', 'supervisor', '110108'], ['inv', 'investigator', '110105'], ['aud', 'auditor', '110000']] as const) {
        creds[name] = await createStaff(app.ctx, { role, jurisdiction, username: `${name}-${engine}` });
        sessions[name] = await signIn(s, creds[name]!);
      }
      const valid = validateLineListRow({ name: '监督测试', id_number: idNumber, phone: '13900002222', address: '北京市朝阳区测试路2号', birth_date: '1975-06-07', sex: 'M', district_code: '110105', classification: 'confirmed', onset_date: '2026-11-01', report_date: '2026-11-03' }, '2026-11-29');
      assert.ok(valid.ok);
      const created = await registerPeople(app.ctx, [sealPerson(workerKeysOf(app.ctx.keys), valid.person, valid.case, new Date().toISOString())], { purpose: 'case_investigation' });
      subjectId = created.subjectIds[0]!;
      const inv = { id: creds.inv!.id, role: 'investigator' };
      await app.ctx.store.transaction(async (repos) => {
        for (let i = 0; i < 3; i++) await appendAudit(repos, app.ctx.keys, inv, { action: 'read', resourceType: 'case', resourceId: `c_guess${i}`, purpose: 'case_investigation', outcome: 'denied', reason: 'policy:scope' });
        await appendAudit(repos, app.ctx.keys, inv, { action: 'read', resourceType: 'subject', subjectId, purpose: 'case_investigation', outcome: 'success' });
      });
      // A workday of 24 hours: the alerts here must not depend on the hour the tests run at (unusual hours are tested in src/audit).
      await scanSupervision(app.ctx, { ...DEFAULT_THRESHOLDS, workdayStartHour: 0, workdayEndHour: 24 });
    });
    after(async () => {
      await s?.close();
      await app?.cleanup();
    });

    const get = (who: string, url: string, purpose = 'audit') => s.inject({ method: 'GET', url, headers: staffHeaders(sessions[who]!, purpose) });
    const post = (who: string, url: string, payload: unknown, purpose = 'audit') => s.inject({ method: 'POST', url, headers: staffHeaders(sessions[who]!, purpose), payload: payload as Record<string, unknown> });

    it('lists a supervisor’s alerts with the events behind them, and closes one with a decision', async () => {
      const list = await get('sup', '/api/alerts');
      assert.equal(list.statusCode, 200, list.body);
      const items = (list.json() as { items: { id: string; kind: string; accountId: string }[] }).items;
      assert.deepEqual(items.map((a) => [a.kind, a.accountId]), [['out_of_scope', creds.inv!.id]]);
      const detail = await get('sup', `/api/alerts/${items[0]!.id}`);
      assert.equal(detail.statusCode, 200);
      assert.equal((detail.json() as { events: unknown[] }).events.length, 3);

      const noCsrf = await s.inject({ method: 'POST', url: `/api/alerts/${items[0]!.id}/close`, headers: { cookie: sessions.sup!.cookie, 'x-epivault-purpose': 'audit' }, payload: { decision: 'justified', note: 'stale links in the case list' } });
      assert.equal(noCsrf.statusCode, 403);
      const short = await post('sup', `/api/alerts/${items[0]!.id}/close`, { decision: 'justified', note: 'ok' });
      assert.equal(short.statusCode, 400);
      assert.equal((short.json() as { field?: string }).field, 'note');
      const closed = await post('sup', `/api/alerts/${items[0]!.id}/close`, { decision: 'justified', note: 'stale links in the case list' });
      assert.equal(closed.statusCode, 200, closed.body);
      assert.equal((closed.json() as { status: string }).status, 'closed');
      assert.equal((await get('sup', '/api/alerts?status=closed')).json().items.length, 1);
    });

    it('answers alerts of another district, an investigator, a wrong purpose and no purpose as the API always does', async () => {
      const id = (await get('sup', '/api/alerts?status=closed')).json().items[0].id as string;
      const other = await get('sup2', `/api/alerts/${id}`);
      const missing = await get('sup', '/api/alerts/al_doesnotexist');
      assert.equal(other.statusCode, 404);
      assert.deepEqual(other.json(), missing.json(), 'forbidden and missing look the same');
      assert.equal((await get('inv', '/api/alerts')).statusCode, 404);
      assert.equal((await get('sup', '/api/alerts', 'case_investigation')).statusCode, 404);
      const none = await s.inject({ method: 'GET', url: '/api/alerts', headers: { cookie: sessions.sup!.cookie } });
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /x-epivault-purpose/);
      assert.equal((await s.inject({ method: 'GET', url: '/api/alerts' })).statusCode, 401);
    });

    it('gives the auditor an account’s activity and the events of a subject found by document number (POST only)', async () => {
      const activity = await get('aud', `/api/staff/${creds.inv!.id}/activity?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`);
      assert.equal(activity.statusCode, 200, activity.body);
      assert.deepEqual((activity.json() as { counts: { action: string }[] }).counts.filter((c) => c.action === 'read'), [{ action: 'read', outcome: 'denied', n: 3 }, { action: 'read', outcome: 'success', n: 1 }]);

      const bySubject = await post('aud', '/api/audit/events/query', { document: { type: 'resident_id', number: idNumber } });
      assert.equal(bySubject.statusCode, 200, bySubject.body);
      assert.deepEqual((bySubject.json() as { items: { action: string }[] }).items.map((e) => e.action), ['read', 'create']);
      const bad = await post('aud', '/api/audit/events/query', { document: { type: 'resident_id', number: idNumber }, extra: 1 });
      assert.equal(bad.statusCode, 400);
      const wrongRole = await post('inv', '/api/audit/events/query', { actor: creds.inv!.id });
      assert.equal(wrongRole.statusCode, 404);

      const csv = await post('aud', '/api/audit/events/export', { actor: creds.inv!.id });
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      const invEvents = await app.ctx.store.audit.query({ actor: creds.inv!.id, limit: 100 });
      const lines = csv.body.trimEnd().split('\r\n');
      assert.equal(lines.length, 1 + invEvents.length);
      assert.equal(lines[1]!.split(',')[0], String(invEvents[0]!.seq), 'newest first');
      const exported = await app.ctx.store.audit.query({ actor: creds.aud!.id, action: 'export', limit: 5 });
      assert.equal(exported.length, 1, 'the export is itself audited');
      // The searched number is in no response log, event or URL; the subject appears only as its keyed reference.
      const all = JSON.stringify(await app.ctx.store.audit.list(0, 10_000));
      assert.ok(!all.includes(idNumber) && !all.includes(subjectId));
    });

    it('publishes the latest signed checkpoint without sign-in, verifiable with the published key', async () => {
      await writeCheckpoint(app.ctx);
      const res = await s.inject({ method: 'GET', url: '/api/audit/checkpoint' });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { size: number; checkpoint: string; publicKey: string };
      assert.equal(body.size, await app.ctx.store.audit.count());
      assert.equal(openCheckpoint(body.checkpoint, parseVerifierKey(body.publicKey)).size, body.size);
      assert.throws(() => openCheckpoint(body.checkpoint.replace(/\n\d+\n/, `\n${body.size + 1}\n`), parseVerifierKey(body.publicKey)));
    });
  });
}
