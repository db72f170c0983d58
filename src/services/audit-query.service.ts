import { documentIndex, subjectReference } from '../crypto/index.ts';
import { normalizeDocumentNumber } from '../domain/documents.ts';
import { parseResidentId } from '../domain/id-number.ts';
import type { DocumentType } from '../domain/model.ts';
import { DOCUMENT_TYPES } from '../domain/model.ts';
import type { AuditEventView } from '../domain/views/audit.ts';
import type { AppContext } from './app-context.ts';
import { appendAudit } from './audit.service.ts';
import { accessAudit, authorize } from './access.service.ts';
import { ServiceError } from './errors.ts';
import type { StaffRequest } from './staff-context.ts';
import { eventView } from './supervision.service.ts';

/**
 * The auditor's view of the audit log (issue #4 item 6): events by actor, subject, action and time
 * range, newest first, paginated; and the same as CSV. A subject is chosen by a document number:
 * its blind index finds the subject id, whose keyed reference selects the events; the number
 * itself is never stored or logged. Every query and export is itself audited.
 */
export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly from?: string;
  readonly to?: string;
  readonly document?: { readonly type: DocumentType; readonly number: string; readonly country?: string };
  /** Keyset cursor: the seq of the last event of the previous page. */
  readonly before?: number;
  readonly limit?: number;
}

export const MAX_PAGE = 100;
export const MAX_EXPORT = 10_000;

export async function queryAuditEvents(ctx: AppContext, req: StaffRequest, filter: AuditFilter): Promise<{ items: AuditEventView[]; next: number | null }> {
  const limit = pageLimit(filter.limit, MAX_PAGE);
  const { rows, subjectId, authorized } = await select(ctx, req, 'list', filter, limit + 1);
  return ctx.store.transaction(async (repos) => {
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'list', authorized, { resourceId: null, subjectId }));
    const items = rows.slice(0, limit).map(eventView);
    return { items, next: rows.length > limit ? items[items.length - 1]!.seq : null };
  });
}

/** Up to MAX_EXPORT events as CSV (RFC 4180), with the export audited before it is returned. */
export async function exportAuditEvents(ctx: AppContext, req: StaffRequest, filter: AuditFilter): Promise<{ csv: string; rows: number }> {
  const { rows, subjectId, authorized } = await select(ctx, req, 'export', filter, pageLimit(filter.limit, MAX_EXPORT, MAX_EXPORT));
  return ctx.store.transaction(async (repos) => {
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'export', authorized, { resourceId: null, subjectId, reason: `${rows.length} events` }));
    return { csv: toCsv(rows.map(eventView)), rows: rows.length };
  });
}

async function select(ctx: AppContext, req: StaffRequest, action: 'list' | 'export', filter: AuditFilter, limit: number) {
  const range = timeRange(filter);
  const authorized = await authorize(ctx, req, action, { type: 'audit_event' });
  const subjectId = filter.document ? await subjectByDocument(ctx, filter.document) : undefined;
  // A document that matches nobody selects no events (but the query is audited all the same).
  if (filter.document && subjectId === null) return { rows: [], subjectId: null, authorized };
  const rows = await ctx.store.audit.query({
    ...(filter.actor !== undefined ? { actor: filter.actor } : {}),
    ...(filter.action !== undefined ? { action: filter.action } : {}),
    ...(subjectId ? { subjectRef: subjectReference(ctx.keys.auditSubject, subjectId) } : {}),
    ...range,
    ...(filter.before !== undefined ? { beforeSeq: filter.before } : {}),
    limit,
  });
  return { rows, subjectId: subjectId ?? null, authorized };
}

async function subjectByDocument(ctx: AppContext, doc: NonNullable<AuditFilter['document']>): Promise<string | null> {
  if (!(DOCUMENT_TYPES as readonly string[]).includes(doc.type)) throw new ServiceError('ERR_VALIDATION', `document type must be one of ${DOCUMENT_TYPES.join(', ')}`, 'document.type');
  if (typeof doc.number !== 'string' || doc.number.trim() === '') throw new ServiceError('ERR_VALIDATION', 'document number is required', 'document.number');
  if (doc.type === 'resident_id') {
    const parsed = parseResidentId(doc.number);
    if (!parsed.ok) throw new ServiceError('ERR_VALIDATION', `document number is not a valid resident ID number: ${parsed.reason}`, 'document.number');
  }
  if (doc.type === 'passport' && !/^[A-Za-z]{3}$/.test(doc.country ?? '')) throw new ServiceError('ERR_VALIDATION', 'a passport needs its issuing country (ISO 3166 alpha-3)', 'document.country');
  const normalized = normalizeDocumentNumber(doc.type, doc.number, doc.country);
  const found = await ctx.store.subjects.findByDocuments([documentIndex(ctx.keys.documentIndex, doc.type, normalized)]);
  return [...found.values()][0] ?? null;
}

function timeRange(filter: AuditFilter): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  for (const field of ['from', 'to'] as const) {
    const v = filter[field];
    if (v === undefined) continue;
    if (Number.isNaN(Date.parse(v))) throw new ServiceError('ERR_VALIDATION', `${field} must be an ISO 8601 date or time`, field);
    out[field] = new Date(v).toISOString();
  }
  if (out.from && out.to && out.from >= out.to) throw new ServiceError('ERR_VALIDATION', 'from must be before to', 'from');
  return out;
}

function pageLimit(limit: number | undefined, max: number, fallback = 50): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new ServiceError('ERR_VALIDATION', `limit must be an integer from 1 to ${max}`, 'limit');
  return limit;
}

const CSV_COLUMNS: readonly (keyof AuditEventView)[] = ['seq', 'at', 'actor', 'actorRole', 'action', 'resourceType', 'resourceId', 'subjectRef', 'purpose', 'reason', 'outcome', 'requestId'];

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with an apostrophe. */
export function toCsv(events: readonly AuditEventView[]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [CSV_COLUMNS.join(','), ...events.map((e) => CSV_COLUMNS.map((c) => cell(e[c])).join(','))].join('\r\n') + '\r\n';
}
