import type { MaskableField } from '../domain/masking.ts';
import type { Purpose, Role } from '../domain/roles.ts';

/**
 * The vocabulary of the access decision (DESIGN.md: `decide(actor, action, resource, context) ->
 * allow/deny + obligations`). The decision is pure: services load the facts below, call `decide`,
 * and carry out the obligations.
 */
export type ResourceType =
  | 'case'
  | 'subject'
  | 'contact'
  | 'travel'
  | 'note'
  | 'observation'
  | 'assignment'
  | 'break_glass'
  | 'account'
  | 'audit_event'
  | 'alert'
  | 'terms'
  | 'discovery' | 'quarantine' | 'secondary_contact' | 'chain' | 'handover' | 'risk_area' | 'risk_status'
  | 'release';

export type Action = 'list' | 'read' | 'create' | 'update' | 'search' | 'reveal' | 'assign' | 'break_glass' | 'review' | 'export';

/** Identity fields that lists and records show masked unless revealed (defined with the masking rules). */
export { MASKABLE_FIELDS } from '../domain/masking.ts';
export type { MaskableField } from '../domain/masking.ts';

/** What a staff member is, as the decision sees it. */
export interface PolicyActor {
  readonly id: string;
  readonly role: Role;
  /** GB/T 2260 code of the node of the division tree the account serves (e.g. 110000, 110105). */
  readonly jurisdiction: string;
  /** The current confidentiality terms have been accepted. */
  readonly termsAccepted: boolean;
}

/**
 * A case a subject belongs to, as the case's own subject (`relation: 'case'`) or as one of its
 * close contacts (`relation: 'contact'`), with the facts of that case.
 */
export interface CaseLink {
  readonly relation: 'case' | 'contact';
  readonly caseId: string;
  /** The case's jurisdiction. */
  readonly jurisdiction: string;
  readonly assignedStaff: readonly string[];
  /** The actor holds a break-glass grant on this case (expiring at `breakGlassUntil`, if given). */
  readonly breakGlassGranted?: boolean;
  readonly breakGlassUntil?: string;
}

/**
 * The facts about the resource that the rules need, loaded by the service before deciding.
 *
 * - case, contact (a contact link), note, observation, assignment: `jurisdiction` and
 *   `assignedStaff` are those of the case the record belongs to.
 * - subject, travel (a subject's travel): `jurisdiction` is the subject's own, and `links` lists
 *   the cases the subject belongs to (as their case or as a close contact).
 * - a query over many records (list of cases, search, pending reviews) has `collection: true` and
 *   no id; `jurisdiction` is then the scope of the query, and the service restricts the rows as
 *   the obligations say (`restrictToAssigned`).
 */
export interface PolicyResource {
  readonly type: ResourceType;
  readonly id?: string;
  /** GB/T 2260 code where the resource lies (a case's or subject's jurisdiction). */
  readonly jurisdiction?: string;
  /** Staff assigned to the case (of a case, contact, note, observation or assignment). */
  readonly assignedStaff?: readonly string[];
  /** For a subject or its travel: the cases it belongs to. */
  readonly links?: readonly CaseLink[];
  /** The actor holds a break-glass grant on this resource's case (expiring at `breakGlassUntil`, if given). */
  readonly breakGlassGranted?: boolean;
  readonly breakGlassUntil?: string;
  /** The account the resource belongs to (own account, own assignments...). */
  readonly ownerId?: string;
  /** A query over many records rather than one record (see above). */
  readonly collection?: boolean;
}

export interface PolicyContext {
  readonly purpose: Purpose;
  /** The reason the request states, if any (reveal, break-glass, review). */
  readonly reason?: string | null;
  readonly now: Date;
}

export type AlertKind = 'break_glass' | 'reveal_burst' | 'enumeration' | 'out_of_scope' | 'unusual_hours' | 'failed_sign_in';

/** What an allowed action obliges the service to do. */
export interface Obligations {
  /** Fields to show masked (all identity fields unless an unexpired reveal grant says otherwise). */
  readonly mask: readonly MaskableField[];
  /** The request must carry a non-empty reason (the service refuses it otherwise). */
  readonly reasonRequired: boolean;
  /** Raise this alert for the actor's supervisors. */
  readonly alert: AlertKind | null;
  /** Access is allowed only through a break-glass grant (the service records the use). */
  readonly viaBreakGlass: boolean;
  /** A collection query must return only records of cases the actor is assigned to. */
  readonly restrictToAssigned: boolean;
  /** An update may change only these fields (e.g. quarantine dates under `quarantine_followup`); `null` = any. */
  readonly onlyFields: readonly string[] | null;
}

export type Decision =
  | { readonly allow: true; readonly obligations: Obligations }
  /** `rule` names the rule that denied, for the audit event and tests; never sent to the caller. */
  | { readonly allow: false; readonly rule: string };
