/**
 * Cases for staff (docs/STAFF-API.md): the list of the actor's scope, one case in detail, opening
 * a case for a new person or a registered subject, and changing its classification, dates and
 * outcome. Every use case is authorize → load → decrypt and mask → audit → return, the audit event
 * appended before anything is returned and in the same transaction as any change.
 */
import { timeOrderedId } from '../crypto/index.ts';
import { jurisdictionPrefix } from '../domain/jurisdiction.ts';
import { MASKABLE_FIELDS } from '../domain/masking.ts';
import type { CaseDetails, Classification, Outcome } from '../domain/model.ts';
import type { CaseDetailView, CaseSummaryView, CreatedCase } from '../domain/views/cases.ts';
import type { Page } from '../domain/views/page.ts';
import type { CaseRow } from '../storage/case.repository.ts';
import type { Repositories } from '../storage/store.ts';
import type { AppContext } from './app-context.ts';
import { accessAudit, authorize, authorizeLoaded, filterAllowed, loadCaseRead, maskIdentity } from './access.service.ts';
import type { Action, ResourceType } from '../policy/types.ts';
import type { Authorized, CaseRead } from './access.service.ts';
import { appendAudit } from './audit.service.ts';
import { notFound, ServiceError } from './errors.ts';
import { allows, auditAll, checkOnlyFields, invalid, openSubjects, refusingDuplicates, subjectKey, todayOf } from './staff-records.ts';
import type { StaffRequest } from './staff-context.ts';
import { decodeCursor, detailsOf, encodeCursor, validateCaseFields, validatePersonWithCase } from './staff-input.ts';
import type { CaseFields, PersonFields } from './staff-input.ts';
import { generatedCaseNumber, openCaseDetails, openIdentity, sealPerson, sealSubjectJson, unwrapDataKey } from './subject-cipher.ts';
import { onCaseConfirmed } from './tracing/discovery.service.ts';
import { recomputeRiskStatus } from './tracing/risk-status.service.ts';

export interface CaseListQuery {
  classification?: Classification;
  jurisdiction?: string;
  assigned?: 'me';
  reportFrom?: string;
  reportTo?: string;
  cursor?: string;
  limit: number;
}

/**
 * The cases of the actor's scope, newest report first: filtered in SQL by jurisdiction prefix
 * (and, where the policy says so, to the actor's assignments), then each case authorized for
 * reading; subjects' names masked unless revealed. One audit event per case shown.
 */
export async function listCases(ctx: AppContext, req: StaffRequest, q: CaseListQuery): Promise<Page<CaseSummaryView>> {
  const scope = q.jurisdiction ?? req.actor.jurisdiction;
  const prefix = jurisdictionPrefix(scope);
  if (prefix === undefined) throw invalid('jurisdiction', 'is not a known GB/T 2260 division code');
  const after = decodeCursor(q.cursor, 2);
  if (q.reportFrom && q.reportTo && q.reportFrom > q.reportTo) throw invalid('reportTo', 'is before reportFrom');
  const { obligations } = await authorize(ctx, req, 'list', { type: 'case', scope });
  return ctx.store.transaction(async (repos) => {
    const rows = await repos.cases.listCases({
      jurisdictionPrefix: prefix,
      ...(q.classification ? { classification: q.classification } : {}),
      ...(q.assigned === 'me' || obligations.restrictToAssigned ? { assignedTo: req.actor.id } : {}),
      ...(q.reportFrom ? { reportFrom: q.reportFrom } : {}),
      ...(q.reportTo ? { reportTo: q.reportTo } : {}),
      ...(after ? { after: { reportDate: after[0]!, id: after[1]! } } : {}),
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const byId = new Map(page.map((r) => [r.id, r]));
    const allowed = await filterAllowed(repos, req, 'read', page.map((r) => ({ type: 'case' as const, id: r.id })));
    const subjects = await openSubjects(ctx, repos, allowed.map((a) => byId.get(a.target.id)!.subject_id));
    const items: CaseSummaryView[] = [];
    for (const { target, authorized } of allowed) {
      const c = byId.get(target.id)!;
      const s = subjects.get(c.subject_id);
      if (!s) continue;
      const identity = maskIdentity(s.identity, s.jurisdictionCode, authorized.obligations, authorized.grants, req.now);
      items.push({ ...summaryOf(c), subject: { id: s.id, name: identity.name, sex: s.identity.sex } });
    }
    const audit = items.length > 0
      ? allowed.filter((a) => items.some((i) => i.id === a.target.id)).map((a) => accessAudit(req, 'list', a.authorized))
      : [{ action: 'list', resourceType: 'case', purpose: req.purpose, outcome: 'success' as const, requestId: req.requestId }];
    await auditAll(ctx, repos, req, audit);
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.report_date, last.id]) : null };
  });
}

/**
 * One case: the case, its subject masked, how many contacts, who works on it, and what the viewer
 * may do. The case, its facts and its subject's sealed identity are read together (loadCaseRead:
 * three queries), the policy decides on those facts, and only then is anything decrypted.
 */
export async function readCase(ctx: AppContext, req: StaffRequest, id: string): Promise<CaseDetailView> {
  const loaded = await loadCaseRead(ctx.store, req, id);
  const authorized = await authorizeLoaded(ctx, req, 'read', { type: 'case', id }, loaded?.facts, loaded?.grants ?? []);
  const view = caseDetail(ctx, req, loaded!, authorized);
  // The read's audit event is committed (in a group with concurrent reads) before the view is returned;
  // if it cannot be written, the request fails and nothing is returned (fail closed).
  await ctx.auditWriter.append(req.actor, accessAudit(req, 'read', authorized));
  return view;
}

export interface CreateCaseInput {
  person?: PersonFields;
  subjectId?: string;
  case: CaseFields;
}

/**
 * Opens a case. For a new person, the person and the case are validated together as an import
 * row would be, and a person whose document is already registered is a conflict. For a registered
 * subject, the viewer must be able to read that subject. Investigators and tracers who open a case
 * are assigned to it.
 */
export async function createCase(ctx: AppContext, req: StaffRequest, input: CreateCaseInput): Promise<CreatedCase> {
  if ((input.person === undefined) === (input.subjectId === undefined)) throw invalid('person', 'or subjectId is required, not both');
  const created = await (input.person ? createForNewPerson(ctx, req, input.person, input.case) : createForSubject(ctx, req, input.subjectId!, input.case));
  if (input.case.classification === 'confirmed') await onCaseConfirmed(ctx, req, created.id, ctx.settings.tracing);
  return created;
}

async function createForNewPerson(ctx: AppContext, req: StaffRequest, fields: PersonFields, caseFields: CaseFields): Promise<CreatedCase> {
  const { person, kase } = validatePersonWithCase(fields, caseFields, todayOf(req));
  await authorize(ctx, req, 'create', { type: 'case', scope: person.jurisdictionCode });
  await authorize(ctx, req, 'create', { type: 'subject', scope: person.jurisdictionCode });
  const now = new Date().toISOString();
  const sealed = sealPerson({ ...ctx.keys, root: ctx.keys.keyring.current() }, person, kase, now);
  const caseRow = sealed.case!;
  return refusingDuplicates(ctx, req, (conflict) => ctx.store.transaction(async (repos) => {
    const holders = await repos.subjects.findByDocuments(sealed.person.documents.map((d) => d.doc_bidx));
    for (const holder of holders.values()) conflict(holder);
    await checkCaseNumber(repos, caseRow.case_number);
    await repos.subjects.insertPeople([sealed.person]);
    await repos.cases.insertCases([caseRow]);
    await appendAudit(repos, ctx.keys, req.actor, { action: 'create', resourceType: 'case', resourceId: caseRow.id, subjectRef: sealed.subjectRef, purpose: req.purpose, outcome: 'success', requestId: req.requestId });
    await assignCreator(ctx, repos, req, caseRow.id, sealed.subjectRef, now);
    return { id: caseRow.id, caseNumber: caseRow.case_number, subjectId: sealed.person.subject.id };
  }));
}

async function createForSubject(ctx: AppContext, req: StaffRequest, subjectId: string, caseFields: CaseFields): Promise<CreatedCase> {
  const kase = validateCaseFields(caseFields, todayOf(req));
  await authorize(ctx, req, 'read', { type: 'subject', id: subjectId });
  const creating = await authorize(ctx, req, 'create', { type: 'case', parent: { type: 'subject', id: subjectId } });
  return ctx.store.transaction(async (repos) => {
    const subject = await repos.subjects.getSubject(subjectId);
    if (!subject) throw notFound();
    const dek = await subjectKey(ctx, repos, subjectId);
    const now = new Date().toISOString();
    const id = timeOrderedId('c', now);
    const caseNumber = kase.caseNumber || generatedCaseNumber(subject.jurisdiction_code, kase.reportDate, id);
    await checkCaseNumber(repos, caseNumber);
    const details: CaseDetails = detailsOf(kase);
    await repos.cases.insertCases([{
      id, subject_id: subjectId, case_number: caseNumber, classification: kase.classification, jurisdiction_code: subject.jurisdiction_code,
      report_date: kase.reportDate, confirmation_date: kase.confirmationDate ?? null, sealed: sealSubjectJson(dek, subjectId, 'cases', id, details), created_at: now,
    }]);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'create', creating, { resourceType: 'case', resourceId: id, subjectId }));
    await assignCreator(ctx, repos, req, id, null, now, subjectId);
    return { id, caseNumber, subjectId };
  });
}

export interface CaseChangeInput {
  classification?: Classification;
  reportDate?: string;
  confirmationDate?: string | null;
  onsetDate?: string | null;
  outcome?: Outcome | null;
  source?: string | null;
}

/** Changes a case's classification, dates, outcome or source; the whole case is validated again. */
export async function updateCase(ctx: AppContext, req: StaffRequest, id: string, change: CaseChangeInput): Promise<CaseDetailView> {
  const authorized = await authorize(ctx, req, 'update', { type: 'case', id });
  checkOnlyFields(authorized.obligations.onlyFields, change);
  const today = todayOf(req);
  const view = await ctx.store.transaction(async (repos) => {
    const c = await repos.cases.getCase(id);
    if (!c) throw notFound();
    const dek = await subjectKey(ctx, repos, c.subject_id);
    const old = openCaseDetails(dek, c.subject_id, c.id, c.sealed);
    const merged = validateCaseFields({
      classification: change.classification ?? (c.classification as Classification),
      reportDate: change.reportDate ?? c.report_date,
      confirmationDate: change.confirmationDate !== undefined ? change.confirmationDate : c.confirmation_date,
      onsetDate: change.onsetDate !== undefined ? change.onsetDate : old.onsetDate ?? null,
      outcome: change.outcome !== undefined ? change.outcome : old.outcome ?? null,
      source: change.source !== undefined ? change.source : old.source ?? null,
    }, today, '');
    await repos.cases.updateCase(id, {
      classification: merged.classification, report_date: merged.reportDate, confirmation_date: merged.confirmationDate ?? null,
      sealed: sealSubjectJson(dek, c.subject_id, 'cases', id, detailsOf(merged)),
    });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'update', authorized));
    const loaded = await loadCaseRead(repos, req, id);
    if (!loaded) throw notFound();
    return caseDetail(ctx, req, loaded, authorized);
  });
  if (change.classification === 'confirmed') await onCaseConfirmed(ctx, req, id, ctx.settings.tracing);
  else await ctx.store.transaction((repos) => recomputeRiskStatus(ctx, repos, [view.subject.id], req.now));
  return view;
}

function summaryOf(c: CaseRow): Omit<CaseSummaryView, 'subject'> {
  return {
    id: c.id, caseNumber: c.case_number, classification: c.classification as Classification, jurisdictionCode: c.jurisdiction_code,
    reportDate: c.report_date, confirmationDate: c.confirmation_date,
  };
}

/**
 * The view of a loaded case for a viewer the policy allowed (`authorized`: its obligations and
 * grants mask the identity, its facts answer the abilities that concern the case).
 */
function caseDetail(ctx: AppContext, req: StaffRequest, loaded: CaseRead, authorized: Authorized): CaseDetailView {
  const c = loaded.row;
  if (c.identity_sealed === null || c.key_wrapped === null || c.key_root_version === null) throw notFound();
  const dek = unwrapDataKey(ctx.keys.keyring.get(c.key_root_version), c.subject_id, c.key_wrapped);
  const identity = openIdentity(dek, c.subject_id, c.identity_sealed);
  const details = openCaseDetails(dek, c.subject_id, c.id, c.sealed);
  const facts = authorized.facts;
  // The subject's facts (loaded with the case) answer the abilities that concern the subject.
  const onSubject = (action: Action, type: ResourceType, asRecord = true) => allows(req, action, loaded.subjectFacts, type, asRecord);
  const canReveal = onSubject('reveal', 'subject');
  return {
    ...summaryOf(c),
    onsetDate: details.onsetDate ?? null,
    outcome: details.outcome ?? null,
    source: details.source ?? null,
    createdAt: c.created_at,
    subject: { id: c.subject_id, jurisdictionCode: c.subject_jurisdiction_code, identity: maskIdentity(identity, c.subject_jurisdiction_code, authorized.obligations, authorized.grants, req.now) },
    contacts: { total: c.contact_count },
    assignedStaff: [...(loaded.facts.assignedStaff ?? [])].sort(),
    viaBreakGlass: authorized.obligations.viaBreakGlass,
    abilities: {
      update: allows(req, 'update', facts, 'case'),
      addContact: allows(req, 'create', facts, 'contact', false),
      addNote: allows(req, 'create', facts, 'note', false),
      assign: allows(req, 'assign', facts, 'assignment'),
      breakGlass: allows(req, 'break_glass', facts, 'case'),
      addTravel: onSubject('create', 'travel', false),
      editSubject: onSubject('update', 'subject'),
      reveal: canReveal ? [...MASKABLE_FIELDS] : [],
    },
  };
}

async function checkCaseNumber(repos: Repositories, caseNumber: string): Promise<void> {
  if ((await repos.cases.caseNumbersExisting([caseNumber])).size > 0) throw new ServiceError('ERR_CONFLICT', 'this case number is already in use', 'case.caseNumber');
}

/** Investigators and tracers who open a case work on it: they are assigned, and the assignment is audited. */
async function assignCreator(ctx: AppContext, repos: Repositories, req: StaffRequest, caseId: string, subjectRef: string | null, now: string, subjectId?: string): Promise<void> {
  if (req.actor.role !== 'investigator' && req.actor.role !== 'tracer') return;
  await repos.cases.assign(caseId, req.actor.id, now);
  await appendAudit(repos, ctx.keys, req.actor, {
    action: 'assign', resourceType: 'assignment', resourceId: caseId, ...(subjectRef ? { subjectRef } : { subjectId: subjectId ?? null }),
    purpose: req.purpose, reason: `staff:${req.actor.id}`, outcome: 'success', requestId: req.requestId,
  });
}
