import type { Insertable, Selectable, Transaction } from 'kysely';
import type { CaseTable, ContactLinkTable, Database, NoteTable, ObservationTable } from './schema.ts';
import type { Db } from './database.ts';
import { insertMany } from './insert-many.ts';
import { precompiled } from './precompiled.ts';

export type CaseRow = Selectable<CaseTable>;
export type ContactLinkRow = Selectable<ContactLinkTable>;

/** The staff case list's filters (clear columns only), keyset-paginated by (report_date, id), newest first. */
export interface CaseListFilter {
  /** Digits a case's jurisdiction code starts with ('' for all). */
  readonly jurisdictionPrefix: string;
  readonly classification?: string;
  /** Only cases assigned to this staff member. */
  readonly assignedTo?: string;
  readonly reportFrom?: string;
  readonly reportTo?: string;
  /** The last case of the previous page. */
  readonly after?: { readonly reportDate: string; readonly id: string };
  readonly limit: number;
}

/** The clear columns of a case that may change. */
export interface CaseChange {
  classification: string;
  report_date: string;
  confirmation_date: string | null;
  sealed: Buffer;
}

/**
 * A case with what showing it needs, from one query: its subject's district, the subject's sealed
 * identity and wrapped data key (null if missing), and how many close contacts the case has.
 * Sealed values only: nothing here is opened before the access decision.
 */
export interface CaseReadRow extends CaseRow {
  readonly subject_jurisdiction_code: string;
  readonly subject_street_code: string | null;
  readonly identity_sealed: Buffer | null;
  readonly key_root_version: number | null;
  readonly key_wrapped: Buffer | null;
  readonly contact_count: number;
}

const caseReadQuery = precompiled(1, (db, caseId) => db.selectFrom('cases')
  .innerJoin('subjects', 'subjects.id', 'cases.subject_id')
  .leftJoin('identities', 'identities.subject_id', 'cases.subject_id')
  .leftJoin('subject_keys', 'subject_keys.subject_id', 'cases.subject_id')
  .selectAll('cases')
  .select((eb) => [
    'subjects.jurisdiction_code as subject_jurisdiction_code', 'subjects.street_code as subject_street_code',
    'identities.sealed as identity_sealed', 'subject_keys.root_version as key_root_version', 'subject_keys.wrapped as key_wrapped',
    eb.selectFrom('contact_links').select((e) => e.fn.countAll<number>().as('n')).whereRef('contact_links.case_id', '=', 'cases.id').as('contact_count'),
  ])
  .where('cases.id', '=', caseId));

/** Cases, their assignments, health observations, close-contact links and notes. */
export class CaseRepository {
  constructor(private readonly db: Db | Transaction<Database>) {}

  async insertCases(rows: readonly Insertable<CaseTable>[]): Promise<void> {
    await insertMany(this.db, 'cases', rows);
  }

  async assign(caseId: string, staffId: string, at: string): Promise<void> {
    await this.db.insertInto('case_assignments').values({ case_id: caseId, staff_id: staffId, assigned_at: at })
      .onConflict((oc) => oc.columns(['case_id', 'staff_id']).doNothing()).execute();
  }

  async assignees(caseId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('case_assignments').select('staff_id').where('case_id', '=', caseId).execute();
    return rows.map((r) => r.staff_id);
  }

  async insertObservations(rows: readonly Insertable<ObservationTable>[]): Promise<void> {
    await insertMany(this.db, 'observations', rows);
  }

  async insertContactLinks(rows: readonly Insertable<ContactLinkTable>[]): Promise<void> {
    await insertMany(this.db, 'contact_links', rows);
  }

  async insertNotes(rows: readonly Insertable<NoteTable>[]): Promise<void> {
    await insertMany(this.db, 'notes', rows);
  }

  async getCase(id: string): Promise<CaseRow | undefined> {
    return this.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A case with its subject's district, sealed identity, wrapped key and contact count (CaseReadRow), in one query. */
  async caseForRead(id: string): Promise<CaseReadRow | undefined> {
    const [row] = await caseReadQuery.run(this.db, id);
    if (!row) return undefined;
    return {
      ...row,
      identity_sealed: row.identity_sealed ?? null,
      key_root_version: row.key_root_version === null || row.key_root_version === undefined ? null : Number(row.key_root_version),
      key_wrapped: row.key_wrapped ?? null,
      contact_count: Number(row.contact_count ?? 0),
    };
  }

  /** One page of the case list, filtered in SQL; `filter.limit` rows at most. */
  async listCases(filter: CaseListFilter): Promise<CaseRow[]> {
    let q = this.db.selectFrom('cases').selectAll('cases');
    if (filter.jurisdictionPrefix.length > 0) q = q.where('cases.jurisdiction_code', 'like', `${filter.jurisdictionPrefix.replace(/[^0-9]/g, '')}%`);
    if (filter.classification !== undefined) q = q.where('cases.classification', '=', filter.classification);
    if (filter.reportFrom !== undefined) q = q.where('cases.report_date', '>=', filter.reportFrom);
    if (filter.reportTo !== undefined) q = q.where('cases.report_date', '<=', filter.reportTo);
    if (filter.assignedTo !== undefined) {
      const staffId = filter.assignedTo;
      q = q.where((eb) => eb.exists(eb.selectFrom('case_assignments').select('case_assignments.case_id')
        .whereRef('case_assignments.case_id', '=', 'cases.id').where('case_assignments.staff_id', '=', staffId)));
    }
    if (filter.after !== undefined) {
      const { reportDate, id } = filter.after;
      q = q.where((eb) => eb.or([eb('cases.report_date', '<', reportDate), eb.and([eb('cases.report_date', '=', reportDate), eb('cases.id', '<', id)])]));
    }
    return q.orderBy('cases.report_date', 'desc').orderBy('cases.id', 'desc').limit(filter.limit).execute();
  }

  async updateCase(id: string, change: CaseChange): Promise<void> {
    await this.db.updateTable('cases').set(change).where('id', '=', id).execute();
  }

  /** Staff assigned to each of the given cases. */
  async assigneesOf(caseIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(caseIds.map((id) => [id, []]));
    if (caseIds.length === 0) return out;
    const rows = await this.db.selectFrom('case_assignments').select(['case_id', 'staff_id']).where('case_id', 'in', caseIds as string[]).execute();
    for (const r of rows) out.get(r.case_id)?.push(r.staff_id);
    return out;
  }

  async countContacts(caseId: string): Promise<number> {
    const r = await this.db.selectFrom('contact_links').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async casesOfSubject(subjectId: string): Promise<CaseRow[]> {
    return this.db.selectFrom('cases').selectAll().where('subject_id', '=', subjectId).orderBy('report_date').execute();
  }

  async caseNumbersExisting(numbers: readonly string[]): Promise<Set<string>> {
    if (numbers.length === 0) return new Set();
    const rows = await this.db.selectFrom('cases').select('case_number').where('case_number', 'in', numbers as string[]).execute();
    return new Set(rows.map((r) => r.case_number));
  }

  /** Case ids by case number, for the numbers that exist. */
  async caseIdsByNumber(numbers: readonly string[]): Promise<Map<string, string>> {
    if (numbers.length === 0) return new Map();
    const rows = await this.db.selectFrom('cases').select(['case_number', 'id']).where('case_number', 'in', numbers as string[]).execute();
    return new Map(rows.map((r) => [r.case_number, r.id]));
  }

  async contactsOfCase(caseId: string): Promise<ContactLinkRow[]> {
    return this.db.selectFrom('contact_links').selectAll().where('case_id', '=', caseId).execute();
  }

  async observationsOfSubject(subjectId: string): Promise<Selectable<ObservationTable>[]> {
    return this.db.selectFrom('observations').selectAll().where('subject_id', '=', subjectId).execute();
  }

  async notesOfSubject(subjectId: string): Promise<Selectable<NoteTable>[]> {
    return this.db.selectFrom('notes').selectAll().where('subject_id', '=', subjectId).execute();
  }
}
