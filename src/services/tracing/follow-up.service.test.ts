import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/engines.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { CHAOYANG, daysAgo, person } from '../../../test/support/records.ts';
import { addCase, staffMember } from '../../../test/support/tracing.ts';
import type { StaffMember } from '../../../test/support/tracing.ts';
import { addDays } from '../../domain/dates.ts';
import { addContact } from '../contact.service.ts';
import { chainOfCase, exportClusterOfCase } from './chains.service.ts';
import { addFollowup, convertToCase, endQuarantine, extendQuarantine, quarantineContact, readQuarantine } from './follow-up.service.ts';
import { listQuarantines, quarantinesOfCase } from './quarantine-queries.service.ts';
import { readRiskStatus } from './risk-status.service.ts';
import { addSecondaryContact, listSecondaryContacts } from './secondary.service.ts';

for (const { engine, skip } of await engines()) {
  describe(`quarantine follow-up, secondary contacts and chains on ${engine}`, { skip }, () => {
    let t: TestApp;
    let supervisor: StaffMember;
    let tracer: StaffMember;
    let investigator: StaffMember;
    let stranger: StaffMember;
    let caseId: string;
    let caseSubject: string;
    let linkId: string;
    let contactSubject: string;
    let qid: string;
    const exposed = daysAgo(3);

    before(async () => {
      t = await testApp(engine);
      supervisor = await staffMember(t.ctx, 'supervisor', '110000');
      tracer = await staffMember(t.ctx, 'tracer', CHAOYANG);
      investigator = await staffMember(t.ctx, 'investigator', CHAOYANG);
      stranger = await staffMember(t.ctx, 'tracer', CHAOYANG);
      ({ caseId, subjectId: caseSubject } = await addCase(t.ctx, supervisor, CHAOYANG, { onset: daysAgo(5), report: daysAgo(2) }, [tracer, investigator]));
      const c = await addContact(t.ctx, tracer.req(), caseId, { person: person(CHAOYANG), exposure: { exposureType: 'household', exposureDate: exposed } });
      linkId = c.id;
      contactSubject = c.subject.id;
    });
    after(async () => { await t?.cleanup(); });

    it('starts a quarantine of 14 days from the exposure, red while it lasts, once per contact', async () => {
      const q = await quarantineContact(t.ctx, tracer.req(), linkId);
      qid = q.id;
      assert.deepEqual([q.status, q.quarantineStart, q.quarantineEnd, q.daysLeft], ['active', exposed, addDays(exposed, 14), 12]);
      assert.deepEqual([q.riskStatus?.status, q.riskStatus?.reason], ['red', 'close_contact_in_quarantine']);
      assert.equal(q.subject.identity.name.masked, true);
      await assert.rejects(quarantineContact(t.ctx, tracer.req(), linkId), { code: 'ERR_CONFLICT' });
      await assert.rejects(quarantineContact(t.ctx, stranger.req(), linkId), { code: 'ERR_NOT_FOUND' });
      assert.deepEqual((await quarantinesOfCase(t.ctx, tracer.req('quarantine_followup'), caseId)).map((x) => x.id), [qid]);
      assert.deepEqual((await listQuarantines(t.ctx, tracer.req('quarantine_followup'), { limit: 10 })).items.map((x) => x.id), [qid]);
      assert.deepEqual((await listQuarantines(t.ctx, stranger.req('quarantine_followup'), { limit: 10 })).items, []);
    });

    it('records one follow-up a day inside the quarantine, sealed, and validates every field', async () => {
      const followUp = tracer.req('quarantine_followup');
      const v = await addFollowup(t.ctx, followUp, qid, { date: daysAgo(1), symptoms: ['发热', '咳嗽'], temperatureC: 38.1, note: '已通知社区医生' });
      assert.deepEqual(v.entries.map((e) => [e.date, e.symptoms, e.temperatureC, e.note]), [[daysAgo(1), ['发热', '咳嗽'], 38.1, '已通知社区医生']]);
      await assert.rejects(addFollowup(t.ctx, followUp, qid, { date: daysAgo(1) }), { code: 'ERR_CONFLICT', field: 'date' });
      await assert.rejects(addFollowup(t.ctx, followUp, qid, { date: daysAgo(4) }), { code: 'ERR_VALIDATION', field: 'date' });
      await assert.rejects(addFollowup(t.ctx, followUp, qid, { date: addDays(daysAgo(0), 1) }), { code: 'ERR_VALIDATION', field: 'date' });
      await assert.rejects(addFollowup(t.ctx, followUp, qid, { date: daysAgo(0), temperatureC: 20 }), { code: 'ERR_VALIDATION', field: 'temperatureC' });
      await assert.rejects(addFollowup(t.ctx, stranger.req('quarantine_followup'), qid, { date: daysAgo(0) }), { code: 'ERR_NOT_FOUND' });
      await assert.rejects(readQuarantine(t.ctx, tracer.req('case_investigation'), qid), { code: 'ERR_NOT_FOUND' });
      const rows = await t.ctx.store.tracing.followupsOf(qid);
      assert.ok(!rows[0]!.sealed.includes(Buffer.from('已通知社区医生')), 'entries are sealed');
    });

    it('extends with a reason within the limit', async () => {
      const followUp = tracer.req('quarantine_followup');
      await assert.rejects(extendQuarantine(t.ctx, followUp, qid, { days: 3, reason: '' }), { code: 'ERR_REASON_REQUIRED' });
      await assert.rejects(extendQuarantine(t.ctx, followUp, qid, { days: 15, reason: '出现发热症状，延长观察' }), { code: 'ERR_VALIDATION', field: 'days' });
      const v = await extendQuarantine(t.ctx, followUp, qid, { days: 3, reason: '出现发热症状，延长观察' });
      assert.equal(v.quarantineEnd, addDays(exposed, 17));
      assert.deepEqual(v.events.map((e) => e.action), ['start', 'extend']);
    });

    it('records secondary contacts (yellow) and draws them in the chain', async () => {
      const sc = await addSecondaryContact(t.ctx, tracer.req(), linkId, { person: person(CHAOYANG), exposure: { exposureType: 'workplace', exposureDate: daysAgo(1), setting: '同一办公室' } });
      assert.equal(sc.subject.identity.name.masked, true);
      assert.deepEqual((await listSecondaryContacts(t.ctx, tracer.req(), linkId)).map((x) => x.id), [sc.id]);
      await assert.rejects(listSecondaryContacts(t.ctx, stranger.req(), linkId), { code: 'ERR_NOT_FOUND' });
      const risk = await readRiskStatus(t.ctx, supervisor.req(), sc.subject.id);
      assert.deepEqual([risk.status, risk.reason], ['yellow', 'secondary_contact']);
      const chain = await chainOfCase(t.ctx, tracer.req(), caseId);
      const kinds = Object.fromEntries(chain.nodes.map((n) => [n.id, [n.kind, n.generation]]));
      assert.deepEqual(kinds, { [caseSubject]: ['confirmed', 0], [contactSubject]: ['close_contact', 1], [sc.subject.id]: ['secondary_contact', 2] });
      assert.deepEqual(chain.edges.map((e) => e.kind).sort(), ['close_contact', 'secondary_contact']);
    });

    it('converts a contact into a case (case investigation): the chain shows a new confirmed case', async () => {
      await assert.rejects(convertToCase(t.ctx, tracer.req('case_investigation'), qid, { classification: 'confirmed', reportDate: daysAgo(0), confirmationDate: daysAgo(0) }), { code: 'ERR_NOT_FOUND' });
      await assert.rejects(convertToCase(t.ctx, investigator.req('case_investigation'), qid, { classification: 'confirmed', reportDate: daysAgo(0), confirmationDate: daysAgo(1) + 'x' }), { code: 'ERR_VALIDATION' });
      const v = await convertToCase(t.ctx, investigator.req('case_investigation'), qid, { classification: 'confirmed', reportDate: daysAgo(0), confirmationDate: daysAgo(0), onsetDate: daysAgo(1) });
      assert.equal(v.status, 'converted');
      assert.deepEqual([v.riskStatus?.status, v.riskStatus?.reason], ['red', 'confirmed_case']);
      const newCase = (await t.ctx.store.cases.getCase(v.newCaseId))!;
      assert.deepEqual([newCase.subject_id, newCase.classification], [contactSubject, 'confirmed']);
      assert.deepEqual(await t.ctx.store.cases.assignees(v.newCaseId), [investigator.id]);
      await assert.rejects(addFollowup(t.ctx, tracer.req('quarantine_followup'), qid, { date: daysAgo(0) }), { code: 'ERR_CONFLICT' });
      await assert.rejects(endQuarantine(t.ctx, tracer.req('quarantine_followup'), qid, { reason: 'completed' }), { code: 'ERR_CONFLICT' });
      const chain = await chainOfCase(t.ctx, supervisor.req('case_investigation'), caseId);
      const contact = chain.nodes.find((n) => n.id === contactSubject)!;
      assert.deepEqual([contact.kind, contact.caseIds], ['confirmed', [v.newCaseId]]);
      const exported = await exportClusterOfCase(t.ctx, supervisor.req('case_investigation'), v.newCaseId);
      assert.deepEqual(exported.nodes.map((n) => n.kind), ['confirmed', 'confirmed', 'secondary_contact']);
      await assert.rejects(exportClusterOfCase(t.ctx, tracer.req('case_investigation'), caseId), { code: 'ERR_NOT_FOUND' });
    });
  });
}
