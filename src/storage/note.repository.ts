import type { Insertable, Selectable, Transaction } from 'kysely';
import type { Database, NoteTable } from './schema.ts';
import type { Db } from './database.ts';
import type { CreatedCursor } from './contact.repository.ts';

export type NoteRow = Selectable<NoteTable>;

/** Free-text notes on a case, sealed under the case subject's key; author and time in clear. */
export class NoteRepository {
  constructor(private readonly db: Db | Transaction<Database>) {}

  async insert(row: Insertable<NoteTable>): Promise<void> {
    await this.db.insertInto('notes').values(row).execute();
  }

  /** One page of a case's notes, oldest first. */
  async pageOfCase(caseId: string, after: CreatedCursor | undefined, limit: number): Promise<NoteRow[]> {
    let q = this.db.selectFrom('notes').selectAll().where('case_id', '=', caseId);
    if (after) q = q.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
    return q.orderBy('created_at').orderBy('id').limit(limit).execute();
  }
}
