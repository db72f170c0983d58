import { allow, inJurisdiction, isAssignedVia, purposeIs } from '../combinators.ts';

/**
 * Travel records belong to a subject: a case's travel is part of investigating the case, a
 * contact's travel part of tracing it.
 */
export const travelRules = [
  allow('investigator', ['list', 'read', 'create', 'update'], 'travel', purposeIs('case_investigation'), isAssignedVia('case')),
  allow(['investigator', 'tracer'], ['list', 'read', 'create', 'update'], 'travel', purposeIs('contact_tracing'), isAssignedVia('contact')),
  allow('supervisor', ['list', 'read', 'create', 'update'], 'travel', purposeIs('case_investigation', 'contact_tracing'), inJurisdiction),
];
