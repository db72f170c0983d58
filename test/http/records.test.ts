import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.ts';
import { rawSql } from '../support/raw-sql.ts';
import { CHAOYANG, daysAgo, HAIDIAN, NOT_FOUND, openCase, person, signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';

const PLACE = { id: 'p_test_mall', name: 'Test Mall', address: 'Chaoyang Rd 1', district_code: CHAOYANG, category: 'mall', lat: 39.9, lon: 116.4 };

/** Contacts, subjects, travel, notes and search through the staff API. */
for (const { engine, skip } of await engines()) {
  describe(`staff API: records on ${engine}`, { skip }, () => {
    let s: StaffServer;
    let investigator: Staff;
    let outsider: Staff;
    let supervisor: Staff;
    let kase: { id: string; subjectId: string };

    before(async () => {
      s = await staffServer(engine);
      await s.t.ctx.store.travel.insertPlaces([PLACE]);
      investigator = await signedInStaff(s, 'investigator', CHAOYANG);
      outsider = await signedInStaff(s, 'investigator', HAIDIAN);
      supervisor = await signedInStaff(s, 'supervisor', '11');
      kase = await openCase(investigator, CHAOYANG);
    });
    after(async () => { await s?.close(); });

    const tokenCount = async () => {
      const raw = await rawSql(s.t.db);
      try {
        return Number((await raw.query<{ n: number }>('select count(*) as n from colocation_tokens'))[0]!.n);
      } finally {
        await raw.close();
      }
    };

    it('adds close contacts (new person, registered subject), lists them masked and paged, updates quarantine', async () => {
      const exposure = { exposureType: 'household', exposureDate: daysAgo(3), setting: 'shared flat' };
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await investigator.call('POST', `/api/cases/${kase.id}/contacts`, { person: person(i % 2 ? HAIDIAN : CHAOYANG), exposure });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.exposure.setting, 'shared flat');
        assert.equal(r.body.subject.identity.name.masked, true);
        ids.push(r.body.id);
      }
      // A registered subject (the contact of this case) added to a second case of the investigator.
      const second = await openCase(investigator, CHAOYANG);
      const first = (await investigator.call('GET', `/api/cases/${kase.id}/contacts?limit=1`)).body.items[0];
      const linked = await investigator.call('POST', `/api/cases/${second.id}/contacts`, { subjectId: first.subject.id, exposure: { exposureType: 'workplace', exposureDate: daysAgo(2) } }, 'contact_tracing');
      assert.equal(linked.status, 201, JSON.stringify(linked.body));
      const twice = await investigator.call('POST', `/api/cases/${second.id}/contacts`, { subjectId: first.subject.id, exposure: { exposureType: 'workplace', exposureDate: daysAgo(2) } }, 'contact_tracing');
      assert.equal(twice.status, 409);
      const own = await investigator.call('POST', `/api/cases/${kase.id}/contacts`, { subjectId: kase.subjectId, exposure });
      assert.equal(own.status, 400);
      assert.equal(own.body.field, 'subjectId');

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await investigator.call('GET', `/api/cases/${kase.id}/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(r.status, 200);
        seen.push(...r.body.items.map((i) => i.id));
        cursor = r.body.nextCursor;
      } while (cursor);
      assert.deepEqual(seen.sort(), [...ids].sort());

      const q = await investigator.call('PATCH', `/api/contacts/${ids[0]}`, { quarantineStart: daysAgo(2), quarantineEnd: daysAgo(-12) }, 'quarantine_followup');
      assert.equal(q.status, 200, JSON.stringify(q.body));
      assert.equal(q.body.exposure.quarantineEnd, daysAgo(-12));
      assert.equal(q.body.exposure.setting, 'shared flat');
      const onlyDates = await investigator.call('PATCH', `/api/contacts/${ids[0]}`, { setting: 'elsewhere' }, 'quarantine_followup');
      assert.equal(onlyDates.status, 400);
      assert.equal(onlyDates.body.field, 'setting');
      const order = await investigator.call('PATCH', `/api/contacts/${ids[0]}`, { quarantineEnd: daysAgo(5) }, 'contact_tracing');
      assert.equal(order.status, 400);
      assert.equal(order.body.field, 'quarantineEnd');
      assert.deepEqual((await outsider.call('GET', `/api/cases/${kase.id}/contacts`)).body, NOT_FOUND);
      assert.deepEqual((await outsider.call('PATCH', `/api/contacts/${ids[0]}`, { quarantineEnd: daysAgo(-3) }, 'contact_tracing')).body, NOT_FOUND);
      const detail = await investigator.call('GET', `/api/cases/${kase.id}`);
      assert.equal(detail.body.contacts.total, 5);
    });

    it('reads a subject masked and edits identity fields: re-sealed, indexes updated, validated', async () => {
      const r = await investigator.call('GET', `/api/subjects/${kase.subjectId}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.identity.name.masked, true);
      assert.equal(r.body.identity.phone.masked, true);
      assert.match(r.body.identity.phone.value, /^\*\d{4}$/);
      assert.equal(r.body.abilities.edit, true);
      const phone = '13912345678';
      const u = await investigator.call('PATCH', `/api/subjects/${kase.subjectId}`, { name: '赵钱孙', phone, employer: 'Acme' });
      assert.equal(u.status, 200, JSON.stringify(u.body));
      assert.equal(u.body.identity.name.value, '赵**');
      assert.equal(u.body.identity.phone.value, '*5678');
      const byPhone = await investigator.call('POST', '/api/search', { by: 'phone', value: '+86 139-1234-5678' });
      assert.deepEqual(byPhone.body.items.map((i: { subjectId: string }) => i.subjectId), [kase.subjectId]);
      const byName = await investigator.call('POST', '/api/search', { by: 'name', value: '赵钱孙' });
      assert.deepEqual(byName.body.items.map((i: { subjectId: string }) => i.subjectId), [kase.subjectId]);
      const bad = await investigator.call('PATCH', `/api/subjects/${kase.subjectId}`, { birthDate: '1990-01-01' });
      assert.equal(bad.status, 400, 'a birth date that disagrees with the resident ID number');
      assert.equal(bad.body.field, 'documentNumber');
      const badPhone = await investigator.call('PATCH', `/api/subjects/${kase.subjectId}`, { phone: 'x' });
      assert.equal(badPhone.body.field, 'phone');
      const other = await openCase(investigator, CHAOYANG);
      const otherDoc = (await investigator.call('POST', '/api/reveal', { resourceType: 'subject', id: other.subjectId, field: 'document', reason: 'check duplicate registration' })).body.value;
      const reveal = async (field: string) => (await investigator.call('POST', '/api/reveal', { resourceType: 'subject', id: other.subjectId, field, reason: 'check duplicate registration' })).body.value;
      const sex = (await investigator.call('GET', `/api/subjects/${other.subjectId}`)).body.identity.sex;
      const taken = await investigator.call('PATCH', `/api/subjects/${kase.subjectId}`, { documentNumber: otherDoc, birthDate: await reveal('birth_date'), sex });
      assert.equal(taken.status, 409);
      assert.deepEqual((await outsider.call('GET', `/api/subjects/${kase.subjectId}`)).body, NOT_FOUND);
      assert.deepEqual((await outsider.call('PATCH', `/api/subjects/${kase.subjectId}`, { name: 'x y' })).body, NOT_FOUND);
    });

    it('adds travel (venue visits write co-location tokens), lists and pages it, and a change replaces the tokens', async () => {
      const before = await tokenCount();
      const day = `${daysAgo(2)}T`;
      const visit = await investigator.call('POST', `/api/subjects/${kase.subjectId}/travel`, { mode: 'venue_visit', placeId: PLACE.id, arrival: `${day}10:00:00+08:00`, departure: `${day}11:30:00+08:00` });
      assert.equal(visit.status, 201, JSON.stringify(visit.body));
      assert.equal(visit.body.placeName, 'Test Mall');
      assert.equal(await tokenCount(), before + 2, 'one token per hour slot covered');
      const trip = await investigator.call('POST', `/api/subjects/${kase.subjectId}/travel`, { mode: 'metro', placeText: 'Line 10', arrival: `${day}09:00:00+08:00`, departure: `${day}09:40:00+08:00` });
      assert.equal(trip.status, 201);
      assert.equal(await tokenCount(), before + 2);
      const moved = await investigator.call('PATCH', `/api/travel/${visit.body.id}`, { arrival: `${day}14:10:00+08:00`, departure: `${day}14:50:00+08:00` });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.arrival, new Date(`${day}14:10:00+08:00`).toISOString());
      assert.equal(await tokenCount(), before + 1, 'the old tokens are gone, the new one written');
      const notVenue = await investigator.call('PATCH', `/api/travel/${visit.body.id}`, { mode: 'walk' });
      assert.equal(notVenue.status, 200);
      assert.equal(notVenue.body.placeId, null);
      assert.equal(await tokenCount(), before);
      for (const [body, field] of [
        [{ mode: 'venue_visit', arrival: `${day}10:00:00+08:00`, departure: `${day}11:00:00+08:00` }, 'placeId'],
        [{ mode: 'venue_visit', placeId: 'p_nowhere', arrival: `${day}10:00:00+08:00`, departure: `${day}11:00:00+08:00` }, 'placeId'],
        [{ mode: 'bus', arrival: `${day}10:00:00+08:00`, departure: `${day}09:00:00+08:00` }, 'departure'],
        [{ mode: 'bus', arrival: `${daysAgo(30)}T10:00:00+08:00`, departure: `${day}09:00:00+08:00` }, 'departure'],
        [{ mode: 'bus', arrival: '2999-01-01T10:00:00Z', departure: '2999-01-01T11:00:00Z' }, 'arrival'],
        [{ mode: 'bus', arrival: 'yesterday', departure: `${day}09:00:00+08:00` }, 'arrival'],
      ] as const) {
        const r = await investigator.call('POST', `/api/subjects/${kase.subjectId}/travel`, body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.body.field, field, JSON.stringify(r.body));
      }
      const page1 = await investigator.call('GET', `/api/subjects/${kase.subjectId}/travel?limit=1`);
      assert.equal(page1.body.items.length, 1);
      const page2 = await investigator.call('GET', `/api/subjects/${kase.subjectId}/travel?limit=1&cursor=${page1.body.nextCursor}`);
      assert.equal(page2.body.items.length, 1);
      assert.equal(page2.body.nextCursor, null);
      assert.notEqual(page1.body.items[0].id, page2.body.items[0].id);
      assert.deepEqual((await outsider.call('GET', `/api/subjects/${kase.subjectId}/travel`)).body, NOT_FOUND);
      assert.deepEqual((await outsider.call('PATCH', `/api/travel/${visit.body.id}`, { mode: 'bus' })).body, NOT_FOUND);
    });

    it('adds and lists notes (sealed: the text is not in the database)', async () => {
      const text = `note ${Date.now()} 电话无人接听`;
      const r = await investigator.call('POST', `/api/cases/${kase.id}/notes`, { text });
      assert.equal(r.status, 201);
      assert.equal(r.body.authorId, investigator.id);
      await investigator.call('POST', `/api/cases/${kase.id}/notes`, { text: 'second' });
      await investigator.call('POST', `/api/cases/${kase.id}/notes`, { text: 'third' });
      const list = await investigator.call('GET', `/api/cases/${kase.id}/notes`);
      // Oldest first (notes written in the same millisecond may come in either order).
      const texts = (items: { text: string }[]) => items.map((n) => n.text).sort();
      assert.deepEqual(texts(list.body.items), [text, 'second', 'third'].sort());
      const times = list.body.items.map((n: { createdAt: string }) => n.createdAt);
      assert.deepEqual(times, [...times].sort());
      const first = await investigator.call('GET', `/api/cases/${kase.id}/notes?limit=2`);
      const rest = await investigator.call('GET', `/api/cases/${kase.id}/notes?limit=2&cursor=${first.body.nextCursor}`);
      assert.deepEqual([...first.body.items, ...rest.body.items].map((n: { id: string }) => n.id), list.body.items.map((n: { id: string }) => n.id));
      assert.equal(rest.body.nextCursor, null);
      const raw = await rawSql(s.t.db);
      try {
        const rows = await raw.query<{ sealed: Buffer }>('select sealed from notes');
        assert.ok(rows.every((row) => !Buffer.from(row.sealed).includes(Buffer.from(text))));
      } finally {
        await raw.close();
      }
      for (const bad of [{ text: '' }, { text: 'x'.repeat(4001) }, { text: 'a\u0001b' }, { text: 5 }]) {
        const e = await investigator.call('POST', `/api/cases/${kase.id}/notes`, bad);
        assert.equal(e.status, 400);
        assert.equal(e.body.field, 'text');
      }
      assert.deepEqual((await outsider.call('GET', `/api/cases/${kase.id}/notes`)).body, NOT_FOUND);
      assert.deepEqual((await outsider.call('POST', `/api/cases/${kase.id}/notes`, { text: 'x' })).body, NOT_FOUND);
    });

    it('searches by document, phone and name in scope only, masked, and audits without the value', async () => {
      const p = person(CHAOYANG, { name: '钱多多' });
      const created = await investigator.call('POST', '/api/cases', { person: p, case: { classification: 'confirmed', reportDate: daysAgo(1) } });
      assert.equal(created.status, 201);
      const subjectId = created.body.subjectId;
      const byDoc = await investigator.call('POST', '/api/search', { by: 'document', value: p.documentNumber.toLowerCase() });
      assert.equal(byDoc.status, 200);
      assert.equal(byDoc.body.items.length, 1);
      assert.equal(byDoc.body.items[0].subjectId, subjectId);
      assert.equal(byDoc.body.items[0].identity.name.masked, true);
      assert.deepEqual(byDoc.body.items[0].cases.map((c: { id: string }) => c.id), [created.body.id]);
      const typed = await investigator.call('POST', '/api/search', { by: 'document', value: p.documentNumber, documentType: 'resident_id' });
      assert.equal(typed.body.items.length, 1);
      const byPhone = await investigator.call('POST', '/api/search', { by: 'phone', value: p.phone });
      assert.equal(byPhone.body.items[0].subjectId, subjectId);
      const byName = await supervisor.call('POST', '/api/search', { by: 'name', value: ' 钱多多 ' });
      assert.deepEqual(byName.body.items.map((i: { subjectId: string }) => i.subjectId), [subjectId]);
      // Out of scope: the Haidian investigator finds nobody, exactly as for an unknown number.
      const hidden = await outsider.call('POST', '/api/search', { by: 'document', value: p.documentNumber });
      assert.deepEqual(hidden.body, { items: [] });
      const nobody = await outsider.call('POST', '/api/search', { by: 'document', value: '110105199001011237' });
      assert.deepEqual(nobody.body, { items: [] });
      const badPhone = await investigator.call('POST', '/api/search', { by: 'phone', value: 'abc' });
      assert.equal(badPhone.body.field, 'value');
      const passport = await investigator.call('POST', '/api/search', { by: 'document', value: 'E12345678', documentType: 'passport' });
      assert.equal(passport.body.field, 'documentCountry');
      const raw = await rawSql(s.t.db);
      try {
        const events = await raw.query<Record<string, unknown>>("select * from audit_events where action = 'search'");
        assert.ok(events.length >= 6);
        const dump = JSON.stringify(events);
        for (const v of [p.documentNumber, p.phone, p.phone.slice(-8), '钱多多', subjectId]) assert.ok(!dump.includes(v), 'the audit never holds a searched value or a subject id');
      } finally {
        await raw.close();
      }
    });
  });
}
