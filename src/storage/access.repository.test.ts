import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, freshDatabase } from '../../test/support/engines.ts';
import type { TestDatabase } from '../../test/support/engines.ts';
import { auditLogHashing } from '../audit/leaf.ts';
import { openDatabase, Store } from './store.ts';

const T0 = '2026-11-29T08:00:00.000Z';
const blob = Buffer.from('sealed');

async function addStaff(store: Store, id: string, role: string, jurisdiction: string, disabled = false): Promise<void> {
  await store.staff.insertAccount({
    id, username: id, role, jurisdiction_code: jurisdiction, password_hash: '$argon2id$x', must_change_password: 0,
    totp_sealed: blob, totp_last_step: null, disabled_at: disabled ? T0 : null, created_at: T0, updated_at: T0,
  });
}

async function addSubject(store: Store, id: string, jurisdiction: string): Promise<void> {
  await store.subjects.insertPeople([{
    subject: { id, jurisdiction_code: jurisdiction, street_code: null, retention_until: '2028-11-29', created_at: T0 },
    key: { subject_id: id, root_version: 1, wrapped: blob },
    identity: { subject_id: id, sealed: blob, name_bidx: Buffer.from([1, 2]), phone_bidx: null, updated_at: T0 },
    documents: [],
  }]);
}

async function addCase(store: Store, id: string, subjectId: string, jurisdiction: string): Promise<void> {
  await store.cases.insertCases([{
    id, subject_id: subjectId, case_number: `N-${id}`, classification: 'confirmed', jurisdiction_code: jurisdiction,
    report_date: '2026-11-20', confirmation_date: null, sealed: blob, created_at: T0,
  }]);
}

for (const { engine, skip } of await engines()) {
  describe(`access repository on ${engine}`, { skip }, () => {
    let t: TestDatabase;
    let store: Store;
    before(async () => {
      t = await freshDatabase(engine);
      store = new Store(await openDatabase(t.target), { auditHashing: auditLogHashing });
      await addStaff(store, 'inv1', 'investigator', '110105');
      await addStaff(store, 'tr1', 'tracer', '110105');
      await addStaff(store, 'sup1', 'supervisor', '110000', true);
      await addSubject(store, 's-case', '110105');
      await addSubject(store, 's-contact', '110108');
      await addSubject(store, 's-alone', '110105');
      await addCase(store, 'c1', 's-case', '110105001');
      await addCase(store, 'c2', 's-case', '110108');
      await store.cases.insertContactLinks([{ id: 'l1', case_id: 'c1', contact_subject_id: 's-contact', sealed: blob, created_at: T0 }]);
      await store.cases.insertNotes([{ id: 'n1', subject_id: 's-case', case_id: 'c1', author: 'inv1', sealed: blob, created_at: T0 }]);
      await store.cases.insertObservations([{ id: 'o1', subject_id: 's-alone', case_id: null, sealed: blob, created_at: T0 }]);
    });
    after(async () => {
      await store?.close();
      await t?.cleanup();
    });

    it('assigns and unassigns staff, idempotently, and reports the facts of cases and subjects', async () => {
      assert.equal(await store.access.assign('c1', 'tr1', T0), true);
      assert.equal(await store.access.assign('c1', 'inv1', '2026-11-29T08:00:01.000Z'), true);
      assert.equal(await store.access.assign('c1', 'inv1', T0), false, 'already assigned');
      assert.deepEqual(await store.access.staffOfCase('c1'), ['inv1', 'tr1']);
      assert.deepEqual(await store.access.caseFacts('c1'), { id: 'c1', subjectId: 's-case', jurisdiction: '110105001', assignedStaff: ['inv1', 'tr1'] });
      assert.equal(await store.access.caseFacts('nope'), undefined);

      const facts = await store.access.subjectFacts('s-case');
      assert.deepEqual(facts, { id: 's-case', jurisdiction: '110105', cases: [
        { relation: 'case', caseId: 'c1', jurisdiction: '110105001', assignedStaff: ['inv1', 'tr1'] },
        { relation: 'case', caseId: 'c2', jurisdiction: '110108', assignedStaff: [] },
      ] });
      assert.deepEqual(await store.access.subjectFacts('s-contact'), { id: 's-contact', jurisdiction: '110108', cases: [
        { relation: 'contact', caseId: 'c1', jurisdiction: '110105001', assignedStaff: ['inv1', 'tr1'] },
      ] });
      assert.deepEqual(await store.access.subjectFacts('s-alone'), { id: 's-alone', jurisdiction: '110105', cases: [] });
      assert.equal(await store.access.subjectFacts('nope'), undefined);

      assert.deepEqual(await store.access.contactLinkOwner('l1'), { subjectId: 's-contact', caseId: 'c1' });
      assert.deepEqual(await store.access.noteOwner('n1'), { subjectId: 's-case', caseId: 'c1' });
      assert.deepEqual(await store.access.observationOwner('o1'), { subjectId: 's-alone', caseId: null });
      assert.equal(await store.access.travelOwner('nope'), undefined);
      assert.deepEqual(await store.access.staffFacts('sup1'), { id: 'sup1', role: 'supervisor', jurisdiction: '110000', disabled: true });

      assert.equal(await store.access.unassign('c1', 'tr1'), true);
      assert.equal(await store.access.unassign('c1', 'tr1'), false);
      assert.deepEqual(await store.access.staffOfCase('c1'), ['inv1']);
    });

    it('pages a staff member\'s assignments by assignment time', async () => {
      await store.access.assign('c2', 'inv1', '2026-11-29T08:00:02.000Z');
      const first = await store.access.listForStaff('inv1', { limit: 1 });
      assert.deepEqual(first.items.map((r) => r.caseId), ['c1']);
      assert.equal(first.items[0]!.caseNumber, 'N-c1');
      assert.ok(first.next);
      const second = await store.access.listForStaff('inv1', { limit: 1, after: first.next });
      assert.deepEqual(second.items.map((r) => r.caseId), ['c2']);
      assert.equal(second.next, null);
      assert.deepEqual((await store.access.listForStaff('tr1', { limit: 10 })).items, []);
    });

    it('keeps reveal grants per account, record and field, until they expire', async () => {
      await store.access.createRevealGrant({ id: 'g1', account_id: 'inv1', resource_type: 'subject', resource_id: 's-case', field: 'phone', created_at: T0, expires_at: '2026-11-29T08:15:00.000Z' });
      await store.access.createRevealGrant({ id: 'g2', account_id: 'inv1', resource_type: 'subject', resource_id: 's-contact', field: 'name', created_at: T0, expires_at: '2026-11-29T08:05:00.000Z' });
      const at = (time: string, ids = ['s-case', 's-contact']) => store.access.activeRevealGrants('inv1', 'subject', ids, time).then((rows) => rows.map((r) => r.id));
      assert.deepEqual(await at('2026-11-29T08:01:00.000Z'), ['g2', 'g1']);
      assert.deepEqual(await at('2026-11-29T08:05:00.000Z'), ['g1'], 'expired at its instant');
      assert.deepEqual(await at('2026-11-29T08:15:00.000Z'), []);
      assert.deepEqual(await at('2026-11-29T08:01:00.000Z', []), []);
      assert.deepEqual(await store.access.activeRevealGrants('tr1', 'subject', ['s-case'], T0), [], 'another account sees none');
    });

    it('keeps break-glass grants, lists the pending ones by jurisdiction prefix and records one review', async () => {
      const grant = (id: string, caseId: string, jurisdiction: string, created: string, expires: string) => store.access.createBreakGlass({
        id, account_id: 'inv1', case_id: caseId, jurisdiction_code: jurisdiction, reason: 'emergency call from hospital', created_at: created,
        expires_at: expires, review_status: 'pending', reviewed_by: null, reviewed_at: null, review_note: null,
      });
      await grant('b1', 'c1', '110105001', '2026-11-29T08:00:00.000Z', '2026-11-29T12:00:00.000Z');
      await grant('b2', 'c2', '110108', '2026-11-29T08:00:01.000Z', '2026-11-29T12:00:01.000Z');
      await grant('b3', 'c1', '110105001', '2026-11-29T08:00:02.000Z', '2026-11-29T09:00:00.000Z');

      assert.equal((await store.access.activeBreakGlass('inv1', 'c1', '2026-11-29T08:30:00.000Z'))?.id, 'b1', 'the one lasting longest');
      assert.equal((await store.access.activeBreakGlass('inv1', 'c1', '2026-11-29T12:00:00.000Z')), undefined);
      assert.equal((await store.access.activeBreakGlass('tr1', 'c1', '2026-11-29T08:30:00.000Z')), undefined);
      assert.deepEqual([...(await store.access.activeBreakGlassByCase('inv1', ['c1', 'c2'], '2026-11-29T10:00:00.000Z')).keys()].sort(), ['c1', 'c2']);

      const beijing = await store.access.pendingBreakGlass('11', { limit: 2 });
      assert.deepEqual(beijing.items.map((g) => g.id), ['b1', 'b2']);
      assert.deepEqual((await store.access.pendingBreakGlass('11', { limit: 2, after: beijing.next })).items.map((g) => g.id), ['b3']);
      assert.deepEqual((await store.access.pendingBreakGlass('110105', { limit: 10 })).items.map((g) => g.id), ['b1', 'b3']);
      assert.deepEqual((await store.access.pendingBreakGlass('12', { limit: 10 })).items, []);
      await assert.rejects(store.access.pendingBreakGlass("11%' or 1=1 --", { limit: 10 }), /digits/);

      assert.equal(await store.access.reviewBreakGlass('b1', { status: 'flagged', by: 'sup1', at: '2026-11-29T09:00:00.000Z', note: 'no emergency on record' }), true);
      assert.equal(await store.access.reviewBreakGlass('b1', { status: 'accepted', by: 'sup1', at: '2026-11-29T09:00:00.000Z', note: 'second review' }), false);
      const b1 = await store.access.getBreakGlass('b1');
      assert.equal(b1?.review_status, 'flagged');
      assert.equal(b1?.reviewed_by, 'sup1');
      assert.equal(await store.access.activeBreakGlass('inv1', 'c1', '2026-11-29T08:30:00.000Z').then((g) => g?.id), 'b3', 'a flagged grant opens nothing');
      assert.deepEqual((await store.access.pendingBreakGlass('11', { limit: 10 })).items.map((g) => g.id), ['b2', 'b3']);
    });

    it('keeps alerts: insert, list by jurisdiction prefix and status, close once with a decision', async () => {
      const alert = (id: string, jurisdiction: string, created: string) => store.access.insertAlert({
        id, kind: 'break_glass', account_id: 'inv1', jurisdiction_code: jurisdiction, details: '{}', event_seqs: '[1]',
        status: 'open', decision: null, decided_by: null, decided_at: null, created_at: created,
      });
      await alert('a1', '110105001', '2026-11-29T08:00:00.000Z');
      await alert('a2', '110105', '2026-11-29T08:00:01.000Z');
      await alert('a3', '120101', '2026-11-29T08:00:02.000Z');
      const page = await store.access.listAlerts('1101', 'open', { limit: 1 });
      assert.deepEqual(page.items.map((a) => a.id), ['a2'], 'newest first');
      assert.deepEqual((await store.access.listAlerts('1101', 'open', { limit: 5, after: page.next })).items.map((a) => a.id), ['a1']);
      assert.equal(await store.access.closeAlert('a2', { decision: 'accepted', by: 'sup1', at: '2026-11-29T09:00:00.000Z' }), true);
      assert.equal(await store.access.closeAlert('a2', { decision: 'flagged', by: 'sup1', at: '2026-11-29T09:00:00.000Z' }), false);
      assert.equal(await store.access.closeAlert('nope', { decision: 'flagged', by: 'sup1', at: '2026-11-29T09:00:00.000Z' }), false);
      assert.deepEqual((await store.access.listAlerts('11', 'closed', { limit: 5 })).items.map((a) => [a.id, a.decision]), [['a2', 'accepted']]);
      assert.deepEqual((await store.access.listAlerts('11', 'open', { limit: 5 })).items.map((a) => a.id), ['a1']);
      assert.equal((await store.access.getAlert('a3'))?.jurisdiction_code, '120101');
    });

    it('reads a subject\'s cases with their staff, and an account\'s grants, in one query each', async () => {
      await addSubject(store, 's-both', '110105');
      await addCase(store, 'c3', 's-both', '110105');
      await store.cases.insertContactLinks([{ id: 'l2', case_id: 'c1', contact_subject_id: 's-both', sealed: blob, created_at: T0 }]);
      await store.access.assign('c3', 'tr1', T0);
      assert.deepEqual(await store.access.casesOfSubject('s-both'), [
        { relation: 'case', caseId: 'c3', jurisdiction: '110105', assignedStaff: ['tr1'] },
        { relation: 'contact', caseId: 'c1', jurisdiction: '110105001', assignedStaff: (await store.access.staffOfCase('c1')) },
      ]);
      assert.deepEqual(await store.access.casesOfSubject('nope'), []);

      await store.access.createRevealGrant({ id: 'g9', account_id: 'tr1', resource_type: 'subject', resource_id: 's-both', field: 'name', created_at: T0, expires_at: '2026-11-29T08:20:00.000Z' });
      await store.access.createRevealGrant({ id: 'g10', account_id: 'tr1', resource_type: 'subject', resource_id: 's-case', field: 'name', created_at: T0, expires_at: '2026-11-29T08:20:00.000Z' });
      await store.access.createRevealGrant({ id: 'g11', account_id: 'inv1', resource_type: 'subject', resource_id: 's-both', field: 'phone', created_at: T0, expires_at: '2026-11-29T08:20:00.000Z' });
      const bg = (id: string, caseId: string, expires: string, status = 'pending') => store.access.createBreakGlass({
        id, account_id: 'tr1', case_id: caseId, jurisdiction_code: '110105', reason: 'night call from the hospital', created_at: T0,
        expires_at: expires, review_status: status, reviewed_by: null, reviewed_at: null, review_note: null,
      });
      await bg('bg1', 'c3', '2026-11-29T09:00:00.000Z');
      await bg('bg2', 'c2', '2026-11-29T08:10:00.000Z');
      await bg('bg3', 'c3', '2026-11-29T10:00:00.000Z', 'flagged');
      const grants = (time: string) => store.access.activeGrants('tr1', 's-both', time);
      assert.deepEqual(await grants('2026-11-29T08:05:00.000Z'), [
        { kind: 'break_glass', ref: 'c2', item: 'bg2', expiresAt: '2026-11-29T08:10:00.000Z' },
        { kind: 'reveal', ref: 's-both', item: 'name', expiresAt: '2026-11-29T08:20:00.000Z' },
        { kind: 'break_glass', ref: 'c3', item: 'bg1', expiresAt: '2026-11-29T09:00:00.000Z' },
      ], 'every unflagged break-glass grant of the account, its reveal grants on this subject only; earliest expiry first');
      assert.deepEqual((await grants('2026-11-29T08:20:00.000Z')).map((g) => g.item), ['bg1'], 'each expires at its instant');
      assert.deepEqual(await grants('2026-11-29T09:00:00.000Z'), []);
      assert.deepEqual((await store.access.activeGrants('inv1', 's-both', '2026-11-29T08:05:00.000Z')).map((g) => g.item), ['phone', 'b3', 'b2'], 'another account sees its own only (b1 was flagged)');
    });

    it('runs inside transactions and rolls back with them', async () => {
      await assert.rejects(store.transaction(async (repos) => {
        await repos.access.assign('c2', 'tr1', T0);
        throw new Error('abort');
      }), /abort/);
      assert.deepEqual(await store.access.staffOfCase('c2'), ['inv1']);
    });
  });
}
