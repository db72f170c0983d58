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
  const result = await check(ctx.store, req, action, target, options);
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
  if (!facts) return { allow: false, rule: NOT_FOUND_RULE, facts };
  const decision = decide(policyActor(req.actor), action, facts, { purpose: req.purpose, reason: options.reason ?? null, now: req.now });
  if (!decision.allow) return { allow: false, rule: decision.rule, facts };
  const grants = facts.subjectId ? await revealGrantsOf(repos, req, [facts.subjectId]) : new Map<string, RevealGrant[]>();
  return { allow: true, authorized: { obligations: decision.obligations, facts, grants: (facts.subjectId && grants.get(facts.subjectId)) || [] } };
}

/** The targets among `targets` that the request may take `action` on (no audit; the caller audits the list or search). */
export async function filterAllowed<T extends Target>(repos: Repositories, req: StaffRequest, action: Action, targets: readonly T[]): Promise<{ target: T; authorized: Authorized }[]> {
  const out: { target: T; authorized: Authorized }[] = [];
  for (const target of targets) {
    const r = await check(repos, req, action, target);
    if (r.allow) out.push({ target, authorized: r.authorized });
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
  return {
    type, id: caseId, caseId, subjectId: c.subjectId, jurisdiction: c.jurisdiction, assignedStaff: c.assignedStaff,
    ...(grant ? { breakGlassGranted: true, breakGlassUntil: grant.expires_at, breakGlassGrantId: grant.id } : {}),
  };
}

async function subjectFacts(repos: Repositories, actorId: string, type: ResourceType, subjectId: string, now: string): Promise<AccessFacts | undefined> {
  const s = await repos.access.subjectFacts(subjectId);
  if (!s) return undefined;
  const ownCases = s.cases.filter((l) => l.relation === 'case').map((l) => l.caseId);
  const grants = await repos.access.activeBreakGlassByCase(actorId, ownCases, now);
  const links: CaseLink[] = s.cases.map((l) => {
    const g = l.relation === 'case' ? grants.get(l.caseId) : undefined;
    return { ...l, ...(g ? { breakGlassGranted: true, breakGlassUntil: g.expires_at } : {}) };
  });
  const grant = [...grants.values()][0];
  return { type, id: subjectId, subjectId, jurisdiction: s.jurisdiction, links, ...(grant ? { breakGlassGrantId: grant.id } : {}) };
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
