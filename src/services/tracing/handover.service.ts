/**
 * Hand-over of a close contact to the jurisdiction they live in (docs/TRACING.md "Hand-over"): a
 * contact confirmed by a case's tracers who lives elsewhere is offered to the supervisors of their
 * own jurisdiction; one of them accepts it (their jurisdiction then follows up the quarantine,
 * through the account they assign) or declines it (it stays with the case's jurisdiction).
 */
import { randomId } from '../../crypto/index.ts';
import { isInJurisdiction, jurisdictionPrefix } from '../../domain/jurisdiction.ts';
import type { HandoverView } from '../../domain/views/tracing.ts';
import type { ContactRow } from '../../storage/contact.repository.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { accessAudit, authorize, maskIdentity } from '../access.service.ts';
import type { Authorized } from '../access.service.ts';
import { appendAudit } from '../audit.service.ts';
import { notFound, ServiceError } from '../errors.ts';
import { auditAll, invalid, openSubjects } from '../staff-records.ts';
import type { StaffRequest } from '../staff-context.ts';
import { openSubjectJson, sealSubjectJson } from '../subject-cipher.ts';
import { authorizeFacts, handoverFacts } from './tracing-access.ts';
import { dataKeyOf } from './tracing-records.ts';
import type { QuarantineState } from './tracing-records.ts';

/** Records a pending hand-over in the caller's transaction (from the confirming of a contact); audited. */
export async function createHandover(ctx: AppContext, repos: Repositories, req: StaffRequest, link: ContactRow, from: string, to: string, authorized: Authorized): Promise<string> {
  const id = randomId('h');
  await repos.tracing.insertHandover({
    id, contact_link_id: link.id, subject_id: link.contact_subject_id, from_jurisdiction: from, to_jurisdiction: to, status: 'pending',
    created_by: req.actor.id, created_at: req.now.toISOString(), decided_by: null, decided_at: null,
  });
  await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'create', authorized, { resourceType: 'handover', resourceId: id, subjectId: link.contact_subject_id, reason: `to:${to}` }));
  return id;
}

/** Pending hand-overs sent to the supervisor's subtree, oldest first, names masked; each audited. */
export async function listHandovers(ctx: AppContext, req: StaffRequest, q: { limit: number }): Promise<HandoverView[]> {
  const authorized = await authorize(ctx, req, 'list', { type: 'handover', scope: req.actor.jurisdiction });
  const prefix = jurisdictionPrefix(req.actor.jurisdiction);
  if (prefix === undefined) throw notFound();
  return ctx.store.transaction(async (repos) => {
    const rows = await repos.tracing.handoversTo(prefix, 'pending', q.limit);
    const views = await handoverViews(ctx, repos, req, rows, authorized);
    await auditAll(ctx, repos, req, views.length > 0
      ? views.map((v) => accessAudit(req, 'list', authorized, { resourceType: 'handover', resourceId: v.id, subjectId: v.subject.id }))
      : [accessAudit(req, 'list', authorized, { resourceType: 'handover' })]);
    return views;
  });
}

/**
 * Accepts (or declines) a hand-over. Accepting moves the quarantine to the receiving jurisdiction
 * and, if given, to the account `assignTo` (a tracer or investigator of that jurisdiction).
 */
export async function decideHandover(ctx: AppContext, req: StaffRequest, id: string, input: { decision: 'accept' | 'decline'; assignTo?: string | null }): Promise<HandoverView> {
  if (input.decision !== 'accept' && input.decision !== 'decline') throw invalid('decision', 'must be accept or decline');
  const authorized = await authorizeFacts(ctx, req, 'review', 'handover', id, await handoverFacts(ctx.store, id));
  if (input.assignTo) {
    const staff = await ctx.store.access.staffFacts(input.assignTo);
    const to = (await ctx.store.tracing.getHandover(id))!.to_jurisdiction;
    if (!staff || staff.disabled || !['tracer', 'investigator'].includes(staff.role) || !isInJurisdiction(staff.jurisdiction, to)) {
      throw invalid('assignTo', 'must be an active tracer or investigator of the receiving jurisdiction');
    }
  }
  return ctx.store.transaction(async (repos) => {
    const h = (await repos.tracing.getHandover(id))!;
    const status = input.decision === 'accept' ? 'accepted' : 'declined';
    if (!(await repos.tracing.decideHandover(id, status, req.actor.id, req.now.toISOString()))) throw new ServiceError('ERR_CONFLICT', `this hand-over is already ${h.status}`);
    const q = await repos.tracing.quarantineOfLink(h.contact_link_id);
    if (q && status === 'accepted') {
      const dek = await dataKeyOf(ctx, repos, q.subject_id);
      const state = openSubjectJson<QuarantineState>(dek, q.subject_id, 'quarantines', q.id, q.sealed);
      state.events.push({ at: req.now.toISOString(), by: req.actor.id, action: 'handover', reason: `to:${h.to_jurisdiction}` });
      await repos.tracing.updateQuarantine(q.id, { jurisdiction_code: h.to_jurisdiction, assigned_to: input.assignTo ?? null, sealed: sealSubjectJson(dek, q.subject_id, 'quarantines', q.id, state), updated_at: req.now.toISOString() });
    }
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'review', authorized, { resourceType: 'handover', resourceId: id, reason: `${status}${input.assignTo ? `:assign:${input.assignTo}` : ''}` }));
    return (await handoverViews(ctx, repos, req, [(await repos.tracing.getHandover(id))!], authorized))[0]!;
  });
}

async function handoverViews(ctx: AppContext, repos: Repositories, req: StaffRequest, rows: Awaited<ReturnType<Repositories['tracing']['handoversTo']>>, authorized: Authorized): Promise<HandoverView[]> {
  const subjects = await openSubjects(ctx, repos, rows.map((r) => r.subject_id));
  const quarantines = new Map((await repos.tracing.quarantinesOfLinks(rows.map((r) => r.contact_link_id))).map((q) => [q.contact_link_id, q.id]));
  return rows.flatMap((h) => {
    const s = subjects.get(h.subject_id);
    if (!s) return [];
    return [{
      id: h.id, status: h.status as HandoverView['status'], fromJurisdiction: h.from_jurisdiction, toJurisdiction: h.to_jurisdiction, createdAt: h.created_at,
      contactId: h.contact_link_id, quarantineId: quarantines.get(h.contact_link_id) ?? null, decidedAt: h.decided_at,
      subject: { id: s.id, jurisdictionCode: s.jurisdictionCode, name: maskIdentity(s.identity, s.jurisdictionCode, authorized.obligations, [], req.now).name },
    }];
  });
}

