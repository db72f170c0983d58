/**
 * Staff roles and the purposes a request may state (DESIGN.md "Users"; issue #3). Every request
 * names exactly one purpose; there is no purpose outside epidemic prevention, so data collected
 * for it serves nothing else.
 */
export const ROLES = [
  'investigator',
  'tracer',
  'supervisor',
  'disclosure_officer',
  'approver',
  'auditor',
  'data_protection_officer',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that never see personal data, whatever the purpose. */
export const NO_PERSONAL_DATA_ROLES: readonly Role[] = ['auditor', 'data_protection_officer', 'administrator'];

export const PURPOSES = [
  'case_investigation',
  'contact_tracing',
  'quarantine_followup',
  'disclosure',
  'audit',
  'data_subject_request',
  'administration',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function isPurpose(v: unknown): v is Purpose {
  return typeof v === 'string' && (PURPOSES as readonly string[]).includes(v);
}
