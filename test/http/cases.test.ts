import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.ts';
import { rawSql } from '../support/raw-sql.ts';
import { CHAOYANG, daysAgo, HAIDIAN, NOT_FOUND, openCase, person, PUDONG, signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';

interface CasePage { items: { id: string; reportDate: string; classification: string; jurisdictionCode: string; subject: { name: { value: string; masked: boolean } } }[]; nextCursor: string | null }

for (const { engine, skip } of await engines()) {
  describe(`staff API: cases on ${engine}`, { skip }, () => {
    let s: StaffServer;
    let supervisor: Staff;
    let investigator: Staff;
    let other: Staff;
    const created: { id: string; subjectId: string; reportDate: string; classification: string; district: string }[] = [];

    before(async () => {
      s = await staffServer(engine);
      supervisor = await signedInStaff(s, 'supervisor', '110000');
      investigator = await signedInStaff(s, 'investigator', CHAOYANG);
      other = await signedInStaff(s, 'investigator', HAIDIAN);
      // 12 cases over two districts and several dates, by the supervisor; the Chaoyang investigator is assigned to 3.
      for (let i = 0; i < 12; i++) {
        const district = i % 3 === 0 ? HAIDIAN : CHAOYANG;
        const classification = i % 2 === 0 ? 'confirmed' : 'suspected';
        const reportDate = daysAgo(1 + (i % 5));
        const c = await openCase(supervisor, district, { classification, reportDate, onsetDate: daysAgo(6 + (i % 5)) });
        created.push({ ...c, reportDate, classification, district });
      }
      for (const c of created.filter((x) => x.district === CHAOYANG).slice(0, 3)) {
        const r = await supervisor.call('POST', `/api/cases/${c.id}/assignments`, { staffId: investigator.id });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
    });
    after(async () => { await s?.close(); });

    it('creates a case for a new person: 201, validated like an import, audited, creator assigned', async () => {
      const audits = async () => Number((await s.t.ctx.store.audit.count()));
      const before = await audits();
      const c = await openCase(investigator, CHAOYANG, { classification: 'suspected', reportDate: daysAgo(0), onsetDate: daysAgo(1), source: 'fever clinic' });
      assert.match(c.id, /^c/);
      assert.match(c.subjectId, /^s/);
      assert.equal(await audits(), before + 2, 'create and assign events');
      const detail = await investigator.call('GET', `/api/cases/${c.id}`);
      assert.equal(detail.status, 200);
      assert.equal(detail.body.source, 'fever clinic');
      assert.deepEqual(detail.body.assignedStaff, [investigator.id]);
      assert.equal(detail.body.subject.identity.name.masked, true);
    });

    it('rejects a bad new person or case with 400 naming the field, and changes nothing', async () => {
      const raw = await rawSql(s.t.db);
      const count = async () => (await raw.query<{ n: number | string }>('select count(*) as n from subjects'))[0]!.n;
      try {
        const before = await count();
        const cases: [Record<string, unknown>, string][] = [
          [{ person: person(CHAOYANG, { documentNumber: '110105199001011234' }), case: { classification: 'confirmed', reportDate: daysAgo(1) } }, 'person.documentNumber'],
          [{ person: person(CHAOYANG, { phone: '12345' }), case: { classification: 'confirmed', reportDate: daysAgo(1) } }, 'person.phone'],
          [{ person: person(CHAOYANG, { districtCode: '999999' }), case: { classification: 'confirmed', reportDate: daysAgo(1) } }, 'person.districtCode'],
          [{ person: person(CHAOYANG), case: { classification: 'confirmed', reportDate: daysAgo(-3) } }, 'case.reportDate'],
          [{ person: person(CHAOYANG), case: { classification: 'suspected', reportDate: daysAgo(1), confirmationDate: daysAgo(1) } }, 'case.confirmationDate'],
          [{ person: person(CHAOYANG), case: { classification: 'confirmed', reportDate: daysAgo(3), onsetDate: daysAgo(1) } }, 'case.onsetDate'],
          [{ case: { classification: 'confirmed', reportDate: daysAgo(1) } }, 'person'],
          [{ person: person(CHAOYANG), subjectId: created[0]!.subjectId, case: { classification: 'confirmed', reportDate: daysAgo(1) } }, 'person'],
          [{ person: person(CHAOYANG), case: { classification: 'confirmed', reportDate: '2026-02-30' } }, 'case.reportDate'],
          [{ person: { ...person(CHAOYANG), extra: 1 }, case: { classification: 'confirmed', reportDate: daysAgo(1) } }, 'person.extra'],
        ];
        for (const [body, field] of cases) {
          const r = await investigator.call('POST', '/api/cases', body);
          assert.equal(r.status, 400, JSON.stringify(r.body));
          assert.equal(r.body.code, 'ERR_VALIDATION');
          assert.equal(r.body.field, field, JSON.stringify(r.body));
        }
        assert.equal(await count(), before);
      } finally {
        await raw.close();
      }
    });

    it('refuses a second person with a registered document (409) and a used case number (409)', async () => {
      const p = person(CHAOYANG);
      const first = await investigator.call('POST', '/api/cases', { person: p, case: { classification: 'confirmed', reportDate: daysAgo(1), caseNumber: `BJ-${Date.now()}` } });
      assert.equal(first.status, 201);
      const again = await investigator.call('POST', '/api/cases', { person: { ...p, name: '另一个' }, case: { classification: 'confirmed', reportDate: daysAgo(1) } });
      assert.equal(again.status, 409);
      assert.equal(again.body.field, 'person.documentNumber');
      const raw = await rawSql(s.t.db);
      try {
        const attempts = await raw.query<{ subject_ref: string | null }>("select subject_ref from audit_events where reason = 'duplicate_document' and outcome = 'failure'");
        assert.equal(attempts.length, 1, 'the refused registration is audited against the registered person');
        assert.ok(attempts[0]!.subject_ref);
      } finally {
        await raw.close();
      }
      const number = await investigator.call('POST', '/api/cases', { person: person(CHAOYANG), case: { classification: 'confirmed', reportDate: daysAgo(1), caseNumber: first.body.caseNumber } });
      assert.equal(number.status, 409);
      assert.equal(number.body.field, 'case.caseNumber');
    });

    it('opens a second case for a registered subject the viewer may read (supervisor), not for one they may not', async () => {
      const target = created.find((c) => c.district === CHAOYANG)!;
      const r = await supervisor.call('POST', '/api/cases', { subjectId: target.subjectId, case: { classification: 'suspected', reportDate: daysAgo(0) } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.subjectId, target.subjectId);
      const denied = await other.call('POST', '/api/cases', { subjectId: target.subjectId, case: { classification: 'suspected', reportDate: daysAgo(0) } });
      assert.equal(denied.status, 404);
      assert.deepEqual(denied.body, NOT_FOUND);
    });

    it('investigators create cases only in their jurisdiction', async () => {
      const r = await investigator.call('POST', '/api/cases', { person: person(PUDONG), case: { classification: 'confirmed', reportDate: daysAgo(1) } });
      assert.equal(r.status, 404);
      assert.deepEqual(r.body, NOT_FOUND);
    });

    it('lists the scope: supervisor all of Beijing, investigator only assigned cases; newest first; masked', async () => {
      const all = await supervisor.call<CasePage>('GET', '/api/cases?limit=100');
      assert.equal(all.status, 200);
      for (const c of created) assert.ok(all.body.items.some((i) => i.id === c.id));
      const dates = all.body.items.map((i) => i.reportDate);
      assert.deepEqual(dates, [...dates].sort().reverse());
      assert.ok(all.body.items.every((i) => i.subject.name.masked));
      const mine = await investigator.call<CasePage>('GET', '/api/cases?limit=100');
      const assigned = created.filter((x) => x.district === CHAOYANG).slice(0, 3).map((c) => c.id);
      for (const id of assigned) assert.ok(mine.body.items.some((i) => i.id === id));
      const minePlusCreated = mine.body.items.filter((i) => !assigned.includes(i.id));
      for (const i of minePlusCreated) assert.equal(i.jurisdictionCode, CHAOYANG);
      assert.ok(mine.body.items.every((i) => !created.some((c) => c.id === i.id && !assigned.includes(c.id))));
      const assignedMe = await investigator.call<CasePage>('GET', '/api/cases?assigned=me&limit=100');
      assert.deepEqual(new Set(assignedMe.body.items.map((i) => i.id)), new Set(mine.body.items.map((i) => i.id)));
    });

    it('filters by classification, jurisdiction prefix and report date range', async () => {
      const conf = await supervisor.call<CasePage>('GET', '/api/cases?classification=confirmed&limit=100');
      assert.ok(conf.body.items.length > 0 && conf.body.items.every((i) => i.classification === 'confirmed'));
      const hd = await supervisor.call<CasePage>(`GET`, `/api/cases?jurisdiction=${HAIDIAN}&limit=100`);
      assert.equal(hd.body.items.length, created.filter((c) => c.district === HAIDIAN).length);
      assert.ok(hd.body.items.every((i) => i.jurisdictionCode === HAIDIAN));
      const range = await supervisor.call<CasePage>('GET', `/api/cases?reportFrom=${daysAgo(3)}&reportTo=${daysAgo(2)}&limit=100`);
      assert.ok(range.body.items.length > 0);
      assert.ok(range.body.items.every((i) => i.reportDate >= daysAgo(3) && i.reportDate <= daysAgo(2)));
      const city = await supervisor.call<CasePage>('GET', '/api/cases?jurisdiction=1101&limit=100');
      assert.equal(city.body.items.length, all(await supervisor.call<CasePage>('GET', '/api/cases?limit=100')));
      const outside = await investigator.call('GET', `/api/cases?jurisdiction=${HAIDIAN}`);
      assert.equal(outside.status, 404);
      const unknown = await supervisor.call('GET', '/api/cases?jurisdiction=999999');
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.field, 'jurisdiction');
      const bad = await supervisor.call('GET', `/api/cases?reportFrom=${daysAgo(1)}&reportTo=${daysAgo(3)}`);
      assert.equal(bad.body.field, 'reportTo');
      function all(r: { body: CasePage }) { return r.body.items.length; }
    });

    it('pages with a keyset cursor: every case once, in order, limit honoured', async () => {
      const whole = (await supervisor.call<CasePage>('GET', '/api/cases?limit=100')).body.items.map((i) => i.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r: { status: number; body: CasePage } = await supervisor.call<CasePage>('GET', `/api/cases?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(r.status, 200);
        assert.ok(r.body.items.length <= 4);
        seen.push(...r.body.items.map((i) => i.id));
        cursor = r.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 50);
      assert.deepEqual(seen, whole);
      for (const bad of ['limit=0', 'limit=101', 'limit=x', 'cursor=nonsense', `cursor=${Buffer.from('["a"]').toString('base64url')}`]) {
        const r = await supervisor.call('GET', `/api/cases?${bad}`);
        assert.equal(r.status, 400, bad);
        assert.ok(['limit', 'cursor'].includes(r.body.field), bad);
      }
    });

    it('updates classification, dates and outcome; validates the whole case; audited', async () => {
      const c = created.find((x) => x.district === CHAOYANG && x.classification === 'suspected')!;
      const r = await supervisor.call('PATCH', `/api/cases/${c.id}`, { classification: 'confirmed', confirmationDate: daysAgo(0), outcome: 'under_treatment' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.classification, 'confirmed');
      assert.equal(r.body.confirmationDate, daysAgo(0));
      assert.equal(r.body.outcome, 'under_treatment');
      const back = await supervisor.call('PATCH', `/api/cases/${c.id}`, { classification: 'suspected' });
      assert.equal(back.status, 400);
      assert.equal(back.body.field, 'confirmationDate');
      const empty = await supervisor.call('PATCH', `/api/cases/${c.id}`, {});
      assert.equal(empty.status, 400);
      const cleared = await supervisor.call('PATCH', `/api/cases/${c.id}`, { classification: 'suspected', confirmationDate: null, onsetDate: null });
      assert.equal(cleared.status, 200);
      assert.equal(cleared.body.confirmationDate, null);
      assert.equal(cleared.body.onsetDate, null);
      const notMine = await investigator.call('PATCH', `/api/cases/${created.find((x) => x.district === HAIDIAN)!.id}`, { outcome: 'recovered' });
      assert.deepEqual(notMine.body, NOT_FOUND);
    });

    it('case detail carries abilities from the policy', async () => {
      const assigned = created.filter((x) => x.district === CHAOYANG)[0]!;
      const sup = (await supervisor.call('GET', `/api/cases/${assigned.id}`)).body;
      assert.equal(sup.abilities.assign, true);
      assert.equal(sup.abilities.update, true);
      assert.equal(sup.abilities.breakGlass, false);
      const inv = (await investigator.call('GET', `/api/cases/${assigned.id}`)).body;
      assert.equal(inv.abilities.assign, false);
      assert.equal(inv.abilities.update, true);
      assert.ok(inv.abilities.reveal.includes('name'));
      const tracing = (await investigator.call('GET', `/api/cases/${assigned.id}`, undefined, 'contact_tracing'));
      assert.equal(tracing.status, 404, 'cases are read for investigating them');
    });
  });
}
