import { z } from 'zod';
import { DOCUMENT_TYPES } from '../../domain/model.ts';
import { Cursor, Id, IsoDateTime, Limit } from './common.schema.ts';

/** Schemas of the supervision and auditor routes (docs/AUDIT.md): no personal value passes here except the document number an auditor searches by, in a POST body. */
export const AlertQuery = z.strictObject({ status: z.enum(['open', 'closed']).default('open'), cursor: Cursor, limit: Limit });

export const Alert = z.object({
  id: z.string(),
  kind: z.string(),
  accountId: z.string(),
  jurisdiction: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number()])),
  eventSeqs: z.array(z.number().int()),
  status: z.enum(['open', 'closed']),
  decision: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const AuditEvent = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  actorRole: z.string(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  subjectRef: z.string().nullable(),
  purpose: z.string(),
  reason: z.string().nullable(),
  outcome: z.string(),
  requestId: z.string().nullable(),
});

export const AlertDetail = z.object({ alert: Alert, events: z.array(AuditEvent) });

export const CloseAlertBody = z.strictObject({
  decision: z.enum(['justified', 'escalated']),
  note: z.string().max(500).describe('what was checked and decided (at least 10 characters; no personal data)'),
});

export const ActivityQuery = z.strictObject({ from: IsoDateTime, to: IsoDateTime });
export const Activity = z.object({
  accountId: z.string(),
  from: z.string(),
  to: z.string(),
  counts: z.array(z.object({ action: z.string(), outcome: z.string(), n: z.number().int() })),
});

export const AuditQueryBody = z.strictObject({
  actor: Id.optional(),
  action: z.string().min(1).max(64).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  document: z.strictObject({
    type: z.enum(DOCUMENT_TYPES),
    number: z.string().min(1).max(64),
    country: z.string().length(3).optional(),
  }).optional().describe('selects the events of the subject holding this document (found through its blind index; never stored)'),
  before: z.number().int().min(1).optional().describe('keyset cursor: the seq of the last event of the previous page'),
  limit: z.number().int().min(1).max(100).optional(),
});

export const AuditPage = z.object({ items: z.array(AuditEvent), next: z.number().int().nullable() });

export const Checkpoint = z.object({
  size: z.number().int(),
  checkpoint: z.string().describe('the C2SP signed note (tlog-checkpoint) of the audit log'),
  publicKey: z.string().describe('the verifier key of the log (note verifier key format)'),
  createdAt: z.string(),
});
