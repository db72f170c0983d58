/**
 * Discovery candidates as staff see them: ranked by overlap, the person masked (unless revealed),
 * where and when they shared a place with the case, and what was decided.
 */
import { isInJurisdiction } from '../../domain/jurisdiction.ts';
import type { CandidateView } from '../../domain/views/tracing.ts';
import type { CandidateRow } from '../../storage/tracing.repository.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { maskIdentity, revealGrantsOf } from '../access.service.ts';
import type { Authorized } from '../access.service.ts';
import { openSubjects } from '../staff-records.ts';
import type { StaffRequest } from '../staff-context.ts';
import { openSubjectJson } from '../subject-cipher.ts';
import { iso } from './tracing-records.ts';
import type { CandidateDetails, DismissalNote } from './tracing-records.ts';


const minutes = (ms: number) => Math.round(ms / 60_000);

/** Views of these candidate rows, ranked (total overlap, then number of overlaps, then latest exposure). */
export async function candidateViews(ctx: AppContext, repos: Repositories, req: StaffRequest, rows: readonly CandidateRow[], authorized: Authorized, caseJurisdiction: string): Promise<CandidateView[]> {
  const subjects = await openSubjects(ctx, repos, rows.map((r) => r.subject_id));
  const grants = await revealGrantsOf(repos, req, [...subjects.keys()]);
  const dismissals = new Map((await repos.tracing.dismissalsOf(rows.map((r) => r.id))).map((d) => [d.candidate_id, d]));
  const opened = rows.flatMap((r) => {
    const s = subjects.get(r.subject_id);
    return s ? [{ r, s, d: openSubjectJson<CandidateDetails>(s.dek, s.id, 'discovery_candidates', r.id, r.sealed) }] : [];
  });
  const places = new Map((await repos.tracing.placesByIds(opened.flatMap((o) => o.d.overlaps.map((x) => x.placeId)))).map((p) => [p.id, p.name]));
  opened.sort((a, b) => b.d.totalOverlapMs - a.d.totalOverlapMs || b.d.overlaps.length - a.d.overlaps.length || b.d.lastExposure - a.d.lastExposure || (a.r.id < b.r.id ? -1 : 1));
  return opened.map(({ r, s, d }, i): CandidateView => {
    const dismissal = dismissals.get(r.id);
    return {
      id: r.id, caseId: r.case_id, status: r.status as CandidateView['status'], rank: i + 1,
      subject: {
        id: s.id, jurisdictionCode: s.jurisdictionCode, livesElsewhere: !isInJurisdiction(s.jurisdictionCode, caseJurisdiction),
        identity: maskIdentity(s.identity, s.jurisdictionCode, authorized.obligations, grants.get(s.id) ?? [], req.now),
      },
      totalOverlapMinutes: minutes(d.totalOverlapMs), firstExposure: iso(d.firstExposure), lastExposure: iso(d.lastExposure),
      overlaps: d.overlaps.map((o) => ({ placeId: o.placeId, placeName: places.get(o.placeId) ?? null, from: iso(o.from), to: iso(o.to), minutes: minutes(o.overlapMs) })),
      contactId: r.contact_link_id,
      dismissal: dismissal ? {
        reason: dismissal.reason_code, by: dismissal.dismissed_by, at: dismissal.dismissed_at,
        note: dismissal.sealed ? openSubjectJson<DismissalNote>(s.dek, s.id, 'discovery_dismissals', r.id, dismissal.sealed).note : null,
      } : null,
    };
  });
}
