import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { validateLineListRow } from '../domain/line-list.ts';
import { makeResidentId } from '../domain/id-number.ts';
import type { Purpose, Role } from '../domain/roles.ts';
import { openDatabase, Store } from '../storage/store.ts';
import type { AppContext } from './app-context.ts';
import { authorize, check, filterAllowed, isValidReason, maskIdentity } from './access.service.ts';
import { assign, myAssignments, unassign } from './assignment.service.ts';
import { listPendingReviews, requestBreakGlass, review } from './break-glass.service.ts';
import { registerPeople } from './people.service.ts';
import { reveal } from './reveal.service.ts';
import type { StaffActor, StaffRequest } from './staff-context.ts';
import { openIdentity, sealPerson, unwrapDataKey } from './subject-cipher.ts';

const T0 = new Date('2026-11-29T08:00:00.000Z');
const REASON = 'calling the case about an exposure today';
const blob = Buffer.from('sealed');

const person = (i: number, district: string) => ({
  name: `测试${i}号`, id_number: makeResidentId(district, '1985-03-01', i, 'F'), phone: `1380000${String(1000 + i)}`,
  address: '北京市朝阳区某街道1号', birth_date: '1985-03-01', sex: 'F', district_code: district, employer: '某公司',
  classification: 'confirmed', onset_date: '2026-11-01', report_date: '2026-11-03',
});

type Staff = Record<'sup' | 'supHaidian' | 'inv1' | 'inv2' | 'tracer' | 'invHaidian' | 'auditor' | 'tracerHaidian', StaffActor>;

const withFail = (fn: () => Promise<unknown>, code: string) => assert.rejects(fn, (e: { code?: string }) => e.code === code);

for (const { engine, skip } of await engines()) {
  describe(`access services on ${engine}`, { skip }, () => {
    let app: TestApp;
    let ctx: AppContext;
    let staff: Staff;
    /** caseA (Chaoyang, assigned to inv1 and tracer), caseB (Haidian); subjects: their subjects and a contact of caseA. */
    const ids = { caseA: '', caseB: '', subjectA: '', subjectB: '', contact: '' };

    const req = (actor: StaffActor, purpose: Purpose, now = T0): StaffRequest => ({ actor, purpose, requestId: 'req-1', now });
    const lastEvent = async (actor: StaffActor) => (await ctx.store.audit.query({ actor: actor.id, limit: 1 }))[0];

    before(async () => {
      app = await testApp(engine);
      ctx = app.ctx;
      const mk = async (id: string, role: Role, jurisdiction: string): Promise<StaffActor> => {
        await ctx.store.staff.insertAccount({
          id, username: id.toLowerCase(), role, jurisdiction_code: jurisdiction, password_hash: '$argon2id$x', must_change_password: 0,
          totp_sealed: blob, totp_last_step: null, disabled_at: null, created_at: T0.toISOString(), updated_at: T0.toISOString(),
        });
        return { id, role, username: id.toLowerCase(), jurisdiction, termsAccepted: true };
      };
      staff = {
        sup: await mk('sup', 'supervisor', '110105'),
        supHaidian: await mk('supH', 'supervisor', '110108'),
        inv1: await mk('inv1', 'investigator', '110105'),
        inv2: await mk('inv2', 'investigator', '110105'),
        tracer: await mk('tr1', 'tracer', '110105'),
        invHaidian: await mk('invH', 'investigator', '110108'),
        auditor: await mk('aud', 'auditor', '110000'),
        tracerHaidian: await mk('trH', 'tracer', '110108'),
      };
      const keys = ctx.keys;
      const sealKeys = { root: keys.keyring.current(), documentIndex: keys.documentIndex, phoneIndex: keys.phoneIndex, nameIndex: keys.nameIndex, auditSubject: keys.auditSubject };
      const sealed = [person(1, '110105'), person(2, '110108'), person(3, '110105')].map((p, i) => {
        const r = validateLineListRow(p, '2026-11-29');
        assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
        return sealPerson(sealKeys, r.person, i === 2 ? null : r.case, T0.toISOString()); // the third is only a contact
      });
      await registerPeople(ctx, sealed, { purpose: 'case_investigation' });
      ids.caseA = sealed[0]!.case!.id; ids.subjectA = sealed[0]!.person.subject.id;
      ids.caseB = sealed[1]!.case!.id; ids.subjectB = sealed[1]!.person.subject.id;
      ids.contact = sealed[2]!.person.subject.id;
      await ctx.store.cases.insertContactLinks([{ id: 'link1', case_id: ids.caseA, contact_subject_id: ids.contact, sealed: blob, created_at: T0.toISOString() }]);
      await ctx.store.access.assign(ids.caseA, 'inv1', T0.toISOString());
      await ctx.store.access.assign(ids.caseA, 'tr1', T0.toISOString());
    });
    after(async () => { await app?.cleanup(); });

    describe('authorize', () => {
      it('allows the assigned investigator, with every identity field masked', async () => {
        const a = await authorize(ctx, req(staff.inv1, 'case_investigation'), 'read', { type: 'case', id: ids.caseA });
        assert.equal(a.facts.jurisdiction, '110105');
        assert.equal(a.facts.subjectId, ids.subjectA);
        assert.deepEqual(a.facts.assignedStaff, ['inv1', 'tr1']);
        assert.ok(a.obligations.mask.includes('name') && !a.obligations.viaBreakGlass);
        assert.deepEqual(a.grants, []);
      });

      it('answers "not found" alike for a missing record and one out of scope, and audits both as denied', async () => {
        const r = req(staff.inv2, 'case_investigation');
        await withFail(() => authorize(ctx, r, 'read', { type: 'case', id: ids.caseA }), 'ERR_NOT_FOUND');
        const denied = await lastEvent(staff.inv2);
        assert.deepEqual([denied?.action, denied?.resource_type, denied?.resource_id, denied?.outcome, denied?.reason, denied?.request_id], ['read', 'case', ids.caseA, 'denied', 'policy:scope', 'req-1']);
        await withFail(() => authorize(ctx, r, 'read', { type: 'case', id: 'c-does-not-exist' }), 'ERR_NOT_FOUND');
        assert.equal((await lastEvent(staff.inv2))?.reason, 'policy:not_found');
        await withFail(() => authorize(ctx, req(staff.inv1, 'disclosure'), 'read', { type: 'case', id: ids.caseA }), 'ERR_NOT_FOUND');
        await withFail(() => authorize(ctx, req(staff.auditor, 'audit'), 'read', { type: 'subject', id: ids.subjectA }), 'ERR_NOT_FOUND');
        const auditorDenied = await lastEvent(staff.auditor);
        assert.equal(auditorDenied?.resource_id, null, 'subjects are referenced by keyed reference only');
        assert.ok(auditorDenied?.subject_ref);
      });

      it('asks for the terms before any personal data (ERR_TERMS_REQUIRED)', async () => {
        const fresh = { ...staff.inv1, termsAccepted: false };
        await withFail(() => authorize(ctx, req(fresh, 'case_investigation'), 'read', { type: 'case', id: ids.caseA }), 'ERR_TERMS_REQUIRED');
        assert.equal((await lastEvent(staff.inv1))?.reason, 'policy:terms_required');
        await authorize(ctx, req(fresh, 'case_investigation'), 'list', { type: 'assignment', owner: fresh.id });
      });

      it('reaches a contact through the case it is a contact of, for tracing only', async () => {
        await authorize(ctx, req(staff.tracer, 'contact_tracing'), 'read', { type: 'subject', id: ids.contact });
        await authorize(ctx, req(staff.tracer, 'contact_tracing'), 'read', { type: 'contact', id: 'link1' });
        await authorize(ctx, req(staff.tracer, 'contact_tracing'), 'list', { type: 'contact', parent: { type: 'case', id: ids.caseA } });
        await withFail(() => authorize(ctx, req(staff.tracer, 'case_investigation'), 'reveal', { type: 'subject', id: ids.subjectA }), 'ERR_NOT_FOUND');
        await withFail(() => authorize(ctx, req(staff.tracerHaidian, 'contact_tracing'), 'read', { type: 'subject', id: ids.contact }), 'ERR_NOT_FOUND');
        const q = await authorize(ctx, req(staff.tracer, 'quarantine_followup'), 'update', { type: 'contact', id: 'link1' });
        assert.deepEqual(q.obligations.onlyFields, ['quarantineStart', 'quarantineEnd']);
      });

      it('restricts collection queries of investigators to their assignments, not supervisors\'', async () => {
        const inv = await authorize(ctx, req(staff.inv1, 'case_investigation'), 'list', { type: 'case' });
        assert.equal(inv.obligations.restrictToAssigned, true);
        assert.equal(inv.facts.jurisdiction, '110105');
        const sup = await authorize(ctx, req(staff.sup, 'case_investigation'), 'list', { type: 'case', scope: '110105001' });
        assert.equal(sup.obligations.restrictToAssigned, false);
        await withFail(() => authorize(ctx, req(staff.sup, 'case_investigation'), 'list', { type: 'case', scope: '110108' }), 'ERR_NOT_FOUND');
      });

      it('denies even when the audit of the denial cannot be written (fail closed)', async () => {
        const broken = new Store(await openDatabase(app.db.target)); // no audit hashing: every append fails
        try {
          const brokenCtx: AppContext = { ...ctx, store: broken, logger: { ...ctx.logger, error: () => {} } as AppContext['logger'] };
          await withFail(() => authorize(brokenCtx, req(staff.inv2, 'case_investigation'), 'read', { type: 'case', id: ids.caseA }), 'ERR_NOT_FOUND');
          const before = await ctx.store.audit.count();
          await assert.rejects(reveal(brokenCtx, req(staff.inv1, 'case_investigation'), { resourceType: 'subject', id: ids.subjectA, field: 'phone', reason: REASON }));
          assert.equal(await ctx.store.audit.count(), before);
          assert.deepEqual(await ctx.store.access.activeRevealGrants('inv1', 'subject', [ids.subjectA], T0.toISOString()), [], 'no grant without its audit');
        } finally {
          await broken.close();
        }
      });
    });

    describe('reveal', () => {
      it('requires a reason of some substance, before anything else', async () => {
        assert.equal(isValidReason('too short'), false);
        assert.equal(isValidReason('核实密接电话'), true, 'six Chinese characters');
        assert.equal(isValidReason('核实电话'), false);
        assert.equal(isValidReason('          x'), false);
        assert.equal(isValidReason('x'.repeat(501)), false);
        for (const reason of ['', '   ', 'short', undefined as unknown as string]) {
          await withFail(() => reveal(ctx, req(staff.inv2, 'case_investigation'), { resourceType: 'subject', id: ids.subjectA, field: 'phone', reason }), 'ERR_REASON_REQUIRED');
        }
        await withFail(() => reveal(ctx, req(staff.inv1, 'case_investigation'), { resourceType: 'subject', id: ids.subjectA, field: 'salary' as 'phone', reason: REASON }), 'ERR_VALIDATION');
      });

      it('reveals one field for a while, audited with its reason before the value is returned', async () => {
        const r = req(staff.inv1, 'case_investigation');
        const out = await reveal(ctx, r, { resourceType: 'subject', id: ids.subjectA, field: 'phone', reason: REASON }, { revealMinutes: 10 });
        assert.equal(out.value, '+8613800001001', 'phones are stored in E.164');
        assert.equal(out.expiresAt, '2026-11-29T08:10:00.000Z');
        const event = await lastEvent(staff.inv1);
        assert.deepEqual([event?.action, event?.resource_type, event?.outcome, event?.reason], ['reveal', 'subject', 'success', `[phone] ${REASON}`]);
        assert.ok(!JSON.stringify(event).includes('13800001001'), 'no value in the audit');

        const a = await authorize(ctx, req(staff.inv1, 'case_investigation', new Date('2026-11-29T08:05:00Z')), 'read', { type: 'subject', id: ids.subjectA });
        assert.deepEqual(a.grants.map((g) => g.field), ['phone']);
        const identity = await decryptIdentity(ctx, ids.subjectA);
        const view = maskIdentity(identity, '110105', a.obligations, a.grants, new Date('2026-11-29T08:05:00Z'));
        assert.deepEqual(view.phone, { value: '+8613800001001', masked: false });
        assert.equal(view.name.masked, true);
        assert.equal(view.name.value, '测***');
        assert.deepEqual(view.employer, { value: null, masked: true });
        const later = maskIdentity(identity, '110105', a.obligations, a.grants, new Date('2026-11-29T08:10:00Z'));
        assert.equal(later.phone.masked, true, 'expired grants mask again');
        const other = await authorize(ctx, req(staff.sup, 'case_investigation', new Date('2026-11-29T08:05:00Z')), 'read', { type: 'subject', id: ids.subjectA });
        assert.deepEqual(other.grants, [], 'a grant is the viewer\'s own');
      });

      it('refuses a reveal out of scope as "not found", audited as denied', async () => {
        await withFail(() => reveal(ctx, req(staff.inv2, 'case_investigation'), { resourceType: 'subject', id: ids.subjectA, field: 'name', reason: REASON }), 'ERR_NOT_FOUND');
        assert.deepEqual([(await lastEvent(staff.inv2))?.action, (await lastEvent(staff.inv2))?.outcome], ['reveal', 'denied']);
        await withFail(() => reveal(ctx, req(staff.auditor, 'audit'), { resourceType: 'subject', id: ids.subjectA, field: 'name', reason: REASON }), 'ERR_NOT_FOUND');
        const tracer = await reveal(ctx, req(staff.tracer, 'contact_tracing'), { resourceType: 'subject', id: ids.contact, field: 'phone', reason: REASON });
        assert.equal(tracer.value, '+8613800001003');
      });
    });

    describe('break-glass', () => {
      let grantId = '';

      it('lets an unassigned investigator of the jurisdiction open a case, with a reason, and alerts supervisors', async () => {
        await withFail(() => requestBreakGlass(ctx, req(staff.inv2, 'case_investigation'), ids.caseA, 'short'), 'ERR_REASON_REQUIRED');
        await withFail(() => requestBreakGlass(ctx, req(staff.inv1, 'case_investigation'), ids.caseA, REASON), 'ERR_NOT_FOUND');
        await withFail(() => requestBreakGlass(ctx, req(staff.tracer, 'case_investigation'), ids.caseA, REASON), 'ERR_NOT_FOUND');
        await withFail(() => requestBreakGlass(ctx, req(staff.invHaidian, 'case_investigation'), ids.caseA, REASON), 'ERR_NOT_FOUND');
        await withFail(() => authorize(ctx, req(staff.inv2, 'case_investigation'), 'read', { type: 'case', id: ids.caseA }), 'ERR_NOT_FOUND');

        const grant = await requestBreakGlass(ctx, req(staff.inv2, 'case_investigation'), ids.caseA, REASON, { breakGlassHours: 2 });
        grantId = grant.id;
        assert.deepEqual([grant.caseId, grant.accountId, grant.jurisdiction, grant.expiresAt, grant.reviewStatus], [ids.caseA, 'inv2', '110105', '2026-11-29T10:00:00.000Z', 'pending']);
        const event = await lastEvent(staff.inv2);
        assert.deepEqual([event?.action, event?.resource_type, event?.resource_id, event?.reason, event?.outcome], ['break_glass', 'case', ids.caseA, REASON, 'success']);
        const alert = await ctx.store.access.getAlert(grant.id);
        assert.deepEqual([alert?.kind, alert?.status, alert?.account_id, alert?.jurisdiction_code, JSON.parse(alert!.event_seqs)], ['break_glass', 'open', 'inv2', '110105', [event!.seq]]);
      });

      it('opens the case and its subject, read-only, while the grant lasts', async () => {
        const during = new Date('2026-11-29T09:00:00Z');
        const c = await authorize(ctx, req(staff.inv2, 'case_investigation', during), 'read', { type: 'case', id: ids.caseA });
        assert.equal(c.obligations.viaBreakGlass, true);
        assert.equal(c.facts.breakGlassGrantId, grantId);
        const s = await authorize(ctx, req(staff.inv2, 'case_investigation', during), 'read', { type: 'subject', id: ids.subjectA });
        assert.equal(s.obligations.viaBreakGlass, true);
        await withFail(() => authorize(ctx, req(staff.inv2, 'case_investigation', during), 'update', { type: 'case', id: ids.caseA }), 'ERR_NOT_FOUND');
        await withFail(() => authorize(ctx, req(staff.inv2, 'case_investigation', during), 'reveal', { type: 'subject', id: ids.subjectA }, { reason: REASON }), 'ERR_NOT_FOUND');
        await withFail(() => authorize(ctx, req(staff.inv2, 'case_investigation', new Date('2026-11-29T10:00:00Z')), 'read', { type: 'case', id: ids.caseA }), 'ERR_NOT_FOUND');
      });

      it('is reviewed by a supervisor of the jurisdiction, once; a flag ends the access', async () => {
        const audit = (s: StaffActor) => req(s, 'audit', new Date('2026-11-29T09:00:00Z'));
        const pending = await listPendingReviews(ctx, audit(staff.sup));
        assert.deepEqual(pending.items.map((g) => g.id), [grantId]);
        assert.deepEqual((await listPendingReviews(ctx, audit(staff.supHaidian))).items, []);
        await withFail(() => listPendingReviews(ctx, req(staff.sup, 'case_investigation')), 'ERR_NOT_FOUND');
        await withFail(() => listPendingReviews(ctx, audit(staff.inv1)), 'ERR_NOT_FOUND');
        await withFail(() => review(ctx, audit(staff.supHaidian), grantId, 'flag', 'not an emergency at all'), 'ERR_NOT_FOUND');
        await withFail(() => review(ctx, audit(staff.sup), grantId, 'maybe' as 'flag', 'not an emergency at all'), 'ERR_VALIDATION');
        await withFail(() => review(ctx, audit(staff.sup), grantId, 'flag', 'no'), 'ERR_REASON_REQUIRED');

        const reviewed = await review(ctx, audit(staff.sup), grantId, 'flag', 'not an emergency at all');
        assert.deepEqual([reviewed.reviewStatus, reviewed.reviewedBy, reviewed.reviewNote], ['flagged', 'sup', 'not an emergency at all']);
        assert.deepEqual([(await lastEvent(staff.sup))?.action, (await lastEvent(staff.sup))?.resource_id], ['review', grantId]);
        assert.deepEqual([(await ctx.store.access.getAlert(grantId))?.status, (await ctx.store.access.getAlert(grantId))?.decision], ['closed', 'flagged']);
        await withFail(() => review(ctx, audit(staff.sup), grantId, 'accept', 'on second thoughts fine'), 'ERR_CONFLICT');
        await withFail(() => authorize(ctx, req(staff.inv2, 'case_investigation', new Date('2026-11-29T09:01:00Z')), 'read', { type: 'case', id: ids.caseA }), 'ERR_NOT_FOUND');
        assert.deepEqual((await listPendingReviews(ctx, audit(staff.sup))).items, []);
      });
    });

    describe('assignments', () => {
      const work = (s: StaffActor) => req(s, 'case_investigation');

      it('lets a supervisor assign investigators and tracers of the subtree to its cases', async () => {
        const a = await assign(ctx, work(staff.sup), ids.caseA, 'inv2');
        assert.deepEqual(a, { caseId: ids.caseA, staffId: 'inv2', assignedAt: T0.toISOString() });
        assert.deepEqual([(await lastEvent(staff.sup))?.action, (await lastEvent(staff.sup))?.resource_id], ['assign', `${ids.caseA}/inv2`]);
        await withFail(() => assign(ctx, work(staff.sup), ids.caseA, 'inv2'), 'ERR_CONFLICT');
        await authorize(ctx, work(staff.inv2), 'update', { type: 'case', id: ids.caseA });

        await withFail(() => assign(ctx, work(staff.sup), ids.caseA, 'sup'), 'ERR_VALIDATION');
        await withFail(() => assign(ctx, work(staff.sup), ids.caseA, 'aud'), 'ERR_NOT_FOUND');
        await withFail(() => assign(ctx, work(staff.sup), ids.caseA, 'invH'), 'ERR_NOT_FOUND');
        await withFail(() => assign(ctx, work(staff.sup), ids.caseA, 'nobody'), 'ERR_NOT_FOUND');
        await withFail(() => assign(ctx, work(staff.sup), ids.caseB, 'inv2'), 'ERR_NOT_FOUND');
        await withFail(() => assign(ctx, work(staff.supHaidian), ids.caseB, 'tr1'), 'ERR_NOT_FOUND');
        await withFail(() => assign(ctx, work(staff.inv1), ids.caseA, 'inv2'), 'ERR_NOT_FOUND');
        await withFail(() => assign(ctx, req(staff.sup, 'administration'), ids.caseA, 'tr1'), 'ERR_NOT_FOUND');
        const h = await assign(ctx, work(staff.supHaidian), ids.caseB, 'trH');
        assert.equal(h.staffId, 'trH');
      });

      it('lists my assignments page by page, and unassigns', async () => {
        await ctx.store.access.assign(ids.caseB, 'inv2', '2026-11-29T08:00:01.000Z'); // direct, to have two
        const first = await myAssignments(ctx, work(staff.inv2), { limit: 1 });
        assert.deepEqual(first.items.map((i) => [i.caseId, i.jurisdiction]), [[ids.caseA, '110105']]);
        const second = await myAssignments(ctx, work(staff.inv2), { limit: 1, cursor: first.nextCursor });
        assert.deepEqual(second.items.map((i) => i.caseId), [ids.caseB]);
        assert.equal(second.nextCursor, null);
        assert.equal((await lastEvent(staff.inv2))?.action, 'list');
        await withFail(() => myAssignments(ctx, work(staff.inv2), { limit: 0 }), 'ERR_VALIDATION');
        await withFail(() => myAssignments(ctx, work(staff.inv2), { cursor: "x' or 1=1" }), 'ERR_VALIDATION');
        assert.deepEqual((await myAssignments(ctx, work(staff.sup))).items, [], 'a supervisor has no assignments of their own');
        await withFail(() => myAssignments(ctx, req(staff.auditor, 'audit')), 'ERR_NOT_FOUND');

        await unassign(ctx, work(staff.sup), ids.caseA, 'inv2');
        assert.equal((await lastEvent(staff.sup))?.action, 'unassign');
        await withFail(() => unassign(ctx, work(staff.sup), ids.caseA, 'inv2'), 'ERR_NOT_FOUND');
        await withFail(() => authorize(ctx, work(staff.inv2), 'update', { type: 'case', id: ids.caseA }), 'ERR_NOT_FOUND');
      });
    });

    describe('filterAllowed (list pages)', () => {
      it('decides each item exactly as check does, with a page of cases or subjects loaded together', async () => {
        // A live break-glass grant (inv2 on caseB's neighbour caseA was flagged above: a new one on caseA) and a reveal grant.
        const at = new Date('2026-11-29T12:00:00.000Z');
        await requestBreakGlass(ctx, req(staff.inv2, 'case_investigation', at), ids.caseA, REASON);
        await reveal(ctx, req(staff.inv1, 'case_investigation', at), { resourceType: 'subject', id: ids.subjectA, field: 'phone', reason: REASON });
        const later = new Date('2026-11-29T12:05:00.000Z'); // inside the grants' 15 minutes and 4 hours
        const targets = [
          { type: 'case' as const, id: ids.caseA }, { type: 'case' as const, id: 'no-such-case' }, { type: 'case' as const, id: ids.caseB },
          { type: 'subject' as const, id: ids.subjectA }, { type: 'case' as const, id: ids.caseA }, { type: 'subject' as const, id: ids.contact },
          { type: 'subject' as const, id: ids.subjectB }, { type: 'subject' as const, id: 'no-such-subject' }, { type: 'contact' as const, id: 'link1' },
        ];
        let allowedSomewhere = 0;
        let viaBreakGlass = 0;
        let withGrants = 0;
        for (const actor of Object.values(staff)) {
          for (const purpose of ['case_investigation', 'contact_tracing', 'quarantine_followup', 'audit'] as const) {
            for (const action of ['read', 'update'] as const) {
              const r = req(actor, purpose, later);
              const batch = await filterAllowed(ctx.store, r, action, targets);
              const oneByOne = [];
              for (const target of targets) {
                const c = await check(ctx.store, r, action, target);
                if (c.allow) oneByOne.push({ target, authorized: c.authorized });
              }
              assert.deepEqual(batch, oneByOne, `${actor.id} ${purpose} ${action}`);
              allowedSomewhere += batch.length;
              viaBreakGlass += batch.filter((b) => b.authorized.obligations.viaBreakGlass).length;
              withGrants += batch.filter((b) => b.authorized.grants.length > 0).length;
            }
          }
        }
        assert.ok(allowedSomewhere > 10 && viaBreakGlass > 0 && withGrants > 0, `the cases cover allows (${allowedSomewhere}), break-glass (${viaBreakGlass}) and reveal grants (${withGrants})`);
      });
    });
  });
}

async function decryptIdentity(ctx: AppContext, subjectId: string) {
  const row = await ctx.store.subjects.getIdentity(subjectId);
  const key = await ctx.store.subjects.getKey(subjectId);
  return openIdentity(unwrapDataKey(ctx.keys.keyring.get(key!.root_version), subjectId, key!.wrapped), subjectId, row!.sealed);
}
