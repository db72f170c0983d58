import { subjectReference } from '../crypto/index.ts';
import type { Repositories } from '../storage/store.ts';
import type { KeySet } from './keys.service.ts';

/** Who does something: a staff account, or `system:cli:<os user>` for the command line. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditInput {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  /** The subject concerned; stored only as a keyed HMAC reference. */
  subjectId?: string | null;
  /** An already computed subject reference (bulk paths compute it with the sealing). */
  subjectRef?: string | null;
  purpose: string;
  reason?: string | null;
  outcome: AuditOutcome;
  requestId?: string | null;
}

/**
 * Appends one audit event inside the caller's transaction. Services call this before returning
 * personal data and in the same transaction as any change, so a failed audit write fails the
 * whole operation (fail closed).
 */
export async function appendAudit(repos: Repositories, keys: Pick<KeySet, 'auditSubject'>, actor: Actor, input: AuditInput, at = new Date().toISOString()): Promise<number> {
  return repos.audit.append(toAuditRow(keys, actor, input, at));
}

export function toAuditRow(keys: Pick<KeySet, 'auditSubject'>, actor: Actor, input: AuditInput, at: string) {
  return {
    at,
    actor: actor.id,
    actor_role: actor.role,
    action: input.action,
    resource_type: input.resourceType,
    resource_id: input.resourceId ?? null,
    subject_ref: input.subjectRef ?? (input.subjectId ? subjectReference(keys.auditSubject, input.subjectId) : null),
    purpose: input.purpose,
    reason: input.reason ?? null,
    outcome: input.outcome,
    request_id: input.requestId ?? null,
  };
}
