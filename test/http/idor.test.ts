import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { engines } from '../support/engines.ts';
import { CHAOYANG, dataDigest, daysAgo, HAIDIAN, NOT_FOUND, openCase, person, signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The id with the character at `i` replaced by another of the same alphabet. */
function neighbour(id: string, i: number): string {
  const c = id[i]!;
  const alphabet = BASE32.includes(c) ? BASE32 : '0123456789';
  let r = c;
  while (r === c) r = alphabet[randomInt(alphabet.length)]!;
  return id.slice(0, i) + r + id.slice(i + 1);
}

const randomIdLike = (prefix: string) => prefix + Array.from({ length: 26 }, () => BASE32[randomInt(32)]).join('');

interface Records { case: string; subject: string; contact: string; travel: string }

type Route = { method: string; url: (r: Records) => string; body?: (r: Records) => unknown; purpose: string; kind: keyof Records };

const REASON = 'following up on a reported exposure';
const ROUTES: Route[] = [
  { method: 'GET', url: (r) => `/api/cases/${r.case}`, purpose: 'case_investigation', kind: 'case' },
  { method: 'PATCH', url: (r) => `/api/cases/${r.case}`, body: () => ({ outcome: 'recovered' }), purpose: 'case_investigation', kind: 'case' },
  { method: 'GET', url: (r) => `/api/cases/${r.case}/contacts`, purpose: 'case_investigation', kind: 'case' },
  { method: 'POST', url: (r) => `/api/cases/${r.case}/contacts`, body: () => ({ person: person(CHAOYANG), exposure: { exposureType: 'household', exposureDate: daysAgo(2) } }), purpose: 'case_investigation', kind: 'case' },
  { method: 'GET', url: (r) => `/api/cases/${r.case}/notes`, purpose: 'case_investigation', kind: 'case' },
  { method: 'POST', url: (r) => `/api/cases/${r.case}/notes`, body: () => ({ text: 'a note' }), purpose: 'case_investigation', kind: 'case' },
  { method: 'POST', url: (r) => `/api/cases/${r.case}/break-glass`, body: () => ({ reason: REASON }), purpose: 'case_investigation', kind: 'case' },
  { method: 'GET', url: (r) => `/api/subjects/${r.subject}`, purpose: 'case_investigation', kind: 'subject' },
  { method: 'PATCH', url: (r) => `/api/subjects/${r.subject}`, body: () => ({ employer: 'Acme' }), purpose: 'case_investigation', kind: 'subject' },
  { method: 'GET', url: (r) => `/api/subjects/${r.subject}/travel`, purpose: 'case_investigation', kind: 'subject' },
  { method: 'POST', url: (r) => `/api/subjects/${r.subject}/travel`, body: () => ({ mode: 'bus', arrival: `${daysAgo(2)}T08:00:00+08:00`, departure: `${daysAgo(2)}T08:30:00+08:00` }), purpose: 'case_investigation', kind: 'subject' },
  { method: 'POST', url: () => '/api/reveal', body: (r) => ({ resourceType: 'subject', id: r.subject, field: 'name', reason: REASON }), purpose: 'case_investigation', kind: 'subject' },
  { method: 'PATCH', url: (r) => `/api/travel/${r.travel}`, body: () => ({ placeText: 'elsewhere' }), purpose: 'case_investigation', kind: 'travel' },
  { method: 'PATCH', url: (r) => `/api/contacts/${r.contact}`, body: () => ({ setting: 'office' }), purpose: 'contact_tracing', kind: 'contact' },
];

/**
 * Guessed and neighbouring ids: a record of another jurisdiction, an id one character away from
 * one's own, and a random id all answer exactly like an id that exists nowhere, and change nothing.
 */
for (const { engine, skip } of await engines()) {
  describe(`staff API: IDOR on ${engine}`, { skip }, () => {
    let s: StaffServer;
    let me: Staff;
    let mine: Records;
    let theirs: Records;

    async function records(owner: Staff, district: string): Promise<Records> {
      const c = await openCase(owner, district);
      const contact = await owner.call('POST', `/api/cases/${c.id}/contacts`, { person: person(district), exposure: { exposureType: 'workplace', exposureDate: daysAgo(3) } });
      const travel = await owner.call('POST', `/api/subjects/${c.subjectId}/travel`, { mode: 'taxi', arrival: `${daysAgo(3)}T08:00:00+08:00`, departure: `${daysAgo(3)}T08:20:00+08:00` });
      assert.equal(contact.status, 201);
      assert.equal(travel.status, 201);
      return { case: c.id, subject: c.subjectId, contact: contact.body.id, travel: travel.body.id };
    }

    before(async () => {
      s = await staffServer(engine);
      me = await signedInStaff(s, 'investigator', CHAOYANG);
      mine = await records(me, CHAOYANG);
      theirs = await records(await signedInStaff(s, 'investigator', HAIDIAN), HAIDIAN);
    });
    after(async () => { await s?.close(); });

    it('answers the same 404 for other jurisdictions\' records, neighbouring ids and random ids, and changes nothing', async () => {
      const state = await dataDigest(s);
      let checked = 0;
      for (const route of ROUTES) {
        const prefix = mine[route.kind][0]!;
        const nowhere = { ...mine, [route.kind]: randomIdLike(prefix) };
        const reference = await me.call(route.method, route.url(nowhere), route.body?.(nowhere), route.purpose as never);
        assert.equal(reference.status, 404, `${route.method} ${route.url(nowhere)}`);
        assert.deepEqual(reference.body, NOT_FOUND);
        const guesses: Records[] = [
          theirs,
          { ...mine, [route.kind]: theirs[route.kind] },
          ...[1, 5, 13, 26].map((i) => ({ ...mine, [route.kind]: neighbour(mine[route.kind], i) })),
          { ...mine, [route.kind]: mine[route.kind].toUpperCase() },
          { ...mine, [route.kind]: `${mine[route.kind]}x` },
          { ...mine, [route.kind]: mine[route.kind].slice(0, -1) },
        ];
        for (const g of guesses) {
          const r = await me.call(route.method, route.url(g), route.body?.(g), route.purpose as never);
          assert.equal(r.status, 404, `${route.method} ${route.url(g)}: ${JSON.stringify(r.body)}`);
          assert.deepEqual(r.body, reference.body);
          assert.equal(r.headers['content-length'], reference.headers['content-length']);
          checked += 1;
        }
      }
      assert.equal(await dataDigest(s), state, 'no denied request changed anything');
      assert.ok(checked >= ROUTES.length * 8);
    });

    it('the same requests on my own records succeed (the 404s above are about access, not the requests)', async () => {
      for (const route of ROUTES) {
        if (route.url(mine).endsWith('/break-glass')) continue; // I am assigned: break-glass is for unassigned cases
        const r = await me.call(route.method, route.url(mine), route.body?.(mine), route.purpose as never);
        assert.ok(r.status >= 200 && r.status < 300, `${route.method} ${route.url(mine)}: ${r.status} ${JSON.stringify(r.body)}`);
      }
    });
  });
}
