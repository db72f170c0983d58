/**
 * The small vocabulary the rule files are written in, so that each rule reads as a sentence:
 *
 *   allow('investigator', ['read', 'update'], 'case', purposeIs('case_investigation'), and(inJurisdiction, isAssigned))
 *
 * A rule allows its roles to take its actions on one resource type, under the listed purposes,
 * when its predicate holds. Anything no rule allows is denied.
 */
import { isInJurisdiction } from '../domain/jurisdiction.ts';
import { PURPOSES, ROLES } from '../domain/roles.ts';
import type { Purpose, Role } from '../domain/roles.ts';
import type { Action, CaseLink, PolicyActor, PolicyContext, PolicyResource, ResourceType } from './types.ts';

/** A condition on the actor, the resource's facts and the request. */
export type Predicate = (actor: PolicyActor, resource: PolicyResource, ctx: PolicyContext) => boolean;

export interface RuleOptions {
  /** The rule grants access only through a break-glass grant (obligation `viaBreakGlass`). */
  readonly viaBreakGlass?: boolean;
  /** A collection query must be restricted to the actor's assigned cases (obligation `restrictToAssigned`). */
  readonly restrictToAssigned?: boolean;
  /** An update may change only these fields (obligation `onlyFields`). */
  readonly onlyFields?: readonly string[];
}

export interface Rule {
  readonly roles: readonly Role[];
  readonly actions: readonly Action[];
  readonly type: ResourceType;
  readonly purposes: readonly Purpose[];
  readonly when: Predicate;
  readonly options: RuleOptions;
}

const list = <T>(x: T | readonly T[]): readonly T[] => (Array.isArray(x) ? x : [x as T]);

/** `roles` may take `actions` on `type` under `purposes` when `when` holds. */
export function allow(roles: Role | readonly Role[], actions: Action | readonly Action[], type: ResourceType, purposes: readonly Purpose[], when: Predicate, options: RuleOptions = {}): Rule {
  return Object.freeze({ roles: list(roles), actions: list(actions), type, purposes, when, options });
}

/** The purposes under which a rule applies. */
export const purposeIs = (...purposes: Purpose[]): readonly Purpose[] => purposes;
/** Every purpose (only for things that are no personal data: one's own account, the terms). */
export const anyPurpose: readonly Purpose[] = PURPOSES;
/** Every role (only for things that are no personal data). */
export const anyRole: readonly Role[] = ROLES;

export const and = (...ps: Predicate[]): Predicate => (a, r, c) => ps.every((p) => p(a, r, c));
export const or = (...ps: Predicate[]): Predicate => (a, r, c) => ps.some((p) => p(a, r, c));
export const not = (p: Predicate): Predicate => (a, r, c) => !p(a, r, c);
export const always: Predicate = () => true;

const within = (actor: PolicyActor, code: string | undefined) => isInJurisdiction(code, actor.jurisdiction);

/**
 * The resource lies in the actor's subtree of the division tree: its own division code, or (for a
 * subject) the jurisdiction of any case it belongs to.
 */
export const inJurisdiction: Predicate = (a, r) => within(a, r.jurisdiction) || (r.links ?? []).some((l) => within(a, l.jurisdiction));

/** The actor is assigned to the resource's case (a case, contact, note, observation, assignment). */
export const isAssigned: Predicate = (a, r) => (r.assignedStaff ?? []).includes(a.id);

/**
 * The actor is assigned to a case in their jurisdiction that this subject belongs to: as that
 * case's own subject (`'case'`) or as one of its close contacts (`'contact'`).
 */
export const isAssignedVia = (relation: CaseLink['relation']): Predicate => (a, r) =>
  (r.links ?? []).some((l) => l.relation === relation && within(a, l.jurisdiction) && l.assignedStaff.includes(a.id));

const unexpired = (granted: boolean | undefined, until: string | undefined, now: Date) =>
  granted === true && (until === undefined || Date.parse(until) > now.getTime());

/** The actor holds an unexpired break-glass grant on this case. */
export const holdsBreakGlass: Predicate = (_a, r, c) => unexpired(r.breakGlassGranted, r.breakGlassUntil, c.now);

/**
 * The actor holds an unexpired break-glass grant on a case of their jurisdiction whose own subject
 * this is. Only the grant on such a case counts: a subject carries no grant of its own.
 */
export const holdsBreakGlassViaCase: Predicate = (a, r, c) =>
  (r.links ?? []).some((l) => l.relation === 'case' && within(a, l.jurisdiction) && unexpired(l.breakGlassGranted, l.breakGlassUntil, c.now));

/** A query over many records (list, search), not one record. */
export const isCollection: Predicate = (_a, r) => r.collection === true;
/** One record (or the records under one case or subject), not a query over many. */
export const isRecord: Predicate = not(isCollection);

/** The resource belongs to the actor (own account, own assignments). */
export const isOwner: Predicate = (a, r) => r.ownerId !== undefined && r.ownerId === a.id;
