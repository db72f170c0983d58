import type { Insertable, Selectable, Transaction } from 'kysely';
import type { CaseTable, ContactLinkTable, Database, NoteTable, ObservationTable } from './schema.ts';
import type { Db } from './database.ts';
import { insertMany } from './insert-many.ts';

export type CaseRow = Selectable<CaseTable>;
export type ContactLinkRow = Selectable<ContactLinkTable>;

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
