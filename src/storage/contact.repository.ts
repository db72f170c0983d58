import type { Insertable, Selectable, Transaction } from 'kysely';
import type { ContactLinkTable, Database } from './schema.ts';
import type { Db } from './database.ts';

export type ContactRow = Selectable<ContactLinkTable>;

/** A page position in a list ordered by (created_at, id). */
export interface CreatedCursor {
  readonly createdAt: string;
  readonly id: string;
}

/** Close-contact links of cases: the pair in clear (the outbreak graph), the exposure sealed under the contact's key. */
export class ContactRepository {
  constructor(private readonly db: Db | Transaction<Database>) {}

  async insert(row: Insertable<ContactLinkTable>): Promise<void> {
    await this.db.insertInto('contact_links').values(row).execute();
  }

  async get(id: string): Promise<ContactRow | undefined> {
    return this.db.selectFrom('contact_links').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async exists(caseId: string, contactSubjectId: string): Promise<boolean> {
    const r = await this.db.selectFrom('contact_links').select('id').where('case_id', '=', caseId).where('contact_subject_id', '=', contactSubjectId).executeTakeFirst();
    return r !== undefined;
  }

  /** One page of a case's contacts, oldest first. */
  async pageOfCase(caseId: string, after: CreatedCursor | undefined, limit: number): Promise<ContactRow[]> {
    let q = this.db.selectFrom('contact_links').selectAll().where('case_id', '=', caseId);
    if (after) q = q.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
    return q.orderBy('created_at').orderBy('id').limit(limit).execute();
  }

  async updateSealed(id: string, sealed: Buffer): Promise<void> {
    await this.db.updateTable('contact_links').set({ sealed }).where('id', '=', id).execute();
  }

  /** Case ids a subject is a contact of. */
  async casesOfContact(subjectId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('contact_links').select('case_id').where('contact_subject_id', '=', subjectId).execute();
    return rows.map((r) => r.case_id);
  }
}
