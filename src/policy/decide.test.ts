import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NO_PERSONAL_DATA_ROLES, PURPOSES, ROLES } from '../domain/roles.ts';
import type { Purpose, Role } from '../domain/roles.ts';
import { MASKABLE_FIELDS } from '../domain/masking.ts';
import { decide } from './decide.ts';
import type { Action, PolicyActor, PolicyContext, PolicyResource, ResourceType } from './types.ts';

/*
 * THE SPECIFICATION. Written by hand from issue #3 and docs/ACCESS.md, not derived from the rules:
 * every cell of role × action × resource type × purpose × shape × inside/outside jurisdiction ×
 * assigned/not × (for subjects and travel) relation × break-glass grant is walked, and `decide`
 * must allow exactly the cells some row below allows.
 *
 * Conditions:
 *   J            the resource lies in the actor's jurisdiction subtree
 *   J∧A          … and the actor is assigned to its case (a record, not a collection query)
 *   J∧A:case     (subjects, travel) … assigned to a case the subject is the case of
 *   J∧A:contact  (subjects, travel) … assigned to a case the subject is a close contact of
 *   coll∧J       a collection query (list, search) over a scope in the subtree
 *   rec∧J        one record in the subtree
 *   rec∧J∧¬A     one record in the subtree, actor not assigned
 *   BG           one record in the subtree, actor not assigned (to the case it is the subject
 *                of), holding an unexpired break-glass grant → allowed with viaBreakGlass
 *   rec∧J∧¬own   one record in the subtree that is not about the actor
 *   own          the resource belongs to the actor
 *   any          always
 * Extras: 'restrict' = obligation restrictToAssigned; 'quarantine' = onlyFields quarantine dates.
 */
type Cond = 'J' | 'J∧A' | 'J∧A:case' | 'J∧A:contact' | 'coll∧J' | 'rec∧J' | 'rec∧J∧¬A' | 'BG' | 'rec∧J∧¬own' | 'own' | 'any';
type Extra = 'restrict' | 'quarantine';
type Row = readonly [Role | readonly Role[] | '*', Purpose | readonly Purpose[] | '*', ResourceType, readonly Action[], Cond, Extra?];

const INV = 'investigator', TR = 'tracer', SUP = 'supervisor', AUD = 'auditor', DPO = 'data_protection_officer', ADM = 'administrator';
const CI = 'case_investigation', CT = 'contact_tracing', QF = 'quarantine_followup';

const SPEC: readonly Row[] = [
  // cases
  [[INV, TR], CI, 'case', ['list'], 'coll∧J', 'restrict'],
  [INV, CI, 'case', ['read', 'update'], 'J∧A'],
  [TR, CI, 'case', ['read'], 'J∧A'],
  [INV, CI, 'case', ['create'], 'J'],
  [INV, CI, 'case', ['break_glass'], 'rec∧J∧¬A'],
  [INV, CI, 'case', ['read'], 'BG'],
  [SUP, CI, 'case', ['list', 'read', 'create', 'update'], 'J'],
  // subjects
  [INV, CI, 'subject', ['read', 'update', 'reveal'], 'J∧A:case'],
  [INV, CI, 'subject', ['read'], 'BG'],
  [TR, CI, 'subject', ['read'], 'J∧A:case'],
  [[INV, TR], CT, 'subject', ['read', 'update', 'reveal'], 'J∧A:contact'],
  [[INV, TR], QF, 'subject', ['read', 'reveal'], 'J∧A:contact'],
  [INV, [CI, CT], 'subject', ['create'], 'J'],
  [TR, CT, 'subject', ['create'], 'J'],
  [INV, [CI, CT], 'subject', ['search'], 'coll∧J', 'restrict'],
  [TR, CT, 'subject', ['search'], 'coll∧J', 'restrict'],
  [SUP, [CI, CT], 'subject', ['read', 'update', 'reveal', 'create', 'search'], 'J'],
  [SUP, QF, 'subject', ['read', 'reveal'], 'J'],
  // close contacts
  [[INV, TR], CI, 'contact', ['list', 'read', 'create'], 'J∧A'],
  [[INV, TR], CT, 'contact', ['list', 'read', 'create', 'update'], 'J∧A'],
  [[INV, TR], QF, 'contact', ['list', 'read'], 'J∧A'],
  [[INV, TR], QF, 'contact', ['update'], 'J∧A', 'quarantine'],
  [SUP, CI, 'contact', ['list', 'read', 'create'], 'J'],
  [SUP, CT, 'contact', ['list', 'read', 'create', 'update'], 'J'],
  [SUP, QF, 'contact', ['list', 'read'], 'J'],
  [SUP, QF, 'contact', ['update'], 'J', 'quarantine'],
  // travel
  [INV, CI, 'travel', ['list', 'read', 'create', 'update'], 'J∧A:case'],
  [[INV, TR], CT, 'travel', ['list', 'read', 'create', 'update'], 'J∧A:contact'],
  [SUP, [CI, CT], 'travel', ['list', 'read', 'create', 'update'], 'J'],
  // notes and observations
  [[INV, TR], CI, 'note', ['list', 'read', 'create'], 'J∧A'],
  [SUP, CI, 'note', ['list', 'read', 'create'], 'J'],
  [INV, CI, 'observation', ['list', 'read', 'create', 'update'], 'J∧A'],
  [SUP, CI, 'observation', ['list', 'read', 'create', 'update'], 'J'],
  // assignments
  [SUP, [CI, CT], 'assignment', ['assign'], 'rec∧J'],
  [SUP, [CI, CT], 'assignment', ['list'], 'J'],
  [[INV, TR], [CI, CT, QF], 'assignment', ['list'], 'own'],
  // break-glass grants and alerts: supervision, under the purpose "audit"
  [SUP, 'audit', 'break_glass', ['list', 'read'], 'J'],
  [SUP, 'audit', 'break_glass', ['review'], 'rec∧J∧¬own'],
  [SUP, 'audit', 'alert', ['list', 'read'], 'J'],
  [SUP, 'audit', 'alert', ['review'], 'rec∧J∧¬own'],
  [[AUD, DPO], 'audit', 'alert', ['list', 'read'], 'J'],
  // the audit log
  [[AUD, DPO], 'audit', 'audit_event', ['list', 'read', 'export'], 'any'],
  [DPO, 'data_subject_request', 'audit_event', ['list', 'read'], 'any'],
  // accounts and terms
  [ADM, 'administration', 'account', ['list', 'read', 'create', 'update'], 'J'],
  [SUP, [CI, CT], 'account', ['list', 'read'], 'J'],
  // the per-staff activity report (counts of an account's audit events)
  [[SUP, AUD, DPO], 'audit', 'account', ['read'], 'J'],
  ['*', '*', 'account', ['read'], 'own'],
  ['*', '*', 'terms', ['read', 'update'], 'any'],
  // releases (issue #6): prepare, publish, withdraw, hand over; approve only what another account prepared
  ['disclosure_officer', 'disclosure', 'release', ['list', 'read', 'create', 'update', 'export'], 'J'],
  ['approver', 'disclosure', 'release', ['list', 'read', 'update'], 'J'],
  ['approver', 'disclosure', 'release', ['review'], 'rec∧J∧¬own'],
];

const ACTIONS: readonly Action[] = ['list', 'read', 'create', 'update', 'search', 'reveal', 'assign', 'break_glass', 'review', 'export'];
const TYPES: readonly ResourceType[] = ['case', 'subject', 'contact', 'travel', 'note', 'observation', 'assignment', 'break_glass', 'account', 'audit_event', 'alert', 'terms', 'release'];
const PERSONAL: readonly ResourceType[] = ['case', 'subject', 'contact', 'travel', 'note', 'observation'];

const ME = 'acct-me';
const ACTOR_JURISDICTION = '110105'; // Chaoyang, Beijing
const INSIDE = '110105001'; // a street of Chaoyang
const OUTSIDE = '110108'; // Haidian
const NOW = new Date('2026-11-29T10:00:00Z');
const LATER = '2026-11-29T14:00:00.000Z';
const EARLIER = '2026-11-29T09:00:00.000Z';

interface Cell {
  role: Role; action: Action; type: ResourceType; purpose: Purpose;
  shape: 'record' | 'collection'; inside: boolean; assigned: boolean; relation: 'case' | 'contact'; grant: boolean;
}

const actor = (role: Role, termsAccepted = true): PolicyActor => ({ id: ME, role, jurisdiction: ACTOR_JURISDICTION, termsAccepted });
const ctx = (purpose: Purpose, now = NOW): PolicyContext => ({ purpose, now });

/** The resource a cell describes. Ownership follows `assigned` (the actor's own assignment list, account, grant or alert). */
function resourceOf(c: Cell): PolicyResource {
  const jurisdiction = c.inside ? INSIDE : OUTSIDE;
  const ownerId = c.assigned ? ME : 'acct-other';
  if (c.shape === 'collection') return { type: c.type, collection: true, jurisdiction, ownerId };
  const assignedStaff = c.assigned ? ['acct-other', ME] : ['acct-other'];
  const grant = c.grant ? { breakGlassGranted: true, breakGlassUntil: LATER } : {};
  if (c.type === 'subject' || c.type === 'travel') {
    return { type: c.type, id: 'r1', ownerId, jurisdiction, links: [{ relation: c.relation, caseId: 'c1', jurisdiction, assignedStaff, ...grant }] };
  }
  return { type: c.type, id: 'r1', ownerId, jurisdiction, assignedStaff, ...grant };
}

const asList = <T,>(x: T | readonly T[]): readonly T[] => (Array.isArray(x) ? x : [x as T]);

function holds(cond: Cond, c: Cell): boolean {
  const rec = c.shape === 'record';
  switch (cond) {
    case 'J': return c.inside;
    case 'J∧A': return rec && c.inside && c.assigned;
    case 'J∧A:case': return rec && c.inside && c.assigned && c.relation === 'case';
    case 'J∧A:contact': return rec && c.inside && c.assigned && c.relation === 'contact';
    case 'coll∧J': return !rec && c.inside;
    case 'rec∧J': return rec && c.inside;
    case 'rec∧J∧¬A': return rec && c.inside && !c.assigned;
    case 'BG': return rec && c.inside && c.grant && (c.type === 'subject' ? c.relation === 'case' && !c.assigned : !c.assigned);
    case 'rec∧J∧¬own': return rec && c.inside && !c.assigned;
    case 'own': return c.assigned;
    case 'any': return true;
  }
}

function rowsFor(c: Cell): Row[] {
  return SPEC.filter(([roles, purposes, type, actions, cond]) =>
    type === c.type && actions.includes(c.action)
    && (roles === '*' || asList(roles).includes(c.role))
    && (purposes === '*' || asList(purposes).includes(c.purpose))
    && holds(cond, c));
}

/** What the spec expects of a cell. */
function expected(c: Cell): { allow: boolean; via: boolean; restrict: boolean; quarantine: boolean } {
  const rows = rowsFor(c);
  const direct = rows.filter((r) => r[4] !== 'BG');
  const used = direct[0] ?? rows[0];
  return { allow: rows.length > 0, via: rows.length > 0 && direct.length === 0, restrict: used?.[5] === 'restrict', quarantine: used?.[5] === 'quarantine' };
}

function* cells(): Generator<Cell> {
  for (const role of ROLES) for (const action of ACTIONS) for (const type of TYPES) for (const purpose of PURPOSES) {
    for (const shape of ['record', 'collection'] as const) for (const inside of [true, false]) for (const assigned of [true, false]) {
      for (const relation of type === 'subject' || type === 'travel' ? (['case', 'contact'] as const) : (['case'] as const)) {
        for (const grant of shape === 'record' ? [false, true] : [false]) yield { role, action, type, purpose, shape, inside, assigned, relation, grant };
      }
    }
  }
}

describe('decide: the role × action × resource × purpose × jurisdiction × assignment table', () => {
  it('allows exactly what the specification table allows, with the obligations it names', () => {
    const mismatches: string[] = [];
    const rowsUsed = new Set<Row>();
    let walked = 0;
    let allowed = 0;
    for (const c of cells()) {
      walked++;
      const want = expected(c);
      const got = decide(actor(c.role), c.action, resourceOf(c), ctx(c.purpose));
      for (const r of rowsFor(c)) rowsUsed.add(r);
      const gotAllow = got.allow;
      const ok = gotAllow === want.allow && (!got.allow || (
        got.obligations.viaBreakGlass === want.via
        && got.obligations.restrictToAssigned === want.restrict
        && (got.obligations.onlyFields !== null) === want.quarantine));
      if (gotAllow) allowed++;
      if (!ok) mismatches.push(`${JSON.stringify(c)} expected ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
    }
    assert.deepEqual(mismatches.slice(0, 15), [], `${mismatches.length} cells differ from the table`);
    assert.ok(walked > 90_000, `walked ${walked} cells`);
    assert.ok(allowed > 1000, `allowed ${allowed} cells`);
    assert.deepEqual(SPEC.filter((r) => !rowsUsed.has(r)), [], 'every row of the table allows some cell');
  });

  it('names the rule that denied', () => {
    const inside = (type: ResourceType): PolicyResource => ({ type, id: 'r', jurisdiction: INSIDE, assignedStaff: [ME], links: [{ relation: 'case', caseId: 'c', jurisdiction: INSIDE, assignedStaff: [ME] }] });
    const rule = (d: ReturnType<typeof decide>) => (d.allow ? 'allow' : d.rule);
    assert.equal(rule(decide(actor(INV, false), 'read', inside('case'), ctx(CI))), 'terms_required');
    assert.equal(rule(decide(actor(ADM), 'read', inside('subject'), ctx('administration'))), 'no_personal_data');
    assert.equal(rule(decide(actor(INV), 'export', inside('case'), ctx(CI))), 'no_rule');
    assert.equal(rule(decide(actor(INV), 'read', inside('case'), ctx('disclosure'))), 'purpose');
    assert.equal(rule(decide(actor(INV), 'read', { type: 'case', id: 'r', jurisdiction: OUTSIDE, assignedStaff: [ME] }, ctx(CI))), 'scope');
    assert.equal(rule(decide(actor(INV), 'read', inside('case'), ctx(CI))), 'allow');
  });

  it('requires the terms for personal data only, not for the terms themselves or one\'s own account', () => {
    const a = actor(INV, false);
    assert.equal(decide(a, 'read', { type: 'terms', collection: true }, ctx(CI)).allow, true);
    assert.equal(decide(a, 'update', { type: 'terms', collection: true }, ctx(CI)).allow, true);
    assert.equal(decide(a, 'read', { type: 'account', id: ME, ownerId: ME, jurisdiction: INSIDE }, ctx(CI)).allow, true);
    for (const type of PERSONAL) {
      const d = decide(a, 'read', { type, id: 'r', jurisdiction: INSIDE, assignedStaff: [ME] }, ctx(CI));
      assert.ok(!d.allow && d.rule === 'terms_required', type);
    }
  });

  it('compares jurisdictions as GB/T 2260 code prefixes of known divisions', () => {
    const read = (actorJurisdiction: string, caseJurisdiction: string) =>
      decide({ ...actor(SUP), jurisdiction: actorJurisdiction }, 'read', { type: 'case', id: 'c', jurisdiction: caseJurisdiction, assignedStaff: [] }, ctx(CI)).allow;
    assert.equal(read('110000', '110105001'), true, 'Beijing (padded province code) covers a street of Chaoyang');
    assert.equal(read('11', '110105'), true);
    assert.equal(read('110100', '110105'), true, 'padded city code');
    assert.equal(read('1101', '110105001'), true);
    assert.equal(read('110105', '110105'), true, 'a node is within itself');
    assert.equal(read('110105', '110105001'), true);
    assert.equal(read('110105001', '110105'), false, 'a street does not cover its district');
    assert.equal(read('110105', '110108'), false, 'a neighbouring district');
    assert.equal(read('110000', '120101'), false, 'another province');
    assert.equal(read('110105', '1101051'), false, 'not a division code (prefix of nothing)');
    assert.equal(read('110105', '110105999'), false, 'unknown street code');
    assert.equal(read('999999', '999999001'), false, 'unknown jurisdiction');
    assert.equal(read('', '110105'), false, 'empty jurisdiction covers nothing');
    assert.equal(read('1', '110105'), false);
  });

  it('honours break-glass only until the grant expires, and only for the grant holder\'s unassigned case', () => {
    const kase = (until: string): PolicyResource => ({ type: 'case', id: 'c', jurisdiction: INSIDE, assignedStaff: [], breakGlassGranted: true, breakGlassUntil: until });
    const live = decide(actor(INV), 'read', kase(LATER), ctx(CI));
    assert.ok(live.allow && live.obligations.viaBreakGlass);
    assert.equal(decide(actor(INV), 'read', kase(EARLIER), ctx(CI)).allow, false);
    assert.equal(decide(actor(INV), 'read', kase(NOW.toISOString()), ctx(CI)).allow, false, 'expires at its instant');
    assert.equal(decide(actor(INV), 'update', kase(LATER), ctx(CI)).allow, false, 'read only');
    assert.equal(decide(actor(TR), 'read', kase(LATER), ctx(CI)).allow, false, 'tracers cannot break glass');
    assert.equal(decide(actor(INV), 'read', kase(LATER), ctx(CT)).allow, false, 'investigation only');
    const subject = (r: Partial<PolicyResource>): PolicyResource => ({ type: 'subject', id: 's', ...r });
    const grantOn = (jurisdiction: string) => ({ relation: 'case' as const, caseId: 'c', jurisdiction, assignedStaff: [], breakGlassGranted: true, breakGlassUntil: LATER });
    const through = decide(actor(INV), 'read', subject({ jurisdiction: INSIDE, links: [grantOn(INSIDE)] }), ctx(CI));
    assert.ok(through.allow && through.obligations.viaBreakGlass, 'a subject through the grant on its case');
    assert.equal(decide(actor(INV), 'read', subject({ breakGlassGranted: true, breakGlassUntil: LATER }), ctx(CI)).allow, false,
      'a grant flag on the subject itself, with no case and no jurisdiction, opens nothing (regression: fast-check seed -674049677)');
    assert.equal(decide(actor(INV), 'read', subject({ jurisdiction: INSIDE, links: [grantOn('310101')] }), ctx(CI)).allow, false, 'a grant on a case outside the subtree');
    const bg = decide(actor(INV), 'break_glass', { type: 'case', id: 'c', jurisdiction: INSIDE, assignedStaff: [] }, ctx(CI));
    assert.ok(bg.allow && bg.obligations.reasonRequired && bg.obligations.alert === 'break_glass');
  });
});

// ---- properties -------------------------------------------------------------------------------

const CODES = ['11', '110000', '1101', '110100', '110105', '110105001', '110105002', '110108', '110108001', '12', '120101', '310101', '999999', ''];
const arbCode = fc.constantFrom(...CODES);
const arbRole = fc.constantFrom(...ROLES);
const arbAction = fc.constantFrom(...ACTIONS);
const arbType = fc.constantFrom(...TYPES);
const arbPurpose = fc.constantFrom(...PURPOSES);
const arbStaff = fc.array(fc.constantFrom(ME, 'acct-other', 'acct-third'), { maxLength: 3 });
const arbTime = fc.constantFrom(EARLIER, NOW.toISOString(), LATER);
const arbLink = fc.record({
  relation: fc.constantFrom('case' as const, 'contact' as const), caseId: fc.constantFrom('c1', 'c2'), jurisdiction: arbCode, assignedStaff: arbStaff,
  breakGlassGranted: fc.boolean(), breakGlassUntil: arbTime,
});
const arbResource = (type: fc.Arbitrary<ResourceType> = arbType): fc.Arbitrary<PolicyResource> => fc.record({
  type, id: fc.option(fc.constant('r1'), { nil: undefined }), jurisdiction: fc.option(arbCode, { nil: undefined }),
  assignedStaff: fc.option(arbStaff, { nil: undefined }), links: fc.option(fc.array(arbLink, { maxLength: 3 }), { nil: undefined }),
  breakGlassGranted: fc.option(fc.boolean(), { nil: undefined }), breakGlassUntil: fc.option(arbTime, { nil: undefined }),
  ownerId: fc.option(fc.constantFrom(ME, 'acct-other'), { nil: undefined }), collection: fc.option(fc.boolean(), { nil: undefined }),
});
const arbActor = fc.record({ id: fc.constant(ME), role: arbRole, jurisdiction: arbCode, termsAccepted: fc.boolean() });
const arbCtx = fc.record({ purpose: arbPurpose, now: fc.constant(NOW) });

const moveOutside = (r: PolicyResource): PolicyResource => ({
  ...r, ...(r.jurisdiction !== undefined ? { jurisdiction: '310101' } : {}), ...(r.links ? { links: r.links.map((l) => ({ ...l, jurisdiction: '310101' })) } : {}),
});
const unassign = (r: PolicyResource): PolicyResource => ({
  ...r, ...(r.assignedStaff ? { assignedStaff: r.assignedStaff.filter((s) => s !== ME) } : {}),
  ...(r.links ? { links: r.links.map((l) => ({ ...l, assignedStaff: l.assignedStaff.filter((s) => s !== ME) })) } : {}),
});

describe('decide: properties', () => {
  it('denies any role, action, resource type or purpose outside the vocabulary', () => {
    const junk = fc.string({ maxLength: 12 }).filter((s) => ![...ROLES, ...ACTIONS, ...TYPES, ...PURPOSES].includes(s as never));
    fc.assert(fc.property(arbActor, arbAction, arbResource(), arbCtx, junk, fc.integer({ min: 0, max: 3 }), (a, action, r, c, j, which) => {
      const d = which === 0 ? decide({ ...a, role: j as Role }, action, r, c)
        : which === 1 ? decide(a, j as Action, r, c)
          : which === 2 ? decide(a, action, { ...r, type: j as ResourceType }, c)
            : decide(a, action, r, { ...c, purpose: j as Purpose });
      return !d.allow;
    }), { numRuns: 3000 });
  });

  it('never gives auditors, the DPO or administrators any action on personal data', () => {
    fc.assert(fc.property(fc.constantFrom(...NO_PERSONAL_DATA_ROLES), arbAction, arbResource(fc.constantFrom(...PERSONAL)), arbCtx, fc.boolean(), (role, action, r, c, terms) =>
      !decide({ id: ME, role, jurisdiction: ACTOR_JURISDICTION, termsAccepted: terms }, action, r, c).allow), { numRuns: 5000 });
  });

  it('never allows personal data to an actor who has not accepted the terms', () => {
    fc.assert(fc.property(arbActor, arbAction, arbResource(fc.constantFrom(...PERSONAL)), arbCtx, (a, action, r, c) => {
      const d = decide({ ...a, termsAccepted: false }, action, r, c);
      return !d.allow && d.rule === 'terms_required';
    }), { numRuns: 3000 });
  });

  it('never turns a denial into an allow by moving the resource outside the actor\'s subtree', () => {
    fc.assert(fc.property(arbActor, arbAction, arbResource(), arbCtx, (a, action, r, c) => {
      const outside = decide({ ...a, jurisdiction: '110105' }, action, moveOutside(r), c);
      const original = decide({ ...a, jurisdiction: '110105' }, action, r, c);
      return !outside.allow || original.allow;
    }), { numRuns: 10000 });
  });

  it('never allows personal data outside the actor\'s subtree', () => {
    fc.assert(fc.property(arbActor, arbAction, arbResource(fc.constantFrom(...PERSONAL)), arbCtx, (a, action, r, c) =>
      !decide({ ...a, jurisdiction: '110105' }, action, moveOutside(r), c).allow), { numRuns: 5000 });
  });

  it('gains nothing by being unassigned except the right to break glass (and reads through a grant)', () => {
    fc.assert(fc.property(arbActor, arbAction, arbResource(), arbCtx, (a, action, r, c) => {
      const before = decide(a, action, r, c);
      const after = decide(a, action, unassign(r), c);
      return !after.allow || before.allow || action === 'break_glass' || after.obligations.viaBreakGlass;
    }), { numRuns: 10000 });
  });

  it('never allows anything for personal data under the purposes audit, administration, disclosure or data-subject request', () => {
    fc.assert(fc.property(arbActor, arbAction, arbResource(fc.constantFrom(...PERSONAL)), fc.constantFrom<Purpose>('audit', 'administration', 'disclosure', 'data_subject_request'), (a, action, r, purpose) =>
      !decide(a, action, r, { purpose, now: NOW }).allow), { numRuns: 5000 });
  });

  it('masks every identity field of allowed personal data, and asks a reason exactly for reveal, break-glass and review', () => {
    fc.assert(fc.property(arbActor, arbAction, arbResource(), arbCtx, (a, action, r, c) => {
      const d = decide(a, action, r, c);
      if (!d.allow) return true;
      const personal = PERSONAL.includes(r.type);
      return (personal ? MASKABLE_FIELDS.every((f) => d.obligations.mask.includes(f)) : d.obligations.mask.length === 0)
        && d.obligations.reasonRequired === ['reveal', 'break_glass', 'review'].includes(action)
        && (d.obligations.alert === 'break_glass') === (action === 'break_glass');
    }), { numRuns: 10000 });
  });

  it('never allows through an expired break-glass grant', () => {
    fc.assert(fc.property(arbActor, arbAction, arbResource(fc.constantFrom<ResourceType>('case', 'subject')), arbCtx, (a, action, r, c) => {
      const expired: PolicyResource = { ...r, breakGlassUntil: EARLIER, links: r.links?.map((l) => ({ ...l, breakGlassUntil: EARLIER })) };
      const d = decide(a, action, expired, c);
      return !d.allow || !d.obligations.viaBreakGlass;
    }), { numRuns: 5000 });
  });
});
