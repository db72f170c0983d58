/**
 * Close contacts of a case for staff: list them (identities masked), add one (a new person or a
 * registered subject, with how they were exposed), and change the exposure or quarantine dates.
 * The exposure is sealed under the contact's own data key (table `contact_links`); the pair
 * (case, contact) is in clear, as the outbreak graph (docs/THREAT-MODEL.md).
 */
import type { ContactExposure, ExposureType } from '../domain/model.ts';
import type { ContactView } from '../domain/views/cases.ts';
import type { Page } from '../domain/views/page.ts';
import type { ContactRow } from '../storage/contact.repository.ts';
import type { AppContext } from './app-context.ts';
import { accessAudit, authorize, maskIdentity, revealGrantsOf } from './access.service.ts';
import type { Authorized } from './access.service.ts';
import { appendAudit } from './audit.service.ts';
import { notFound, ServiceError } from './errors.ts';
import { auditAll, checkOnlyFields, invalid, openSubject, openSubjects, refusingDuplicates, todayOf } from './staff-records.ts';
import type { OpenSubject } from './staff-records.ts';
import type { StaffRequest } from './staff-context.ts';
import { decodeCursor, encodeCursor, validateExposure, validatePerson } from './staff-input.ts';
import type { ExposureFields, PersonFields } from './staff-input.ts';
import { openSubjectJson, sealPerson, sealSubjectJson } from './subject-cipher.ts';
import { recomputeRiskStatus } from './tracing/risk-status.service.ts';
import { recordCloseContact } from './tracing/close-contact.ts';
import type { TracingSettings } from '../tracing/settings.ts';

/** The contacts of a case, oldest first, identities masked unless revealed; one audit event per contact shown. */
export async function listContacts(ctx: AppContext, req: StaffRequest, caseId: string, q: { cursor?: string; limit: number }): Promise<Page<ContactView>> {
  const after = decodeCursor(q.cursor, 2);
  const authorized = await authorize(ctx, req, 'list', { type: 'contact', parent: { type: 'case', id: caseId } });
  return ctx.store.transaction(async (repos) => {
    const rows = await repos.contacts.pageOfCase(caseId, after ? { createdAt: after[0]!, id: after[1]! } : undefined, q.limit + 1);
    const page = rows.slice(0, q.limit);
    const subjects = await openSubjects(ctx, repos, page.map((r) => r.contact_subject_id));
    const grants = await revealGrantsOf(repos, req, [...subjects.keys()]);
    const items: ContactView[] = [];
    for (const row of page) {
      const s = subjects.get(row.contact_subject_id);
      if (s) items.push(contactView(req, row, s, authorized, grants.get(s.id) ?? []));
    }
    await auditAll(ctx, repos, req, items.length > 0
      ? items.map((i) => accessAudit(req, 'list', authorized, { resourceType: 'contact', resourceId: i.id, subjectId: i.subject.id }))
      : [accessAudit(req, 'list', authorized, { resourceType: 'contact', resourceId: caseId })]);
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.created_at, last.id]) : null };
  });
}

export interface AddContactInput {
  person?: PersonFields;
  subjectId?: string;
  exposure: ExposureFields;
}

/**
 * Adds a close contact to a case. A new person is validated as an import row would be and
 * registered under the case's jurisdiction's authority; a registered subject must be one the
 * viewer may read. The same person twice on one case, or the case's own subject, is refused.
 * Like a contact confirmed from discovery (tracing/close-contact.ts), the contact is put into
 * quarantine at once (the exposure's quarantine dates, or `settings.quarantine.days` from the
 * exposure date; the deployment's settings unless given), handed over to their own jurisdiction
 * if they live outside the case's, and their risk status recomputed; the view shows the exposure
 * with the quarantine dates.
 */
export async function addContact(ctx: AppContext, req: StaffRequest, caseId: string, input: AddContactInput, settings: TracingSettings = ctx.settings.tracing): Promise<ContactView> {
  const today = todayOf(req);
  if ((input.person === undefined) === (input.subjectId === undefined)) throw invalid('person', 'or subjectId is required, not both');
  const exposure = validateExposure(input.exposure, today);
  const person = input.person ? validatePerson(input.person, today) : null;
  const authorized = await authorize(ctx, req, 'create', { type: 'contact', parent: { type: 'case', id: caseId } });
  if (person) await authorize(ctx, req, 'create', { type: 'subject', scope: authorized.facts.jurisdiction ?? req.actor.jurisdiction });
  else await authorize(ctx, req, 'read', { type: 'subject', id: input.subjectId! });
  const now = new Date().toISOString();
  const sealed = person ? sealPerson({ ...ctx.keys, root: ctx.keys.keyring.current() }, person, null, now) : null;
  return refusingDuplicates(ctx, req, (conflict) => ctx.store.transaction(async (repos) => {
    const kase = await repos.cases.getCase(caseId);
    if (!kase) throw notFound();
    let subjectId: string;
    if (sealed) {
      for (const holder of (await repos.subjects.findByDocuments(sealed.person.documents.map((d) => d.doc_bidx))).values()) conflict(holder);
      await repos.subjects.insertPeople([sealed.person]);
      subjectId = sealed.person.subject.id;
    } else {
      subjectId = input.subjectId!;
      if (subjectId === kase.subject_id) throw invalid('subjectId', 'is the case\'s own subject');
      if (await repos.contacts.exists(caseId, subjectId)) throw new ServiceError('ERR_CONFLICT', 'this person is already a contact of this case', 'subjectId');
    }
    const s = await openSubject(ctx, repos, subjectId);
    const { link } = await recordCloseContact(ctx, repos, req, {
      caseId, caseJurisdiction: kase.jurisdiction_code, subjectId, dek: s.dek, exposure, creating: authorized, followUp: authorized, quarantineDays: settings.quarantine.days,
    });
    return contactView(req, link, s, authorized, (await revealGrantsOf(repos, req, [subjectId])).get(subjectId) ?? []);
  }));
}

export interface ExposureChange {
  exposureType?: ExposureType;
  exposureDate?: string;
  setting?: string | null;
  quarantineStart?: string | null;
  quarantineEnd?: string | null;
}

/** Changes a contact's exposure or quarantine dates (under quarantine follow-up: the dates only). */
export async function updateContact(ctx: AppContext, req: StaffRequest, id: string, change: ExposureChange): Promise<ContactView> {
  const authorized = await authorize(ctx, req, 'update', { type: 'contact', id });
  checkOnlyFields(authorized.obligations.onlyFields, change);
  const today = todayOf(req);
  return ctx.store.transaction(async (repos) => {
    const row = await repos.contacts.get(id);
    if (!row) throw notFound();
    const s = await openSubject(ctx, repos, row.contact_subject_id);
    const old = openSubjectJson<ContactExposure>(s.dek, s.id, 'contact_links', id, row.sealed);
    const pick = <K extends keyof ExposureChange>(k: K, v: ExposureChange[K] | undefined) => (change[k] !== undefined ? change[k] : v);
    const exposure = validateExposure({
      exposureType: change.exposureType ?? old.exposureType,
      exposureDate: change.exposureDate ?? old.exposureDate,
      setting: pick('setting', old.setting ?? null),
      quarantineStart: pick('quarantineStart', old.quarantineStart ?? null),
      quarantineEnd: pick('quarantineEnd', old.quarantineEnd ?? null),
    }, today, '');
    const sealed = sealSubjectJson(s.dek, s.id, 'contact_links', id, exposure);
    await repos.contacts.updateSealed(id, sealed);
    await recomputeRiskStatus(ctx, repos, [row.contact_subject_id], req.now);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'update', authorized));
    return contactView(req, { ...row, sealed }, s, authorized, (await revealGrantsOf(repos, req, [s.id])).get(s.id) ?? []);
  });
}

function contactView(req: StaffRequest, row: ContactRow, s: OpenSubject, authorized: Authorized, grants: Authorized['grants']): ContactView {
  const e = openSubjectJson<ContactExposure>(s.dek, s.id, 'contact_links', row.id, row.sealed);
  return {
    id: row.id,
    caseId: row.case_id,
    createdAt: row.created_at,
    subject: { id: s.id, jurisdictionCode: s.jurisdictionCode, identity: maskIdentity(s.identity, s.jurisdictionCode, authorized.obligations, grants, req.now) },
    exposure: {
      exposureType: e.exposureType, exposureDate: e.exposureDate, setting: e.setting ?? null,
      quarantineStart: e.quarantineStart ?? null, quarantineEnd: e.quarantineEnd ?? null,
    },
  };
}

