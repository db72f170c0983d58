import { allow, and, inJurisdiction, isAssigned, purposeIs } from '../combinators.ts';

/** Notes on a case: written and read by the staff investigating it. Notes are never edited. */
export const noteRules = [
  allow(['investigator', 'tracer'], ['list', 'read', 'create'], 'note', purposeIs('case_investigation'), and(inJurisdiction, isAssigned)),
  allow('supervisor', ['list', 'read', 'create'], 'note', purposeIs('case_investigation'), inJurisdiction),
];
