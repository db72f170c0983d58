/**
 * Secondary contacts (contacts of a close contact; docs/TRACING.md "Follow-up"): recorded against
 * the close contact's link, so they belong to the same case's tracers; the exposure is sealed
 * under the secondary contact's own key. Their risk status follows the rules (default: yellow).
 */
import { randomId } from '../../crypto/index.ts';
import { EXPOSURE_TYPES } from '../../domain/model.ts';
import type { ExposureType } from '../../domain/model.ts';
import type { SecondaryContactView } from '../../domain/views/tracing.ts';
import type { AppContext } from '../app-context.ts';
import { accessAudit, authorize, maskIdentity, revealGrantsOf } from '../access.service.ts';
import { appendAudit } from '../audit.service.ts';
import { notFound, ServiceError } from '../errors.ts';
import { auditAll, invalid, openSubjects, todayOf } from '../staff-records.ts';
import type { StaffRequest } from '../staff-context.ts';
import { validateExposure, validatePerson } from '../staff-input.ts';
import type { PersonFields } from '../staff-input.ts';
import { openSubjectJson, sealPerson, sealSubjectJson } from '../subject-cipher.ts';
import { recomputeRiskStatus } from './risk-status.service.ts';
import { authorizeFacts } from './tracing-access.ts';
import { dataKeyOf } from './tracing-records.ts';
import type { SecondaryExposure } from './tracing-records.ts';

export interface SecondaryInput {
  subjectId?: string;
  person?: PersonFields;
  exposure: { exposureType: ExposureType; exposureDate: string; setting?: string | null };
}

async function authorizeLink(ctx: AppContext, req: StaffRequest, action: 'create' | 'list', linkId: string) {
  const link = await ctx.store.contacts.get(linkId);
  if (!link) return { link: undefined as never, authorized: await authorizeFacts(ctx, req, action, 'secondary_contact', linkId, undefined) };
  return { link, authorized: await authorize(ctx, req, action, { type: 'secondary_contact', parent: { type: 'case', id: link.case_id } }) };
}

/** Records a contact of a close contact: a new person, or a registered subject the viewer may read. */
export async function addSecondaryContact(ctx: AppContext, req: StaffRequest, linkId: string, input: SecondaryInput): Promise<SecondaryContactView> {
  const today = todayOf(req);
  if ((input.person === undefined) === (input.subjectId === undefined)) throw invalid('person', 'or subjectId is required, not both');
  if (!(EXPOSURE_TYPES as readonly string[]).includes(input.exposure?.exposureType)) throw invalid('exposure.exposureType', `must be one of ${EXPOSURE_TYPES.join(', ')}`);
  const checked = validateExposure({ exposureType: input.exposure.exposureType, exposureDate: input.exposure.exposureDate, setting: input.exposure.setting ?? null }, today);
  const person = input.person ? validatePerson(input.person, today) : null;
  const { link, authorized } = await authorizeLink(ctx, req, 'create', linkId);
  if (person) await authorize(ctx, req, 'create', { type: 'subject', scope: person.jurisdictionCode });
  else await authorize(ctx, req, 'read', { type: 'subject', id: input.subjectId! });
  const sealed = person ? sealPerson({ ...ctx.keys, root: ctx.keys.keyring.current() }, person, null, req.now.toISOString()) : null;
  const exposure: SecondaryExposure = { exposureType: checked.exposureType, exposureDate: checked.exposureDate, setting: checked.setting ?? null };
  return ctx.store.transaction(async (repos) => {
    let subjectId: string;
    if (sealed) {
      if ((await repos.subjects.findByDocuments(sealed.person.documents.map((d) => d.doc_bidx))).size > 0) {
        throw new ServiceError('ERR_CONFLICT', 'a person with this document is already registered; search for them and use subjectId', 'person.documentNumber');
      }
      await repos.subjects.insertPeople([sealed.person]);
      subjectId = sealed.person.subject.id;
    } else {
      subjectId = input.subjectId!;
      if (subjectId === link.contact_subject_id) throw invalid('subjectId', 'is the close contact themselves');
      if ((await repos.tracing.secondariesOfLinks([linkId])).some((s) => s.subject_id === subjectId)) throw new ServiceError('ERR_CONFLICT', 'this person is already a contact of this close contact', 'subjectId');
    }
    const id = randomId('sc');
    const dek = await dataKeyOf(ctx, repos, subjectId);
    const row = { id, contact_link_id: linkId, subject_id: subjectId, sealed: sealSubjectJson(dek, subjectId, 'secondary_contacts', id, exposure), created_by: req.actor.id, created_at: req.now.toISOString() };
    await repos.tracing.insertSecondary(row);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'create', authorized, { resourceType: 'secondary_contact', resourceId: id, subjectId }));
    await recomputeRiskStatus(ctx, repos, [subjectId], req.now);
    const s = (await openSubjects(ctx, repos, [subjectId])).get(subjectId);
    if (!s) throw notFound();
    const grants = (await revealGrantsOf(repos, req, [subjectId])).get(subjectId) ?? [];
    return { id, contactId: linkId, createdAt: row.created_at, subject: { id: s.id, jurisdictionCode: s.jurisdictionCode, identity: maskIdentity(s.identity, s.jurisdictionCode, authorized.obligations, grants, req.now) }, exposure };
  });
}

/** The secondary contacts of a close contact, masked; one audit event per person shown. */
export async function listSecondaryContacts(ctx: AppContext, req: StaffRequest, linkId: string): Promise<SecondaryContactView[]> {
  const { authorized } = await authorizeLink(ctx, req, 'list', linkId);
  return ctx.store.transaction(async (repos) => {
    const rows = await repos.tracing.secondariesOfLinks([linkId]);
    const subjects = await openSubjects(ctx, repos, rows.map((r) => r.subject_id));
    const grants = await revealGrantsOf(repos, req, [...subjects.keys()]);
    const views = rows.flatMap((r): SecondaryContactView[] => {
      const s = subjects.get(r.subject_id);
      if (!s) return [];
      return [{
        id: r.id, contactId: linkId, createdAt: r.created_at, exposure: openSubjectJson<SecondaryExposure>(s.dek, s.id, 'secondary_contacts', r.id, r.sealed),
        subject: { id: s.id, jurisdictionCode: s.jurisdictionCode, identity: maskIdentity(s.identity, s.jurisdictionCode, authorized.obligations, grants.get(s.id) ?? [], req.now) },
      }];
    });
    await auditAll(ctx, repos, req, views.length > 0
      ? views.map((v) => accessAudit(req, 'list', authorized, { resourceType: 'secondary_contact', resourceId: v.id, subjectId: v.subject.id }))
      : [accessAudit(req, 'list', authorized, { resourceType: 'secondary_contact', resourceId: linkId })]);
    return views;
  });
}
