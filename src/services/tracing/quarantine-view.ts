/**
 * A quarantine as staff see it: the contact masked (unless revealed), the exposure and quarantine
 * dates from the contact link, the daily entries, what happened, the risk status and any
 * hand-over, and what the viewer may do next (from the policy, so the console never re-implements it).
 */
import { todayIsoDate } from '../../domain/dates.ts';
import type { ContactExposure } from '../../domain/model.ts';
import type { FollowupView, QuarantineView } from '../../domain/views/tracing.ts';
import { decide } from '../../policy/decide.ts';
import type { Action } from '../../policy/types.ts';
import type { QuarantineRow } from '../../storage/tracing.repository.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { maskIdentity, policyActor } from '../access.service.ts';
import type { Authorized } from '../access.service.ts';
import { notFound } from '../errors.ts';
import { openSubject } from '../staff-records.ts';
import type { StaffRequest } from '../staff-context.ts';
import { openSubjectJson } from '../subject-cipher.ts';
import { storedRiskStatuses } from './risk-status.service.ts';
import type { FollowupEntry, QuarantineState } from './tracing-records.ts';


const DAY = 86_400_000;

export async function quarantineView(ctx: AppContext, repos: Repositories, req: StaffRequest, q: QuarantineRow, authorized: Authorized): Promise<QuarantineView> {
  const link = await repos.contacts.get(q.contact_link_id);
  if (!link) throw notFound();
  const s = await openSubject(ctx, repos, q.subject_id);
  const e = openSubjectJson<ContactExposure>(s.dek, s.id, 'contact_links', link.id, link.sealed);
  const state = openSubjectJson<QuarantineState>(s.dek, s.id, 'quarantines', q.id, q.sealed);
  const entries = (await repos.tracing.followupsOf(q.id)).map((r): FollowupView => ({
    id: r.id, createdAt: r.created_at, createdBy: r.created_by, ...openSubjectJson<FollowupEntry>(s.dek, s.id, 'followup_entries', r.id, r.sealed),
  })).sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt));
  const handover = (await repos.tracing.handoversOfLink(link.id))[0];
  const today = todayIsoDate(undefined, req.now.getTime());
  const daysLeft = e.quarantineEnd && q.status === 'active' ? Math.max(0, Math.round((Date.parse(e.quarantineEnd) - Date.parse(today)) / DAY) + 1) : 0;
  const can = (action: Action, purpose = req.purpose) => decide(policyActor(req.actor), action, authorized.facts, { purpose, reason: null, now: req.now }).allow;
  const active = q.status === 'active';
  return {
    id: q.id, status: q.status as QuarantineView['status'], contactId: link.id, caseId: link.case_id, jurisdictionCode: q.jurisdiction_code, assignedTo: q.assigned_to,
    subject: { id: s.id, jurisdictionCode: s.jurisdictionCode, identity: maskIdentity(s.identity, s.jurisdictionCode, authorized.obligations, authorized.grants, req.now) },
    exposure: { exposureType: e.exposureType, exposureDate: e.exposureDate, setting: e.setting ?? null },
    quarantineStart: e.quarantineStart ?? null, quarantineEnd: e.quarantineEnd ?? null, daysLeft, entries, events: state.events,
    riskStatus: (await storedRiskStatuses(repos, [s.id])).get(s.id) ?? null,
    handover: handover ? { id: handover.id, status: handover.status, toJurisdiction: handover.to_jurisdiction } : null,
    abilities: {
      addEntry: active && can('update'), extend: active && can('update'), end: active && can('update'),
      convert: active && can('update', 'case_investigation'), reveal: can('reveal', 'quarantine_followup'),
    },
  };
}
