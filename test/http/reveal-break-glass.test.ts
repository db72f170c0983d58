import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.ts';
import { rawSql } from '../support/raw-sql.ts';
import { CHAOYANG, HAIDIAN, NOT_FOUND, openCase, signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';

const REASON = 'patient called back, confirming identity';

/** Masked by default, reveal for a reason, break-glass and its review. */
for (const { engine, skip } of await engines()) {
  describe(`staff API: reveal and break-glass on ${engine}`, { skip }, () => {
    let s: StaffServer;
    let owner: Staff;
    let colleague: Staff;
    let tracer: Staff;
    let outsider: Staff;
    let supervisor: Staff;
    let kase: { id: string; subjectId: string };
    /** How far the server's clock is ahead of the real one (to let grants expire without waiting). */
    let skew = 0;

    before(async () => {
      s = await staffServer(engine, { clock: () => new Date(Date.now() + skew) });
      owner = await signedInStaff(s, 'investigator', CHAOYANG);
      colleague = await signedInStaff(s, 'investigator', CHAOYANG);
      tracer = await signedInStaff(s, 'tracer', CHAOYANG);
      outsider = await signedInStaff(s, 'investigator', HAIDIAN);
      supervisor = await signedInStaff(s, 'supervisor', CHAOYANG);
      kase = await openCase(owner, CHAOYANG);
      assert.equal((await supervisor.call('POST', `/api/cases/${kase.id}/assignments`, { staffId: tracer.id })).status, 201);
    });
    after(async () => { await s?.close(); });

    const auditRows = async (action: string) => {
      const raw = await rawSql(s.t.db);
      try {
        return await raw.query<{ actor: string; reason: string | null; resource_id: string | null; outcome: string }>(`select actor, reason, resource_id, outcome from audit_events where action = '${action}' order by seq`);
      } finally {
        await raw.close();
      }
    };

    it('shows every identity field masked by default, everywhere', async () => {
      const views = [
        (await owner.call('GET', `/api/cases/${kase.id}`)).body.subject.identity,
        (await owner.call('GET', `/api/subjects/${kase.subjectId}`)).body.identity,
        (await supervisor.call('GET', `/api/subjects/${kase.subjectId}`)).body.identity,
      ];
      for (const v of views) {
        for (const f of ['name', 'phone', 'address', 'birthDate', 'occupation', 'employer']) assert.equal(v[f].masked, true, f);
        assert.ok(v.documents.every((d: { masked: boolean }) => d.masked));
        assert.match(v.phone.value, /^\*\d{4}$/);
        assert.equal(v.address.value, '朝阳区');
        assert.match(v.birthDate.value, /^\d{4}$/);
      }
      const list = (await owner.call('GET', '/api/cases')).body.items[0];
      assert.equal(list.subject.name.masked, true);
    });

    it('reveals one field for a reason: audited with the reason, that field only, for that viewer only, until it expires', async () => {
      const none = await owner.call('POST', '/api/reveal', { resourceType: 'subject', id: kase.subjectId, field: 'phone' });
      assert.equal(none.status, 400);
      assert.equal(none.body.code, 'ERR_REASON_REQUIRED');
      const short = await owner.call('POST', '/api/reveal', { resourceType: 'subject', id: kase.subjectId, field: 'phone', reason: 'why' });
      assert.equal(short.body.code, 'ERR_REASON_REQUIRED');
      const r = await owner.call('POST', '/api/reveal', { resourceType: 'subject', id: kase.subjectId, field: 'phone', reason: REASON });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.match(r.body.value, /^\+861[3-9]\d{9}$/);
      assert.ok(Date.parse(r.body.expiresAt) > Date.now());
      const events = await auditRows('reveal');
      assert.equal(events.length, 1);
      assert.equal(events[0]!.actor, owner.id);
      assert.ok(events[0]!.reason?.includes(REASON) && events[0]!.reason.includes('phone'));
      const mine = (await owner.call('GET', `/api/subjects/${kase.subjectId}`)).body.identity;
      assert.deepEqual(mine.phone, { value: r.body.value, masked: false });
      assert.equal(mine.name.masked, true);
      const theirs = (await supervisor.call('GET', `/api/subjects/${kase.subjectId}`)).body.identity;
      assert.equal(theirs.phone.masked, true);
      skew = 16 * 60_000; // past the 15-minute grant, within the 30-minute idle timeout
      try {
        assert.equal((await owner.call('GET', `/api/subjects/${kase.subjectId}`)).body.identity.phone.masked, true, 'the grant expired');
      } finally {
        skew = 0;
      }
    });

    it('reveal: no access is the same 404 as no such subject; tracers do not reveal a case subject', async () => {
      for (const [who, id] of [[outsider, kase.subjectId], [tracer, kase.subjectId], [owner, 's_does_not_exist'], [colleague, kase.subjectId]] as const) {
        const r = await who.call('POST', '/api/reveal', { resourceType: 'subject', id, field: 'name', reason: REASON });
        assert.equal(r.status, 404);
        assert.deepEqual(r.body, NOT_FOUND);
      }
      const bad = await owner.call('POST', '/api/reveal', { resourceType: 'subject', id: kase.subjectId, field: 'sex', reason: REASON });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.field, 'field');
    });

    it('break-glass: an unassigned investigator of the jurisdiction opens the case for a reason, reviewed by the supervisor', async () => {
      assert.deepEqual((await colleague.call('GET', `/api/cases/${kase.id}`)).body, NOT_FOUND);
      const noReason = await colleague.call('POST', `/api/cases/${kase.id}/break-glass`, {});
      assert.equal(noReason.body.code, 'ERR_REASON_REQUIRED');
      for (const who of [outsider, tracer, owner]) assert.deepEqual((await who.call('POST', `/api/cases/${kase.id}/break-glass`, { reason: REASON })).body, NOT_FOUND);
      const grant = await colleague.call('POST', `/api/cases/${kase.id}/break-glass`, { reason: REASON });
      assert.equal(grant.status, 201, JSON.stringify(grant.body));
      assert.equal(grant.body.reviewStatus, 'pending');
      const opened = await colleague.call('GET', `/api/cases/${kase.id}`);
      assert.equal(opened.status, 200);
      assert.equal(opened.body.viaBreakGlass, true);
      assert.equal(opened.body.subject.identity.name.masked, true);
      const reads = (await auditRows('read')).filter((e) => e.actor === colleague.id && e.outcome === 'success');
      assert.ok(reads.some((e) => e.reason === `break_glass:${grant.body.id}`), 'reads through break-glass name the grant');
      const subject = await colleague.call('GET', `/api/subjects/${kase.subjectId}`);
      assert.equal(subject.status, 200);

      const pending = await supervisor.call('GET', '/api/break-glass', undefined, 'audit');
      assert.equal(pending.status, 200, JSON.stringify(pending.body));
      assert.deepEqual(pending.body.items.map((g: { id: string }) => g.id), [grant.body.id]);
      assert.deepEqual((await colleague.call('GET', '/api/break-glass', undefined, 'audit')).body, NOT_FOUND);
      const noNote = await supervisor.call('POST', `/api/break-glass/${grant.body.id}/review`, { decision: 'flag' }, 'audit');
      assert.equal(noNote.body.code, 'ERR_REASON_REQUIRED');
      const flagged = await supervisor.call('POST', `/api/break-glass/${grant.body.id}/review`, { decision: 'flag', note: 'no emergency on record for this case' }, 'audit');
      assert.equal(flagged.status, 200, JSON.stringify(flagged.body));
      assert.equal(flagged.body.reviewStatus, 'flagged');
      const again = await supervisor.call('POST', `/api/break-glass/${grant.body.id}/review`, { decision: 'accept', note: 'second thoughts on this' }, 'audit');
      assert.equal(again.status, 409);
      assert.deepEqual((await colleague.call('GET', `/api/cases/${kase.id}`)).body, NOT_FOUND, 'a flagged grant ends at once');
      assert.equal((await supervisor.call('GET', '/api/break-glass', undefined, 'audit')).body.items.length, 0);
    });

    it('assignments: supervisors assign and unassign; my assignments; the staff directory', async () => {
      const staff = await supervisor.call('GET', '/api/staff?role=investigator');
      assert.equal(staff.status, 200, JSON.stringify(staff.body));
      assert.ok(staff.body.items.some((m: { id: string }) => m.id === colleague.id));
      assert.ok(!staff.body.items.some((m: { id: string }) => m.id === outsider.id), 'Haidian staff are outside a Chaoyang supervisor\'s subtree');
      assert.deepEqual((await owner.call('GET', '/api/staff')).body, NOT_FOUND);
      const a = await supervisor.call('POST', `/api/cases/${kase.id}/assignments`, { staffId: colleague.id });
      assert.equal(a.status, 201);
      assert.equal((await supervisor.call('POST', `/api/cases/${kase.id}/assignments`, { staffId: colleague.id })).status, 409);
      assert.equal((await supervisor.call('POST', `/api/cases/${kase.id}/assignments`, { staffId: outsider.id })).status, 404);
      const mine = await colleague.call('GET', '/api/me/assignments');
      assert.deepEqual(mine.body.items.map((i: { caseId: string }) => i.caseId), [kase.id]);
      assert.equal((await colleague.call('GET', `/api/cases/${kase.id}`)).status, 200);
      assert.equal((await owner.call('POST', `/api/cases/${kase.id}/assignments`, { staffId: colleague.id })).status, 404);
      const d = await supervisor.call('DELETE', `/api/cases/${kase.id}/assignments/${colleague.id}`);
      assert.equal(d.status, 200);
      assert.deepEqual(d.body, { ok: true });
      assert.deepEqual((await colleague.call('GET', `/api/cases/${kase.id}`)).body, NOT_FOUND);
      assert.equal((await supervisor.call('DELETE', `/api/cases/${kase.id}/assignments/${colleague.id}`)).status, 404);
    });
  });
}
