import { allow, and, inJurisdiction, isAssignedVia, isCollection, purposeIs } from '../combinators.ts';

const investigation = purposeIs('case_investigation');
const tracing = purposeIs('contact_tracing');
const followUp = purposeIs('quarantine_followup');

/**
 * Subjects (people) and their identity. A case's own subject is reached by investigating the case;
 * a close contact by tracing or following up the case it is a contact of. Tracers see a case's
 * subject, masked, but do not reveal or change it. Search is a query over the actor's scope, its
 * hits restricted to assigned cases.
 */
export const subjectRules = [
  allow('investigator', ['read', 'update', 'reveal'], 'subject', investigation, isAssignedVia('case')),
  allow('tracer', 'read', 'subject', investigation, isAssignedVia('case')),
  allow(['investigator', 'tracer'], ['read', 'update', 'reveal'], 'subject', tracing, isAssignedVia('contact')),
  allow(['investigator', 'tracer'], ['read', 'reveal'], 'subject', followUp, isAssignedVia('contact')),

  allow('investigator', 'create', 'subject', purposeIs('case_investigation', 'contact_tracing'), inJurisdiction),
  allow('tracer', 'create', 'subject', tracing, inJurisdiction),
  allow('investigator', 'search', 'subject', purposeIs('case_investigation', 'contact_tracing'), and(isCollection, inJurisdiction), { restrictToAssigned: true }),
  allow('tracer', 'search', 'subject', tracing, and(isCollection, inJurisdiction), { restrictToAssigned: true }),

  allow('supervisor', ['read', 'update', 'reveal', 'create', 'search'], 'subject', purposeIs('case_investigation', 'contact_tracing'), inJurisdiction),
  allow('supervisor', ['read', 'reveal'], 'subject', followUp, inJurisdiction),
];
