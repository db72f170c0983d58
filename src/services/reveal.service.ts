/**
 * Revealing one masked field of one subject to one staff member, for a stated reason, for a few
 * minutes (docs/ACCESS.md). The reveal is audited with its reason before the value is returned;
 * the grant lets the same viewer see that field in clear until it expires.
 */
import { randomId } from '../crypto/index.ts';
import { identityField, isMaskableField } from '../domain/masking.ts';
import type { MaskableField } from '../domain/masking.ts';
import type { AppContext } from './app-context.ts';
import { accessAudit, authorize, requireReason } from './access.service.ts';
import { appendAudit } from './audit.service.ts';
import { notFound, ServiceError } from './errors.ts';
import type { StaffRequest } from './staff-context.ts';
import { openIdentity, unwrapDataKey } from './subject-cipher.ts';

export const DEFAULT_REVEAL_MINUTES = 15;

export interface RevealInput {
  readonly resourceType: 'subject';
  /** The subject's id. */
  readonly id: string;
  readonly field: MaskableField;
  readonly reason: string;
}

export interface RevealResult {
  /** The field in clear (`null` if the subject has no such value). */
  readonly value: string | null;
  /** Until when the viewer sees this field of this subject in clear. */
  readonly expiresAt: string;
}

export interface RevealSettings {
  /** Config `revealMinutes` (EPIVAULT_REVEAL_MINUTES). */
  readonly revealMinutes: number;
}

/**
 * Reveals `field` of a subject: validates the input (the reason first: ERR_REASON_REQUIRED),
 * authorizes `reveal` (not found or no access otherwise), then in one transaction creates the
 * grant, appends the audit event `reveal` with the field and the reason, and decrypts the value.
 */
export async function reveal(ctx: AppContext, req: StaffRequest, input: RevealInput, settings: RevealSettings = { revealMinutes: DEFAULT_REVEAL_MINUTES }): Promise<RevealResult> {
  const reason = requireReason(input.reason);
  if (input.resourceType !== 'subject') throw new ServiceError('ERR_VALIDATION', 'resourceType must be "subject"', 'resourceType');
  if (!isMaskableField(input.field)) throw new ServiceError('ERR_VALIDATION', 'field is not a maskable identity field', 'field');
  if (typeof input.id !== 'string' || input.id.length === 0 || input.id.length > 100) throw new ServiceError('ERR_VALIDATION', 'id is required', 'id');
  const authorized = await authorize(ctx, req, 'reveal', { type: 'subject', id: input.id }, { reason });
  const subjectId = authorized.facts.subjectId ?? input.id;
  const now = req.now.toISOString();
  const expiresAt = new Date(req.now.getTime() + settings.revealMinutes * 60_000).toISOString();
  return ctx.store.transaction(async (repos) => {
    const identityRow = await repos.subjects.getIdentity(subjectId);
    const keyRow = await repos.subjects.getKey(subjectId);
    if (!identityRow || !keyRow) throw notFound();
    await repos.access.createRevealGrant({
      id: randomId('rg_'), account_id: req.actor.id, resource_type: 'subject', resource_id: subjectId,
      field: input.field, created_at: now, expires_at: expiresAt,
    });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'reveal', authorized, { reason: `[${input.field}] ${reason}` }));
    const dek = unwrapDataKey(ctx.keys.keyring.get(keyRow.root_version), subjectId, keyRow.wrapped);
    return { value: identityField(openIdentity(dek, subjectId, identityRow.sealed), input.field), expiresAt };
  });
}
