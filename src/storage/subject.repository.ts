import type { Insertable, Selectable, Transaction } from 'kysely';
import type { Database, IdentityTable, SubjectKeyTable, SubjectTable } from './schema.ts';
import type { Db } from './database.ts';
import { insertMany } from './insert-many.ts';

export type SubjectRow = Selectable<SubjectTable>;
export type IdentityRow = Selectable<IdentityTable>;
export type SubjectKeyRow = Selectable<SubjectKeyTable>;

/** A person as stored: clear metadata, wrapped data key, sealed identity, document indexes. */
export interface PersonRows {
  subject: Insertable<SubjectTable>;
  key: Insertable<SubjectKeyTable>;
  identity: Insertable<IdentityTable>;
  documents: { doc_bidx: Buffer; subject_id: string }[];
}

/** Subjects, their wrapped data keys, identities and document indexes. */
export class SubjectRepository {
  constructor(private readonly db: Db | Transaction<Database>) {}

  /** Inserts people; callers have already removed documents that exist. */
  async insertPeople(people: readonly PersonRows[]): Promise<void> {
    await insertMany(this.db, 'subjects', people.map((p) => p.subject));
    await insertMany(this.db, 'subject_keys', people.map((p) => p.key));
    await insertMany(this.db, 'identities', people.map((p) => p.identity));
    await insertMany(this.db, 'identity_documents', people.flatMap((p) => p.documents));
  }

  /** Subject ids by document blind index (for de-duplication and exact search). */
  async findByDocuments(bidx: readonly Buffer[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < bidx.length; i += 5000) {
      const rows = await this.db.selectFrom('identity_documents').select(['doc_bidx', 'subject_id'])
        .where('doc_bidx', 'in', bidx.slice(i, i + 5000) as Buffer[]).execute();
      for (const r of rows) out.set(Buffer.from(r.doc_bidx).toString('hex'), r.subject_id);
    }
    return out;
  }

  async findByPhone(bidx: Buffer): Promise<string[]> {
    const rows = await this.db.selectFrom('identities').select('subject_id').where('phone_bidx', '=', bidx).execute();
    return rows.map((r) => r.subject_id);
  }

  async findByNameBucket(bidx: Buffer): Promise<string[]> {
    const rows = await this.db.selectFrom('identities').select('subject_id').where('name_bidx', '=', bidx).execute();
    return rows.map((r) => r.subject_id);
  }

  async getSubject(id: string): Promise<SubjectRow | undefined> {
    return this.db.selectFrom('subjects').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getIdentity(subjectId: string): Promise<IdentityRow | undefined> {
    return this.db.selectFrom('identities').selectAll().where('subject_id', '=', subjectId).executeTakeFirst();
  }

  async getKey(subjectId: string): Promise<SubjectKeyRow | undefined> {
    return this.db.selectFrom('subject_keys').selectAll().where('subject_id', '=', subjectId).executeTakeFirst();
  }

  /** Subjects by id (those that exist). */
  async getSubjects(ids: readonly string[]): Promise<SubjectRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('subjects').selectAll().where('id', 'in', ids as string[]).execute();
  }

  /** Identity rows and wrapped data keys of the given subjects, for opening a page of records. */
  async identitiesWithKeys(ids: readonly string[]): Promise<(IdentityRow & { root_version: number; wrapped: Buffer })[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('identities').innerJoin('subject_keys', 'subject_keys.subject_id', 'identities.subject_id')
      .select(['identities.subject_id', 'identities.sealed', 'identities.name_bidx', 'identities.phone_bidx', 'identities.updated_at', 'subject_keys.root_version', 'subject_keys.wrapped'])
      .where('identities.subject_id', 'in', ids as string[]).execute();
  }

  /** Replaces a subject's sealed identity and its name and phone indexes. */
  async updateIdentity(subjectId: string, change: { sealed: Buffer; name_bidx: Buffer; phone_bidx: Buffer | null; updated_at: string }): Promise<void> {
    await this.db.updateTable('identities').set(change).where('subject_id', '=', subjectId).execute();
  }

  /** Replaces a subject's document indexes (callers have checked that no other subject holds them). */
  async replaceDocuments(subjectId: string, bidx: readonly Buffer[]): Promise<void> {
    await this.db.deleteFrom('identity_documents').where('subject_id', '=', subjectId).execute();
    if (bidx.length > 0) await this.db.insertInto('identity_documents').values(bidx.map((doc_bidx) => ({ doc_bidx, subject_id: subjectId }))).execute();
  }

  /** A page of data keys not yet under `rootVersion` (for rotation). */
  async keysNotUnder(rootVersion: number, limit: number): Promise<SubjectKeyRow[]> {
    return this.db.selectFrom('subject_keys').selectAll().where('root_version', '!=', rootVersion).orderBy('subject_id').limit(limit).execute();
  }

  async countKeysNotUnder(rootVersion: number): Promise<number> {
    const r = await this.db.selectFrom('subject_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('root_version', '!=', rootVersion).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async replaceKey(row: SubjectKeyRow, previousVersion: number): Promise<void> {
    await this.db.updateTable('subject_keys').set({ root_version: row.root_version, wrapped: row.wrapped })
      .where('subject_id', '=', row.subject_id).where('root_version', '=', previousVersion).execute();
  }

  /** Subject ids in insertion-independent order, for paging (`after` exclusive). */
  async pageSubjectIds(after: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('subjects').select('id').where('id', '>', after).orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  }
}
