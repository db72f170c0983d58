/**
 * Views of supervision (docs/STAFF-API.md "Supervision"), as the staff API sends them: alerts and
 * the audit events they point at (src/services/supervision.service.ts, audit-query.service.ts;
 * read by web/console's alert and audit-log pages). No personal data: ids, codes, counts, times.
 */

export interface AlertView {
  readonly id: string;
  /** `break_glass`, `reveal_burst`, `enumeration`, `out_of_scope`, `unusual_hours`, `failed_sign_in`… */
  readonly kind: string;
  readonly accountId: string;
  readonly jurisdiction: string;
  /** Counts and window only (`count`, `windowMinutes`, `localHour`, `timeZone`, `resourceType`). */
  readonly details: Record<string, string | number>;
  readonly eventSeqs: number[];
  readonly status: 'open' | 'closed';
  /** `justified: <note>` or `escalated: <note>` once closed. */
  readonly decision: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly createdAt: string;
}

export interface AuditEventView {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly actorRole: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  /** A keyed HMAC of the subject id: links events about one person without naming them. */
  readonly subjectRef: string | null;
  readonly purpose: string;
  readonly reason: string | null;
  readonly outcome: string;
  readonly requestId: string | null;
}
