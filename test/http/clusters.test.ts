import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.ts';
import { CHAOYANG, daysAgo, HAIDIAN, openCase, person, PUDONG, signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';

/**
 * `GET /api/clusters` (docs/TRACING.md "Clusters"), signed in, on a small built graph:
 *
 * - A: a confirmed Chaoyang case with two close contacts, one of whom has a secondary contact, and
 *   a suspected Haidian case sharing one of those contacts (5 people, 2 districts);
 * - B: a confirmed Haidian case and its contact; C: an asymptomatic Chaoyang case and its contact;
 * - D: a Chaoyang case without any link (listed only with minSize=1);
 * - E: a Pudong case and its contact (outside Beijing).
 *
 * The Chaoyang tracer works case A1 only; the Haidian tracer works A2 and B1.
 */
interface Built { id: string; subjectId: string; caseNumber: string }

for (const { engine, skip } of await engines()) {
  describe(`staff API: the list of transmission clusters on ${engine}`, { skip }, () => {
    let s: StaffServer;
    let beijing: Staff;
    let chaoyangTracer: Staff;
    let haidianTracer: Staff;
    let pudong: Staff;
    const cases: Record<string, Built> = {};
    const contacts: Record<string, { id: string; subjectId: string }> = {};
    const identities: string[] = [];
    const exposure = { exposureType: 'household', exposureDate: daysAgo(6) };

    const contact = async (caseId: string, who: { district?: string; subjectId?: string }, by: Staff = beijing) => {
      const p = person(who.district ?? CHAOYANG);
      if (!who.subjectId) identities.push(p.name, p.documentNumber, p.phone);
      const r = await by.call('POST', `/api/cases/${caseId}/contacts`, who.subjectId ? { subjectId: who.subjectId, exposure } : { person: p, exposure });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return { id: r.body.id as string, subjectId: r.body.subject.id as string };
    };
    const kase = async (district: string, classification: string, reportDate: string, by: Staff = beijing) => {
      const c = await openCase(by, district, { classification, reportDate, onsetDate: daysAgo(9), ...(classification === 'confirmed' ? { confirmationDate: reportDate } : {}) });
      identities.push(c.subjectId, c.caseNumber);
      return c;
    };

    before(async () => {
      s = await staffServer(engine);
      beijing = await signedInStaff(s, 'supervisor', '110000');
      pudong = await signedInStaff(s, 'supervisor', PUDONG);
      chaoyangTracer = await signedInStaff(s, 'tracer', CHAOYANG, { purpose: 'contact_tracing' });
      haidianTracer = await signedInStaff(s, 'tracer', HAIDIAN, { purpose: 'contact_tracing' });

      cases.A1 = await kase(CHAOYANG, 'confirmed', daysAgo(5));
      cases.A2 = await kase(HAIDIAN, 'suspected', daysAgo(3));
      contacts.a = await contact(cases.A1.id, {});
      contacts.shared = await contact(cases.A1.id, { district: HAIDIAN });
      await contact(cases.A2.id, { subjectId: contacts.shared.subjectId });
      const secondary = person(CHAOYANG);
      identities.push(secondary.name, secondary.documentNumber, secondary.phone);
      const sec = await beijing.call('POST', `/api/contacts/${contacts.a.id}/secondary-contacts`, { person: secondary, exposure: { exposureType: 'workplace', exposureDate: daysAgo(4) } }, 'contact_tracing');
      assert.equal(sec.status, 201, JSON.stringify(sec.body));

      cases.B1 = await kase(HAIDIAN, 'confirmed', daysAgo(2));
      await contact(cases.B1.id, { district: HAIDIAN });
      cases.C1 = await kase(CHAOYANG, 'asymptomatic', daysAgo(1));
      await contact(cases.C1.id, {});
      cases.D1 = await kase(CHAOYANG, 'confirmed', daysAgo(1));
      cases.E1 = await kase(PUDONG, 'confirmed', daysAgo(1), pudong);
      await contact(cases.E1.id, { district: PUDONG }, pudong);

      for (const [staff, ids] of [[chaoyangTracer, [cases.A1.id]], [haidianTracer, [cases.A2.id, cases.B1.id]]] as const) {
        for (const id of ids) {
          const r = await beijing.call('POST', `/api/cases/${id}/assignments`, { staffId: staff.id });
          assert.equal(r.status, 201, JSON.stringify(r.body));
        }
      }
    });
    after(async () => { await s?.close(); });

    const clusters = async (staff: Staff, query = '', purpose?: 'contact_tracing' | 'case_investigation') => {
      const r = await staff.call('GET', `/api/clusters${query}`, undefined, purpose ?? 'contact_tracing');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { items: { id: string; people: number; cases: number; contacts: number; kinds: Record<string, number>; firstReportDate: string; lastReportDate: string; lastActivity: string; districts: string[]; openCaseId: string }[]; nextCursor: string | null };
    };
    const clusterOf = (page: Awaited<ReturnType<typeof clusters>>, caseId: string) => page.items.find((c) => c.id === caseId);

    it('counts people, cases, contacts, classifications, dates and districts of each cluster', async () => {
      const all = await clusters(beijing);
      assert.equal(all.nextCursor, null);
      assert.deepEqual(all.items.map((c) => c.id).sort(), [cases.A1.id, cases.B1.id, cases.C1.id].sort(), 'A, B and C; not the lone case D, not Pudong');
      const a = clusterOf(all, cases.A1.id)!;
      assert.deepEqual([a.people, a.cases, a.contacts], [5, 2, 3]);
      assert.deepEqual(a.kinds, { confirmed: 1, suspected: 1, asymptomatic: 0, excluded: 0, close_contact: 2, secondary_contact: 1 });
      assert.deepEqual([a.firstReportDate, a.lastReportDate], [daysAgo(5), daysAgo(3)]);
      assert.ok(a.lastActivity >= a.lastReportDate);
      assert.deepEqual(a.districts, [CHAOYANG, HAIDIAN]);
      assert.equal(a.openCaseId, cases.A1.id, 'the oldest report the viewer may open');
      const c = clusterOf(all, cases.C1.id)!;
      assert.deepEqual([c.people, c.cases, c.contacts, c.kinds.asymptomatic, c.kinds.close_contact, c.districts], [2, 1, 1, 1, 1, [CHAOYANG]]);
      for (let i = 1; i < all.items.length; i++) {
        const [p, q] = [all.items[i - 1]!, all.items[i]!];
        assert.ok(p.lastActivity > q.lastActivity || (p.lastActivity === q.lastActivity && p.id < q.id), 'newest activity first, then by id');
      }
      const withLone = await clusters(beijing, '?minSize=1');
      assert.deepEqual(withLone.items.map((x) => x.id).sort(), [cases.A1.id, cases.B1.id, cases.C1.id, cases.D1.id].sort());
      assert.deepEqual((await clusters(beijing, '?minSize=3')).items.map((x) => x.id), [cases.A1.id]);
      // The same cluster from Pudong's side: only E.
      const east = await clusters(pudong, '', 'case_investigation');
      assert.deepEqual(east.items.map((x) => [x.id, x.people, x.districts]), [[cases.E1.id, 2, [PUDONG]]]);
    });

    it('shows tracers only the clusters of the cases they work, opened on a case of their own', async () => {
      const chaoyang = await clusters(chaoyangTracer);
      assert.deepEqual(chaoyang.items.map((c) => [c.id, c.openCaseId]), [[cases.A1.id, cases.A1.id]], 'not C: an unassigned case');
      const haidian = await clusters(haidianTracer);
      assert.deepEqual(haidian.items.map((c) => [c.id, c.openCaseId]).sort(), [[cases.A1.id, cases.A2.id], [cases.B1.id, cases.B1.id]].sort(),
        'A through the Haidian case the tracer works; its Chaoyang case is not offered');
      // The chain the list points to opens for them.
      const chain = await haidianTracer.call('GET', `/api/cases/${cases.A2.id}/chain`);
      assert.equal(chain.status, 200, JSON.stringify(chain.body));
      assert.equal(chain.body.nodes.length, 5);
      // Case investigation reads chains too; quarantine follow-up does not: nothing.
      const investigation = await clusters(haidianTracer, '', 'case_investigation');
      assert.deepEqual(investigation.items.map((c) => c.id).sort(), [cases.A1.id, cases.B1.id].sort(), 'case investigation reads chains too');
      const wrongPurpose = await haidianTracer.call('GET', '/api/clusters', undefined, 'quarantine_followup');
      assert.deepEqual([wrongPurpose.status, wrongPurpose.body.items, wrongPurpose.body.nextCursor], [200, [], null]);
    });

    it('pages with a cursor, newest activity first, each cluster once', async () => {
      const whole = (await clusters(beijing, '?minSize=1')).items.map((c) => c.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await clusters(beijing, `?minSize=1&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(page.items.length, 1);
        seen.push(page.items[0]!.id);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 10);
      assert.deepEqual(seen, whole);
      assert.equal(pages, 4);
      const two = await clusters(beijing, '?minSize=1&limit=2');
      assert.deepEqual(two.items.map((c) => c.id), whole.slice(0, 2));
      assert.ok(two.nextCursor);
      const rest = await clusters(beijing, `?minSize=1&limit=2&cursor=${encodeURIComponent(two.nextCursor)}`);
      assert.deepEqual(rest.items.map((c) => c.id), whole.slice(2));
      assert.equal(rest.nextCursor, null);
    });

    it('refuses a bad query with 400 naming the field', async () => {
      for (const [query, field] of [['?limit=0', 'limit'], ['?limit=101', 'limit'], ['?minSize=0', 'minSize'], ['?minSize=two', 'minSize'], ['?cursor=nonsense', 'cursor'], ['?colour=red', 'colour']] as const) {
        const r = await beijing.call('GET', `/api/clusters${query}`, undefined, 'contact_tracing');
        assert.equal(r.status, 400, `${query}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.field, field, `${query}: ${JSON.stringify(r.body)}`);
      }
      const noPurpose = await beijing.call('GET', '/api/clusters', undefined, null);
      assert.deepEqual([noPurpose.status, noPurpose.body.field], [400, 'x-epivault-purpose']);
      const anonymous = await s.server.inject({ method: 'GET', url: '/api/clusters', headers: { 'x-epivault-purpose': 'contact_tracing' } });
      assert.equal(anonymous.statusCode, 401);
    });

    it('audits one list event per cluster shown, on the case it opens with', async () => {
      const top = (await s.t.ctx.store.audit.query({ actor: haidianTracer.id, limit: 1 }))[0]?.seq ?? 0;
      const page = await clusters(haidianTracer);
      assert.equal(page.items.length, 2);
      const events = (await s.t.ctx.store.audit.query({ actor: haidianTracer.id, limit: 1000 })).filter((e) => e.seq > top);
      const listed = events.filter((e) => e.action === 'list' && e.resource_type === 'chain');
      assert.equal(listed.length, events.length, 'nothing else');
      assert.deepEqual(listed.map((e) => e.resource_id).sort(), page.items.map((c) => c.openCaseId).sort());
      for (const e of listed) {
        assert.equal(e.purpose, 'contact_tracing');
        assert.equal(e.outcome, 'success');
        assert.ok(e.subject_ref, 'the opened case\'s person, by keyed reference');
      }
      const empty = await haidianTracer.call('GET', '/api/clusters', undefined, 'quarantine_followup');
      assert.equal(empty.status, 200);
      const last = (await s.t.ctx.store.audit.query({ actor: haidianTracer.id, limit: 1 }))[0]!;
      assert.deepEqual([last.action, last.resource_type, last.resource_id, last.purpose], ['list', 'chain', null, 'quarantine_followup'], 'an empty list is audited too');
    });

    it('answers without any identity: no name, document, phone, subject id or case number', async () => {
      const text = JSON.stringify([await clusters(beijing, '?minSize=1'), await clusters(haidianTracer)]);
      for (const secret of identities) assert.ok(!text.includes(secret), 'no identity in the answer');
      for (const c of Object.values(contacts)) assert.ok(!text.includes(c.subjectId) && !text.includes(c.id), 'no contact or subject id');
    });
  });
}
