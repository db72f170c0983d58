import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MASKABLE_FIELDS } from '../../domain/masking.ts';
import { PURPOSES, ROLES } from '../../domain/roles.ts';
import type { Purpose, Role } from '../../domain/roles.ts';
import { decide } from '../decide.ts';
import type { Action, PolicyResource, ResourceType } from '../types.ts';

/*
 * The specification of contact tracing's access, written by hand from issue #5 and
 * docs/TRACING.md: every role × action × purpose × shape of every tracing resource type is walked,
 * and `decide` must allow exactly the cells listed. Shapes: A = a record in the actor's subtree
 * whose case the actor is assigned to (for risk_status: a subject the actor traces as a contact,
 * or investigates as a case: Ac / Ax), U = such a record not assigned, O = a record outside the
 * subtree, C = a collection query over the actor's subtree.
 */
type Shape = 'A' | 'Ac' | 'Ax' | 'U' | 'O' | 'C';
const INV = 'investigator', TR = 'tracer', SUP = 'supervisor', DO = 'disclosure_officer', AP = 'approver';
const CI = 'case_investigation', CT = 'contact_tracing', QF = 'quarantine_followup', DI = 'disclosure';
type Row = readonly [readonly Role[], readonly Purpose[], ResourceType, readonly Action[], readonly Shape[]];
const ASSIGNED_OR_IN: readonly Shape[] = ['A', 'U', 'C'];

const SPEC: readonly Row[] = [
  [[INV, TR], [CT], 'discovery', ['list', 'read', 'create', 'update'], ['A']],
  [[SUP], [CT], 'discovery', ['list', 'read', 'create', 'update'], ASSIGNED_OR_IN],
  [[INV, TR], [QF, CT], 'quarantine', ['list', 'read', 'create', 'update', 'reveal'], ['A']],
  [[INV, TR], [QF, CT], 'quarantine', ['list'], ['C']],
  [[INV], [CI], 'quarantine', ['update'], ['A']],
  [[SUP], [QF, CT], 'quarantine', ['list', 'read', 'create', 'update', 'reveal'], ASSIGNED_OR_IN],
  [[SUP], [CI], 'quarantine', ['update'], ASSIGNED_OR_IN],
  [[INV, TR], [CT], 'secondary_contact', ['list', 'read', 'create'], ['A']],
  [[SUP], [CT], 'secondary_contact', ['list', 'read', 'create'], ASSIGNED_OR_IN],
  [[INV, TR], [CI, CT], 'chain', ['read'], ['A']],
  [[INV], [CI], 'chain', ['export'], ['A']],
  [[SUP], [CI, CT], 'chain', ['read', 'export'], ASSIGNED_OR_IN],
  [[SUP], [QF, CT], 'handover', ['list', 'read', 'review'], ASSIGNED_OR_IN],
  [[SUP], [CT, CI, DI], 'risk_area', ['list', 'read', 'create', 'update', 'search'], ASSIGNED_OR_IN],
  [[INV, TR, DO, AP], [CT, CI, QF, DI], 'risk_area', ['list', 'read'], ASSIGNED_OR_IN],
  [[INV], [CI], 'risk_status', ['read'], ['Ax']],
  [[INV, TR], [QF, CT], 'risk_status', ['read'], ['Ac']],
  [[SUP], [CI, CT, QF], 'risk_status', ['read'], ['Ac', 'Ax', 'U']],
];

const TYPES: readonly ResourceType[] = ['discovery', 'quarantine', 'secondary_contact', 'chain', 'handover', 'risk_area', 'risk_status'];
const ACTIONS: readonly Action[] = ['list', 'read', 'create', 'update', 'search', 'reveal', 'assign', 'break_glass', 'review', 'export'];
const ME = 'staff-me';
const INSIDE = '110105';
const OUTSIDE = '310115';

function resource(type: ResourceType, shape: Shape): PolicyResource {
  const link = (relation: 'case' | 'contact', staff: string[]) => [{ relation, caseId: 'c1', jurisdiction: INSIDE, assignedStaff: staff }];
  switch (shape) {
    case 'A': return { type, id: 'r1', jurisdiction: INSIDE, assignedStaff: [ME] };
    case 'Ac': return { type, jurisdiction: INSIDE, links: link('contact', [ME]) };
    case 'Ax': return { type, jurisdiction: INSIDE, links: link('case', [ME]) };
    case 'U': return { type, id: 'r1', jurisdiction: INSIDE, assignedStaff: ['someone-else'], links: link('contact', ['someone-else']) };
    case 'O': return { type, id: 'r1', jurisdiction: OUTSIDE, assignedStaff: [ME], links: [{ relation: 'contact', caseId: 'c1', jurisdiction: OUTSIDE, assignedStaff: [ME] }] };
    case 'C': return { type, collection: true, jurisdiction: INSIDE };
  }
}

const shapesFor = (type: ResourceType): Shape[] => (type === 'risk_status' ? ['Ac', 'Ax', 'U', 'O'] : ['A', 'U', 'O', 'C']);

describe('tracing policy', () => {
  it('allows exactly the specified cells of role × action × purpose × shape', () => {
    const expected = new Set<string>();
    for (const [roles, purposes, type, actions, shapes] of SPEC) {
      for (const r of roles) for (const p of purposes) for (const a of actions) for (const s of shapes) expected.add(`${r} ${p} ${type} ${a} ${s}`);
    }
    const actual = new Set<string>();
    for (const role of ROLES) for (const purpose of PURPOSES) for (const type of TYPES) for (const action of ACTIONS) for (const shape of shapesFor(type)) {
      const d = decide({ id: ME, role, jurisdiction: INSIDE, termsAccepted: true }, action, resource(type, shape), { purpose, now: new Date() });
      if (d.allow) actual.add(`${role} ${purpose} ${type} ${action} ${shape}`);
    }
    assert.deepEqual([...actual].filter((x) => !expected.has(x)).sort(), [], 'allowed but not specified');
    assert.deepEqual([...expected].filter((x) => !actual.has(x)).sort(), [], 'specified but denied');
  });

  it('treats every tracing type but risk areas as personal data: terms first, identities masked', () => {
    for (const type of TYPES) {
      const shape = type === 'risk_status' ? 'Ax' : 'A';
      const unaccepted = decide({ id: ME, role: SUP, jurisdiction: INSIDE, termsAccepted: false }, 'read', resource(type, shape), { purpose: type === 'risk_area' ? CT : type === 'handover' ? QF : CT, now: new Date() });
      if (type === 'risk_area') assert.equal(unaccepted.allow, true);
      else assert.deepEqual(unaccepted, { allow: false, rule: 'terms_required' }, type);
    }
    const d = decide({ id: ME, role: TR, jurisdiction: INSIDE, termsAccepted: true }, 'list', resource('discovery', 'A'), { purpose: CT, now: new Date() });
    assert.ok(d.allow && d.obligations.mask.length === MASKABLE_FIELDS.length);
    const reveal = decide({ id: ME, role: TR, jurisdiction: INSIDE, termsAccepted: true }, 'reveal', resource('quarantine', 'A'), { purpose: QF, now: new Date() });
    assert.ok(reveal.allow && reveal.obligations.reasonRequired);
  });
});
