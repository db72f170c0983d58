/**
 * A subject (a person) for staff: read with the identity masked, and edit identity fields. An edit
 * seals the whole identity again and updates the blind indexes (name bucket, phone, documents), so
 * search finds the person under the new values only.
 */
import { nameIndex, phoneIndex } from '../crypto/index.ts';
import { MASKABLE_FIELDS } from '../domain/masking.ts';
import type { DocumentType, Identity, IdentityDocument, Sex } from '../domain/model.ts';
import { normalizeName } from '../domain/name.ts';
import type { SubjectView } from '../domain/views/cases.ts';
import type { Repositories } from '../storage/store.ts';
import type { AppContext } from './app-context.ts';
import { accessAudit, authorize, maskIdentity } from './access.service.ts';
import type { Authorized } from './access.service.ts';
import { appendAudit } from './audit.service.ts';
import { ServiceError } from './errors.ts';
import { checkOnlyFields, may, openSubject, todayOf } from './staff-records.ts';
import type { OpenSubject } from './staff-records.ts';
import type { StaffRequest } from './staff-context.ts';
import { validateIdentity } from './staff-input.ts';
import { documentIndexes, sealSubjectJson } from './subject-cipher.ts';

export interface IdentityChange {
  name?: string;
  documentType?: DocumentType;
  documentNumber?: string;
  documentCountry?: string;
  phone?: string;
  address?: string;
  birthDate?: string;
  sex?: Sex;
  occupation?: string | null;
  employer?: string | null;
}

/** One subject, identity masked unless revealed, with what the viewer may do with it. */
export async function readSubject(ctx: AppContext, req: StaffRequest, id: string): Promise<SubjectView> {
  const authorized = await authorize(ctx, req, 'read', { type: 'subject', id });
  return ctx.store.transaction(async (repos) => {
    const s = await openSubject(ctx, repos, id);
    const view = await subjectView(repos, req, s, authorized);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'read', authorized));
    return view;
  });
}

/**
 * Changes identity fields. The edited identity is validated as a whole as an import row would be
 * (a changed birth date must still agree with the resident ID number); a document registered to
 * another subject is a conflict.
 */
export async function updateSubject(ctx: AppContext, req: StaffRequest, id: string, change: IdentityChange): Promise<SubjectView> {
  const authorized = await authorize(ctx, req, 'update', { type: 'subject', id });
  checkOnlyFields(authorized.obligations.onlyFields, change);
  const today = todayOf(req);
  return ctx.store.transaction(async (repos) => {
    const s = await openSubject(ctx, repos, id);
    const identity = validateIdentity(applyChange(s.identity, change), s.jurisdictionCode, s.streetCode, today);
    const docs = documentIndexes(ctx.keys.documentIndex, identity);
    const holders = await repos.subjects.findByDocuments(docs);
    if ([...holders.values()].some((holder) => holder !== id)) throw new ServiceError('ERR_CONFLICT', 'this document is registered to another person', 'documentNumber');
    await repos.subjects.updateIdentity(id, {
      sealed: sealSubjectJson(s.dek, id, 'identities', id, identity),
      name_bidx: nameIndex(ctx.keys.nameIndex, normalizeName(identity.name)),
      phone_bidx: identity.phone ? phoneIndex(ctx.keys.phoneIndex, identity.phone) : null,
      updated_at: new Date().toISOString(),
    });
    await repos.subjects.replaceDocuments(id, docs);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'update', authorized));
    return subjectView(repos, req, { ...s, identity }, authorized);
  });
}

/** The stored identity with the changed fields; a document change replaces the first document. */
function applyChange(identity: Identity, change: IdentityChange): Identity {
  const next: Identity = { ...identity, documents: [...identity.documents] };
  if (change.name !== undefined) next.name = change.name;
  if (change.phone !== undefined) next.phone = change.phone;
  if (change.address !== undefined) next.address = change.address;
  if (change.birthDate !== undefined) next.birthDate = change.birthDate;
  if (change.sex !== undefined) next.sex = change.sex;
  if (change.occupation !== undefined) {
    if (change.occupation === null) delete next.occupation;
    else next.occupation = change.occupation;
  }
  if (change.employer !== undefined) {
    if (change.employer === null) delete next.employer;
    else next.employer = change.employer;
  }
  if (change.documentType !== undefined || change.documentNumber !== undefined || change.documentCountry !== undefined) {
    const first = next.documents[0];
    const type = change.documentType ?? first?.type ?? 'resident_id';
    const doc: IdentityDocument = { type, number: change.documentNumber ?? first?.number ?? '' };
    const country = change.documentCountry ?? (type === first?.type ? first?.country : undefined);
    if (type === 'passport' && country) doc.country = country.toUpperCase();
    next.documents = [doc, ...next.documents.slice(1)];
  }
  return next;
}

async function subjectView(repos: Repositories, req: StaffRequest, s: OpenSubject, authorized: Authorized): Promise<SubjectView> {
  const target = { type: 'subject' as const, id: s.id };
  return {
    id: s.id,
    jurisdictionCode: s.jurisdictionCode,
    streetCode: s.streetCode,
    identity: maskIdentity(s.identity, s.jurisdictionCode, authorized.obligations, authorized.grants, req.now),
    abilities: {
      edit: await may(repos, req, 'update', target),
      addTravel: await may(repos, req, 'create', { type: 'travel', parent: target }),
      reveal: (await may(repos, req, 'reveal', target)) ? [...MASKABLE_FIELDS] : [],
    },
  };
}
