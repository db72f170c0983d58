/**
 * Case assignments: supervisors assign investigators and tracers of their subtree to the cases
 * of their subtree; investigators and tracers list their own assignments. Assignment is what
 * gives investigators and tracers access to a case, its subject and its contacts (docs/ACCESS.md).
 */
import { isInJurisdiction } from '../domain/jurisdiction.ts';
import type { AssignedCase } from '../domain/views/staff.ts';
import type { AppContext } from './app-context.ts';
import { accessAudit, authorize } from './access.service.ts';
import type { Authorized } from './access.service.ts';
import { appendAudit } from './audit.service.ts';
import { notFound, ServiceError } from './errors.ts';
import { parsePage } from './page.ts';
import type { PageInput } from './page.ts';
import type { StaffRequest } from './staff-context.ts';

/** The roles that can be assigned to a case. */
export const ASSIGNABLE_ROLES: readonly string[] = ['investigator', 'tracer'];

export interface Assignment {
  readonly caseId: string;
  readonly staffId: string;
  readonly assignedAt: string;
}

const assignmentId = (caseId: string, staffId: string) => `${caseId}/${staffId}`;

/**
 * Checks that `staffId` is an active investigator or tracer of the supervisor's subtree whose
 * jurisdiction covers the case: an account outside the subtree is "not found"; one of the wrong
 * role, or whose jurisdiction does not cover the case, is ERR_VALIDATION on `staffId`.
 */
async function assignableStaff(ctx: AppContext, req: StaffRequest, staffId: string, caseJurisdiction: string): Promise<void> {
  const staff = typeof staffId === 'string' && staffId.length > 0 && staffId.length <= 100 ? await ctx.store.staff.accountById(staffId) : undefined;
  if (!staff || staff.disabled_at !== null || !isInJurisdiction(staff.jurisdiction_code, req.actor.jurisdiction)) throw notFound();
  if (!ASSIGNABLE_ROLES.includes(staff.role)) throw new ServiceError('ERR_VALIDATION', 'only investigators and tracers can be assigned to a case', 'staffId');
  if (!isInJurisdiction(caseJurisdiction, staff.jurisdiction_code)) throw new ServiceError('ERR_VALIDATION', "the case lies outside this staff member's jurisdiction", 'staffId');
}

async function authorizeAssign(ctx: AppContext, req: StaffRequest, caseId: string): Promise<Authorized> {
  return authorize(ctx, req, 'assign', { type: 'assignment', parent: { type: 'case', id: caseId } });
}

/** Assigns an investigator or tracer to a case (supervisors). Already assigned: ERR_CONFLICT. Audited as `assign`. */
export async function assign(ctx: AppContext, req: StaffRequest, caseId: string, staffId: string): Promise<Assignment> {
  const authorized = await authorizeAssign(ctx, req, caseId);
  await assignableStaff(ctx, req, staffId, authorized.facts.jurisdiction!);
  const at = req.now.toISOString();
  return ctx.store.transaction(async (repos) => {
    if (!await repos.access.assign(caseId, staffId, at)) throw new ServiceError('ERR_CONFLICT', 'this staff member is already assigned to the case');
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'assign', authorized, { resourceId: assignmentId(caseId, staffId) }));
    return { caseId, staffId, assignedAt: at };
  });
}

/** Removes an assignment (supervisors). Not assigned: not found. Audited as `unassign`. */
export async function unassign(ctx: AppContext, req: StaffRequest, caseId: string, staffId: string): Promise<void> {
  const authorized = await authorizeAssign(ctx, req, caseId);
  await ctx.store.transaction(async (repos) => {
    if (!await repos.access.unassign(caseId, staffId)) throw notFound();
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'unassign', authorized, { resourceId: assignmentId(caseId, staffId) }));
  });
}

/** The requesting investigator's or tracer's assigned cases, oldest assignment first. Audited as `list`. */
export async function myAssignments(ctx: AppContext, req: StaffRequest, page: PageInput = {}): Promise<{ items: AssignedCase[]; nextCursor: string | null }> {
  const { after, limit } = parsePage(page);
  const authorized = await authorize(ctx, req, 'list', { type: 'assignment', owner: req.actor.id });
  return ctx.store.transaction(async (repos) => {
    const result = await repos.access.listForStaff(req.actor.id, { after, limit });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'list', authorized));
    return { items: result.items, nextCursor: result.next };
  });
}

/** The staff assigned to a case (supervisors, or anyone who may list its assignments). */
export async function staffOfCase(ctx: AppContext, req: StaffRequest, caseId: string): Promise<string[]> {
  const authorized = await authorize(ctx, req, 'list', { type: 'assignment', parent: { type: 'case', id: caseId } });
  return ctx.store.transaction(async (repos) => {
    const staff = await repos.access.staffOfCase(caseId);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'list', authorized));
    return staff;
  });
}
