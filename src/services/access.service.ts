/**
 * The one door to personal data for staff use cases: `authorize` loads the facts the policy needs,
 * asks `decide` (src/policy) and either returns the obligations or records the denial and throws
 * "not found or no access" (or ERR_TERMS_REQUIRED). `maskIdentity` applies the masking obligation,
 * honouring the viewer's unexpired reveal grants.
 */
import { graphemes, MASKABLE_FIELDS, maskIdentityFields } from '../domain/masking.ts';
import type { IdentityView, MaskableField } from '../domain/masking.ts';
import type { Identity } from '../domain/model.ts';
import { decide } from '../policy/decide.ts';
import type { Action, CaseLink, Obligations, PolicyActor, PolicyResource, ResourceType } from '../policy/types.ts';
import type { CaseFactsRow, SubjectCaseRow, SubjectFactsRow } from '../storage/access.repository.ts';
import type { CaseReadRow } from '../storage/case.repository.ts';
import type { Repositories } from '../storage/store.ts';
import type { AppContext } from './app-context.ts';
import { appendAudit } from './audit.service.ts';
import type { AuditInput } from './audit.service.ts';
import { notFound, ServiceError } from './errors.ts';
import type { StaffActor, StaffRequest } from './staff-context.ts';

/**
 * What a request acts on:
 * - one record: `{ type, id }` (case id, subject id, contact link id, travel record id, note id,
 *   observation id, break-glass grant id, alert id, account id);
 * - records under a case or subject, to list or create them: `{ type, parent }` (the contacts,
 *   notes, observations or assignments of a case; the travel of a subject);
 * - a query over many records: `{ type }` with an optional `scope` (a division code; default the
 *   actor's jurisdiction) and `owner` (an account id, for "my assignments").
 */
export interface Target {
  readonly type: ResourceType;
  readonly id?: string;
  readonly parent?: { readonly type: 'case' | 'subject'; readonly id: string };
  readonly scope?: string;
  readonly owner?: string;
}

/** The facts `decide` saw, plus the ids a service needs next. */
export interface AccessFacts extends PolicyResource {
  /** The subject the resource concerns (the case's subject, the contact, the travel's subject...). */
  readonly subjectId?: string;
  /** The case the resource belongs to. */
  readonly caseId?: string;
  /** The break-glass grant the access goes through, when `obligations.viaBreakGlass`. */
  readonly breakGlassGrantId?: string;
}

/** An unexpired reveal grant of the viewer on one field of one subject. */
export interface RevealGrant {
  readonly field: MaskableField;
  readonly expiresAt: string;
}

export interface Authorized {
  readonly obligations: Obligations;
  readonly facts: AccessFacts;
  /** The viewer's unexpired reveal grants on `facts.subjectId` (empty without a subject). */
  readonly grants: readonly RevealGrant[];
}

export interface AuthorizeOptions {
  /** The reason the request states (reveal, break-glass, review). */
  readonly reason?: string | null;
}

/** The rule name of a denial for a record that does not exist (audited like any denial). */
export const NOT_FOUND_RULE = 'not_found';

/** A stated reason must have at least this weight: one per character, two per CJK character. */
export const MIN_REASON_WEIGHT = 10;
export const MAX_REASON_LENGTH = 500;

/** True if `reason` is long enough to say something: 10 characters (5 Chinese characters), at most 500. */
export function isValidReason(reason: string | null | undefined): reason is string {
  if (typeof reason !== 'string') return false;
  const chars = graphemes(reason.trim());
  if (chars.length > MAX_REASON_LENGTH) return false;
  const weight = chars.reduce((w, ch) => w + (/\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u.test(ch) ? 2 : 1), 0);
  return weight >= MIN_REASON_WEIGHT;
}

/** Throws ERR_REASON_REQUIRED (400) unless `reason` is valid; call it before `authorize`, so that it says nothing about access. */
export function requireReason(reason: string | null | undefined, field = 'reason'): string {
  if (!isValidReason(reason)) {
    throw new ServiceError('ERR_REASON_REQUIRED', `${field} is required: at least ${MIN_REASON_WEIGHT} characters (5 Chinese characters), at most ${MAX_REASON_LENGTH}`, field);
  }
  return reason.trim();
}

export const termsRequired = () => new ServiceError('ERR_TERMS_REQUIRED', 'accept the current confidentiality terms first');

export function policyActor(actor: StaffActor): PolicyActor {
  return { id: actor.id, role: actor.role, jurisdiction: actor.jurisdiction, termsAccepted: actor.termsAccepted };
}

/**
 * Decides whether the request may take `action` on `target`. On allow, returns the obligations
 * and the facts. On deny (including a record that does not exist) writes an audit event with
 * outcome `denied` in its own transaction and throws ERR_NOT_FOUND ("not found or no access"), or
 * ERR_TERMS_REQUIRED when the only thing missing is the terms; if that audit write fails, the
 * request is denied all the same. Call outside any transaction.
 */
export async function authorize(ctx: AppContext, req: StaffRequest, action: Action, target: Target, options: AuthorizeOptions = {}): Promise<Authorized> {
  return settle(ctx, req, action, target, await check(ctx.store, req, action, target, options), options);
}

/**
 * `authorize` over facts the caller has already loaded (with `loadCaseRead`, say, which reads a
 * record's facts and its sealed data in fewer queries): the same decision, the same denial audit
 * and the same errors. `facts` undefined means the record does not exist.
 */
export async function authorizeLoaded(ctx: AppContext, req: StaffRequest, action: Action, target: Target, facts: AccessFacts | undefined, grants: readonly RevealGrant[], options: AuthorizeOptions = {}): Promise<Authorized> {
  return settle(ctx, req, action, target, decideOn(req, action, facts, options, () => grants), options);
}

async function settle(ctx: AppContext, req: StaffRequest, action: Action, target: Target, result: CheckResult, options: AuthorizeOptions): Promise<Authorized> {
  if (!result.allow) {
    await auditDenial(ctx, req, action, target, result.facts, result.rule);
    throw result.rule === 'terms_required' ? termsRequired() : notFound();
  }
  if (result.authorized.obligations.reasonRequired && !isValidReason(options.reason)) requireReason(options.reason);
  return result.authorized;
}

export type CheckResult =
  | { readonly allow: true; readonly authorized: Authorized }
  | { readonly allow: false; readonly rule: string; readonly facts: AccessFacts | undefined };

/**
 * The decision alone, without auditing or throwing, over the given repositories (a transaction's,
 * or the store's): for filtering the items of a list or search through the same rules.
 */
export async function check(repos: Repositories, req: StaffRequest, action: Action, target: Target, options: AuthorizeOptions = {}): Promise<CheckResult> {
  const facts = await loadFacts(repos, req, target);
  const result = decideOn(req, action, facts, options, () => []);
  if (!result.allow || !facts?.subjectId) return result;
  const grants = (await revealGrantsOf(repos, req, [facts.subjectId])).get(facts.subjectId) ?? [];
  return { allow: true, authorized: { ...result.authorized, grants } };
}

/** `decide` on loaded facts; the viewer's reveal grants on the facts' subject come from `grants` (asked only on allow). */
function decideOn(req: StaffRequest, action: Action, facts: AccessFacts | undefined, options: AuthorizeOptions, grants: () => readonly RevealGrant[]): CheckResult {
  if (!facts) return { allow: false, rule: NOT_FOUND_RULE, facts };
  const decision = decide(policyActor(req.actor), action, facts, { purpose: req.purpose, reason: options.reason ?? null, now: req.now });
  if (!decision.allow) return { allow: false, rule: decision.rule, facts };
  return { allow: true, authorized: { obligations: decision.obligations, facts, grants: facts.subjectId ? grants() : [] } };
}

/**
 * The targets among `targets` that the request may take `action` on (no audit; the caller audits
 * the list or search): the same decision as `check` for each, with the facts of a page of cases
 * loaded in three queries for the page instead of three per case.
 */
export async function filterAllowed<T extends Target>(repos: Repositories, req: StaffRequest, action: Action, targets: readonly T[]): Promise<{ target: T; authorized: Authorized }[]> {
  const facts = await loadFactsOfMany(repos, req, targets);
  const decided = targets.map((target, i) => ({ target, result: decideOn(req, action, facts[i], {}, () => []) }));
  const allowed = decided.flatMap(({ target, result }) => (result.allow ? [{ target, authorized: result.authorized }] : []));
  const subjectIds = [...new Set(allowed.flatMap((a) => (a.authorized.facts.subjectId ? [a.authorized.facts.subjectId] : [])))];
  const grants = subjectIds.length > 0 ? await revealGrantsOf(repos, req, subjectIds) : new Map<string, RevealGrant[]>();
  return allowed.map(({ target, authorized }) => ({ target, authorized: { ...authorized, grants: authorized.facts.subjectId ? grants.get(authorized.facts.subjectId) ?? [] : [] } }));
}

/**
 * `loadFacts` of each target, in order: cases by id together (facts and the viewer's break-glass
 * grants), subjects by id together (their cases with staff, and the viewer's break-glass grants on
 * their own cases), anything else one by one.
 */
async function loadFactsOfMany(repos: Repositories, req: StaffRequest, targets: readonly Target[]): Promise<(AccessFacts | undefined)[]> {
  const idsOf = (type: ResourceType) => targets.flatMap((t) => (t.type === type && t.id !== undefined ? [t.id] : []));
  const caseIds = idsOf('case');
  const subjectIds = idsOf('subject');
  const now = req.now.toISOString();
  const cases = caseIds.length > 0 ? await repos.access.caseFactsMany(caseIds) : new Map<string, CaseFactsRow>();
  const subjects = subjectIds.length > 0 ? await repos.access.subjectFactsMany(subjectIds) : new Map<string, SubjectFactsRow>();
  const ownCases = [...subjects.values()].flatMap((s) => s.cases.filter((l) => l.relation === 'case').map((l) => l.caseId));
  const grants = await breakGlassByCase(repos, req.actor.id, [...caseIds, ...ownCases], now);
  const out: (AccessFacts | undefined)[] = [];
  for (const t of targets) {
    if (t.type === 'case' && t.id !== undefined) {
      const c = cases.get(t.id);
      out.push(c && caseFactsOf('case', c, grants.get(t.id)));
    } else if (t.type === 'subject' && t.id !== undefined) {
      const s = subjects.get(t.id);
      out.push(s && subjectFactsOf('subject', s.id, s.jurisdiction, s.cases, grants));
    } else {
      out.push(await loadFacts(repos, req, t));
    }
  }
  return out;
}

/** The viewer's unexpired reveal grants on these subjects, by subject id. */
export async function revealGrantsOf(repos: Repositories, req: StaffRequest, subjectIds: readonly string[]): Promise<Map<string, RevealGrant[]>> {
  const rows = await repos.access.activeRevealGrants(req.actor.id, 'subject', subjectIds, req.now.toISOString());
  const out = new Map<string, RevealGrant[]>();
  for (const r of rows) {
    if (!(MASKABLE_FIELDS as readonly string[]).includes(r.field)) continue;
    out.set(r.resource_id, [...(out.get(r.resource_id) ?? []), { field: r.field as MaskableField, expiresAt: r.expires_at }]);
  }
  return out;
}

/**
 * The identity as the viewer may see it: every field in `obligations.mask` masked, except the
 * fields the viewer holds an unexpired reveal grant on. `jurisdictionCode` is the subject's (the
 * masked address shows its district). Each field carries `masked`.
 */
export function maskIdentity(identity: Identity, jurisdictionCode: string, obligations: Pick<Obligations, 'mask'>, grants: readonly RevealGrant[] = [], now: Date = new Date()): IdentityView {
  const granted = new Set(grants.filter((g) => Date.parse(g.expiresAt) > now.getTime()).map((g) => g.field));
  const revealed = MASKABLE_FIELDS.filter((f) => !obligations.mask.includes(f) || granted.has(f));
  return maskIdentityFields(identity, jurisdictionCode, revealed);
}

/**
 * The audit input for an allowed access (outcome `success`): resource and subject from the facts,
 * and, for an access through break-glass, the grant as the reason. Subjects are referenced only
 * through the audit's keyed subject reference, never by id.
 */
export function accessAudit(req: StaffRequest, action: string, authorized: Authorized, extra: Partial<AuditInput> = {}): AuditInput {
  const { facts, obligations } = authorized;
  return {
    action,
    resourceType: facts.type,
    resourceId: resourceIdFor(facts.type, facts.id ?? facts.caseId ?? null),
    subjectId: facts.subjectId ?? null,
    purpose: req.purpose,
    reason: obligations.viaBreakGlass && facts.breakGlassGrantId ? `break_glass:${facts.breakGlassGrantId}` : null,
    outcome: 'success',
    requestId: req.requestId,
    ...extra,
  };
}

/** Subjects and their travel are referenced in the audit by the keyed subject reference only. */
function resourceIdFor(type: ResourceType, id: string | null): string | null {
  return type === 'subject' ? null : id;
}

async function auditDenial(ctx: AppContext, req: StaffRequest, action: Action, target: Target, facts: AccessFacts | undefined, rule: string): Promise<void> {
  const subjectId = facts?.subjectId ?? (target.type === 'subject' ? target.id : target.parent?.type === 'subject' ? target.parent.id : undefined);
  const input: AuditInput = {
    action,
    resourceType: target.type,
    resourceId: resourceIdFor(target.type, target.id ?? target.parent?.id ?? null),
    subjectId: subjectId ?? null,
    purpose: req.purpose,
    reason: `policy:${rule}`,
    outcome: 'denied',
    requestId: req.requestId,
  };
  try {
    await ctx.store.transaction((repos) => appendAudit(repos, ctx.keys, req.actor, input));
  } catch (e) {
    // Fail closed: the request is denied whether or not its denial could be recorded.
    ctx.logger.error({ code: 'ERR_AUDIT_FAILED', err: e instanceof Error ? e.name : 'unknown', action, resourceType: target.type }, 'audit of a denied request failed');
  }
}

// ---- facts ---------------------------------------------------------------------------------------

/** Loads what the policy needs about the target; `undefined` if the record does not exist. */
export async function loadFacts(repos: Repositories, req: StaffRequest, target: Target): Promise<AccessFacts | undefined> {
  const { type } = target;
  const now = req.now.toISOString();
  if (target.id !== undefined) {
    switch (type) {
      case 'case': return caseFacts(repos, req.actor.id, type, target.id, now);
      case 'subject': return subjectFacts(repos, req.actor.id, type, target.id, now);
      case 'contact': return ownedFacts(repos, req.actor.id, type, target.id, await repos.access.contactLinkOwner(target.id), now);
      case 'note': return ownedFacts(repos, req.actor.id, type, target.id, await repos.access.noteOwner(target.id), now);
      case 'observation': return ownedFacts(repos, req.actor.id, type, target.id, await repos.access.observationOwner(target.id), now);
      case 'travel': return ownedFacts(repos, req.actor.id, type, target.id, await repos.access.travelOwner(target.id), now);
      case 'break_glass': {
        const g = await repos.access.getBreakGlass(target.id);
        return g && { type, id: g.id, jurisdiction: g.jurisdiction_code, ownerId: g.account_id, caseId: g.case_id };
      }
      case 'alert': {
        const a = await repos.access.getAlert(target.id);
        return a && { type, id: a.id, jurisdiction: a.jurisdiction_code, ownerId: a.account_id };
      }
      case 'account': {
        const s = await repos.access.staffFacts(target.id);
        return s && { type, id: s.id, jurisdiction: s.jurisdiction, ownerId: s.id };
      }
      case 'audit_event':
      case 'terms': return { type, id: target.id };
      default: return undefined;
    }
  }
  if (target.parent) {
    const facts = target.parent.type === 'case'
      ? await caseFacts(repos, req.actor.id, type, target.parent.id, now)
      : await subjectFacts(repos, req.actor.id, type, target.parent.id, now);
    return facts && { ...facts, id: undefined };
  }
  return { type, collection: true, jurisdiction: target.scope ?? req.actor.jurisdiction, ...(target.owner !== undefined ? { ownerId: target.owner } : {}) };
}

async function caseFacts(repos: Repositories, actorId: string, type: ResourceType, caseId: string, now: string): Promise<AccessFacts | undefined> {
  const c = await repos.access.caseFacts(caseId);
  if (!c) return undefined;
  const grant = await repos.access.activeBreakGlass(actorId, caseId, now);
  return caseFactsOf(type, c, grant && { id: grant.id, expiresAt: grant.expires_at });
}

async function subjectFacts(repos: Repositories, actorId: string, type: ResourceType, subjectId: string, now: string): Promise<AccessFacts | undefined> {
  const s = await repos.access.subjectFacts(subjectId);
  if (!s) return undefined;
  const ownCases = s.cases.filter((l) => l.relation === 'case').map((l) => l.caseId);
  return subjectFactsOf(type, subjectId, s.jurisdiction, s.cases, await breakGlassByCase(repos, actorId, ownCases, now));
}

/** The viewer's unexpired, unflagged break-glass grants on these cases, by case, earliest expiry first (as `subjectFactsOf` takes them). */
async function breakGlassByCase(repos: Repositories, actorId: string, caseIds: readonly string[], now: string): Promise<Map<string, BreakGlassGrant>> {
  if (caseIds.length === 0) return new Map();
  return new Map([...(await repos.access.activeBreakGlassByCase(actorId, caseIds, now))].map(([caseId, g]) => [caseId, { id: g.id, expiresAt: g.expires_at }]));
}

/** An unexpired, unflagged break-glass grant of the viewer on one case. */
interface BreakGlassGrant {
  readonly id: string;
  readonly expiresAt: string;
}

function caseFactsOf(type: ResourceType, c: CaseFactsRow, grant: BreakGlassGrant | undefined): AccessFacts {
  return {
    type, id: c.id, caseId: c.id, subjectId: c.subjectId, jurisdiction: c.jurisdiction, assignedStaff: c.assignedStaff,
    ...(grant ? { breakGlassGranted: true, breakGlassUntil: grant.expiresAt, breakGlassGrantId: grant.id } : {}),
  };
}

/** `grants`: the viewer's break-glass grants by case, each the one lasting longest, in order of their earliest expiry. */
function subjectFactsOf(type: ResourceType, subjectId: string, jurisdiction: string, cases: readonly SubjectCaseRow[], grants: ReadonlyMap<string, BreakGlassGrant>): AccessFacts {
  const own = new Set(cases.filter((l) => l.relation === 'case').map((l) => l.caseId));
  const links: CaseLink[] = cases.map((l) => {
    const g = l.relation === 'case' ? grants.get(l.caseId) : undefined;
    return { ...l, ...(g ? { breakGlassGranted: true, breakGlassUntil: g.expiresAt } : {}) };
  });
  const grant = [...grants].find(([caseId]) => own.has(caseId))?.[1];
  return { type, id: subjectId, subjectId, jurisdiction, links, ...(grant ? { breakGlassGrantId: grant.id } : {}) };
}

// ---- one case for reading: facts and sealed data together ----------------------------------------

/** A case as `loadCaseRead` reads it: the row with its subject's sealed identity, the facts of the case and of its subject, the viewer's reveal grants. */
export interface CaseRead {
  readonly row: CaseReadRow;
  /** The facts of the case (what `loadFacts` returns for `{ type: 'case', id }`). */
  readonly facts: AccessFacts;
  /** The facts of the case's subject (what `loadFacts` returns for `{ type: 'subject', id }`). */
  readonly subjectFacts: AccessFacts;
  /** The viewer's unexpired reveal grants on the subject. */
  readonly grants: readonly RevealGrant[];
}

/**
 * Everything showing one case needs, in three queries instead of a dozen: the case with its
 * subject's district, sealed identity, wrapped key and contact count; the subject's cases (as the
 * case or as a contact) with their staff, which give the facts of the case and of the subject; and
 * the viewer's unexpired break-glass grants and reveal grants on the subject. Nothing is opened:
 * pass `facts` to `authorizeLoaded` before decrypting anything. Undefined if the case does not exist.
 */
export async function loadCaseRead(repos: Repositories, req: StaffRequest, caseId: string): Promise<CaseRead | undefined> {
  const row = await repos.cases.caseForRead(caseId);
  if (!row) return undefined;
  const now = req.now.toISOString();
  const [cases, actorGrants] = await Promise.all([
    repos.access.casesOfSubject(row.subject_id),
    repos.access.activeGrants(req.actor.id, row.subject_id, now),
  ]);
  const breakGlass = new Map<string, BreakGlassGrant>();
  const grants: RevealGrant[] = [];
  for (const g of actorGrants) {
    if (g.kind === 'break_glass') {
      // Earliest expiry first: a later grant on the same case replaces an earlier one (the one lasting longest wins).
      breakGlass.set(g.ref, { id: g.item, expiresAt: g.expiresAt });
    } else if ((MASKABLE_FIELDS as readonly string[]).includes(g.item)) {
      grants.push({ field: g.item as MaskableField, expiresAt: g.expiresAt });
    }
  }
  const assignedStaff = cases.find((l) => l.relation === 'case' && l.caseId === caseId)?.assignedStaff ?? [];
  const facts = caseFactsOf('case', { id: row.id, subjectId: row.subject_id, jurisdiction: row.jurisdiction_code, assignedStaff }, breakGlass.get(caseId));
  const subject = subjectFactsOf('subject', row.subject_id, row.subject_jurisdiction_code, cases, breakGlass);
  return { row, facts, subjectFacts: subject, grants };
}

/**
 * A record under a case (contact link, note, observation) takes the case's facts; a travel record,
 * or a note or observation without a case, the facts of its subject.
 */
async function ownedFacts(repos: Repositories, actorId: string, type: ResourceType, id: string, owner: { subjectId: string; caseId: string | null } | undefined, now: string): Promise<AccessFacts | undefined> {
  if (!owner) return undefined;
  if (owner.caseId !== null) {
    const facts = await caseFacts(repos, actorId, type, owner.caseId, now);
    return facts && { ...facts, id, subjectId: owner.subjectId };
  }
  const facts = await subjectFacts(repos, actorId, type, owner.subjectId, now);
  if (!facts || type === 'travel') return facts && { ...facts, id };
  // A case-less note or observation is in the scope of the staff of the subject's own cases.
  const own = (facts.links ?? []).filter((l) => l.relation === 'case');
  return { type, id, subjectId: owner.subjectId, jurisdiction: facts.jurisdiction, assignedStaff: [...new Set(own.flatMap((l) => l.assignedStaff))] };
}
