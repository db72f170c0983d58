import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { DEFAULT_THRESHOLDS } from '../audit/supervision.ts';
import type { Purpose, Role } from '../domain/roles.ts';
import { validateLineListRow } from '../domain/line-list.ts';
import { makeResidentId } from '../domain/id-number.ts';
import { createAccount } from './accounts.service.ts';
import { appendAudit } from './audit.service.ts';
import type { AuditInput } from './audit.service.ts';
import { exportAuditEvents, queryAuditEvents } from './audit-query.service.ts';
import { registerPeople } from './people.service.ts';
import { sealPerson } from './subject-cipher.ts';
import type { StaffActor, StaffRequest } from './staff-context.ts';
import { activityReport, closeAlert, listAlerts, loadThresholds, readAlert, scanSupervision } from './supervision.service.ts';

const T0 = Date.parse('2026-12-02T02:00:00Z'); // 10:00 in Beijing
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

for (const { engine, skip } of await engines()) {
  describe(`supervision and audit queries on ${engine}`, { skip }, () => {
    let app: TestApp;
    const staff: Record<string, StaffActor> = {};
    const request = (who: string, purpose: Purpose = 'audit'): StaffRequest => ({ actor: staff[who]!, purpose, requestId: `req-${who}`, now: new Date(at(120)) });
    const event = (who: string, input: Partial<AuditInput>, minute: number) =>
      app.ctx.store.transaction((repos) => appendAudit(repos, app.ctx.keys, who === 'anonymous' ? { id: 'anonymous', role: 'anonymous' } : staff[who]!,
        { action: 'read', resourceType: 'case', purpose: 'case_investigation', outcome: 'success', ...input }, at(minute)));

    before(async () => {
      app = await testApp(engine);
      const accounts: [string, Role, string][] = [
        ['admin', 'administrator', '110000'], ['sup-cy', 'supervisor', '110105'], ['sup-hd', 'supervisor', '110108'],
        ['inv-cy', 'investigator', '110105'], ['dpo', 'data_protection_officer', '110000'], ['auditor', 'auditor', '110000'],
      ];
      for (const [username, role, jurisdiction] of accounts) {
        const { account } = await createAccount(app.ctx, { username, role, jurisdiction });
        staff[username] = { id: account.id, role, username, jurisdiction: account.jurisdiction, termsAccepted: true };
      }
    });
    after(async () => { await app?.cleanup(); });

    it('raises alerts from the audit stream once, resuming from its cursor', async () => {
      for (let i = 0; i < 3; i++) await event('inv-cy', { outcome: 'denied', reason: 'policy:not_assigned' }, i);
      await event('inv-cy', { action: 'break_glass', resourceId: 'c_1', reason: 'urgent follow-up of a contact' }, 5);
      for (let i = 0; i < 5; i++) await event('anonymous', { action: 'auth.login', resourceType: 'staff_account', purpose: 'authentication', outcome: 'failure' }, 10 + i);
      const first = await scanSupervision(app.ctx, DEFAULT_THRESHOLDS, new Date(at(20)));
      assert.equal(first.alerts, 3);
      assert.equal((await scanSupervision(app.ctx, DEFAULT_THRESHOLDS, new Date(at(21)))).alerts, 0, 'a second scan raises nothing new');
      // Two more denials in the same hour do not raise the same alert again; three an hour later do.
      for (let i = 0; i < 2; i++) await event('inv-cy', { outcome: 'denied' }, 30 + i);
      for (let i = 0; i < 3; i++) await event('inv-cy', { outcome: 'denied' }, 100 + i);
      const next = await scanSupervision(app.ctx, DEFAULT_THRESHOLDS, new Date(at(110)));
      assert.equal(next.alerts, 1);
      assert.equal(next.scanned, 5);
    });

    it('shows each supervisor the alerts of their subtree and the DPO all of them, with the events behind them', async () => {
      const chaoyang = await listAlerts(app.ctx, request('sup-cy'), 'open', { limit: 50 });
      assert.deepEqual(chaoyang.items.map((a) => a.kind).sort(), ['break_glass', 'out_of_scope', 'out_of_scope']);
      assert.ok(chaoyang.items.every((a) => a.accountId === staff['inv-cy']!.id));
      assert.equal((await listAlerts(app.ctx, request('sup-hd'), 'open', { limit: 50 })).items.length, 0);
      const all = await listAlerts(app.ctx, request('dpo'), 'open', { limit: 50 });
      assert.deepEqual(all.items.map((a) => a.kind).sort(), ['break_glass', 'failed_sign_in', 'out_of_scope', 'out_of_scope']);
      const failed = all.items.find((a) => a.kind === 'failed_sign_in')!;
      assert.equal(failed.accountId, 'anonymous');
      assert.equal(failed.eventSeqs.length, 5);
      const page = await listAlerts(app.ctx, request('dpo'), 'open', { limit: 3 });
      assert.equal(page.items.length, 3);
      const rest = await listAlerts(app.ctx, request('dpo'), 'open', { limit: 3, after: page.next });
      assert.equal(rest.items.length, 1);

      const detail = await readAlert(app.ctx, request('sup-cy'), chaoyang.items.find((a) => a.kind === 'break_glass')!.id);
      assert.deepEqual(detail.events.map((e) => [e.action, e.reason]), [['break_glass', 'urgent follow-up of a contact']]);
    });

    it('denies alerts to investigators and to supervisors of other districts, like a missing alert, and audits it', async () => {
      const id = (await listAlerts(app.ctx, request('sup-cy'), 'open', { limit: 1 })).items[0]!.id;
      const before = await app.ctx.store.audit.count();
      await assert.rejects(listAlerts(app.ctx, request('inv-cy'), 'open', { limit: 10 }), /not found or no access/);
      await assert.rejects(readAlert(app.ctx, request('sup-hd'), id), /not found or no access/);
      await assert.rejects(readAlert(app.ctx, request('sup-cy'), 'al_doesnotexist'), /not found or no access/);
      await assert.rejects(readAlert(app.ctx, request('sup-cy', 'case_investigation'), id), /not found or no access/);
      const denials = (await app.ctx.store.audit.list(before, 100)).filter((e) => e.outcome === 'denied');
      assert.equal(denials.length, 4);
    });

    it('closes an alert once, with a decision and a note, audited', async () => {
      const alert = (await listAlerts(app.ctx, request('sup-cy'), 'open', { limit: 50 })).items.find((a) => a.kind === 'break_glass')!;
      await assert.rejects(closeAlert(app.ctx, request('sup-cy'), alert.id, 'justified', 'ok'), (e: Error & { code?: string }) => e.code === 'ERR_REASON_REQUIRED');
      await assert.rejects(closeAlert(app.ctx, request('sup-cy'), alert.id, 'maybe' as never, 'checked with the team lead'), (e: Error & { code?: string }) => e.code === 'ERR_VALIDATION');
      const closed = await closeAlert(app.ctx, request('sup-cy'), alert.id, 'justified', 'checked with the team lead');
      assert.equal(closed.status, 'closed');
      assert.equal(closed.decidedBy, staff['sup-cy']!.id);
      assert.match(closed.decision ?? '', /^justified: checked with the team lead$/);
      await assert.rejects(closeAlert(app.ctx, request('sup-cy'), alert.id, 'escalated', 'a second opinion differs'), (e: Error & { code?: string }) => e.code === 'ERR_CONFLICT');
      const closedList = await listAlerts(app.ctx, request('sup-cy'), 'closed', { limit: 10 });
      assert.deepEqual(closedList.items.map((a) => a.id), [alert.id]);
      const review = (await app.ctx.store.audit.query({ actor: staff['sup-cy']!.id, action: 'review', limit: 10 }));
      assert.equal(review.length, 1);
      assert.equal(review[0]!.outcome, 'success');
    });

    it('reports an account’s activity to the auditor, and refuses bad ranges naming the field', async () => {
      const report = await activityReport(app.ctx, request('auditor'), staff['inv-cy']!.id, at(-60), at(200));
      const denied = report.counts.find((c) => c.action === 'read' && c.outcome === 'denied');
      assert.equal(denied?.n, 8);
      await assert.rejects(activityReport(app.ctx, request('auditor'), staff['inv-cy']!.id, 'yesterday', at(0)), (e: Error & { field?: string }) => e.field === 'from');
      await assert.rejects(activityReport(app.ctx, request('auditor'), staff['inv-cy']!.id, at(10), at(0)), (e: Error & { field?: string }) => e.field === 'from');
    });

    it('lets an auditor find a subject’s events by document number without storing the number', async () => {
      const id = makeResidentId('110105', '1980-01-02', 7, 'F');
      const valid = validateLineListRow({ name: '审计测试', id_number: id, phone: '13800001111', address: '北京市朝阳区测试路1号', birth_date: '1980-01-02', sex: 'F', district_code: '110105', classification: 'confirmed', onset_date: '2026-11-01', report_date: '2026-11-03' }, '2026-11-29');
      assert.ok(valid.ok);
      const k = app.ctx.keys;
      const sealed = sealPerson({ root: k.keyring.current(), documentIndex: k.documentIndex, phoneIndex: k.phoneIndex, nameIndex: k.nameIndex, auditSubject: k.auditSubject }, valid.person, valid.case, new Date().toISOString());
      await registerPeople(app.ctx, [sealed], { purpose: 'case_investigation' });
      for (let i = 0; i < 3; i++) await event('inv-cy', { action: 'read', resourceType: 'subject', subjectId: sealed.person.subject.id }, 60 + i);

      const found = await queryAuditEvents(app.ctx, request('auditor'), { document: { type: 'resident_id', number: id.toLowerCase() }, limit: 2 });
      assert.equal(found.items.length, 2);
      assert.ok(found.next !== null);
      const rest = await queryAuditEvents(app.ctx, request('auditor'), { document: { type: 'resident_id', number: id }, before: found.next!, limit: 10 });
      // The three reads and the create, newest first, across the two pages.
      assert.deepEqual([...found.items, ...rest.items].map((e) => e.action), ['read', 'read', 'read', 'create']);
      const nobody = await queryAuditEvents(app.ctx, request('auditor'), { document: { type: 'resident_id', number: makeResidentId('110105', '1990-05-05', 9, 'M') } });
      assert.equal(nobody.items.length, 0);
      await assert.rejects(queryAuditEvents(app.ctx, request('auditor'), { document: { type: 'resident_id', number: '12345' } }), (e: Error & { field?: string }) => e.field === 'document.number');
      await assert.rejects(queryAuditEvents(app.ctx, request('auditor'), { limit: 1000 }), (e: Error & { field?: string }) => e.field === 'limit');
      await assert.rejects(queryAuditEvents(app.ctx, request('inv-cy', 'audit'), {}), /not found or no access/);

      const byActor = await queryAuditEvents(app.ctx, request('auditor'), { actor: staff['inv-cy']!.id, action: 'break_glass' });
      assert.deepEqual(byActor.items.map((e) => e.action), ['break_glass']);
      const window = await queryAuditEvents(app.ctx, request('auditor'), { actor: staff['inv-cy']!.id, from: at(0), to: at(3), limit: 100 });
      assert.equal(window.items.length, 3);

      const csv = await exportAuditEvents(app.ctx, request('auditor'), { actor: staff['inv-cy']!.id });
      const lines = csv.csv.trimEnd().split('\r\n');
      assert.equal(lines[0], 'seq,at,actor,actorRole,action,resourceType,resourceId,subjectRef,purpose,reason,outcome,requestId');
      assert.equal(lines.length - 1, csv.rows);
      // Every query and the export were audited, with the subject's reference for the document queries; the number never.
      const own = await app.ctx.store.audit.query({ actor: staff['auditor']!.id, limit: 100 });
      assert.deepEqual(own.map((e) => e.action).reverse().slice(-7), ['read', 'list', 'list', 'list', 'list', 'list', 'export']);
      assert.ok(own.some((e) => e.subject_ref !== null && e.action === 'list'));
      const everything = JSON.stringify(await app.ctx.store.audit.list(0, 100_000));
      assert.ok(!everything.includes(id) && !everything.includes(id.slice(0, 14)), 'the document number is in no audit event');
    });

    it('loads thresholds from the data directory, refusing unknown keys and bad values by name', () => {
      const dir = mkdtempSync(join(tmpdir(), 'ev-supervision-'));
      try {
        const file = join(dir, 'supervision.json');
        assert.deepEqual(loadThresholds(file), DEFAULT_THRESHOLDS);
        writeFileSync(file, JSON.stringify({ reveals: 4, timeZone: 'Asia/Urumqi' }));
        assert.equal(loadThresholds(file).reveals, 4);
        assert.equal(loadThresholds(file).timeZone, 'Asia/Urumqi');
        writeFileSync(file, JSON.stringify({ revealz: 4 }));
        assert.throws(() => loadThresholds(file), /revealz/);
        writeFileSync(file, JSON.stringify({ denied: 0 }));
        assert.throws(() => loadThresholds(file), /denied/);
        writeFileSync(file, JSON.stringify({ timeZone: 'Mars/Olympus' }));
        assert.throws(() => loadThresholds(file), /timeZone/);
        writeFileSync(file, '{');
        assert.throws(() => loadThresholds(file), /not valid JSON/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
