/**
 * The access decision for tracing's records whose facts the shared loader (access.service.ts
 * `loadFacts`) does not know: a quarantine (responsible jurisdiction and staff, which a hand-over
 * moves) and a hand-over (the receiving jurisdiction). Same contract as `authorize`: allowed →
 * obligations and facts; denied or missing → an audited denial and "not found or no access".
 */
import { decide } from '../../policy/decide.ts';
import type { Action } from '../../policy/types.ts';
import type { QuarantineRow } from '../../storage/tracing.repository.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { NOT_FOUND_RULE, policyActor, revealGrantsOf, termsRequired } from '../access.service.ts';
import type { AccessFacts, Authorized } from '../access.service.ts';
import { appendAudit } from '../audit.service.ts';
import { notFound } from '../errors.ts';
import type { StaffRequest } from '../staff-context.ts';

/**
 * A quarantine's facts: the jurisdiction now responsible for it; its staff are the case's while it
 * stays with the case's jurisdiction, and after a hand-over the account the receiving supervisor
 * assigned (if any).
 */
export async function quarantineFacts(repos: Repositories, q: QuarantineRow): Promise<AccessFacts | undefined> {
  const link = (await repos.tracing.linksByIds([q.contact_link_id]))[0];
  if (!link) return undefined;
  const c = await repos.access.caseFacts(link.case_id);
  if (!c) return undefined;
  const handedOver = q.jurisdiction_code !== c.jurisdiction;
  const staff = handedOver ? [] : [...c.assignedStaff];
  if (q.assigned_to) staff.push(q.assigned_to);
  return { type: 'quarantine', id: q.id, jurisdiction: q.jurisdiction_code, assignedStaff: staff, subjectId: q.subject_id, caseId: link.case_id };
}

export async function handoverFacts(repos: Repositories, id: string): Promise<AccessFacts | undefined> {
  const h = await repos.tracing.getHandover(id);
  return h && { type: 'handover', id: h.id, jurisdiction: h.to_jurisdiction, subjectId: h.subject_id };
}

/**
 * Decides `action` on a record with these facts (loaded by the caller; `undefined` = does not
 * exist). A denial is audited in its own transaction, then thrown as not found (or terms required).
 */
export async function authorizeFacts(ctx: AppContext, req: StaffRequest, action: Action, type: AccessFacts['type'], id: string, facts: AccessFacts | undefined): Promise<Authorized> {
  const decision = facts ? decide(policyActor(req.actor), action, facts, { purpose: req.purpose, reason: null, now: req.now }) : { allow: false as const, rule: NOT_FOUND_RULE };
  if (!decision.allow) {
    try {
      await ctx.store.transaction((repos) => appendAudit(repos, ctx.keys, req.actor, {
        action, resourceType: type, resourceId: id, subjectId: facts?.subjectId ?? null, purpose: req.purpose,
        reason: `policy:${decision.rule}`, outcome: 'denied', requestId: req.requestId,
      }));
    } catch (e) {
      ctx.logger.error({ code: 'ERR_AUDIT_FAILED', err: e instanceof Error ? e.name : 'unknown', action, resourceType: type }, 'audit of a denied request failed');
    }
    throw decision.rule === 'terms_required' ? termsRequired() : notFound();
  }
  const grants = facts!.subjectId ? (await revealGrantsOf(ctx.store, req, [facts!.subjectId])).get(facts!.subjectId) ?? [] : [];
  return { obligations: decision.obligations, facts: facts!, grants };
}

/** Loads a quarantine and authorizes `action` on it. */
export async function authorizeQuarantine(ctx: AppContext, req: StaffRequest, action: Action, id: string): Promise<{ authorized: Authorized; quarantine: QuarantineRow }> {
  const q = await ctx.store.tracing.getQuarantine(id);
  const authorized = await authorizeFacts(ctx, req, action, 'quarantine', id, q && await quarantineFacts(ctx.store, q));
  return { authorized, quarantine: q! };
}
