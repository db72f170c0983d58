import { allow, and, inJurisdiction, isAssigned, isAssignedVia, isCollection, isRecord, purposeIs } from '../combinators.ts';
import type { ResourceType } from '../types.ts';

const tracing = purposeIs('contact_tracing');
const followUp = purposeIs('quarantine_followup', 'contact_tracing');
const assignedHere = and(inJurisdiction, isAssigned);

/**
 * Contact tracing (issue #5, docs/TRACING.md). The facts of each resource:
 *
 * - `discovery` (the candidates found for a case), `secondary_contact` and `chain`: the case's
 *   jurisdiction and assigned staff (a secondary contact: those of its close contact's case);
 * - `quarantine` (a close contact's quarantine and its daily follow-up entries): the jurisdiction
 *   responsible for it (the case's, or after a hand-over the receiving one) and its staff (the case's
 *   staff, or after a hand-over the account the receiving supervisor assigned);
 * - `handover`: the receiving jurisdiction;
 * - `risk_area`: the area's district (a collection: the query's scope); no personal data;
 * - `risk_status`: the subject's facts (its own cases, the cases it is a contact of).
 *
 * Tracers and investigators work the cases assigned to them; supervisors their whole subtree and
 * the hand-overs sent to it. Converting a quarantined contact into a case is case investigation.
 */
export const tracingRules = [
  allow(['investigator', 'tracer'], ['list', 'read', 'create', 'update'], 'discovery', tracing, assignedHere),
  allow('supervisor', ['list', 'read', 'create', 'update'], 'discovery', tracing, inJurisdiction),

  allow(['investigator', 'tracer'], ['list', 'read', 'create', 'update', 'reveal'], 'quarantine', followUp, and(isRecord, assignedHere)),
  allow('investigator', 'update', 'quarantine', purposeIs('case_investigation'), and(isRecord, assignedHere)),
  allow(['investigator', 'tracer'], 'list', 'quarantine', followUp, and(isCollection, inJurisdiction), { restrictToAssigned: true }),
  allow('supervisor', ['list', 'read', 'create', 'update', 'reveal'], 'quarantine', followUp, inJurisdiction),
  allow('supervisor', 'update', 'quarantine', purposeIs('case_investigation'), inJurisdiction),

  allow(['investigator', 'tracer'], ['list', 'read', 'create'], 'secondary_contact', tracing, assignedHere),
  allow('supervisor', ['list', 'read', 'create'], 'secondary_contact', tracing, inJurisdiction),

  allow(['investigator', 'tracer'], 'read', 'chain', purposeIs('case_investigation', 'contact_tracing'), assignedHere),
  allow('investigator', 'export', 'chain', purposeIs('case_investigation'), assignedHere),
  allow('supervisor', ['read', 'export'], 'chain', purposeIs('case_investigation', 'contact_tracing'), inJurisdiction),

  allow('supervisor', ['list', 'read', 'review'], 'handover', followUp, inJurisdiction),

  allow('supervisor', ['list', 'read', 'create', 'update', 'search'], 'risk_area', purposeIs('contact_tracing', 'case_investigation', 'disclosure'), inJurisdiction),
  allow(['investigator', 'tracer', 'disclosure_officer', 'approver'], ['list', 'read'], 'risk_area', purposeIs('contact_tracing', 'case_investigation', 'quarantine_followup', 'disclosure'), inJurisdiction),

  allow('investigator', 'read', 'risk_status', purposeIs('case_investigation'), isAssignedVia('case')),
  allow(['investigator', 'tracer'], 'read', 'risk_status', followUp, isAssignedVia('contact')),
  allow('supervisor', 'read', 'risk_status', purposeIs('case_investigation', 'contact_tracing', 'quarantine_followup'), inJurisdiction),
];

/** Tracing's resource types that are, or show, personal data (risk areas are not). */
export const TRACING_PERSONAL_TYPES: readonly ResourceType[] = ['discovery', 'quarantine', 'secondary_contact', 'chain', 'handover', 'risk_status'];
