import { allow, and, inJurisdiction, isOwner, isRecord, not, purposeIs } from '../combinators.ts';

/** Supervision alerts: supervisors review those of their subtree (never one about themselves); auditors and the DPO read them. */
export const alertRules = [
  allow('supervisor', ['list', 'read'], 'alert', purposeIs('audit'), inJurisdiction),
  allow('supervisor', 'review', 'alert', purposeIs('audit'), and(isRecord, inJurisdiction, not(isOwner))),
  allow(['auditor', 'data_protection_officer'], ['list', 'read'], 'alert', purposeIs('audit'), inJurisdiction),
];
