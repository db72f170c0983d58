/**
 * Recording a close contact, shared by the two ways one is made (docs/TRACING.md "Follow-up",
 * "Hand-over"): added by hand on a case page (contact.service.ts) and confirmed from discovery
 * (discovery.service.ts). Both get the same records in the caller's transaction: the contact link
 * with its sealed exposure, a quarantine (dates from the exposure, by default `days` from the
 * exposure date), a pending hand-over when the person lives outside the case's jurisdiction, and
 * the person's risk status recomputed. Every record is audited.
 */
import { randomId } from '../../crypto/index.ts';
import type { DataKey } from '../../crypto/index.ts';
import { isInJurisdiction } from '../../domain/jurisdiction.ts';
import type { ContactExposure } from '../../domain/model.ts';
import type { ContactRow } from '../../storage/contact.repository.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { accessAudit } from '../access.service.ts';
import type { Authorized } from '../access.service.ts';
import { appendAudit } from '../audit.service.ts';
import { notFound } from '../errors.ts';
import type { StaffRequest } from '../staff-context.ts';
import { sealSubjectJson } from '../subject-cipher.ts';
import { startQuarantine } from './follow-up.service.ts';
import { createHandover } from './handover.service.ts';
import { recomputeRiskStatus } from './risk-status.service.ts';

export interface NewCloseContact {
  /** The case the person is a contact of, and the jurisdiction that case belongs to. */
  readonly caseId: string;
  readonly caseJurisdiction: string;
  readonly subjectId: string;
  /** The person's data key (the exposure is sealed under it). */
  readonly dek: DataKey;
  /** A validated exposure (staff-input.ts `validateExposure`). */
  readonly exposure: ContactExposure;
  /** The authorization to create the contact (audits the link). */
  readonly creating: Authorized;
  /** The authorization the quarantine and hand-over are audited under (the same, or the discovery decision's). */
  readonly followUp: Authorized;
  /** Quarantine length from the exposure date when the exposure gives no quarantine dates (settings `quarantine.days`). */
  readonly quarantineDays: number;
}

export interface RecordedCloseContact {
  /** The link as stored (its exposure now carries the quarantine dates). */
  readonly link: ContactRow;
  readonly quarantineId: string;
  readonly handoverId: string | null;
}

/** Writes a close contact and starts its follow-up inside the caller's transaction (see the file comment). */
export async function recordCloseContact(ctx: AppContext, repos: Repositories, req: StaffRequest, c: NewCloseContact): Promise<RecordedCloseContact> {
  const id = randomId('k');
  const inserted: ContactRow = { id, case_id: c.caseId, contact_subject_id: c.subjectId, sealed: sealSubjectJson(c.dek, c.subjectId, 'contact_links', id, c.exposure), created_at: req.now.toISOString() };
  await repos.contacts.insert(inserted);
  await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'create', c.creating, { resourceType: 'contact', resourceId: id, subjectId: c.subjectId }));
  const quarantineId = await startQuarantine(ctx, repos, req, inserted, c.caseJurisdiction, c.followUp, c.quarantineDays);
  const home = (await repos.tracing.subjectsByIds([c.subjectId]))[0]?.jurisdiction_code;
  if (home === undefined) throw notFound();
  const handoverId = isInJurisdiction(home, c.caseJurisdiction) ? null : await createHandover(ctx, repos, req, inserted, c.caseJurisdiction, home, c.followUp);
  await recomputeRiskStatus(ctx, repos, [c.subjectId], req.now);
  // startQuarantine may have written the quarantine dates into the exposure: return the link as stored.
  const link = (await repos.contacts.get(id)) ?? inserted;
  return { link, quarantineId, handoverId };
}
