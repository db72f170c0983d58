/**
 * Contact discovery for staff (docs/TRACING.md "Discovery"): run it for a case (on confirmation or
 * on demand), list its candidates ranked by overlap with identities masked, confirm one (a close
 * contact with the exposure, a quarantine, and a hand-over when the person lives in another
 * jurisdiction) or dismiss one with a reason. Finding candidates is the engine's token join
 * (discovery-engine.ts); here are the policy, the records and the audit.
 */
import { randomId } from '../../crypto/index.ts';
import type { ExposureType } from '../../domain/model.ts';
import { DISMISS_REASONS } from '../../domain/views/tracing.ts';
import type { CandidateView, Confirmed, DiscoveryResult, DismissReason } from '../../domain/views/tracing.ts';
import { dateOf, infectiousWindow } from '../../tracing/interval.ts';
import type { TracingSettings } from '../../tracing/settings.ts';
import type { CandidateRow, TracingCaseRow } from '../../storage/tracing.repository.ts';
import type { RankedCandidate } from '../../tracing/ranking.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { accessAudit, authorize, requireReason } from '../access.service.ts';
import type { Authorized } from '../access.service.ts';
import { appendAudit } from '../audit.service.ts';
import { notFound, ServiceError } from '../errors.ts';
import { auditAll, invalid, todayOf } from '../staff-records.ts';
import type { StaffRequest } from '../staff-context.ts';
import { validateExposure } from '../staff-input.ts';
import { openCaseDetails, openSubjectJson, sealSubjectJson } from '../subject-cipher.ts';
import { candidateViews } from './candidate-view.ts';
import { discoverForTrails, loadCaseTrails } from './discovery-engine.ts';
import type { DiscoveryProbe } from './discovery-engine.ts';
import { recordCloseContact } from './close-contact.ts';
import { recomputeRiskStatus } from './risk-status.service.ts';
import { authorizeFacts } from './tracing-access.ts';
import { dataKeyOf, iso } from './tracing-records.ts';
import type { CandidateDetails, DismissalNote } from './tracing-records.ts';

/** Re-exported for the route schemas (src/http/routes/tracing.schema.ts); declared with the views. */

export interface DiscoveryOptions {
  readonly settings?: TracingSettings;
  readonly probe?: DiscoveryProbe;
}

/**
 * Runs discovery for a case: the case's trail in its infectious window against everyone's tokens.
 * Candidates are stored (a new run refreshes them; confirmed and dismissed ones keep their
 * decision; open ones no longer found are dropped) and returned ranked, masked, each audited.
 */
export async function runDiscovery(ctx: AppContext, req: StaffRequest, caseId: string, options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const settings = options.settings ?? ctx.settings.tracing;
  const authorized = await authorize(ctx, req, 'create', { type: 'discovery', parent: { type: 'case', id: caseId } });
  const kase = await ctx.store.cases.getCase(caseId);
  if (!kase) throw notFound();
  const { window, ranked } = await discoverCase(ctx, kase, settings, req.now, options.probe);
  return ctx.store.transaction(async (repos) => {
    await storeCandidates(ctx, repos, caseId, ranked, req.now.toISOString());
    const views = await candidateViews(ctx, repos, req, await repos.tracing.candidatesOfCase(caseId), authorized, kase.jurisdiction_code);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'discover', authorized, { resourceType: 'discovery', resourceId: caseId, reason: `candidates:${ranked.length}` }));
    await auditAll(ctx, repos, req, views.map((v) => accessAudit(req, 'list', authorized, { resourceType: 'discovery', resourceId: v.id, subjectId: v.subject.id })));
    return { caseId, window: { start: iso(window.start), end: iso(window.end) }, bufferMinutes: settings.discovery.bufferMinutes, candidates: views };
  });
}

/**
 * Discovery when a case is confirmed: called by the case service right after it committed a case
 * whose classification became `confirmed` (the request was authorized to change the case). The
 * candidates are stored for the case's tracers to review; nothing personal is returned; one audit
 * event records the run; the case's person's risk status is recomputed. Returns how many were found.
 */
export async function onCaseConfirmed(ctx: AppContext, req: StaffRequest, caseId: string, settings: TracingSettings = ctx.settings.tracing): Promise<number> {
  const kase = await ctx.store.cases.getCase(caseId);
  if (!kase || kase.classification !== 'confirmed') return 0;
  const { ranked } = await discoverCase(ctx, kase, settings, req.now);
  return ctx.store.transaction(async (repos) => {
    await storeCandidates(ctx, repos, caseId, ranked, req.now.toISOString());
    await appendAudit(repos, ctx.keys, req.actor, { action: 'discover', resourceType: 'discovery', resourceId: caseId, subjectId: kase.subject_id, purpose: req.purpose, reason: `on_confirmation:candidates:${ranked.length}`, outcome: 'success', requestId: req.requestId });
    await recomputeRiskStatus(ctx, repos, [kase.subject_id], req.now);
    return ranked.length;
  });
}

/** The case's window and its ranked candidates (the engine; no records written). */
async function discoverCase(ctx: AppContext, kase: TracingCaseRow, settings: TracingSettings, now: Date, probe?: DiscoveryProbe) {
  const dek = await dataKeyOf(ctx, ctx.store, kase.subject_id);
  const details = openCaseDetails(dek, kase.subject_id, kase.id, kase.sealed);
  const window = infectiousWindow({ onsetDate: details.onsetDate ?? null, reportDate: kase.report_date, confirmationDate: kase.confirmation_date }, settings.discovery, now.getTime());
  const trails = await loadCaseTrails(ctx.keys, ctx.store, [{ subjectId: kase.subject_id, window }], probe);
  const { candidates } = await discoverForTrails(ctx.keys, ctx.store, trails, settings.discovery, probe);
  return { window, ranked: candidates[0]! };
}

/**
 * Stores a run's candidates: new ones open (or confirmed if already a contact of the case), known
 * ones refreshed keeping their decision, open ones no longer found dropped. Details are sealed
 * under each candidate's own key.
 */
async function storeCandidates(ctx: AppContext, repos: Repositories, caseId: string, ranked: readonly RankedCandidate[], now: string): Promise<void> {
  const existing = new Map((await repos.tracing.candidatesOfCase(caseId)).map((c) => [c.subject_id, c]));
  const contacts = new Map((await repos.tracing.linksOfCases([caseId])).map((l) => [l.contact_subject_id, l.id]));
  const keys = new Set((await repos.tracing.keysOf(ranked.map((r) => r.subjectId))).map((k) => k.subject_id));
  const found = new Set<string>();
  for (const r of ranked) {
    if (!keys.has(r.subjectId)) continue;
    found.add(r.subjectId);
    const old = existing.get(r.subjectId);
    const id = old?.id ?? randomId('dc');
    const details: CandidateDetails = { totalOverlapMs: r.totalOverlapMs, firstExposure: r.firstExposure, lastExposure: r.lastExposure, overlaps: r.overlaps.map((o) => ({ ...o })) };
    const sealed = sealSubjectJson(await dataKeyOf(ctx, repos, r.subjectId), r.subjectId, 'discovery_candidates', id, details);
    const link = contacts.get(r.subjectId) ?? null;
    if (old) await repos.tracing.updateCandidate(id, { sealed, updated_at: now, ...(old.status === 'open' && link ? { status: 'confirmed', contact_link_id: link } : {}) });
    else await repos.tracing.insertCandidates([{ id, case_id: caseId, subject_id: r.subjectId, status: link ? 'confirmed' : 'open', sealed, contact_link_id: link, created_at: now, updated_at: now }]);
  }
  await repos.tracing.deleteOpenCandidates([...existing.values()].filter((c) => !found.has(c.subject_id) && c.status === 'open').map((c) => c.id));
}

/** The stored candidates of a case, ranked, masked; one audit event per candidate shown. */
export async function listCandidates(ctx: AppContext, req: StaffRequest, caseId: string): Promise<CandidateView[]> {
  const authorized = await authorize(ctx, req, 'list', { type: 'discovery', parent: { type: 'case', id: caseId } });
  return ctx.store.transaction(async (repos) => {
    const kase = await repos.cases.getCase(caseId);
    if (!kase) throw notFound();
    const views = await candidateViews(ctx, repos, req, await repos.tracing.candidatesOfCase(caseId), authorized, kase.jurisdiction_code);
    await auditAll(ctx, repos, req, views.length > 0
      ? views.map((v) => accessAudit(req, 'list', authorized, { resourceType: 'discovery', resourceId: v.id, subjectId: v.subject.id }))
      : [accessAudit(req, 'list', authorized, { resourceType: 'discovery', resourceId: caseId })]);
    return views;
  });
}

export interface ConfirmInput {
  exposureType?: ExposureType;
  setting?: string | null;
}

/**
 * Confirms a candidate as a close contact of the case: a contact link with the exposure (last
 * shared day, the venue as setting), a quarantine from that day, the risk status recomputed; a
 * person living outside the case's jurisdiction is handed over to their own jurisdiction.
 */
export async function confirmCandidate(ctx: AppContext, req: StaffRequest, candidateId: string, input: ConfirmInput = {}, settings: TracingSettings = ctx.settings.tracing): Promise<Confirmed> {
  const { candidate, authorized } = await authorizeCandidate(ctx, req, candidateId);
  const creating = await authorize(ctx, req, 'create', { type: 'contact', parent: { type: 'case', id: candidate.case_id } });
  return ctx.store.transaction(async (repos) => {
    const c = await openCandidate(repos, candidateId, 'confirmed', req.now.toISOString());
    const kase = (await repos.cases.getCase(c.case_id))!;
    if (await repos.contacts.exists(c.case_id, c.subject_id)) throw new ServiceError('ERR_CONFLICT', 'this person is already a contact of this case');
    const dek = await dataKeyOf(ctx, repos, c.subject_id);
    const details = openSubjectJson<CandidateDetails>(dek, c.subject_id, 'discovery_candidates', c.id, c.sealed);
    const places = new Map((await repos.tracing.placesByIds(details.overlaps.map((o) => o.placeId))).map((p) => [p.id, p.name]));
    const setting = input.setting ?? [...new Set(details.overlaps.map((o) => places.get(o.placeId) ?? o.placeId))].join('、').slice(0, 200);
    const exposure = validateExposure({ exposureType: input.exposureType ?? 'shared_venue', exposureDate: dateOf(details.lastExposure), setting }, todayOf(req), 'exposure.');
    const { link, quarantineId, handoverId } = await recordCloseContact(ctx, repos, req, {
      caseId: c.case_id, caseJurisdiction: kase.jurisdiction_code, subjectId: c.subject_id, dek, exposure, creating, followUp: authorized, quarantineDays: settings.quarantine.days,
    });
    await repos.tracing.updateCandidate(c.id, { contact_link_id: link.id });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'confirm', authorized, { resourceType: 'discovery', resourceId: c.id, subjectId: c.subject_id }));
    const [view] = await candidateViews(ctx, repos, req, [(await repos.tracing.getCandidate(c.id))!], authorized, kase.jurisdiction_code);
    return { candidate: view!, contactId: link.id, quarantineId, handoverId };
  });
}

/** Dismisses a candidate with a reason code (and a note, required for `other`, sealed under the person's key). */
export async function dismissCandidate(ctx: AppContext, req: StaffRequest, candidateId: string, input: { reason: DismissReason; note?: string | null }): Promise<CandidateView> {
  if (!(DISMISS_REASONS as readonly string[]).includes(input.reason)) throw invalid('reason', `must be one of ${DISMISS_REASONS.join(', ')}`);
  const note = input.reason === 'other' ? requireReason(input.note, 'note') : input.note?.trim() || null;
  if (note && note.length > 500) throw invalid('note', 'is longer than 500 characters');
  const { authorized } = await authorizeCandidate(ctx, req, candidateId);
  return ctx.store.transaction(async (repos) => {
    const now = req.now.toISOString();
    const c = await openCandidate(repos, candidateId, 'dismissed', now);
    const sealed = note ? sealSubjectJson(await dataKeyOf(ctx, repos, c.subject_id), c.subject_id, 'discovery_dismissals', c.id, { note } satisfies DismissalNote) : null;
    await repos.tracing.insertDismissal({ candidate_id: c.id, reason_code: input.reason, sealed, dismissed_by: req.actor.id, dismissed_at: now });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'dismiss', authorized, { resourceType: 'discovery', resourceId: c.id, subjectId: c.subject_id, reason: `dismiss:${input.reason}` }));
    const kase = (await repos.cases.getCase(c.case_id))!;
    return (await candidateViews(ctx, repos, req, [(await repos.tracing.getCandidate(c.id))!], authorized, kase.jurisdiction_code))[0]!;
  });
}

async function authorizeCandidate(ctx: AppContext, req: StaffRequest, id: string): Promise<{ candidate: CandidateRow; authorized: Authorized }> {
  const candidate = await ctx.store.tracing.getCandidate(id);
  if (!candidate) return { candidate: undefined as never, authorized: await authorizeFacts(ctx, req, 'update', 'discovery', id, undefined) };
  return { candidate, authorized: await authorize(ctx, req, 'update', { type: 'discovery', parent: { type: 'case', id: candidate.case_id } }) };
}

/** Decides an open candidate (a conditional update: of two tracers deciding at once, one wins, the other gets a conflict). */
async function openCandidate(repos: Repositories, id: string, status: 'confirmed' | 'dismissed', at: string): Promise<CandidateRow> {
  const c = await repos.tracing.getCandidate(id);
  if (!c) throw notFound();
  if (c.status !== 'open' || !(await repos.tracing.decideCandidate(id, status, at))) throw new ServiceError('ERR_CONFLICT', `this candidate is already ${c.status === 'open' ? 'decided' : c.status}`);
  return c;
}
