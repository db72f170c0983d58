import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/engines.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { CHAOYANG, daysAgo, person } from '../../../test/support/records.ts';
import { addCase, addPerson, addPlace, staffMember, visit } from '../../../test/support/tracing.ts';
import type { StaffMember } from '../../../test/support/tracing.ts';
import { randomId } from '../../crypto/index.ts';
import { addDays } from '../../domain/dates.ts';
import type { ContactExposure } from '../../domain/model.ts';
import { tracingSettings } from '../../tracing/settings.ts';
import type { AppContext } from '../app-context.ts';
import { addContact } from '../contact.service.ts';
import { openSubjectJson, sealSubjectJson } from '../subject-cipher.ts';
import { listCandidates } from './discovery.service.ts';
import { chainOfCase, exportClusterOfCase } from './chains.service.ts';
import { addFollowup, convertToCase, endQuarantine, extendQuarantine, quarantineContact, readQuarantine } from './follow-up.service.ts';
import { listQuarantines, quarantinesOfCase, revealForCall } from './quarantine-queries.service.ts';
import { readRiskStatus } from './risk-status.service.ts';
import { addSecondaryContact, listSecondaryContacts } from './secondary.service.ts';
import { dataKeyOf } from './tracing-records.ts';
import type { QuarantineState } from './tracing-records.ts';

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
      // A contact added on the case page may be put into quarantine with it (contact.service); else it is quarantined here.
      qid = (await t.ctx.store.tracing.quarantineOfLink(linkId))?.id ?? (await quarantineContact(t.ctx, tracer.req(), linkId)).id;
    });
    after(async () => { await t?.cleanup(); });

    it('starts a quarantine of 14 days from the exposure, red while it lasts, once per contact', async () => {
      const q = await readQuarantine(t.ctx, tracer.req(), qid);
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

    /**
     * A close contact of the case recorded without a quarantine (as contacts were before they got one
     * on creation), through the contact repository: what `quarantineContact` is for.
     */
    const bareContact = async (exposureDate: string) => {
      const subjectId = await addPerson(t.ctx, CHAOYANG);
      const id = randomId('k');
      const exposure: ContactExposure = { exposureType: 'household', exposureDate };
      await t.ctx.store.contacts.insert({ id, case_id: caseId, contact_subject_id: subjectId, sealed: sealSubjectJson(await dataKeyOf(t.ctx, t.ctx.store, subjectId), subjectId, 'contact_links', id, exposure), created_at: new Date().toISOString() });
      return { linkId: id, subjectId };
    };

    /** A new close contact of the case, put into quarantine under `ctx`'s settings. */
    const quarantined = async (ctx: AppContext, exposure = daysAgo(2)) => {
      const { linkId: link, subjectId } = await bareContact(exposure);
      return { q: await quarantineContact(ctx, tracer.req(), link), subjectId, exposure };
    };

    it('takes the quarantine length and the longest extension from the deployment\'s settings', async () => {
      const configured: AppContext = { ...t.ctx, settings: { ...t.ctx.settings, tracing: tracingSettings({ quarantine: { days: 7, maxExtensionDays: 3 } }) } };
      const { q, exposure } = await quarantined(configured);
      assert.deepEqual([q.quarantineStart, q.quarantineEnd], [exposure, addDays(exposure, 7)]);
      const followUp = tracer.req('quarantine_followup');
      await assert.rejects(extendQuarantine(configured, followUp, q.id, { days: 4, reason: '出现发热症状，延长观察' }), { code: 'ERR_VALIDATION', field: 'days' });
      assert.equal((await extendQuarantine(configured, followUp, q.id, { days: 3, reason: '出现发热症状，延长观察' })).quarantineEnd, addDays(exposure, 10));
      const defaults = await quarantined(t.ctx);
      assert.equal(defaults.q.quarantineEnd, addDays(defaults.exposure, 14), 'the default context keeps 14 days');
    });

    it('keeps the note of ending a quarantine, sealed in its history, and shows it to whoever may read the quarantine', async () => {
      const followUp = tracer.req('quarantine_followup');
      const { q, subjectId } = await quarantined(t.ctx);
      await assert.rejects(endQuarantine(t.ctx, followUp, q.id, { reason: 'other' }), { code: 'ERR_REASON_REQUIRED', field: 'note' });
      await assert.rejects(endQuarantine(t.ctx, followUp, q.id, { reason: 'other', note: '    ' }), { code: 'ERR_REASON_REQUIRED', field: 'note' });
      const note = '本人已转往外省定点医院，由当地继续管理';
      const ended = await endQuarantine(t.ctx, followUp, q.id, { reason: 'other', note: `  ${note} ` });
      assert.deepEqual(ended.events.map((e) => [e.action, e.reason ?? null, e.note ?? null]), [['start', null, null], ['end', 'other', note]]);
      const again = await readQuarantine(t.ctx, supervisor.req('quarantine_followup'), q.id);
      assert.equal(again.events.at(-1)!.note, note);
      await assert.rejects(readQuarantine(t.ctx, stranger.req('quarantine_followup'), q.id), { code: 'ERR_NOT_FOUND' });
      const row = (await t.ctx.store.tracing.getQuarantine(q.id))!;
      assert.ok(!row.sealed.includes(Buffer.from(note)), 'the note is sealed');
      const state = openSubjectJson<QuarantineState>(await dataKeyOf(t.ctx, t.ctx.store, subjectId), subjectId, 'quarantines', q.id, row.sealed);
      assert.equal(state.events.at(-1)!.note, note);
      // An optional note with another reason is kept too; none leaves no note.
      const early = await quarantined(t.ctx);
      const released = await endQuarantine(t.ctx, followUp, early.q.id, { reason: 'released_early', note: '核酸检测阴性，提前解除' });
      assert.equal(released.events.at(-1)!.note, '核酸检测阴性，提前解除');
      const plain = await quarantined(t.ctx);
      assert.equal('note' in (await endQuarantine(t.ctx, followUp, plain.q.id, { reason: 'completed' })).events.at(-1)!, false);
    });

    it('reveals the phone to call for the configured reveal time (EPIVAULT_REVEAL_MINUTES), not a fixed 15 minutes', async () => {
      const { q, subjectId } = await quarantined(t.ctx);
      const req = tracer.req('quarantine_followup');
      const short = await revealForCall({ ...t.ctx, settings: { ...t.ctx.settings, revealMinutes: 5 } }, req, q.id, { reason: '电话随访：询问今日体温' });
      assert.equal(Date.parse(short.expiresAt), req.now.getTime() + 5 * 60_000);
      const grants = await t.ctx.store.access.activeRevealGrants(tracer.id, 'subject', [subjectId], req.now.toISOString());
      assert.deepEqual(grants.map((g) => [g.field, g.expires_at]), [['phone', short.expiresAt]]);
      const configured = await revealForCall(t.ctx, req, q.id, { reason: '电话随访：询问今日体温' });
      assert.equal(Date.parse(configured.expiresAt), req.now.getTime() + t.ctx.settings.revealMinutes * 60_000);
    });

    it('runs discovery when a contact is converted into a confirmed case: who shared a place with them becomes a candidate', async () => {
      const { q, subjectId } = await quarantined(t.ctx, daysAgo(3));
      const place = await addPlace(t.ctx, CHAOYANG);
      await visit(t.ctx, supervisor, subjectId, place, daysAgo(1), '10:00', '11:00');
      const neighbour = await addPerson(t.ctx, CHAOYANG);
      await visit(t.ctx, supervisor, neighbour, place, daysAgo(1), '10:30', '11:30');
      const stranger2 = await addPerson(t.ctx, CHAOYANG);
      await visit(t.ctx, supervisor, stranger2, place, daysAgo(1), '15:00', '16:00');
      const v = await convertToCase(t.ctx, investigator.req('case_investigation'), q.id, { classification: 'confirmed', reportDate: daysAgo(0), confirmationDate: daysAgo(0), onsetDate: daysAgo(1) });
      const candidates = await listCandidates(t.ctx, investigator.req('contact_tracing'), v.newCaseId);
      assert.deepEqual(candidates.map((c) => c.subject.id), [neighbour]);
      const runs = (await t.ctx.store.audit.list(0, 100_000)).filter((e) => e.action === 'discover' && e.resource_id === v.newCaseId);
      assert.deepEqual(runs.map((e) => e.reason), ['on_confirmation:candidates:1']);
      // A contact converted as a suspected case is not confirmed: no discovery.
      const other = await quarantined(t.ctx, daysAgo(3));
      const suspected = await convertToCase(t.ctx, investigator.req('case_investigation'), other.q.id, { classification: 'suspected', reportDate: daysAgo(0) });
      assert.deepEqual(await listCandidates(t.ctx, investigator.req('contact_tracing'), suspected.newCaseId), []);
    });
  });
}
