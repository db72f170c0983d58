/**
 * Break-glass: an investigator opens a case of their jurisdiction that is not assigned to them, in
 * an emergency, stating a reason (docs/ACCESS.md). The grant lasts a few hours; every grant raises
 * an alert for the supervisors of the case's jurisdiction, who review it afterwards: `accept`, or
 * `flag` (which also ends the grant at once).
 */
import { randomId } from '../crypto/index.ts';
import { jurisdictionPrefix } from '../domain/jurisdiction.ts';
import type { BreakGlassGrant } from '../domain/views/staff.ts';
import type { BreakGlassGrantRow, PageOf } from '../storage/access.repository.ts';
import type { AppContext } from './app-context.ts';
import { accessAudit, authorize, requireReason } from './access.service.ts';
import { appendAudit } from './audit.service.ts';
import { notFound, ServiceError } from './errors.ts';
import { parsePage } from './page.ts';
import type { PageInput } from './page.ts';
import type { StaffRequest } from './staff-context.ts';

export const DEFAULT_BREAK_GLASS_HOURS = 4;

export interface BreakGlassSettings {
  /** Config `breakGlassHours` (EPIVAULT_BREAK_GLASS_HOURS). */
  readonly breakGlassHours: number;
}

export type ReviewDecision = 'accept' | 'flag';

export const toGrant = (r: BreakGlassGrantRow): BreakGlassGrant => ({
  id: r.id, accountId: r.account_id, caseId: r.case_id, jurisdiction: r.jurisdiction_code, reason: r.reason,
  createdAt: r.created_at, expiresAt: r.expires_at, reviewStatus: r.review_status as BreakGlassGrant['reviewStatus'],
  reviewedBy: r.reviewed_by, reviewedAt: r.reviewed_at, reviewNote: r.review_note,
});

/**
 * Creates a break-glass grant on a case for the requesting investigator. In one transaction: the
 * grant, the audit event `break_glass` with the reason, and an open alert (same id as the grant)
 * for the supervisors of the case's jurisdiction.
 */
export async function requestBreakGlass(ctx: AppContext, req: StaffRequest, caseId: string, reason: string, settings: BreakGlassSettings = { breakGlassHours: DEFAULT_BREAK_GLASS_HOURS }): Promise<BreakGlassGrant> {
  const stated = requireReason(reason);
  const authorized = await authorize(ctx, req, 'break_glass', { type: 'case', id: caseId }, { reason: stated });
  const jurisdiction = authorized.facts.jurisdiction!;
  const now = req.now.toISOString();
  const row: BreakGlassGrantRow = {
    id: randomId('bg_'), account_id: req.actor.id, case_id: caseId, jurisdiction_code: jurisdiction, reason: stated,
    created_at: now, expires_at: new Date(req.now.getTime() + settings.breakGlassHours * 3_600_000).toISOString(),
    review_status: 'pending', reviewed_by: null, reviewed_at: null, review_note: null,
  };
  return ctx.store.transaction(async (repos) => {
    await repos.access.createBreakGlass(row);
    const seq = await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'break_glass', authorized, { reason: stated }));
    await repos.access.insertAlert({
      id: row.id, kind: 'break_glass', account_id: req.actor.id, jurisdiction_code: jurisdiction,
      details: JSON.stringify({ grantId: row.id, caseId, expiresAt: row.expires_at }), event_seqs: JSON.stringify([seq]),
      status: 'open', decision: null, decided_by: null, decided_at: null, created_at: now,
    });
    return toGrant(row);
  });
}

/** Grants awaiting review in the supervisor's subtree (or a part of it: `scope`), oldest first. Audited as `list`. */
export async function listPendingReviews(ctx: AppContext, req: StaffRequest, page: PageInput & { scope?: string } = {}): Promise<{ items: BreakGlassGrant[]; nextCursor: string | null }> {
  const { after, limit } = parsePage(page);
  const authorized = await authorize(ctx, req, 'list', { type: 'break_glass', ...(page.scope !== undefined ? { scope: page.scope } : {}) });
  const prefix = jurisdictionPrefix(authorized.facts.jurisdiction!);
  if (prefix === undefined) throw notFound();
  return ctx.store.transaction(async (repos) => {
    const result: PageOf<BreakGlassGrantRow> = await repos.access.pendingBreakGlass(prefix, { after, limit });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'list', authorized));
    return { items: result.items.map(toGrant), nextCursor: result.next };
  });
}

/**
 * Records a supervisor's review of a grant, with a note (the reason), and closes its alert.
 * `flag` ends the grant's access at once. A grant already reviewed answers ERR_CONFLICT.
 */
export async function review(ctx: AppContext, req: StaffRequest, grantId: string, decision: ReviewDecision, note: string): Promise<BreakGlassGrant> {
  if (decision !== 'accept' && decision !== 'flag') throw new ServiceError('ERR_VALIDATION', 'decision must be "accept" or "flag"', 'decision');
  const stated = requireReason(note, 'note');
  const authorized = await authorize(ctx, req, 'review', { type: 'break_glass', id: grantId }, { reason: stated });
  const at = req.now.toISOString();
  return ctx.store.transaction(async (repos) => {
    const status = decision === 'accept' ? 'accepted' : 'flagged';
    if (!await repos.access.reviewBreakGlass(grantId, { status, by: req.actor.id, at, note: stated })) {
      throw new ServiceError('ERR_CONFLICT', 'this grant has already been reviewed');
    }
    await repos.access.closeAlert(grantId, { decision: status, by: req.actor.id, at });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'review', authorized, { reason: `[${decision}] ${stated}` }));
    const row = await repos.access.getBreakGlass(grantId);
    return toGrant(row!);
  });
}
