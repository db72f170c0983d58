import { allow, and, holdsBreakGlass, holdsBreakGlassViaCase, inJurisdiction, isAssigned, isAssignedVia, isOwner, isRecord, not, purposeIs } from '../combinators.ts';

const investigation = purposeIs('case_investigation');

/**
 * Break-glass: an investigator may open a case of their jurisdiction they are not assigned to,
 * stating a reason; supervisors are alerted and review every use. While the grant is unexpired the
 * investigator reads that case and its subject (reads carry `viaBreakGlass`). Tracers cannot break
 * glass: their work is the contacts of the cases assigned to them, and an emergency on an
 * unassigned case is an investigator's (or their supervisor's) to handle. Supervisors list and
 * review the grants of their subtree (under the purpose `audit`), never their own.
 */
export const breakGlassRules = [
  allow('investigator', 'break_glass', 'case', investigation, and(isRecord, inJurisdiction, not(isAssigned))),
  allow('investigator', 'read', 'case', investigation, and(isRecord, inJurisdiction, not(isAssigned), holdsBreakGlass), { viaBreakGlass: true }),
  allow('investigator', 'read', 'subject', investigation, and(isRecord, not(isAssignedVia('case')), holdsBreakGlassViaCase), { viaBreakGlass: true }),

  allow('supervisor', ['list', 'read'], 'break_glass', purposeIs('audit'), inJurisdiction),
  allow('supervisor', 'review', 'break_glass', purposeIs('audit'), and(isRecord, inJurisdiction, not(isOwner))),
];
