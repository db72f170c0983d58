import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/engines.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { CHAOYANG, daysAgo, HAIDIAN } from '../../../test/support/records.ts';
import { addCase, addPerson, addPlace, staffMember, visit } from '../../../test/support/tracing.ts';
import type { StaffMember } from '../../../test/support/tracing.ts';
import { confirmCandidate, runDiscovery } from './discovery.service.ts';
import { readQuarantine } from './follow-up.service.ts';
import { decideHandover, listHandovers } from './handover.service.ts';

/** Declining a hand-over: the contact stays with the case's jurisdiction, which keeps following them up. */
for (const { engine, skip } of await engines()) {
  describe(`hand-over declined on ${engine}`, { skip }, () => {
    let t: TestApp;
    let tracer: StaffMember;
    let haidianSupervisor: StaffMember;
    let haidianTracer: StaffMember;
    let handoverId: string;
    let quarantineId: string;

    before(async () => {
      t = await testApp(engine);
      const supervisor = await staffMember(t.ctx, 'supervisor', '110000');
      tracer = await staffMember(t.ctx, 'tracer', CHAOYANG);
      haidianSupervisor = await staffMember(t.ctx, 'supervisor', HAIDIAN);
      haidianTracer = await staffMember(t.ctx, 'tracer', HAIDIAN);
      const place = await addPlace(t.ctx, CHAOYANG);
      const day = daysAgo(4);
      const kase = await addCase(t.ctx, supervisor, CHAOYANG, { onset: daysAgo(3), report: daysAgo(2) }, [tracer]);
      await visit(t.ctx, supervisor, kase.subjectId, place, day, '10:00', '11:00');
      const visitor = await addPerson(t.ctx, HAIDIAN);
      await visit(t.ctx, supervisor, visitor, place, day, '10:15', '10:45');
      const found = await runDiscovery(t.ctx, tracer.req(), kase.caseId);
      const candidate = found.candidates.find((c) => c.subject.id === visitor)!;
      const confirmed = await confirmCandidate(t.ctx, tracer.req(), candidate.id);
      assert.ok(confirmed.handoverId, 'a contact living in Haidian is handed over');
      handoverId = confirmed.handoverId;
      quarantineId = confirmed.quarantineId;
    });
    after(async () => { await t?.cleanup(); });

    it('lets the receiving supervisor decline a pending hand-over: the quarantine stays with the case\'s jurisdiction', async () => {
      const followUp = haidianSupervisor.req('quarantine_followup');
      assert.deepEqual((await listHandovers(t.ctx, followUp, { limit: 10 })).map((h) => [h.id, h.status]), [[handoverId, 'pending']]);
      await assert.rejects(decideHandover(t.ctx, tracer.req('quarantine_followup'), handoverId, { decision: 'decline' }), { code: 'ERR_NOT_FOUND' });
      await assert.rejects(decideHandover(t.ctx, followUp, handoverId, { decision: 'maybe' as 'decline' }), { code: 'ERR_VALIDATION', field: 'decision' });
      const before = (await t.ctx.store.tracing.getQuarantine(quarantineId))!;
      const seq = (await t.ctx.store.audit.head()).size;

      const declined = await decideHandover(t.ctx, followUp, handoverId, { decision: 'decline' });
      assert.equal(declined.status, 'declined');
      assert.ok(declined.decidedAt);
      const row = (await t.ctx.store.tracing.getHandover(handoverId))!;
      assert.deepEqual([row.status, row.decided_by], ['declined', haidianSupervisor.id]);
      const after = (await t.ctx.store.tracing.getQuarantine(quarantineId))!;
      assert.deepEqual([after.jurisdiction_code, after.assigned_to, after.status], [before.jurisdiction_code, null, 'active']);
      assert.equal(after.jurisdiction_code, CHAOYANG);
      assert.deepEqual(after.sealed, before.sealed, 'the quarantine\'s history is unchanged: no hand-over event');
      const review = (await t.ctx.store.audit.list(seq, 100)).filter((e) => e.resource_type === 'handover');
      assert.deepEqual(review.map((e) => [e.action, e.resource_id, e.reason, e.outcome]), [['review', handoverId, 'declined', 'success']]);

      assert.deepEqual(await listHandovers(t.ctx, followUp, { limit: 10 }), [], 'no longer pending');
      await assert.rejects(decideHandover(t.ctx, followUp, handoverId, { decision: 'accept', assignTo: haidianTracer.id }), { code: 'ERR_CONFLICT' });
      assert.equal((await t.ctx.store.tracing.getQuarantine(quarantineId))!.jurisdiction_code, CHAOYANG, 'a late accept changes nothing');
      const q = await readQuarantine(t.ctx, tracer.req('quarantine_followup'), quarantineId);
      assert.deepEqual([q.jurisdictionCode, q.handover?.status, q.events.map((e) => e.action)], [CHAOYANG, 'declined', ['start']]);
      await assert.rejects(readQuarantine(t.ctx, haidianTracer.req('quarantine_followup'), quarantineId), { code: 'ERR_NOT_FOUND' });
    });
  });
}
