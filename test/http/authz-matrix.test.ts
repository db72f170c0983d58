/**
 * The authorization matrix: every staff route × every role × every purpose × inside or outside
 * the jurisdiction × assigned or not, against an expectation table written out below from
 * docs/ACCESS.md (not computed by the policy code it checks). Allowed requests answer their 2xx;
 * everything else answers exactly "404 not found or no access". Sign-in, CSRF and terms are
 * checked for every route too. Accounts and records are created once per engine; the full matrix
 * runs on SQLite, a slice on PostgreSQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PURPOSES, ROLES } from '../../src/domain/roles.ts';
import type { Purpose, Role } from '../../src/domain/roles.ts';
import { engines } from '../support/engines.ts';
import { CHAOYANG, daysAgo, HAIDIAN, NOT_FOUND, openCase, person, signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';

/** Where the actor stands to the fixture case (in Chaoyang): assigned to it, in Chaoyang but not assigned, or in Haidian. */
type Scope = 'assigned' | 'inside' | 'outside';
const ALL: readonly Scope[] = ['assigned', 'inside', 'outside'];
const IN: readonly Scope[] = ['assigned', 'inside'];
const ASSIGNED: readonly Scope[] = ['assigned'];

const INV: Role = 'investigator';
const TR: Role = 'tracer';
const SUP: Role = 'supervisor';
const CI: Purpose = 'case_investigation';
const CT: Purpose = 'contact_tracing';
const QF: Purpose = 'quarantine_followup';

/** Who may: these roles, under these purposes, standing so to the fixture case. */
type Grant = readonly [readonly Role[], readonly Purpose[], readonly Scope[]];

interface Fixture { caseId: string; subjectId: string; contactId: string; travelId: string; grantId: string; spareId: string }

interface MatrixRoute {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: (f: Fixture) => string;
  readonly body?: (f: Fixture) => unknown;
  readonly ok: number;
  readonly allow: readonly Grant[];
  /** Personal data: the terms must be accepted. */
  readonly personal: boolean;
  /** Puts the records back as the request expects them (an assignment to remove, a grant to review). */
  readonly prepare?: (s: StaffServer, f: Fixture) => Promise<void>;
}

const REASON = 'matrix check of an exposure report';

const ROUTES: readonly MatrixRoute[] = [
  { name: 'list cases', method: 'GET', url: () => '/api/cases', ok: 200, personal: true, allow: [[[INV, TR], [CI], ALL], [[SUP], [CI], ALL]] },
  {
    name: 'create case', method: 'POST', url: () => '/api/cases', ok: 201, personal: true,
    body: () => ({ person: person(CHAOYANG), case: { classification: 'suspected', reportDate: daysAgo(1) } }), allow: [[[INV], [CI], IN], [[SUP], [CI], IN]],
  },
  { name: 'read case', method: 'GET', url: (f) => `/api/cases/${f.caseId}`, ok: 200, personal: true, allow: [[[INV, TR], [CI], ASSIGNED], [[SUP], [CI], IN]] },
  { name: 'update case', method: 'PATCH', url: (f) => `/api/cases/${f.caseId}`, body: () => ({ outcome: 'under_treatment' }), ok: 200, personal: true, allow: [[[INV], [CI], ASSIGNED], [[SUP], [CI], IN]] },
  { name: 'list contacts', method: 'GET', url: (f) => `/api/cases/${f.caseId}/contacts`, ok: 200, personal: true, allow: [[[INV, TR], [CI, CT, QF], ASSIGNED], [[SUP], [CI, CT, QF], IN]] },
  {
    name: 'add contact', method: 'POST', url: (f) => `/api/cases/${f.caseId}/contacts`, ok: 201, personal: true,
    body: () => ({ person: person(CHAOYANG), exposure: { exposureType: 'household', exposureDate: daysAgo(2) } }),
    // Tracers register new people only while tracing.
    allow: [[[INV], [CI, CT], ASSIGNED], [[TR], [CT], ASSIGNED], [[SUP], [CI, CT], IN]],
  },
  {
    name: 'update contact', method: 'PATCH', url: (f) => `/api/contacts/${f.contactId}`, ok: 200, personal: true,
    body: () => ({ quarantineStart: daysAgo(1), quarantineEnd: daysAgo(-12) }), allow: [[[INV, TR], [CT, QF], ASSIGNED], [[SUP], [CT, QF], IN]],
  },
  { name: 'read subject', method: 'GET', url: (f) => `/api/subjects/${f.subjectId}`, ok: 200, personal: true, allow: [[[INV, TR], [CI], ASSIGNED], [[SUP], [CI, CT, QF], IN]] },
  { name: 'update subject', method: 'PATCH', url: (f) => `/api/subjects/${f.subjectId}`, body: () => ({ employer: 'Matrix Ltd' }), ok: 200, personal: true, allow: [[[INV], [CI], ASSIGNED], [[SUP], [CI, CT], IN]] },
  { name: 'list travel', method: 'GET', url: (f) => `/api/subjects/${f.subjectId}/travel`, ok: 200, personal: true, allow: [[[INV], [CI], ASSIGNED], [[SUP], [CI, CT], IN]] },
  {
    name: 'add travel', method: 'POST', url: (f) => `/api/subjects/${f.subjectId}/travel`, ok: 201, personal: true,
    body: () => ({ mode: 'bus', arrival: `${daysAgo(2)}T08:00:00+08:00`, departure: `${daysAgo(2)}T08:30:00+08:00` }), allow: [[[INV], [CI], ASSIGNED], [[SUP], [CI, CT], IN]],
  },
  { name: 'update travel', method: 'PATCH', url: (f) => `/api/travel/${f.travelId}`, body: () => ({ placeText: 'line 6' }), ok: 200, personal: true, allow: [[[INV], [CI], ASSIGNED], [[SUP], [CI, CT], IN]] },
  { name: 'list notes', method: 'GET', url: (f) => `/api/cases/${f.caseId}/notes`, ok: 200, personal: true, allow: [[[INV, TR], [CI], ASSIGNED], [[SUP], [CI], IN]] },
  { name: 'add note', method: 'POST', url: (f) => `/api/cases/${f.caseId}/notes`, body: () => ({ text: 'matrix note' }), ok: 201, personal: true, allow: [[[INV, TR], [CI], ASSIGNED], [[SUP], [CI], IN]] },
  // Search is a query over one's own scope: allowed wherever one stands (hits are then filtered).
  { name: 'search', method: 'POST', url: () => '/api/search', body: () => ({ by: 'name', value: '张三' }), ok: 200, personal: true, allow: [[[INV], [CI, CT], ALL], [[TR], [CT], ALL], [[SUP], [CI, CT], ALL]] },
  {
    name: 'reveal', method: 'POST', url: () => '/api/reveal', ok: 200, personal: true,
    body: (f) => ({ resourceType: 'subject', id: f.subjectId, field: 'name', reason: REASON }), allow: [[[INV], [CI], ASSIGNED], [[SUP], [CI, CT, QF], IN]],
  },
  { name: 'my assignments', method: 'GET', url: () => '/api/me/assignments', ok: 200, personal: true, allow: [[[INV, TR], [CI, CT, QF], ALL], [[SUP], [CI, CT], ALL]] },
  { name: 'staff directory', method: 'GET', url: () => '/api/staff', ok: 200, personal: false, allow: [[[SUP], [CI, CT], ALL], [['administrator'], ['administration'], ALL]] },
  {
    name: 'assign', method: 'POST', url: (f) => `/api/cases/${f.caseId}/assignments`, body: (f) => ({ staffId: f.spareId }), ok: 201, personal: false, allow: [[[SUP], [CI, CT], IN]],
    prepare: async (s, f) => { await s.t.ctx.store.access.unassign(f.caseId, f.spareId); },
  },
  {
    name: 'unassign', method: 'DELETE', url: (f) => `/api/cases/${f.caseId}/assignments/${f.spareId}`, ok: 200, personal: false, allow: [[[SUP], [CI, CT], IN]],
    prepare: async (s, f) => { await s.t.ctx.store.access.assign(f.caseId, f.spareId, new Date().toISOString()); },
  },
  { name: 'pending break-glass', method: 'GET', url: () => '/api/break-glass', ok: 200, personal: false, allow: [[[SUP], ['audit'], ALL]] },
  {
    name: 'review break-glass', method: 'POST', url: (f) => `/api/break-glass/${f.grantId}/review`, body: () => ({ decision: 'accept', note: REASON }), ok: 200, personal: false, allow: [[[SUP], ['audit'], IN]],
    prepare: async (s, f) => {
      f.grantId = `bg_${randomBytes(8).toString('hex')}`;
      const now = new Date();
      await s.t.ctx.store.access.createBreakGlass({
        id: f.grantId, account_id: f.spareId, case_id: f.caseId, jurisdiction_code: CHAOYANG, reason: REASON, created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + 3_600_000).toISOString(), review_status: 'pending', reviewed_by: null, reviewed_at: null, review_note: null,
      });
    },
  },
  // Last: a grant opens the case to its holder, which would change the rows above.
  { name: 'break-glass', method: 'POST', url: (f) => `/api/cases/${f.caseId}/break-glass`, body: () => ({ reason: REASON }), ok: 201, personal: true, allow: [[[INV], [CI], ['inside']]] },
];

function expected(route: MatrixRoute, role: Role, purpose: Purpose, scope: Scope): boolean {
  return route.allow.some(([roles, purposes, scopes]) => roles.includes(role) && purposes.includes(purpose) && scopes.includes(scope));
}

interface Actor { readonly role: Role; readonly scope: Scope; readonly staff: Staff }

const ASSIGNABLE: readonly Role[] = [INV, TR];

for (const { engine, skip } of await engines()) {
  describe(`staff API: authorization matrix on ${engine}`, { skip }, () => {
    const full = engine === 'sqlite';
    const roles: readonly Role[] = full ? ROLES : [INV, TR, SUP, 'auditor'];
    const purposes: readonly Purpose[] = full ? PURPOSES : [CI, CT, 'audit'];
    let s: StaffServer;
    let fixture: Fixture;
    const actors: Actor[] = [];
    let noTerms: Staff;

    before(async () => {
      s = await staffServer(engine);
      const owner = await signedInStaff(s, SUP, CHAOYANG);
      const kase = await openCase(owner, CHAOYANG);
      const contact = await owner.call('POST', `/api/cases/${kase.id}/contacts`, { person: person(CHAOYANG), exposure: { exposureType: 'household', exposureDate: daysAgo(3) } });
      const travel = await owner.call('POST', `/api/subjects/${kase.subjectId}/travel`, { mode: 'taxi', arrival: `${daysAgo(3)}T08:00:00+08:00`, departure: `${daysAgo(3)}T08:20:00+08:00` });
      const spare = await signedInStaff(s, INV, CHAOYANG);
      fixture = { caseId: kase.id, subjectId: kase.subjectId, contactId: contact.body.id, travelId: travel.body.id, grantId: '', spareId: spare.id };
      for (const role of roles) {
        const scopes: Scope[] = ASSIGNABLE.includes(role) ? ['assigned', 'inside', 'outside'] : ['inside', 'outside'];
        for (const scope of scopes) {
          const staff = await signedInStaff(s, role, scope === 'outside' ? HAIDIAN : CHAOYANG);
          if (scope === 'assigned') assert.equal((await owner.call('POST', `/api/cases/${kase.id}/assignments`, { staffId: staff.id })).status, 201);
          actors.push({ role, scope, staff });
        }
      }
      noTerms = await signedInStaff(s, INV, CHAOYANG, { termsAccepted: false });
      assert.equal((await owner.call('POST', `/api/cases/${kase.id}/assignments`, { staffId: noTerms.id })).status, 201);
    });
    after(async () => { await s?.close(); });

    it(`every route × ${full ? 'every' : 'some'} role × ${full ? 'every' : 'some'} purpose × jurisdiction × assignment answers as the table says`, async () => {
      const mismatches: string[] = [];
      let checked = 0;
      for (const route of ROUTES) {
        for (const actor of actors) {
          for (const purpose of purposes) {
            await route.prepare?.(s, fixture);
            const r = await actor.staff.call(route.method, route.url(fixture), route.body?.(fixture), purpose);
            const allow = expected(route, actor.role, purpose, actor.scope);
            const okBody = allow ? r.status === route.ok : r.status === 404 && JSON.stringify(r.body) === JSON.stringify(NOT_FOUND);
            if (!okBody) mismatches.push(`${route.name} ${actor.role}/${actor.scope}/${purpose}: expected ${allow ? route.ok : 404}, got ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
            checked += 1;
          }
        }
      }
      assert.deepEqual(mismatches.slice(0, 30), [], `${mismatches.length} of ${checked} cells differ from the table`);
      assert.ok(checked >= ROUTES.length * actors.length * purposes.length);
    });

    it('every route needs a session (401), a CSRF token to change anything (403), and the terms for personal data (403)', async () => {
      for (const route of ROUTES) {
        await route.prepare?.(s, fixture);
        const url = route.url(fixture);
        const payload = route.body?.(fixture) as Record<string, unknown> | undefined;
        const anonymous: { statusCode: number; body: string; json(): { code: string } } = await s.server.inject({ method: route.method, url, headers: { 'x-epivault-purpose': CI }, ...(payload ? { payload } : {}) });
        assert.equal(anonymous.statusCode, 401, `${route.name}: ${anonymous.body}`);
        assert.equal(anonymous.json().code, 'ERR_AUTH');
        const someone: Staff = actors.find((a) => a.role === SUP && a.scope === 'inside')!.staff;
        if (route.method !== 'GET') {
          const noCsrf: { statusCode: number; body: string; json(): { code: string } } = await s.server.inject({ method: route.method, url, headers: { cookie: someone.session.cookie, 'x-epivault-purpose': CI }, ...(payload ? { payload } : {}) });
          assert.equal(noCsrf.statusCode, 403, `${route.name}: ${noCsrf.body}`);
          assert.equal(noCsrf.json().code, 'ERR_CSRF');
          const wrongCsrf: { status: number } = await someone.call(route.method, url, payload, CI, { 'x-csrf-token': 'x'.repeat(43) });
          assert.equal(wrongCsrf.status, 403, route.name);
        }
        if (route.personal) {
          const r: { status: number; body: { code: string } } = await noTerms.call(route.method, url, payload, CI);
          assert.equal(r.status, 403, `${route.name}: ${JSON.stringify(r.body)}`);
          assert.equal(r.body.code, 'ERR_TERMS_REQUIRED');
        }
        const noPurpose: { status: number; body: { field: string } } = await someone.call(route.method, url, payload, null);
        assert.equal(noPurpose.status, 400, route.name);
        assert.equal(noPurpose.body.field, 'x-epivault-purpose');
      }
    });
  });
}
