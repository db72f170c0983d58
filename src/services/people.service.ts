import type { AppContext } from './app-context.ts';
import { appendAudit, toAuditRow } from './audit.service.ts';
import type { SealedPerson } from './subject-cipher.ts';
import { documentIndexes, openCaseDetails, openIdentity, unwrapDataKey } from './subject-cipher.ts';
import { documentIndex } from '../crypto/index.ts';
import type { CaseDetails, DocumentType, Identity } from '../domain/model.ts';
import { DOCUMENT_TYPES } from '../domain/model.ts';
import { normalizeDocumentNumber } from '../domain/documents.ts';
import { notFound } from './errors.ts';
import { rewrapOvertaken, underCurrentRoot } from './key-currency.ts';
import type { RootKey } from '../crypto/index.ts';

export interface RegisterOptions {
  purpose: string;
  /** Progress marker written in the same transaction (resumable jobs). */
  progress?: { job: string; cursor: string };
  /**
   * The root key the batch's data keys were wrapped with, when it may be older than the current one
   * (a sealing pool started before a rotation): the keys are rewrapped to the current version (key-currency.ts).
   */
  sealedWith?: RootKey;
}

export interface RegisterResult {
  created: number;
  /** Rows whose document (type and number) is already registered, or repeated in the batch. */
  duplicates: number;
  /** Subject ids created, in input order (null for duplicates). */
  subjectIds: (string | null)[];
}

/**
 * Registers sealed people in one transaction: drops those whose document is already known (so
 * an import run twice creates nobody twice), inserts the rest with their cases, one audit event
 * per created record, and the job's progress marker. All of it commits together or not at all.
 */
export async function registerPeople(ctx: AppContext, sealed: readonly SealedPerson[], options: RegisterOptions): Promise<RegisterResult> {
  const now = new Date().toISOString();
  return ctx.store.transaction(async (repos) => {
    const existing = await repos.subjects.findByDocuments(sealed.flatMap((s) => s.person.documents.map((d) => d.doc_bidx)));
    const seen = new Set(existing.keys());
    const fresh: SealedPerson[] = [];
    const subjectIds: (string | null)[] = [];
    for (const s of sealed) {
      if (s.documentKeys.some((k) => seen.has(k))) {
        subjectIds.push(null);
        continue;
      }
      s.documentKeys.forEach((k) => seen.add(k));
      fresh.push(s);
      subjectIds.push(s.person.subject.id);
    }
    const current = options.sealedWith ? underCurrentRoot(ctx.keys.keyring, options.sealedWith, fresh) : null;
    const rows = current?.rows ?? fresh;
    await repos.subjects.insertPeople(rows.map((s) => s.person));
    const cases = fresh.flatMap((s) => (s.case ? [s.case] : []));
    await repos.cases.insertCases(cases);
    await repos.audit.appendMany(fresh.map((s) => toAuditRow(ctx.keys, ctx.actor, {
        action: 'create',
        resourceType: s.case ? 'case' : 'subject',
        resourceId: s.case?.id ?? null,
        subjectRef: s.subjectRef,
        purpose: options.purpose,
        outcome: 'success',
      }, now)));
    if (options.progress) await repos.system.setProgress(options.progress.job, options.progress.cursor, now);
    if (current && rows.length > 0) await rewrapOvertaken(repos, ctx.keys.keyring, current.root, rows.map((s) => s.person.key));
    return { created: fresh.length, duplicates: sealed.length - fresh.length, subjectIds };
  });
}

export interface PersonView {
  subjectId: string;
  jurisdictionCode: string;
  streetCode: string | null;
  identity: Identity;
  cases: { id: string; caseNumber: string; classification: string; reportDate: string; confirmationDate: string | null; details: CaseDetails }[];
}

/**
 * Reads one person in full. The read is audited before anything is decrypted or returned; if the
 * audit write fails, nothing is returned. (Access control and masking come with staff sign-in.)
 */
export async function readPerson(ctx: AppContext, subjectId: string, purpose: string, reason?: string): Promise<PersonView> {
  const audit = { action: 'read', resourceType: 'subject', subjectId, purpose, reason: reason ?? null } as const;
  const view = await ctx.store.transaction(async (repos) => {
    const subject = await repos.subjects.getSubject(subjectId);
    const identityRow = await repos.subjects.getIdentity(subjectId);
    const keyRow = await repos.subjects.getKey(subjectId);
    if (!subject || !identityRow || !keyRow) return null;
    await appendAudit(repos, ctx.keys, ctx.actor, { ...audit, outcome: 'success' });
    const dek = unwrapDataKey(ctx.keys.keyring.get(keyRow.root_version), subjectId, keyRow.wrapped);
    const cases = await repos.cases.casesOfSubject(subjectId);
    return {
      subjectId,
      jurisdictionCode: subject.jurisdiction_code,
      streetCode: subject.street_code,
      identity: openIdentity(dek, subjectId, identityRow.sealed),
      cases: cases.map((c) => ({
        id: c.id, caseNumber: c.case_number, classification: c.classification, reportDate: c.report_date,
        confirmationDate: c.confirmation_date, details: openCaseDetails(dek, subjectId, c.id, c.sealed),
      })),
    };
  });
  if (view) return view;
  // The failed attempt is recorded in its own transaction, so that it survives the error.
  await ctx.store.transaction((repos) => appendAudit(repos, ctx.keys, ctx.actor, { ...audit, outcome: 'failure' }));
  throw notFound();
}

/** Finds subjects by document number (any document type, or one type) through the blind index; audited as a search. */
export async function findByDocument(ctx: AppContext, number: string, purpose: string, type?: DocumentType, country?: string): Promise<string[]> {
  const types = type ? [type] : DOCUMENT_TYPES.filter((t) => t !== 'passport' || country);
  const bidx = types.map((t) => documentIndex(ctx.keys.documentIndex, t, normalizeDocumentNumber(t, number, country)));
  return ctx.store.transaction(async (repos) => {
    const found = [...new Set((await repos.subjects.findByDocuments(bidx)).values())];
    await appendAudit(repos, ctx.keys, ctx.actor, { action: 'search', resourceType: 'subject', purpose, outcome: 'success' });
    return found;
  });
}

export { documentIndexes };
