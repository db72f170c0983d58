import { allow, inJurisdiction, isOwner, isRecord, purposeIs, and } from '../combinators.ts';

const work = purposeIs('case_investigation', 'contact_tracing');

/**
 * Assignments: supervisors assign (and unassign) staff to the cases of their subtree and see who
 * works on them; investigators and tracers list their own assignments. (That the assigned account
 * is an investigator or tracer of the supervisor's subtree is checked by the assignment service.)
 */
export const assignmentRules = [
  allow('supervisor', 'assign', 'assignment', work, and(isRecord, inJurisdiction)),
  allow('supervisor', 'list', 'assignment', work, inJurisdiction),
  allow(['investigator', 'tracer'], 'list', 'assignment', purposeIs('case_investigation', 'contact_tracing', 'quarantine_followup'), isOwner),
];
