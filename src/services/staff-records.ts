/**
 * Helpers the staff record services share: opening subjects' identities a page at a time, the
 * date "today" of a request, abilities from the policy, and the audit rows of a list.
 */
import type { DataKey } from '../crypto/index.ts';
import { todayIsoDate } from '../domain/dates.ts';
import type { Identity } from '../domain/model.ts';
import { decide } from '../policy/decide.ts';
import type { Action, ResourceType } from '../policy/types.ts';
import type { Repositories } from '../storage/store.ts';
import type { AppContext } from './app-context.ts';
import { check, policyActor } from './access.service.ts';
import type { AccessFacts, Target } from './access.service.ts';
import { toAuditRow } from './audit.service.ts';
import type { AuditInput } from './audit.service.ts';
import { notFound, ServiceError } from './errors.ts';
import type { StaffRequest } from './staff-context.ts';
import { openIdentity, unwrapDataKey } from './subject-cipher.ts';

/** A subject opened for display: its clear metadata, identity and data key. */
export interface OpenSubject {
  readonly id: string;
  readonly jurisdictionCode: string;
  readonly streetCode: string | null;
  readonly identity: Identity;
  readonly dek: DataKey;
}

/** "Today" for date checks, in China Standard Time, at the request's time. */
export const todayOf = (req: StaffRequest): string => todayIsoDate(undefined, req.now.getTime());

export const invalid = (field: string, reason: string) => new ServiceError('ERR_VALIDATION', `${field} ${reason}`, field);

/** Opens the identities of these subjects (call after the access decision and before auditing returns them). */
export async function openSubjects(ctx: AppContext, repos: Repositories, ids: readonly string[]): Promise<Map<string, OpenSubject>> {
  const unique = [...new Set(ids)];
  const subjects = new Map((await repos.subjects.getSubjects(unique)).map((s) => [s.id, s]));
  const out = new Map<string, OpenSubject>();
  for (const row of await repos.subjects.identitiesWithKeys(unique)) {
    const s = subjects.get(row.subject_id);
    if (!s) continue;
    const dek = unwrapDataKey(ctx.keys.keyring.get(row.root_version), row.subject_id, row.wrapped);
    out.set(s.id, { id: s.id, jurisdictionCode: s.jurisdiction_code, streetCode: s.street_code, identity: openIdentity(dek, s.id, row.sealed), dek });
  }
  return out;
}

export async function openSubject(ctx: AppContext, repos: Repositories, id: string): Promise<OpenSubject> {
  const s = (await openSubjects(ctx, repos, [id])).get(id);
  if (!s) throw notFound();
  return s;
}

/** The subject's data key alone (to seal a record under it). */
export async function subjectKey(ctx: AppContext, repos: Repositories, subjectId: string): Promise<DataKey> {
  const key = await repos.subjects.getKey(subjectId);
  if (!key) throw notFound();
  return unwrapDataKey(ctx.keys.keyring.get(key.root_version), subjectId, key.wrapped);
}

/** Whether the policy allows `action` on a resource with these facts (the type swapped), without I/O. */
export function allows(req: StaffRequest, action: Action, facts: AccessFacts, type: ResourceType, asRecord = true): boolean {
  const resource = { ...facts, type, ...(asRecord ? {} : { id: undefined }) };
  return decide(policyActor(req.actor), action, resource, { purpose: req.purpose, reason: null, now: req.now }).allow;
}

/** Whether the request may take `action` on `target`, loading its facts (no audit). */
export async function may(repos: Repositories, req: StaffRequest, action: Action, target: Target): Promise<boolean> {
  return (await check(repos, req, action, target)).allow;
}

/** Appends the audit rows of one request (several records shown or changed) in the caller's transaction. */
export async function auditAll(ctx: AppContext, repos: Repositories, req: StaffRequest, inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const at = new Date().toISOString();
  await repos.audit.appendMany(inputs.map((i) => toAuditRow(ctx.keys, req.actor, i, at)));
}

/**
 * Registering a person whose document is already registered is refused (409), and the attempt is
 * audited against the registered subject in its own transaction, so that probing whether someone
 * is registered leaves a trace in that person's access log. Call with the transaction's work.
 */
export async function refusingDuplicates<T>(ctx: AppContext, req: StaffRequest, work: (conflict: (subjectId: string) => never) => Promise<T>): Promise<T> {
  let duplicateOf: string | null = null;
  try {
    return await work((subjectId) => {
      duplicateOf = subjectId;
      throw new ServiceError('ERR_CONFLICT', 'a person with this document is already registered; search for them and use subjectId', 'person.documentNumber');
    });
  } catch (e) {
    if (duplicateOf !== null) {
      const subjectId: string = duplicateOf;
      await ctx.store.transaction((repos) => auditAll(ctx, repos, req, [{
        action: 'create', resourceType: 'subject', subjectId, purpose: req.purpose, reason: 'duplicate_document', outcome: 'failure', requestId: req.requestId,
      }]));
    }
    throw e;
  }
}

/** Refuses a change to fields the obligation does not allow (e.g. only quarantine dates under follow-up). */
export function checkOnlyFields(onlyFields: readonly string[] | null, patch: object): void {
  if (onlyFields === null) return;
  const bad = Object.keys(patch).find((k) => !onlyFields.includes(k));
  if (bad !== undefined) throw invalid(bad, 'may not be changed under this purpose');
}
