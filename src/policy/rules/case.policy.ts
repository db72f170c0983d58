import { allow, and, inJurisdiction, isAssigned, isCollection, purposeIs } from '../combinators.ts';

const investigation = purposeIs('case_investigation');

/**
 * Cases. Investigators and tracers work on the cases assigned to them in their jurisdiction;
 * supervisors on every case of their subtree. A case is read only for investigating it.
 * (Break-glass reads are in break-glass.policy.ts.)
 */
export const caseRules = [
  allow(['investigator', 'tracer'], 'list', 'case', investigation, and(isCollection, inJurisdiction), { restrictToAssigned: true }),
  allow(['investigator', 'tracer'], 'read', 'case', investigation, and(inJurisdiction, isAssigned)),
  allow('investigator', 'update', 'case', investigation, and(inJurisdiction, isAssigned)),
  allow('investigator', 'create', 'case', investigation, inJurisdiction),
  allow('supervisor', ['list', 'read', 'create', 'update'], 'case', investigation, inJurisdiction),
];
