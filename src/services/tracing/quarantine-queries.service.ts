/**
 * Finding quarantines (the follow-up work list of a jurisdiction, the quarantines of one case's
 * contacts) and revealing a quarantined contact's phone number to call them, for a stated reason.
 */
import { randomId } from '../../crypto/index.ts';
import { jurisdictionPrefix } from '../../domain/jurisdiction.ts';
import { identityField } from '../../domain/masking.ts';
import type { ContactExposure } from '../../domain/model.ts';
import type { Page } from '../../domain/views/page.ts';
import { QUARANTINE_STATUSES } from '../../domain/views/tracing.ts';
import type { QuarantineStatus, QuarantineSummary } from '../../domain/views/tracing.ts';
import { decide } from '../../policy/decide.ts';
import type { QuarantineRow } from '../../storage/tracing.repository.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { accessAudit, authorize, maskIdentity, policyActor, requireReason, revealGrantsOf } from '../access.service.ts';
import type { Authorized } from '../access.service.ts';
import { appendAudit } from '../audit.service.ts';
import { notFound } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../staff-input.ts';
import { auditAll, invalid, openSubjects } from '../staff-records.ts';
import type { StaffRequest } from '../staff-context.ts';
import { openSubjectJson } from '../subject-cipher.ts';
import { authorizeQuarantine, quarantineFacts } from './tracing-access.ts';

/** Re-exported for the route schemas (src/http/routes/tracing.schema.ts); declared with the views. */

/** The quarantines of the actor's subtree that the actor may follow up (a tracer: those of their cases or assigned to them). */
export async function listQuarantines(ctx: AppContext, req: StaffRequest, q: { status?: QuarantineStatus; cursor?: string; limit: number }): Promise<Page<QuarantineSummary>> {
  const status = q.status ?? 'active';
  if (!QUARANTINE_STATUSES.includes(status)) throw invalid('status', `must be one of ${QUARANTINE_STATUSES.join(', ')}`);
  const after = decodeCursor(q.cursor, 1);
  const prefix = jurisdictionPrefix(req.actor.jurisdiction);
  if (prefix === undefined) throw notFound();
  await authorize(ctx, req, 'list', { type: 'quarantine', scope: req.actor.jurisdiction });
  return ctx.store.transaction(async (repos) => {
    const items: { row: QuarantineRow; authorized: Authorized }[] = [];
    let cursor = after?.[0];
    // Rows are filtered through the policy one by one: read ahead until the page is full.
    for (let exhausted = false; items.length < q.limit && !exhausted;) {
      const rows = await repos.tracing.quarantinesIn(prefix, status, cursor, 100);
      exhausted = rows.length < 100;
      for (const row of rows) {
        cursor = row.id;
        const facts = await quarantineFacts(repos, row);
        const d = facts && decide(policyActor(req.actor), 'read', facts, { purpose: req.purpose, reason: null, now: req.now });
        if (d?.allow) items.push({ row, authorized: { obligations: d.obligations, facts: facts!, grants: [] } });
        if (items.length === q.limit) break;
      }
    }
    const views = await summaries(ctx, repos, req, items);
    await auditAll(ctx, repos, req, views.length > 0
      ? items.map((i) => accessAudit(req, 'list', i.authorized, { resourceType: 'quarantine', resourceId: i.row.id, subjectId: i.row.subject_id }))
      : [{ action: 'list', resourceType: 'quarantine', purpose: req.purpose, outcome: 'success', requestId: req.requestId }]);
    return { items: views, nextCursor: items.length === q.limit && cursor ? encodeCursor([cursor]) : null };
  });
}

/** The quarantines of one case's contacts (for the case's tracers and supervisors). */
export async function quarantinesOfCase(ctx: AppContext, req: StaffRequest, caseId: string): Promise<QuarantineSummary[]> {
  const authorized = await authorize(ctx, req, 'list', { type: 'quarantine', parent: { type: 'case', id: caseId } });
  return ctx.store.transaction(async (repos) => {
    const links = await repos.tracing.linksOfCases([caseId]);
    const rows = await repos.tracing.quarantinesOfLinks(links.map((l) => l.id));
    const items = rows.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)).map((row) => ({ row, authorized }));
    const views = await summaries(ctx, repos, req, items);
    await auditAll(ctx, repos, req, views.length > 0
      ? items.map((i) => accessAudit(req, 'list', authorized, { resourceType: 'quarantine', resourceId: i.row.id, subjectId: i.row.subject_id }))
      : [accessAudit(req, 'list', authorized, { resourceType: 'quarantine', resourceId: caseId })]);
    return views;
  });
}

/**
 * Reveals the phone number of a quarantined contact to the staff following them up, to call them:
 * a stated reason, a reveal grant for the configured reveal time (EPIVAULT_REVEAL_MINUTES, as every
 * reveal), audited before the number is returned.
 */
export async function revealForCall(ctx: AppContext, req: StaffRequest, id: string, input: { reason: string }, revealMinutes = ctx.settings.revealMinutes): Promise<{ value: string | null; expiresAt: string }> {
  const reason = requireReason(input.reason);
  const { authorized, quarantine } = await authorizeQuarantine(ctx, req, 'reveal', id);
  const expiresAt = new Date(req.now.getTime() + revealMinutes * 60_000).toISOString();
  return ctx.store.transaction(async (repos) => {
    const s = (await openSubjects(ctx, repos, [quarantine.subject_id])).get(quarantine.subject_id);
    if (!s) throw notFound();
    await repos.access.createRevealGrant({ id: randomId('rg_'), account_id: req.actor.id, resource_type: 'subject', resource_id: s.id, field: 'phone', created_at: req.now.toISOString(), expires_at: expiresAt });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'reveal', authorized, { resourceType: 'quarantine', resourceId: id, subjectId: s.id, reason: `[phone] ${reason}` }));
    return { value: identityField(s.identity, 'phone'), expiresAt };
  });
}

async function summaries(ctx: AppContext, repos: Repositories, req: StaffRequest, items: readonly { row: QuarantineRow; authorized: Authorized }[]): Promise<QuarantineSummary[]> {
  const subjects = await openSubjects(ctx, repos, items.map((i) => i.row.subject_id));
  const grants = await revealGrantsOf(repos, req, [...subjects.keys()]);
  const links = new Map((await repos.tracing.linksByIds(items.map((i) => i.row.contact_link_id))).map((l) => [l.id, l]));
  return items.flatMap(({ row, authorized }) => {
    const s = subjects.get(row.subject_id);
    const link = links.get(row.contact_link_id);
    if (!s || !link) return [];
    const e = openSubjectJson<ContactExposure>(s.dek, s.id, 'contact_links', link.id, link.sealed);
    return [{
      id: row.id, status: row.status, contactId: link.id, caseId: link.case_id, jurisdictionCode: row.jurisdiction_code,
      subject: { id: s.id, name: maskIdentity(s.identity, s.jurisdictionCode, authorized.obligations, grants.get(s.id) ?? [], req.now).name },
      quarantineStart: e.quarantineStart ?? null, quarantineEnd: e.quarantineEnd ?? null,
    }];
  });
}
