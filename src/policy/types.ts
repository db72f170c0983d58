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
  | 'terms';

export type Action = 'list' | 'read' | 'create' | 'update' | 'search' | 'reveal' | 'assign' | 'break_glass' | 'review' | 'export';

/** Identity fields that lists and records show masked unless revealed. */
export const MASKABLE_FIELDS = ['name', 'document', 'phone', 'address', 'birth_date', 'employer'] as const;
export type MaskableField = (typeof MASKABLE_FIELDS)[number];

/** What a staff member is, as the decision sees it. */
export interface PolicyActor {
  readonly id: string;
  readonly role: Role;
  /** GB/T 2260 code of the node of the division tree the account serves (e.g. 110000, 110105). */
  readonly jurisdiction: string;
  /** The current confidentiality terms have been accepted. */
  readonly termsAccepted: boolean;
}

/** The facts about the resource that the rules need, loaded by the service before deciding. */
export interface PolicyResource {
  readonly type: ResourceType;
  readonly id?: string;
  /** GB/T 2260 code where the resource lies (a case's or subject's jurisdiction). */
  readonly jurisdiction?: string;
  /** Staff assigned to the case (for a subject or contact: to any case it belongs to). */
  readonly assignedStaff?: readonly string[];
  /** The actor holds an unexpired break-glass grant on this resource's case. */
  readonly breakGlassGranted?: boolean;
  /** The account the resource belongs to (own session, own alerts under review...). */
  readonly ownerId?: string;
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
}

export type Decision =
  | { readonly allow: true; readonly obligations: Obligations }
  /** `rule` names the rule that denied, for the audit event and tests; never sent to the caller. */
  | { readonly allow: false; readonly rule: string };
