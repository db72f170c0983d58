import { allow, and, inJurisdiction, isAssigned, purposeIs } from '../combinators.ts';

/** What quarantine follow-up may change on a contact. */
export const QUARANTINE_FIELDS: readonly string[] = ['quarantineStart', 'quarantineEnd'];

const assignedHere = and(inJurisdiction, isAssigned);

/**
 * Close contacts (contact links) belong to their case: the investigators and tracers assigned to
 * the case list and record them while investigating, trace them, and follow up their quarantine
 * (changing only the quarantine dates). Supervisors do the same across their subtree.
 */
export const contactRules = [
  allow(['investigator', 'tracer'], ['list', 'read', 'create'], 'contact', purposeIs('case_investigation'), assignedHere),
  allow(['investigator', 'tracer'], ['list', 'read', 'create', 'update'], 'contact', purposeIs('contact_tracing'), assignedHere),
  allow(['investigator', 'tracer'], ['list', 'read'], 'contact', purposeIs('quarantine_followup'), assignedHere),
  allow(['investigator', 'tracer'], 'update', 'contact', purposeIs('quarantine_followup'), assignedHere, { onlyFields: QUARANTINE_FIELDS }),

  allow('supervisor', ['list', 'read', 'create'], 'contact', purposeIs('case_investigation'), inJurisdiction),
  allow('supervisor', ['list', 'read', 'create', 'update'], 'contact', purposeIs('contact_tracing'), inJurisdiction),
  allow('supervisor', ['list', 'read'], 'contact', purposeIs('quarantine_followup'), inJurisdiction),
  allow('supervisor', 'update', 'contact', purposeIs('quarantine_followup'), inJurisdiction, { onlyFields: QUARANTINE_FIELDS }),
];
