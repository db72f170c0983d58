import { allow, always, purposeIs } from '../combinators.ts';

/**
 * The audit log: auditors and the data-protection officer read it (it holds no personal values,
 * only pseudonymous references) and export it as CSV (itself audited); the DPO also reads it to answer a data subject's request.
 */
export const auditRules = [
  allow(['auditor', 'data_protection_officer'], ['list', 'read', 'export'], 'audit_event', purposeIs('audit'), always),
  allow('data_protection_officer', ['list', 'read'], 'audit_event', purposeIs('data_subject_request'), always),
];
