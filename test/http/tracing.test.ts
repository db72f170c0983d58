import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.ts';
import { buildServer } from '../../src/http/app.ts';
import { openApp } from '../../src/services/app-context.ts';
import { suiteLogger } from '../support/app.ts';
import { engines } from '../support/engines.ts';
import { CHAOYANG, daysAgo, HAIDIAN, NOT_FOUND, openCase, signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';
import { addPerson, addPlace, at } from '../support/tracing.ts';

/**
 * The tracer's flow through the staff API, signed in: a newly confirmed case → discovery →
 * confirmed contacts with quarantine dates → follow-up → the chain; a contact living in Haidian
 * handed over to Haidian's supervisor; a risk area; and the policy's refusals.
 */
for (const { engine, skip } of await engines()) {
  describe(`staff API: contact tracing on ${engine}`, { skip }, () => {
    let s: StaffServer;
    let supervisor: Staff;
    let tracer: Staff;
    let stranger: Staff;
    let haidianSupervisor: Staff;
    let haidianTracer: Staff;
    let kase: { id: string; subjectId: string; caseNumber: string };
    let venue: string;
    const day = daysAgo(6);
    const people: Record<string, string> = {};

    const visit = async (subjectId: string, place: string, date: string, from: string, to: string) => {
      const r = await supervisor.call('POST', `/api/subjects/${subjectId}/travel`, { mode: 'venue_visit', placeId: place, arrival: at(date, from), departure: at(date, to) }, 'contact_tracing');
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };

    before(async () => {
      s = await staffServer(engine);
      supervisor = await signedInStaff(s, 'supervisor', '110000');
      tracer = await signedInStaff(s, 'tracer', CHAOYANG, { purpose: 'contact_tracing' });
      stranger = await signedInStaff(s, 'tracer', CHAOYANG, { purpose: 'contact_tracing' });
      haidianSupervisor = await signedInStaff(s, 'supervisor', HAIDIAN, { purpose: 'quarantine_followup' });
      haidianTracer = await signedInStaff(s, 'tracer', HAIDIAN, { purpose: 'quarantine_followup' });
      venue = await addPlace(s.t.ctx, CHAOYANG, '测试超市');
      kase = await openCase(supervisor, CHAOYANG, { classification: 'confirmed', reportDate: daysAgo(3), onsetDate: daysAgo(5), confirmationDate: daysAgo(3) });
      const assigned = await supervisor.call('POST', `/api/cases/${kase.id}/assignments`, { staffId: tracer.id });
      assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
      await visit(kase.subjectId, venue, day, '10:00', '11:00');
      for (const [name, district, from, to] of [['neighbour', CHAOYANG, '10:15', '10:45'], ['visitor', HAIDIAN, '10:30', '11:30'], ['later', CHAOYANG, '13:00', '13:30']] as const) {
        people[name] = await addPerson(s.t.ctx, district);
        await visit(people[name]!, venue, day, from, to);
      }
    });
    after(async () => { await s?.close(); });

    it('goes from a confirmed case to confirmed contacts with quarantine dates, followed up day by day', async () => {
      const run = await tracer.call('POST', `/api/cases/${kase.id}/discovery`);
      assert.equal(run.status, 200, JSON.stringify(run.body));
      // The visitor shared 60 minutes (with the 30-minute buffer), the neighbour 30; the later shopper none.
      assert.deepEqual(run.body.candidates.map((c: { subject: { id: string } }) => c.subject.id), [people.visitor, people.neighbour]);
      const first = run.body.candidates.find((c: { subject: { id: string } }) => c.subject.id === people.neighbour);
      assert.equal(first.subject.identity.name.masked, true);
      assert.equal(first.subject.identity.phone.masked, true);
      assert.equal(first.overlaps[0].placeName, '测试超市');
      const listed = await tracer.call('GET', `/api/cases/${kase.id}/candidates`);
      assert.equal(listed.status, 200);
      assert.equal(listed.body.items.length, 2);

      const confirmed = await tracer.call('POST', `/api/candidates/${first.id}/confirm`, {});
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal(confirmed.body.handoverId, null);
      const contacts = await tracer.call('GET', `/api/cases/${kase.id}/contacts`);
      assert.equal(contacts.status, 200, JSON.stringify(contacts.body));
      const contact = contacts.body.items.find((c: { id: string }) => c.id === confirmed.body.contactId);
      assert.deepEqual(contact.exposure, { exposureType: 'shared_venue', exposureDate: day, setting: '测试超市', quarantineStart: day, quarantineEnd: addDaysIso(day, 14) });

      const qid = confirmed.body.quarantineId;
      const q = await tracer.call('GET', `/api/quarantines/${qid}`, undefined, 'quarantine_followup');
      assert.equal(q.status, 200, JSON.stringify(q.body));
      assert.equal(q.body.riskStatus.status, 'red');
      assert.equal(q.body.riskStatus.reason, 'close_contact_in_quarantine');
      assert.equal(q.body.daysLeft, 9);
      assert.equal(q.body.abilities.addEntry, true);
      const entry = await tracer.call('POST', `/api/quarantines/${qid}/entries`, { date: daysAgo(1), symptoms: ['咳嗽'], temperatureC: 37.2 }, 'quarantine_followup');
      assert.equal(entry.status, 201, JSON.stringify(entry.body));
      assert.deepEqual(entry.body.entries.map((e: { date: string; temperatureC: number }) => [e.date, e.temperatureC]), [[daysAgo(1), 37.2]]);
      const again = await tracer.call('POST', `/api/quarantines/${qid}/entries`, { date: daysAgo(1) }, 'quarantine_followup');
      assert.equal(again.status, 409);
      const hot = await tracer.call('POST', `/api/quarantines/${qid}/entries`, { date: daysAgo(0), temperatureC: 45 }, 'quarantine_followup');
      assert.equal(hot.status, 400);
      assert.equal(hot.body.field, 'temperatureC');

      const noReason = await tracer.call('POST', `/api/quarantines/${qid}/reveal-phone`, { reason: '' }, 'quarantine_followup');
      assert.equal(noReason.status, 400);
      assert.equal(noReason.body.code, 'ERR_REASON_REQUIRED');
      const phone = await tracer.call('POST', `/api/quarantines/${qid}/reveal-phone`, { reason: '电话随访：询问今日体温' }, 'quarantine_followup');
      assert.equal(phone.status, 200, JSON.stringify(phone.body));
      assert.match(phone.body.value, /^\+861\d{10}$/);
      const shown = await tracer.call('GET', `/api/quarantines/${qid}`, undefined, 'quarantine_followup');
      assert.deepEqual(shown.body.subject.identity.phone, { value: phone.body.value, masked: false });
      assert.equal(shown.body.subject.identity.name.masked, true);

      const extended = await tracer.call('POST', `/api/quarantines/${qid}/extend`, { days: 7, reason: '同住家属出现症状，延长观察' }, 'quarantine_followup');
      assert.equal(extended.status, 200, JSON.stringify(extended.body));
      assert.equal(extended.body.quarantineEnd, addDaysIso(day, 21));
      const ended = await tracer.call('POST', `/api/quarantines/${qid}/end`, { reason: 'released_early', note: '核酸检测阴性，提前解除' }, 'quarantine_followup');
      assert.equal(ended.status, 200, JSON.stringify(ended.body));
      assert.equal(ended.body.status, 'ended');
      assert.deepEqual([ended.body.events.at(-1).action, ended.body.events.at(-1).reason, ended.body.events.at(-1).note], ['end', 'released_early', '核酸检测阴性，提前解除']);
      assert.equal(ended.body.quarantineEnd, daysAgo(0));
      assert.equal(ended.body.riskStatus.status, 'green');
      const risk = await supervisor.call('GET', `/api/subjects/${people.neighbour}/risk-status`, undefined, 'contact_tracing');
      assert.deepEqual([risk.status, risk.body.status, risk.body.reason], [200, 'green', 'no_risk_found']);
    });

    it('hands a contact living in Haidian over to Haidian\'s supervisor, who accepts it for a Haidian tracer', async () => {
      const candidates = await tracer.call('GET', `/api/cases/${kase.id}/candidates`);
      const visitor = candidates.body.items.find((c: { subject: { id: string } }) => c.subject.id === people.visitor);
      assert.equal(visitor.subject.livesElsewhere, true);
      const confirmed = await tracer.call('POST', `/api/candidates/${visitor.id}/confirm`, { exposureType: 'shared_venue' });
      assert.ok(confirmed.body.handoverId);
      const qid = confirmed.body.quarantineId;
      const before = await haidianTracer.call('GET', `/api/quarantines/${qid}`);
      assert.deepEqual([before.status, before.body], [404, NOT_FOUND]);
      const pending = await haidianSupervisor.call('GET', '/api/handovers');
      assert.equal(pending.status, 200, JSON.stringify(pending.body));
      assert.deepEqual(pending.body.items.map((h: { id: string }) => h.id), [confirmed.body.handoverId]);
      assert.equal(pending.body.items[0].subject.name.masked, true);
      const wrong = await tracer.call('POST', `/api/handovers/${confirmed.body.handoverId}/decision`, { decision: 'accept' }, 'quarantine_followup');
      assert.deepEqual([wrong.status, wrong.body], [404, NOT_FOUND]);
      const accepted = await haidianSupervisor.call('POST', `/api/handovers/${confirmed.body.handoverId}/decision`, { decision: 'accept', assignTo: haidianTracer.id });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.status, 'accepted');
      const twice = await haidianSupervisor.call('POST', `/api/handovers/${confirmed.body.handoverId}/decision`, { decision: 'decline' });
      assert.equal(twice.status, 409);
      const now = await haidianTracer.call('GET', `/api/quarantines/${qid}`);
      assert.equal(now.status, 200, JSON.stringify(now.body));
      assert.equal(now.body.jurisdictionCode, HAIDIAN);
      const entry = await haidianTracer.call('POST', `/api/quarantines/${qid}/entries`, { date: daysAgo(0), temperatureC: 36.6 });
      assert.equal(entry.status, 201, JSON.stringify(entry.body));
      const old = await tracer.call('GET', `/api/quarantines/${qid}`, undefined, 'quarantine_followup');
      assert.deepEqual([old.status, old.body], [404, NOT_FOUND], 'the case\'s tracer no longer follows a handed-over contact');
      const mine = await haidianTracer.call('GET', '/api/quarantines');
      assert.deepEqual(mine.body.items.map((i: { id: string }) => i.id), [qid]);
    });

    it('shows the chain with masked labels and exports the cluster without identities', async () => {
      const chain = await tracer.call('GET', `/api/cases/${kase.id}/chain`);
      assert.equal(chain.status, 200, JSON.stringify(chain.body));
      const byId = new Map(chain.body.nodes.map((n: { id: string }) => [n.id, n]));
      assert.equal(chain.body.nodes.length, 3);
      assert.equal((byId.get(kase.subjectId) as { kind: string }).kind, 'confirmed');
      assert.equal((byId.get(people.neighbour!) as { kind: string; generation: number }).kind, 'close_contact');
      for (const n of chain.body.nodes) assert.ok(n.label === null || n.labelKind !== 'masked_name' || /^.\*+$/u.test(n.label), n.label);
      assert.deepEqual(chain.body.edges.map((e: { from: string; exposureDate: string }) => [e.from, e.exposureDate]), [[kase.subjectId, day], [kase.subjectId, day]]);
      const denied = await tracer.call('GET', `/api/cases/${kase.id}/cluster-export`);
      assert.deepEqual([denied.status, denied.body], [404, NOT_FOUND]);
      const exported = await supervisor.call('GET', `/api/cases/${kase.id}/cluster-export`, undefined, 'case_investigation');
      assert.equal(exported.status, 200, JSON.stringify(exported.body));
      assert.deepEqual(exported.body.nodes.map((n: { ref: string; kind: string }) => [n.ref, n.kind]), [['n1', 'confirmed'], ['n2', 'close_contact'], ['n3', 'close_contact']]);
      const text = JSON.stringify(exported.body);
      for (const secret of [kase.id, kase.subjectId, kase.caseNumber, ...Object.values(people), venue]) assert.ok(!text.includes(secret), 'no id in the export');
    });

    it('lets supervisors declare risk areas, finds who stayed there on tokens, and turns them yellow', async () => {
      const body = { level: 'high', kind: 'venue', placeId: venue, windowStart: at(day, '12:30'), windowEnd: at(day, '14:00'), validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString() };
      const refused = await tracer.call('POST', '/api/risk-areas', body);
      assert.deepEqual([refused.status, refused.body], [404, NOT_FOUND]);
      const bad = await supervisor.call('POST', '/api/risk-areas', { ...body, windowEnd: at(day, '12:00') }, 'contact_tracing');
      assert.deepEqual([bad.status, bad.body.field], [400, 'windowEnd']);
      const declared = await supervisor.call('POST', '/api/risk-areas', body, 'contact_tracing');
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      assert.equal(declared.body.peopleFound, 1);
      assert.equal(declared.body.area.placeName, '测试超市');
      const later = await supervisor.call('GET', `/api/subjects/${people.later}/risk-status`, undefined, 'contact_tracing');
      assert.deepEqual([later.body.status, later.body.reason], ['yellow', 'high_risk_area_stay']);
      const list = await tracer.call('GET', '/api/risk-areas');
      assert.equal(list.status, 200);
      assert.equal(list.body.items[0].id, declared.body.area.id);
      const revoked = await supervisor.call('POST', `/api/risk-areas/${declared.body.area.id}/revoke`, undefined, 'contact_tracing');
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      const after = await supervisor.call('GET', `/api/subjects/${people.later}/risk-status`, undefined, 'contact_tracing');
      assert.equal(after.body.status, 'green');
    });

    it('refuses without sign-in, CSRF token, purpose or assignment, the same way for a missing record', async () => {
      const anonymous = await s.server.inject({ method: 'POST', url: `/api/cases/${kase.id}/discovery`, headers: { 'x-epivault-purpose': 'contact_tracing' } });
      assert.equal(anonymous.statusCode, 401);
      const noCsrf = await stranger.call('POST', `/api/cases/${kase.id}/discovery`, undefined, 'contact_tracing', { 'x-csrf-token': 'x' });
      assert.equal(noCsrf.status, 403);
      const noPurpose = await tracer.call('POST', `/api/cases/${kase.id}/discovery`, undefined, null);
      assert.deepEqual([noPurpose.status, noPurpose.body.field], [400, 'x-epivault-purpose']);
      const unassigned = await stranger.call('POST', `/api/cases/${kase.id}/discovery`);
      const missing = await stranger.call('POST', '/api/cases/c-missing/discovery');
      assert.deepEqual([unassigned.status, unassigned.body], [404, NOT_FOUND]);
      assert.deepEqual([missing.status, missing.body], [unassigned.status, unassigned.body]);
      const status = await stranger.call('GET', `/api/subjects/${people.neighbour}/risk-status`);
      assert.deepEqual([status.status, status.body], [404, NOT_FOUND]);
      const badDismiss = await tracer.call('POST', '/api/candidates/x/dismiss', { reason: 'bored' });
      assert.deepEqual([badDismiss.status, badDismiss.body.field], [400, 'reason']);
    });
  });
}

/**
 * The discovery window, quarantine length and reveal time come from the deployment's configuration
 * (EPIVAULT_* variables → loadConfig → openApp → the routes and services): two servers over one
 * database, one with the defaults and one configured, give different answers to the same requests.
 */
for (const { engine, skip } of await engines()) {
  describe(`staff API: tracing settings from the configuration on ${engine}`, { skip }, () => {
    const ENV = {
      EPIVAULT_DISCOVERY_DAYS_BEFORE_ONSET: '1', EPIVAULT_DISCOVERY_BUFFER_MINUTES: '0',
      EPIVAULT_QUARANTINE_DAYS: '7', EPIVAULT_QUARANTINE_MAX_EXTENSION_DAYS: '3', EPIVAULT_REVEAL_MINUTES: '5',
    };
    let base: StaffServer;
    let configured: StaffServer;
    let supervisor: Staff;
    let tracer: Staff;
    let defaultTracer: Staff;
    let kase: { id: string; subjectId: string };
    const day = daysAgo(6); // inside the case's window either way (onset 5 days ago)
    const earlier = daysAgo(8); // inside the default 4-day window only
    const people: Record<string, string> = {};

    before(async () => {
      base = await staffServer(engine);
      const ctx = await openApp(loadConfig({ data: base.t.dataDir, db: base.t.db.url }, ENV), { logger: suiteLogger() });
      const server = buildServer(ctx);
      await server.ready();
      configured = { t: base.t, server, close: async () => { await server.close(); await ctx.close(); } };
      supervisor = await signedInStaff(configured, 'supervisor', '110000');
      tracer = await signedInStaff(configured, 'tracer', CHAOYANG, { purpose: 'contact_tracing' });
      defaultTracer = await signedInStaff(base, 'tracer', CHAOYANG, { purpose: 'contact_tracing' });
      kase = await openCase(supervisor, CHAOYANG, { classification: 'suspected', reportDate: daysAgo(3), onsetDate: daysAgo(5) });
      for (const staff of [tracer, defaultTracer]) {
        const assigned = await supervisor.call('POST', `/api/cases/${kase.id}/assignments`, { staffId: staff.id });
        assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
      }
      const venue = await addPlace(base.t.ctx, CHAOYANG);
      const visit = async (subjectId: string, date: string, from: string, to: string) => {
        const r = await supervisor.call('POST', `/api/subjects/${subjectId}/travel`, { mode: 'venue_visit', placeId: venue, arrival: at(date, from), departure: at(date, to) }, 'contact_tracing');
        assert.equal(r.status, 201, JSON.stringify(r.body));
      };
      await visit(kase.subjectId, day, '10:00', '11:00');
      await visit(kase.subjectId, earlier, '10:00', '11:00');
      for (const [name, date, from, to] of [['inside', day, '10:15', '10:45'], ['touching', day, '11:00', '11:20'], ['early', earlier, '10:15', '10:45']] as const) {
        people[name] = await addPerson(base.t.ctx, CHAOYANG);
        await visit(people[name]!, date, from, to);
      }
    });
    after(async () => {
      await configured?.close();
      await base?.close();
    });

    const ids = (r: { body: { candidates?: { subject: { id: string } }[]; items?: { subject: { id: string } }[] } }) =>
      new Set((r.body.candidates ?? r.body.items ?? []).map((c) => c.subject.id));

    it('discovers on confirmation and on demand with the configured window and buffer', async () => {
      const confirmed = await supervisor.call('PATCH', `/api/cases/${kase.id}`, { classification: 'confirmed', confirmationDate: daysAgo(3) });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      const stored = await tracer.call('GET', `/api/cases/${kase.id}/candidates`);
      assert.equal(stored.status, 200, JSON.stringify(stored.body));
      assert.deepEqual(ids(stored), new Set([people.inside]), 'discovery on confirmation: 1 day before onset, no buffer');

      const byDefault = await defaultTracer.call('POST', `/api/cases/${kase.id}/discovery`);
      assert.equal(byDefault.status, 200, JSON.stringify(byDefault.body));
      assert.deepEqual(ids(byDefault), new Set([people.inside, people.touching, people.early]), 'the defaults: 4 days before onset, 30 minutes around each stay');
      assert.equal(byDefault.body.bufferMinutes, 30);

      const run = await tracer.call('POST', `/api/cases/${kase.id}/discovery`);
      assert.equal(run.status, 200, JSON.stringify(run.body));
      assert.deepEqual(ids(run), new Set([people.inside]));
      assert.equal(run.body.bufferMinutes, 0);
      assert.equal(Date.parse(run.body.window.start), Date.parse(at(day, '00:00')));
      assert.equal(Date.parse(byDefault.body.window.start), Date.parse(at(daysAgo(9), '00:00')));
    });

    it('quarantines for the configured days, extends at most the configured days, and reveals for the configured minutes', async () => {
      const listed = await tracer.call('GET', `/api/cases/${kase.id}/candidates`);
      const inside = listed.body.items.find((c: { subject: { id: string } }) => c.subject.id === people.inside);
      const confirmed = await tracer.call('POST', `/api/candidates/${inside.id}/confirm`, {});
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      const qid = confirmed.body.quarantineId;
      const q = await tracer.call('GET', `/api/quarantines/${qid}`, undefined, 'quarantine_followup');
      assert.equal(q.status, 200, JSON.stringify(q.body));
      assert.deepEqual([q.body.quarantineStart, q.body.quarantineEnd], [day, addDaysIso(day, 7)]);
      const tooLong = await tracer.call('POST', `/api/quarantines/${qid}/extend`, { days: 4, reason: '同住家属出现症状，延长观察' }, 'quarantine_followup');
      assert.deepEqual([tooLong.status, tooLong.body.field], [400, 'days']);
      const extended = await tracer.call('POST', `/api/quarantines/${qid}/extend`, { days: 3, reason: '同住家属出现症状，延长观察' }, 'quarantine_followup');
      assert.equal(extended.status, 200, JSON.stringify(extended.body));
      assert.equal(extended.body.quarantineEnd, addDaysIso(day, 10));

      const from = Date.now();
      const phone = await tracer.call('POST', `/api/quarantines/${qid}/reveal-phone`, { reason: '电话随访：询问今日体温' }, 'quarantine_followup');
      const to = Date.now();
      assert.equal(phone.status, 200, JSON.stringify(phone.body));
      const expires = Date.parse(phone.body.expiresAt);
      assert.ok(expires >= from + 5 * 60_000 && expires <= to + 5 * 60_000, `a 5-minute grant (${phone.body.expiresAt})`);
    });
  });
}

function addDaysIso(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
