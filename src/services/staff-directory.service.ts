/**
 * The staff of a supervisor's subtree, to choose whom to assign (GET /api/staff): account ids,
 * usernames, roles and jurisdictions only; disabled accounts left out.
 */
import { divisionName } from '../domain/divisions.ts';
import { jurisdictionPrefix } from '../domain/jurisdiction.ts';
import type { Role } from '../domain/roles.ts';
import type { StaffMember } from '../domain/views/staff.ts';
import type { AppContext } from './app-context.ts';
import { accessAudit, authorize } from './access.service.ts';
import { appendAudit } from './audit.service.ts';
import { notFound } from './errors.ts';
import type { StaffRequest } from './staff-context.ts';
import { decodeCursor, encodeCursor } from './staff-input.ts';

/** Active accounts of the actor's subtree (optionally of one role), by username. Audited as `list`. */
export async function listStaff(ctx: AppContext, req: StaffRequest, q: { role?: Role; cursor?: string; limit: number }): Promise<{ items: StaffMember[]; nextCursor: string | null }> {
  const after = decodeCursor(q.cursor, 1)?.[0];
  const authorized = await authorize(ctx, req, 'list', { type: 'account' });
  const prefix = jurisdictionPrefix(req.actor.jurisdiction);
  if (prefix === undefined) throw notFound();
  return ctx.store.transaction(async (repos) => {
    const rows = (await repos.staff.listAccounts({ jurisdictionPrefix: prefix, ...(q.role ? { role: q.role } : {}) }))
      .filter((r) => r.disabled_at === null && (after === undefined || r.username > after))
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
    const page = rows.slice(0, q.limit);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'list', authorized));
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ id: r.id, username: r.username, role: r.role as Role, jurisdiction: r.jurisdiction_code, jurisdictionName: divisionName(r.jurisdiction_code) ?? null })),
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.username]) : null,
    };
  });
}
