/**
 * A close contact added by hand on a case page is followed up like one confirmed from discovery:
 * a quarantine with dates from the exposure (settings `quarantine.days`, 14 by default), daily
 * entries, the risk status, and a hand-over when the person lives in another jurisdiction.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { CHAOYANG, daysAgo, HAIDIAN, person } from '../../test/support/records.ts';
import { addCase, addPerson, staffMember } from '../../test/support/tracing.ts';
import type { StaffMember } from '../../test/support/tracing.ts';
import { addDays } from '../domain/dates.ts';
import { tracingSettings } from '../tracing/settings.ts';
import { addContact, listContacts } from './contact.service.ts';
import { addFollowup, readQuarantine } from './tracing/follow-up.service.ts';
import { decideHandover, listHandovers } from './tracing/handover.service.ts';
import { quarantinesOfCase } from './tracing/quarantine-queries.service.ts';
import { readRiskStatus } from './tracing/risk-status.service.ts';

for (const { engine, skip } of await engines()) {
  describe(`close contacts added by hand on ${engine}`, { skip }, () => {
    let t: TestApp;
    let supervisor: StaffMember;
    let haidianSupervisor: StaffMember;
    let tracer: StaffMember;
    let investigator: StaffMember;
    let caseId: string;

    before(async () => {
      t = await testApp(engine);
      supervisor = await staffMember(t.ctx, 'supervisor', '110000');
      haidianSupervisor = await staffMember(t.ctx, 'supervisor', HAIDIAN);
      tracer = await staffMember(t.ctx, 'tracer', CHAOYANG);
      investigator = await staffMember(t.ctx, 'investigator', CHAOYANG);
      ({ caseId } = await addCase(t.ctx, supervisor, CHAOYANG, { onset: daysAgo(6), report: daysAgo(3) }, [tracer, investigator]));
    });
    after(async () => { await t?.cleanup(); });

    const quarantineOf = async (contactId: string) => {
      const all = await quarantinesOfCase(t.ctx, tracer.req('quarantine_followup'), caseId);
      return all.filter((q) => q.contactId === contactId);
    };

    it('quarantines a new person at once: 14 days from the exposure, red, audited, followed up day by day', async () => {
      const exposed = daysAgo(3);
      const before = (await t.ctx.store.audit.query({ actor: tracer.id, limit: 1 }))[0]?.seq ?? 0;
      const c = await addContact(t.ctx, tracer.req(), caseId, { person: person(CHAOYANG), exposure: { exposureType: 'household', exposureDate: exposed } });
      assert.deepEqual([c.exposure.quarantineStart, c.exposure.quarantineEnd], [exposed, addDays(exposed, 14)], 'the view shows the quarantine dates');
      const listed = (await listContacts(t.ctx, tracer.req(), caseId, { limit: 50 })).items.find((x) => x.id === c.id)!;
      assert.deepEqual([listed.exposure.quarantineStart, listed.exposure.quarantineEnd], [exposed, addDays(exposed, 14)], 'the dates are stored in the exposure');

      const qs = await quarantineOf(c.id);
      assert.equal(qs.length, 1);
      const q = await readQuarantine(t.ctx, tracer.req('quarantine_followup'), qs[0]!.id);
      assert.deepEqual([q.status, q.jurisdictionCode, q.quarantineStart, q.quarantineEnd, q.daysLeft, q.handover], ['active', CHAOYANG, exposed, addDays(exposed, 14), 12, null]);
      assert.deepEqual(q.events.map((e) => e.action), ['start']);
      assert.deepEqual([q.riskStatus?.status, q.riskStatus?.reason], ['red', 'close_contact_in_quarantine']);
      assert.deepEqual((await readRiskStatus(t.ctx, supervisor.req(), c.subject.id)).reason, 'close_contact_in_quarantine');
      assert.equal(q.abilities.addEntry, true);

      const events = (await t.ctx.store.audit.query({ actor: tracer.id, limit: 20 })).filter((e) => e.seq > before && e.action === 'create');
      const created = events.map((e) => `${e.resource_type}:${e.resource_id}`);
      assert.ok(created.includes(`contact:${c.id}`) && created.includes(`quarantine:${q.id}`), `contact and quarantine audited: ${created.join(' ')}`);
      assert.ok(!created.some((x) => x.startsWith('handover:')), 'no hand-over inside the jurisdiction');

      const v = await addFollowup(t.ctx, tracer.req('quarantine_followup'), q.id, { date: daysAgo(1), symptoms: ['咳嗽'], temperatureC: 37.4 });
      assert.deepEqual(v.entries.map((e) => [e.date, e.symptoms, e.temperatureC]), [[daysAgo(1), ['咳嗽'], 37.4]]);
      await assert.rejects(addFollowup(t.ctx, tracer.req('quarantine_followup'), q.id, { date: addDays(exposed, -1) }), { code: 'ERR_VALIDATION', field: 'date' });
    });

    it('keeps quarantine dates given with the exposure, and takes the quarantine length from the settings', async () => {
      const exposed = daysAgo(2);
      const given = await addContact(t.ctx, investigator.req('contact_tracing'), caseId, {
        person: person(CHAOYANG), exposure: { exposureType: 'workplace', exposureDate: exposed, quarantineStart: daysAgo(1), quarantineEnd: addDays(exposed, 10) },
      });
      assert.deepEqual([given.exposure.quarantineStart, given.exposure.quarantineEnd], [daysAgo(1), addDays(exposed, 10)]);
      const [q] = await quarantineOf(given.id);
      assert.deepEqual([q?.status, q?.quarantineStart, q?.quarantineEnd], ['active', daysAgo(1), addDays(exposed, 10)]);

      const seven = await addContact(t.ctx, tracer.req(), caseId, { person: person(CHAOYANG), exposure: { exposureType: 'other', exposureDate: exposed } }, tracingSettings({ quarantine: { days: 7 } }));
      assert.equal(seven.exposure.quarantineEnd, addDays(exposed, 7));
      assert.equal((await quarantineOf(seven.id))[0]?.quarantineEnd, addDays(exposed, 7));
    });

    it('quarantines a registered person added by id, once per case they are a contact of', async () => {
      const subjectId = await addPerson(t.ctx, CHAOYANG);
      const c = await addContact(t.ctx, supervisor.req(), caseId, { subjectId, exposure: { exposureType: 'transport', exposureDate: daysAgo(4) } });
      assert.equal((await quarantineOf(c.id)).length, 1);
      const count = (await quarantinesOfCase(t.ctx, tracer.req('quarantine_followup'), caseId)).length;
      await assert.rejects(addContact(t.ctx, supervisor.req(), caseId, { subjectId, exposure: { exposureType: 'transport', exposureDate: daysAgo(4) } }), { code: 'ERR_CONFLICT' });
      assert.equal((await quarantinesOfCase(t.ctx, tracer.req('quarantine_followup'), caseId)).length, count, 'a refused contact leaves no quarantine');
    });

    it('hands a contact living in another jurisdiction over to it, whose supervisor accepts and follows up', async () => {
      const c = await addContact(t.ctx, tracer.req(), caseId, { person: person(HAIDIAN), exposure: { exposureType: 'household', exposureDate: daysAgo(2) } });
      assert.equal(c.subject.jurisdictionCode, HAIDIAN);
      const [qs] = await quarantineOf(c.id);
      const q = await readQuarantine(t.ctx, tracer.req('quarantine_followup'), qs!.id);
      assert.deepEqual([q.handover?.status, q.handover?.toJurisdiction, q.jurisdictionCode], ['pending', HAIDIAN, CHAOYANG]);
      const pending = await listHandovers(t.ctx, haidianSupervisor.req('quarantine_followup'), { limit: 50 });
      const h = pending.find((x) => x.contactId === c.id);
      assert.ok(h, 'the hand-over reaches the supervisors of the contact\'s jurisdiction');
      assert.deepEqual([h.id, h.fromJurisdiction, h.toJurisdiction, h.quarantineId], [q.handover!.id, CHAOYANG, HAIDIAN, q.id]);
      assert.equal((await listHandovers(t.ctx, haidianSupervisor.req('quarantine_followup'), { limit: 50 })).filter((x) => x.contactId !== c.id).length, 0, 'contacts of the case\'s own jurisdiction are not handed over');
      await decideHandover(t.ctx, haidianSupervisor.req('quarantine_followup'), h.id, { decision: 'accept' });
      const taken = await readQuarantine(t.ctx, haidianSupervisor.req('quarantine_followup'), q.id);
      assert.equal(taken.jurisdictionCode, HAIDIAN);
      const v = await addFollowup(t.ctx, haidianSupervisor.req('quarantine_followup'), q.id, { date: daysAgo(0), temperatureC: 36.6 });
      assert.equal(v.entries.length, 1);
    });
  });
}
