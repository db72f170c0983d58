/**
 * Views of staff accounts, break-glass grants and case assignments, as the staff API sends them
 * (src/services/staff-directory.service.ts, break-glass.service.ts, assignment.service.ts; read by
 * web/console). No personal data: ids, codes, times, stated reasons.
 */
import type { Role } from '../roles.ts';

/** An active account of the viewer's subtree (to assign, to hand over to). */
export interface StaffMember {
  id: string;
  username: string;
  role: Role;
  jurisdiction: string;
  jurisdictionName: string | null;
}

/** A break-glass grant as shown to its holder and its reviewers. */
export interface BreakGlassGrant {
  readonly id: string;
  readonly accountId: string;
  readonly caseId: string;
  readonly jurisdiction: string;
  readonly reason: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly reviewStatus: 'pending' | 'accepted' | 'flagged';
  readonly reviewedBy: string | null;
  readonly reviewedAt: string | null;
  readonly reviewNote: string | null;
}

/** One of my assigned cases: the case's clear metadata only (the classification as stored). */
export interface AssignedCase {
  readonly caseId: string;
  readonly caseNumber: string;
  readonly classification: string;
  readonly jurisdiction: string;
  readonly reportDate: string;
  readonly assignedAt: string;
}
