import { z } from 'zod';
import { MASKABLE_FIELDS } from '../../domain/masking.ts';
import { ROLES } from '../../domain/roles.ts';
import { Cursor, Id, Limit } from './common.schema.ts';

/** Reasons are checked by the service (ERR_REASON_REQUIRED: 10 characters, or 5 Chinese ones, at most 500). */
const Reason = z.string().max(2000).optional();

export const RevealBody = z.strictObject({
  resourceType: z.literal('subject'),
  id: Id,
  field: z.enum(MASKABLE_FIELDS),
  reason: Reason,
});
export const Revealed = z.object({ value: z.string().nullable(), expiresAt: z.string() });

export const BreakGlassBody = z.strictObject({ reason: Reason });
export const ReviewBody = z.strictObject({ decision: z.enum(['accept', 'flag']), note: Reason });
export const BreakGlassGrant = z.object({
  id: z.string(),
  accountId: z.string(),
  caseId: z.string(),
  jurisdiction: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  reviewStatus: z.enum(['pending', 'accepted', 'flagged']),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
});
export const BreakGlassQuery = z.strictObject({ scope: z.string().regex(/^\d{2,9}$/, 'must be a GB/T 2260 code').optional(), cursor: Cursor, limit: Limit });

export const AssignBody = z.strictObject({ staffId: Id });
export const Assignment = z.object({ caseId: z.string(), staffId: z.string(), assignedAt: z.string() });
export const AssignmentParams = z.strictObject({ id: Id, staffId: Id });
export const PageQuery = z.strictObject({ cursor: Cursor, limit: Limit });
export const AssignedCase = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  classification: z.string(),
  jurisdiction: z.string(),
  reportDate: z.string(),
  assignedAt: z.string(),
});

export const StaffQuery = z.strictObject({ role: z.enum(ROLES).optional(), cursor: Cursor, limit: Limit });
export const StaffMember = z.object({ id: z.string(), username: z.string(), role: z.enum(ROLES), jurisdiction: z.string(), jurisdictionName: z.string().nullable() });
