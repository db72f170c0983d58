import { allow, anyPurpose, anyRole, inJurisdiction, isOwner, purposeIs } from '../combinators.ts';

/**
 * Staff accounts: administrators manage those of their subtree; supervisors see them to assign
 * work; everyone reads their own. The terms are read and accepted by everyone, whatever the purpose.
 */
export const accountRules = [
  allow('administrator', ['list', 'read', 'create', 'update'], 'account', purposeIs('administration'), inJurisdiction),
  allow('supervisor', ['list', 'read'], 'account', purposeIs('case_investigation', 'contact_tracing'), inJurisdiction),
  allow(anyRole, 'read', 'account', anyPurpose, isOwner),
  // The per-staff activity report: supervisors for their subtree, auditors and the DPO.
  allow(['supervisor', 'auditor', 'data_protection_officer'], 'read', 'account', purposeIs('audit'), inJurisdiction),
];
