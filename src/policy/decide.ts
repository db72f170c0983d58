/**
 * The access decision (DESIGN.md: `decide(actor, action, resource, context) -> allow/deny +
 * obligations`). Pure: no I/O, no clock (the time comes in `ctx.now`). Deny by default: only what a
 * rule in `rules/` allows is allowed. docs/ACCESS.md is the readable table of the rules.
 *
 * @module
 */
import { MASKABLE_FIELDS } from '../domain/masking.ts';
import { NO_PERSONAL_DATA_ROLES } from '../domain/roles.ts';
import type { Rule } from './combinators.ts';
import { accountRules } from './rules/account.policy.ts';
import { alertRules } from './rules/alert.policy.ts';
import { assignmentRules } from './rules/assignment.policy.ts';
import { auditRules } from './rules/audit.policy.ts';
import { breakGlassRules } from './rules/break-glass.policy.ts';
import { caseRules } from './rules/case.policy.ts';
import { contactRules } from './rules/contact.policy.ts';
import { disclosureRules } from './rules/disclosure.policy.ts';
import { noteRules } from './rules/note.policy.ts';
import { observationRules } from './rules/observation.policy.ts';
import { subjectRules } from './rules/subject.policy.ts';
import { termsRules } from './rules/terms.policy.ts';
import { travelRules } from './rules/travel.policy.ts';
import { TRACING_PERSONAL_TYPES, tracingRules } from './rules/tracing.policy.ts';
import type { Action, Decision, Obligations, PolicyActor, PolicyContext, PolicyResource, ResourceType } from './types.ts';

/** Every rule there is. Anything none of them allows is denied. */
export const RULES: readonly Rule[] = Object.freeze([
  ...caseRules, ...subjectRules, ...contactRules, ...travelRules, ...noteRules, ...observationRules,
  ...assignmentRules, ...breakGlassRules, ...alertRules, ...auditRules, ...accountRules, ...termsRules,
  ...tracingRules, ...disclosureRules,
]);

/** The rules of each resource type, in the order of RULES (decide reads only these: same answer, less work per call). */
const RULES_BY_TYPE: ReadonlyMap<ResourceType, readonly Rule[]> = (() => {
  const byType = new Map<ResourceType, Rule[]>();
  for (const r of RULES) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  return byType;
})();

/** Resource types that are, or show, personal data. */
export const PERSONAL_DATA_TYPES: readonly ResourceType[] = ['case', 'subject', 'contact', 'travel', 'note', 'observation', ...TRACING_PERSONAL_TYPES];

/** Actions that need a stated reason. */
export const REASON_ACTIONS: readonly Action[] = ['reveal', 'break_glass', 'review'];

/**
 * Why a request was denied, for the audit event and tests (never sent to the caller):
 * `terms_required` (the HTTP layer answers ERR_TERMS_REQUIRED), `no_personal_data` (a role that
 * never sees personal data), `no_rule` (no rule lets this role take this action on this type),
 * `purpose` (rules exist, but not under the stated purpose), `scope` (jurisdiction, assignment,
 * ownership or grant do not hold).
 */
export type DenyRule = 'terms_required' | 'no_personal_data' | 'no_rule' | 'purpose' | 'scope';

export const isPersonalData = (type: ResourceType): boolean => PERSONAL_DATA_TYPES.includes(type);

/**
 * Decides whether `actor` may take `action` on `resource` under the request's purpose, and with
 * which obligations. Rules that grant access only through break-glass are used only when no other
 * rule allows.
 */
export function decide(actor: PolicyActor, action: Action, resource: PolicyResource, ctx: PolicyContext): Decision {
  const personal = isPersonalData(resource.type);
  if (personal && actor.termsAccepted !== true) return deny('terms_required');
  if (personal && NO_PERSONAL_DATA_ROLES.includes(actor.role)) return deny('no_personal_data');
  const candidates = (RULES_BY_TYPE.get(resource.type) ?? []).filter((r) => r.roles.includes(actor.role) && r.actions.includes(action));
  if (candidates.length === 0) return deny('no_rule');
  const forPurpose = candidates.filter((r) => r.purposes.includes(ctx.purpose));
  if (forPurpose.length === 0) return deny('purpose');
  const passing = forPurpose.filter((r) => r.when(actor, resource, ctx));
  const rule = passing.find((r) => !r.options.viaBreakGlass) ?? passing[0];
  if (!rule) return deny('scope');
  return { allow: true, obligations: obligationsOf(rule, action, personal) };
}

function deny(rule: DenyRule): Decision {
  return { allow: false, rule };
}

function obligationsOf(rule: Rule, action: Action, personal: boolean): Obligations {
  return {
    mask: personal ? MASKABLE_FIELDS : [],
    reasonRequired: REASON_ACTIONS.includes(action),
    alert: action === 'break_glass' ? 'break_glass' : null,
    viaBreakGlass: rule.options.viaBreakGlass === true,
    restrictToAssigned: rule.options.restrictToAssigned === true,
    onlyFields: rule.options.onlyFields ?? null,
  };
}
