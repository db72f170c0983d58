import { sql } from 'kysely';
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { AssignedCase } from '../domain/views/staff.ts';
import type { AlertTable, BreakGlassGrantTable, Database, RevealGrantTable } from './schema.ts';
import type { Db } from './database.ts';
import { precompiled } from './precompiled.ts';

export type RevealGrantRow = Selectable<RevealGrantTable>;
export type BreakGlassGrantRow = Selectable<BreakGlassGrantTable>;
export type AlertRow = Selectable<AlertTable>;

/** The clear facts of a case that access decisions need. */
export interface CaseFactsRow {
  readonly id: string;
  readonly subjectId: string;
  readonly jurisdiction: string;
  readonly assignedStaff: string[];
}

/** A case a subject belongs to, as its case or as a close contact, with its assigned staff. */
export interface SubjectCaseRow {
  readonly relation: 'case' | 'contact';
  readonly caseId: string;
  readonly jurisdiction: string;
  readonly assignedStaff: string[];
}

/** One of an account's unexpired grants: a break-glass grant on a case, or a reveal grant on a field of a subject. */
export interface ActorGrantRow {
  readonly kind: 'break_glass' | 'reveal';
  /** The case (break-glass) or the subject (reveal). */
  readonly ref: string;
  /** The grant's id (break-glass) or the field revealed. */
  readonly item: string;
  readonly expiresAt: string;
}

export interface SubjectFactsRow {
  readonly id: string;
  readonly jurisdiction: string;
  readonly cases: SubjectCaseRow[];
}

/** A record that hangs off a subject and possibly a case (contact link, note, observation, travel record). */
export interface RecordOwnerRow {
  readonly subjectId: string;
  readonly caseId: string | null;
}

/** One of a staff member's assigned cases, with the case's clear metadata only: the row is the view the staff API sends. */
export type AssignedCaseRow = AssignedCase;

/** The clear facts of a staff account that assignment checks need. */
export interface StaffFactsRow {
  readonly id: string;
  readonly role: string;
  readonly jurisdiction: string;
  readonly disabled: boolean;
}

export interface Page {
  /** Exclusive keyset cursor returned as `next` by the previous page. */
  readonly after?: string | null;
  readonly limit: number;
}

export interface PageOf<T> {
  readonly items: T[];
  /** Cursor for the next page, or null when this was the last. */
  readonly next: string | null;
}

/** `prefix%` for LIKE; jurisdiction prefixes are digits only, checked here so that no wildcard slips in. */
function likePrefix(prefix: string): string {
  if (!/^\d{2,12}$/.test(prefix)) throw new Error('jurisdiction prefix must be 2 to 12 digits');
  return `${prefix}%`;
}

function pageOf<T>(rows: T[], limit: number, cursor: (row: T) => string): PageOf<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit && items.length ? cursor(items[items.length - 1]!) : null };
}

// ---- the hot queries of access decisions, compiled once per dialect (precompiled.ts) -----------

/** Cases and their assigned staff, one row per assignment (one row with a null staff id without any), by case then staff. */
const caseFactsSelect = (db: Kysely<Database>, op: '=' | 'in', caseIds: string | readonly string[]) => db.selectFrom('cases')
  .leftJoin('case_assignments', 'case_assignments.case_id', 'cases.id')
  .select(['cases.id as id', 'cases.subject_id as subject_id', 'cases.jurisdiction_code as jurisdiction_code', 'case_assignments.staff_id as staff_id'])
  .where('cases.id', op, caseIds)
  .orderBy('cases.id').orderBy('case_assignments.staff_id');

const caseFactsQuery = precompiled(1, (db, caseId) => caseFactsSelect(db, '=', caseId));

/** Rows of (case, subject, jurisdiction, staff) grouped into the facts of each case, in row order. */
function groupCaseFacts(rows: readonly { id: string; subject_id: string; jurisdiction_code: string; staff_id: string | null }[]): Map<string, CaseFactsRow> {
  const out = new Map<string, { id: string; subjectId: string; jurisdiction: string; assignedStaff: string[] }>();
  for (const r of rows) {
    let facts = out.get(r.id);
    if (!facts) out.set(r.id, (facts = { id: r.id, subjectId: r.subject_id, jurisdiction: r.jurisdiction_code, assignedStaff: [] }));
    if (r.staff_id !== null) facts.assignedStaff.push(r.staff_id);
  }
  return out;
}

/**
 * The cases subjects belong to, as the case or as a close contact, each with its assigned staff
 * (one row per assignment), by subject, relation, case and staff.
 */
const subjectCasesSelect = (db: Kysely<Database>, op: '=' | 'in', subjectIds: string | readonly string[]) => db.selectFrom('cases')
  .leftJoin('case_assignments', 'case_assignments.case_id', 'cases.id')
  .select(['cases.subject_id as subject_id', sql<string>`'case'`.as('relation'), 'cases.id as case_id', 'cases.jurisdiction_code as jurisdiction_code', 'case_assignments.staff_id as staff_id'])
  .where('cases.subject_id', op, subjectIds)
  .unionAll(db.selectFrom('contact_links')
    .innerJoin('cases', 'cases.id', 'contact_links.case_id')
    .leftJoin('case_assignments', 'case_assignments.case_id', 'cases.id')
    .select(['contact_links.contact_subject_id as subject_id', sql<string>`'contact'`.as('relation'), 'cases.id as case_id', 'cases.jurisdiction_code as jurisdiction_code', 'case_assignments.staff_id as staff_id'])
    .where('contact_links.contact_subject_id', op, subjectIds))
  .orderBy('subject_id').orderBy('relation').orderBy('case_id').orderBy('staff_id');

const subjectCasesQuery = precompiled(1, (db, subjectId) => subjectCasesSelect(db, '=', subjectId));

/** An account's unexpired, unflagged break-glass grants (all of them: a few at most) and its unexpired reveal grants on one subject, earliest expiry first. */
const actorGrantsQuery = precompiled(3, (db, accountId, subjectId, now) => db.selectFrom('break_glass_grants')
  .select([sql<string>`'break_glass'`.as('kind'), 'case_id as ref', 'id as item', 'expires_at'])
  .where('account_id', '=', accountId).where('expires_at', '>', now).where('review_status', '!=', 'flagged')
  .unionAll(db.selectFrom('reveal_grants')
    .select([sql<string>`'reveal'`.as('kind'), 'resource_id as ref', 'field as item', 'expires_at'])
    .where('account_id', '=', accountId).where('resource_type', '=', 'subject').where('resource_id', '=', subjectId).where('expires_at', '>', now))
  .orderBy('expires_at').orderBy('item'));

const subjectQuery = precompiled(1, (db, subjectId) => db.selectFrom('subjects').select(['id', 'jurisdiction_code']).where('id', '=', subjectId));

/** Rows of (relation, case, jurisdiction, staff) grouped into cases with their staff, in row order. */
function groupCases(rows: readonly { relation: string; case_id: string; jurisdiction_code: string; staff_id: string | null }[]): SubjectCaseRow[] {
  const out: { relation: 'case' | 'contact'; caseId: string; jurisdiction: string; assignedStaff: string[] }[] = [];
  for (const r of rows) {
    const relation = r.relation === 'case' ? 'case' : 'contact';
    let last = out[out.length - 1];
    if (!last || last.caseId !== r.case_id || last.relation !== relation) {
      last = { relation, caseId: r.case_id, jurisdiction: r.jurisdiction_code, assignedStaff: [] };
      out.push(last);
    }
    if (r.staff_id !== null) last.assignedStaff.push(r.staff_id);
  }
  return out;
}

/**
 * What access decisions read and write: the clear facts of cases and subjects (jurisdiction,
 * assignments), case assignments, reveal and break-glass grants, and supervision alerts. No
 * personal value passes through here: ids, division codes, times and staff-written reasons only.
 */
export class AccessRepository {
  constructor(private readonly db: Db | Transaction<Database>) {}

  // ---- facts for the policy ------------------------------------------------------------------

  /** A case's clear facts and its assigned staff, in one query. */
  async caseFacts(caseId: string): Promise<CaseFactsRow | undefined> {
    return groupCaseFacts(await caseFactsQuery.run(this.db, caseId)).get(caseId);
  }

  /** The clear facts and assigned staff of many cases (a list page), in one query per 1,000; absent ids are absent from the map. */
  async caseFactsMany(caseIds: readonly string[]): Promise<Map<string, CaseFactsRow>> {
    const ids = [...new Set(caseIds)];
    const rows = [];
    for (let i = 0; i < ids.length; i += 1000) rows.push(...await caseFactsSelect(this.db, 'in', ids.slice(i, i + 1000)).execute());
    return groupCaseFacts(rows);
  }

  /** A subject's jurisdiction and every case it belongs to (as the case, or as a close contact), with their staff. */
  async subjectFacts(subjectId: string): Promise<SubjectFactsRow | undefined> {
    const [subject] = await subjectQuery.run(this.db, subjectId);
    if (!subject) return undefined;
    return { id: subject.id, jurisdiction: subject.jurisdiction_code, cases: await this.casesOfSubject(subjectId) };
  }

  /** The cases a subject belongs to (its own cases first, then those it is a close contact of, each by id), with their staff. */
  async casesOfSubject(subjectId: string): Promise<SubjectCaseRow[]> {
    return groupCases(await subjectCasesQuery.run(this.db, subjectId));
  }

  /** `subjectFacts` of many subjects (search results, a chain's people), in two queries per 500; absent ids are absent from the map. */
  async subjectFactsMany(subjectIds: readonly string[]): Promise<Map<string, SubjectFactsRow>> {
    const out = new Map<string, SubjectFactsRow>();
    const ids = [...new Set(subjectIds)];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const subjects = await this.db.selectFrom('subjects').select(['id', 'jurisdiction_code']).where('id', 'in', chunk).execute();
      const rows = await subjectCasesSelect(this.db, 'in', chunk).execute();
      const bySubject = new Map<string, typeof rows>();
      for (const r of rows) {
        const list = bySubject.get(r.subject_id);
        if (list) list.push(r);
        else bySubject.set(r.subject_id, [r]);
      }
      for (const subject of subjects) out.set(subject.id, { id: subject.id, jurisdiction: subject.jurisdiction_code, cases: groupCases(bySubject.get(subject.id) ?? []) });
    }
    return out;
  }

  /**
   * An account's grants unexpired at `now`: every unflagged break-glass grant, and the reveal
   * grants on one subject; earliest expiry first. One query for what every read of a record asks.
   */
  async activeGrants(accountId: string, subjectId: string, now: string): Promise<ActorGrantRow[]> {
    const rows = await actorGrantsQuery.run(this.db, accountId, subjectId, now);
    return rows.map((r) => ({ kind: r.kind === 'break_glass' ? 'break_glass' : 'reveal', ref: r.ref, item: r.item, expiresAt: r.expires_at }));
  }

  /** The case and the contact of a contact link. */
  async contactLinkOwner(linkId: string): Promise<RecordOwnerRow | undefined> {
    const row = await this.db.selectFrom('contact_links').select(['case_id', 'contact_subject_id']).where('id', '=', linkId).executeTakeFirst();
    return row && { subjectId: row.contact_subject_id, caseId: row.case_id };
  }

  async noteOwner(noteId: string): Promise<RecordOwnerRow | undefined> {
    const row = await this.db.selectFrom('notes').select(['subject_id', 'case_id']).where('id', '=', noteId).executeTakeFirst();
    return row && { subjectId: row.subject_id, caseId: row.case_id };
  }

  async observationOwner(observationId: string): Promise<RecordOwnerRow | undefined> {
    const row = await this.db.selectFrom('observations').select(['subject_id', 'case_id']).where('id', '=', observationId).executeTakeFirst();
    return row && { subjectId: row.subject_id, caseId: row.case_id };
  }

  async travelOwner(travelId: string): Promise<RecordOwnerRow | undefined> {
    const row = await this.db.selectFrom('travel_records').select('subject_id').where('id', '=', travelId).executeTakeFirst();
    return row && { subjectId: row.subject_id, caseId: null };
  }

  /** Read through here only if no staff repository exists; the clear facts of one account. */
  async staffFacts(staffId: string): Promise<StaffFactsRow | undefined> {
    const row = await this.db.selectFrom('staff_accounts').select(['id', 'role', 'jurisdiction_code', 'disabled_at']).where('id', '=', staffId).executeTakeFirst();
    return row && { id: row.id, role: row.role, jurisdiction: row.jurisdiction_code, disabled: row.disabled_at !== null };
  }

  // ---- assignments ---------------------------------------------------------------------------

  /** Assigns staff to a case; false if the assignment already existed. */
  async assign(caseId: string, staffId: string, at: string): Promise<boolean> {
    const r = await this.db.insertInto('case_assignments').values({ case_id: caseId, staff_id: staffId, assigned_at: at })
      .onConflict((oc) => oc.columns(['case_id', 'staff_id']).doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Removes an assignment; false if there was none. */
  async unassign(caseId: string, staffId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('case_assignments').where('case_id', '=', caseId).where('staff_id', '=', staffId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async staffOfCase(caseId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('case_assignments').select('staff_id').where('case_id', '=', caseId).orderBy('staff_id').execute();
    return rows.map((r) => r.staff_id);
  }

  async staffOfCases(caseIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const ids = [...new Set(caseIds)];
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await this.db.selectFrom('case_assignments').select(['case_id', 'staff_id'])
        .where('case_id', 'in', ids.slice(i, i + 1000)).orderBy('staff_id').execute();
      for (const r of rows) out.set(r.case_id, [...(out.get(r.case_id) ?? []), r.staff_id]);
    }
    return out;
  }

  /** A staff member's assigned cases, oldest assignment first; the cursor is `assignedAt|caseId`. */
  async listForStaff(staffId: string, page: Page): Promise<PageOf<AssignedCaseRow>> {
    let q = this.db.selectFrom('case_assignments').innerJoin('cases', 'cases.id', 'case_assignments.case_id')
      .select(['cases.id as caseId', 'cases.case_number as caseNumber', 'cases.classification as classification',
        'cases.jurisdiction_code as jurisdiction', 'cases.report_date as reportDate', 'case_assignments.assigned_at as assignedAt'])
      .where('case_assignments.staff_id', '=', staffId);
    if (page.after) {
      const [at, id] = splitCursor(page.after);
      q = q.where((eb) => eb.or([eb('case_assignments.assigned_at', '>', at), eb.and([eb('case_assignments.assigned_at', '=', at), eb('cases.id', '>', id)])]));
    }
    const rows = await q.orderBy('case_assignments.assigned_at').orderBy('cases.id').limit(page.limit + 1).execute();
    return pageOf(rows, page.limit, (r) => `${r.assignedAt}|${r.caseId}`);
  }

  // ---- reveal grants -------------------------------------------------------------------------

  async createRevealGrant(row: Insertable<RevealGrantTable>): Promise<void> {
    await this.db.insertInto('reveal_grants').values(row).execute();
  }

  /** An account's reveal grants on these records that are unexpired at `now`. */
  async activeRevealGrants(accountId: string, resourceType: string, resourceIds: readonly string[], now: string): Promise<RevealGrantRow[]> {
    if (resourceIds.length === 0) return [];
    const out: RevealGrantRow[] = [];
    for (let i = 0; i < resourceIds.length; i += 1000) {
      out.push(...await this.db.selectFrom('reveal_grants').selectAll().where('account_id', '=', accountId).where('resource_type', '=', resourceType)
        .where('resource_id', 'in', resourceIds.slice(i, i + 1000)).where('expires_at', '>', now).orderBy('expires_at').execute());
    }
    return out;
  }

  // ---- break-glass grants --------------------------------------------------------------------

  async createBreakGlass(row: Insertable<BreakGlassGrantTable>): Promise<void> {
    await this.db.insertInto('break_glass_grants').values(row).execute();
  }

  /** The account's break-glass grant on the case that is unexpired at `now` and was not flagged, latest expiry first. */
  async activeBreakGlass(accountId: string, caseId: string, now: string): Promise<BreakGlassGrantRow | undefined> {
    return this.db.selectFrom('break_glass_grants').selectAll().where('account_id', '=', accountId).where('case_id', '=', caseId)
      .where('expires_at', '>', now).where('review_status', '!=', 'flagged').orderBy('expires_at', 'desc').executeTakeFirst();
  }

  /** Unexpired, unflagged break-glass grants of an account, by case. */
  async activeBreakGlassByCase(accountId: string, caseIds: readonly string[], now: string): Promise<Map<string, BreakGlassGrantRow>> {
    const out = new Map<string, BreakGlassGrantRow>();
    if (caseIds.length === 0) return out;
    const rows = await this.db.selectFrom('break_glass_grants').selectAll().where('account_id', '=', accountId)
      .where('case_id', 'in', [...new Set(caseIds)]).where('expires_at', '>', now).where('review_status', '!=', 'flagged').orderBy('expires_at').execute();
    for (const r of rows) out.set(r.case_id, r);
    return out;
  }

  async getBreakGlass(id: string): Promise<BreakGlassGrantRow | undefined> {
    return this.db.selectFrom('break_glass_grants').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Grants awaiting review whose case lies under the jurisdiction prefix, oldest first; the cursor is `createdAt|id`. */
  async pendingBreakGlass(jurisdictionPrefix: string, page: Page): Promise<PageOf<BreakGlassGrantRow>> {
    let q = this.db.selectFrom('break_glass_grants').selectAll().where('review_status', '=', 'pending')
      .where('jurisdiction_code', 'like', likePrefix(jurisdictionPrefix));
    if (page.after) {
      const [at, id] = splitCursor(page.after);
      q = q.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
    }
    const rows = await q.orderBy('created_at').orderBy('id').limit(page.limit + 1).execute();
    return pageOf(rows, page.limit, (r) => `${r.created_at}|${r.id}`);
  }

  /** Records a review of a pending grant; false if the grant is not pending (already reviewed, or absent). */
  async reviewBreakGlass(id: string, review: { status: 'accepted' | 'flagged'; by: string; at: string; note: string }): Promise<boolean> {
    const r = await this.db.updateTable('break_glass_grants')
      .set({ review_status: review.status, reviewed_by: review.by, reviewed_at: review.at, review_note: review.note })
      .where('id', '=', id).where('review_status', '=', 'pending').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  // ---- alerts --------------------------------------------------------------------------------

  async insertAlert(row: Insertable<AlertTable>): Promise<void> {
    await this.db.insertInto('alerts').values(row).execute();
  }

  async getAlert(id: string): Promise<AlertRow | undefined> {
    return this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Alerts under the jurisdiction prefix with the status, newest first; the cursor is `createdAt|id`. */
  async listAlerts(jurisdictionPrefix: string, status: 'open' | 'closed', page: Page): Promise<PageOf<AlertRow>> {
    let q = this.db.selectFrom('alerts').selectAll().where('status', '=', status).where('jurisdiction_code', 'like', likePrefix(jurisdictionPrefix));
    if (page.after) {
      const [at, id] = splitCursor(page.after);
      q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
    return pageOf(rows, page.limit, (r) => `${r.created_at}|${r.id}`);
  }

  /** Closes an open alert with a decision; false if it is not open (already closed, or absent). */
  async closeAlert(id: string, decision: { decision: string; by: string; at: string }): Promise<boolean> {
    const r = await this.db.updateTable('alerts').set({ status: 'closed', decision: decision.decision, decided_by: decision.by, decided_at: decision.at })
      .where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}

function splitCursor(cursor: string): [string, string] {
  const i = cursor.lastIndexOf('|');
  if (i <= 0) throw new Error('malformed cursor');
  return [cursor.slice(0, i), cursor.slice(i + 1)];
}
