/**
 * Quarantine and follow-up of close contacts (docs/TRACING.md "Follow-up"): a quarantine per
 * contact link, by default 14 days from the last exposure (settings `quarantine.days`, from the
 * deployment's configuration in `ctx.settings.tracing`); daily
 * entries (symptoms, temperature) sealed under the contact's key; end, extend, or convert the
 * contact into a case. The dates live in the contact link's exposure (the contact service's
 * record, written through its repository), so the case's contact list shows them; the quarantine
 * row adds its state and history. Every step is authorized, audited and recomputes the risk status.
 */
import { randomId, timeOrderedId } from '../../crypto/index.ts';
import { addDays, compareIsoDate, parseIsoDate } from '../../domain/dates.ts';
import type { Classification, ContactExposure } from '../../domain/model.ts';
import { END_REASONS } from '../../domain/views/tracing.ts';
import type { ConvertedView, EndReason, QuarantineView } from '../../domain/views/tracing.ts';
import type { TracingSettings } from '../../tracing/settings.ts';
import type { ContactRow } from '../../storage/contact.repository.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { accessAudit, authorize, requireReason } from '../access.service.ts';
import type { Authorized } from '../access.service.ts';
import { appendAudit } from '../audit.service.ts';
import { notFound, ServiceError } from '../errors.ts';
import { invalid, todayOf } from '../staff-records.ts';
import type { StaffRequest } from '../staff-context.ts';
import { detailsOf, validateCaseFields, validateExposure } from '../staff-input.ts';
import { generatedCaseNumber, openSubjectJson, sealSubjectJson } from '../subject-cipher.ts';
import { onCaseConfirmed } from './discovery.service.ts';
import { quarantineView } from './quarantine-view.ts';
import { recomputeRiskStatus } from './risk-status.service.ts';
import { authorizeFacts, authorizeQuarantine } from './tracing-access.ts';
import { dataKeyOf } from './tracing-records.ts';
import type { FollowupEntry, QuarantineState } from './tracing-records.ts';

/** Re-exported for the route schemas (src/http/routes/tracing.schema.ts); declared with the views. */

const conflict = (message: string, field?: string) => new ServiceError('ERR_CONFLICT', message, field);

/**
 * Starts the quarantine of a contact link inside the caller's transaction: the exposure gets its
 * quarantine dates if it has none (from the exposure date, `days` long), a quarantine row is
 * written for `jurisdiction`, the event audited. Returns the quarantine id.
 */
export async function startQuarantine(ctx: AppContext, repos: Repositories, req: StaffRequest, link: ContactRow, jurisdiction: string, authorized: Authorized, days: number): Promise<string> {
  if (await repos.tracing.quarantineOfLink(link.id)) throw conflict('this contact is already in quarantine');
  const dek = await dataKeyOf(ctx, repos, link.contact_subject_id);
  const e = openSubjectJson<ContactExposure>(dek, link.contact_subject_id, 'contact_links', link.id, link.sealed);
  const start = e.quarantineStart ?? e.exposureDate;
  const end = e.quarantineEnd ?? addDays(e.exposureDate, days);
  if (e.quarantineStart !== start || e.quarantineEnd !== end) {
    const exposure = validateExposure({ ...e, quarantineStart: start, quarantineEnd: end }, todayOf(req), '');
    await repos.contacts.updateSealed(link.id, sealSubjectJson(dek, link.contact_subject_id, 'contact_links', link.id, exposure));
  }
  const id = randomId('q');
  const now = req.now.toISOString();
  const state: QuarantineState = { events: [{ at: now, by: req.actor.id, action: 'start', end }] };
  await repos.tracing.insertQuarantine({
    id, contact_link_id: link.id, subject_id: link.contact_subject_id, status: 'active', jurisdiction_code: jurisdiction, assigned_to: null,
    sealed: sealSubjectJson(dek, link.contact_subject_id, 'quarantines', id, state), created_at: now, updated_at: now,
  });
  await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'create', authorized, { resourceType: 'quarantine', resourceId: id, subjectId: link.contact_subject_id }));
  return id;
}

/** Puts a close contact (added through the contact service) into quarantine. */
export async function quarantineContact(ctx: AppContext, req: StaffRequest, linkId: string, input: { days?: number } = {}, settings: TracingSettings = ctx.settings.tracing): Promise<QuarantineView> {
  const days = input.days ?? settings.quarantine.days;
  if (!Number.isInteger(days) || days < 1 || days > 60) throw invalid('days', 'must be a whole number of days from 1 to 60');
  const link = await ctx.store.contacts.get(linkId);
  const authorized = link
    ? await authorize(ctx, req, 'create', { type: 'quarantine', parent: { type: 'case', id: link.case_id } })
    : await authorizeFacts(ctx, req, 'create', 'quarantine', linkId, undefined);
  return ctx.store.transaction(async (repos) => {
    const id = await startQuarantine(ctx, repos, req, link!, authorized.facts.jurisdiction!, authorized, days);
    await recomputeRiskStatus(ctx, repos, [link!.contact_subject_id], req.now);
    const q = (await repos.tracing.getQuarantine(id))!;
    return quarantineView(ctx, repos, req, q, { ...authorized, facts: { ...authorized.facts, type: 'quarantine', id } });
  });
}

/** One quarantine with its entries (audited as a read of the contact's data). */
export async function readQuarantine(ctx: AppContext, req: StaffRequest, id: string): Promise<QuarantineView> {
  const { authorized, quarantine } = await authorizeQuarantine(ctx, req, 'read', id);
  return ctx.store.transaction(async (repos) => {
    await recomputeRiskStatus(ctx, repos, [quarantine.subject_id], req.now);
    const view = await quarantineView(ctx, repos, req, quarantine, authorized);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'read', authorized, { resourceType: 'quarantine', resourceId: id }));
    return view;
  });
}

export interface FollowupInput {
  date: string;
  symptoms?: string[];
  temperatureC?: number | null;
  note?: string | null;
}

/** Adds the follow-up of one day: at most one per day, inside the quarantine, not in the future. */
export async function addFollowup(ctx: AppContext, req: StaffRequest, id: string, input: FollowupInput): Promise<QuarantineView> {
  const date = parseIsoDate(input.date);
  if (!date.ok) throw invalid('date', `must be a date YYYY-MM-DD (${date.reason})`);
  if (compareIsoDate(date.value, todayOf(req)) > 0) throw invalid('date', 'is in the future');
  const t = input.temperatureC ?? null;
  if (t !== null && !(Number.isFinite(t) && t >= 34 && t <= 43)) throw invalid('temperatureC', 'must be a body temperature from 34 to 43 °C');
  const symptoms = input.symptoms ?? [];
  if (symptoms.length > 20 || symptoms.some((x) => typeof x !== 'string' || x.length < 1 || x.length > 50)) throw invalid('symptoms', 'must be at most 20 items of 1 to 50 characters');
  if (input.note && input.note.length > 500) throw invalid('note', 'is longer than 500 characters');
  const { authorized, quarantine } = await authorizeQuarantine(ctx, req, 'update', id);
  return ctx.store.transaction(async (repos) => {
    const q = await activeQuarantine(repos, id);
    const dek = await dataKeyOf(ctx, repos, q.subject_id);
    const link = (await repos.contacts.get(q.contact_link_id))!;
    const e = openSubjectJson<ContactExposure>(dek, q.subject_id, 'contact_links', link.id, link.sealed);
    if ((e.quarantineStart && date.value < e.quarantineStart) || (e.quarantineEnd && date.value > e.quarantineEnd)) throw invalid('date', 'is outside the quarantine');
    const existing = await repos.tracing.followupsOf(id);
    if (existing.some((r) => openSubjectJson<FollowupEntry>(dek, q.subject_id, 'followup_entries', r.id, r.sealed).date === date.value)) throw conflict('this day already has a follow-up entry', 'date');
    const entryId = randomId('f');
    const entry: FollowupEntry = { date: date.value, symptoms, temperatureC: t, note: input.note ?? null };
    await repos.tracing.insertFollowup({ id: entryId, quarantine_id: id, subject_id: q.subject_id, sealed: sealSubjectJson(dek, q.subject_id, 'followup_entries', entryId, entry), created_by: req.actor.id, created_at: req.now.toISOString() });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'update', authorized, { resourceType: 'quarantine', resourceId: id, reason: 'followup_entry' }));
    return quarantineView(ctx, repos, req, quarantine, authorized);
  });
}

/** Extends an active quarantine by `days` (at most `quarantine.maxExtensionDays`), for a stated reason. */
export async function extendQuarantine(ctx: AppContext, req: StaffRequest, id: string, input: { days: number; reason: string }, settings: TracingSettings = ctx.settings.tracing): Promise<QuarantineView> {
  const reason = requireReason(input.reason);
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > settings.quarantine.maxExtensionDays) throw invalid('days', `must be a whole number of days from 1 to ${settings.quarantine.maxExtensionDays}`);
  const { authorized } = await authorizeQuarantine(ctx, req, 'update', id);
  return changeQuarantine(ctx, req, id, authorized, (e) => ({ ...e, quarantineEnd: addDays(e.quarantineEnd ?? e.exposureDate, input.days) }), { action: 'extend', days: input.days, reason }, 'active');
}

/**
 * Ends an active quarantine; ended early, its end date becomes today. The note (required for
 * `other`) is kept in the quarantine's sealed history with the reason.
 */
export async function endQuarantine(ctx: AppContext, req: StaffRequest, id: string, input: { reason: EndReason; note?: string | null }): Promise<QuarantineView> {
  if (!(END_REASONS as readonly string[]).includes(input.reason)) throw invalid('reason', `must be one of ${END_REASONS.join(', ')}`);
  const note = input.reason === 'other' ? requireReason(input.note, 'note') : input.note?.trim() || null;
  if (note && note.length > 500) throw invalid('note', 'is longer than 500 characters');
  const { authorized } = await authorizeQuarantine(ctx, req, 'update', id);
  const today = todayOf(req);
  return changeQuarantine(ctx, req, id, authorized, (e) => ({ ...e, quarantineEnd: e.quarantineEnd && e.quarantineEnd > today ? today : e.quarantineEnd }), { action: 'end', reason: input.reason, ...(note ? { note } : {}) }, 'ended');
}

export interface ConvertInput {
  classification: Classification;
  reportDate: string;
  onsetDate?: string | null;
  confirmationDate?: string | null;
}

/**
 * Converts a quarantined contact into a case (case investigation): a case is opened for the
 * contact's subject in their own jurisdiction, the converting investigator assigned to it, the
 * quarantine marked converted. The contact link stays: it is the edge of the transmission chain.
 * A case converted as `confirmed` gets discovery on confirmation, as one opened on the case page.
 */
export async function convertToCase(ctx: AppContext, req: StaffRequest, id: string, input: ConvertInput): Promise<ConvertedView> {
  const kase = validateCaseFields({ classification: input.classification, reportDate: input.reportDate, onsetDate: input.onsetDate ?? null, confirmationDate: input.confirmationDate ?? null }, todayOf(req), '');
  const { authorized, quarantine } = await authorizeQuarantine(ctx, req, 'update', id);
  const subject = await ctx.store.subjects.getSubject(quarantine.subject_id);
  if (!subject) throw notFound();
  const creating = await authorize(ctx, req, 'create', { type: 'case', scope: subject.jurisdiction_code });
  let newCaseId = '';
  const view = await changeQuarantine(ctx, req, id, authorized, (e) => e, { action: 'convert' }, 'converted', async (repos, dek) => {
    const now = req.now.toISOString();
    newCaseId = timeOrderedId('c', now);
    await repos.cases.insertCases([{
      id: newCaseId, subject_id: subject.id, case_number: generatedCaseNumber(subject.jurisdiction_code, kase.reportDate, newCaseId), classification: kase.classification,
      jurisdiction_code: subject.jurisdiction_code, report_date: kase.reportDate, confirmation_date: kase.confirmationDate ?? null,
      sealed: sealSubjectJson(dek, subject.id, 'cases', newCaseId, detailsOf({ ...kase, source: 'close contact in quarantine' })), created_at: now,
    }]);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'create', creating, { resourceType: 'case', resourceId: newCaseId, subjectId: subject.id }));
    if (req.actor.role === 'investigator') {
      await repos.cases.assign(newCaseId, req.actor.id, now);
      await appendAudit(repos, ctx.keys, req.actor, { action: 'assign', resourceType: 'assignment', resourceId: newCaseId, subjectId: subject.id, purpose: req.purpose, reason: `staff:${req.actor.id}`, outcome: 'success', requestId: req.requestId });
    }
    return { caseId: newCaseId };
  });
  if (kase.classification === 'confirmed') await onCaseConfirmed(ctx, req, newCaseId, ctx.settings.tracing);
  return { ...view, newCaseId };
}

async function activeQuarantine(repos: Repositories, id: string) {
  const q = await repos.tracing.getQuarantine(id);
  if (!q) throw notFound();
  if (q.status !== 'active') throw conflict(`this quarantine is ${q.status}`);
  return q;
}

/** The common path of extend / end / convert: new exposure dates, a new state, an event, audit, risk status. */
async function changeQuarantine(
  ctx: AppContext, req: StaffRequest, id: string, authorized: Authorized, dates: (e: ContactExposure) => ContactExposure,
  event: Omit<QuarantineState['events'][number], 'at' | 'by'>, status: 'active' | 'ended' | 'converted',
  extra?: (repos: Repositories, dek: Awaited<ReturnType<typeof dataKeyOf>>) => Promise<Partial<QuarantineState['events'][number]>>,
): Promise<QuarantineView> {
  return ctx.store.transaction(async (repos) => {
    const q = await activeQuarantine(repos, id);
    const dek = await dataKeyOf(ctx, repos, q.subject_id);
    const link = (await repos.contacts.get(q.contact_link_id))!;
    const old = openSubjectJson<ContactExposure>(dek, q.subject_id, 'contact_links', link.id, link.sealed);
    const next = validateExposure(dates(old), todayOf(req), '');
    if (next.quarantineEnd !== old.quarantineEnd) await repos.contacts.updateSealed(link.id, sealSubjectJson(dek, q.subject_id, 'contact_links', link.id, next));
    const more = extra ? await extra(repos, dek) : {};
    const state = openSubjectJson<QuarantineState>(dek, q.subject_id, 'quarantines', id, q.sealed);
    state.events.push({ at: req.now.toISOString(), by: req.actor.id, ...event, ...(next.quarantineEnd ? { end: next.quarantineEnd } : {}), ...more });
    await repos.tracing.updateQuarantine(id, { status, sealed: sealSubjectJson(dek, q.subject_id, 'quarantines', id, state), updated_at: req.now.toISOString() });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'update', authorized, { resourceType: 'quarantine', resourceId: id, reason: event.action }));
    await recomputeRiskStatus(ctx, repos, [q.subject_id], req.now);
    return quarantineView(ctx, repos, req, (await repos.tracing.getQuarantine(id))!, authorized);
  });
}
