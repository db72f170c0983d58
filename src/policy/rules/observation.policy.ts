import { allow, and, inJurisdiction, isAssigned, purposeIs } from '../combinators.ts';

/** Health observations (symptoms, tests, temperatures) of a case: its investigators' work. */
export const observationRules = [
  allow('investigator', ['list', 'read', 'create', 'update'], 'observation', purposeIs('case_investigation'), and(inJurisdiction, isAssigned)),
  allow('supervisor', ['list', 'read', 'create', 'update'], 'observation', purposeIs('case_investigation'), inJurisdiction),
];
